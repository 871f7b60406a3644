/** @jest-environment jsdom */
import { createTheme, getDefaultTimeRange, LoadingState, type DataFrame, type PanelProps } from '@grafana/data';
import { render, screen, within } from '@testing-library/react';
import { globalFrame, LOCAL_ROWS, localFrame } from '../testing/frames';
import { DEFAULT_OPTIONS, type ExplanationOptions } from '../types';
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
