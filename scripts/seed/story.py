"""The demo story: 30 days of credit-risk traffic with a real drift, sent to a running MLSight proxy.

After credit-risk, the two small fleet models tell their part (scripts/seed/fleet_story.py): `fraud-screen`
healthy, `churn-propensity` with a data-quality incident, so the app's fleet page has a model of each status.

What the story tells (all deterministic: fixed seeds, timestamps relative to a fixed `now`):
  - The reference: the training split of the 2026-10-15 snapshot that version 2 (the champion) was trained on,
    with the champion's predictions and the true outcomes, as the model's default reference.
  - 30 days x hourly traffic ending at `now`, scored by version 2 (champion) on every row and by version 3
    (challenger, in shadow) on SHADOW_SHARE of the rows, with the same prediction_id (the shadow answer is stored
    SHADOW_LATENCY_MS later: the store treats an equal id and timestamp as a retried row).
  - Stable for three weeks. From DRIFT_START_DAY the population drifts over DRIFT_RAMP_DAYS: credit scores fall
    (numeric shift), a new employment type `gig` appears (a category the models never saw), and from
    MISSING_START_DAY the `months_employed` feed loses values, up to MISSING_RATE_END of the rows on the last day
    (the serving layer imputes the training median; the stored row keeps the null).
  - `region` is also sent as a segment: the true default rate differs by region, so the models' selection rates
    differ too (a fairness gap).
  - Delayed labels: each prediction's outcome arrives LABEL_DELAY_DAYS (uniform 1..3 days) after it; outcomes not
    yet due at `now` are not sent, so the last days are (partly) unlabelled. The store joins an outcome to the newest
    row with its prediction_id, so on shadowed rows it lands on the challenger's row: the champion's realised metrics
    rest on its other rows (about 1 - SHADOW_SHARE of them).
  - Scores are the re-trained models' real probabilities (the same code and seeds as scripts/seed/pipeline.py, so
    the same models as the registered versions 2 and 3); attributions are log-odds SHAP values: exact for the
    logistic champion, antithetic permutation sampling for the boosted challenger (scripts/seed/explanations.py).

The rows go through the Python client (clients/python, package mlsight), which retries 429/5xx/network errors. Every
batch carries an Idempotency-Key derived from `now`, the endpoint and the batch, so re-running the story for the same
`now` changes nothing. Batches hold at most MAX_BATCH_ROWS rows (one day of one version's traffic).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

import numpy as np
import pandas as pd

from mlsight import Client, IngestReport
from seed import explanations
from seed.fleet_story import FleetModelCounts, fleet_summary, run_fleet_story
from seed.data import FEATURES, NUMERIC_FEATURES, TARGET, Population, generate_applications, split_holdout

MODEL_NAME = 'credit-risk'
CHAMPION_VERSION = '2'
CHALLENGER_VERSION = '3'
DAYS = 30
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
MEAN_ROWS_PER_HOUR = 120
SHADOW_SHARE = 0.3
SHADOW_LATENCY_MS = 40
DRIFT_START_DAY = 21
DRIFT_RAMP_DAYS = 2
CREDIT_SCORE_SHIFT_END = -55.0
GIG_SHARE_OF_CONTRACT_END = 0.7
CONTRACT_PROBS_END = (0.50, 0.18, 0.27, 0.05)
MISSING_FEATURE = 'months_employed'
MISSING_RATE_BASE = 0.005
MISSING_START_DAY = 24
MISSING_RATE_END = 0.2
LABEL_DELAY_DAYS = (1.0, 3.0)
MAX_BATCH_ROWS = 10_000
# The proxy's default body limit (MLSIGHT_MAX_BODY_BYTES) less room for the body's brackets: batches are cut by rows.
MAX_BATCH_BYTES = 16 * 1024 * 1024 - 1024
N_PERMUTATIONS = 2
STORY_SEED = 20_261_125
# The drifted features (what a test expects the heatmap to flag in the last week, and not in the first).
DRIFTED_FEATURES: tuple[str, ...] = ('credit_score', 'employment_type')

Log = Callable[[str], None]


@dataclass(frozen=True)
class TrainedVersion:
    version: str
    model: Any
    train: pd.DataFrame


@dataclass
class StoryCounts:
    """What the story sent and what the proxy accepted, printed at the end (tests compare against the store)."""

    reference_rows: int = 0
    predictions: dict[str, int] = field(default_factory=dict)
    labels: int = 0
    rejected: int = 0
    duplicates: int = 0
    replayed_batches: int = 0
    # The fleet models' counts (scripts/seed/fleet_story.py), told after credit-risk.
    fleet: list[FleetModelCounts] = field(default_factory=list)


def hour_floor(ms: int) -> int:
    return ms - ms % HOUR_MS


def parse_now(text: str | None) -> int:
    """`now` as epoch ms floored to the hour: digits (epoch ms), ISO-8601, or None for the current hour."""
    if text is None or text == '':
        return hour_floor(int(time.time() * 1000))
    if text.isdigit():
        return hour_floor(int(text))
    parsed = datetime.fromisoformat(text.replace('Z', '+00:00'))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return hour_floor(int(parsed.timestamp() * 1000))


def train_versions() -> dict[str, TrainedVersion]:
    """Re-train versions 2 and 3 exactly as the seeder's pipeline did (same generator, seeds, split, model)."""
    # Imported here: seed.pipeline imports mlflow, which takes seconds and is only needed for _make_model.
    from seed.pipeline import HOLDOUT_SHARE, N_ROWS, PIPELINES, _make_model

    out: dict[str, TrainedVersion] = {}
    for version, spec in ((CHAMPION_VERSION, PIPELINES[1]), (CHALLENGER_VERSION, PIPELINES[2])):
        raw = generate_applications(spec.seed, N_ROWS, spec.population, id_prefix=spec.logical_date)
        train, _ = split_holdout(raw, seed=spec.seed + 1000, holdout_share=HOLDOUT_SHARE)
        model = _make_model(spec).fit(train[list(FEATURES)], train[TARGET])
        out[version] = TrainedVersion(version, model, train)
    return out


