"""Fixtures for the HTTP-level drift fidelity test: reference and current rows of a few features, the scipy KS
result per numeric feature and Evidently's DataDriftPreset verdicts per column and for the dataset.

Two sets: `small` (reference of 600 rows: Evidently picks KS / chi-square / Z-test) and `large` (reference of
2500 rows: normed Wasserstein / Jensen-Shannon). Fixed seeds; prints one JSON document on stdout.
"""

import json
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_stats import evidently_columns, ks_2samp, raw  # noqa: E402

NUMERIC = ["age", "income", "credit_score"]
CATEGORICAL = ["region", "channel"]


def make(rng, n, shifted):
    """A credit-like table; `shifted` moves income and credit_score and brings a new channel."""
    channels = ["web", "app", "branch"] + (["partner"] if shifted else [])
    channel_p = [0.35, 0.35, 0.1, 0.2] if shifted else [0.5, 0.3, 0.2]
    return pd.DataFrame(
        {
            "age": np.round(rng.normal(41, 11, n), 1),
            "income": np.round(rng.lognormal(10.6 + (0.25 if shifted else 0.0), 0.4, n), 2),
            "credit_score": np.round(rng.normal(640 if shifted else 665, 55, n)),
            "region": rng.choice(["north", "south", "east", "west"], n, p=[0.3, 0.3, 0.2, 0.2]),
            "channel": rng.choice(channels, n, p=channel_p),
        }
    )


def fixture(name, seed, n_ref, n_cur):
    rng = np.random.default_rng(seed)
    ref = make(rng, n_ref, shifted=False)
    cur = make(rng, n_cur, shifted=True)
    columns, dataset = evidently_columns(ref, cur, NUMERIC, CATEGORICAL)
    ks = {f: ks_2samp(ref[f].to_numpy(), cur[f].to_numpy()) for f in NUMERIC}
    rows = lambda df: [{c: raw([df[c].iloc[i]])[0] for c in df.columns} for i in range(len(df))]
    return {
        "name": name,
        "numeric": NUMERIC,
        "categorical": CATEGORICAL,
        "reference": rows(ref),
        "current": rows(cur),
        "expected": {"ks": ks, "evidently": columns, "dataset": dataset},
    }


def main():
    sets = [fixture("small", 11, 600, 400), fixture("large", 12, 2500, 1500)]
    json.dump({"sets": sets}, sys.stdout)


if __name__ == "__main__":
    main()
