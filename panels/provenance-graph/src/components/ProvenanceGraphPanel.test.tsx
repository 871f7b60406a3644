/** @jest-environment jsdom */
import { createTheme, getDefaultTimeRange, LoadingState, type DataFrame, type PanelProps } from '@grafana/data';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { demoGraph, randomDag, toFrames } from '../testing/graphs';
import { DEFAULT_OPTIONS, type ProvenanceOptions } from '../types';
import { ProvenanceGraphPanel } from './ProvenanceGraphPanel';

function props(series: DataFrame[], options: Partial<ProvenanceOptions> = {}): PanelProps<ProvenanceOptions> {
  const timeRange = getDefaultTimeRange();
  return {
    id: 3,
    data: { series, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, mlflowBaseUrl: 'http://mlflow.example:5000', ...options },
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 900,
    height: 500,
    renderCounter: 0,
    title: 'Lineage',
    eventBus: {
      publish: jest.fn(),
      getStream: jest.fn(),
      subscribe: jest.fn(),
      removeAllListeners: jest.fn(),
      newScopedBus: jest.fn(),
    },
    replaceVariables: (s: string) => s,
  } as PanelProps<ProvenanceOptions>;
}

const demo = () => {
  const { nodes, edges } = demoGraph();
  return toFrames(nodes, edges);
};
const theme = createTheme({ colors: { mode: 'dark' } });

describe('ProvenanceGraphPanel', () => {
  it('draws every node as a focusable button with its kind shape and status', () => {
    render(<ProvenanceGraphPanel {...props(demo())} />);
    const train = screen.getByRole('button', { name: 'step train, failed, 3 min' });
    expect(train).toHaveAttribute('tabindex', '0');
    expect(screen.getAllByTestId('edge')).toHaveLength(7);
    expect(screen.getByTestId('node-ds').querySelector('[data-shape="dataset"]')).not.toBeNull();
    expect(screen.getByTestId('node-v3').querySelector('[data-shape="model_version"]')).not.toBeNull();
    expect(screen.getByTestId('node-champion').querySelector('[data-shape="alias"]')).not.toBeNull();
  });

  it('makes a failed step stand out: red, thick outline, "failed" text', () => {
    render(<ProvenanceGraphPanel {...props(demo())} />);
    const red = theme.visualization.getColorByName('red');
    const failedShape = screen.getByTestId('node-s2').querySelector('[data-shape]');
    const okShape = screen.getByTestId('node-s1').querySelector('[data-shape]');
    expect(failedShape).toHaveAttribute('stroke', red);
    expect(failedShape).toHaveAttribute('stroke-width', '3');
    expect(okShape).toHaveAttribute('stroke-width', '1.5');
    expect(within(screen.getByTestId('node-s2')).getByText(/^failed · 3 min/)).toBeInTheDocument();
  });

  it('highlights the upstream and downstream path on hover and dims the rest', () => {
    render(<ProvenanceGraphPanel {...props(demo())} />);
    fireEvent.mouseEnter(screen.getByTestId('node-s3'));
    const lit = screen.getAllByTestId('edge').filter((e) => e.getAttribute('data-highlighted') === 'true');
    expect(lit).toHaveLength(4); // ds→s1, p→s1, s1→s2, s2→s3
    expect(screen.getByTestId('node-v3')).toHaveAttribute('opacity', '0.25');
    expect(screen.getByTestId('node-ds')).toHaveAttribute('opacity', '1');
    fireEvent.mouseLeave(screen.getByTestId('node-s3'));
    expect(screen.getByTestId('node-v3')).toHaveAttribute('opacity', '1');
  });

  it('opens a details drawer on click with details and the MLflow link', () => {
    render(<ProvenanceGraphPanel {...props(demo())} />);
    fireEvent.click(screen.getByTestId('node-s2'));
    const drawer = screen.getByRole('dialog', { name: 'Details of train' });
    expect(drawer).toHaveTextContent('userana');
    expect(drawer).toHaveTextContent('params.lr0.1');
    expect(within(drawer).getByRole('link', { name: 'Open in MLflow' })).toHaveAttribute(
      'href',
      'http://mlflow.example:5000/#/experiments/1/runs/s2'
    );
    fireEvent.keyDown(drawer, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('never renders an unsafe link', () => {
    render(<ProvenanceGraphPanel {...props(demo())} />);
    fireEvent.click(screen.getByTestId('node-v3'));
    expect(within(screen.getByRole('dialog')).queryByRole('link')).not.toBeInTheDocument();
  });

  it('opens the drawer from the keyboard', () => {
    render(<ProvenanceGraphPanel {...props(demo())} />);
    const node = screen.getByTestId('node-lm');
    act(() => node.focus());
    fireEvent.keyDown(node, { key: 'Enter' });
    expect(screen.getByRole('dialog', { name: 'Details of model m-1' })).toBeInTheDocument();
  });

  it('zooms with the buttons and fits back to the view', () => {
    render(<ProvenanceGraphPanel {...props(demo())} />);
    const viewport = screen.getByTestId('viewport');
    const fitted = viewport.getAttribute('transform');
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(viewport.getAttribute('transform')).not.toBe(fitted);
    fireEvent.click(screen.getByRole('button', { name: 'Fit to view' }));
    expect(viewport.getAttribute('transform')).toBe(fitted);
  });

  it('shows a legend of the kinds and statuses present', () => {
    render(<ProvenanceGraphPanel {...props(demo())} />);
    const legend = screen.getByLabelText('Legend');
    for (const text of [
      'dataset',
      'pipeline',
      'step',
      'logged model',
      'model version',
      'alias',
      'failed',
      'scheduled',
    ]) {
      expect(legend).toHaveTextContent(text);
    }
  });

  it('draws a 300-node graph with the fast layout', () => {
    const dag = randomDag(300);
    render(<ProvenanceGraphPanel {...props(toFrames(dag.nodes, dag.edges))} />);
    expect(screen.getByRole('group', { name: /^Lineage graph: 300 nodes/ })).toHaveAttribute('data-layout', 'fast');
  });

  it('reports cycles in the input instead of hanging', () => {
    const frames = toFrames(
      [
        { id: 'a', kind: 'step', title: 'a', status: 'finished' },
        { id: 'b', kind: 'step', title: 'b', status: 'finished' },
      ],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
      ]
    );
    render(<ProvenanceGraphPanel {...props(frames)} />);
    expect(screen.getByRole('status')).toHaveTextContent(/cycle: edge . → . left out/);
  });

  it("shows Grafana's no-data view without node-graph frames", () => {
    render(<ProvenanceGraphPanel {...props([])} />);
    expect(screen.getByText(/No lineage/)).toBeInTheDocument();
  });
});
