"""Reference values for MLSight's drift statistics, computed with scipy and Evidently.

Run by test/fidelity/driftStatistics.test.ts with the project venv (/work/main/.venv/bin/python); prints one JSON
document {fixtures, expected, grids} on stdout. Fixtures are generated here with fixed seeds, so the TypeScript
side computes on exactly the same rows. Non-finite floats are written as the strings "inf", "-inf", "nan" and
missing values as null.
"""

import json
import math
import sys
import warnings

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.spatial import distance

warnings.filterwarnings("ignore")

# Evidently 0.7.23 imports a helper that pandas 3 removed (used only by its column-type *test*, not by drift);
# provide it so `import evidently` works with the pinned pandas. Drift code paths are untouched.
import pandas.core.dtypes.common as _pdc  # noqa: E402

if not hasattr(_pdc, "infer_dtype_from_object"):
    _pdc.infer_dtype_from_object = lambda x: x

from evidently import DataDefinition, Dataset, Report  # noqa: E402
from evidently.core.datasets import infer_column_type  # noqa: E402
from evidently.legacy.calculations.stattests import (  # noqa: E402
    chi_stat_test,
    hellinger_stat_test,
    jensenshannon_stat_test,
    psi_stat_test,
    z_stat_test,
)
from evidently.legacy.core import ColumnType  # noqa: E402
from evidently.presets import DataDriftPreset  # noqa: E402

METHOD_NAMES = {
    "K-S p_value": "ks",
    "chi-square p_value": "chisquare",
    "Z-test p_value": "ztest",
    "Wasserstein distance (normed)": "wasserstein",
    "Jensen-Shannon distance": "jensenshannon",
    "PSI": "psi",
    "Hellinger distance": "hellinger",
}


def num(x):
    """JSON-safe float."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def raw(values):
    """Rows as JSON: NaN/None -> null, infinities as strings."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, (float, np.floating)):
            out.append(num(v))
        elif isinstance(v, (np.integer,)):
            out.append(int(v))
        elif isinstance(v, (np.bool_, bool)):
            out.append(bool(v))
        else:
            out.append(v)
    return out


def clean(series):
    """What Evidently hands to a stattest: infinities and NaN dropped."""
    return series.replace([-np.inf, np.inf], np.nan).dropna().reset_index(drop=True)


# ---------------------------------------------------------------- fixtures
def numeric_fixtures():
    f = []

    def add(name, seed, make):
        rng = np.random.default_rng(seed)
        ref, cur = make(rng)
        f.append({"name": name, "kind": "numeric", "reference": np.asarray(ref, dtype=float), "current": np.asarray(cur, dtype=float)})

    add("normal_same", 1, lambda r: (r.normal(0, 1, 400), r.normal(0, 1, 300)))
    add("normal_shift_small", 2, lambda r: (r.normal(0, 1, 250), r.normal(0.35, 1, 200)))
    add("tiny_exact", 3, lambda r: (r.normal(0, 1, 12), r.normal(1, 1, 9)))
    add("equal_n", 4, lambda r: (r.normal(0, 1, 60), r.normal(0.5, 1, 60)))
    add("heavy_t_vs_cauchy", 5, lambda r: (r.standard_t(3, 800), r.standard_cauchy(700)))
    add("large_same", 6, lambda r: (r.normal(0, 1, 5000), r.normal(0.02, 1, 4000)))
    add("large_shift", 7, lambda r: (r.normal(5, 2, 3000), r.normal(5.5, 2, 2500)))
    add("cauchy_large", 8, lambda r: (r.standard_cauchy(2000), r.standard_cauchy(2000) + 0.1))

    def with_missing(r):
        ref = r.normal(0, 1, 600)
        cur = r.normal(0.2, 1, 500)
        ref[r.choice(600, 30, replace=False)] = np.nan
        ref[[5, 17]] = [np.inf, -np.inf]
        cur[r.choice(500, 40, replace=False)] = np.nan
        return ref, cur

    add("with_missing", 9, with_missing)
    add("rounded_ties", 10, lambda r: (np.round(r.normal(10, 2, 900), 1), np.round(r.normal(10.3, 2, 800), 1)))
    add("discrete_small", 11, lambda r: (r.choice(4, 500, p=[0.4, 0.3, 0.2, 0.1]), r.choice(4, 400, p=[0.3, 0.3, 0.25, 0.15])))
    add("binary_numeric_small", 12, lambda r: (r.choice(2, 300, p=[0.6, 0.4]), r.choice(2, 300, p=[0.55, 0.45])))
    add("discrete_large", 13, lambda r: (r.choice(5, 3000, p=[0.3, 0.25, 0.2, 0.15, 0.1]), r.choice(5, 2000, p=[0.2, 0.2, 0.2, 0.2, 0.2])))
    add("asymp_large_current", 14, lambda r: (r.normal(0, 1, 500), r.normal(0.1, 1, 12000)))
    add("asymp_small_en", 15, lambda r: (r.normal(0, 1, 60), r.normal(0.3, 1, 11000)))
    add("few_distinct_reference", 16, lambda r: (r.choice(5, 600).astype(float), r.normal(2, 1, 500)))
    add("fifteen_distinct_large", 17, lambda r: (r.choice(15, 2000), r.choice(15, 1800)))
    add("uniform_vs_beta", 18, lambda r: (r.uniform(0, 1, 1000), r.beta(2, 2, 1000)))
    return f


