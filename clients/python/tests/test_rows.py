from __future__ import annotations

import datetime as dt
import json

import pytest

from mlsight.batching import encode_row
from mlsight.rows import label_rows, prediction_row, prediction_rows, reference_rows


def test_a_flat_record_becomes_a_prediction_row_with_features_segment_and_attributions() -> None:
    row = prediction_row(
        {
            'prediction_id': 'p-1',
            'timestamp': '2026-11-25T10:00:00Z',
            'age': 41,
            'region': 'north',
            'prediction': 1,
            'score': 0.8,
            'segment.channel': 'web',
            'attribution.age': 0.3,
        },
        version=2,
    )
    assert row == {
        'prediction_id': 'p-1',
        'timestamp': '2026-11-25T10:00:00Z',
        'prediction': 1,
        'score': 0.8,
        'features': {'age': 41, 'region': 'north'},
        'segment': {'channel': 'web'},
        'attributions': {'age': 0.3},
        'version': '2',
    }


def test_a_row_in_the_proxys_shape_passes_through_and_keeps_its_own_version() -> None:
    row = {'prediction_id': 1, 'timestamp': 5, 'version': '3', 'features': {'a': 1}}
    assert prediction_row(row, version='2') == row


def test_a_dict_instead_of_rows_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match='wrap it in a list'):
        list(prediction_rows({'prediction_id': 1}))


def test_label_rows_from_parallel_sequences_and_from_records() -> None:
    assert list(label_rows(['a', 'b'], [1, 0], [10, None])) == [
        {'prediction_id': 'a', 'label': 1, 'timestamp': 10},
        {'prediction_id': 'b', 'label': 0},
    ]
    assert list(label_rows([{'prediction_id': 'a', 'label': 1}])) == [{'prediction_id': 'a', 'label': 1}]
    with pytest.raises(ValueError, match='2 ids but 1 labels'):
        list(label_rows(['a', 'b'], [1]))


def test_reference_rows_split_prediction_and_label_from_features() -> None:
    rows = list(reference_rows([{'age': 3, 'y_hat': 1, 'y': 0}], prediction_column='y_hat', label_column='y'))
    assert rows == [{'features': {'age': 3}, 'prediction': 1, 'label': 0}]


def test_a_dataframe_becomes_rows_with_missing_values_as_null() -> None:
    pd = pytest.importorskip('pandas')
    frame = pd.DataFrame(
        {
            'prediction_id': ['a', 'b'],
            'timestamp': pd.to_datetime(['2026-11-25T10:00:00Z', '2026-11-25T11:00:00Z'], utc=True),
            'age': [41.0, float('nan')],
            'region': ['north', None],
            'prediction': [1, 0],
        }
    )
    rows = [json.loads(encode_row(r)) for r in prediction_rows(frame, version='2')]
    assert rows[1]['features'] == {'age': None, 'region': None}
    assert rows[0]['features'] == {'age': 41.0, 'region': 'north'}
    assert rows[0]['timestamp'] == '2026-11-25T10:00:00+00:00'
    assert rows[0]['prediction'] == 1 and rows[0]['version'] == '2'


def test_numpy_scalars_and_dates_are_encoded_as_json_values() -> None:
    np = pytest.importorskip('numpy')
    row = {'features': {'a': np.int64(3), 'b': np.float32(0.5), 'c': np.bool_(True)}, 'when': dt.date(2026, 1, 2)}
    assert json.loads(encode_row(row)) == {'features': {'a': 3, 'b': 0.5, 'c': True}, 'when': '2026-01-02'}
