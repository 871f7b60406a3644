"""Two small demo models beside credit-risk, so the app's fleet page has a story: one healthy, one with an incident.

- `fraud-screen` (is a card transaction fraud?): healthy. Versions 1 and 2, `champion` moved from 1 to 2. Its
  traffic is drawn from the same generator as its reference, every day with its own fixed seed.
- `churn-propensity` (will a subscriber cancel?): stable, except that the usage export breaks for two days near the
  end of the story: `data_usage_gb` is missing in most rows (a data-quality incident, scripts/seed/fleet_story.py).

Each model is a known logistic generator (the target truly depends on the features) and a scikit-learn logistic
regression trained on it. The seeder (seed_demo.py) logs and registers the trained models; the story re-trains them
with the same code and seeds, so the scores it sends are the registered versions' own. Kept small (a few thousand
rows each) because the story runs in many integration and E2E suites.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

Generator = Callable[[np.random.Generator, int], pd.DataFrame]


@dataclass(frozen=True)
class VersionSpec:
    """One registered version: what it was trained on and who shipped it (versions are registered in this order)."""

    logical_date: str
    train_seed: int
    C: float
    deployed_by: str
    description: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FleetModelSpec:
    name: str
    experiment: str
    description: str
    tags: dict[str, str]
    target: str
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    generate: Generator
    versions: tuple[VersionSpec, ...]
    # Prefix of the story's prediction ids (`<prefix>-d<day>-<row>`).
    id_prefix: str

    @property
    def features(self) -> tuple[str, ...]:
        return self.numeric + self.categorical

    @property
    def champion(self) -> tuple[str, VersionSpec]:
        """(version number, spec) of the version the `champion` alias ends on: the last one that takes it."""
        found = [(str(i + 1), v) for i, v in enumerate(self.versions) if 'champion' in v.aliases]
        if not found:
            raise ValueError(f'{self.name}: no version takes the champion alias')
        return found[-1]


TRAIN_ROWS = 2000


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _effect(values: np.ndarray, effects: dict[str, float]) -> np.ndarray:
    return np.vectorize(effects.__getitem__, otypes=[float])(values)


def generate_transactions(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Card transactions and whether each was fraud (about 6 %)."""
    amount = np.round(rng.lognormal(np.log(45.0), 0.9, n), 2)
    account_age_days = np.round(rng.gamma(2.0, 200.0, n))
    distance_km = np.round(rng.lognormal(np.log(8.0), 1.0, n), 1)
    merchant_risk = np.round(rng.beta(2.0, 8.0, n), 3)
    channel = rng.choice(np.array(['web', 'app', 'pos']), n, p=[0.35, 0.40, 0.25])
    card_type = rng.choice(np.array(['debit', 'credit', 'prepaid']), n, p=[0.50, 0.42, 0.08])
    logit = (
        -3.4
        + 0.8 * np.log(amount / 45.0)
        - 0.7 * (np.log1p(account_age_days) - 5.6)
        + 0.5 * np.log(distance_km / 8.0)
        + 7.0 * (merchant_risk - 0.2)
        + _effect(channel, {'web': 0.5, 'app': 0.0, 'pos': -0.6})
        + _effect(card_type, {'debit': 0.0, 'credit': 0.2, 'prepaid': 1.2})
    )
    return pd.DataFrame(
        {
            'amount': amount,
            'account_age_days': account_age_days,
            'distance_km': distance_km,
            'merchant_risk': merchant_risk,
            'channel': channel,
            'card_type': card_type,
            'is_fraud': (rng.uniform(size=n) < _sigmoid(logit)).astype(np.int64),
        }
    )


