import { FieldType, getFieldDisplayName, type DataFrame, type Field } from '@grafana/data';
import {
  CATEGORY_DRIFT_FRAME,
  CATEGORY_STATUSES,
  DRIFT_HEATMAP_FRAME,
  type CategoryStatus,
  type DriftDirection,
} from '@mlsight/contract';
import { customOf, finiteOrNull, metaCustomOf } from '../../shared/src/frameFields';
import { emptyCells, type HeatCells } from './heatCells';
import type { HeatmapMode } from './types';

export interface HeatRow {
  label: string;
  method: string;
  threshold: number | null;
  /** Category mode: share in the reference; null in drift mode. */
  referenceShare: number | null;
  marker: CategoryStatus | null;
  field: Field;
  cells: HeatCells;
}

export interface HeatmapModel {
  mode: 'drift' | 'category';
  times: number[];
  bucketMs: number;
  minSampleSize: number;
  /** Category mode: the categorical feature drawn. */
  feature: string | null;
  rows: HeatRow[];
}

/**
 * How far a score is into drift: 0 = none, 1 = exactly at the threshold. Distances scale linearly; p-values
 * (drift when below the threshold) on a log scale, so p = 1 is 0 and p = threshold is 1.
 * @returns null when the score or threshold cannot be read
 */
export function driftSeverity(
  score: number | null,
  threshold: number | null,
  direction: DriftDirection
): number | null {
  if (score === null || threshold === null || threshold <= 0) return null;
  if (direction === 'above') return Math.max(0, score) / threshold;
  if (threshold >= 1) return null;
  if (score >= 1) return 0;
  return score <= 0 ? Number.POSITIVE_INFINITY : Math.log(score) / Math.log(threshold);
}

/** Whether a score is drift under its threshold (p-values drift when strictly below). */
export function isDrifted(score: number | null, threshold: number | null, direction: DriftDirection): boolean {
  if (score === null || threshold === null) return false;
  return direction === 'above' ? score >= threshold : score < threshold;
}

/** A per-bucket list from a field's config (rows, p-values), or an empty one when the config has none. */
const listOf = (list: unknown): readonly unknown[] => (Array.isArray(list) ? list : []);

function timeValues(frame: DataFrame): number[] | undefined {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  return time ? Array.from(time.values, (v) => finiteOrNull(v) ?? Number.NaN) : undefined;
}

function bucketWidth(frame: DataFrame, times: number[]): number {
  const fromMeta = finiteOrNull(metaCustomOf(frame).bucketMs);
  if (fromMeta !== null && fromMeta > 0) return fromMeta;
  const steps = times
    .slice(1)
    .map((t, i) => t - (times[i] ?? t))
    .filter((d) => d > 0);
  return steps.length > 0 ? Math.min(...steps) : 3_600_000;
}

function isDriftFrame(frame: DataFrame): boolean {
  return (
    frame.name === DRIFT_HEATMAP_FRAME.name ||
    frame.fields.some((f) => f.name === DRIFT_HEATMAP_FRAME.score && f.labels?.[DRIFT_HEATMAP_FRAME.featureLabel])
  );
}

function isCategoryFrame(frame: DataFrame): boolean {
  return (
    frame.name === CATEGORY_DRIFT_FRAME.name ||
    frame.fields.some((f) => f.name === CATEGORY_DRIFT_FRAME.share && f.labels?.[CATEGORY_DRIFT_FRAME.categoryLabel])
  );
}

