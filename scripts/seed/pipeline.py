"""The credit-risk training pipeline as MLflow users log it: one parent run per scheduled run, one nested run per step.

ingest -> validate -> featurize -> train -> evaluate -> register. Each step logs its params, metrics, dataset inputs
and artifacts; train logs a scikit-learn pipeline with `mlflow.sklearn.log_model(registered_model_name=...)`, so
MLflow 3 creates a LoggedModel and a model version whose source is `models:/<model_id>`. A step that fails sets the
`mlsight.error` tag and ends FAILED, and so does its parent; later steps never start.

Run times are the real times of seeding; the pipeline's logical date (the data snapshot it trains on) is in its name
and in the `mlsight.logical_date` tag, as schedulers such as Airflow name backfilled runs.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import mlflow
import mlflow.sklearn
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import LoggedModelInput, Metric
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss, precision_score, recall_score, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from seed import explanations
from seed.data import (
    CATEGORICAL_FEATURES,
    FEATURES,
    ID_COLUMN,
    NUMERIC_FEATURES,
    TARGET,
    Population,
    generate_applications,
    split_holdout,
)

STEPS: tuple[str, ...] = ('ingest', 'validate', 'featurize', 'train', 'evaluate', 'register')
SHAP_ARTIFACT = 'explanations/shap_values.json'
N_ROWS = 5000
HOLDOUT_SHARE = 0.2
MAX_MISSING_RATE = 0.05
N_EXPLAINED_ROWS = 200
N_PERMUTATIONS = 64
LAKE = 's3://mlsight-demo-lake/credit-risk'
# Explicit requirements: inferring them would re-import the model in a subprocess (slow, and adds nothing here).
PIP_REQUIREMENTS = ['mlflow==3.17.2', 'scikit-learn==1.9.1', 'pandas==3.1.1', 'numpy==2.4.6']

Log = Callable[[str], None]


@dataclass(frozen=True)
class PipelineSpec:
    """One scheduled pipeline run: its data snapshot, its model, and who ships the result."""

    logical_date: str
    seed: int
    population: Population
    model_type: str  # 'logistic_regression' | 'gradient_boosting'
    hyperparams: dict[str, Any]
    deployed_by: str
    description: str
    aliases: tuple[str, ...] = ()

    @property
    def run_name(self) -> str:
        return f'pipeline-{self.logical_date}'


PIPELINES: tuple[PipelineSpec, ...] = (
    PipelineSpec(
        logical_date='2026-10-01',
        seed=101,
        population=Population(notes='baseline population'),
        model_type='logistic_regression',
        hyperparams={'C': 0.05, 'max_iter': 1000},
        deployed_by='jane.doe',
        description='Baseline logistic regression (C=0.05) trained on the 2026-10-01 snapshot.',
        aliases=('champion',),
    ),
    PipelineSpec(
        logical_date='2026-10-15',
        seed=102,
        population=Population(income_scale=1.03, region_probs=(0.21, 0.24, 0.20, 0.19, 0.16), notes='mild drift'),
        model_type='logistic_regression',
        hyperparams={'C': 1.0, 'max_iter': 1000},
        deployed_by='omar.haddad',
        description='Logistic regression (C=1.0) retrained on the 2026-10-15 snapshot; promoted to champion.',
        aliases=('champion',),
    ),
    PipelineSpec(
        logical_date='2026-11-01',
        seed=103,
        population=Population(
            income_scale=1.06,
            credit_score_shift=-8.0,
            region_probs=(0.18, 0.30, 0.19, 0.18, 0.15),
            employment_probs=(0.58, 0.18, 0.19, 0.05),
            notes='income up, credit scores down, more contract workers in the south',
        ),
        model_type='gradient_boosting',
        hyperparams={'n_estimators': 150, 'max_depth': 3, 'learning_rate': 0.05, 'subsample': 0.8},
        deployed_by='li.wei',
        description='Gradient boosting (150 trees, depth 3) on the 2026-11-01 snapshot; shadows the champion.',
        aliases=('challenger',),
    ),
    PipelineSpec(
        logical_date='2026-11-15',
        seed=104,
        # A broken credit bureau feed: validate rejects it, so this pipeline ends FAILED and registers nothing.
        population=Population(credit_score_missing_rate=0.3, notes='broken credit bureau feed'),
        model_type='gradient_boosting',
        hyperparams={'n_estimators': 150, 'max_depth': 3, 'learning_rate': 0.05, 'subsample': 0.8},
        deployed_by='li.wei',
        description='Never registered: the credit bureau feed lost credit_score for a third of the rows.',
    ),
)


class StepFailed(Exception):
    """A pipeline step refused its input; the pipeline stops there."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step


