"""Checks of the fleet models' story (seed/fleet_models.py, seed/fleet_story.py) without a proxy.

Run: .venv/bin/python -m unittest discover -s scripts -t scripts -p 'test_*.py'
"""

from __future__ import annotations

import unittest

import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score

from seed import fleet_story
from seed.fleet_models import CHURN_PROPENSITY, FLEET_MODELS, FRAUD_SCREEN, served_inputs, train, training_rows

NOW_MS = 1_796_000_400_000 - 1_796_000_400_000 % fleet_story.HOUR_MS
DAY_MS = fleet_story.DAY_MS


def _traffic(spec, now_ms=NOW_MS):
    return fleet_story.generate_traffic(spec, 7, now_ms)


def _story_traffic(spec):
    """The rows the story sends (its own seed per model)."""
    seed = fleet_story.FLEET_STORY_SEED + 100_000 * FLEET_MODELS.index(spec)
    return fleet_story.generate_traffic(spec, seed, NOW_MS)


class TrafficTest(unittest.TestCase):
    def test_same_rows_for_every_now_only_the_times_move(self) -> None:
        for spec in FLEET_MODELS:
            a, b = _traffic(spec), _traffic(spec, NOW_MS + 5 * fleet_story.HOUR_MS)
            features = [f for f in spec.features if f != fleet_story.INCIDENT_FEATURE]
            self.assertEqual(a[features].to_dict('list'), b[features].to_dict('list'))
            self.assertTrue(((b['ts'] - a['ts']) == 5 * fleet_story.HOUR_MS).all())

    def test_small_and_inside_the_story(self) -> None:
        for spec in FLEET_MODELS:
            traffic = _traffic(spec)
            self.assertTrue(2000 < len(traffic) < 10_000, len(traffic))
            self.assertGreaterEqual(traffic['ts'].min(), NOW_MS - fleet_story.DAYS * DAY_MS)
            self.assertLess(traffic['ts'].max(), NOW_MS)
            self.assertEqual(traffic['prediction_id'].nunique(), len(traffic))

    def test_the_healthy_model_has_no_missing_values(self) -> None:
        self.assertEqual(int(_traffic(FRAUD_SCREEN)[list(FRAUD_SCREEN.features)].isna().sum().sum()), 0)

    def test_the_incident_is_one_feature_over_the_quality_threshold_for_a_day_a_week_and_the_story(self) -> None:
        traffic = _traffic(CHURN_PROPENSITY)
        others = [f for f in CHURN_PROPENSITY.features if f != fleet_story.INCIDENT_FEATURE]
        self.assertEqual(int(traffic[others].isna().sum().sum()), 0)
        for span in (DAY_MS, 7 * DAY_MS, fleet_story.DAYS * DAY_MS):
            window = traffic[traffic['ts'] >= NOW_MS - span]
            rate = window[fleet_story.INCIDENT_FEATURE].isna().mean()
            # Twice the proxy's threshold: the range's buckets round its edges, the volume is Poisson.
            self.assertGreater(rate, 2 * fleet_story.QUALITY_INCIDENT_RATE, f'span {span / DAY_MS} d: {rate:.3f}')
        # Over before the monitor's trailing hour: no DataQualityMissing alert at the story's end.
        last_hours = traffic[traffic['ts'] >= NOW_MS - 2 * fleet_story.HOUR_MS]
        self.assertEqual(int(last_hours[fleet_story.INCIDENT_FEATURE].isna().sum()), 0)


class CalmTest(unittest.TestCase):
    def test_the_story_windows_look_like_the_reference(self) -> None:
        """Two-sample KS / chi-square of every feature's values against the reference, over the windows the fleet
        is asked for in demoStory.test.ts: the last day, the whole story, and the last week started at each hour of
        the next day. A fast stand-in for the proxy's calibrated verdicts (which flag about 1 % of healthy windows):
        the story's rows do not depend on `now`, so a seed that passes here passes there at any hour."""
        hour = fleet_story.HOUR_MS
        windows = [(DAY_MS, 0), (fleet_story.DAYS * DAY_MS, 0)] + [(7 * DAY_MS, k * hour) for k in range(24)]
        for spec in FLEET_MODELS:
            reference = training_rows(spec, spec.champion[1])
            traffic = _story_traffic(spec)
            for span, shift in windows:
                window = traffic[traffic['ts'] >= NOW_MS - span + shift]
                for name in spec.numeric:
                    p = stats.ks_2samp(window[name].dropna(), reference[name]).pvalue
                    self.assertGreater(p, 0.05, f'{spec.name} {name} over {span / DAY_MS} d +{shift / hour} h')
                for name in spec.categorical:
                    categories = sorted(set(reference[name]))
                    table = [[int((frame[name] == c).sum()) for c in categories] for frame in (window, reference)]
                    p = stats.chi2_contingency(np.array(table))[1]
                    self.assertGreater(p, 0.05, f'{spec.name} {name} over {span / DAY_MS} d +{shift / hour} h')


class ModelsTest(unittest.TestCase):
    def test_champions(self) -> None:
        self.assertEqual(FRAUD_SCREEN.champion[0], '2')
        self.assertEqual(CHURN_PROPENSITY.champion[0], '1')

    def test_training_is_deterministic_and_the_models_learn(self) -> None:
        for spec in FLEET_MODELS:
            _, version = spec.champion
            model, rows = train(spec, version)
            again, _ = train(spec, version)
            traffic = _traffic(spec)
            inputs = served_inputs(spec, traffic, rows)
            proba = model.predict_proba(inputs)[:, 1]
            np.testing.assert_array_equal(proba, again.predict_proba(inputs)[:, 1])
            # The target truly depends on the features, and the model finds it.
            self.assertGreater(roc_auc_score(traffic[spec.target], proba), 0.75, spec.name)


if __name__ == '__main__':
    unittest.main()
