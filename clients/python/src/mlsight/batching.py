"""Encoding rows once and cutting them into batches bounded by rows and bytes (pure; no I/O).

Each row is encoded on its own, so a batch's size is known exactly before it is sent and a retry resends the very
same bytes (the proxy refuses a reused Idempotency-Key with another body).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

JSON_CONTENT_TYPE = 'application/json'
NDJSON_CONTENT_TYPE = 'application/x-ndjson'
#: What an Arrow body would be sent as; used only when the proxy's OpenAPI document offers it.
ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.stream'

def _default(value: Any) -> Any:
    """numpy scalars and arrays, datetimes and dates: what a DataFrame's values turn into."""
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    item = getattr(value, 'item', None)
    if callable(item) and getattr(value, 'shape', None) == ():
        return item()
    tolist = getattr(value, 'tolist', None)
    if callable(tolist):
        return tolist()
    raise TypeError(f'{type(value).__name__} is not JSON serialisable')


def _finite(value: Any) -> Any:
    """NaN and infinities as null (JSON has neither); nested containers too."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


# One encoder for every row: json.dumps with non-default options builds a new encoder per call, which costs more
# than encoding a small row.
_ENCODER = json.JSONEncoder(separators=(',', ':'), allow_nan=False, ensure_ascii=False, default=_default)


def encode_row(row: Mapping[str, Any]) -> bytes:
    """One row as compact UTF-8 JSON; NaN/inf become null rather than failing the whole batch."""
    try:
        return _ENCODER.encode(row).encode()
    except ValueError:
        return _ENCODER.encode(_finite(dict(row))).encode()


@dataclass(frozen=True)
class Batch:
    """Rows already encoded; `first_index` is the caller's index of row 0."""

    first_index: int
    rows: tuple[bytes, ...]

    @property
    def size(self) -> int:
        return sum(len(r) for r in self.rows) + len(self.rows)

    def halves(self) -> tuple[Batch, Batch]:
        middle = len(self.rows) // 2
        return Batch(self.first_index, self.rows[:middle]), Batch(self.first_index + middle, self.rows[middle:])


def iter_batches(rows: Iterable[Mapping[str, Any]], max_rows: int, max_bytes: int) -> Iterator[Batch]:
    """Consumes rows lazily and yields batches of at most `max_rows` rows and (when more than one row) at most
    `max_bytes` of row bytes. A single row larger than `max_bytes` is a batch of its own (the proxy decides)."""
    if max_rows < 1:
        raise ValueError('max_rows must be at least 1')
    if max_bytes < 1:
        raise ValueError('max_bytes must be at least 1')
    pending: list[bytes] = []
    size = 0
    first = 0
    index = 0
    for row in rows:
        encoded = encode_row(row)
        if pending and (len(pending) >= max_rows or size + len(encoded) + 1 > max_bytes):
            yield Batch(first, tuple(pending))
            pending = []
            size = 0
            first = index
        pending.append(encoded)
        size += len(encoded) + 1
        index += 1
    if pending:
        yield Batch(first, tuple(pending))


def json_body(rows: Iterable[bytes], meta: Mapping[str, Any] | None = None) -> bytes:
    """`{"rows": [...]}`, with the reference endpoint's metadata fields before the rows."""
    head = b'{'
    if meta:
        head = json.dumps(dict(meta), separators=(',', ':'), ensure_ascii=False).encode()[:-1] + b','
    return head + b'"rows":[' + b','.join(rows) + b']}'


def ndjson_body(rows: Iterable[bytes]) -> bytes:
    return b'\n'.join(rows) + b'\n'
