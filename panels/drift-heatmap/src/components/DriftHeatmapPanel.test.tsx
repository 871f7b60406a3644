/** @jest-environment jsdom */
import { getDefaultTimeRange, LoadingState, type DataFrame, type PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { fireEvent, render, screen } from '@testing-library/react';
import { categoryFrame, driftFrame, HOUR, psiSeries, T0 } from '../testing/frames';
import { fakeContext, installFakeCanvas, type FakeContext } from '../testing/fakeCanvas';
import { DEFAULT_OPTIONS, type HeatmapOptions } from '../types';
import { DriftHeatmapPanel } from './DriftHeatmapPanel';

function props(series: DataFrame[], overrides: Partial<PanelProps<HeatmapOptions>> = {}): PanelProps<HeatmapOptions> {
  const timeRange = getDefaultTimeRange();
  return {
    id: 1,
    data: { series, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, rowOrder: 'name' },
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 600,
    height: 300,
    renderCounter: 0,
    title: 'Drift',
    eventBus: {
      publish: jest.fn(),
      getStream: jest.fn(),
      subscribe: jest.fn(),
      removeAllListeners: jest.fn(),
      newScopedBus: jest.fn(),
    },
    replaceVariables: (s: string) => s,
    ...overrides,
  } as PanelProps<HeatmapOptions>;
}

let fake: FakeContext;
let restore: () => void;
beforeEach(() => {
  fake = fakeContext();
  restore = installFakeCanvas(fake);
});
afterEach(() => restore());

/** Centre of cell (row, col), read from the rects the panel drew (cells are drawn first, row by row). */
function cellCentre(row: number, col: number, cols: number) {
  const rect = fake.calls.filter((c) => c.op === 'fillRect')[row * cols + col];
  const [x, y, w, h] = (rect?.args ?? [0, 0, 0, 0]) as number[];
  return { clientX: (x ?? 0) + (w ?? 0) / 2, clientY: (y ?? 0) + (h ?? 0) / 2 };
}

const frames = () => [
  driftFrame(
    [
      psiSeries('age', [0.05, 0.3, 0.1], [500, 500, 10]),
      {
        ...psiSeries('income', [0.5, 0.01, 0.2]),
        method: 'ks',
        direction: 'below',
        threshold: 0.05,
        pValues: [0.5, 0.01, 0.2],
      },
    ],
    3
  ),
];

describe('DriftHeatmapPanel', () => {
  it('draws features × buckets and describes them for screen readers', () => {
    render(<DriftHeatmapPanel {...props(frames())} />);
    const canvas = screen.getByRole('img');
    expect(canvas).toHaveAttribute('aria-label', expect.stringContaining('2 features × 3 buckets, 2 features drifted'));
    expect(canvas).toHaveAttribute('tabindex', '0');
    expect(fake.calls.filter((c) => c.op === 'fillRect')).toHaveLength(6);
    expect(screen.getByLabelText('Legend')).toHaveTextContent('too few rows');
  });

  it('shows feature, bucket, method, score, p-value and rows on hover, as text', () => {
    render(<DriftHeatmapPanel {...props(frames())} />);
    fireEvent.mouseMove(screen.getByRole('img'), cellCentre(1, 1, 3));
    const tip = screen.getByRole('tooltip');
    expect(tip).toHaveTextContent('Feature income');
    expect(tip).toHaveTextContent('Method ks');
    expect(tip).toHaveTextContent('p-value 0.0100');
    expect(tip).toHaveTextContent('Rows 500');
    expect(tip).toHaveTextContent('Drift yes');
  });

  it('drills down on click with the feature and bucket', () => {
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => undefined);
    render(<DriftHeatmapPanel {...props(frames())} />);
    const canvas = screen.getByRole('img');
    fireEvent.mouseDown(canvas, cellCentre(0, 2, 3));
    fireEvent.mouseUp(canvas, cellCentre(0, 2, 3));
    expect(push).toHaveBeenCalledWith(
      `/d/mlsight-feature-drift/feature-drift?var-feature=age&from=${T0 + 2 * HOUR}&to=${T0 + 3 * HOUR}`
    );
    push.mockRestore();
  });

  it('changes the time range when a range of buckets is brushed', () => {
    const p = props(frames());
    render(<DriftHeatmapPanel {...p} />);
    const canvas = screen.getByRole('img');
    fireEvent.mouseDown(canvas, cellCentre(0, 0, 3));
    fireEvent.mouseMove(canvas, cellCentre(0, 1, 3));
    fireEvent.mouseUp(canvas, cellCentre(1, 1, 3));
    expect(p.onChangeTimeRange).toHaveBeenCalledWith({ from: T0, to: T0 + 2 * HOUR });
  });

  it('moves a focus cell with the arrow keys and drills down with Enter', () => {
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => undefined);
    render(<DriftHeatmapPanel {...props(frames())} />);
    const canvas = screen.getByRole('img');
    canvas.focus();
    fireEvent.keyDown(canvas, { key: 'ArrowDown' });
    fireEvent.keyDown(canvas, { key: 'ArrowDown' });
    expect(screen.getByRole('tooltip')).toHaveTextContent('Feature income');
    fireEvent.keyDown(canvas, { key: 'Enter' });
    expect(push).toHaveBeenCalledWith(expect.stringContaining('var-feature=income'));
    push.mockRestore();
  });

  it("shows Grafana's no-data view without frames", () => {
    render(<DriftHeatmapPanel {...props([])} />);
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.getByText(/No drift scores in this time range/)).toBeInTheDocument();
  });

  it('draws a single bucket', () => {
    render(<DriftHeatmapPanel {...props([driftFrame([psiSeries('age', [0.4])], 1)])} />);
    expect(fake.calls.filter((c) => c.op === 'fillRect')).toHaveLength(1);
  });

  it('shows categories with new/vanished markers in category mode', () => {
    render(<DriftHeatmapPanel {...props([categoryFrame()])} />);
    expect(screen.getByRole('img')).toHaveAttribute('aria-label', expect.stringContaining('Category shares of plan'));
    fireEvent.mouseMove(screen.getByRole('img'), cellCentre(2, 2, 3));
    const tip = screen.getByRole('tooltip');
    expect(tip).toHaveTextContent('Category trial (new)');
    expect(tip).toHaveTextContent('Share 70.0%');
    expect(tip).toHaveTextContent('Change +70.0 pp');
    expect(screen.getByLabelText('Legend')).toHaveTextContent('vanished category');
  });
});
