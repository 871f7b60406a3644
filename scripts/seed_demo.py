#!/usr/bin/env python3
"""Seed an MLflow tracking server with the MLSight demo: a credit-risk pipeline, its registered model and more.

What it creates (all deterministic: fixed seeds, fixed names; only ids and timestamps differ between servers):
  - experiment `credit-risk-pipeline` (--experiment) with four pipeline runs `pipeline-<date>`, each a parent run
    with nested step runs ingest -> validate -> featurize -> train -> evaluate -> register. Steps log params,
    metrics, dataset inputs (contexts training / validation / evaluation) and artifacts; train logs a scikit-learn
    pipeline as a LoggedModel plus `explanations/shap_values.json` (format: scripts/seed/explanations.py).
    The fourth pipeline's validate step fails (tag `mlsight.error`), so it and its parent end FAILED.
  - registered model `credit-risk` (--model-name) with versions 1..3, version tags (`deployed_by`, ...) and
    descriptions, aliases `champion` -> 2 and `challenger` -> 3.
  - registered models `fraud-screen` (versions 1..2, `champion` -> 2) and `churn-propensity` (version 1, `champion`),
    one training run each in experiments `<model>-training`, for the fleet page (scripts/seed/fleet_models.py).
  - with --extra-runs N: runs page-run-0001..N in experiment `mlsight-pagination` (topped up, never duplicated).

Re-running is safe: if the experiment carries the tag `mlsight.seeded=true` the pipelines are skipped (extra runs
are still topped up) and the summary is written again. A half-seeded server (experiment or model present without
that tag) is refused with exit code 2, because appending would renumber the model versions.

Usage: .venv/bin/python scripts/seed_demo.py --tracking-uri http://127.0.0.1:5000 [--summary-out seed.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import urllib.request
import warnings
from pathlib import Path

# Before mlflow is imported: no telemetry from a seeder, and no "View run at" links mixed into its progress lines.
os.environ.setdefault('MLFLOW_DISABLE_TELEMETRY', 'true')
os.environ.setdefault('MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT', 'true')

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

from seed.fleet_registry import PartialSeed, model_exists, seed_fleet_models  # noqa: E402
from seed.pagination import seed_pagination_runs  # noqa: E402
from seed.pipeline import PIPELINES, run_pipeline  # noqa: E402
from seed.summary import build_summary  # noqa: E402

SEEDED_TAG = 'mlsight.seeded'
EXIT_REFUSED = 2


class SeedRefused(Exception):
    """The server holds a partial seed; seeding on top of it would give wrong version numbers."""


def log(message: str) -> None:
    """Progress line on stdout, flushed so a parent process sees it as it happens."""
    print(f'[seed] {message}', flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--tracking-uri', default=os.environ.get('MLFLOW_TRACKING_URI', 'http://127.0.0.1:5000'))
    parser.add_argument('--model-name', default='credit-risk')
    parser.add_argument('--experiment', default='credit-risk-pipeline')
    parser.add_argument('--extra-runs', type=int, default=0, help='runs to create in experiment mlsight-pagination')
    parser.add_argument('--summary-out', type=Path, help='write a JSON summary of what MLflow now holds')
    args = parser.parse_args(argv)
    if args.extra_runs < 0:
        parser.error('--extra-runs must be >= 0')
    return args


def seed_pipelines(client: MlflowClient, experiment_name: str, model_name: str) -> bool:
    """Create the pipeline experiment, model and runs; returns True if they were already there."""
    experiment = client.get_experiment_by_name(experiment_name)
    if experiment is not None and experiment.tags.get(SEEDED_TAG) == 'true':
        log(f'experiment {experiment_name!r} is already seeded (tag {SEEDED_TAG}=true); skipping the pipelines')
        return True
    if experiment is not None:
        raise SeedRefused(
            f'experiment {experiment_name!r} exists but has no {SEEDED_TAG}=true tag '
            '(an interrupted seed?). Start MLflow on a fresh data dir, or delete the experiment and the model.'
        )
    if model_exists(client, model_name):
        raise SeedRefused(
            f'registered model {model_name!r} exists without the seeded experiment; '
            'seeding would append versions 4.. instead of 1..3. Use a fresh MLflow data dir.'
        )

    experiment_id = client.create_experiment(
        experiment_name, tags={'mlsight.demo': 'true', 'mlflow.note.content': 'Credit-risk training pipeline (demo).'}
    )
    client.create_registered_model(
        model_name,
        tags={'team': 'credit-risk', 'domain': 'lending', 'mlsight.demo': 'true'},
        description='Probability that a loan applicant defaults within 12 months (demo model seeded by MLSight).',
    )
    log(f'experiment {experiment_name!r} = {experiment_id}, registered model {model_name!r}')
    for spec in PIPELINES:
        state = run_pipeline(spec, experiment_id, model_name, log)
        outcome = f'version {state.version}' if state.version else 'no version'
        log(f'{spec.run_name} done: {outcome}')
    client.set_experiment_tag(experiment_id, SEEDED_TAG, 'true')
    return False


def reachable(tracking_uri: str) -> bool:
    """GET /health once: without it a down server costs minutes of the client's own retries before any error."""
    if not tracking_uri.startswith(('http://', 'https://')):
        return True
    try:
        with urllib.request.urlopen(f'{tracking_uri.rstrip("/")}/health', timeout=5) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if not reachable(args.tracking_uri):
        message = f'[seed] MLflow at {args.tracking_uri} is not reachable (GET /health failed)'
        print(message, file=sys.stderr, flush=True)
        return 1
    # MLflow's own INFO lines and schema hints would drown the progress lines; warnings and errors still show.
    warnings.filterwarnings('ignore', module='mlflow')
    logging.getLogger('mlflow').setLevel(logging.WARNING)
    mlflow.set_tracking_uri(args.tracking_uri)
    client = MlflowClient(tracking_uri=args.tracking_uri)
    log(f'seeding {args.tracking_uri}')
    try:
        already = seed_pipelines(client, args.experiment, args.model_name)
        seed_fleet_models(client, log)
    except (SeedRefused, PartialSeed) as refusal:
        print(f'[seed] refusing: {refusal}', file=sys.stderr, flush=True)
        return EXIT_REFUSED
    if args.extra_runs:
        seed_pagination_runs(client, args.extra_runs, log)
    elapsed = time.perf_counter() - started
    log(f'seeding took {elapsed:.1f} s')
    if args.summary_out:
        summary = build_summary(client, args.tracking_uri, args.experiment, args.model_name, already, elapsed)
        args.summary_out.parent.mkdir(parents=True, exist_ok=True)
        args.summary_out.write_text(json.dumps(summary, indent=2))
        log(f'summary written to {args.summary_out} ({len(summary["runs"])} runs)')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
