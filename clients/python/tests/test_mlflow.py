"""mlsight.mlflow.log_reference with a real MLflow tracking store (SQLite, in process) and the real proxy."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from mlsight import Client
from mlsight.mlflow import log_reference
from proxy import INGEST_TOKEN, Proxy

mlflow = pytest.importorskip('mlflow')
pd = pytest.importorskip('pandas')
pytest.importorskip('pyarrow')


@pytest.fixture
def trained(tmp_path: Path) -> dict[str, Any]:
    """A run that logged its training dataset (Parquet on disk) and registered its model as credit-py v1."""
    uri = f'sqlite:///{tmp_path / "mlflow.db"}'
    mlflow.set_tracking_uri(uri)
    frame = pd.DataFrame(
        {'age': [20 + i % 40 for i in range(300)], 'region': ['nesw'[i % 4] for i in range(300)],
         'default': [i % 3 == 0 for i in range(300)]}
    )
    source = tmp_path / 'train.parquet'
    frame.to_parquet(source)
    with mlflow.start_run() as run:
        mlflow.log_input(
            mlflow.data.from_pandas(frame, source=str(source), name='credit-train', targets='default'),
            context='training',
        )
    tracking = mlflow.MlflowClient(uri)
    tracking.create_registered_model('credit-py')
    tracking.create_model_version('credit-py', source=f'runs:/{run.info.run_id}/model', run_id=run.info.run_id)
    logged = tracking.get_run(run.info.run_id).inputs.dataset_inputs[0].dataset
    return {'uri': uri, 'run_id': run.info.run_id, 'frame': frame, 'digest': logged.digest}


def stored_reference(proxy: Proxy) -> tuple[str, str | None, str | None, int]:
    with sqlite3.connect(proxy.db) as db:
        row = db.execute(
            'SELECT version, mlflow_run_id, dataset_digest, row_count FROM reference_profiles ORDER BY id DESC LIMIT 1'
        ).fetchone()
    return (str(row[0]), row[1], row[2], int(row[3]))


def test_log_reference_freezes_the_runs_training_dataset_with_its_digest_for_the_registered_version(
    proxy: Proxy, trained: dict[str, Any]
) -> None:
    client = Client(proxy.url, INGEST_TOKEN)
    report = log_reference(trained['run_id'], client, tracking_uri=trained['uri'], label_column='default')
    assert report.accepted == 300 and report.reference is not None
    assert report.reference['reference']['version'] == '1'
    assert [f['name'] for f in report.reference['reference']['features']] == ['age', 'region']
    assert stored_reference(proxy) == ('1', trained['run_id'], trained['digest'], 300)


def test_a_dataframe_that_is_not_the_logged_dataset_is_refused(proxy: Proxy, trained: dict[str, Any]) -> None:
    other = trained['frame'].assign(age=trained['frame']['age'] + 1)
    with pytest.raises(ValueError, match='is not the dataset'):
        log_reference(trained['run_id'], Client(proxy.url, INGEST_TOKEN), data=other, tracking_uri=trained['uri'])
    report = log_reference(
        trained['run_id'], Client(proxy.url, INGEST_TOKEN), data=trained['frame'], tracking_uri=trained['uri'],
        label_column='default',
    )
    assert report.accepted == 300
