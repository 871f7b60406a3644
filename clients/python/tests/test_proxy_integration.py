"""The client against the real proxy (backend-proxy/dist on SQLite, real tokens), including a kill -9 of the proxy
in the middle of a background send. The store is read back through the proxy's query API."""

from __future__ import annotations

import time
from typing import Any

import pytest

from mlsight import BackgroundSender, Client, RequestError, RetryPolicy
from proxy import INGEST_TOKEN, READ_TOKEN, Proxy

MODEL = 'py-client'
HOUR_MS = 3_600_000
NOW_MS = int(time.time() * 1000) // HOUR_MS * HOUR_MS
#: One bucket over the whole range: the store's totals.
RANGE = (NOW_MS - 24 * HOUR_MS, NOW_MS + HOUR_MS, 30 * 24 * HOUR_MS)


def reference(n: int = 400) -> list[dict[str, Any]]:
    return [{'age': 20 + i % 50, 'region': 'nesw'[i % 4], 'prediction': i % 2, 'label': i % 2} for i in range(n)]


def predictions(n: int, prefix: str = 'p') -> list[dict[str, Any]]:
    return [
        {
            'prediction_id': f'{prefix}-{i}',
            'timestamp': NOW_MS - 1 - (i % 3_600_000),
            'age': 20 + i % 50,
            'region': 'nesw'[i % 4],
            'prediction': i % 2,
            'score': (i % 100) / 100,
            'segment.channel': 'web' if i % 3 else 'app',
        }
        for i in range(n)
    ]


def frame_total(proxy: Proxy, query_type: str, field: str) -> int:
    answer = proxy.query([{'refId': 'A', 'queryType': query_type, 'model': MODEL}], *RANGE)
    result = answer['results']['A']
    assert not result.get('error'), result
    frame = result['frames'][0]
    names = [f['name'] for f in frame['schema']['fields']]
    return int(sum(v or 0 for v in frame['data']['values'][names.index(field)]))


def stored_predictions(proxy: Proxy) -> int:
    """Rows per bucket as the data-quality panel counts them (from the store's sketches, so a row written twice
    would count twice)."""
    return frame_total(proxy, 'data_quality', 'rows')


def stored_labels(proxy: Proxy) -> int:
    return frame_total(proxy, 'performance', 'labelled_rows')


def test_predictions_labels_and_reference_are_stored_and_bad_rows_named_by_index(proxy: Proxy) -> None:
    client = Client(proxy.url, INGEST_TOKEN, batch_rows=700)
    ref = client.set_reference(MODEL, reference(), version='1', dataset_digest='d1g357')
    assert ref.accepted == 400 and ref.reference is not None
    assert [f['name'] for f in ref.reference['reference']['features']] == ['age', 'region']

    rows = predictions(2_000)
    del rows[1_234]['timestamp']
    rows[1_500]['age'] = 'old'
    report = client.log_predictions(MODEL, rows, version='1')
    assert (report.accepted, report.rejected, report.batches) == (1_998, 2, 3)
    assert [r.index for r in report.rejections] == [1_234, 1_500]
    assert report.rejections[0].reason == 'missing timestamp'
    assert 'features.age' in report.rejections[1].reason

    labels = client.log_labels(MODEL, [f'p-{i}' for i in range(500)] + ['never-predicted'], [i % 2 for i in range(501)])
    assert (labels.accepted, labels.rejected) == (500, 1)
    assert labels.rejections[0].index == 500 and 'unknown prediction_id' in labels.rejections[0].reason

    assert stored_predictions(proxy) == 1_998
    assert stored_labels(proxy) == 500


def test_a_batch_sent_again_with_its_key_is_replayed_and_not_counted_twice(proxy: Proxy) -> None:
    client = Client(proxy.url, INGEST_TOKEN, batch_rows=300)
    client.set_reference(MODEL, reference())
    first = client.log_predictions(MODEL, predictions(1_000), key_prefix='replay')
    again = client.log_predictions(MODEL, predictions(1_000), key_prefix='replay')
    assert (first.accepted, first.replayed_batches) == (1_000, 0)
    assert (again.accepted, again.duplicates, again.replayed_batches) == (1_000, 0, again.batches)
    assert stored_predictions(proxy) == 1_000


def test_a_wrong_token_is_refused_as_a_whole_not_retried(proxy: Proxy) -> None:
    with pytest.raises(RequestError) as caught:
        Client(proxy.url, READ_TOKEN).log_predictions(MODEL, predictions(3))
    assert caught.value.status == 403


def test_kill_9_mid_background_send_loses_nothing_acknowledged_and_counts_nothing_twice(proxy: Proxy) -> None:
    n_predictions, n_labels = 30_000, 4_000
    Client(proxy.url, INGEST_TOKEN).set_reference(MODEL, reference())
    sender = BackgroundSender(
        Client(proxy.url, INGEST_TOKEN, timeout_s=30),
        batch_rows=500,
        max_queue_rows=n_predictions + n_labels,
        linger_s=0.0,
        retry=RetryPolicy(max_attempts=None, base_s=0.05, cap_s=0.5),
    )
    sender.log_predictions(MODEL, predictions(n_predictions), version='1')
    sender.log_labels(MODEL, [f'p-{i}' for i in range(n_labels)], [i % 2 for i in range(n_labels)])
    while sender.stats().accepted < n_predictions // 5:
        time.sleep(0.002)
    proxy.kill9()
    at_kill = sender.stats()
    assert at_kill.accepted < n_predictions
    # The sender meets the dead proxy (connection refused) and backs off, holding its rows.
    while sender.stats().retries == at_kill.retries:
        time.sleep(0.01)
    proxy.start()
    assert sender.flush()
    stats = sender.close()

    assert stats.retries > 0
    assert (stats.enqueued, stats.accepted, stats.rejected) == (n_predictions + n_labels, n_predictions + n_labels, 0)
    assert (stats.duplicates, stats.failed, stats.unsent) == (0, 0, 0)
    assert stored_predictions(proxy) == n_predictions
    assert stored_labels(proxy) == n_labels


def test_the_body_format_follows_what_the_proxys_openapi_document_offers(proxy: Proxy) -> None:
    auto = Client(proxy.url, INGEST_TOKEN, body_format='auto')
    assert auto.offered_content_types('predictions') == {'application/json', 'application/x-ndjson'}
    auto.set_reference(MODEL, reference())
    # No Arrow on offer: "auto" sends JSON; NDJSON bodies are taken too, with the same row indexes.
    assert auto.log_predictions(MODEL, predictions(300, 'auto')).accepted == 300
    rows = predictions(300, 'nd')
    rows[42]['prediction_id'] = ''
    report = Client(proxy.url, INGEST_TOKEN, body_format='ndjson').log_predictions(MODEL, rows)
    assert (report.accepted, [r.index for r in report.rejections]) == (299, [42])
    assert stored_predictions(proxy) == 599
