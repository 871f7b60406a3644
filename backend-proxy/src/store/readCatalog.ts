import type { StoreContext } from './storeContext';
import type { FeatureInfo, ModelSummary, ReferenceProfile, SegmentInfo } from './types';

/** The reference a version resolves to (its own, else the model default); undefined without one. */
export async function getReference(
  ctx: StoreContext,
  model: string,
  version?: string
): Promise<ReferenceProfile | undefined> {
  const modelId = await ctx.modelIdFor(model);
  if (modelId === undefined) return undefined;
  const frozen = await ctx.db.read((tx) => ctx.resolveReference(tx, model, modelId, version));
  return frozen?.profile;
}

/** Every model with its current reference per version. */
export async function listModels(ctx: StoreContext): Promise<ModelSummary[]> {
  return ctx.db.read(async (tx) => {
    const models = await tx.all<{ id: number; name: string; created_at: number; last_ingest_at: number | null }>(
      'SELECT id, name, created_at, last_ingest_at FROM models ORDER BY name'
    );
    const refs = await tx.all<{
      model_id: number;
      id: number;
      version: string;
      created_at: number;
      row_count: number;
    }>(
      `SELECT model_id, id, version, created_at, row_count FROM reference_profiles
         WHERE id IN (SELECT MAX(id) FROM reference_profiles GROUP BY model_id, version) ORDER BY model_id, version`
    );
    return models.map((m) => ({
      model: m.name,
      createdAtMs: Number(m.created_at),
      lastIngestAtMs: m.last_ingest_at === null ? null : Number(m.last_ingest_at),
      references: refs
        .filter((r) => Number(r.model_id) === Number(m.id))
        .map((r) => ({
          id: Number(r.id),
          version: r.version === '' ? null : r.version,
          createdAtMs: Number(r.created_at),
          rowCount: Number(r.row_count),
        })),
    }));
  });
}

/** Profiled features of the resolved reference, in reference order. */
export async function listFeatures(ctx: StoreContext, model: string, version?: string): Promise<FeatureInfo[]> {
  const reference = await getReference(ctx, model, version);
  if (!reference) return [];
  return Object.entries(reference.features).map(([name, p]) => ({ name, kind: p.kind }));
}

/** Segment fields seen in predictions and their first 1000 values. */
export async function listSegments(ctx: StoreContext, model: string): Promise<SegmentInfo[]> {
  const modelId = await ctx.modelIdFor(model);
  if (modelId === undefined) return [];
  const rows = await ctx.db.read((tx) =>
    tx.all<{ field: string; value: string }>(
      'SELECT field, value FROM segment_values WHERE model_id = ? ORDER BY field, value',
      [modelId]
    )
  );
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const values = out.get(r.field) ?? [];
    values.push(r.value);
    out.set(r.field, values);
  }
  return [...out].map(([field, values]) => ({ field, values }));
}

/** When the model last received rows (epoch ms), null when never. */
export async function lastIngestAt(ctx: StoreContext, model: string): Promise<number | null> {
  const rows = await ctx.db.read((tx) =>
    tx.all<{ last_ingest_at: number | null }>('SELECT last_ingest_at FROM models WHERE name = ?', [model])
  );
  const v = rows[0]?.last_ingest_at;
  return v === null || v === undefined ? null : Number(v);
}

/**
 * A number that grows with every committed write to the model (predictions, labels, reference); undefined for an
 * unknown model. Equal generations mean equal stored data, so a cached answer keyed by it is still right.
 */
export async function dataGeneration(ctx: StoreContext, model: string): Promise<number | undefined> {
  const rows = await ctx.db.read((tx) =>
    tx.all<{ data_generation: number | string }>('SELECT data_generation FROM models WHERE name = ?', [model])
  );
  const v = rows[0]?.data_generation;
  return v === undefined ? undefined : Number(v);
}
