import { InvalidInputError } from '../errors';

/** A class of a classification model as stored: numbers stay numbers, booleans become "false"/"true". */
export type ClassLabel = number | string;

/**
 * Normalises a stored label or prediction to a class; null for missing (null, NaN, arrays). A string that is the
 * canonical text of a finite number ("1", "-2.5"; not "01" or "1e3") is that number: the store keeps a categorical
 * column in its string form (integer class ids with few values are categorical, as in Evidently) while labels are
 * kept as sent, so a prediction "1" and a label 1 are the same class.
 */
export function toClassLabel(value: unknown): ClassLabel | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const number = Number(value);
    return value !== '' && Number.isFinite(number) && String(number) === value ? number : value;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

/**
 * The classes in scikit-learn's order (`np.unique`): numerically when all are numbers, else by code unit of their
 * text. Score arrays are read in this order (column i = probability of class i), as `predict_proba` orders them.
 */
export function sortClasses(values: Iterable<ClassLabel>): ClassLabel[] {
  const unique = [...new Set(values)];
  if (unique.every((v) => typeof v === 'number')) return (unique as number[]).sort((a, b) => a - b);
  return unique.sort((a, b) => {
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * The positive class of a binary problem: the greater of the two classes, as scikit-learn's `roc_auc_score` and
 * `log_loss` take it (`LabelBinarizer`) — 1 over 0, "yes" over "no", "true" over "false".
 * @throws InvalidInputError when there are more than two classes
 */
export function positiveClassOf(sortedClasses: readonly ClassLabel[]): ClassLabel | null {
  if (sortedClasses.length > 2) {
    throw new InvalidInputError(
      'positiveClassOf',
      `a binary problem has at most 2 classes, got ${sortedClasses.length}`
    );
  }
  return sortedClasses[sortedClasses.length - 1] ?? null;
}
