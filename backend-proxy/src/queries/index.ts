import type { QueryType } from '@mlsight/contract';
import type { QueryHandler, QueryHandlers } from './context';
import { deploymentsHandler } from './deployments';
import {
  categoryDriftHandler,
  datasetDriftHandler,
  driftHeatmapHandler,
  driftTrendHandler,
  featureDriftHandler,
} from './drift/driftHandlers';
import { NotAvailableError } from './errors';
import { kpisHandler } from './kpis';
import { metricHistoryHandler } from './metricHistory';
import { modelVersionsHandler } from './modelVersions';
import { pipelineRunsHandler } from './pipelineRuns';
import { provenanceHandler } from './provenance';
import { runsHandler } from './runs';

/** Store-backed types whose handlers are not in this build yet: they answer 501 with a sentence, never blank. */
const pendingStore =
  <T extends QueryType>(type: T): QueryHandler<T> =>
  async () => {
    throw new NotAvailableError(type, 'this proxy version does not compute it yet');
  };

export const queryHandlers: QueryHandlers = {
  drift_heatmap: driftHeatmapHandler,
  feature_drift: featureDriftHandler,
  category_drift: categoryDriftHandler,
  dataset_drift: datasetDriftHandler,
  drift_trend: driftTrendHandler,
  performance: pendingStore('performance'),
  estimated_performance: pendingStore('estimated_performance'),
  data_quality: pendingStore('data_quality'),
  explanations_global: pendingStore('explanations_global'),
  explanations_local: pendingStore('explanations_local'),
  explanation_drift: pendingStore('explanation_drift'),
  fairness: pendingStore('fairness'),
  champion_challenger: pendingStore('champion_challenger'),
  provenance: provenanceHandler,
  pipeline_runs: pipelineRunsHandler,
  runs: runsHandler,
  metric_history: metricHistoryHandler,
  model_versions: modelVersionsHandler,
  deployments: deploymentsHandler,
  kpis: kpisHandler,
};

export type { QueryContext, QueryHandler, QueryHandlers } from './context';
export { QueryError, NotAvailableError } from './errors';