function readDrift(frame: DataFrame, frames: DataFrame[]): HeatmapModel | undefined {
  const times = timeValues(frame);
  if (!times) return undefined;
  const minSampleSize = finiteOrNull(metaCustomOf(frame).minSampleSize) ?? 0;
  const rows = frame.fields
    .filter((f) => f.type === FieldType.number)
    .map<HeatRow>((field) => {
      const custom = customOf(field);
      const threshold = finiteOrNull(custom.threshold);
      const direction: DriftDirection = custom.direction === 'below' ? 'below' : 'above';
      const rowCounts = listOf(custom.rows);
      const pValues = listOf(custom.pValues);
      // Calibrated frames carry each bucket's own threshold and verdict; older frames one threshold for all.
      const thresholds = Array.isArray(custom.thresholds) ? custom.thresholds : null;
      const verdicts = Array.isArray(custom.drifted) ? custom.drifted : null;
      const cells = emptyCells(times.length);
      for (let i = 0; i < times.length; i++) {
        const value = finiteOrNull(field.values[i]);
        const own = thresholds ? finiteOrNull(thresholds[i]) : threshold;
        const severity = driftSeverity(value, own, direction);
        const rows = finiteOrNull(rowCounts[i]);
        if (value !== null) cells.value[i] = value;
        if (own !== null) cells.threshold[i] = own;
        if (severity !== null) cells.intensity[i] = Math.min(1, severity / 2);
        if (verdicts ? verdicts[i] === true : isDrifted(value, own, direction)) cells.drifted[i] = 1;
        if (rows !== null) cells.rows[i] = rows;
        if (rows !== null && rows < minSampleSize) cells.lowSample[i] = 1;
        cells.pValue[i] = finiteOrNull(pValues[i]) ?? Number.NaN;
      }
      const method = typeof custom.method === 'string' ? custom.method : '';
      const label = getFieldDisplayName(field, frame, frames);
      return { label, method, threshold, referenceShare: null, marker: null, field, cells };
    });
  return { mode: 'drift', times, bucketMs: bucketWidth(frame, times), minSampleSize, feature: null, rows };
}

function statusOf(field: Field): CategoryStatus {
  const status = field.labels?.[CATEGORY_DRIFT_FRAME.statusLabel];
  return (CATEGORY_STATUSES as readonly string[]).includes(status ?? '') ? (status as CategoryStatus) : 'stable';
}

function readCategory(frame: DataFrame, frames: DataFrame[]): HeatmapModel | undefined {
  const times = timeValues(frame);
  if (!times) return undefined;
  const minSampleSize = finiteOrNull(metaCustomOf(frame).minSampleSize) ?? 0;
  const fields = frame.fields.filter((f) => f.type === FieldType.number);
  const deltas = fields.map((field) => {
    const reference = finiteOrNull(customOf(field).referenceShare) ?? 0;
    return Float64Array.from(times, (_, i) => (finiteOrNull(field.values[i]) ?? Number.NaN) - reference);
  });
  // The colour scale spans the largest change seen (at least one percentage point, so noise stays pale).
  let maxAbs = 0.01;
  for (const row of deltas) for (const d of row) if (!Number.isNaN(d)) maxAbs = Math.max(maxAbs, Math.abs(d));
  const rows = fields.map<HeatRow>((field, r) => {
    const custom = customOf(field);
    const rowCounts = listOf(custom.rows);
    const cells = emptyCells(times.length);
    for (let i = 0; i < times.length; i++) {
      const rowCount = finiteOrNull(rowCounts[i]);
      cells.value[i] = finiteOrNull(field.values[i]) ?? Number.NaN;
      cells.intensity[i] = (deltas[r]?.[i] ?? Number.NaN) / maxAbs;
      if (rowCount !== null) cells.rows[i] = rowCount;
      if (rowCount !== null && rowCount < minSampleSize) cells.lowSample[i] = 1;
    }
    const label = field.labels?.[CATEGORY_DRIFT_FRAME.categoryLabel] ?? getFieldDisplayName(field, frame, frames);
    const marker = statusOf(field);
    return {
      label,
      method: 'share',
      threshold: null,
      referenceShare: finiteOrNull(custom.referenceShare),
      marker: marker === 'stable' ? null : marker,
      field,
      cells,
    };
  });
  const feature = metaCustomOf(frame).feature;
  return {
    mode: 'category',
    times,
    bucketMs: bucketWidth(frame, times),
    minSampleSize,
    feature: typeof feature === 'string' ? feature : (fields[0]?.labels?.[CATEGORY_DRIFT_FRAME.featureLabel] ?? null),
    rows,
  };
}

/**
 * Reads the panel's frames into a heatmap model: the `category_drift` frame in category mode, the `drift_heatmap`
 * frame in drift mode; `auto` prefers a category frame. Frames without a time field or number fields give
 * undefined (the panel then shows Grafana's no-data view).
 */
export function readHeatmap(frames: DataFrame[], mode: HeatmapMode): HeatmapModel | undefined {
  const category = frames.find(isCategoryFrame);
  const drift = frames.find(isDriftFrame) ?? frames.find((f) => f !== category && f.fields.length > 1);
  const model =
    mode === 'category' || (mode === 'auto' && category)
      ? category && readCategory(category, frames)
      : drift && readDrift(drift, frames);
  if (!model || model.rows.length === 0 || model.times.length === 0) return undefined;
  return model;
}
