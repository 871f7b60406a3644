import type { DataFrame } from '@grafana/data';
import { fromContract } from '../../../shared/src/testing/contractFrames';
import { buildExplanationFrame, buildLocalExplanationFrame, type ExplanationRow } from '@mlsight/contract';

/** Deterministic pseudo-random numbers (a linear congruential generator), so fixtures are stable. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function globalFrame(n: number, withReference = false, seed = 7): DataFrame {
  const rnd = lcg(seed);
  const rows: ExplanationRow[] = Array.from({ length: n }, (_, i) => {
    const signed = rnd() - 0.4;
    return {
      feature: `f${String(i).padStart(3, '0')}`,
      value: Math.abs(signed) + rnd() * 0.1,
      signedValue: signed,
      ...(withReference ? { reference: rnd() * 0.5 } : {}),
    };
  });
  return fromContract(buildExplanationFrame(rows));
}

export const LOCAL_ROWS = [
  { feature: 'income', attribution: 0.3, featureValue: '52000' },
  { feature: 'age', attribution: -0.12, featureValue: '41' },
  { feature: 'tenure', attribution: 0.05 },
  { feature: 'plan', attribution: -0.02, featureValue: 'basic' },
];

export function localFrame(baseValue = 0.4, prediction?: number): DataFrame {
  const sum = LOCAL_ROWS.reduce((s, r) => s + r.attribution, baseValue);
  return fromContract(
    buildLocalExplanationFrame(LOCAL_ROWS, { predictionId: 'p-17', baseValue, prediction: prediction ?? sum })
  );
}
