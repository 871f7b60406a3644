"""SHAP-style attributions written as `explanations/shap_values.json` beside each trained model.

File format (JSON object; every number is a plain float, rows follow `prediction_ids`):

    {
      "format_version": 1,
      "method": "linear-exact" | "permutation-sampling",
      "output": "log_odds",              # attributions explain the model's log-odds (decision_function)
      "feature_names": ["age", ...],     # source features, one-hot columns summed back into their feature
      "base_value": -1.73,               # expected log-odds over the background data
      "values": [[0.12, -0.4, ...], ...],  # one row per explained prediction, one column per feature name
      "data": [[41, 52000.0, ..., "north", ...], ...],  # the raw feature values of those rows
      "prediction_ids": ["2026-10-01-000017", ...],     # application ids of those rows
      "n_background": 4000,              # rows used for the expectation
      "n_permutations": 64               # permutation-sampling only
    }

For every row i: base_value + sum(values[i]) equals the model's log-odds for that row, up to float rounding (both
methods are exactly additive by construction).

- linear-exact (Lundberg & Lee 2017, linear model with independent features): for the transformed column k,
  phi_k = coef_k * (z_k - mean(z_k)) with the mean taken over the background (training) rows; a source feature's
  value is the sum over the columns it expands into.
- permutation-sampling (Strumbelj & Kononenko 2014, with antithetic permutations): for m = 1..M a permutation
  pi_m and a background row b_m are drawn; starting from b_m the features are switched to the row's values in the
  order pi_m and each switch's change in log-odds is credited to the switched feature. Averaging over m gives the
  attribution; the base value is the mean log-odds of the M background rows, which keeps the sum exact.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

FORMAT_VERSION = 1


def _column_owners(prep: ColumnTransformer, features: Sequence[str]) -> np.ndarray:
    """Index (into `features`) of the source feature of every transformed column."""
    owners = np.full(int(sum(s.stop - s.start for s in prep.output_indices_.values())), -1, dtype=np.int64)
    for name, transformer, columns in prep.transformers_:
        if name == 'remainder' or transformer == 'drop':
            continue
        out = prep.output_indices_[name]
        if isinstance(transformer, OneHotEncoder):
            widths = [len(c) for c in transformer.categories_]
        else:
            widths = [1] * len(columns)
        position = out.start
        for column, width in zip(columns, widths):
            owners[position : position + width] = features.index(column)
            position += width
    if (owners < 0).any():
        raise ValueError('explanations: some transformed columns have no source feature')
    return owners


def _dense(matrix: Any) -> np.ndarray:
    return np.asarray(matrix.toarray() if hasattr(matrix, 'toarray') else matrix, dtype=np.float64)


def linear_exact(
    model: Pipeline, background: pd.DataFrame, rows: pd.DataFrame, features: Sequence[str]
) -> tuple[float, np.ndarray]:
    """Exact SHAP values in log-odds space for a (ColumnTransformer -> LogisticRegression) pipeline.

    Returns:
        (base_value, values) with values shaped (len(rows), len(features)).
    """
    prep, clf = model[0], model[-1]
    if not isinstance(prep, ColumnTransformer) or not isinstance(clf, LogisticRegression):
        raise TypeError('linear_exact: expects Pipeline(ColumnTransformer, LogisticRegression)')
    coef = clf.coef_.ravel()
    mean_z = _dense(prep.transform(background[list(features)])).mean(axis=0)
    z = _dense(prep.transform(rows[list(features)]))
    per_column = coef * (z - mean_z)
    owners = _column_owners(prep, features)
    values = np.zeros((len(rows), len(features)))
    for k, owner in enumerate(owners):
        values[:, owner] += per_column[:, k]
    base_value = float(clf.intercept_[0] + coef @ mean_z)
    return base_value, values


def permutation_sampling(
    model: Pipeline,
    background: pd.DataFrame,
    rows: pd.DataFrame,
    features: Sequence[str],
    n_permutations: int,
    seed: int,
) -> tuple[float, np.ndarray]:
    """Sampled Shapley values in log-odds space for any pipeline with `decision_function`.

    All hybrid rows are scored in one call, so the cost is one prediction over
    n_permutations * (n_features + 1) * len(rows) rows.
    """
    if n_permutations < 2 or n_permutations % 2:
        raise ValueError('permutation_sampling: n_permutations must be even and >= 2 (antithetic pairs)')
    rng = np.random.default_rng(seed)
    d, n = len(features), len(rows)
    half = [rng.permutation(d) for _ in range(n_permutations // 2)]
    permutations = half + [p[::-1] for p in half]
    picks = rng.choice(len(background), size=n_permutations, replace=len(background) < n_permutations)
    base_rows = background.iloc[picks][list(features)].reset_index(drop=True)
    target = rows[list(features)].reset_index(drop=True)

    blocks: list[pd.DataFrame] = []
    for m, order in enumerate(permutations):
        current = pd.DataFrame({f: np.repeat(base_rows[f].to_numpy()[m : m + 1], n) for f in features})
        blocks.append(current.copy())
        for j in order:
            current[features[j]] = target[features[j]].to_numpy()
            blocks.append(current.copy())
    scores = np.asarray(model.decision_function(pd.concat(blocks, ignore_index=True)), dtype=np.float64)
    scores = scores.reshape(n_permutations, d + 1, n)

    values = np.zeros((n, d))
    for m, order in enumerate(permutations):
        steps = np.diff(scores[m], axis=0)  # (d, n): change when switching the k-th feature of `order`
        for k, j in enumerate(order):
            values[:, j] += steps[k]
    values /= n_permutations
    base_value = float(scores[:, 0, 0].mean())
    return base_value, values


def build_document(
    method: str,
    base_value: float,
    values: np.ndarray,
    rows: pd.DataFrame,
    features: Sequence[str],
    prediction_ids: Sequence[str],
    n_background: int,
    n_permutations: int | None = None,
) -> dict[str, Any]:
    """Assemble the JSON document described in this module's docstring."""
    data = [[_plain(v) for v in record] for record in rows[list(features)].itertuples(index=False, name=None)]
    document: dict[str, Any] = {
        'format_version': FORMAT_VERSION,
        'method': method,
        'output': 'log_odds',
        'feature_names': list(features),
        'base_value': base_value,
        'values': [[float(v) for v in row] for row in values],
        'data': data,
        'prediction_ids': list(prediction_ids),
        'n_background': n_background,
    }
    if n_permutations is not None:
        document['n_permutations'] = n_permutations
    return document


def _plain(value: Any) -> Any:
    """numpy scalars -> JSON-ready Python values (NaN -> None)."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    return value
