/** @jest-environment jsdom */
import {
  applyFieldOverrides,
  createTheme,
  getDefaultTimeRange,
  LoadingState,
  ThresholdsMode,
  type DataFrame,
  type FieldConfigSource,
  type PanelProps,
  type ThresholdsConfig,
} from '@grafana/data';
import { render, screen, within } from '@testing-library/react';
import { globalFrame, LOCAL_ROWS, localFrame } from '../testing/frames';
import { DEFAULT_OPTIONS, type ExplanationOptions } from '../types';
import { initStandardEditors } from '../../../../test/host/src/panels/standardEditors';
import { plugin } from '../module';
import { ExplanationBarsPanel } from './ExplanationBarsPanel';

function props(series: DataFrame[], options: Partial<ExplanationOptions> = {}): PanelProps<ExplanationOptions> {
  const timeRange = getDefaultTimeRange();
  return {
    id: 2,
    data: { series, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 500,
    height: 300,
    renderCounter: 0,
    title: 'Explanations',
    eventBus: {
      publish: jest.fn(),
      getStream: jest.fn(),
      subscribe: jest.fn(),
      removeAllListeners: jest.fn(),
      newScopedBus: jest.fn(),
    },
    replaceVariables: (s: string) => s,
  } as PanelProps<ExplanationOptions>;
}

const theme = createTheme({ colors: { mode: 'dark' } });

describe('ExplanationBarsPanel (global)', () => {
  it('draws 5 features, largest first, each focusable with its value', () => {
    render(<ExplanationBarsPanel {...props([globalFrame(5)])} />);
    const rows = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(rows).toHaveLength(5);
    const values = rows.map((r) => Number((r.getAttribute('aria-label') ?? '').split(': ')[1]));
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    expect(rows.every((r) => r.getAttribute('tabindex') === '0')).toBe(true);
  });

  it('draws the reference beside the current value for explanation drift', () => {
    render(<ExplanationBarsPanel {...props([globalFrame(5, true)])} />);
    expect(screen.getAllByTestId('reference-bar')).toHaveLength(5);
    expect(screen.getByText(/current vs reference/)).toBeInTheDocument();
  });

  it('draws all of 500 features when top N is 0, in a scrolling list', () => {
    render(<ExplanationBarsPanel {...props([globalFrame(500)], { topN: 0 })} />);
    expect(screen.getAllByTestId('bar')).toHaveLength(500);
    expect(Number(screen.getByRole('list').getAttribute('height'))).toBeGreaterThan(300);
  });

  it('sums all but the top N of 500 features into one bar', () => {
    render(<ExplanationBarsPanel {...props([globalFrame(500)], { topN: 10 })} />);
    expect(screen.getAllByTestId('bar')).toHaveLength(11);
    expect(screen.getByRole('listitem', { name: /^490 other features/ })).toBeInTheDocument();
  });

  it('colours signed values by direction', () => {
    render(<ExplanationBarsPanel {...props([globalFrame(20)], { valueMode: 'signed', topN: 0 })} />);
    const fills = new Set(screen.getAllByTestId('bar').map((b) => b.getAttribute('fill')));
    expect(fills).toEqual(
      new Set([theme.visualization.getColorByName('red'), theme.visualization.getColorByName('blue')])
    );
  });
});

describe('ExplanationBarsPanel (local)', () => {
  it('draws a waterfall from the base value to the prediction, values labelled', () => {
    render(<ExplanationBarsPanel {...props([localFrame(0.4)])} />);
    const prediction = LOCAL_ROWS.reduce((s, r) => s + r.attribution, 0.4);
    expect(screen.getByText(/^Base value 0.4 → prediction/)).toHaveTextContent(`(prediction p-17)`);
    expect(screen.getByText(/^Base value/)).not.toHaveTextContent('unexplained');
    expect(screen.getAllByTestId('bar')).toHaveLength(LOCAL_ROWS.length);
    expect(screen.getByRole('listitem', { name: 'income = 52000: +0.3' })).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'age = 41: -0.12' })).toBeInTheDocument();
    expect(
      screen.getByText(`f(x) = ${new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 }).format(prediction)}`)
    ).toBeInTheDocument();
  });

  it('says when the attributions do not add up to the prediction', () => {
    render(<ExplanationBarsPanel {...props([localFrame(0.4, 1.5)])} />);
    expect(screen.getByText(/unexplained/)).toBeInTheDocument();
  });

  it('keeps the waterfall end at the prediction when features are summed into others', () => {
    render(<ExplanationBarsPanel {...props([localFrame(0.4)], { topN: 2 })} />);
    expect(screen.getAllByTestId('bar')).toHaveLength(3);
    expect(screen.getByRole('listitem', { name: /^2 other features: / })).toBeInTheDocument();
    expect(screen.getByText(/^Base value/)).not.toHaveTextContent('unexplained');
  });
});

