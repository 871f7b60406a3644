import type { QueryType } from '@mlsight/contract';
import type { ComponentType } from 'react';
import { DriftEditor } from './DriftEditor';
import { FleetEditor } from './FleetEditor';
import { ImportanceEditor, LocalExplanationEditor } from './ExplanationEditors';
import { MetricHistoryEditor, PipelineRunsEditor, ProvenanceEditor, RunsEditor } from './MlflowEditors';
import {
  ChampionChallengerEditor,
  DataQualityEditor,
  FairnessEditor,
  KpisEditor,
  ModelOnlyEditor,
  PerformanceEditor,
  PredictionsEditor,
} from './ModelEditors';
import { MultivariateDriftEditor } from './MultivariateDriftEditor';
import type { TypeEditorProps } from './types';

/** One editor per query type: adding a type to the contract breaks the build until it has an editor here. */
export const QUERY_EDITORS: Record<QueryType, ComponentType<TypeEditorProps>> = {
  drift_heatmap: DriftEditor,
  feature_drift: DriftEditor,
  category_drift: DriftEditor,
  dataset_drift: DriftEditor,
  drift_trend: DriftEditor,
  prediction_drift: DriftEditor,
  label_drift: DriftEditor,
  multivariate_drift: MultivariateDriftEditor,
  performance: PerformanceEditor,
  estimated_performance: PerformanceEditor,
  data_quality: DataQualityEditor,
  explanations_global: ImportanceEditor,
  explanations_local: LocalExplanationEditor,
  explanation_drift: ImportanceEditor,
  fairness: FairnessEditor,
  champion_challenger: ChampionChallengerEditor,
  provenance: ProvenanceEditor,
  pipeline_runs: PipelineRunsEditor,
  runs: RunsEditor,
  metric_history: MetricHistoryEditor,
  model_versions: ModelOnlyEditor,
  deployments: ModelOnlyEditor,
  kpis: KpisEditor,
  predictions: PredictionsEditor,
  fleet: FleetEditor,
};
