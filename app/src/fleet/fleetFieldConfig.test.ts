/** @jest-environment jsdom */
import { createTheme, MappingType, type ValueMapping } from '@grafana/data';
import { fleetFieldConfig, fleetLinkVariables, STATUS_COLORS } from './fleetFieldConfig';
import { FLEET_STATUSES } from './fleetFrame';

describe('fleetFieldConfig', () => {
  const config = fleetFieldConfig();
  const overrideOf = (name: string) => config.overrides.find((o) => o.matcher.options === name)?.properties ?? [];

  it('maps every status to a theme palette colour that differs between the statuses that need attention', () => {
    const mappings = overrideOf('status').find((p) => p.id === 'mappings')?.value as ValueMapping[];
    const options = mappings[0]?.type === MappingType.ValueToText ? mappings[0].options : {};
    expect(Object.keys(options).sort()).toEqual([...FLEET_STATUSES].sort());
    for (const mode of ['light', 'dark'] as const) {
      const theme = createTheme({ colors: { mode } });
      const colour = (status: keyof typeof STATUS_COLORS) =>
        theme.visualization.getColorByName(options[status]?.color ?? '');
      expect(new Set([colour('critical'), colour('warning'), colour('ok')]).size).toBe(3);
      // A palette name resolves to the theme's colour for it, not to the name itself.
      expect(colour('critical')).not.toBe('red');
    }
  });

  it('links the model column to its page and never filters the sparkline column', () => {
    const links = overrideOf('model').find((p) => p.id === 'links')?.value as Array<{ url: string }>;
    expect(links[0]?.url).toBe('/a/mlsight-app/models/${__value.raw}/drift');
    expect(overrideOf('drift_share_trend')).toContainEqual({ id: 'custom.filterable', value: false });
  });
});

describe('fleetLinkVariables', () => {
  it('fills the cell value URL-encoded', () => {
    const scoped = { __value: { value: { raw: 'fraud / eu', text: 'fraud / eu' }, text: '' } };
    expect(fleetLinkVariables('/a/mlsight-app/models/${__value.raw}/drift', scoped)).toBe(
      '/a/mlsight-app/models/fraud%20%2F%20eu/drift'
    );
  });

  it('leaves an empty value when there is no cell', () => {
    expect(fleetLinkVariables('/m/${__value.raw}')).toBe('/m/');
  });
});
