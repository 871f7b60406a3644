import { buildAlertingFrame, buildFrame } from '@mlsight/contract';
import {
  alertInstances,
  evaluateExpressions,
  framesToValues,
  type RuleSpec,
  type SseResult,
  SseError,
} from './grafanaExpressions';

const numbers = (...rows: Array<[Record<string, string>, number | null]>): SseResult => ({
  noData: false,
  values: rows.map(([labels, value]) => ({ kind: 'number', labels, value })),
});

describe('framesToValues (pkg/expr/converter.go)', () => {
  it('reads an alerting frame as numeric data: string fields are the labels, nulls are left out', () => {
    const frame = buildAlertingFrame('drifted', [
      { labels: { model: 'm', feature: 'age', method: 'psi' }, value: 1 },
      { labels: { model: 'm', feature: 'zip', method: 'chisquare' }, value: null },
      { labels: { model: 'm', feature: 'income', method: 'psi' }, value: 0 },
    ]);
    expect(framesToValues([frame]).values).toEqual([
      { kind: 'number', labels: { model: 'm', feature: 'age', method: 'psi' }, value: 1 },
      { kind: 'number', labels: { model: 'm', feature: 'income', method: 'psi' }, value: 0 },
    ]);
  });

  it('refuses a table with a boolean or a second number, and a second frame beside a table', () => {
    const table = buildFrame({
      fields: [
        { name: 'feature', type: 'string', values: ['age'] },
        { name: 'score', type: 'number', values: [0.3] },
        { name: 'drifted', type: 'boolean', values: [true] },
      ],
    });
    expect(() => framesToValues([table])).toThrow(SseError);
    const one = buildAlertingFrame('freshness', [{ labels: { model: 'm' }, value: 5 }]);
    expect(() => framesToValues([one, one])).toThrow('input data must be a wide series but got type not');
  });

  it('reads a wide time frame as one series per number field, and no frames as no data', () => {
    const frame = buildFrame({
      fields: [
        { name: 'time', type: 'time', values: [1, 2] },
        { name: 'score', type: 'number', values: [0.1, null], labels: { feature: 'age' } },
      ],
    });
    expect(framesToValues([frame]).values).toEqual([
      {
        kind: 'series',
        labels: { feature: 'age' },
        points: [
          [1, 0.1],
          [2, null],
        ],
      },
    ]);
    expect(framesToValues([])).toEqual({ noData: true, values: [] });
  });
});

describe('expressions and states (pkg/expr, pkg/services/ngalert/eval)', () => {
  const rule = (expression: Record<string, unknown>): RuleSpec => ({
    title: 'r',
    condition: 'C',
    data: [{ refId: 'C', datasourceUid: '__expr__', model: expression }],
  });

  it('math joins on equal labels or a label subset and compares to 1 / 0', () => {
    const vars = evaluateExpressions(
      rule({ type: 'math', expression: '$REF - $EST > 0.05' }),
      new Map([
        ['REF', numbers([{ model: 'm', metric: 'accuracy' }, 0.9])],
        ['EST', numbers([{ model: 'm', metric: 'accuracy' }, 0.8], [{ model: 'x', metric: 'accuracy' }, 0.1])],
      ])
    );
    const instances = alertInstances(rule({}), vars);
    expect(instances.map((i) => [i.labels, i.state])).toEqual([[{ model: 'm', metric: 'accuracy' }, 'Alerting']]);
    expect(instances[0]?.values).toMatchObject({ REF: 0.9, EST: 0.8, C: 1 });
  });

  it('threshold gives 1 / 0, null stays null and is NoData', () => {
    const vars = evaluateExpressions(
      rule({ type: 'threshold', expression: 'A', conditions: [{ evaluator: { type: 'gt', params: [0.5] } }] }),
      new Map([['A', numbers([{ f: 'a' }, 1], [{ f: 'b' }, 0], [{ f: 'c' }, null])]])
    );
    expect(alertInstances(rule({}), vars).map((i) => i.state)).toEqual(['Alerting', 'Normal', 'NoData']);
  });

  it('refuses a series as the condition and two results with the same labels', () => {
    const series: SseResult = { noData: false, values: [{ kind: 'series', labels: {}, points: [[1, 1]] }] };
    expect(() => alertInstances(rule({}), new Map([['C', series]]))).toThrow('only reduced data can be alerted on');
    const twice = numbers([{ f: 'a' }, 1], [{ f: 'a' }, 0]);
    expect(() => alertInstances(rule({}), new Map([['C', twice]]))).toThrow('cannot uniquely be identified');
  });
});
