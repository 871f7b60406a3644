#!/usr/bin/env python3
"""Send the MLSight demo story (30 days of credit-risk traffic with a real drift, two small fleet models) to a proxy.

The story is described in scripts/seed/story.py and scripts/seed/fleet_story.py (fraud-screen healthy,
churn-propensity with a data-quality incident). Run it after scripts/seed_demo.py (the story's versions 2 and 3
are the seeded model's champion and challenger) against a proxy whose drift store should hold the demo.

Usage: .venv/bin/python scripts/seed_story.py --proxy-url http://127.0.0.1:8450 [--token T] [--now 2026-11-25T10:00Z]
       [--summary-out story.json]
The token needs the `ingest` scope (env MLSIGHT_INGEST_TOKEN); omit it when the proxy runs with MLSIGHT_AUTH=off.
The last line printed is the summary as JSON (`[story] summary {...}`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# The Python client from this checkout (clients/python), whether or not it is installed in the venv.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'clients' / 'python' / 'src'))

from mlsight import MLSightError  # noqa: E402
from seed.story import parse_now, run_story, summary  # noqa: E402


def log(message: str) -> None:
    print(f'[story] {message}', flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--proxy-url', default=os.environ.get('MLSIGHT_PROXY_URL', 'http://127.0.0.1:8450'))
    parser.add_argument('--token', default=os.environ.get('MLSIGHT_INGEST_TOKEN'))
    parser.add_argument('--now', help='end of the story: epoch ms or ISO-8601 (floored to the hour); default: now')
    parser.add_argument('--summary-out', type=Path, help='also write the summary JSON to this file')
    args = parser.parse_args(argv)
    try:
        now_ms = parse_now(args.now)
    except ValueError as error:
        parser.error(f'--now: {error}')
    try:
        counts = run_story(args.proxy_url, args.token, now_ms, log)
    except (MLSightError, RuntimeError, OSError) as error:
        print(f'[story] failed: {error}', file=sys.stderr, flush=True)
        return 1
    result = summary(counts, now_ms)
    if args.summary_out:
        args.summary_out.parent.mkdir(parents=True, exist_ok=True)
        args.summary_out.write_text(json.dumps(result, indent=2))
    log('summary ' + json.dumps(result, separators=(',', ':')))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
