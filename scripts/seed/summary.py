"""The seed summary (`--summary-out`): what is in MLflow after seeding, read back from MLflow itself.

It is always rebuilt with searches, never from the seeder's memory, so a first seed and a re-run against an already
seeded server produce the same document. Keys are camelCase because the consumer is TypeScript
(`SeedSummary` in test/support/mlflowServer.ts mirrors this shape; change both together).
"""

from __future__ import annotations

from typing import Any, Callable

from mlflow import MlflowClient
from mlflow.entities import Run

from seed.pagination import EXPERIMENT as PAGINATION_EXPERIMENT
from seed.pipeline import SHAP_ARTIFACT, STEPS

SUMMARY_VERSION = 1


def _all_runs(client: MlflowClient, experiment_id: str) -> list[Run]:
    runs: list[Run] = []
    token: str | None = None
    while True:
        page = client.search_runs([experiment_id], max_results=1000, page_token=token)
        runs.extend(page)
        token = page.token
        if not token:
            return sorted(runs, key=lambda r: (r.info.start_time or 0, r.info.run_name or ''))


def _walk(list_dir: Callable[[str | None], list[Any]]) -> list[str]:
    """Every file path under an artifact root, depth first, sorted."""
    files: list[str] = []
    pending: list[str | None] = [None]
    while pending:
        for info in list_dir(pending.pop()):
            if info.is_dir:
                pending.append(info.path)
            else:
                files.append(info.path)
    return sorted(files)


def _model_id_of(source: str, model_id: str | None) -> str | None:
    # The OSS server stores a version's logged model only in `source` ("models:/<model_id>").
    if model_id:
        return model_id
    return source.removeprefix('models:/') if source.startswith('models:/m-') else None


def _run_entry(client: MlflowClient, run: Run, list_artifacts: bool) -> dict[str, Any]:
    tags = run.data.tags
    datasets = [
        {
            'name': d.dataset.name,
            'digest': d.dataset.digest,
            'context': next((t.value for t in d.tags if t.key == 'mlflow.data.context'), None),
        }
        for d in run.inputs.dataset_inputs
    ]
    model_inputs = [m.model_id for m in (run.inputs.model_inputs or [])]
    model_outputs = [m.model_id for m in (run.outputs.model_outputs if run.outputs else [])]
    return {
        'runId': run.info.run_id,
        'runName': run.info.run_name,
        'experimentId': run.info.experiment_id,
        'parentRunId': tags.get('mlflow.parentRunId'),
        'status': run.info.status,
        'startTime': run.info.start_time,
        'endTime': run.info.end_time,
        'user': tags.get('mlflow.user'),
        'pipeline': tags.get('mlsight.pipeline'),
        'step': tags.get('mlsight.step'),
        'error': tags.get('mlsight.error'),
        'datasets': datasets,
        'modelInputs': model_inputs,
        'modelOutputs': model_outputs,
        'artifacts': _walk(lambda p: client.list_artifacts(run.info.run_id, p)) if list_artifacts else [],
    }


