/** Version of the saved panel options; `migrateOptions` upgrades anything older. */
export const OPTIONS_VERSION = 1;

/** `auto`: local waterfall when the query returned a local explanation, global bars otherwise. */
export const VIEWS = ['auto', 'global', 'local'] as const;
export type View = (typeof VIEWS)[number];

/** `magnitude`: largest |value| first; `name`: alphabetical; `input`: as the frame lists them. */
export const SORTS = ['magnitude', 'name', 'input'] as const;
export type Sort = (typeof SORTS)[number];

/** `absolute` draws |value| (importance); `signed` keeps the sign (direction of the effect). */
export const VALUE_MODES = ['absolute', 'signed'] as const;
export type ValueMode = (typeof VALUE_MODES)[number];

export interface ExplanationOptions {
  optionsVersion: number;
  view: View;
  /** Features drawn; the rest are summed into one "others" bar. 0 = all. */
  topN: number;
  sort: Sort;
  valueMode: ValueMode;
  showValues: boolean;
}

export const DEFAULT_OPTIONS: ExplanationOptions = {
  optionsVersion: OPTIONS_VERSION,
  view: 'auto',
  topN: 15,
  sort: 'magnitude',
  valueMode: 'absolute',
  showValues: true,
};

function oneOf<T extends string>(list: readonly T[], value: unknown, fallback: T): T {
  return typeof value === 'string' && (list as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Upgrades saved options of any earlier version (or none) to the current shape, keeping what is valid. */
export function migrateOptions(saved: unknown): ExplanationOptions {
  const o = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  const d = DEFAULT_OPTIONS;
  return {
    optionsVersion: OPTIONS_VERSION,
    view: oneOf(VIEWS, o.view, d.view),
    topN: typeof o.topN === 'number' && Number.isInteger(o.topN) && o.topN >= 0 ? o.topN : d.topN,
    sort: oneOf(SORTS, o.sort, d.sort),
    valueMode: oneOf(VALUE_MODES, o.valueMode, d.valueMode),
    showValues: typeof o.showValues === 'boolean' ? o.showValues : d.showValues,
  };
}
