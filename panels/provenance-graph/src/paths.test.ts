import { lineageOf } from './paths';
import { demoGraph } from './testing/fixtures';

describe('lineageOf', () => {
  const { edges } = demoGraph();
  it('finds everything upstream and downstream of a step', () => {
    const { upstream, downstream } = lineageOf('s2', edges);
    expect([...upstream].sort()).toEqual(['ds', 'p', 's1']);
    expect([...downstream].sort()).toEqual(['champion', 'lm', 's3', 'v3']);
  });
  it('has nothing upstream of a source and nothing downstream of a sink', () => {
    expect(lineageOf('ds', edges).upstream.size).toBe(0);
    expect(lineageOf('champion', edges).downstream.size).toBe(0);
  });
  it('terminates on cyclic input', () => {
    const { upstream, downstream } = lineageOf('a', [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'a' },
    ]);
    expect([...upstream]).toEqual(['b']);
    expect([...downstream]).toEqual(['b']);
  });
});
