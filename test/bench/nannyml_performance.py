"""NannyML's side of the performance benchmark: CBPE (estimated) and PerformanceCalculator (realised) per hour.

Reads two CSV files named on the command line — the labelled reference and the analysis rows, each with columns
timestamp (epoch ms), score, prediction, label (empty when the label has not arrived) — and prints progress on
stderr and one JSON line on stdout: seconds to read the CSVs, seconds for CBPE fit + estimate, seconds for the
realised calculator fit + calculate, the chunk count, and CBPE's estimated accuracy per chunk (start ms → value) so
the caller can compare the two estimates. The timed parts are NannyML's own work on in-memory pandas frames.
"""

import json
import os
import sys
import time
import warnings

# NannyML phones home unless this is set.
os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")
warnings.filterwarnings("ignore")

import nannyml as nml  # noqa: E402
import pandas as pd  # noqa: E402

METRICS = ["roc_auc", "f1", "precision", "recall", "accuracy"]


def read(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], unit="ms")
    return frame


def main() -> int:
    began = time.perf_counter()
    reference = read(sys.argv[1])
    analysis = read(sys.argv[2])
    read_seconds = time.perf_counter() - began
    print(f"[bench] nannyml: {len(reference)} reference rows, {len(analysis)} analysis rows", file=sys.stderr)
    columns = dict(y_pred_proba="score", y_pred="prediction", y_true="label", timestamp_column_name="timestamp")

    began = time.perf_counter()
    cbpe = nml.CBPE(problem_type="classification_binary", metrics=METRICS, chunk_period="h", **columns)
    cbpe.fit(reference)
    estimated = cbpe.estimate(analysis).to_df()
    cbpe_seconds = time.perf_counter() - began
    print(f"[bench] nannyml: CBPE {cbpe_seconds:.1f} s", file=sys.stderr)

    began = time.perf_counter()
    calculator = nml.PerformanceCalculator(
        problem_type="classification_binary", metrics=METRICS, chunk_period="h", **columns
    )
    calculator.fit(reference)
    calculator.calculate(analysis)
    realised_seconds = time.perf_counter() - began
    print(f"[bench] nannyml: realised {realised_seconds:.1f} s", file=sys.stderr)

    starts = [int(t.value // 1_000_000) for t in estimated[("chunk", "start_date")]]
    values = [None if pd.isna(v) else float(v) for v in estimated[("accuracy", "value")]]
    print(
        json.dumps(
            {
                "read_seconds": read_seconds,
                "cbpe_seconds": cbpe_seconds,
                "realised_seconds": realised_seconds,
                "chunks": len(starts),
                "estimated_accuracy": dict(zip(map(str, starts), values)),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
