import { FieldType, type PanelData } from '@grafana/data';

/**
 * The sentence Grafana's PanelDataErrorView computes for data a panel cannot draw. @grafana/runtime's default view
 * (the host has no other) shows only the message it is given, so the core panels pass Grafana's text.
 */
export function noDataMessage(data: PanelData, needs: { time?: boolean; number?: boolean } = {}): string {
  const fields = data.series.flatMap((frame) => frame.fields);
  if (fields.length === 0) return 'No data';
  if (needs.time && !fields.some((f) => f.type === FieldType.time)) return 'Data does not have a time field';
  if (needs.number && !fields.some((f) => f.type === FieldType.number || f.type === FieldType.boolean)) {
    return 'No numeric fields found';
  }
  return 'No data';
}