it("shows Grafana's no-data view without explanation frames", () => {
  render(<ExplanationBarsPanel {...props([])} />);
  expect(screen.queryByRole('list')).not.toBeInTheDocument();
  expect(screen.getByText(/No explanations/)).toBeInTheDocument();
});

describe('ExplanationBarsPanel standard options (useFieldConfig)', () => {
  // Grafana core registers the standard field options at start-up; the plugin host registers the same ones.
  beforeAll(() => initStandardEditors());
  /** The frames as Grafana hands them to the panel: the panel's field config applied through its registry. */
  function withFieldConfig(series: DataFrame[], fieldConfig: FieldConfigSource): PanelProps<ExplanationOptions> {
    const applied = applyFieldOverrides({
      data: series,
      fieldConfig,
      fieldConfigRegistry: plugin.fieldConfigRegistry,
      replaceVariables: (s: string) => s,
      theme,
      timeZone: 'utc',
    });
    return { ...props(applied, { topN: 0 }), fieldConfig };
  }
  const valueLabels = () =>
    within(screen.getByRole('list'))
      .getAllByRole('listitem')
      .map((r) => (r.getAttribute('aria-label') ?? '').split(': ')[1] ?? '');
  const pluginDefaults = (): FieldConfigSource => ({
    defaults: { thresholds: plugin.fieldConfigRegistry.get('thresholds').defaultValue as ThresholdsConfig },
    overrides: [],
  });

  it('draws as before with the plugin defaults: short numbers, the bar colour', () => {
    render(<ExplanationBarsPanel {...withFieldConfig([globalFrame(8)], pluginDefaults())} />);
    expect(valueLabels().every((v) => /^\d\.\d+$/.test(v))).toBe(true);
    const fills = new Set(screen.getAllByTestId('bar').map((b) => b.getAttribute('fill')));
    expect(fills).toEqual(new Set([theme.visualization.getColorByName('blue')]));
  });

  it('formats values in the unit and decimals set', () => {
    const config = pluginDefaults();
    render(
      <ExplanationBarsPanel
        {...withFieldConfig([globalFrame(8)], {
          ...config,
          defaults: { ...config.defaults, unit: 'percentunit', decimals: 1 },
        })}
      />
    );
    expect(valueLabels().every((v) => /^\d+\.\d%$/.test(v))).toBe(true);
  });

  it('colours the bars by the thresholds set, by magnitude', () => {
    const thresholds: ThresholdsConfig = {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: 'blue' },
        { value: 0.3, color: 'orange' },
      ],
    };
    render(
      <ExplanationBarsPanel {...withFieldConfig([globalFrame(20)], { defaults: { thresholds }, overrides: [] })} />
    );
    const bars = within(screen.getByRole('list')).getAllByRole('listitem');
    for (const row of bars) {
      const value = Number((row.getAttribute('aria-label') ?? '').split(': ')[1]);
      const fill = within(row).getByTestId('bar').getAttribute('fill');
      expect({ value, fill }).toEqual({
        value,
        fill: theme.visualization.getColorByName(value >= 0.3 ? 'orange' : 'blue'),
      });
    }
  });

  it('fixes the value axis at the max set: larger bars end at the axis end', () => {
    render(
      <ExplanationBarsPanel {...withFieldConfig([globalFrame(8)], { defaults: { min: 0, max: 0.2 }, overrides: [] })} />
    );
    const widths = screen.getAllByTestId('bar').map((b) => Number(b.getAttribute('width')));
    const widest = Math.max(...widths);
    // Every value of the fixture above 0.2 is drawn at the full width of the axis.
    expect(widths.filter((w) => w === widest).length).toBeGreaterThan(1);
  });
});
