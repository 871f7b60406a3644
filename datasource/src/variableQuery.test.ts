/** @jest-environment jsdom */
import { VARIABLE_KINDS } from '@mlsight/contract';
import { formatVariableQuery, parseVariableQuery } from './variableQuery';

describe('parseVariableQuery', () => {
  it('reads the text form with a query string', () => {
    expect(parseVariableQuery('versions?model=$model')).toEqual({
      refId: 'variable',
      kind: 'versions',
      model: '$model',
    });
    expect(parseVariableQuery(' experiments ')).toEqual({ refId: 'variable', kind: 'experiments' });
  });

  it('reads the object the editor saves, dropping empty and unknown keys', () => {
    expect(parseVariableQuery({ refId: 'X', kind: 'features', model: 'churn', search: '', other: 1 })).toEqual({
      refId: 'X',
      kind: 'features',
      model: 'churn',
    });
  });

  it('names the kinds when the kind is unknown or missing', () => {
    expect(() => parseVariableQuery('metrics')).toThrow(
      `Unknown variable kind "metrics"; use one of ${VARIABLE_KINDS.join(', ')}`
    );
    expect(() => parseVariableQuery({ model: 'x' })).toThrow(/needs a kind/);
    expect(() => parseVariableQuery(undefined)).toThrow(/needs a kind/);
  });

  it('round-trips through the text form', () => {
    const query = { refId: 'variable', kind: 'segments' as const, model: 'churn', search: 'reg ion&x' };
    expect(parseVariableQuery(formatVariableQuery(query))).toEqual(query);
  });
});
