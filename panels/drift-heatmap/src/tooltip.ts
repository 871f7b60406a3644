import { dateTimeFormat } from '@grafana/data';
import { formatFieldValue } from '../../shared/src/frameFields';
import { cellOf } from './heatCells';
import type { HeatmapModel } from './heatmapModel';

export interface TooltipLine {
  label: string;
  value: string;
}

const fmtNumber = (v: number | null, digits = 3): string => (v === null ? '–' : v.toPrecision(digits));
const fmtShare = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

/** The facts a cell's tooltip shows, as label/value pairs (rendered as text, never as HTML). */
export function tooltipLines(model: HeatmapModel, row: number, col: number, timeZone?: string): TooltipLine[] {
  const r = model.rows[row];
  const cell = r && cellOf(r.cells, col);
  const start = model.times[col];
  if (!r || !cell || start === undefined) return [];
  const format = (t: number) => dateTimeFormat(t, { timeZone });
  const bucket = `${format(start)} – ${format(start + model.bucketMs)}`;
  const rows = { label: 'Rows', value: cell.rows === null ? '–' : String(cell.rows) };
  const lowSample = cell.lowSample ? [{ label: 'Note', value: `fewer than ${model.minSampleSize} rows` }] : [];
  if (model.mode === 'category') {
    const change = cell.value === null || r.referenceShare === null ? null : cell.value - r.referenceShare;
    return [
      { label: 'Feature', value: model.feature ?? '' },
      { label: 'Category', value: r.marker ? `${r.label} (${r.marker})` : r.label },
      { label: 'Bucket', value: bucket },
      { label: 'Share', value: fmtShare(cell.value) },
      { label: 'Reference share', value: fmtShare(r.referenceShare) },
      { label: 'Change', value: change === null ? '–' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} pp` },
      rows,
      ...lowSample,
    ];
  }
  return [
    { label: 'Feature', value: r.label },
    { label: 'Bucket', value: bucket },
    { label: 'Method', value: r.method || '–' },
    { label: 'Score', value: formatFieldValue(r.field, cell.value) },
    // The cell's own threshold (calibrated to its sample size), in the score's unit and decimals (the panel's
    // standard options), so the two compare at a glance.
    { label: 'Threshold', value: formatFieldValue(r.field, cell.threshold ?? r.threshold) },
    { label: 'p-value', value: fmtNumber(cell.pValue) },
    { label: 'Drift', value: cell.drifted ? 'yes' : 'no' },
    rows,
    ...lowSample,
  ];
}
