from __future__ import annotations

import json
import math

import pytest

from mlsight.batching import Batch, encode_row, iter_batches, json_body, ndjson_body


def test_batches_hold_at_most_max_rows_and_keep_the_callers_indexes() -> None:
    batches = list(iter_batches(({'i': i} for i in range(12)), max_rows=5, max_bytes=1 << 20))
    assert [len(b.rows) for b in batches] == [5, 5, 2]
    assert [b.first_index for b in batches] == [0, 5, 10]
    assert [json.loads(r)['i'] for b in batches for r in b.rows] == list(range(12))


def test_batches_stay_under_max_bytes() -> None:
    rows = [{'text': 'x' * 90} for _ in range(50)]
    one = len(encode_row(rows[0])) + 1
    batches = list(iter_batches(rows, max_rows=1000, max_bytes=one * 7))
    assert all(b.size <= one * 7 for b in batches)
    assert sum(len(b.rows) for b in batches) == 50
    assert len(batches) == math.ceil(50 / 7)


def test_a_row_larger_than_max_bytes_is_a_batch_of_its_own() -> None:
    rows = [{'a': 1}, {'big': 'y' * 5000}, {'b': 2}]
    batches = list(iter_batches(rows, max_rows=10, max_bytes=1024))
    assert [len(b.rows) for b in batches] == [1, 1, 1]
    assert [b.first_index for b in batches] == [0, 1, 2]


def test_nan_and_infinity_are_sent_as_null_not_as_invalid_json() -> None:
    row = {'features': {'x': float('nan'), 'y': float('inf'), 'z': 1.5}, 'score': [0.1, float('nan')]}
    assert json.loads(encode_row(row)) == {'features': {'x': None, 'y': None, 'z': 1.5}, 'score': [0.1, None]}


def test_json_body_puts_metadata_before_the_rows_and_parses_back() -> None:
    rows = [encode_row({'features': {'a': i}}) for i in range(3)]
    body = json.loads(json_body(rows, {'version': '2', 'kinds': {'a': 'numeric'}}))
    assert body == {'version': '2', 'kinds': {'a': 'numeric'}, 'rows': [{'features': {'a': i}} for i in range(3)]}
    assert json.loads(json_body(rows)) == {'rows': [{'features': {'a': i}} for i in range(3)]}


def test_ndjson_body_is_one_row_per_line() -> None:
    rows = [encode_row({'i': i}) for i in range(3)]
    assert [json.loads(line) for line in ndjson_body(rows).splitlines()] == [{'i': 0}, {'i': 1}, {'i': 2}]


def test_halves_keep_the_indexes() -> None:
    first, second = Batch(10, (b'1', b'2', b'3')).halves()
    assert (first.first_index, first.rows, second.first_index, second.rows) == (10, (b'1',), 11, (b'2', b'3'))


def test_max_rows_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match='max_rows'):
        list(iter_batches([{}], max_rows=0, max_bytes=10))