def drift_progress(day: float) -> float:
    """0 before DRIFT_START_DAY, rising linearly to 1 over DRIFT_RAMP_DAYS."""
    return float(np.clip((day - DRIFT_START_DAY) / DRIFT_RAMP_DAYS, 0.0, 1.0))


def missing_rate(day: float) -> float:
    ramp = float(np.clip((day - MISSING_START_DAY) / (DAYS - MISSING_START_DAY), 0.0, 1.0))
    return MISSING_RATE_BASE + ramp * (MISSING_RATE_END - MISSING_RATE_BASE)


def hourly_volume(rng: np.random.Generator, start_ms: int) -> np.ndarray:
    """Rows per hour: a daily cycle (quiet at night, busy mid-afternoon UTC), quieter weekends, Poisson noise."""
    hours = np.arange(DAYS * 24)
    ts = start_ms + hours * HOUR_MS
    hour_of_day = (ts // HOUR_MS) % 24
    weekday = ((ts // DAY_MS) + 3) % 7  # 1970-01-01 was a Thursday; 5, 6 = Saturday, Sunday
    cycle = 1.0 + 0.6 * np.sin((hour_of_day - 9) / 24 * 2 * np.pi)
    weekend = np.where(weekday >= 5, 0.7, 1.0)
    expected = MEAN_ROWS_PER_HOUR * cycle * weekend
    return rng.poisson(expected / expected.mean() * MEAN_ROWS_PER_HOUR)


def day_population(day: int) -> Population:
    p = drift_progress(day + 0.5)
    base = Population()
    # More contract workers, some of whom generate_day records as `gig`.
    employment = tuple((1 - p) * b + p * e for b, e in zip(base.employment_probs, CONTRACT_PROBS_END))
    return Population(credit_score_shift=p * CREDIT_SCORE_SHIFT_END, employment_probs=employment, notes=f'day {day}')


def generate_day(day: int, hours: np.ndarray, day_start_ms: int) -> pd.DataFrame:
    """One day of applications with their true outcomes, timestamps spread inside each hour.

    Prediction ids are `cr-d<day>-<row>` (day 0 is the oldest), the same for every `now`, so a dashboard can name
    one (the data-scientist dashboard's local explanation shows `cr-d29-000001`).
    """
    n = int(hours.sum())
    rng = np.random.default_rng(STORY_SEED + day)
    frame = generate_applications(STORY_SEED + 1000 + day, n, day_population(day), id_prefix=f'cr-d{day:02d}')
    hour_of_row = np.repeat(np.arange(24), hours)
    offsets = rng.integers(0, HOUR_MS - SHADOW_LATENCY_MS, n)
    frame['ts'] = day_start_ms + hour_of_row * HOUR_MS + offsets
    # A new category: part of the contract workers are now recorded as `gig` (their risk stays a contract's).
    p = drift_progress(day + 0.5)
    gig = (frame['employment_type'] == 'contract').to_numpy() & (rng.uniform(size=n) < p * GIG_SHARE_OF_CONTRACT_END)
    frame.loc[gig, 'employment_type'] = 'gig'
    # A feed that loses months_employed, more and more often.
    lost = rng.uniform(size=n) < np.array([missing_rate(day + (h + 0.5) / 24) for h in hour_of_row])
    frame.loc[lost, MISSING_FEATURE] = np.nan
    frame['shadow'] = rng.uniform(size=n) < SHADOW_SHARE
    frame['label_delay_ms'] = (rng.uniform(*LABEL_DELAY_DAYS, size=n) * DAY_MS).astype(np.int64)
    return frame.sort_values('ts', kind='stable').reset_index(drop=True)


def served_inputs(frame: pd.DataFrame, trained: TrainedVersion) -> pd.DataFrame:
    """What the serving layer hands the model: missing numerics imputed with the training median."""
    inputs = frame[list(FEATURES)].copy()
    for name in NUMERIC_FEATURES:
        if inputs[name].isna().any():
            inputs[name] = inputs[name].fillna(float(trained.train[name].median()))
    return inputs


def score(frame: pd.DataFrame, trained: TrainedVersion) -> tuple[np.ndarray, np.ndarray]:
    """(probability of default, log-odds attributions per feature) of each row."""
    inputs = served_inputs(frame, trained)
    proba = trained.model.predict_proba(inputs)[:, 1]
    features = list(FEATURES)
    if trained.version == CHAMPION_VERSION:
        _, values = explanations.linear_exact(trained.model, trained.train, inputs, features)
    else:
        _, values = explanations.permutation_sampling(
            trained.model, trained.train, inputs, features, N_PERMUTATIONS, seed=STORY_SEED
        )
    return proba, values


def column_values(frame: pd.DataFrame, name: str) -> list[Any]:
    """A column as plain Python values for JSON (NaN -> None), without a per-value conversion call."""
    column = frame[name]
    if column.dtype.kind == 'f':
        values = column.to_numpy()
        return np.where(np.isnan(values), None, values).tolist()
    return column.tolist()


def feature_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [column_values(frame, name) for name in FEATURES]
    return [dict(zip(FEATURES, row)) for row in zip(*columns)]


def prediction_rows(
    frame: pd.DataFrame, version: str, proba: np.ndarray, attributions: np.ndarray, ts_offset_ms: int
) -> list[dict[str, Any]]:
    ids = frame['application_id'].tolist()
    timestamps = (frame['ts'].to_numpy() + ts_offset_ms).tolist()
    predictions = (proba >= 0.5).astype(int).tolist()
    scores = np.round(proba, 6).tolist()
    attribution_rows = np.round(attributions, 6).tolist()
    return [
        {
            'prediction_id': pid,
            'timestamp': ts,
            'version': version,
            'features': features,
            'prediction': prediction,
            'score': score,
            'segment': {'region': features['region']},
            'attributions': dict(zip(FEATURES, values)),
        }
        for pid, ts, features, prediction, score, values in zip(
            ids, timestamps, feature_records(frame), predictions, scores, attribution_rows
        )
    ]


def _tally(counts: StoryCounts, report: IngestReport, what: str, log: Log) -> int:
    counts.rejected += report.rejected
    counts.duplicates += report.duplicates
    counts.replayed_batches += report.replayed_batches
    if report.rejections:
        first = report.rejections[0]
        log(f'{what}: {len(report.rejections)} rows rejected, first: row {first.index}: {first.reason}')
    return report.accepted


def send_reference(
    client: Client, versions: dict[str, TrainedVersion], key_prefix: str, counts: StoryCounts, log: Log
) -> None:
    """The champion's training split with its predictions and outcomes, as the model's default reference."""
    champion = versions[CHAMPION_VERSION]
    train = champion.train
    proba = champion.model.predict_proba(served_inputs(train, champion))[:, 1]
    labels = train[TARGET].astype(int).tolist()
    rows = [
        {'features': features, 'prediction': int(p >= 0.5), 'label': label}
        for features, p, label in zip(feature_records(train), proba.tolist(), labels)
    ]
    report = client.set_reference(
        MODEL_NAME,
        rows,
        kinds={name: 'numeric' for name in NUMERIC_FEATURES},
        prediction_kind='categorical',
        label_kind='categorical',
        idempotency_key=f'{key_prefix}-reference',
    )
    counts.reference_rows = _tally(counts, report, 'reference', log)
    source = f'the 2026-10-15 training split (champion v{CHAMPION_VERSION})'
    log(f'reference: {counts.reference_rows} rows of {source}' + (' (replayed)' if report.replayed_batches else ''))


def generate_traffic(now_ms: int) -> pd.DataFrame:
    """All DAYS days of applications, oldest first, with a `day` column."""
    start_ms = now_ms - DAYS * DAY_MS
    volume = hourly_volume(np.random.default_rng(STORY_SEED), start_ms)
    days = [
        generate_day(day, volume[day * 24 : (day + 1) * 24], start_ms + day * DAY_MS).assign(day=day)
        for day in range(DAYS)
    ]
    return pd.concat(days, ignore_index=True)


def send_predictions(
    client: Client,
    traffic: pd.DataFrame,
    versions: dict[str, TrainedVersion],
    key_prefix: str,
    counts: StoryCounts,
    log: Log,
    started: float,
) -> None:
    """Scores the traffic (champion: all rows; challenger: the shadowed ones) and posts it day by day."""
    served = {
        CHAMPION_VERSION: (traffic, 0),
        CHALLENGER_VERSION: (traffic[traffic['shadow']].reset_index(drop=True), SHADOW_LATENCY_MS),
    }
    per_day: dict[str, list[list[dict[str, Any]]]] = {}
    for version, (frame, offset) in served.items():
        # One scoring call per version: sklearn's per-call overhead would dominate a call per day.
        proba, attributions = score(frame, versions[version])
        rows = prediction_rows(frame, version, proba, attributions, offset)
        bounds = np.searchsorted(frame['day'].to_numpy(), np.arange(DAYS + 1))
        per_day[version] = [rows[bounds[d] : bounds[d + 1]] for d in range(DAYS)]
    log(f'{len(traffic)} applications generated and scored ({time.perf_counter() - started:.1f} s)')

    for day in range(DAYS):
        for version, days in per_day.items():
            # Keys ...-d{day}-0, -1, …: one per batch of MAX_BATCH_ROWS rows of the day.
            report = client.log_predictions(
                MODEL_NAME, days[day], key_prefix=f'{key_prefix}-predictions-v{version}-d{day:02d}'
            )
            counts.predictions[version] += _tally(counts, report, f'day {day} v{version}', log)
        missing = traffic.loc[traffic['day'] == day, MISSING_FEATURE].isna().mean()
        log(
            f'day {day + 1:2d}/{DAYS}: {len(per_day[CHAMPION_VERSION][day])} predictions (v{CHAMPION_VERSION}) + '
            f'{len(per_day[CHALLENGER_VERSION][day])} shadow (v{CHALLENGER_VERSION}), '
            f'drift {drift_progress(day + 0.5):.0%}, {MISSING_FEATURE} missing {missing:.1%} '
            f'({time.perf_counter() - started:.1f} s)'
        )


def send_labels(
    client: Client, traffic: pd.DataFrame, now_ms: int, key_prefix: str, counts: StoryCounts, log: Log
) -> None:
    """The outcomes that have arrived by `now`, in the order they arrived."""
    arrives = (traffic['ts'] + traffic['label_delay_ms']).to_numpy()
    due = arrives <= now_ms
    outcomes = [
        {'prediction_id': pid, 'label': label, 'timestamp': ts}
        for pid, label, ts in zip(
            traffic['application_id'][due].tolist(), traffic[TARGET][due].astype(int).tolist(), arrives[due].tolist()
        )
    ]
    outcomes.sort(key=lambda row: row['timestamp'])
    batches = {'sent': 0}

    def progress(sent: int, _report: IngestReport) -> None:
        batches['sent'] += 1
        log(f'labels batch {batches["sent"]}: {sent} outcomes sent')

    report = client.log_labels(MODEL_NAME, outcomes, key_prefix=f'{key_prefix}-labels', progress=progress)
    counts.labels += _tally(counts, report, 'labels', log)


def run_story(base_url: str, token: str | None, now_ms: int, log: Log) -> StoryCounts:
    """Sends the whole story (reference, predictions, labels); returns what the proxy accepted."""
    started = time.perf_counter()
    client = Client(base_url, token, batch_rows=MAX_BATCH_ROWS, batch_bytes=MAX_BATCH_BYTES, timeout_s=120.0)
    now_tag = datetime.fromtimestamp(now_ms / 1000, tz=timezone.utc).strftime('%Y%m%d%H')
    key_prefix = f'mlsight-story-{MODEL_NAME}-{now_tag}'
    counts = StoryCounts(predictions={CHAMPION_VERSION: 0, CHALLENGER_VERSION: 0})
    versions = train_versions()
    log(f'models re-trained ({time.perf_counter() - started:.1f} s); story ends at {now_tag}Z')
    send_reference(client, versions, key_prefix, counts, log)
    traffic = generate_traffic(now_ms)
    send_predictions(client, traffic, versions, key_prefix, counts, log, started)
    send_labels(client, traffic, now_ms, key_prefix, counts, log)
    counts.fleet = run_fleet_story(client, now_ms, now_tag, log)
    log(
        f'story done in {time.perf_counter() - started:.1f} s: '
        + ', '.join(f'v{v} {n} predictions' for v, n in counts.predictions.items())
        + f', {counts.labels} labels, {counts.rejected} rejected, {counts.duplicates} duplicates; '
        + ', '.join(f'{c.model} {c.predictions} predictions' for c in counts.fleet)
    )
    return counts


def summary(counts: StoryCounts, now_ms: int) -> dict[str, Any]:
    """credit-risk's counts at the top level; `rejected`, `duplicates` and `replayed_batches` over every model;
    `models`: each model of the story with the fleet status it should have (test/support/story.ts)."""
    return {
        'model': MODEL_NAME,
        'now_ms': now_ms,
        'days': DAYS,
        'reference_rows': counts.reference_rows,
        'predictions': counts.predictions,
        'labels': counts.labels,
        'rejected': counts.rejected + sum(c.rejected for c in counts.fleet),
        'duplicates': counts.duplicates + sum(c.duplicates for c in counts.fleet),
        'replayed_batches': counts.replayed_batches + sum(c.replayed_batches for c in counts.fleet),
        'drifted_features': list(DRIFTED_FEATURES),
        'missing_feature': MISSING_FEATURE,
        'drift_start_ms': now_ms - (DAYS - DRIFT_START_DAY) * DAY_MS,
        'models': [
            {
                'model': MODEL_NAME,
                'champion_version': CHAMPION_VERSION,
                'days': DAYS,
                'reference_rows': counts.reference_rows,
                'predictions': sum(counts.predictions.values()),
                'labels': counts.labels,
                'expected_status': 'attention',
                'expected_because': 'drift',
            },
            *fleet_summary(counts.fleet),
        ],
    }
