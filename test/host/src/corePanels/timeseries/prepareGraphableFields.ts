import {
  FieldType,
  applyNullInsertThreshold,
  getDisplayProcessor,
  isBooleanUnit,
  nullToValue,
  type DataFrame,
  type Field,
  type GrafanaTheme2,
  type TimeRange,
} from '@grafana/data';
import { LineInterpolation, type GraphFieldConfig } from '@grafana/schema';

/** Non-finite numbers (NaN, ±Inf from Prometheus) become gaps: uPlot draws only numbers and nulls. */
function finiteOrNull(field: Field): Field {
  const values: unknown[] = field.values;
  if (values.every((v) => v === null || v === undefined || Number.isFinite(v))) return field;
  return { ...field, values: values.map((v) => (v === null || v === undefined || Number.isFinite(v) ? v : null)) };
}

/** Booleans are drawn as 0/1 steps with the `bool` unit, as Grafana does. */
function booleanAsNumber(field: Field, theme: GrafanaTheme2): Field {
  const custom: GraphFieldConfig = { ...(field.config.custom ?? {}) };
  if (custom.lineInterpolation !== LineInterpolation.StepBefore) custom.lineInterpolation = LineInterpolation.StepAfter;
  const config = { ...field.config, min: 0, max: 1, custom };
  const copy: Field = {
    ...field,
    config,
    type: FieldType.number,
    values: field.values.map((v: unknown) => (v === null || v === undefined ? v : v ? 1 : 0)),
  };
  if (!isBooleanUnit(config.unit)) {
    config.unit = 'bool';
    copy.display = getDisplayProcessor({ field: copy, theme });
  }
  return copy;
}

/** Grafana's `setClassicPaletteIdxs`: series numbered across frames, so the classic palette gives each its colour. */
function numberSeries(frames: DataFrame[], theme: GrafanaTheme2): void {
  let seriesIndex = 0;
  for (const frame of frames) {
    frame.fields.forEach((field, fieldIndex) => {
      if (fieldIndex === 0 || field.type !== FieldType.number) return;
      field.state = { ...field.state, seriesIndex: seriesIndex++ };
      field.display = getDisplayProcessor({ field, theme });
    });
  }
}

/**
 * What Grafana's time-series panel does to the query runner's frames before drawing them
 * (`prepareGraphableFields` in timeseries/utils.ts, without enum fields and numeric x): nulls inserted where a
 * field's `interval` says points are missing, non-finite numbers made gaps, booleans drawn as 0/1; a frame is kept
 * only if it has a time field and a value field. Both the proxy's wide frames (time + one field per series) and
 * Prometheus' one-frame-per-series answers pass through unchanged otherwise. Returns null when nothing is graphable,
 * the case the panel reports as "Data does not have a time field" / "No numeric fields found".
 */
export function prepareGraphableFields(
  series: DataFrame[],
  theme: GrafanaTheme2,
  timeRange?: TimeRange
): DataFrame[] | null {
  const frames: DataFrame[] = [];
  for (const frame of series) {
    const nulled = applyNullInsertThreshold({
      frame,
      refFieldPseudoMin: timeRange?.from.valueOf(),
      refFieldPseudoMax: timeRange?.to.valueOf(),
    });
    let hasTime = false;
    let hasValue = false;
    const fields: Field[] = [];
    for (const field of nullToValue(nulled).fields) {
      if (field.type === FieldType.time) {
        hasTime = true;
        fields.push(field);
      } else if (field.type === FieldType.number) {
        hasValue = true;
        fields.push(finiteOrNull(field));
      } else if (field.type === FieldType.boolean) {
        hasValue = true;
        fields.push(booleanAsNumber(field, theme));
      } else if (field.type === FieldType.string) {
        fields.push(field);
      }
    }
    if (hasTime && hasValue) frames.push({ ...frame, length: nulled.length, fields });
  }
  if (frames.length === 0) return null;
  numberSeries(frames, theme);
  return frames;
}
