"""Registers the small fleet models (scripts/seed/fleet_models.py) in MLflow: one training run per version.

Per model: experiment `<model>-training`, one run `train-<logical date>` per version that logs params, the training
dataset, holdout metrics and the scikit-learn pipeline as a LoggedModel registered under the model's name; then
version tags like credit-risk's (`deployed_by`, `validation_status`, `model_type`, `roc_auc`, ...), a description
and the `champion` alias. Idempotent as the credit-risk seed: an experiment tagged `mlsight.seeded=true` is skipped,
a half-seeded one (or the model without its experiment) is refused.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Callable

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature
from sklearn.metrics import accuracy_score, roc_auc_score

from seed import explanations
from seed.fleet_models import FLEET_MODELS, FleetModelSpec, VersionSpec, holdout_rows, train

SEEDED_TAG = 'mlsight.seeded'
# Where credit-risk's pipeline puts them (seed/pipeline.py SHAP_ARTIFACT), so the proxy finds them the same way.
SHAP_ARTIFACT = 'explanations/shap_values.json'
N_EXPLAINED_ROWS = 200
# Explicit requirements: inferring them would re-import the model in a subprocess (slow, and adds nothing here).
PIP_REQUIREMENTS = ['mlflow==3.17.2', 'scikit-learn==1.9.1', 'pandas==3.1.1', 'numpy==2.4.6']

Log = Callable[[str], None]


class PartialSeed(Exception):
    """The server holds part of a fleet model's seed; seeding on top would renumber its versions."""


def model_exists(client: MlflowClient, name: str) -> bool:
    """Whether the registry holds a model of this name (any other MLflow error is raised)."""
    try:
        client.get_registered_model(name)
        return True
    except MlflowException as error:
        if error.error_code == 'RESOURCE_DOES_NOT_EXIST':
            return False
        raise


def _register_version(client: MlflowClient, spec: FleetModelSpec, version: VersionSpec) -> str:
    features = list(spec.features)
    model, rows = train(spec, version)
    holdout = holdout_rows(spec, version)
    proba = model.predict_proba(holdout[features])[:, 1]
    metrics = {
        'accuracy': float(accuracy_score(holdout[spec.target], (proba >= 0.5).astype(int))),
        'roc_auc': float(roc_auc_score(holdout[spec.target], proba)),
    }
    tags = {'mlsight.logical_date': version.logical_date, 'mlflow.note.content': version.description}
    with mlflow.start_run(run_name=f'train-{version.logical_date}', tags=tags):
        dataset = mlflow.data.from_pandas(
            rows,
            source=f's3://mlsight-demo-lake/{spec.name}/train/dt={version.logical_date}/train.parquet',
            name=f'{spec.name}-train-{version.logical_date}',
            targets=spec.target,
        )
        mlflow.log_input(dataset, context='training')
        mlflow.log_params({'model_type': 'logistic_regression', 'C': version.C, 'train_rows': len(rows)})
        info = mlflow.sklearn.log_model(
            model,
            name='model',
            registered_model_name=spec.name,
            # A signature without an input example: an example would make MLflow reload the model to check it.
            signature=infer_signature(rows[features], model.predict_proba(rows[features])[:, 1]),
            pip_requirements=PIP_REQUIREMENTS,
            model_type='classifier',
        )
        for key, value in metrics.items():
            mlflow.log_metric(key, value, model_id=info.model_id)
        # The version's SHAP values (exact for a logistic model), where the explanation queries look for them.
        explained = holdout.head(N_EXPLAINED_ROWS)
        base, values = explanations.linear_exact(model, rows, explained, features)
        ids = [f'{spec.id_prefix}-holdout-{i:04d}' for i in range(len(explained))]
        document = explanations.build_document('linear-exact', base, values, explained, features, ids, len(rows))
        mlflow.set_tag('mlsight.shap_method', 'linear-exact')
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / SHAP_ARTIFACT
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps(document, sort_keys=True))
            mlflow.log_artifact(str(path), artifact_path='explanations')
            client.log_model_artifact(info.model_id, str(path), 'explanations')
    if info.registered_model_version is None:
        raise PartialSeed(f'{spec.name}: log_model did not register a version')
    number = str(info.registered_model_version)
    version_tags = {
        'deployed_by': version.deployed_by,
        'validation_status': 'passed',
        'mlsight.logical_date': version.logical_date,
        'model_type': 'logistic_regression',
        'roc_auc': f'{metrics["roc_auc"]:.4f}',
    }
    for key, value in version_tags.items():
        client.set_model_version_tag(spec.name, number, key, value)
    client.update_model_version(spec.name, number, description=version.description)
    for alias in version.aliases:
        client.set_registered_model_alias(spec.name, alias, number)
    return number


def seed_fleet_model(client: MlflowClient, spec: FleetModelSpec, log: Log) -> bool:
    """Seeds one model's experiment, runs and versions; returns True if they were already there."""
    experiment = client.get_experiment_by_name(spec.experiment)
    if experiment is not None and experiment.tags.get(SEEDED_TAG) == 'true':
        log(f'experiment {spec.experiment!r} is already seeded; skipping {spec.name}')
        return True
    if experiment is not None:
        raise PartialSeed(
            f'experiment {spec.experiment!r} exists but has no {SEEDED_TAG}=true tag (an interrupted seed?)'
        )
    if model_exists(client, spec.name):
        raise PartialSeed(f'registered model {spec.name!r} exists without its seeded experiment {spec.experiment!r}')
    experiment_id = client.create_experiment(
        spec.experiment, tags={'mlsight.demo': 'true', 'mlflow.note.content': f'{spec.name} training (demo).'}
    )
    client.create_registered_model(spec.name, tags=spec.tags, description=spec.description)
    mlflow.set_experiment(experiment_id=experiment_id)
    for version in spec.versions:
        started = time.perf_counter()
        number = _register_version(client, spec, version)
        aliases = f' ({", ".join(version.aliases)})' if version.aliases else ''
        log(f'{spec.name} version {number} registered{aliases} ({time.perf_counter() - started:.1f} s)')
    client.set_experiment_tag(experiment_id, SEEDED_TAG, 'true')
    return False


def seed_fleet_models(client: MlflowClient, log: Log) -> None:
    for spec in FLEET_MODELS:
        seed_fleet_model(client, spec, log)