def categorical_fixtures():
    f = []

    def add(name, seed, make):
        rng = np.random.default_rng(seed)
        ref, cur = make(rng)
        f.append({"name": name, "kind": "categorical", "reference": list(ref), "current": list(cur)})

    add("cat_same_small", 21, lambda r: (r.choice(list("abcd"), 500), r.choice(list("abcd"), 400)))
    add("cat_new_vanished_small", 22, lambda r: (r.choice(list("abcd"), 400), r.choice(list("abce"), 350)))
    add(
        "cat_large_shift",
        23,
        lambda r: (
            r.choice(list("uvwxyz"), 5000, p=[0.3, 0.2, 0.2, 0.1, 0.1, 0.1]),
            r.choice(list("uvwxyz"), 3000, p=[0.2, 0.2, 0.2, 0.2, 0.1, 0.1]),
        ),
    )
    add(
        "cat_large_new",
        24,
        lambda r: (r.choice(list("abc"), 2000), r.choice(list("abcz"), 1500, p=[0.33, 0.33, 0.33, 0.01])),
    )
    add("binary_small_same", 25, lambda r: (r.choice(["y", "n"], 300), r.choice(["y", "n"], 250)))
    add("binary_small_shift", 26, lambda r: (r.choice(["y", "n"], 200, p=[0.5, 0.5]), r.choice(["y", "n"], 200, p=[0.7, 0.3])))
    add("binary_large", 27, lambda r: (r.choice(["y", "n"], 3000, p=[0.3, 0.7]), r.choice(["y", "n"], 3000, p=[0.33, 0.67])))

    def with_missing(r):
        ref = [None if r.random() < 0.1 else v for v in r.choice(list("pqr"), 700)]
        cur = [None if r.random() < 0.1 else v for v in r.choice(list("pqr"), 600, p=[0.4, 0.3, 0.3])]
        return ref, cur

    add("cat_missing", 28, with_missing)
    add("constant", 29, lambda r: (["a"] * 100, ["a"] * 80))
    add("cat_integer_codes", 30, lambda r: (r.choice([1, 2, 3, 4, 5, 6, 7], 600), r.choice([1, 2, 3, 4, 5, 6, 7], 500)))
    return f


def as_series(fixture, which):
    values = fixture[which]
    if fixture["kind"] == "numeric":
        return pd.Series(values, dtype=float)
    if all(isinstance(v, (int, np.integer)) for v in values):
        return pd.Series(values, dtype="int64")
    return pd.Series(values, dtype=object)


