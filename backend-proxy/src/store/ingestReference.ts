import type { ReferenceResult, RowError } from '@mlsight/contract';
import { buildValueColumn } from './chunks';
import { buildReferenceInSlices, MISSING } from './profile';
import { resketchRawRows } from './resketch';
import { finish, type StoreContext, type StoredProfileJson, TxCaches } from './storeContext';
import type { IngestOptions, IngestOutcome, ReferenceInput } from './types';
import { checkReferenceRow, isRowError, type ReferenceRowInput } from './validate';

/**
 * `PUT …/reference`: checks the rows, freezes the profile (kinds, edges, categories, counts) and stores it with the
 * first rows (up to the cap) for exact tests. A later PUT for the same model and version replaces it for new data.
 */
export async function putReference(
  ctx: StoreContext,
  model: string,
  input: ReferenceInput,
  opts: IngestOptions = {}
): Promise<IngestOutcome<ReferenceResult>> {
  const nowMs = opts.nowMs ?? Date.now();
  const errors: RowError[] = [];
  const valid: ReferenceRowInput[] = [];
  for (let i = 0; i < input.rows.length; i++) {
    const checked = checkReferenceRow(input.rows[i], i);
    if (isRowError(checked)) errors.push(checked);
    else valid.push(checked);
  }
  // In slices: profiling 2,000 features of many rows would hold the event loop for seconds.
  const built = await buildReferenceInSlices(valid, {
    kinds: input.kinds,
    predictionKind: input.predictionKind,
    labelKind: input.labelKind,
    maxCategories: ctx.opts.maxCategories,
  });
  errors.push(...built.errors);
  const version = input.version ?? '';
  const emptyReference = { id: 0, version: input.version ?? null, rowCount: 0, storedRows: 0, features: [] };
  if (opts.atomic && errors.length > 0) {
    const result = { ...finish(errors, 0, 0), reference: emptyReference, notices: built.notices };
    return { result, replayed: false, refused: true };
  }
  if (built.rows.length === 0) {
    const result = { ...finish(errors, 0, 0), reference: emptyReference, notices: built.notices };
    return { result, replayed: false, refused: true, refusal: 'the reference has no valid row; nothing was stored' };
  }

  const modelId = await ctx.ensureModel(model, nowMs);
  const caches = new TxCaches();
  const outcome = await ctx.db.transaction(
    async (tx) => {
      const replayed = await ctx.replay<ReferenceResult>(tx, modelId, 'reference', opts);
      if (replayed) return replayed;
      const storedRows = Math.min(built.rows.length, ctx.opts.referenceRowCap);
      const profileJson: StoredProfileJson = {
        features: built.features,
        prediction: built.prediction,
        label: built.label,
      };
      const inserted = await tx.all<{ id: number }>(
        `INSERT INTO reference_profiles
           (model_id, version, mlflow_run_id, dataset_digest, created_at, row_count, stored_rows, profile)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          modelId,
          version,
          input.mlflowRunId ?? null,
          input.datasetDigest ?? null,
          nowMs,
          built.rows.length,
          storedRows,
          JSON.stringify(profileJson),
        ]
      );
      const referenceId = Number(inserted[0]?.id);
      const frozen = await ctx.loadReference(tx, model, referenceId);
      if (!frozen) throw new Error('reference vanished inside its own transaction');
      const kept = built.rows.slice(0, storedRows);
      const columns = frozen.features.map((c) => buildValueColumn(c, kept, (r) => r.features[c.name] ?? MISSING));
      if (frozen.prediction) columns.push(buildValueColumn(frozen.prediction, kept, (r) => r.prediction));
      if (frozen.label) columns.push(buildValueColumn(frozen.label, kept, (r) => r.label));
      await tx.insertMany(
        'reference_columns',
        [
          { name: 'reference_id', type: 'bigint' },
          { name: 'role', type: 'text' },
          { name: 'name', type: 'text' },
          { name: 'encoding', type: 'text' },
          { name: 'data', type: 'blob' },
        ],
        columns.map((c) => [referenceId, c.role, c.name, c.encoding, c.data])
      );
      const resketched = await resketchRawRows(ctx, tx, modelId, frozen, version, nowMs, caches);
      await tx.run('UPDATE models SET last_ingest_at = ?, data_generation = data_generation + 1 WHERE id = ?', [
        nowMs,
        modelId,
      ]);
      const result: ReferenceResult = {
        ...finish(errors, built.rows.length, 0),
        reference: {
          id: referenceId,
          version: input.version ?? null,
          rowCount: built.rows.length,
          storedRows,
          features: Object.entries(built.features).map(([name, p]) =>
            p.kind === 'numeric'
              ? { name, kind: p.kind, count: p.count, missing: p.missing, min: p.min, max: p.max }
              : { name, kind: p.kind, count: p.count, missing: p.missing, categories: p.categories.length }
          ),
        },
        notices:
          resketched > 0
            ? [
                ...built.notices,
                `${resketched} stored prediction rows of the raw retention were counted again on this reference's bins`,
              ]
            : built.notices,
      };
      await ctx.remember(tx, modelId, 'reference', opts, result, nowMs);
      return { result, replayed: false, refused: false };
    },
    [modelId]
  );
  ctx.publish(caches);
  return outcome;
}