@dataclass
class PipelineState:
    """What the steps hand each other within one pipeline run."""

    spec: PipelineSpec
    model_name: str
    parent_run_id: str
    raw: pd.DataFrame = field(default_factory=pd.DataFrame)
    train: pd.DataFrame = field(default_factory=pd.DataFrame)
    holdout: pd.DataFrame = field(default_factory=pd.DataFrame)
    datasets: dict[str, Any] = field(default_factory=dict)
    model: Pipeline | None = None
    model_id: str | None = None
    version: str | None = None
    evaluation: dict[str, float] = field(default_factory=dict)


def _dataset(frame: pd.DataFrame, kind: str, date: str) -> Any:
    return mlflow.data.from_pandas(
        frame,
        source=f'{LAKE}/{kind}/dt={date}/{kind}.parquet',
        name=f'credit-{kind}-{date}',
        targets=TARGET,
    )


def _write_json(directory: Path, relative: str, payload: Any) -> Path:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, sort_keys=True))
    return path


def _log_json(relative: str, payload: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_json(Path(tmp), relative, payload)
        mlflow.log_artifact(str(path), artifact_path=str(Path(relative).parent))


def _step_ingest(state: PipelineState) -> None:
    spec = state.spec
    state.raw = generate_applications(spec.seed, N_ROWS, spec.population, id_prefix=spec.logical_date)
    state.datasets['applications'] = _dataset(state.raw, 'applications', spec.logical_date)
    mlflow.log_input(state.datasets['applications'], context='training')
    mlflow.log_params({'source': f'{LAKE}/applications/dt={spec.logical_date}', 'seed': spec.seed, 'n_rows': N_ROWS})
    mlflow.log_metrics(
        {
            'rows_ingested': float(len(state.raw)),
            'columns': float(state.raw.shape[1]),
            'default_rate': float(state.raw[TARGET].mean()),
        }
    )
    _log_json(
        'ingest/manifest.json',
        {'logical_date': spec.logical_date, 'rows': len(state.raw), 'columns': list(state.raw.columns)},
    )


def _step_validate(state: PipelineState) -> None:
    mlflow.log_input(state.datasets['applications'], context='validation')
    mlflow.log_params({'max_missing_rate': MAX_MISSING_RATE, 'checks': 'schema,missing,range,target'})
    raw = state.raw
    missing = {f: float(raw[f].isna().mean()) for f in FEATURES}
    violations = [
        f'{f} missing rate {rate:.3f} > {MAX_MISSING_RATE}' for f, rate in missing.items() if rate > MAX_MISSING_RATE
    ]
    scores = raw['credit_score'].dropna()
    if ((scores < 300) | (scores > 850)).any():
        violations.append('credit_score outside [300, 850]')
    if not set(raw[TARGET].unique()) <= {0, 1}:
        violations.append(f'{TARGET} is not binary')
    mlflow.log_metrics({f'missing_rate.{f}': rate for f, rate in missing.items()})
    mlflow.log_metrics({'rows_checked': float(len(raw)), 'violations': float(len(violations))})
    _log_json('validation/report.json', {'passed': not violations, 'violations': violations, 'missing_rate': missing})
    if violations:
        message = 'data validation failed: ' + '; '.join(violations)
        mlflow.set_tag('mlsight.error', message)
        raise StepFailed('validate', message)


def _step_featurize(state: PipelineState) -> None:
    spec = state.spec
    mlflow.log_input(state.datasets['applications'], context='training')
    state.train, state.holdout = split_holdout(state.raw, seed=spec.seed + 1000, holdout_share=HOLDOUT_SHARE)
    state.datasets['train'] = _dataset(state.train, 'train', spec.logical_date)
    state.datasets['holdout'] = _dataset(state.holdout, 'holdout', spec.logical_date)
    categories = {c: sorted(state.raw[c].unique().tolist()) for c in CATEGORICAL_FEATURES}
    mlflow.log_params(
        {
            'holdout_share': HOLDOUT_SHARE,
            'split_seed': spec.seed + 1000,
            'numeric_scaler': 'standard',
            'categorical_encoder': 'one-hot',
        }
    )
    mlflow.log_metrics(
        {
            'n_train': float(len(state.train)),
            'n_holdout': float(len(state.holdout)),
            'n_features_in': float(len(FEATURES)),
            'n_features_out': float(len(NUMERIC_FEATURES) + sum(len(v) for v in categories.values())),
            'train_default_rate': float(state.train[TARGET].mean()),
            'holdout_default_rate': float(state.holdout[TARGET].mean()),
        }
    )
    _log_json(
        'features/feature_spec.json',
        {'numeric': list(NUMERIC_FEATURES), 'categorical': categories, 'target': TARGET, 'id': ID_COLUMN},
    )
    # The split itself, so a monitoring reference profile can be rebuilt from MLflow alone.
    with tempfile.TemporaryDirectory() as tmp:
        for kind, frame in (('train', state.train), ('holdout', state.holdout)):
            path = Path(tmp) / f'{kind}.csv'
            frame.to_csv(path, index=False)
            mlflow.log_artifact(str(path), artifact_path='data')


def _make_model(spec: PipelineSpec) -> Pipeline:
    prep = ColumnTransformer(
        [
            ('num', StandardScaler(), list(NUMERIC_FEATURES)),
            ('cat', OneHotEncoder(handle_unknown='ignore'), list(CATEGORICAL_FEATURES)),
        ]
    )
    if spec.model_type == 'logistic_regression':
        clf: Any = LogisticRegression(**spec.hyperparams)
    elif spec.model_type == 'gradient_boosting':
        clf = GradientBoostingClassifier(random_state=spec.seed, **spec.hyperparams)
    else:
        raise ValueError(f'unknown model_type {spec.model_type!r}')
    return Pipeline([('prep', prep), ('clf', clf)])


def _log_history(key: str, values: np.ndarray) -> None:
    """One metric per step in a single request (what a training loop logs, without a call per step)."""
    run = mlflow.active_run()
    if run is None:
        raise RuntimeError('_log_history needs an active run')
    start = int(time.time() * 1000)
    metrics = [Metric(key, float(v), start + i, i) for i, v in enumerate(values)]
    MlflowClient().log_batch(run.info.run_id, metrics=metrics)


def _explain(state: PipelineState, model: Pipeline) -> dict[str, Any]:
    rows = state.holdout.head(N_EXPLAINED_ROWS)
    features = list(FEATURES)
    if isinstance(model[-1], LogisticRegression):
        mlflow.set_tag('mlsight.shap_method', 'linear-exact')
        base, values = explanations.linear_exact(model, state.train, rows, features)
        return explanations.build_document(
            'linear-exact', base, values, rows, features, rows[ID_COLUMN].tolist(), len(state.train)
        )
    mlflow.set_tag('mlsight.shap_method', 'permutation-sampling')
    base, values = explanations.permutation_sampling(
        model, state.train, rows, features, N_PERMUTATIONS, seed=state.spec.seed
    )
    return explanations.build_document(
        'permutation-sampling',
        base,
        values,
        rows,
        features,
        rows[ID_COLUMN].tolist(),
        N_PERMUTATIONS,
        n_permutations=N_PERMUTATIONS,
    )


def _step_train(state: PipelineState) -> None:
    spec = state.spec
    features = list(FEATURES)
    mlflow.log_input(state.datasets['train'], context='training')
    mlflow.log_params({'model_type': spec.model_type, **spec.hyperparams})
    model = _make_model(spec).fit(state.train[features], state.train[TARGET])
    info = mlflow.sklearn.log_model(
        model,
        name='model',
        registered_model_name=state.model_name,
        input_example=state.train[features].head(5),
        pip_requirements=PIP_REQUIREMENTS,
        params={'model_type': spec.model_type, **{k: str(v) for k, v in spec.hyperparams.items()}},
        tags={'mlsight.logical_date': spec.logical_date, 'mlsight.pipeline_run_id': state.parent_run_id},
        model_type='classifier',
        # skops refuses to reload tree nodes unless told; we just built this model, so we vouch for it.
        skops_trusted_types=['sklearn.tree._tree.Tree'] if spec.model_type == 'gradient_boosting' else None,
    )
    state.model, state.model_id = model, info.model_id
    state.version = None if info.registered_model_version is None else str(info.registered_model_version)

    proba = model.predict_proba(state.train[features])[:, 1]
    for key, value in (
        ('train_log_loss', log_loss(state.train[TARGET], proba)),
        ('train_roc_auc', roc_auc_score(state.train[TARGET], proba)),
    ):
        mlflow.log_metric(key, float(value), model_id=info.model_id, dataset=state.datasets['train'])
    clf = model[-1]
    if isinstance(clf, GradientBoostingClassifier):
        _log_history('train_loss', clf.train_score_)
    elif isinstance(clf, LogisticRegression):
        mlflow.log_metric('n_iter', float(np.max(clf.n_iter_)))

    with tempfile.TemporaryDirectory() as tmp:
        path = _write_json(Path(tmp), SHAP_ARTIFACT, _explain(state, model))
        mlflow.log_artifact(str(path), artifact_path='explanations')
        MlflowClient().log_model_artifact(info.model_id, str(path), 'explanations')


def _step_evaluate(state: PipelineState) -> None:
    if state.model is None or state.model_id is None:
        raise StepFailed('evaluate', 'no trained model')
    features = list(FEATURES)
    holdout = state.holdout
    mlflow.log_input(state.datasets['holdout'], context='evaluation')
    mlflow.log_input(model=LoggedModelInput(state.model_id))
    mlflow.log_params({'threshold': 0.5, 'model_id': state.model_id})
    proba = state.model.predict_proba(holdout[features])[:, 1]
    predicted = (proba >= 0.5).astype(np.int64)
    actual = holdout[TARGET].to_numpy()
    state.evaluation = {
        'accuracy': float(accuracy_score(actual, predicted)),
        'precision': float(precision_score(actual, predicted, zero_division=0)),
        'recall': float(recall_score(actual, predicted, zero_division=0)),
        'f1': float(f1_score(actual, predicted, zero_division=0)),
        'roc_auc': float(roc_auc_score(actual, proba)),
        'log_loss': float(log_loss(actual, proba)),
    }
    for key, value in state.evaluation.items():
        mlflow.log_metric(key, value, model_id=state.model_id, dataset=state.datasets['holdout'])
    clf = state.model[-1]
    if isinstance(clf, GradientBoostingClassifier):
        transformed = state.model[0].transform(holdout[features])
        staged = [log_loss(actual, p[:, 1]) for p in clf.staged_predict_proba(transformed)]
        _log_history('holdout_loss', np.asarray(staged))
    tn = int(((predicted == 0) & (actual == 0)).sum())
    fp = int(((predicted == 1) & (actual == 0)).sum())
    fn = int(((predicted == 0) & (actual == 1)).sum())
    tp = int(((predicted == 1) & (actual == 1)).sum())
    _log_json('evaluation/confusion_matrix.json', {'labels': [0, 1], 'matrix': [[tn, fp], [fn, tp]], 'threshold': 0.5})


def _step_register(state: PipelineState) -> None:
    spec = state.spec
    if state.version is None:
        raise StepFailed('register', 'log_model did not create a model version')
    client = MlflowClient()
    mlflow.log_params({'model_name': state.model_name, 'version': state.version, 'aliases': ','.join(spec.aliases)})
    tags = {
        'deployed_by': spec.deployed_by,
        'validation_status': 'passed',
        'mlsight.logical_date': spec.logical_date,
        'mlsight.pipeline_run_id': state.parent_run_id,
        'model_type': spec.model_type,
        'roc_auc': f"{state.evaluation['roc_auc']:.4f}",
    }
    for key, value in tags.items():
        client.set_model_version_tag(state.model_name, state.version, key, value)
    client.update_model_version(state.model_name, state.version, description=spec.description)
    for alias in spec.aliases:
        client.set_registered_model_alias(state.model_name, alias, state.version)
    mlflow.log_metric('registered_version', float(state.version))


_STEP_FUNCTIONS: dict[str, Callable[[PipelineState], None]] = {
    'ingest': _step_ingest,
    'validate': _step_validate,
    'featurize': _step_featurize,
    'train': _step_train,
    'evaluate': _step_evaluate,
    'register': _step_register,
}


def run_pipeline(spec: PipelineSpec, experiment_id: str, model_name: str, log: Log) -> PipelineState:
    """Log one pipeline run (parent + nested step runs) into `experiment_id`; returns what it produced.

    A failing step ends FAILED with an `mlsight.error` tag, the parent ends FAILED with the same tag and
    `mlsight.failed_step`; the exception does not escape (a failed pipeline run is part of the demo).
    """
    mlflow.set_experiment(experiment_id=experiment_id)
    common_tags = {'mlsight.pipeline': spec.run_name, 'mlsight.logical_date': spec.logical_date}
    parent_tags = {**common_tags, 'mlflow.note.content': spec.description}
    with mlflow.start_run(run_name=spec.run_name, tags=parent_tags) as parent:
        state = PipelineState(spec=spec, model_name=model_name, parent_run_id=parent.info.run_id)
        mlflow.log_params({'logical_date': spec.logical_date, 'model_type': spec.model_type, 'model_name': model_name})
        try:
            for index, step in enumerate(STEPS):
                started = time.perf_counter()
                tags = {**common_tags, 'mlsight.step': step, 'mlsight.step_index': str(index)}
                with mlflow.start_run(run_name=step, nested=True, tags=tags):
                    _STEP_FUNCTIONS[step](state)
                log(f'{spec.run_name} {step} ok ({time.perf_counter() - started:.1f} s)')
        except StepFailed as failure:
            log(f'{spec.run_name} {failure.step} FAILED: {failure}')
            error = f'step {failure.step} failed: {failure}'
            mlflow.set_tags({'mlsight.error': error, 'mlsight.failed_step': failure.step})
            mlflow.end_run('FAILED')
            return state
        if state.version is not None:
            mlflow.set_tags({'mlsight.model_version': state.version, 'mlsight.model_id': state.model_id or ''})
    return state
