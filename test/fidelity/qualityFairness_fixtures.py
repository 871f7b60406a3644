"""Fixtures for the quality / fairness / explanation fidelity test (test/fidelity/qualityFairness.test.ts).

Rows are generated with fixed seeds; each row carries a `bucket` index (hour 0, 1 or 2 of the test's window) and a
minute offset, which the TypeScript side turns into timestamps. Expected numbers are computed here from the
definitions with pandas / numpy / scikit-learn on the same rows:

- data quality (pandas): per feature and bucket, missing rate = `s.isna().mean()` over accepted rows, out-of-range
  rate = share of non-missing numeric values outside [reference min, reference max], unseen rate = share of
  non-missing categorical values outside the reference categories, type-error rate = refused rows with a wrong-typed
  value in the feature / (accepted rows + those refused rows);
- fairness (fairlearn's definitions, computed with pandas because fairlearn is not in the venv): selection rate per
  group = mean of (prediction == 1) over all rows, true-positive rate = the same mean over rows labelled 1;
  demographic_parity_difference and equal_opportunity_difference = max − min over groups (method
  "between_groups"), demographic_parity_ratio = min / max selection rate; per group: the ratio to the most favoured
  group and to a given reference group;
- explanations (numpy / sklearn): mean |attribution| per feature over the window and per bucket, and per bucket
  `sklearn.metrics.ndcg_score([reference], [bucket])` with the first bucket as reference, with and without k.

Prints one JSON document on stdout.
"""

import json
import sys

import numpy as np
import pandas as pd
from sklearn.metrics import ndcg_score

BUCKETS = 3


