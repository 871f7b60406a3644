import {
  buildFrame,
  type DataFrameJSON,
  type FieldInput,
  PREDICTION_ROWS_FRAME as F,
  PREDICTIONS_DEFAULT_LIMIT,
  predictionFeatureField,
  type QueryOf,
  withNotice,
} from '@mlsight/contract';
import type { ColumnProfile, PredictionRecord, ReferenceProfile } from '../../store';
import type { QueryContext } from '../context';
import { parseSegment, requireStore } from '../drift/driftWindows';
import { QueryError } from '../errors';
import { storeVersionOf } from '../explanations/storeVersion';
import { tableColumn } from './columnValues';
import { labelsById } from './labelsById';

type PredictionsQuery = QueryOf<'predictions'>;

/** The feature columns to show: the query's, each checked against the reference, else every reference feature. */
function chosenFeatures(query: PredictionsQuery, reference: ReferenceProfile): Array<[string, ColumnProfile]> {
  const names = query.features ?? Object.keys(reference.features).sort();
  return names.map((feature) => {
    const column = reference.features[feature];
    if (!column)
      throw new QueryError(`features: "${feature}" is not in the reference profile of "${query.model}"`, 404);
    return [feature, column];
  });
}

function featureField(feature: string, column: ColumnProfile, rows: readonly PredictionRecord[]): FieldInput {
  const values = tableColumn(
    rows.map((r) => r.features[feature]),
    column.kind
  );
  return { name: predictionFeatureField(feature), ...values, config: { displayName: feature } };
}

/**
 * `predictions`: the stored prediction rows of the range, earliest first — the rows behind a drift cell — as one
 * table: time, id, version, the chosen feature columns, prediction, score and the label (null until it arrives,
 * joined by prediction id). At most `limit` rows; one more is read to know whether the range held more, which a
 * notice then says.
 */
export async function predictionsHandler(query: PredictionsQuery, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  const version = await storeVersionOf(query, ctx);
  const reference = await store.getReference(query.model, version);
  if (!reference) {
    throw new QueryError(
      `model "${query.model}" has no reference profile in the drift store; send one with PUT /api/v1/models/${query.model}/reference`,
      404
    );
  }
  const features = chosenFeatures(query, reference);
  const limit = query.limit ?? PREDICTIONS_DEFAULT_LIMIT;
  const segment = parseSegment(query.segment);
  const rows = await store.getPredictions({
    model: query.model,
    ...(version !== undefined ? { version } : {}),
    ...(segment ? { segment } : {}),
    fromMs: ctx.window.fromMs,
    toMs: ctx.window.toMs,
    limit: limit + 1,
  });
  const cut = rows.length > limit;
  if (cut) rows.length = limit;
  const labels = await labelsById(store, { model: query.model, version }, rows);

  let frame = buildFrame({
    name: F.name,
    meta: {
      preferredVisualisationType: 'table',
      custom: { version: version ?? null, limit, truncated: cut, segment: query.segment ?? null },
    },
    fields: [
      { name: F.time, type: 'time', values: rows.map((r) => r.timestampMs) },
      { name: F.predictionId, type: 'string', values: rows.map((r) => r.predictionId) },
      { name: F.version, type: 'string', values: rows.map((r) => r.version) },
      ...features.map(([feature, column]) => featureField(feature, column, rows)),
      {
        name: F.prediction,
        ...tableColumn(
          rows.map((r) => r.prediction),
          reference.prediction?.kind
        ),
      },
      {
        name: F.score,
        ...tableColumn(
          rows.map((r) => r.score),
          undefined
        ),
      },
      {
        name: F.label,
        ...tableColumn(
          rows.map((r) => labels.get(r.predictionId) ?? null),
          reference.label?.kind
        ),
      },
    ],
  });
  if (cut) {
    frame = withNotice(frame, {
      severity: 'info',
      text: `the range holds more than ${limit} predictions: these are the first ${limit} rows of the range (narrow the range or raise limit)`,
    });
  } else if (rows.length === 0) {
    frame = withNotice(frame, { severity: 'info', text: 'no stored predictions in the range' });
  }
  return [frame];
}