def _pipelines(runs: list[dict[str, Any]], run_params: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    parents = [r for r in runs if r['parentRunId'] is None and r['pipeline'] is not None]
    result = []
    for parent in parents:
        children = {r['step']: r for r in runs if r['parentRunId'] == parent['runId']}
        failed = next((s for s in STEPS if s in children and children[s]['status'] == 'FAILED'), None)
        register = children.get('register')
        train = children.get('train')
        result.append(
            {
                'runId': parent['runId'],
                'runName': parent['runName'],
                'logicalDate': run_params.get(parent['runId'], {}).get('logical_date'),
                'status': parent['status'],
                'failedStep': failed,
                'error': parent['error'],
                'steps': {s: children[s]['runId'] for s in STEPS if s in children},
                'modelVersion': run_params.get(register['runId'], {}).get('version') if register else None,
                'modelId': train['modelOutputs'][0] if train and train['modelOutputs'] else None,
            }
        )
    return result


def build_summary(
    client: MlflowClient,
    tracking_uri: str,
    experiment_name: str,
    model_name: str,
    already_seeded: bool,
    seed_seconds: float,
) -> dict[str, Any]:
    """Read experiments, runs, versions, aliases, datasets and artifact paths back from MLflow."""
    experiment = client.get_experiment_by_name(experiment_name)
    if experiment is None:
        raise RuntimeError(f'summary: experiment {experiment_name!r} not found')
    pagination = client.get_experiment_by_name(PAGINATION_EXPERIMENT)

    # runs/search leaves out inputs.model_inputs (MLflow 3.17); runs/get has them, and there are only a few dozen.
    pipeline_runs = [client.get_run(r.info.run_id) for r in _all_runs(client, experiment.experiment_id)]
    run_params = {r.info.run_id: dict(r.data.params) for r in pipeline_runs}
    run_tags = {r.info.run_id: dict(r.data.tags) for r in pipeline_runs}
    runs = [_run_entry(client, r, list_artifacts=True) for r in pipeline_runs]
    pagination_runs = _all_runs(client, pagination.experiment_id) if pagination else []
    runs += [_run_entry(client, r, list_artifacts=False) for r in pagination_runs]

    registered = client.get_registered_model(model_name)
    aliases = dict(sorted(registered.aliases.items()))
    versions = []
    for mv in sorted(client.search_model_versions(f"name='{model_name}'"), key=lambda v: int(v.version)):
        model_id = _model_id_of(mv.source or '', getattr(mv, 'model_id', None))
        versions.append(
            {
                'version': str(mv.version),
                'runId': mv.run_id,
                'modelId': model_id,
                'source': mv.source,
                'status': mv.status,
                'description': mv.description or '',
                'tags': dict(sorted(mv.tags.items())),
                'aliases': sorted(a for a, v in aliases.items() if str(v) == str(mv.version)),
                'artifacts': _walk(lambda p, m=model_id: client.list_logged_model_artifacts(m, p)) if model_id else [],
            }
        )

    datasets: dict[str, dict[str, Any]] = {}
    for run in pipeline_runs:
        for d in run.inputs.dataset_inputs:
            entry = datasets.setdefault(
                d.dataset.digest,
                {
                    'name': d.dataset.name,
                    'digest': d.dataset.digest,
                    'sourceType': d.dataset.source_type,
                    'source': d.dataset.source,
                    'contexts': [],
                    'runIds': [],
                },
            )
            context = next((t.value for t in d.tags if t.key == 'mlflow.data.context'), None)
            if context and context not in entry['contexts']:
                entry['contexts'].append(context)
            entry['runIds'].append(run.info.run_id)

    version_by_model = {v['modelId']: v['version'] for v in versions}
    shap = [
        {
            'runId': r['runId'],
            'modelId': r['modelOutputs'][0] if r['modelOutputs'] else None,
            'version': version_by_model.get(r['modelOutputs'][0]) if r['modelOutputs'] else None,
            'path': SHAP_ARTIFACT,
            'method': run_tags[r['runId']].get('mlsight.shap_method'),
        }
        for r in runs
        if r['experimentId'] == experiment.experiment_id and SHAP_ARTIFACT in r['artifacts']
    ]

    return {
        'summaryVersion': SUMMARY_VERSION,
        'trackingUri': tracking_uri,
        'alreadySeeded': already_seeded,
        'seedSeconds': round(seed_seconds, 3),
        'modelName': model_name,
        'experiments': {
            'pipeline': {
                'id': experiment.experiment_id,
                'name': experiment.name,
                'runCount': len(pipeline_runs),
                'tags': dict(sorted(experiment.tags.items())),
            },
            'pagination': (
                {'id': pagination.experiment_id, 'name': pagination.name, 'runCount': len(pagination_runs)}
                if pagination
                else None
            ),
        },
        'runs': runs,
        'pipelines': _pipelines(runs, run_params),
        'versions': versions,
        'aliases': aliases,
        'datasets': sorted(datasets.values(), key=lambda d: d['name']),
        'shapArtifacts': shap,
    }
