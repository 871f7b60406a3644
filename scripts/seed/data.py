"""A generated credit-risk table whose `default` target truly depends on the features.

The generator is a known logistic model (plus a threshold effect and one interaction, so a tree model can beat a
linear one). Each pipeline date draws a fresh sample with its own seed and a small, deliberate population shift, so
consecutive training sets drift the way real monthly snapshots do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NUMERIC_FEATURES: tuple[str, ...] = (
    'age',
    'income',
    'loan_amount',
    'credit_score',
    'debt_to_income',
    'months_employed',
)
CATEGORICAL_FEATURES: tuple[str, ...] = ('region', 'employment_type', 'home_ownership')
FEATURES: tuple[str, ...] = NUMERIC_FEATURES + CATEGORICAL_FEATURES
TARGET = 'default'
ID_COLUMN = 'application_id'

REGIONS: tuple[str, ...] = ('north', 'south', 'east', 'west', 'central')
EMPLOYMENT_TYPES: tuple[str, ...] = ('salaried', 'self-employed', 'contract', 'unemployed')
HOME_OWNERSHIP: tuple[str, ...] = ('own', 'mortgage', 'rent')

_REGION_EFFECT = {'north': -0.10, 'south': 0.25, 'east': 0.0, 'west': -0.20, 'central': 0.10}
_EMPLOYMENT_EFFECT = {'salaried': -0.30, 'self-employed': 0.20, 'contract': 0.35, 'unemployed': 1.00}
_HOME_EFFECT = {'own': -0.35, 'mortgage': -0.10, 'rent': 0.30}
_INTERCEPT = -1.5


@dataclass(frozen=True)
class Population:
    """How one snapshot's applicants differ from the baseline (all neutral by default)."""

    income_scale: float = 1.0
    credit_score_shift: float = 0.0
    region_probs: tuple[float, ...] = (0.22, 0.22, 0.20, 0.20, 0.16)
    employment_probs: tuple[float, ...] = (0.62, 0.18, 0.15, 0.05)
    home_probs: tuple[float, ...] = (0.25, 0.40, 0.35)
    # Share of rows whose credit_score is lost upstream (a broken feed; validation must catch it).
    credit_score_missing_rate: float = 0.0
    notes: str = field(default='baseline population')


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def generate_applications(seed: int, n_rows: int, population: Population, id_prefix: str) -> pd.DataFrame:
    """Draw `n_rows` loan applications and their `default` outcome, deterministically from `seed`.

    Args:
        seed: numpy Generator seed; the same seed and population always give the same table.
        n_rows: number of applications.
        population: the snapshot's shift relative to the baseline.
        id_prefix: prefix of the `application_id` column (ids are `<prefix>-<000123>`).

    Returns:
        A DataFrame with `application_id`, the nine features and the binary `default` target (0/1). Whole-number
        features (age, months_employed) are float64 on purpose: MLflow's signature then admits missing values.
    """
    rng = np.random.default_rng(seed)
    age = np.clip(np.rint(rng.normal(41.0, 11.0, n_rows)), 21, 75)
    income = np.round(rng.lognormal(np.log(55_000.0), 0.45, n_rows) * population.income_scale, -2)
    loan_amount = np.round(income * rng.uniform(0.05, 0.6, n_rows) * rng.lognormal(0.0, 0.25, n_rows), -1)
    credit_score = np.clip(
        np.rint(rng.normal(680.0 + population.credit_score_shift, 65.0, n_rows) + 0.8 * (age - 41.0)), 300, 850
    )
    debt_to_income = np.round(np.clip(rng.beta(2.0, 5.0, n_rows) * 0.8 + 0.25 * loan_amount / income, 0.0, 1.5), 3)
    months_employed = np.clip(np.rint(rng.gamma(2.0, 30.0, n_rows) * (age / 41.0)), 0, 600)
    region = rng.choice(np.array(REGIONS), n_rows, p=np.array(population.region_probs))
    employment_type = rng.choice(np.array(EMPLOYMENT_TYPES), n_rows, p=np.array(population.employment_probs))
    home_ownership = rng.choice(np.array(HOME_OWNERSHIP), n_rows, p=np.array(population.home_probs))

    logit = (
        _INTERCEPT
        + 0.85 * (debt_to_income - 0.35) / 0.15
        - 0.90 * (credit_score - 680.0) / 65.0
        + 0.45 * np.log(loan_amount / income + 1e-3)
        - 0.35 * (months_employed - 60.0) / 50.0
        - 0.15 * (age - 41.0) / 11.0
        + np.vectorize(_REGION_EFFECT.__getitem__)(region)
        + np.vectorize(_EMPLOYMENT_EFFECT.__getitem__)(employment_type)
        + np.vectorize(_HOME_EFFECT.__getitem__)(home_ownership)
        + 0.9 * (credit_score < 580)
        + 0.6 * ((debt_to_income > 0.5) & (employment_type == 'contract'))
    )
    default = (rng.uniform(0.0, 1.0, n_rows) < _sigmoid(logit)).astype(np.int64)

    frame = pd.DataFrame(
        {
            ID_COLUMN: [f'{id_prefix}-{i:06d}' for i in range(n_rows)],
            'age': age,
            'income': income,
            'loan_amount': loan_amount,
            'credit_score': credit_score,
            'debt_to_income': debt_to_income,
            'months_employed': months_employed,
            'region': region,
            'employment_type': employment_type,
            'home_ownership': home_ownership,
            TARGET: default,
        }
    )
    if population.credit_score_missing_rate > 0:
        lost = rng.uniform(0.0, 1.0, n_rows) < population.credit_score_missing_rate
        frame.loc[lost, 'credit_score'] = np.nan
    return frame


def split_holdout(frame: pd.DataFrame, seed: int, holdout_share: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into (train, holdout) by a seeded permutation, stratified by the target."""
    rng = np.random.default_rng(seed)
    holdout_idx: list[int] = []
    for _, group in frame.groupby(TARGET):
        idx = group.index.to_numpy()
        holdout_idx.extend(rng.permutation(idx)[: int(round(len(idx) * holdout_share))].tolist())
    holdout_mask = frame.index.isin(holdout_idx)
    return frame.loc[~holdout_mask].reset_index(drop=True), frame.loc[holdout_mask].reset_index(drop=True)
