import type { Run } from '../mlflow';
import { GraphAccumulator } from './lineageNodes';
import { addPipelineToGraph, groupPipelines } from './pipelines';

function run(id: string, start: number, opts: { parent?: string; status?: string; digest?: string } = {}): Run {
  return {
    info: {
      run_id: id,
      run_name: id,
      experiment_id: '1',
      status: opts.status ?? 'FINISHED',
      start_time: start,
      end_time: start + 10,
    },
    data: { tags: opts.parent ? [{ key: 'mlflow.parentRunId', value: opts.parent }] : [], params: [], metrics: [] },
    inputs: opts.digest
      ? {
          dataset_inputs: [
            {
              dataset: { name: 'train', digest: opts.digest },
              tags: [{ key: 'mlflow.data.context', value: 'training' }],
            },
          ],
        }
      : {},
  };
}

describe('groupPipelines', () => {
  it('attaches children to parents, orders steps by start and pipelines newest first', () => {
    const runs = [
      run('p1', 100),
      run('b', 120, { parent: 'p1' }),
      run('a', 110, { parent: 'p1' }),
      run('p2', 200),
      run('c', 210, { parent: 'p2', status: 'FAILED' }),
      run('lonely', 50),
    ];
    const pipelines = groupPipelines(runs);
    expect(pipelines.map((p) => p.parent.info?.run_id)).toEqual(['p2', 'p1']);
    expect(pipelines[1]?.steps.map((s) => s.info?.run_id)).toEqual(['a', 'b']);
  });
});

describe('addPipelineToGraph', () => {
  it('chains pipeline → steps in order and feeds datasets into the step that read them', () => {
    const acc = new GraphAccumulator();
    addPipelineToGraph(acc, {
      parent: run('p', 0),
      steps: [run('ingest', 1, { parent: 'p', digest: 'd1' }), run('train', 2, { parent: 'p', status: 'FAILED' })],
    });
    const { nodes, edges } = acc.result();
    expect(edges.map((e) => `${e.source}->${e.target}`)).toEqual([
      'run:p->run:ingest',
      'dataset:train@d1->run:ingest',
      'run:ingest->run:train',
    ]);
    expect(nodes.find((n) => n.id === 'run:train')?.status).toBe('failed');
    expect(nodes.find((n) => n.id === 'dataset:train@d1')?.details).toMatchObject({
      digest: 'd1',
      context: 'training',
    });
  });

  it('never adds an edge to a node it does not have, nor twice', () => {
    const acc = new GraphAccumulator();
    acc.addNode({ id: 'a', kind: 'step', title: 'a', status: 'finished' });
    acc.addEdge('a', 'ghost');
    acc.addEdge('a', 'a');
    acc.addNode({ id: 'b', kind: 'step', title: 'b', status: 'finished' });
    acc.addEdge('a', 'b');
    acc.addEdge('a', 'b');
    expect(acc.result().edges).toEqual([{ source: 'a', target: 'b' }]);
  });
});
