import {
  getLabeledPredictions,
  getPrediction,
  getPredictions,
  getRawFeatureValues,
  getReferenceRows,
  getReferenceValues,
} from './readRows';
import { dataGeneration, getReference, lastIngestAt, listFeatures, listModels, listSegments } from './readCatalog';
import { getFeatureSketches, planSketchBuckets } from './readSketches';
import { getPerformanceSummaries } from './readPerformance';
import { getFleetPerformanceSummaries, getFleetSketches } from './readFleet';
import { ingestLabels } from './ingestLabels';
import { ingestPredictions } from './ingestPredictions';
import { putReference } from './ingestReference';
import { prune } from './prune';
import type { SqlClient } from './sql';
import { StoreContext } from './storeContext';
import type { DriftStore, StoreOptions } from './types';

export { STORE_DEFAULTS } from './storeContext';

/**
 * The drift store on any SqlClient: validation, columnar raw rows, duplicate detection, sketches and reads are
 * written once (one module per operation); the engines only provide SQL execution and locking.
 */
export class SqlDriftStore implements DriftStore {
  readonly engine: 'sqlite' | 'postgres';
  private readonly ctx: StoreContext;

  constructor(db: SqlClient, options: StoreOptions = {}) {
    this.engine = db.dialect;
    this.ctx = new StoreContext(db, options);
  }

  putReference: DriftStore['putReference'] = (model, input, opts) => putReference(this.ctx, model, input, opts);
  ingestPredictions: DriftStore['ingestPredictions'] = (model, rows, opts) =>
    ingestPredictions(this.ctx, model, rows, opts);
  ingestLabels: DriftStore['ingestLabels'] = (model, rows, opts) => ingestLabels(this.ctx, model, rows, opts);
  getReference: DriftStore['getReference'] = (model, version) => getReference(this.ctx, model, version);
  getFeatureSketches: DriftStore['getFeatureSketches'] = (query) => getFeatureSketches(this.ctx, query);
  getRawFeatureValues: DriftStore['getRawFeatureValues'] = (query) => getRawFeatureValues(this.ctx, query);
  getReferenceValues: DriftStore['getReferenceValues'] = (model, feature, opts) =>
    getReferenceValues(this.ctx, model, feature, opts);
  getReferenceRows: DriftStore['getReferenceRows'] = (model, opts) => getReferenceRows(this.ctx, model, opts);
  getPredictions: DriftStore['getPredictions'] = (query) => getPredictions(this.ctx, query);
  getLabeledPredictions: DriftStore['getLabeledPredictions'] = (query) => getLabeledPredictions(this.ctx, query);
  getPerformanceSummaries: DriftStore['getPerformanceSummaries'] = (query) => getPerformanceSummaries(this.ctx, query);
  getFleetSketches: DriftStore['getFleetSketches'] = (query) => getFleetSketches(this.ctx, query);
  getFleetPerformanceSummaries: DriftStore['getFleetPerformanceSummaries'] = (query) =>
    getFleetPerformanceSummaries(this.ctx, query);
  getPrediction: DriftStore['getPrediction'] = (model, id) => getPrediction(this.ctx, model, id);
  listModels: DriftStore['listModels'] = () => listModels(this.ctx);
  listFeatures: DriftStore['listFeatures'] = (model, version) => listFeatures(this.ctx, model, version);
  listSegments: DriftStore['listSegments'] = (model) => listSegments(this.ctx, model);
  lastIngestAt: DriftStore['lastIngestAt'] = (model) => lastIngestAt(this.ctx, model);
  dataGeneration: DriftStore['dataGeneration'] = (model) => dataGeneration(this.ctx, model);
  planSketchBuckets: DriftStore['planSketchBuckets'] = (query) => planSketchBuckets(this.ctx, query);
  prune: DriftStore['prune'] = (nowMs) => prune(this.ctx, nowMs);

  async ping(): Promise<void> {
    await this.ctx.db.read((tx) => tx.all('SELECT 1 AS ok'));
  }

  async close(): Promise<void> {
    await this.ctx.db.close();
  }
}
