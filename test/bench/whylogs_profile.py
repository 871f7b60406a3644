"""whylogs' side of the ingest benchmark: profile the same rows the store ingests, batch by batch, merged into one
profile (what a whylogs-based monitor does per batch). Reads a CSV (one column per feature) and the batch size from
the command line; prints progress on stderr and one JSON line {"rows", "seconds", "rows_per_second"} on stdout.
The timed part is whylogs' own work (why.log per batch + merging), not reading the file.
"""

import json
import os
import sys
import time
import warnings

os.environ.setdefault("WHYLOGS_NO_ANALYTICS", "True")
warnings.filterwarnings("ignore")

import pandas as pd  # noqa: E402
import whylogs as why  # noqa: E402


def main() -> int:
    path, batch = sys.argv[1], int(sys.argv[2])
    frame = pd.read_csv(path)
    merged = None
    seconds = 0.0
    for start in range(0, len(frame), batch):
        part = frame.iloc[start : start + batch]
        began = time.perf_counter()
        view = why.log(part).view()
        merged = view if merged is None else merged.merge(view)
        seconds += time.perf_counter() - began
        if (start // batch) % 10 == 0:
            print(f"[bench] whylogs: {start + len(part)} rows in {seconds:.1f} s", file=sys.stderr)
    rows = len(frame)
    columns = len(merged.get_columns()) if merged is not None else 0
    print(json.dumps({"rows": rows, "columns": columns, "seconds": seconds, "rows_per_second": rows / seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
