"""Turns what a model server holds (dicts, flat records, pandas DataFrames) into the proxy's row shapes.

A *flat* record has one key per column. These column names are reserved; every other column is a feature:

- predictions: ``prediction_id``, ``timestamp``, ``version``, ``prediction``, ``score``, ``segment.<name>`` (segment
  fields) and ``attribution.<name>`` (per-feature attributions, e.g. SHAP values);
- reference: the prediction and label columns (``prediction`` and ``label`` unless named otherwise);
- labels: ``prediction_id``, ``label``, ``timestamp``.

A record that already has a ``features`` object is taken as the proxy's own shape and passed through unchanged.
Missing values (``None``, NaN, pandas' NA/NaT) are sent as null, which the proxy counts as missing.
"""

from __future__ import annotations

import math
from typing import Any, Iterator, Mapping, Sequence

Row = dict[str, Any]

PREDICTION_FIELDS = frozenset({'prediction_id', 'timestamp', 'version', 'prediction', 'score'})
SEGMENT_PREFIX = 'segment.'
ATTRIBUTION_PREFIX = 'attribution.'


def is_dataframe(value: object) -> bool:
    """A pandas DataFrame, recognised without importing pandas (the core needs only the standard library)."""
    return type(value).__name__ == 'DataFrame' and hasattr(value, 'columns') and hasattr(value, 'to_dict')


_PLAIN = (str, int, bool)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    cls = type(value)
    if cls is float:
        return value != value  # NaN
    if cls in _PLAIN:
        return False
    if isinstance(value, float):
        return math.isnan(value)
    # pandas.NA and pandas.NaT without importing pandas: both are their own types with these names.
    return cls.__name__ in ('NAType', 'NaTType')


def records(data: Any) -> Iterator[Mapping[str, Any]]:
    """The records of a DataFrame (column-wise to Python values, which is faster than `to_dict('records')`) or of
    an iterable of mappings."""
    if is_dataframe(data):
        columns = [str(name) for name in data.columns]
        values = [data[name].tolist() for name in data.columns]
        for row in zip(*values):
            yield dict(zip(columns, row))
        return
    if isinstance(data, Mapping):
        raise TypeError('expected rows (an iterable of dicts) or a DataFrame, got a single dict: wrap it in a list')
    for row in data:
        if not isinstance(row, Mapping):
            raise TypeError(f'expected each row to be a dict, got {type(row).__name__}')
        yield row


def clean(value: Any) -> Any:
    """A missing value as None; everything else unchanged (the encoder converts numpy scalars and datetimes)."""
    return None if _is_missing(value) else value


def prediction_row(record: Mapping[str, Any], version: str | int | None = None) -> Row:
    """One prediction row in the proxy's shape; `version` fills in rows that name none."""
    if 'features' in record:
        if isinstance(record, dict) and (version is None or record.get('version') is not None):
            return record  # already the proxy's shape: no copy (the row is only read, never changed)
        row = dict(record)
    else:
        row = {}
        features: Row = {}
        segment: Row = {}
        attributions: Row = {}
        for key, value in record.items():
            if key in PREDICTION_FIELDS:
                cleaned = clean(value)
                if cleaned is not None:
                    row[key] = cleaned
            elif key.startswith(SEGMENT_PREFIX):
                segment[key[len(SEGMENT_PREFIX) :]] = clean(value)
            elif key.startswith(ATTRIBUTION_PREFIX):
                cleaned = clean(value)
                if cleaned is not None:
                    attributions[key[len(ATTRIBUTION_PREFIX) :]] = cleaned
            else:
                features[key] = clean(value)
        row['features'] = features
        if segment:
            row['segment'] = segment
        if attributions:
            row['attributions'] = attributions
    if version is not None and row.get('version') is None:
        row['version'] = str(version)
    return row


def prediction_rows(data: Any, version: str | int | None = None) -> Iterator[Row]:
    return (prediction_row(record, version) for record in records(data))


def label_rows(ids: Any, labels: Sequence[Any] | None = None, timestamps: Sequence[Any] | None = None) -> Iterator[Row]:
    """Label rows from parallel sequences (`ids`, `labels`, optional `timestamps`), or from records/a DataFrame
    with `prediction_id`, `label` and optional `timestamp` columns when `labels` is None."""
    if labels is None:
        for record in records(ids):
            found: Row = {key: clean(record.get(key)) for key in ('prediction_id', 'label', 'timestamp')}
            if found['timestamp'] is None:
                del found['timestamp']
            yield found
        return
    id_list = list(ids)
    label_list = list(labels)
    if len(id_list) != len(label_list):
        raise ValueError(f'log_labels: {len(id_list)} ids but {len(label_list)} labels')
    ts_list = list(timestamps) if timestamps is not None else None
    if ts_list is not None and len(ts_list) != len(id_list):
        raise ValueError(f'log_labels: {len(id_list)} ids but {len(ts_list)} timestamps')
    for i, (pid, label) in enumerate(zip(id_list, label_list)):
        row: Row = {'prediction_id': clean(pid), 'label': clean(label)}
        if ts_list is not None and clean(ts_list[i]) is not None:
            row['timestamp'] = ts_list[i]
        yield row


def reference_rows(data: Any, prediction_column: str = 'prediction', label_column: str = 'label') -> Iterator[Row]:
    """Reference rows: every column is a feature except the prediction and label columns."""
    for record in records(data):
        if 'features' in record:
            yield dict(record)
            continue
        row: Row = {'features': {}}
        for key, value in record.items():
            if key == prediction_column:
                row['prediction'] = clean(value)
            elif key == label_column:
                row['label'] = clean(value)
            else:
                row['features'][key] = clean(value)
        yield row
