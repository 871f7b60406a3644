import type { Locator } from '@playwright/test';
import { cellText } from '../host/src/cellText';

/** A frame reduced to what the host's table shows: field names and cell texts. */
export interface FrameTable {
  fields: string[];
  rows: string[][];
}

const MAX_ROWS = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The frames of one refId in the proxy's `/api/v1/query` answer, as tables. */
export function proxyFrames(body: unknown, refId: string): FrameTable[] {
  if (!isRecord(body) || !isRecord(body.results)) throw new Error(`not a query response: ${JSON.stringify(body)}`);
  const result = body.results[refId];
  if (!isRecord(result) || !Array.isArray(result.frames))
    throw new Error(`no frames for ${refId}: ${JSON.stringify(result)}`);
  return result.frames.map((frame: unknown) => {
    if (!isRecord(frame) || !isRecord(frame.schema) || !Array.isArray(frame.schema.fields))
      throw new Error('bad frame');
    const fields = frame.schema.fields.map((f: unknown) => (isRecord(f) ? String(f.name) : ''));
    const values = isRecord(frame.data) && Array.isArray(frame.data.values) ? (frame.data.values as unknown[][]) : [];
    const length = Math.min(values[0]?.length ?? 0, MAX_ROWS);
    const rows = Array.from({ length }, (_, row) => fields.map((_f, col) => cellText(values[col]?.[row])));
    return { fields, rows };
  });
}

/** What the host's table of a frame shows. */
export async function domFrame(table: Locator): Promise<FrameTable> {
  return table.evaluate((element) => ({
    fields: Array.from(element.querySelectorAll('thead th')).map((th) => (th as HTMLElement).dataset.field ?? ''),
    rows: Array.from(element.querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')
    ),
  }));
}
