import {
  createDataFrame,
  FieldType,
  type AnnotationEvent as GrafanaAnnotationEvent,
  type AnnotationQuery,
  type AnnotationSupport,
  type DataFrame,
} from '@grafana/data';
import { ANNOTATION_KINDS, type AnnotationEvent, type AnnotationKind } from '@mlsight/contract';
import { of } from 'rxjs';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import {
  ANNOTATIONS_QUERY_TYPE,
  isAnnotationQuery,
  type MLSightAnnotationQuery,
  type MLSightDataSourceQuery,
} from './types';

/** Colours per event kind, from Grafana's classic palette: green ships, blue moves, purple trains, red alerts. */
export const ANNOTATION_COLORS: Record<AnnotationKind, string> = {
  deployment: '#73BF69',
  alias_change: '#5794F2',
  retrain: '#B877D9',
  drift_alert: '#F2495C',
};

function isAnnotationKind(value: unknown): value is AnnotationKind {
  return typeof value === 'string' && (ANNOTATION_KINDS as readonly string[]).includes(value);
}

export function defaultAnnotationQuery(refId = 'Anno'): MLSightAnnotationQuery {
  return { refId, queryType: ANNOTATIONS_QUERY_TYPE, kinds: [...ANNOTATION_KINDS] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the proxy's `AnnotationEvent[]`, skipping (not failing on) events without a time or title. */
export function readAnnotationEvents(body: unknown): AnnotationEvent[] {
  if (!Array.isArray(body)) return [];
  const events: AnnotationEvent[] = [];
  for (const item of body) {
    if (!isRecord(item) || typeof item.time !== 'number' || typeof item.title !== 'string') continue;
    if (!isAnnotationKind(item.kind)) continue;
    events.push({
      time: item.time,
      ...(typeof item.timeEnd === 'number' ? { timeEnd: item.timeEnd } : {}),
      title: item.title,
      text: typeof item.text === 'string' ? item.text : '',
      tags: Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string') : [],
      kind: item.kind,
      ...(typeof item.model === 'string' ? { model: item.model } : {}),
      ...(typeof item.version === 'string' ? { version: item.version } : {}),
    });
  }
  return events;
}

/**
 * Events as a frame with the field names Grafana's annotation processing reads (time, timeEnd, title, text, tags),
 * so the layer also works with Grafana's default frame-to-event mapping.
 */
export function annotationsToFrame(events: readonly AnnotationEvent[], refId: string): DataFrame {
  return createDataFrame({
    refId,
    name: 'annotations',
    fields: [
      { name: 'time', type: FieldType.time, values: events.map((e) => e.time) },
      { name: 'timeEnd', type: FieldType.time, values: events.map((e) => e.timeEnd ?? e.time) },
      { name: 'title', type: FieldType.string, values: events.map((e) => e.title) },
      { name: 'text', type: FieldType.string, values: events.map((e) => e.text) },
      { name: 'tags', type: FieldType.other, values: events.map((e) => e.tags) },
      { name: 'kind', type: FieldType.string, values: events.map((e) => e.kind) },
      { name: 'color', type: FieldType.string, values: events.map((e) => ANNOTATION_COLORS[e.kind]) },
    ],
  });
}

/** Frames from `annotationsToFrame` back into Grafana annotation events, coloured by kind. */
export function framesToAnnotationEvents(frames: readonly DataFrame[]): GrafanaAnnotationEvent[] {
  const events: GrafanaAnnotationEvent[] = [];
  for (const frame of frames) {
    const column = (name: string): unknown[] => frame.fields.find((f) => f.name === name)?.values ?? [];
    const [time, timeEnd, title, text, tags, color] = ['time', 'timeEnd', 'title', 'text', 'tags', 'color'].map(column);
    for (let i = 0; i < frame.length; i++) {
      const start = time?.[i];
      if (typeof start !== 'number') continue;
      const end = timeEnd?.[i];
      const rowTags = tags?.[i];
      events.push({
        time: start,
        ...(typeof end === 'number' && end > start ? { timeEnd: end, isRegion: true } : {}),
        title: String(title?.[i] ?? ''),
        text: String(text?.[i] ?? ''),
        tags: Array.isArray(rowTags) ? rowTags.filter((t): t is string => typeof t === 'string') : [],
        ...(typeof color?.[i] === 'string' ? { color: String(color[i]) } : {}),
      });
    }
  }
  return events;
}

/** Annotation layers: the stored layer's target is an annotation query that `DataSource.query` routes to the proxy. */
export function createAnnotationSupport(): AnnotationSupport<MLSightDataSourceQuery> {
  return {
    prepareAnnotation(json: AnnotationQuery<MLSightDataSourceQuery>): AnnotationQuery<MLSightDataSourceQuery> {
      const target = json.target;
      return { ...json, target: target && isAnnotationQuery(target) ? target : defaultAnnotationQuery() };
    },
    prepareQuery(anno) {
      return anno.target && isAnnotationQuery(anno.target) ? anno.target : undefined;
    },
    processEvents(_anno, frames) {
      return of(framesToAnnotationEvents(frames));
    },
    getDefaultQuery: () => defaultAnnotationQuery(),
    QueryEditor: AnnotationQueryEditor,
  };
}
