import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Loads the scipy / Evidently reference values: runs reference_stats.py once with the project's Python venv.

export type RawValue = number | string | boolean | null;
export type Num = number | 'inf' | '-inf' | 'nan';

export interface Fixture {
  name: string;
  kind: 'numeric' | 'categorical';
  reference: RawValue[];
  current: RawValue[];
}

export interface Verdict {
  score: Num;
  drifted: boolean;
}

export interface NumericExpected {
  n: [number, number];
  ks: { statistic: Num; pValue: Num; method: 'exact' | 'asymp' };
  wasserstein: Num;
  wassersteinNormed: Num;
  std: Num;
  quantileEdges: Num[];
  quantile: { psi: Num; jensenshannon: Num; hellinger: Num; linf: Num };
  evidently: { psi: Verdict; jensenshannon: Verdict; hellinger: Verdict };
}

export interface CategoricalExpected {
  n: [number, number];
  keys: string[];
  chisquare?: { statistic: Num; pValue: Num };
  /** scipy.spatial.distance.jensenshannon in its default base e (Evidently's scale). */
  jensenshannonNats: Num;
  linf: Num;
  evidently: { psi: Verdict; jensenshannon: Verdict; hellinger: Verdict; ztest: Verdict; chisquare?: Verdict };
}

export interface AutoExpected {
  method: string;
  threshold: Num;
  score: Num;
  drifted: boolean;
}

export interface ReferenceData {
  fixtures: Fixture[];
  expected: Record<string, NumericExpected | CategoricalExpected>;
  auto: Record<string, AutoExpected>;
  dataset: {
    reference: Record<string, RawValue[]>;
    current: Record<string, RawValue[]>;
    kinds: Record<string, 'numeric' | 'categorical'>;
    columns: Record<string, AutoExpected>;
    dataset: { share: Num; count: number; drifted: boolean };
  };
  grids: {
    gamma: Array<[number, number, Num, Num]>;
    gammaln: Array<[number, Num]>;
    chi2: Array<[number, number, Num]>;
    erfc: Array<[number, Num, Num]>;
    ndtr: Array<[number, Num]>;
    kstwo: Array<[number, number, Num]>;
    smirnov: Array<[number, number, Num]>;
    ks: Array<{ a: RawValue[]; b: RawValue[]; statistic: Num; pValue: Num; method: 'exact' | 'asymp' }>;
    bh: Array<{ p: number[]; adjusted: number[] }>;
    kinds: Record<string, { values: RawValue[]; kind: string }>;
  };
}

const ROOT = join(__dirname, '..', '..');

/** Runs the reference script (fixed seeds) and parses its JSON. */
export async function loadReferenceData(): Promise<ReferenceData> {
  const python = process.env.MLSIGHT_PYTHON ?? join(ROOT, '.venv', 'bin', 'python');
  const { stdout } = await promisify(execFile)(python, [join(__dirname, 'reference_stats.py')], {
    cwd: __dirname,
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout) as ReferenceData;
}

/** Decodes the script's encoding of non-finite floats. */
export function num(x: Num): number {
  if (x === 'inf') return Infinity;
  if (x === '-inf') return -Infinity;
  if (x === 'nan') return NaN;
  return x;
}

/** A raw row value as the proxy receives it: the script writes ±Infinity as strings. */
export function rowValue(x: RawValue): RawValue {
  if (x === 'inf') return Infinity;
  if (x === '-inf') return -Infinity;
  return x;
}

/** Finite numbers of a numeric fixture column (what scipy/Evidently compute on). */
export function finiteNumbers(values: RawValue[]): number[] {
  return values.map(rowValue).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** |actual − expected| ≤ tol · max(1, |expected|); infinities must match exactly. */
export function relClose(actual: number, expected: number, tol: number): boolean {
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}
