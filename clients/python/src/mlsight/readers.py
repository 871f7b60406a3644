"""Reading rows from files for the CLI: CSV, NDJSON (JSON Lines) and Parquet (with pyarrow), lazily.

Each reader yields records and keeps `invalid` (file row index, reason) for rows it could not read, so that such a
row is reported like a row the proxy rejected rather than skipped, and `fraction()` for progress displays.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any, Iterator, Literal

FileFormat = Literal['csv', 'ndjson', 'parquet']

SUFFIXES: dict[str, FileFormat] = {
    '.csv': 'csv',
    '.ndjson': 'ndjson',
    '.jsonl': 'ndjson',
    '.json': 'ndjson',
    '.parquet': 'parquet',
    '.pq': 'parquet',
}
#: CSV columns kept as text: an id such as "007" or a timestamp in digits must not become a number.
TEXT_COLUMNS = frozenset({'prediction_id', 'timestamp', 'version'})
_INT = re.compile(r'^[+-]?\d+$')
_FLOAT = re.compile(r'^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$')


def detect_format(path: str, explicit: str | None = None) -> FileFormat:
    if explicit:
        if explicit not in ('csv', 'ndjson', 'parquet'):
            raise ValueError(f'--format must be csv, ndjson or parquet, got {explicit!r}')
        return explicit  # type: ignore[return-value]
    suffix = Path(path).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    raise ValueError(f'cannot tell the format of {path!r} from its suffix: pass --format csv|ndjson|parquet')


def csv_value(text: str) -> Any:
    """A CSV cell as JSON would have it: empty is missing, integers and decimals are numbers, the rest text."""
    if text == '':
        return None
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


class RowReader:
    """Base: iterate for records; `invalid` lists unreadable rows by their index in the file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.invalid: list[tuple[int, str]] = []
        self.total_rows: int | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def fraction(self) -> float | None:
        return None

    def file_index(self, sent_index: int) -> int:
        """The file row index of the `sent_index`-th row that was sent (unreadable rows were not sent)."""
        skipped = [index for index, _ in self.invalid]
        file_index = sent_index
        # Each unreadable row at or before the candidate position shifts it by one.
        while True:
            shifted = sent_index + bisect.bisect_right(skipped, file_index)
            if shifted == file_index:
                return file_index
            file_index = shifted


class _ByteCounting(RowReader):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._size = os.path.getsize(path)
        self._handle: io.BufferedReader | None = None

    def fraction(self) -> float | None:
        if self._handle is None or self._size == 0 or self._handle.closed:
            return None
        return min(1.0, self._handle.tell() / self._size)


class NdjsonReader(_ByteCounting):
    def __iter__(self) -> Iterator[dict[str, Any]]:
        index = 0
        with open(self.path, 'rb') as handle:
            self._handle = handle
            for line in handle:
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as error:
                    self.invalid.append((index, f'line is not valid JSON: {error}'))
                    index += 1
                    continue
                if not isinstance(record, dict):
                    self.invalid.append((index, f'expected a JSON object, got {type(record).__name__}'))
                    index += 1
                    continue
                index += 1
                yield record


class CsvReader(_ByteCounting):
    def __iter__(self) -> Iterator[dict[str, Any]]:
        with open(self.path, 'rb') as raw:
            self._handle = raw
            text = io.TextIOWrapper(raw, encoding='utf-8-sig', newline='')
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                return
            for index, cells in enumerate(reader):
                if len(cells) != len(header):
                    self.invalid.append((index, f'has {len(cells)} cells, the header has {len(header)}'))
                    continue
                yield {
                    name: (cell if name in TEXT_COLUMNS and cell != '' else csv_value(cell))
                    for name, cell in zip(header, cells)
                }


class ParquetReader(RowReader):
    def __init__(self, path: str, batch_size: int = 10_000) -> None:
        super().__init__(path)
        try:
            import pyarrow.parquet as pq
        except ImportError as error:
            raise ValueError('reading Parquet needs pyarrow: pip install "mlsight[pyarrow]"') from error
        self._file = pq.ParquetFile(path)
        self.total_rows = int(self._file.metadata.num_rows)
        self._batch_size = batch_size
        self._read = 0

    def fraction(self) -> float | None:
        return self._read / self.total_rows if self.total_rows else None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for batch in self._file.iter_batches(batch_size=self._batch_size):
            for record in batch.to_pylist():
                self._read += 1
                yield record


def open_rows(path: str, file_format: FileFormat) -> RowReader:
    if file_format == 'csv':
        return CsvReader(path)
    if file_format == 'ndjson':
        return NdjsonReader(path)
    return ParquetReader(path)
