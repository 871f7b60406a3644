import type { ComboboxOption } from '@grafana/ui';
import { useCallback, useRef } from 'react';

interface Sent<T> {
  value: T;
  /** What the picker showed when `value` was passed on. */
  shownThen: T;
}

/**
 * Wraps a picker's `onChange` so that it passes on a choice once: a value the picker already shows, or the value
 * just passed on while the host still renders the old one, is dropped.
 *
 * Why: @grafana/ui's Combobox and MultiCombobox report a choice through downshift, which calls `onChange` from an
 * effect each time its reducer state is a new object, with the props of the moment the item was clicked. Under
 * React 18 (the Grafana 12 line), if a hover update of the same menu is still pending in a lower-priority lane when
 * the click lands (a quick pointer, a touch, Playwright), React re-applies the click on every render (an update
 * rebase), so every render reports the click again (downshift-js/downshift#1534). When the host then re-renders
 * synchronously, e.g. because `onRunQuery` finished at once for a query it filters out, it renders the old query
 * (its `onChange` update waits in a lower lane), the picker reports the same choice again, and the loop never ends:
 * the page freezes. Dropping the repeat ends it; a real new choice always passes. The returned function is stable
 * and calls the latest `onChange`, so a late report never runs a stale closure either.
 *
 * @param value The value the picker shows (its controlled value).
 * @param onChange What to call with a new choice.
 * @param same Whether two values are the same choice (`Object.is` unless given).
 * @returns The `onChange` to give the picker.
 */
export function useDistinctChange<T>(
  value: T,
  onChange: (next: T) => void,
  same: (a: T, b: T) => boolean = Object.is
): (next: T) => void {
  const latest = useRef({ value, onChange, same });
  latest.current = { value, onChange, same };
  const sent = useRef<Sent<T> | undefined>(undefined);
  // Once the host shows another value, the last choice is history: choosing it again is a new choice.
  if (sent.current !== undefined && !same(sent.current.shownThen, value)) sent.current = undefined;
  return useCallback((next: T) => {
    const { value: shown, onChange: change, same: isSame } = latest.current;
    if (isSame(shown, next)) return;
    const last = sent.current;
    if (last !== undefined && isSame(last.value, next) && isSame(last.shownThen, shown)) return;
    sent.current = { value: next, shownThen: shown };
    change(next);
  }, []);
}

/** Whether two lists hold the same values in the same order (a multi-value picker's choice). */
export function sameValues<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * The values of a multi-value picker's options, each once: a repeated report of the same click adds its item again
 * (downshift's `addSelectedItem` does not check), which must not add a duplicate to the query.
 */
export function uniqueValues<T>(options: ReadonlyArray<{ value: T }>): T[] {
  return [...new Set(options.map((o) => o.value))];
}

/**
 * The `onChange` of a Combobox that cannot be cleared, ignoring `null`: @grafana/ui 12.0.2 reports `null` when Escape
 * is pressed on the closed picker (downshift clears its selection), though its type promises an option; 13.x drops it.
 */
export function whenPicked<T extends string>(pick: (value: T) => void): (option: ComboboxOption<T> | null) => void {
  return (option) => {
    if (option !== null) pick(option.value);
  };
}
