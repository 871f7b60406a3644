"""Prediction and label drift fixtures with scipy's statistics on the same rows (fixed seeds), for targetDrift.test.ts.

A regression-like model's numeric prediction and a three-class delayed label, in a reference and in one analysed
window, healthy and shifted. Expected: scipy.stats.ks_2samp on the predictions (two-sided, method auto, as the
proxy's KS) and, on the label counts, scipy.stats.chisquare of the window's counts against the reference shares
(Evidently's chi-square stattest and the proxy's) beside scipy.stats.chi2_contingency of the 2 x k table, which
tests the same hypothesis treating the reference as a sample too (reported, not asserted equal).
Prints JSON on stdout.
"""

import json

import numpy as np
from scipy import stats

CLASSES = ["bad", "fair", "good"]


def case(name, seed, shift, shares):
    rng = np.random.default_rng(seed)
    ref_pred = np.round(rng.normal(0.0, 1.0, 900), 6)
    ref_label = rng.choice(CLASSES, size=900, p=[0.2, 0.5, 0.3])
    cur_pred = np.round(rng.normal(shift, 1.0, 400), 6)
    cur_label = rng.choice(CLASSES, size=400, p=shares)
    ks = stats.ks_2samp(ref_pred, cur_pred)
    ref_counts = np.array([(ref_label == c).sum() for c in CLASSES], dtype=float)
    cur_counts = np.array([(cur_label == c).sum() for c in CLASSES], dtype=float)
    chi = stats.chisquare(cur_counts, ref_counts * cur_counts.sum() / ref_counts.sum())
    contingency = stats.chi2_contingency(np.vstack([ref_counts, cur_counts]), correction=False)
    return {
        "name": name,
        "reference": [{"prediction": float(p), "label": str(l)} for p, l in zip(ref_pred, ref_label)],
        "current": [{"prediction": float(p), "label": str(l)} for p, l in zip(cur_pred, cur_label)],
        "expected": {
            "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)},
            "chisquare": {"statistic": float(chi.statistic), "pValue": float(chi.pvalue)},
            "chi2Contingency": {"statistic": float(contingency[0]), "pValue": float(contingency[1])},
        },
    }


print(
    json.dumps(
        {
            "cases": [
                case("target-healthy", 101, 0.0, [0.2, 0.5, 0.3]),
                case("target-shifted", 202, 0.35, [0.34, 0.41, 0.25]),
            ]
        }
    )
)
