"""`mlsight send` as a user runs it (a subprocess of the installed console script's module) into the real proxy."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlsight import Client
from proxy import INGEST_TOKEN, Proxy
from test_proxy_integration import MODEL, predictions, reference, stored_labels, stored_predictions


def mlsight(proxy: Proxy, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, '-m', 'mlsight.cli', 'send', '--url', proxy.url, '--model', MODEL, *args],
        capture_output=True,
        text=True,
        env={'MLSIGHT_TOKEN': INGEST_TOKEN, 'PATH': '/usr/bin:/bin'},
    )


def write_ndjson(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text(''.join(json.dumps(r) + '\n' for r in rows))


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, 'w', newline='') as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_send_csv_reference_ndjson_predictions_and_csv_labels(proxy: Proxy, tmp_path: Path) -> None:
    write_csv(tmp_path / 'reference.csv', reference())
    done = mlsight(proxy, '--kind', 'reference', '--version', '1', '--kinds', 'age:numeric', str(tmp_path / 'reference.csv'))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('reference: 400 accepted, 0 rejected')

    write_ndjson(tmp_path / 'predictions.ndjson', predictions(12_000))
    done = mlsight(
        proxy, '--kind', 'predictions', '--version', '1', '--json', '--batch-rows', '2000',
        str(tmp_path / 'predictions.ndjson'),
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary['accepted'], summary['rejected'], summary['batches']) == (12_000, 0, 6)
    # Progress on stderr (not a terminal here: a line at most every 2 s) and nothing on stdout but the summary.
    assert done.stdout.count('\n') == 1

    write_csv(tmp_path / 'labels.csv', [{'prediction_id': f'p-{i}', 'label': i % 2} for i in range(3_000)])
    done = mlsight(proxy, '--kind', 'labels', str(tmp_path / 'labels.csv'))
    assert done.returncode == 0, done.stderr
    assert stored_predictions(proxy) == 12_000
    assert stored_labels(proxy) == 3_000


@pytest.fixture
def with_reference(proxy: Proxy) -> Proxy:
    Client(proxy.url, INGEST_TOKEN).set_reference(MODEL, reference())
    return proxy


def test_rejected_and_unreadable_rows_are_named_by_file_row_and_the_exit_code_is_1(
    with_reference: Proxy, tmp_path: Path
) -> None:
    proxy = with_reference
    mlsight_rows = predictions(50)
    del mlsight_rows[7]['prediction_id']
    lines = [json.dumps(r) for r in mlsight_rows]
    lines.insert(3, '{"prediction_id": "broken",')  # file row 3 is not JSON; row 7 of the rows is file row 8
    (tmp_path / 'p.jsonl').write_text('\n'.join(lines) + '\n')
    done = mlsight(proxy, '--kind', 'predictions', '--json', str(tmp_path / 'p.jsonl'))
    assert done.returncode == 1
    summary = json.loads(done.stdout)
    assert (summary['accepted'], summary['rejected'], summary['rows']) == (49, 2, 51)
    assert [r['index'] for r in summary['rejections']] == [3, 8]
    assert summary['rejections'][1]['reason'] == 'missing prediction_id'
    assert 'row 8 rejected: missing prediction_id' in done.stderr
    assert 'row 3 rejected: line is not valid JSON' in done.stderr


def test_parquet_predictions(with_reference: Proxy, tmp_path: Path) -> None:
    proxy = with_reference
    pa = pytest.importorskip('pyarrow')
    pq = pytest.importorskip('pyarrow.parquet')
    rows = predictions(5_000)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / 'p.parquet')
    done = mlsight(proxy, '--kind', 'predictions', '--quiet', str(tmp_path / 'p.parquet'))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ''
    assert stored_predictions(proxy) == 5_000


def test_a_refused_token_exits_2_and_says_why(proxy: Proxy, tmp_path: Path) -> None:
    write_ndjson(tmp_path / 'p.ndjson', predictions(3))
    done = subprocess.run(
        [sys.executable, '-m', 'mlsight.cli', 'send', '--url', proxy.url, '--model', MODEL, '--kind', 'predictions',
         '--token', 'not-a-valid-token-at-all', str(tmp_path / 'p.ndjson')],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert 'HTTP 401' in done.stderr
