"""Many small runs in their own experiment, so clients must follow `next_page_token` to see them all.

Runs are named `page-run-0001`, `page-run-0002`, ... Asking for N tops the experiment up to N runs (existing names are
kept), so seeding twice, or with a larger N later, never duplicates a run. Each run costs three requests
(create, one batch of params + metric history, terminate); a small thread pool hides the round trips.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

EXPERIMENT = 'mlsight-pagination'
HISTORY_POINTS = 3
_WORKERS = 4


def run_name(index: int) -> str:
    """Name of the index-th (1-based) pagination run."""
    return f'page-run-{index:04d}'


def existing_run_names(client: MlflowClient, experiment_id: str) -> set[str]:
    """Names of every run already in the experiment (all pages)."""
    names: set[str] = set()
    token: str | None = None
    while True:
        page = client.search_runs([experiment_id], max_results=1000, page_token=token)
        names.update(r.info.run_name for r in page)
        token = page.token
        if not token:
            return names


def _create(client: MlflowClient, experiment_id: str, index: int, start_ms: int) -> None:
    run = client.create_run(
        experiment_id,
        start_time=start_ms,
        run_name=run_name(index),
        tags={'mlsight.demo': 'pagination', 'mlsight.index': str(index)},
    )
    run_id = run.info.run_id
    # A deterministic, index-dependent curve: decreasing loss, different per run.
    curve = [round(1.0 / (1 + step) + index * 1e-3, 6) for step in range(HISTORY_POINTS)]
    metrics = [Metric('loss', value, start_ms + step, step) for step, value in enumerate(curve)]
    params = [Param('index', str(index)), Param('learning_rate', str(round(0.001 * (1 + index % 10), 4)))]
    client.log_batch(run_id, metrics=metrics, params=params, tags=[RunTag('mlsight.batch', 'pagination')])
    client.set_terminated(run_id, 'FINISHED', end_time=start_ms + HISTORY_POINTS)


def seed_pagination_runs(client: MlflowClient, count: int, log: Callable[[str], None]) -> str:
    """Make sure the pagination experiment holds runs 1..count; returns its experiment id."""
    experiment = client.get_experiment_by_name(EXPERIMENT)
    experiment_id = (
        experiment.experiment_id
        if experiment is not None
        else client.create_experiment(EXPERIMENT, tags={'mlsight.demo': 'pagination'})
    )
    present = existing_run_names(client, experiment_id)
    missing = [i for i in range(1, count + 1) if run_name(i) not in present]
    if not missing:
        log(f'{EXPERIMENT}: {count} runs already present')
        return experiment_id
    started = time.perf_counter()
    # Distinct start times keep the default ordering (start_time DESC) stable for tests that page through it.
    base_ms = int(time.time() * 1000) - count * 10
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        for future in [pool.submit(_create, client, experiment_id, i, base_ms + i * 10) for i in missing]:
            future.result()
    log(f'{EXPERIMENT}: created {len(missing)} runs in {time.perf_counter() - started:.1f} s')
    return experiment_id