# ---------------------------------------------------------------- Evidently
def evidently_columns(frames_ref, frames_cur, numerical, categorical, drift_share=0.5):
    """Per-column method, score and verdict, plus the dataset verdict, from Evidently's DataDriftPreset."""
    dd = DataDefinition(numerical_columns=numerical, categorical_columns=categorical)
    report = Report([DataDriftPreset(drift_share=drift_share)], include_tests=True)
    snap = report.run(Dataset.from_pandas(frames_cur, data_definition=dd), Dataset.from_pandas(frames_ref, data_definition=dd))
    d = snap.dict()
    columns = {}
    share = None
    for m in d["metrics"]:
        cfg = m["config"]
        if cfg["type"].endswith("ValueDrift"):
            columns[cfg["column"]] = {"method": METHOD_NAMES[cfg["method"]], "threshold": num(cfg["threshold"]), "score": num(m["value"])}
        elif cfg["type"].endswith("DriftedColumnsCount"):
            share = num(m["value"]["share"])
            count = m["value"]["count"]
    dataset_drift = None
    for t in d["tests"]:
        column = t["metric_config"]["params"].get("column")
        if t["id"] == "drift" and column in columns:
            columns[column]["drifted"] = t["status"] == "FAIL"
        elif t["metric_config"]["params"]["type"].endswith("DriftedColumnsCount"):
            dataset_drift = t["status"] == "FAIL"
    return columns, {"share": share, "count": count, "drifted": dataset_drift}


def stattest(test, ref, cur, column_type):
    r = test(clean(ref), clean(cur), column_type, None)
    return {"score": num(r.drift_score), "drifted": bool(r.drifted)}


# ---------------------------------------------------------------- our binnings, recomputed with numpy
def quantile_cells(ref, cur, n_bins=10):
    ps = np.array([i / n_bins for i in range(n_bins + 1)])
    edges = np.quantile(ref, ps)

    def count(x):
        idx = np.searchsorted(edges, x, side="right") - 1
        below = int(np.sum(x < edges[0]))
        above = int(np.sum(x > edges[-1]))
        inside = x[(x >= edges[0]) & (x <= edges[-1])]
        bins = np.bincount(np.minimum(np.searchsorted(edges, inside, side="right") - 1, n_bins - 1), minlength=n_bins)
        del idx
        return np.concatenate([[below], bins, [above]]).astype(float)

    r, c = count(ref), count(cur)
    keep = (r > 0) | (c > 0)
    return edges, r[keep], c[keep]


def fill(p):
    p = p.copy()
    m = p[p != 0].min()
    p[p == 0] = m / 10**6 if m <= 0.0001 else 0.0001
    return p


def psi(r, c):
    rp, cp = fill(r / r.sum()), fill(c / c.sum())
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def hellinger(r, c):
    bc = np.sum(np.sqrt((r / r.sum()) * (c / c.sum())))
    return float(np.sqrt(1 - np.clip(bc, 0, 1)))


def linf(r, c):
    return float(np.max(np.abs(r / r.sum() - c / c.sum())))


