"""Fixtures and expected values for test/fidelity/performance.test.ts.

Generates rows with fixed seeds (binary with string labels and a single-class bucket, multiclass, regression, and
two CBPE sets) and computes every realised metric per hourly bucket with scikit-learn and CBPE with NannyML 0.13.1
on the same rows and hourly chunks. Timestamps are milliseconds from an hour-aligned base; the test adds its base.
Prints one JSON document.
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
from sklearn.calibration import calibration_curve  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    accuracy_score,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_absolute_percentage_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    root_mean_squared_error,
)

HOUR = 3_600_000
REFERENCE_HOURS = 4
ANALYSIS_HOURS = 4


def none_if_nan(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def ece_uniform(y_pos, p, n_bins=10):
    """ECE on calibration_curve's uniform bins: sum of bin weight * |fraction positive - mean predicted|."""
    prob_true, prob_pred = calibration_curve(y_pos, p, n_bins=n_bins, strategy="uniform")
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], p)
    counts = np.bincount(ids, minlength=n_bins)
    counts = counts[counts != 0]
    return float(np.sum(counts / len(p) * np.abs(prob_true - prob_pred))), prob_true.tolist(), prob_pred.tolist(), counts.tolist()


def timestamps(rng, hours, start_hour, per_hour):
    out = []
    for h in range(hours):
        out.extend(sorted(((start_hour + h) * HOUR + rng.integers(0, HOUR, per_hour)).tolist()))
    return out


def binary_set():
    rng = np.random.default_rng(11)
    per_hour = 300
    ts = timestamps(rng, ANALYSIS_HOURS, REFERENCE_HOURS, per_hour)
    n = len(ts)
    p = rng.beta(2, 2, n)
    y = rng.random(n) < p
    # Bucket 2 holds a single class in its labels (all "no"): ROC AUC is undefined there.
    hour = np.array(ts) // HOUR - REFERENCE_HOURS
    y[hour == 2] = False
    labels = np.where(y, "yes", "no")
    preds = np.where(p >= 0.5, "yes", "no")
    rows = [
        {"ts": int(t), "label": str(l), "prediction": str(pr), "score": float(s)}
        for t, l, pr, s in zip(ts, labels, preds, p)
    ]
    expected = []
    for h in range(ANALYSIS_HOURS):
        m = hour == h
        yt, yp, pp = labels[m], preds[m], p[m]
        single = len(set(yt)) < 2
        ece, _, _, _ = ece_uniform(yt == "yes", pp)
        expected.append(
            {
                "bucket": h,
                "labelled_rows": int(m.sum()),
                "accuracy": accuracy_score(yt, yp),
                "precision": precision_score(yt, yp, pos_label="yes", zero_division=0),
                "recall": recall_score(yt, yp, pos_label="yes", zero_division=0),
                "f1": f1_score(yt, yp, pos_label="yes", zero_division=0),
                "roc_auc": None if single else roc_auc_score(yt, pp),
                "log_loss": log_loss(yt, pp, labels=["no", "yes"]),
                "ece": ece,
            }
        )
    m = np.ones(n, dtype=bool)
    _, prob_true, prob_pred, counts = ece_uniform(labels == "yes", p)
    curve = {"fraction_positive": prob_true, "mean_predicted": prob_pred, "rows": counts}
    return {"name": "perf_binary", "rows": rows, "expected": expected, "curve": curve}


def multiclass_set():
    rng = np.random.default_rng(12)
    classes = np.array(["a", "b", "c"])
    ts = timestamps(rng, ANALYSIS_HOURS, REFERENCE_HOURS, 250)
    n = len(ts)
    logits = rng.normal(size=(n, 3))
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(3, p=row) for row in proba])
    labels = classes[y]
    preds = classes[proba.argmax(axis=1)]
    hour = np.array(ts) // HOUR - REFERENCE_HOURS
    rows = [
        {"ts": int(t), "label": str(l), "prediction": str(pr), "score": [float(v) for v in pb]}
        for t, l, pr, pb in zip(ts, labels, preds, proba)
    ]
    expected = []
    for h in range(ANALYSIS_HOURS):
        m = hour == h
        yt, yp, pb = labels[m], preds[m], proba[m]
        expected.append(
            {
                "bucket": h,
                "labelled_rows": int(m.sum()),
                "accuracy": accuracy_score(yt, yp),
                "precision": precision_score(yt, yp, average="macro", zero_division=0),
                "recall": recall_score(yt, yp, average="macro", zero_division=0),
                "f1": f1_score(yt, yp, average="macro", zero_division=0),
                "roc_auc": roc_auc_score(yt, pb, multi_class="ovr", average="macro", labels=classes),
                "log_loss": log_loss(yt, pb, labels=classes),
            }
        )
    return {"name": "perf_multiclass", "rows": rows, "expected": expected}


