"""The fleet models' part of the demo story: two weeks of small, steady traffic, one of them with a broken feed.

For each model of scripts/seed/fleet_models.py, sent through the same Python client as the credit-risk story:
  - the reference: the champion's training table with its predictions and the true outcomes;
  - DAYS days of traffic ending at `now` (the model went live then), ROWS_PER_HOUR rows an hour on average, drawn
    from the same generator as the reference, each day with its own fixed seed, so every `now` gets the same rows
    (only the timestamps move) and the healthy model's drift verdicts do not depend on the hour of the run;
  - delayed outcomes: LABEL_DELAY_DAYS after each prediction, sent only when due at `now`.
`churn-propensity` has one incident: from INCIDENT_START_H to INCIDENT_END_H hours before `now` the usage export
fails and INCIDENT_FEATURE is missing in INCIDENT_MISSING_RATE of the rows (the serving layer imputes the training
median, so the model keeps answering). The incident is long enough that the fleet counts it over the last day, the
last week and the whole story (at least QUALITY_INCIDENT_RATE of the range's rows), and over before `now`, so the
monitor's trailing hour is clean (no DataQualityMissing alert): the model needs attention for data quality alone.

Batches carry Idempotency-Keys derived from `now`, the model, the endpoint and the day, as the credit-risk story's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd

from seed import explanations
from seed.fleet_models import CHURN_PROPENSITY, FLEET_MODELS, FRAUD_SCREEN, FleetModelSpec, served_inputs, train

DAYS = 14
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
ROWS_PER_HOUR = 20
LABEL_DELAY_DAYS = (1.0, 3.0)
INCIDENT_FEATURE = 'data_usage_gb'
INCIDENT_START_H = 60
INCIDENT_END_H = 20
INCIDENT_MISSING_RATE = 0.95
# The proxy's threshold for a data-quality incident (queries/productionKpis.ts QUALITY_INCIDENT_RATE).
QUALITY_INCIDENT_RATE = 0.05
FLEET_STORY_SEED = 20_261_204

if TYPE_CHECKING:  # the client comes from clients/python, which seed_story.py puts on the path
    from mlsight import Client, IngestReport

Log = Callable[[str], None]


@dataclass(frozen=True)
class Expectation:
    """What the fleet page should say about a model of the story, over the story's last day, week or whole range."""

    status: str  # 'attention' (critical or warning) | 'ok'
    because: str | None  # 'drift' | 'data quality' | None


EXPECTED: dict[str, Expectation] = {
    FRAUD_SCREEN.name: Expectation('ok', None),
    CHURN_PROPENSITY.name: Expectation('attention', 'data quality'),
}


@dataclass
class FleetModelCounts:
    model: str
    champion_version: str
    reference_rows: int = 0
    predictions: int = 0
    labels: int = 0
    rejected: int = 0
    duplicates: int = 0
    replayed_batches: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _tally(counts: FleetModelCounts, report: IngestReport, what: str, log: Log) -> int:
    counts.rejected += report.rejected
    counts.duplicates += report.duplicates
    counts.replayed_batches += report.replayed_batches
    if report.rejections:
        first = report.rejections[0]
        log(f'{counts.model} {what}: {len(report.rejections)} rows rejected, first: row {first.index}: {first.reason}')
    return report.accepted


def incident_window(now_ms: int) -> tuple[int, int]:
    """[start, end) of churn-propensity's broken usage export, epoch ms."""
    return now_ms - INCIDENT_START_H * HOUR_MS, now_ms - INCIDENT_END_H * HOUR_MS


def generate_traffic(spec: FleetModelSpec, seed: int, now_ms: int) -> pd.DataFrame:
    """DAYS days of the model's rows, oldest first, with `prediction_id`, `ts`, `day` and `label_delay_ms`."""
    start_ms = now_ms - DAYS * DAY_MS
    volume = np.random.default_rng(seed).poisson(ROWS_PER_HOUR, DAYS * 24)
    days = []
    for day in range(DAYS):
        hours = volume[day * 24 : (day + 1) * 24]
        n = int(hours.sum())
        rng = np.random.default_rng(seed + 1 + day)
        frame = spec.generate(rng, n)
        offsets = rng.integers(0, HOUR_MS, n)
        frame['ts'] = start_ms + day * DAY_MS + np.repeat(np.arange(24), hours) * HOUR_MS + offsets
        frame['prediction_id'] = [f'{spec.id_prefix}-d{day:02d}-{i:05d}' for i in range(n)]
        frame['label_delay_ms'] = (rng.uniform(*LABEL_DELAY_DAYS, size=n) * DAY_MS).astype(np.int64)
        frame['day'] = day
        days.append(frame.sort_values('ts', kind='stable'))
    traffic = pd.concat(days, ignore_index=True)
    if spec.name == CHURN_PROPENSITY.name:
        start, end = incident_window(now_ms)
        ts = traffic['ts'].to_numpy()
        draws = np.random.default_rng(seed - 1).uniform(size=len(traffic))
        lost = (ts >= start) & (ts < end) & (draws < INCIDENT_MISSING_RATE)
        traffic.loc[lost, INCIDENT_FEATURE] = np.nan
    return traffic


