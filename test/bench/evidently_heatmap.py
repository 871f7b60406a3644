"""Evidently's side of the drift-heatmap benchmark: one DataDriftPreset report per bucket over its raw rows.

Reads {numerical, categorical, reference: [row], buckets: [[row]]} from the JSON file named on the command line and
prints progress on stderr and one JSON line {"seconds_per_bucket": …, "drifted_columns": [...]} on stdout. The
timed part is Evidently's own work (building datasets from pandas frames and running the report), per bucket.
"""

import json
import sys
import time
import warnings

import pandas as pd

warnings.filterwarnings("ignore")

# Same shim as test/fidelity/reference_stats.py: evidently 0.7.23 imports a helper pandas 3 removed.
import pandas.core.dtypes.common as _pdc  # noqa: E402

if not hasattr(_pdc, "infer_dtype_from_object"):
    _pdc.infer_dtype_from_object = lambda x: x

from evidently import DataDefinition, Dataset, Report  # noqa: E402
from evidently.presets import DataDriftPreset  # noqa: E402


def main() -> int:
    with open(sys.argv[1], encoding="utf8") as f:
        data = json.load(f)
    definition = DataDefinition(numerical_columns=data["numerical"], categorical_columns=data["categorical"])
    reference = pd.DataFrame(data["reference"])
    seconds = []
    drifted = []
    for i, rows in enumerate(data["buckets"]):
        began = time.perf_counter()
        current = pd.DataFrame(rows)
        report = Report([DataDriftPreset()])
        snapshot = report.run(
            Dataset.from_pandas(current, data_definition=definition),
            Dataset.from_pandas(reference, data_definition=definition),
        )
        result = snapshot.dict()
        seconds.append(time.perf_counter() - began)
        count = next(
            (m["value"]["count"] for m in result["metrics"] if m["config"]["type"].endswith("DriftedColumnsCount")),
            None,
        )
        drifted.append(count)
        print(f"[bench] evidently bucket {i + 1}/{len(data['buckets'])}: {seconds[-1]:.2f} s", file=sys.stderr)
    print(json.dumps({"seconds_per_bucket": sum(seconds) / len(seconds), "drifted_columns": drifted}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
