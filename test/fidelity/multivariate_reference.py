"""Fixtures and expected values for test/fidelity/multivariateDrift.test.ts.

Generates, with fixed seeds, a 5,000-row reference and 48 hours of analysis rows (120-180 per hour) over three
numeric features (two correlated, one with missing values) and two categorical ones (one with missing values);
from hour 24 on the correlation of x1 and x2 breaks while their marginals stay the same, and c1 gains an unseen
category. NannyML 0.13.1's DataReconstructionDriftCalculator (defaults: 65 % of variance, mean/most-frequent
imputation, count encoding, standard scaling) is fitted on the reference cut into chunks of CHUNK_SIZE rows (the last
incomplete chunk dropped) and computes hourly chunks of the analysis. Timestamps are milliseconds from an
hour-aligned base; the test adds its base. Prints one JSON document.
"""

import json
import os
import warnings

# NannyML phones home unless this is set (its variable is NML_…; the brief's NANNYML_… is set too, harmlessly).
os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")
os.environ.setdefault("NANNYML_DISABLE_USAGE_LOGGING", "1")
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from nannyml.chunk import PeriodBasedChunker, SizeBasedChunker  # noqa: E402
from nannyml.drift.multivariate.data_reconstruction import DataReconstructionDriftCalculator  # noqa: E402

HOUR = 3_600_000
REFERENCE_ROWS = 5_000
ANALYSIS_HOURS = 48
SHIFT_HOUR = 24
CHUNK_SIZE = 150
FEATURES = ["x1", "x2", "x3", "c1", "c2"]
KINDS = {"x1": "numeric", "x2": "numeric", "x3": "numeric", "c1": "categorical", "c2": "categorical"}


def rows(rng: np.random.Generator, n: int, broken: bool) -> pd.DataFrame:
    x1 = rng.normal(0, 1, n)
    # Healthy: x2 follows x1; broken: the same N(0, 1) marginal, independent of x1.
    x2 = rng.normal(0, 1, n) if broken else 0.8 * x1 + 0.6 * rng.normal(0, 1, n)
    x3 = rng.gamma(2.0, 1.5, n)
    x3[rng.random(n) < 0.03] = np.nan
    categories = np.array(["a", "b", "c", "d"] if broken else ["a", "b", "c"], dtype=object)
    weights = [0.45, 0.3, 0.15, 0.1] if broken else [0.5, 0.3, 0.2]
    c1 = rng.choice(categories, n, p=weights).astype(object)
    c1[rng.random(n) < 0.02] = np.nan
    c2 = np.where(x1 + 0.5 * rng.normal(0, 1, n) > 0, "high", "low").astype(object)
    return pd.DataFrame({"x1": x1, "x2": x2, "x3": x3, "c1": c1, "c2": c2})


def cell(v):
    if isinstance(v, float) and np.isnan(v):
        return None
    return float(v) if isinstance(v, (float, np.floating)) else v


def none_if_nan(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def main() -> None:
    rng = np.random.default_rng(20261203)
    reference = rows(rng, REFERENCE_ROWS, broken=False)
    hours = []
    for h in range(ANALYSIS_HOURS):
        n = int(rng.integers(120, 181))
        part = rows(rng, n, broken=h >= SHIFT_HOUR)
        # Spread evenly inside the hour, so every row falls in its hourly bucket.
        part["ts"] = h * HOUR + (np.arange(n) * (HOUR // n)).astype(np.int64)
        hours.append(part)
    analysis = pd.concat(hours, ignore_index=True)
    analysis["timestamp"] = pd.to_datetime(analysis["ts"], unit="ms")

    calc = DataReconstructionDriftCalculator(
        column_names=FEATURES, chunker=SizeBasedChunker(chunk_size=CHUNK_SIZE, incomplete="drop")
    )
    calc.fit(reference)
    reference_result = calc.result.filter(period="reference").to_df()
    # The band comes from the reference chunks above; the analysis is then cut by hour, as the proxy buckets it.
    calc.chunker = PeriodBasedChunker(offset="h", timestamp_column_name="timestamp")
    result = calc.calculate(analysis).filter(period="analysis").to_df()

    def of(df, key):
        return [none_if_nan(v) for v in df[("reconstruction_error", key)]]

    chunks = []
    for i in range(len(result)):
        start = pd.Timestamp(result[("chunk", "start_date")].iloc[i])
        chunks.append(
            {
                "start_ms": int(start.value // 1_000_000),
                "rows": int(result[("chunk", "end_index")].iloc[i] - result[("chunk", "start_index")].iloc[i] + 1),
                "value": of(result, "value")[i],
                "sampling_error": of(result, "sampling_error")[i],
                "lower_confidence": of(result, "lower_confidence_boundary")[i],
                "upper_confidence": of(result, "upper_confidence_boundary")[i],
                "lower_threshold": of(result, "lower_threshold")[i],
                "upper_threshold": of(result, "upper_threshold")[i],
                "alert": bool(result[("reconstruction_error", "alert")].iloc[i]),
            }
        )
    out = {
        "hourMs": HOUR,
        "analysisHours": ANALYSIS_HOURS,
        "shiftHour": SHIFT_HOUR,
        "chunkSize": CHUNK_SIZE,
        "kinds": KINDS,
        "components": int(calc._pca.n_components_),
        "explainedVariance": float(np.sum(calc._pca.explained_variance_ratio_)),
        "referenceChunks": int(len(reference_result)),
        "reference": [{f: cell(r[f]) for f in FEATURES} for r in reference.to_dict("records")],
        "analysis": [{"ts": int(r["ts"]), **{f: cell(r[f]) for f in FEATURES}} for r in analysis.to_dict("records")],
        "chunks": chunks,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