def _records(spec: FleetModelSpec, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Feature dicts as plain Python values for JSON (NaN -> None)."""
    columns = []
    for name in spec.features:
        values = frame[name].to_numpy()
        is_float = values.dtype.kind == 'f'
        columns.append(np.where(np.isnan(values), None, values).tolist() if is_float else values.tolist())
    return [dict(zip(spec.features, row)) for row in zip(*columns)]


def tell_model(
    client: Client, spec: FleetModelSpec, seed: int, now_ms: int, key_prefix: str, log: Log
) -> FleetModelCounts:
    """Reference, predictions day by day and due labels of one model; returns what the proxy accepted."""
    started = time.perf_counter()
    champion, version_spec = spec.champion
    counts = FleetModelCounts(model=spec.name, champion_version=champion)
    model, train_rows = train(spec, version_spec)
    features = list(spec.features)

    proba = model.predict_proba(served_inputs(spec, train_rows, train_rows))[:, 1]
    reference = [
        {'features': f, 'prediction': int(p >= 0.5), 'label': int(y)}
        for f, p, y in zip(_records(spec, train_rows), proba.tolist(), train_rows[spec.target].tolist())
    ]
    report = client.set_reference(
        spec.name,
        reference,
        kinds={name: 'numeric' for name in spec.numeric},
        prediction_kind='categorical',
        label_kind='categorical',
        idempotency_key=f'{key_prefix}-reference',
    )
    counts.reference_rows = _tally(counts, report, 'reference', log)

    traffic = generate_traffic(spec, seed, now_ms)
    inputs = served_inputs(spec, traffic, train_rows)
    scores = model.predict_proba(inputs)[:, 1]
    # Exact log-odds SHAP values of the logistic champion, as credit-risk's champion sends them.
    _, attributions = explanations.linear_exact(model, train_rows, inputs, features)
    rows = [
        {
            'prediction_id': pid,
            'timestamp': ts,
            'version': champion,
            'features': f,
            'prediction': int(s >= 0.5),
            'score': round(s, 6),
            'attributions': dict(zip(features, a)),
        }
        for pid, ts, f, s, a in zip(
            traffic['prediction_id'].tolist(),
            traffic['ts'].tolist(),
            _records(spec, traffic),
            scores.tolist(),
            np.round(attributions, 6).tolist(),
        )
    ]
    bounds = np.searchsorted(traffic['day'].to_numpy(), np.arange(DAYS + 1))
    for day in range(DAYS):
        batch = rows[bounds[day] : bounds[day + 1]]
        report = client.log_predictions(spec.name, batch, key_prefix=f'{key_prefix}-predictions-d{day:02d}')
        counts.predictions += _tally(counts, report, f'day {day}', log)
    missing = traffic[features].isna().mean()
    worst = str(missing.idxmax())
    gaps = f'{worst} missing in {missing[worst]:.1%} of the rows' if missing[worst] > 0 else 'no missing values'
    log(
        f'{spec.name}: {DAYS} days, {counts.predictions} predictions (v{champion}), {gaps} '
        f'({time.perf_counter() - started:.1f} s)'
    )

    arrives = (traffic['ts'] + traffic['label_delay_ms']).to_numpy()
    due = arrives <= now_ms
    outcomes = sorted(
        (
            {'prediction_id': pid, 'label': int(y), 'timestamp': int(t)}
            for pid, y, t in zip(traffic['prediction_id'][due], traffic[spec.target][due], arrives[due])
        ),
        key=lambda r: r['timestamp'],
    )
    report = client.log_labels(spec.name, outcomes, key_prefix=f'{key_prefix}-labels')
    counts.labels = _tally(counts, report, 'labels', log)
    log(f'{spec.name}: {counts.labels} labels, reference {counts.reference_rows} rows')
    return counts


def run_fleet_story(client: Client, now_ms: int, now_tag: str, log: Log) -> list[FleetModelCounts]:
    """Tells every fleet model's part of the story."""
    out = []
    for index, spec in enumerate(FLEET_MODELS):
        key_prefix = f'mlsight-story-{spec.name}-{now_tag}'
        counts = tell_model(client, spec, FLEET_STORY_SEED + 100_000 * index, now_ms, key_prefix, log)
        if spec.name == CHURN_PROPENSITY.name:
            start, end = incident_window(now_ms)
            counts.extra = {'quality_feature': INCIDENT_FEATURE, 'incident_from_ms': start, 'incident_to_ms': end}
        out.append(counts)
    return out


def fleet_summary(counts: list[FleetModelCounts]) -> list[dict[str, Any]]:
    """One entry per fleet model: what was sent and what the fleet page should say about it."""
    return [
        {
            'model': c.model,
            'champion_version': c.champion_version,
            'days': DAYS,
            'reference_rows': c.reference_rows,
            'predictions': c.predictions,
            'labels': c.labels,
            'expected_status': EXPECTED[c.model].status,
            'expected_because': EXPECTED[c.model].because,
            **c.extra,
        }
        for c in counts
    ]