def ks_2samp(a, b):
    """scipy.stats.ks_2samp (method='auto') and the p-value method it ended up using: 'auto' is exact up to
    10 000 values per sample, and scipy falls back to 'asymp' with a RuntimeWarning when the exact computation
    fails numerically."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = stats.ks_2samp(a, b)
    fell_back = any("Switching to method=asymp" in str(w.message) for w in caught)
    mode = "exact" if max(len(a), len(b)) <= 10000 and not fell_back else "asymp"
    return {"statistic": num(r.statistic), "pValue": num(r.pvalue), "method": mode}


# ---------------------------------------------------------------- expectations
def numeric_expected(fx):
    ref, cur = clean(pd.Series(fx["reference"])), clean(pd.Series(fx["current"]))
    r, c = ref.to_numpy(), cur.to_numpy()
    w = stats.wasserstein_distance(r, c)
    edges, rq, cq = quantile_cells(r, c)
    norm = max(float(np.std(r)), 0.001)
    exp = {
        "n": [len(r), len(c)],
        "ks": ks_2samp(r, c),
        "wasserstein": num(w),
        "wassersteinNormed": num(w / norm),
        "std": num(np.std(r)),
        "quantileEdges": [num(e) for e in edges],
        "quantile": {
            "psi": num(psi(rq, cq)),
            "jensenshannon": num(distance.jensenshannon(rq, cq)),  # nats, as Evidently
            "hellinger": num(hellinger(rq, cq)),
            "linf": num(linf(rq, cq)),
        },
        "evidently": {
            "psi": stattest(psi_stat_test, ref, cur, ColumnType.Numerical),
            "jensenshannon": stattest(jensenshannon_stat_test, ref, cur, ColumnType.Numerical),
            "hellinger": stattest(hellinger_stat_test, ref, cur, ColumnType.Numerical),
        },
    }
    return exp


def category_counts(ref, cur):
    keys = sorted(set(ref.dropna().unique()) | set(cur.dropna().unique()), key=str)
    rc, cc = ref.value_counts(), cur.value_counts()
    return keys, np.array([rc.get(k, 0) for k in keys], dtype=float), np.array([cc.get(k, 0) for k in keys], dtype=float)


def categorical_expected(fx):
    ref, cur = clean(as_series(fx, "reference")), clean(as_series(fx, "current"))
    keys, rc, cc = category_counts(ref, cur)
    exp = {"n": [len(ref), len(cur)], "keys": [str(k) for k in keys]}
    if len(keys) >= 2:
        chi = stats.chisquare(cc, rc * (cc.sum() / rc.sum()))
        exp["chisquare"] = {"statistic": num(chi.statistic), "pValue": num(chi.pvalue)}
    exp["jensenshannonNats"] = num(distance.jensenshannon(rc, cc))
    exp["linf"] = num(linf(rc, cc))
    exp["evidently"] = {
        "psi": stattest(psi_stat_test, ref, cur, ColumnType.Categorical),
        "jensenshannon": stattest(jensenshannon_stat_test, ref, cur, ColumnType.Categorical),
        "hellinger": stattest(hellinger_stat_test, ref, cur, ColumnType.Categorical),
        "ztest": stattest(z_stat_test, ref, cur, ColumnType.Categorical),
    }
    if len(keys) >= 2:
        exp["evidently"]["chisquare"] = stattest(chi_stat_test, ref, cur, ColumnType.Categorical)
    return exp


def auto_expected(fx):
    ref, cur = pd.DataFrame({"x": as_series(fx, "reference")}), pd.DataFrame({"x": as_series(fx, "current")})
    numerical = ["x"] if fx["kind"] == "numeric" else []
    categorical = ["x"] if fx["kind"] == "categorical" else []
    columns, _ = evidently_columns(ref, cur, numerical, categorical)
    return columns["x"]


def dataset_fixture():
    rng = np.random.default_rng(40)
    n_ref, n_cur = 800, 600
    ref = pd.DataFrame(
        {
            "age": rng.normal(40, 10, n_ref),
            "income": rng.lognormal(10, 1, n_ref),
            "score": rng.uniform(0, 1, n_ref),
            "city": rng.choice(list("ABCD"), n_ref),
            "plan": rng.choice(["basic", "pro"], n_ref),
            "visits": rng.normal(5, 2, n_ref),
        }
    )
    cur = pd.DataFrame(
        {
            "age": rng.normal(43, 10, n_cur),
            "income": rng.lognormal(10, 1, n_cur),
            "score": rng.uniform(0.1, 1, n_cur),
            "city": rng.choice(list("ABCD"), n_cur, p=[0.4, 0.2, 0.2, 0.2]),
            "plan": rng.choice(["basic", "pro"], n_cur),
            "visits": rng.normal(5, 2, n_cur),
        }
    )
    numerical = ["age", "income", "score", "visits"]
    categorical = ["city", "plan"]
    columns, dataset = evidently_columns(ref, cur, numerical, categorical)
    return {
        "reference": {k: raw(ref[k].tolist()) for k in ref.columns},
        "current": {k: raw(cur[k].tolist()) for k in cur.columns},
        "kinds": {**{k: "numeric" for k in numerical}, **{k: "categorical" for k in categorical}},
        "columns": columns,
        "dataset": dataset,
    }


# ---------------------------------------------------------------- function grids
def grids():
    g = {}
    a_values = [0.5, 1, 1.5, 2.5, 5, 10, 12.5, 37.5, 100, 499.5, 5000]
    gam = []
    for a in a_values:
        for x in sorted({1e-3, 0.1 * a, 0.5 * a, 0.9 * a, a, a + 1, 1.1 * a, 1.5 * a, 2 * a, 5 * a, 10 * a + 50}):
            gam.append([a, x, num(special.gammaincc(a, x)), num(special.gammainc(a, x))])
    g["gamma"] = gam
    g["gammaln"] = [[x, num(special.gammaln(x))] for x in [0.5, 1, 1.5, 2, 3.7, 10, 33.3, 171.5, 1000.25, 1e5]]
    g["chi2"] = [[x, k, num(stats.chi2.sf(x, k))] for k in [1, 2, 3, 5, 9, 30, 200] for x in [0.01, 0.5, 1, k, 2 * k, 5 * k + 10]]
    xs = list(np.linspace(-6, 6, 49)) + [8, 10, 15, 20, 26, 27.5, -8, -12]
    g["erfc"] = [[float(x), num(special.erfc(x)), num(special.erf(x))] for x in xs]
    g["ndtr"] = [[float(x), num(special.ndtr(x))] for x in list(np.linspace(-38, 10, 97))]
    kolm = []
    for n in [1, 2, 3, 5, 10, 25, 50, 100, 140, 141, 500, 1000, 5000, 20000, 100001, 2000000]:
        xs = {0.4 / n, 0.75 / n, 0.999 / n, 1.5 / n, (n - 0.5) / n, 0.5, 0.6, 0.95}
        for nx2 in [0.05, 0.3, 0.7, 0.754, 0.8, 1.5, 2.1, 2.3, 3.5, 4.2, 8, 17, 19, 60, 200, 380]:
            xs.add(math.sqrt(nx2 / n))
        for x in sorted(xs):
            if 0 < x < 1:
                kolm.append([n, x, num(stats.kstwo.sf(x, n))])
    g["kstwo"] = kolm
    g["smirnov"] = [[n, x, num(special.smirnov(n, x))] for n in [1, 2, 7, 30, 141, 1000, 20000] for x in [0.001, 0.05, 0.1, 0.3, 0.5, 0.9, 1 / n + 1e-9] if x <= 1]
    pairs = [(1, 1), (1, 5), (2, 3), (5, 5), (7, 13), (20, 20), (50, 37), (100, 100), (150, 1000), (999, 1000), (1000, 10000), (3, 10001), (60, 11000), (500, 12000), (10000, 9000)]
    ks = []
    rng = np.random.default_rng(50)
    for n1, n2 in pairs:
        for shift in [0.0, 0.3, 1.5]:
            a, b = rng.normal(0, 1, n1), rng.normal(shift, 1, n2)
            ks.append({"a": raw(a.tolist()), "b": raw(b.tolist()), **ks_2samp(a, b)})
    g["ks"] = ks
    bh = []
    for seed in range(6):
        r = np.random.default_rng(60 + seed)
        p = r.uniform(0, 1, 25) ** 3
        p[:3] = [0.0, 1.0, p[3]]  # bounds and a tie
        r.shuffle(p)
        bh.append({"p": p.tolist(), "adjusted": stats.false_discovery_control(p, method="bh").tolist()})
    g["bh"] = bh
    kinds = {
        "ints_few": pd.Series([1, 2, 3, 2, 1, 3, 4] * 10),
        "ints_many": pd.Series(list(range(40))),
        "floats": pd.Series([0.5, 1.5, 2.0, 2.5]),
        "strings": pd.Series(["a", "b", "a", "b", "a", "c"] * 4, dtype=object),
        "bools": pd.Series([True, False, True]),
        "ints_eleven": pd.Series(list(range(11)) * 3),
    }
    g["kinds"] = {k: {"values": raw(v.tolist()), "kind": {"num": "numeric", "cat": "categorical"}.get(infer_column_type(v).value, infer_column_type(v).value)} for k, v in kinds.items()}
    return g


def main():
    out = {"fixtures": [], "expected": {}, "auto": {}}
    for fx in numeric_fixtures():
        out["fixtures"].append({"name": fx["name"], "kind": "numeric", "reference": raw(fx["reference"].tolist()), "current": raw(fx["current"].tolist())})
        out["expected"][fx["name"]] = numeric_expected(fx)
        out["auto"][fx["name"]] = auto_expected(fx)
    for fx in categorical_fixtures():
        out["fixtures"].append({"name": fx["name"], "kind": "categorical", "reference": raw(fx["reference"]), "current": raw(fx["current"])})
        out["expected"][fx["name"]] = categorical_expected(fx)
        out["auto"][fx["name"]] = auto_expected(fx)
    out["dataset"] = dataset_fixture()
    out["grids"] = grids()
    json.dump(out, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
