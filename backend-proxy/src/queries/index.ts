import type { QueryHandlers } from './context';
import { deploymentsHandler } from './deployments';
import {
  categoryDriftHandler,
  datasetDriftHandler,
  driftHeatmapHandler,
  driftTrendHandler,
  featureDriftHandler,
} from './drift/driftHandlers';
import { targetDriftHandler } from './drift/targetDrift';
import { multivariateDriftHandler } from './drift/multivariateDrift';
import { explanationDriftHandler, explanationsGlobalHandler, explanationsLocalHandler } from './explanations';
import { fleetHandler } from './fleet';
import { kpisHandler } from './kpis';
import { metricHistoryHandler } from './metricHistory';
import { modelVersionsHandler } from './modelVersions';
import { championChallengerHandler, estimatedPerformanceHandler, performanceHandler } from './performance';
import { pipelineRunsHandler } from './pipelineRuns';
import { predictionsHandler } from './predictions';
import { provenanceHandler } from './provenance';
import { dataQualityHandler, fairnessHandler } from './quality';
import { runsHandler } from './runs';

export const queryHandlers: QueryHandlers = {
  drift_heatmap: driftHeatmapHandler,
  feature_drift: featureDriftHandler,
  category_drift: categoryDriftHandler,
  dataset_drift: datasetDriftHandler,
  drift_trend: driftTrendHandler,
  prediction_drift: targetDriftHandler,
  label_drift: targetDriftHandler,
  multivariate_drift: multivariateDriftHandler,
  performance: performanceHandler,
  estimated_performance: estimatedPerformanceHandler,
  data_quality: dataQualityHandler,
  explanations_global: explanationsGlobalHandler,
  explanations_local: explanationsLocalHandler,
  explanation_drift: explanationDriftHandler,
  fairness: fairnessHandler,
  champion_challenger: championChallengerHandler,
  provenance: provenanceHandler,
  pipeline_runs: pipelineRunsHandler,
  runs: runsHandler,
  metric_history: metricHistoryHandler,
  model_versions: modelVersionsHandler,
  deployments: deploymentsHandler,
  kpis: kpisHandler,
  predictions: predictionsHandler,
  fleet: fleetHandler,
};

export type { QueryContext, QueryHandler, QueryHandlers } from './context';
export { QueryError, NotAvailableError } from './errors';
