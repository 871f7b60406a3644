#!/usr/bin/env python3
"""Send rate of the Python client (clients/python) into a running proxy: rows/s of `Client.log_predictions` (JSON
bodies, rows in memory), of `mlsight send` on an NDJSON file, and of the hand-written urllib snippet the README
showed before the client (the peer), each into a model of its own so no row is a duplicate of another run's.

Usage: client_send.py --url URL --token T [--rows 100000] [--batch 5000]. Prints progress, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from mlsight import Client

HOUR_MS = 3_600_000


def log(message: str) -> None:
    print(f'[bench] python client: {message}', flush=True)


def rows(n: int, tag: str, now_ms: int) -> list[dict[str, Any]]:
    """Prediction rows of 10 features (7 numeric, 3 categorical), a score and a segment, as a model server has them."""
    return [
        {
            'prediction_id': f'{tag}-{i}',
            'timestamp': now_ms - i % HOUR_MS,
            'version': '1',
            'features': {
                **{f'n{j}': (i * (j + 3)) % 1000 / 10 for j in range(7)},
                **{f'c{j}': 'abcdefgh'[(i + j) % 8] for j in range(3)},
            },
            'prediction': i % 2,
            'score': (i % 100) / 100,
            'segment': {'channel': 'web' if i % 3 else 'app'},
        }
        for i in range(n)
    ]


def reference(client: Client, model: str) -> None:
    sample = rows(2_000, 'ref', 0)
    client.set_reference(model, [{'features': r['features'], 'prediction': r['prediction']} for r in sample])


def urllib_snippet(url: str, token: str, model: str, data: list[dict[str, Any]], batch: int) -> None:
    """The 20-line snippet the README showed before the client, batch by batch (no retries, a new connection each)."""
    for start in range(0, len(data), batch):
        body = json.dumps({'rows': data[start : start + batch]}).encode()
        request = urllib.request.Request(
            f'{url}/api/v1/models/{model}/predictions',
            data=body,
            method='POST',
            headers={
                'content-type': 'application/json',
                'authorization': f'Bearer {token}',
                'idempotency-key': str(uuid.uuid5(uuid.NAMESPACE_URL, body.decode())),
            },
        )
        with urllib.request.urlopen(request) as response:
            answer = json.load(response)
        assert answer['rejected'] == 0, answer['errors'][:3]


def timed(label: str, n: int, send: Any) -> dict[str, float]:
    log(f'{label}: sending {n} rows…')
    started = time.perf_counter()
    send()
    seconds = time.perf_counter() - started
    log(f'{label}: {n / seconds:,.0f} rows/s ({seconds:.2f} s)')
    return {'rows': n, 'seconds': round(seconds, 3), 'rowsPerSecond': round(n / seconds)}


def send_file(args: argparse.Namespace, model: str, data: list[dict[str, Any]], env: dict[str, str]) -> dict[str, float]:
    """`mlsight send` of the rows written as an NDJSON file (the file is written before the clock starts)."""
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / 'predictions.ndjson'
        file.write_text(''.join(json.dumps(r) + '\n' for r in data))
        cli = [sys.executable, '-m', 'mlsight.cli', 'send', '--url', args.url, '--model', model]
        cli += ['--kind', 'predictions', '--batch-rows', str(args.batch), '--json', str(file)]
        out: dict[str, Any] = {}

        def run_cli() -> None:
            done = subprocess.run(cli, capture_output=True, text=True, env=env)
            if done.returncode != 0:
                raise RuntimeError(f'mlsight send failed ({done.returncode}): {done.stderr[-2000:]}')
            out.update(json.loads(done.stdout))

        rate = timed('mlsight send (NDJSON file, JSON bodies)', len(data), run_cli)
        assert out['accepted'] == len(data), out
        return rate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument('--url', required=True)
    parser.add_argument('--token', required=True)
    parser.add_argument('--rows', type=int, default=100_000)
    parser.add_argument('--batch', type=int, default=5_000)
    args = parser.parse_args()
    now_ms = int(time.time() * 1000) // HOUR_MS * HOUR_MS
    client = Client(args.url, args.token, batch_rows=args.batch)
    results: dict[str, Any] = {'offered': sorted(client.offered_content_types('predictions'))}
    reference(client, 'bench-warmup')
    # The proxy's JIT warms up on the first batches: not what any of the three lines should pay for.
    urllib_snippet(args.url, args.token, 'bench-warmup', rows(min(args.rows, 20_000), 'warmup', now_ms), args.batch)
    env = {**os.environ, 'MLSIGHT_TOKEN': args.token}
    best: dict[str, dict[str, float]] = {}
    # Two rounds in opposite orders, best of each: the shared machine's noise and the proxy's warm-up are not the
    # client's (a later send into a warmer proxy is faster).
    for round_, order in enumerate((('urllib', 'client', 'cli'), ('cli', 'client', 'urllib'))):
        for what in order:
            model = f'bench-{what}-{round_}'
            reference(client, model)
            data = rows(args.rows, f'{what}{round_}', now_ms)
            if what == 'client':
                rate = timed('Client.log_predictions (JSON)', args.rows, lambda: client.log_predictions(model, data))
            elif what == 'urllib':
                rate = timed(
                    'hand-written urllib snippet (peer)',
                    args.rows,
                    lambda: urllib_snippet(args.url, args.token, model, data, args.batch),
                )
            else:
                rate = send_file(args, model, data, env)
            if what not in best or rate['rowsPerSecond'] > best[what]['rowsPerSecond']:
                best[what] = rate
    results.update(best)
    print(json.dumps(results), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
