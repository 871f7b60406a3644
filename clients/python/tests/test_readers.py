from __future__ import annotations

from pathlib import Path

import pytest

from mlsight.readers import CsvReader, NdjsonReader, csv_value, detect_format


def test_csv_cells_become_numbers_missing_or_text_but_ids_and_timestamps_stay_text(tmp_path: Path) -> None:
    assert [csv_value(v) for v in ['', '7', '-2', '0.5', '1e3', 'north', '1.2.3']] == [
        None, 7, -2, 0.5, 1000.0, 'north', '1.2.3'
    ]
    file = tmp_path / 'p.csv'
    file.write_text('prediction_id,timestamp,age,region\n007,1700000000000,41,north\n008,1700000000001,,\nbad\n')
    reader = CsvReader(str(file))
    assert list(reader) == [
        {'prediction_id': '007', 'timestamp': '1700000000000', 'age': 41, 'region': 'north'},
        {'prediction_id': '008', 'timestamp': '1700000000001', 'age': None, 'region': None},
    ]
    assert reader.invalid == [(2, 'has 1 cells, the header has 4')]


def test_unreadable_ndjson_lines_are_kept_by_file_row_and_sent_rows_map_back_to_file_rows(tmp_path: Path) -> None:
    file = tmp_path / 'p.ndjson'
    file.write_text('{"a": 0}\nnot json\n{"a": 2}\n\n[1]\n{"a": 4}\n')
    reader = NdjsonReader(str(file))
    assert [r['a'] for r in reader] == [0, 2, 4]
    assert [index for index, _ in reader.invalid] == [1, 3]
    assert [reader.file_index(i) for i in range(3)] == [0, 2, 4]
    assert reader.fraction() is None  # the file is closed once read


def test_the_format_comes_from_the_suffix_or_the_flag() -> None:
    assert detect_format('x.jsonl') == 'ndjson' and detect_format('x.PARQUET') == 'parquet'
    assert detect_format('x.txt', 'csv') == 'csv'
    with pytest.raises(ValueError, match='--format'):
        detect_format('x.txt')