def generate_subscribers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Subscribers of a telecom plan and whether each cancelled within 30 days (about a quarter)."""
    tenure_months = np.clip(np.rint(rng.gamma(1.6, 18.0, n)), 1, 96)
    monthly_charges = np.round(np.clip(rng.normal(65.0, 22.0, n), 15.0, 160.0), 2)
    data_usage_gb = np.round(rng.lognormal(np.log(12.0), 0.7, n), 2)
    days_since_login = np.round(rng.gamma(1.2, 6.0, n), 1)
    satisfaction = np.round(np.clip(rng.normal(7.0, 1.8, n), 0.0, 10.0), 1)
    contract = rng.choice(np.array(['month-to-month', 'one-year', 'two-year']), n, p=[0.50, 0.28, 0.22])
    payment_method = rng.choice(np.array(['card', 'bank', 'paypal', 'invoice']), n, p=[0.40, 0.30, 0.20, 0.10])
    logit = (
        -1.2
        - 0.035 * (tenure_months - 20.0)
        + 0.015 * (monthly_charges - 65.0)
        - 0.45 * (satisfaction - 7.0)
        + 0.05 * (days_since_login - 7.0)
        - 0.3 * np.log(data_usage_gb / 12.0)
        + _effect(contract, {'month-to-month': 0.9, 'one-year': -0.4, 'two-year': -1.3})
        + _effect(payment_method, {'card': 0.0, 'bank': -0.2, 'paypal': 0.1, 'invoice': 0.4})
    )
    return pd.DataFrame(
        {
            'tenure_months': tenure_months,
            'monthly_charges': monthly_charges,
            'data_usage_gb': data_usage_gb,
            'days_since_login': days_since_login,
            'satisfaction': satisfaction,
            'contract': contract,
            'payment_method': payment_method,
            'churned': (rng.uniform(size=n) < _sigmoid(logit)).astype(np.int64),
        }
    )


FRAUD_SCREEN = FleetModelSpec(
    name='fraud-screen',
    experiment='fraud-screen-training',
    description='Probability that a card transaction is fraudulent (demo model seeded by MLSight: healthy).',
    tags={'team': 'payments-risk', 'domain': 'payments', 'mlsight.demo': 'true'},
    target='is_fraud',
    numeric=('amount', 'account_age_days', 'distance_km', 'merchant_risk'),
    categorical=('channel', 'card_type'),
    generate=generate_transactions,
    versions=(
        VersionSpec(
            logical_date='2026-09-01',
            train_seed=301,
            C=0.1,
            deployed_by='ana.silva',
            description='Logistic regression (C=0.1) on the 2026-09 transactions.',
            aliases=('champion',),
        ),
        VersionSpec(
            logical_date='2026-11-01',
            train_seed=302,
            C=1.0,
            deployed_by='ana.silva',
            description='Logistic regression (C=1.0) retrained on the 2026-11 transactions; promoted to champion.',
            aliases=('champion',),
        ),
    ),
    id_prefix='fs',
)

CHURN_PROPENSITY = FleetModelSpec(
    name='churn-propensity',
    experiment='churn-propensity-training',
    description='Probability that a subscriber cancels within 30 days (demo model seeded by MLSight).',
    tags={'team': 'customer-analytics', 'domain': 'telecom', 'mlsight.demo': 'true'},
    target='churned',
    numeric=('tenure_months', 'monthly_charges', 'data_usage_gb', 'days_since_login', 'satisfaction'),
    categorical=('contract', 'payment_method'),
    generate=generate_subscribers,
    versions=(
        VersionSpec(
            logical_date='2026-10-20',
            # Seeds are checked, not lucky: test_fleet_story.py and demoStory.test.ts fail when a reference or a
            # window of the story is one of the 1 % that a healthy sample drifts by chance.
            train_seed=404,
            C=1.0,
            deployed_by='sam.okafor',
            description='Logistic regression (C=1.0) on the 2026-10-20 subscriber snapshot.',
            aliases=('champion',),
        ),
    ),
    id_prefix='cp',
)

FLEET_MODELS: tuple[FleetModelSpec, ...] = (FRAUD_SCREEN, CHURN_PROPENSITY)


def training_rows(spec: FleetModelSpec, version: VersionSpec) -> pd.DataFrame:
    """The version's training table, the same for the seeder and the story."""
    return spec.generate(np.random.default_rng(version.train_seed), TRAIN_ROWS)


def holdout_rows(spec: FleetModelSpec, version: VersionSpec) -> pd.DataFrame:
    return spec.generate(np.random.default_rng(version.train_seed + 1000), TRAIN_ROWS // 4)


def make_model(spec: FleetModelSpec, version: VersionSpec) -> Pipeline:
    prep = ColumnTransformer(
        [
            ('num', StandardScaler(), list(spec.numeric)),
            ('cat', OneHotEncoder(handle_unknown='ignore'), list(spec.categorical)),
        ]
    )
    return Pipeline([('prep', prep), ('clf', LogisticRegression(C=version.C, max_iter=1000))])


def train(spec: FleetModelSpec, version: VersionSpec) -> tuple[Pipeline, pd.DataFrame]:
    """(fitted model, its training table): deterministic (lbfgs on a seeded table)."""
    rows = training_rows(spec, version)
    return make_model(spec, version).fit(rows[list(spec.features)], rows[spec.target]), rows


def served_inputs(spec: FleetModelSpec, frame: pd.DataFrame, train_rows: pd.DataFrame) -> pd.DataFrame:
    """What the serving layer hands the model: missing numerics imputed with the training median."""
    inputs = frame[list(spec.features)].copy()
    for name in spec.numeric:
        if inputs[name].isna().any():
            inputs[name] = inputs[name].fillna(float(train_rows[name].median()))
    return inputs
