"""Freeze the training dataset an MLflow run logged (`mlflow.log_input`, `mlflow.data`) as the model version's
reference, with the dataset's digest and the run id, so the reference and the provenance graph's dataset node
(`dataset:<name>@<digest>`, read from the same run's inputs) name the same data.

Needs MLflow (``pip install 'mlsight[mlflow]'``); pandas reads the dataset's source (Parquet needs pyarrow).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .client import Client
from .results import IngestReport

TRAINING_CONTEXT = 'training'


def _mlflow() -> Any:
    try:
        import mlflow
    except ImportError as error:
        raise ImportError('mlsight.mlflow needs MLflow: pip install "mlsight[mlflow]"') from error
    return mlflow


def _context(dataset_input: Any) -> str | None:
    for tag in dataset_input.tags or []:
        if tag.key == 'mlflow.data.context':
            return str(tag.value)
    return None


def training_input(run: Any, dataset_name: str | None = None, context: str = TRAINING_CONTEXT) -> Any:
    """The run's dataset input to freeze: the one named `dataset_name`, else the one logged with `context`, else
    the only one. Raises ValueError naming what the run has when the choice is not clear."""
    inputs = list(run.inputs.dataset_inputs if run.inputs else [])
    if dataset_name is not None:
        chosen = [i for i in inputs if i.dataset.name == dataset_name]
    else:
        chosen = [i for i in inputs if _context(i) == context] or (inputs if len(inputs) == 1 else [])
    if len(chosen) != 1:
        have = ', '.join(f'{i.dataset.name} ({_context(i) or "no context"})' for i in inputs) or 'none'
        want = f'named {dataset_name!r}' if dataset_name else f'with context {context!r}'
        raise ValueError(f'run {run.info.run_id}: expected one dataset input {want}; it has: {have}')
    return chosen[0]


def _load(dataset_input: Any) -> Any:
    """The dataset's rows as a DataFrame, downloaded from its source (a local path, an artifact, HTTP, …)."""
    import pandas as pd

    local = Path(str(_mlflow().data.get_source(dataset_input).load()))
    if local.suffix in ('.parquet', '.pq'):
        return pd.read_parquet(local)
    if local.suffix == '.csv':
        return pd.read_csv(local)
    if local.suffix in ('.json', '.jsonl', '.ndjson'):
        return pd.read_json(local, lines=local.suffix != '.json')
    raise ValueError(f'cannot read the dataset source {local} (Parquet, CSV or JSON): pass data= instead')


def _registered_version(tracking: Any, run_id: str, model: str | None) -> tuple[str, str | None]:
    versions = tracking.search_model_versions(f"run_id = '{run_id}'")
    matching = [v for v in versions if model is None or v.name == model]
    if model is None and len({v.name for v in matching}) != 1:
        names = sorted({v.name for v in matching}) or ['none']
        raise ValueError(f'run {run_id}: registered as {", ".join(names)}; pass model= to choose one')
    if not matching:
        assert model is not None
        return model, None
    newest = max(matching, key=lambda v: int(v.version))
    return str(newest.name), str(newest.version)


def log_reference(
    run: Any,
    client: Client,
    *,
    model: str | None = None,
    version: str | int | None = None,
    data: Any = None,
    dataset_name: str | None = None,
    context: str = TRAINING_CONTEXT,
    tracking_uri: str | None = None,
    **set_reference: Any,
) -> IngestReport:
    """Freezes the training dataset of an MLflow run as the reference of the model version trained in it.

    Args:
        run: an ``mlflow.entities.Run`` or a run id (the run that logged the training dataset with
            ``mlflow.log_input(dataset, context="training")`` and whose model was registered).
        client: where to send it.
        model / version: default: the model version registered from this run (the newest if several).
        data: the training DataFrame when it is at hand; it must have the logged dataset's digest (checked the way
            MLflow computes it). Default: read from the dataset's source.
        dataset_name / context: which of the run's dataset inputs (default: the one with context "training").
        set_reference: passed on to Client.set_reference (``kinds``, ``label_column``, ``prediction_column``, …):
            name the dataset's target column with ``label_column`` (MLflow's run record does not keep it).
    """
    mlflow = _mlflow()
    tracking = mlflow.MlflowClient(tracking_uri)
    if isinstance(run, str):
        run = tracking.get_run(run)
    run_id = str(run.info.run_id)
    chosen = training_input(run, dataset_name, context)
    digest = str(chosen.dataset.digest)
    if data is None:
        data = _load(chosen)
    else:
        actual = mlflow.data.from_pandas(data).digest
        if actual != digest:
            raise ValueError(
                f'data is not the dataset {chosen.dataset.name!r} logged in run {run_id}: digest {actual} != {digest}'
            )
    if model is None or version is None:
        found_model, found_version = _registered_version(tracking, run_id, model)
        model = model or found_model
        version = version if version is not None else found_version
    return client.set_reference(model, data, version, mlflow_run_id=run_id, dataset_digest=digest, **set_reference)
