/**
 * MLflow entities as MLflow's REST API returns them (snake_case, protobuf JSON). MLflow omits unset fields,
 * so every field is optional. int64 fields arrive as numbers from `mlflow server` but as strings from some
 * hosted servers, and a NaN/∞ metric value arrives as the string "NaN"/"Infinity": read them with a
 * number parser, never assume the type.
 */

/** An int64 in MLflow JSON: a number, or a decimal string. */
export type Int64 = number | string;
/** A double in MLflow JSON: a number, or "NaN" / "Infinity" / "-Infinity". */
export type Double = number | string;

export interface Tag {
  key?: string;
  value?: string;
}

export type Param = Tag;

export interface Experiment {
  experiment_id?: string;
  name?: string;
  artifact_location?: string;
  /** `active` or `deleted`. */
  lifecycle_stage?: string;
  creation_time?: Int64;
  last_update_time?: Int64;
  tags?: Tag[];
}

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface RunInfo {
  run_id?: string;
  /** Deprecated twin of `run_id`, still sent. */
  run_uuid?: string;
  run_name?: string;
  experiment_id?: string;
  user_id?: string;
  status?: RunStatus | string;
  start_time?: Int64;
  end_time?: Int64;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

export interface Metric {
  key?: string;
  value?: Double;
  timestamp?: Int64;
  step?: Int64;
  /** MLflow 3: the dataset and logged model a metric was computed on. */
  dataset_name?: string;
  dataset_digest?: string;
  model_id?: string;
  run_id?: string;
}

export interface RunData {
  metrics?: Metric[];
  params?: Param[];
  tags?: Tag[];
}

export interface Dataset {
  name?: string;
  digest?: string;
  /** e.g. `local`, `http`, `delta_table`. */
  source_type?: string;
  /** JSON text describing where the data came from. */
  source?: string;
  /** JSON text (MLflow column schema). */
  schema?: string;
  /** JSON text, e.g. `{"num_rows": …, "num_elements": …}`. */
  profile?: string;
}

export interface DatasetInput {
  /** Carries `mlflow.data.context` (training, validation, …). */
  tags?: Tag[];
  dataset?: Dataset;
}

export interface ModelInput {
  model_id?: string;
}

export interface ModelOutput {
  model_id?: string;
  step?: Int64;
}

export interface RunInputs {
  dataset_inputs?: DatasetInput[];
  model_inputs?: ModelInput[];
}

export interface RunOutputs {
  model_outputs?: ModelOutput[];
}

export interface Run {
  info?: RunInfo;
  data?: RunData;
  inputs?: RunInputs;
  outputs?: RunOutputs;
}

export interface RegisteredModelAlias {
  alias?: string;
  version?: string;
}

export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface ModelVersion {
  name?: string;
  version?: string;
  creation_timestamp?: Int64;
  last_updated_timestamp?: Int64;
  user_id?: string;
  /** Deprecated stages: `None`, `Staging`, `Production`, `Archived`. */
  current_stage?: string;
  description?: string;
  /** In MLflow 3 usually `models:/<model_id>`, not a path. */
  source?: string;
  run_id?: string;
  status?: ModelVersionStatus | string;
  status_message?: string;
  tags?: Tag[];
  run_link?: string;
  /** Alias names pointing at this version. model-versions/search always sends []; the client fills them. */
  aliases?: string[];
  /** MLflow 3: the logged model this version was registered from. */
  model_id?: string;
}

export interface RegisteredModel {
  name?: string;
  creation_timestamp?: Int64;
  last_updated_timestamp?: Int64;
  user_id?: string;
  description?: string;
  /** One latest version per stage (deprecated by MLflow in favour of aliases). */
  latest_versions?: ModelVersion[];
  tags?: Tag[];
  aliases?: RegisteredModelAlias[];
}

export type LoggedModelStatus =
  'LOGGED_MODEL_STATUS_UNSPECIFIED' | 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';

export interface LoggedModelRegistration {
  name?: string;
  version?: string;
}

export interface LoggedModelInfo {
  model_id?: string;
  experiment_id?: string;
  name?: string;
  creation_timestamp_ms?: Int64;
  last_updated_timestamp_ms?: Int64;
  artifact_uri?: string;
  status?: LoggedModelStatus | string;
  status_message?: string;
  model_type?: string;
  source_run_id?: string;
  tags?: Tag[];
  /** Registered model versions made from this logged model. */
  registrations?: LoggedModelRegistration[];
}

export interface LoggedModelData {
  params?: Param[];
  metrics?: Metric[];
}

export interface LoggedModel {
  info?: LoggedModelInfo;
  data?: LoggedModelData;
}

export interface FileInfo {
  /** Relative to the listed root, e.g. `shap/values.json`. */
  path?: string;
  is_dir?: boolean;
  file_size?: Int64;
}

/** `view_type` of experiments/search and `run_view_type` of runs/search. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** One `order_by` clause of logged-models/search (it takes objects, not SQL-ish strings). */
export interface LoggedModelOrderBy {
  field_name: string;
  ascending?: boolean;
  dataset_name?: string;
  dataset_digest?: string;
}
