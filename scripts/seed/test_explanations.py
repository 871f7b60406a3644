"""Checks of the attribution methods in seed/explanations.py.

Run: .venv/bin/python -m unittest discover -s scripts -t scripts -p 'test_*.py'
"""

from __future__ import annotations

import unittest

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from seed import explanations
from seed.data import CATEGORICAL_FEATURES, FEATURES, NUMERIC_FEATURES, TARGET, Population, generate_applications

FEATURE_LIST = list(FEATURES)


def _pipeline(classifier: object) -> Pipeline:
    prep = ColumnTransformer(
        [
            ('num', StandardScaler(), list(NUMERIC_FEATURES)),
            ('cat', OneHotEncoder(handle_unknown='ignore'), list(CATEGORICAL_FEATURES)),
        ]
    )
    return Pipeline([('prep', prep), ('clf', classifier)])


class ExplanationTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        frame = generate_applications(7, 1500, Population(), id_prefix='t')
        cls.train, cls.rows = frame.iloc[:1400], frame.iloc[1400:]
        cls.linear = _pipeline(LogisticRegression(max_iter=1000)).fit(cls.train[FEATURE_LIST], cls.train[TARGET])
        cls.trees = _pipeline(GradientBoostingClassifier(n_estimators=20, random_state=0)).fit(
            cls.train[FEATURE_LIST], cls.train[TARGET]
        )

    def test_linear_exact_is_additive_in_log_odds(self) -> None:
        base, values = explanations.linear_exact(self.linear, self.train, self.rows, FEATURE_LIST)
        np.testing.assert_allclose(
            base + values.sum(axis=1), self.linear.decision_function(self.rows[FEATURE_LIST]), rtol=0, atol=1e-9
        )

    def test_linear_exact_gives_zero_to_a_feature_at_its_background_mean(self) -> None:
        rows = self.rows.copy()
        rows['income'] = self.train['income'].mean()
        _, values = explanations.linear_exact(self.linear, self.train, rows, FEATURE_LIST)
        np.testing.assert_allclose(values[:, FEATURE_LIST.index('income')], 0.0, atol=1e-9)

    def test_permutation_sampling_is_additive_for_trees(self) -> None:
        base, values = explanations.permutation_sampling(self.trees, self.train, self.rows, FEATURE_LIST, 8, seed=3)
        np.testing.assert_allclose(
            base + values.sum(axis=1), self.trees.decision_function(self.rows[FEATURE_LIST]), rtol=0, atol=1e-9
        )

    def test_permutation_sampling_equals_exact_on_a_linear_model(self) -> None:
        # For an additive model every permutation credits feature j with coef_j * (x_j - b_j), so when the sampled
        # background rows are the whole background set the sampled values must equal the exact ones.
        background = self.train.iloc[:16]
        _, exact = explanations.linear_exact(self.linear, background, self.rows, FEATURE_LIST)
        _, sampled = explanations.permutation_sampling(self.linear, background, self.rows, FEATURE_LIST, 16, seed=5)
        np.testing.assert_allclose(sampled, exact, rtol=0, atol=1e-9)

    def test_document_round_trips_the_rows(self) -> None:
        base, values = explanations.linear_exact(self.linear, self.train, self.rows, FEATURE_LIST)
        ids = self.rows['application_id'].tolist()
        doc = explanations.build_document('linear-exact', base, values, self.rows, FEATURE_LIST, ids, len(self.train))
        self.assertEqual(doc['feature_names'], FEATURE_LIST)
        self.assertEqual(len(doc['values']), len(self.rows))
        self.assertEqual(doc['prediction_ids'], ids)
        self.assertEqual(doc['data'][0][FEATURE_LIST.index('region')], self.rows['region'].iloc[0])


class DataTests(unittest.TestCase):
    def test_same_seed_same_table(self) -> None:
        a = generate_applications(11, 300, Population(), id_prefix='x')
        b = generate_applications(11, 300, Population(), id_prefix='x')
        self.assertTrue(a.equals(b))
        self.assertFalse(a.equals(generate_applications(12, 300, Population(), id_prefix='x')))

    def test_missing_rate_only_hits_credit_score(self) -> None:
        frame = generate_applications(11, 2000, Population(credit_score_missing_rate=0.3), id_prefix='x')
        missing = frame.isna().mean()
        self.assertGreater(missing['credit_score'], 0.2)
        self.assertEqual(float(missing.drop('credit_score').sum()), 0.0)


if __name__ == '__main__':
    unittest.main()
