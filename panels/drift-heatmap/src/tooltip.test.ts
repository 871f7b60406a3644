/** @jest-environment jsdom */
import { applyFieldOverrides, createTheme, type FieldConfigSource } from '@grafana/data';
import { initStandardEditors } from '../../../test/host/src/panels/standardEditors';
import { readHeatmap } from './heatmapModel';
import { plugin } from './module';
import { driftFrame, psiSeries } from './testing/frames';
import { tooltipLines } from './tooltip';

/** The tooltip of the first cell, with the panel's field config applied as Grafana applies it before rendering. */
function tooltipWith(fieldConfig: FieldConfigSource): Record<string, string> {
  const [frame] = applyFieldOverrides({
    data: [driftFrame([psiSeries('income', [0.125, 0.3])], 2)],
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables: (s: string) => s,
    theme: createTheme(),
    timeZone: 'utc',
  });
  const model = frame && readHeatmap([frame], 'drift');
  if (!model) throw new Error('the fixture is not a drift heatmap');
  return Object.fromEntries(tooltipLines(model, 0, 0, 'utc').map((l) => [l.label, l.value]));
}

describe('tooltipLines with the standard options (useFieldConfig)', () => {
  // Grafana core registers the standard field options at start-up; the plugin host registers the same ones.
  beforeAll(() => initStandardEditors());

  it('shows score and threshold in the unit and decimals set, so they compare at a glance', () => {
    const lines = tooltipWith({ defaults: { unit: 'percentunit', decimals: 1 }, overrides: [] });
    expect([lines.Score, lines.Threshold]).toEqual(['12.5%', '20.0%']);
  });

  it('applies a per-feature override', () => {
    const lines = tooltipWith({
      defaults: {},
      overrides: [{ matcher: { id: 'byName', options: 'income' }, properties: [{ id: 'decimals', value: 3 }] }],
    });
    expect([lines.Score, lines.Threshold]).toEqual(['0.125', '0.200']);
  });
});
