import type { DataFrame, Field } from '@grafana/data';
import { EXPLANATION_FRAME, LOCAL_EXPLANATION_FRAME } from '@mlsight/contract';
import { fieldNamed, finiteOrNull, metaCustomOf } from '../../shared/src/frameFields';
import type { View } from './types';

/** One bar: the value drawn, the reference beside it (global) and the feature's input value (local). */
export interface BarItem {
  feature: string;
  value: number;
  /** Mean signed attribution (global, optional). */
  signed: number | null;
  reference: number | null;
  featureValue: string | null;
  /** Features summed into an "others" bar; 1 for a plain feature. */
  count: number;
}

/** `valueField`: the field the bars draw (its display processor, min/max and thresholds are the panel's). */
export type Explanation =
  | { kind: 'global'; items: BarItem[]; hasReference: boolean; valueField: Field }
  | {
      kind: 'local';
      items: BarItem[];
      baseValue: number;
      prediction: number;
      predictionId: string;
      valueField: Field;
    };

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function readGlobal(frame: DataFrame): Explanation | undefined {
  const f = EXPLANATION_FRAME;
  const feature = fieldNamed(frame, f.feature);
  const value = fieldNamed(frame, f.value);
  if (!feature || !value) return undefined;
  const signed = fieldNamed(frame, f.signedValue);
  const reference = fieldNamed(frame, f.reference);
  const items: BarItem[] = [];
  for (let i = 0; i < frame.length; i++) {
    const v = finiteOrNull(value.values[i]);
    if (v === null) continue;
    items.push({
      feature: text(feature.values[i]),
      value: v,
      signed: signed ? finiteOrNull(signed.values[i]) : null,
      reference: reference ? finiteOrNull(reference.values[i]) : null,
      featureValue: null,
      count: 1,
    });
  }
  return { kind: 'global', items, hasReference: reference !== undefined, valueField: value };
}

function readLocal(frame: DataFrame): Explanation | undefined {
  const f = LOCAL_EXPLANATION_FRAME;
  const feature = fieldNamed(frame, f.feature);
  const attribution = fieldNamed(frame, f.attribution);
  const meta = metaCustomOf(frame);
  const baseValue = finiteOrNull(meta.baseValue);
  if (!feature || !attribution || baseValue === null) return undefined;
  const featureValue = fieldNamed(frame, f.featureValue);
  const items: BarItem[] = [];
  for (let i = 0; i < frame.length; i++) {
    const v = finiteOrNull(attribution.values[i]);
    if (v === null) continue;
    const input = featureValue ? text(featureValue.values[i]) : '';
    items.push({
      feature: text(feature.values[i]),
      value: v,
      signed: v,
      reference: null,
      featureValue: input || null,
      count: 1,
    });
  }
  const sum = items.reduce((s, it) => s + it.value, baseValue);
  return {
    kind: 'local',
    items,
    baseValue,
    prediction: finiteOrNull(meta.prediction) ?? sum,
    predictionId: text(meta.predictionId),
    valueField: attribution,
  };
}

const isLocal = (frame: DataFrame) =>
  frame.name === LOCAL_EXPLANATION_FRAME.name || fieldNamed(frame, LOCAL_EXPLANATION_FRAME.attribution) !== undefined;

/**
 * Reads the panel's frames: a local explanation (`explanations_local`) or global importances
 * (`explanations_global`, or `explanation_drift` with the reference column). Undefined when nothing usable came.
 */
export function readExplanation(frames: DataFrame[], view: View): Explanation | undefined {
  const local = frames.find(isLocal);
  const global = frames.filter((f) => !isLocal(f)).find((f) => fieldNamed(f, EXPLANATION_FRAME.value) !== undefined);
  const result =
    view === 'local' || (view === 'auto' && local) ? local && readLocal(local) : global && readGlobal(global);
  return result && result.items.length > 0 ? result : undefined;
}