def plain(v):
    if v is None:
        return None
    if isinstance(v, (np.floating, float)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


def quality_fixture(seed=31):
    rng = np.random.default_rng(seed)
    n_ref = 800
    ref = pd.DataFrame(
        {
            "amount": rng.normal(100, 15, n_ref),
            "tenure": rng.gamma(2.0, 3.0, n_ref),
            "channel": rng.choice(["web", "app", "branch"], n_ref, p=[0.5, 0.3, 0.2]).astype(object),
        }
    )
    ref.loc[rng.random(n_ref) < 0.05, "amount"] = np.nan
    ref.loc[rng.random(n_ref) < 0.02, "channel"] = None

    rows = []
    for bucket in range(BUCKETS):
        n = 300 + 50 * bucket
        amount = rng.normal(100 + 12 * bucket, 15 + 5 * bucket, n).astype(object)
        tenure = rng.gamma(2.0, 3.0 + bucket, n).astype(object)
        channel = rng.choice(["web", "app", "branch", "partner", "kiosk"], n, p=[0.45, 0.3, 0.15, 0.07, 0.03]).astype(
            object
        )
        amount[rng.random(n) < 0.03 + 0.04 * bucket] = None
        tenure[rng.random(n) < 0.02] = None
        channel[rng.random(n) < 0.05 * bucket] = None
        # Wrong types: text in a numeric feature refuses the row (counted as a type error of that feature).
        amount_bad = rng.random(n) < 0.02 * (bucket + 1)
        tenure_bad = rng.random(n) < 0.015
        for i in range(n):
            features = {
                "amount": "n/a" if amount_bad[i] else plain(amount[i]),
                "tenure": "unknown" if tenure_bad[i] else plain(tenure[i]),
                "channel": channel[i],
            }
            rows.append({"bucket": bucket, "offset_ms": int(rng.integers(0, 3_600_000)), "features": features})

    ref_min = {f: float(ref[f].min()) for f in ("amount", "tenure")}
    ref_max = {f: float(ref[f].max()) for f in ("amount", "tenure")}
    categories = set(ref["channel"].dropna())
    df = pd.DataFrame(
        [{"bucket": r["bucket"], **{f"raw_{k}": v for k, v in r["features"].items()}} for r in rows]
    )
    is_bad = {f: df[f"raw_{f}"].map(lambda v: isinstance(v, str)) for f in ("amount", "tenure")}
    refused = is_bad["amount"] | is_bad["tenure"]
    expected = {}
    for bucket in range(BUCKETS):
        in_bucket = df["bucket"] == bucket
        accepted = df[in_bucket & ~refused]
        per_feature = {}
        for f in ("amount", "tenure"):
            s = pd.to_numeric(accepted[f"raw_{f}"])
            present = s.dropna()
            type_errors = int((in_bucket & is_bad[f]).sum())
            per_feature[f] = {
                "rows": int(len(accepted)),
                "missing_rate": float(s.isna().mean()),
                "out_of_range_rate": float(((present < ref_min[f]) | (present > ref_max[f])).mean()),
                "type_error_rate": type_errors / (len(accepted) + type_errors),
            }
        s = accepted["raw_channel"]
        present = s.dropna()
        per_feature["channel"] = {
            "rows": int(len(accepted)),
            "missing_rate": float(s.isna().mean()),
            "unseen_rate": float((~present.isin(categories)).mean()),
            "type_error_rate": 0.0,
        }
        expected[str(bucket)] = per_feature
    reference_missing = {f: float(ref[f].isna().mean()) for f in ("amount", "tenure", "channel")}
    ref_rows = [{"features": {c: plain(ref[c].iloc[i]) for c in ref.columns}} for i in range(n_ref)]
    return {
        "reference": ref_rows,
        "rows": rows,
        "expected": {"buckets": expected, "referenceMissingRate": reference_missing},
    }


def fairness_fixture(seed=32):
    rng = np.random.default_rng(seed)
    groups = ["north", "south", "east", "west"]
    select_p = {"north": 0.55, "south": 0.35, "east": 0.48, "west": 0.30}
    n = 2400
    region = rng.choice(groups, n, p=[0.3, 0.3, 0.25, 0.15])
    y = (rng.random(n) < 0.4).astype(int)
    p_sel = np.array([select_p[g] for g in region]) + 0.25 * (y - 0.4)
    pred = (rng.random(n) < p_sel).astype(int)
    labelled = rng.random(n) < 0.8
    df = pd.DataFrame({"region": region, "y": y, "pred": pred, "labelled": labelled})

    sr = df.groupby("region")["pred"].mean()
    tpr = df[df.labelled & (df.y == 1)].groupby("region")["pred"].mean()

    def per_group(reference):
        out = {}
        for g in sorted(groups):
            out[g] = {
                "rows": int((df.region == g).sum()),
                "labelled": int(((df.region == g) & df.labelled).sum()),
                "selection_rate": float(sr[g]),
                "true_positive_rate": float(tpr[g]),
                "demographic_parity_difference": float(sr[g] - sr[reference]),
                "equal_opportunity_difference": float(tpr[g] - tpr[reference]),
                "disparate_impact_ratio": float(sr[g] / sr[reference]),
                "passes_80_rule": bool(sr[g] / sr[reference] >= 0.8),
            }
        return out

    most_favoured = str(sr.idxmax())
    rows = [
        {
            "bucket": int(i % BUCKETS),
            "offset_ms": int(rng.integers(0, 3_600_000)),
            "region": str(df.region.iloc[i]),
            "prediction": int(df.pred.iloc[i]),
            "label": int(df.y.iloc[i]) if df.labelled.iloc[i] else None,
        }
        for i in range(n)
    ]
    return {
        "rows": rows,
        "expected": {
            "mostFavoured": most_favoured,
            "summary": {
                "demographic_parity_difference": float(sr.max() - sr.min()),
                "equal_opportunity_difference": float(tpr.max() - tpr.min()),
                "disparate_impact_ratio": float(sr.min() / sr.max()),
                "passes_80_rule": bool(sr.min() / sr.max() >= 0.8),
            },
            "groups": per_group(most_favoured),
            "groupsVsSouth": per_group("south"),
        },
    }


def explanation_fixture(seed=33):
    rng = np.random.default_rng(seed)
    features = ["age", "income", "debt_ratio", "tenure", "region", "channel"]
    # Importance scale per bucket: the ranking moves between buckets.
    scales = [
        [1.0, 0.8, 0.6, 0.4, 0.2, 0.1],
        [0.9, 0.5, 0.7, 0.45, 0.25, 0.1],
        [0.3, 0.6, 0.9, 0.2, 0.8, 0.15],
    ]
    rows = []
    per_bucket = []
    for bucket in range(BUCKETS):
        n = 200 + 40 * bucket
        values = rng.normal(0.0, 1.0, (n, len(features))) * np.array(scales[bucket]) + rng.normal(0.02, 0.01, len(features))
        per_bucket.append(values)
        for i in range(n):
            rows.append(
                {
                    "bucket": bucket,
                    "offset_ms": int(rng.integers(0, 3_600_000)),
                    "attributions": {f: float(values[i, j]) for j, f in enumerate(features)},
                    "score": float(rng.normal(0, 1)),
                }
            )
    everything = np.vstack(per_bucket)
    importance = lambda m: {f: float(v) for f, v in zip(features, np.abs(m).mean(axis=0))}
    signed = {f: float(v) for f, v in zip(features, everything.mean(axis=0))}
    reference = np.abs(per_bucket[0]).mean(axis=0)
    ndcg = {}
    ndcg_at3 = {}
    for bucket in range(BUCKETS):
        current = np.abs(per_bucket[bucket]).mean(axis=0)
        ndcg[str(bucket)] = float(ndcg_score([reference], [current]))
        ndcg_at3[str(bucket)] = float(ndcg_score([reference], [current], k=3))
    return {
        "features": features,
        "rows": rows,
        "expected": {
            "global": importance(everything),
            "globalSigned": signed,
            "perBucket": {str(b): importance(per_bucket[b]) for b in range(BUCKETS)},
            "ndcg": ndcg,
            "ndcgAt3": ndcg_at3,
        },
    }


def main():
    json.dump(
        {"quality": quality_fixture(), "fairness": fairness_fixture(), "explanations": explanation_fixture()},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