def regression_set():
    rng = np.random.default_rng(13)
    ts = timestamps(rng, ANALYSIS_HOURS, REFERENCE_HOURS, 200)
    n = len(ts)
    y = rng.normal(50, 10, n)
    pred = y + rng.normal(0, 4, n)
    hour = np.array(ts) // HOUR - REFERENCE_HOURS
    rows = [{"ts": int(t), "label": float(a), "prediction": float(b), "score": None} for t, a, b in zip(ts, y, pred)]
    expected = []
    for h in range(ANALYSIS_HOURS):
        m = hour == h
        expected.append(
            {
                "bucket": h,
                "labelled_rows": int(m.sum()),
                "mae": mean_absolute_error(y[m], pred[m]),
                "rmse": root_mean_squared_error(y[m], pred[m]),
                "mape": mean_absolute_percentage_error(y[m], pred[m]),
                "r2": r2_score(y[m], pred[m]),
            }
        )
    return {"name": "perf_regression", "rows": rows, "expected": expected}


def cbpe_set(name, seed, miscalibrated):
    """A reference period (labelled) and an analysis period; NannyML CBPE on the same rows with hourly chunks."""
    import nannyml as nml

    rng = np.random.default_rng(seed)
    ref_ts = timestamps(rng, REFERENCE_HOURS, 0, 1000)
    ana_ts = timestamps(rng, ANALYSIS_HOURS, REFERENCE_HOURS, 1000)

    def rows_for(ts, shift):
        n = len(ts)
        truth = np.clip(rng.beta(2, 3, n) + shift, 0, 1)
        y = (rng.random(n) < truth).astype(int)
        # A miscalibrated model reports squashed scores; a calibrated one reports the true probability.
        score = truth**2 if miscalibrated else truth
        yhat = (score >= 0.5).astype(int)
        return pd.DataFrame({"ts": ts, "p": score, "yhat": yhat, "y": y})

    reference = rows_for(ref_ts, 0.0)
    analysis = rows_for(ana_ts, 0.1)
    metrics = ["roc_auc", "f1", "precision", "recall", "accuracy"]
    for df in (reference, analysis):
        df["timestamp"] = pd.to_datetime(df["ts"], unit="ms")
    estimator = nml.CBPE(
        problem_type="classification_binary",
        y_pred_proba="p",
        y_pred="yhat",
        y_true="y",
        timestamp_column_name="timestamp",
        metrics=metrics,
        chunk_period="h",
    )
    estimator.fit(reference)
    result = estimator.estimate(analysis.drop(columns=["y"])).filter(period="analysis").to_df()
    chunks = []
    for i in range(len(result)):
        entry = {"start_ms": int(pd.Timestamp(result[("chunk", "start_date")].iloc[i]).value // 1_000_000)}
        for m in metrics:
            entry[m] = {
                "value": none_if_nan(result[(m, "value")].iloc[i]),
                "sampling_error": none_if_nan(result[(m, "sampling_error")].iloc[i]),
                "lower": none_if_nan(result[(m, "lower_confidence_boundary")].iloc[i]),
                "upper": none_if_nan(result[(m, "upper_confidence_boundary")].iloc[i]),
            }
        chunks.append(entry)
    rows = lambda df, labelled: [  # noqa: E731
        {"ts": int(r.ts), "score": float(r.p), "prediction": int(r.yhat), **({"label": int(r.y)} if labelled else {})}
        for r in df.itertuples()
    ]
    return {
        "name": name,
        "reference": rows(reference, True),
        "analysis": rows(analysis, True),
        "needs_calibration": bool(estimator.needs_calibration),
        "chunks": chunks,
    }


print(
    json.dumps(
        {
            "hourMs": HOUR,
            "referenceHours": REFERENCE_HOURS,
            "analysisHours": ANALYSIS_HOURS,
            "realised": [binary_set(), multiclass_set(), regression_set()],
            "cbpe": [cbpe_set("cbpe_miscalibrated", 21, True), cbpe_set("cbpe_calibrated", 22, False)],
        }
    )
)
