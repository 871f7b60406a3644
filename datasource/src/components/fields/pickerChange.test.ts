/** @jest-environment jsdom */
import { renderHook } from '@testing-library/react';
import { sameValues, uniqueValues, useDistinctChange, whenPicked } from './pickerChange';

function setup(shown: string, same?: (a: string, b: string) => boolean) {
  const onChange = jest.fn<void, [string]>();
  const view = renderHook(({ value, handler }) => useDistinctChange(value, handler, same), {
    initialProps: { value: shown, handler: onChange },
  });
  return { ...view, onChange };
}

describe('useDistinctChange', () => {
  it('passes on a new choice and drops the value the picker already shows', () => {
    const { result, onChange } = setup('kpis');
    result.current('kpis');
    expect(onChange).not.toHaveBeenCalled();
    result.current('fairness');
    expect(onChange.mock.calls).toEqual([['fairness']]);
  });

  it('regression (12.0.2 freeze): drops a repeated report of a choice while the host still renders the old value', () => {
    const { result, rerender, onChange } = setup('kpis');
    result.current('model_versions');
    // React 18 re-renders with the old query (the host's update waits in a lower lane); downshift reports again.
    rerender({ value: 'kpis', handler: onChange });
    result.current('model_versions');
    result.current('model_versions');
    expect(onChange.mock.calls).toEqual([['model_versions']]);
  });

  it('passes the same choice again once the host has shown another value since', () => {
    const { result, rerender, onChange } = setup('kpis');
    result.current('runs');
    rerender({ value: 'runs', handler: onChange });
    rerender({ value: 'kpis', handler: onChange });
    result.current('runs');
    expect(onChange.mock.calls).toEqual([['runs'], ['runs']]);
  });

  it('keeps one function across renders and calls the latest onChange', () => {
    const { result, rerender, onChange } = setup('a');
    const first = result.current;
    const later = jest.fn<void, [string]>();
    rerender({ value: 'a', handler: later });
    expect(result.current).toBe(first);
    first('b');
    expect(onChange).not.toHaveBeenCalled();
    expect(later.mock.calls).toEqual([['b']]);
  });

  it('compares with the given equality', () => {
    const { result, onChange } = setup('Churn', (a, b) => a.toLowerCase() === b.toLowerCase());
    result.current('churn');
    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('sameValues / uniqueValues', () => {
  it('compares lists by value and order', () => {
    expect(sameValues(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValues(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameValues(['a'], ['a', 'a'])).toBe(false);
  });

  it('keeps each value once, in first-seen order', () => {
    expect(uniqueValues([{ value: 'b' }, { value: 'a' }, { value: 'b' }])).toEqual(['b', 'a']);
  });
});

describe('whenPicked', () => {
  it('passes an option on and ignores null', () => {
    const pick = jest.fn<void, [string]>();
    const onChange = whenPicked(pick);
    onChange(null);
    onChange({ label: 'KPIs', value: 'kpis' });
    expect(pick.mock.calls).toEqual([['kpis']]);
  });
});
