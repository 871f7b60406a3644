"""Batching, retries and idempotency keys against a local stand-in (the logic only; the proxy is in test_proxy_*)."""

from __future__ import annotations

import json
from typing import Callable

import pytest

from mlsight import Client, RequestError, RetriesExhausted, RetryPolicy
from standin import Answer, Seen, StandIn, accept_all

NO_WAIT = {'sleep': lambda _s: None, 'rng': lambda: 1.0}


def rows(n: int) -> list[dict[str, object]]:
    return [{'prediction_id': f'p-{i}', 'timestamp': 1_000 + i, 'features': {'x': i}} for i in range(n)]


def failing_first(times: int, answer: Answer) -> Callable[[Seen], Answer]:
    """Answers `answer` to the first `times` requests, then accepts."""
    count = {'n': 0}

    def script(seen: Seen) -> Answer:
        count['n'] += 1
        return answer if count['n'] <= times else accept_all(seen)

    return script


@pytest.mark.parametrize(
    'failure',
    [
        Answer(503, {'statusCode': 503, 'error': 'Service Unavailable', 'message': 'store busy'}),
        Answer(429, {'message': 'slow down'}, {'retry-after': '0'}),
        Answer(500, {'message': 'boom'}),
        Answer(drop=True),
    ],
    ids=['503', '429', '500', 'connection dropped'],
)
def test_a_retried_batch_is_sent_again_with_the_same_key_and_the_same_bytes(failure: Answer) -> None:
    server = StandIn(failing_first(2, failure))
    try:
        report = Client(server.url, 'token-0123456789abcdef', **NO_WAIT).log_predictions('m', rows(3))
    finally:
        server.close()
    assert report.accepted == 3 and report.retries == 2
    assert len(server.seen) == 3
    assert len({s.headers['idempotency-key'] for s in server.seen}) == 1
    assert len({s.body for s in server.seen}) == 1
    assert server.seen[0].headers['authorization'] == 'Bearer token-0123456789abcdef'


def test_each_batch_has_its_own_key_and_rows_are_split_by_batch_rows(standin: StandIn) -> None:
    report = Client(standin.url, batch_rows=4, **NO_WAIT).log_predictions('m', rows(10), version='2')
    assert [len(s.rows()) for s in standin.seen] == [4, 4, 2]
    assert len({s.headers['idempotency-key'] for s in standin.seen}) == 3
    assert all(r['version'] == '2' for s in standin.seen for r in s.rows())
    assert (report.accepted, report.batches) == (10, 3)


def test_key_prefix_gives_deterministic_keys(standin: StandIn) -> None:
    Client(standin.url, batch_rows=4, **NO_WAIT).log_predictions('m', rows(6), key_prefix='run-7')
    assert [s.headers['idempotency-key'] for s in standin.seen] == ['run-7-0', 'run-7-1']


def test_rejected_rows_are_reported_by_their_index_in_the_callers_rows() -> None:
    def script(seen: Seen) -> Answer:
        batch = seen.rows()
        bad = [i for i, r in enumerate(batch) if r['features']['x'] % 5 == 0]
        errors = [{'index': i, 'reason': 'features.x: no multiples of five'} for i in bad]
        return Answer(200, {'accepted': len(batch) - len(bad), 'rejected': len(bad), 'duplicates': 0, 'errors': errors})

    server = StandIn(script)
    try:
        report = Client(server.url, batch_rows=3, **NO_WAIT).log_predictions('m', rows(11))
    finally:
        server.close()
    assert [r.index for r in report.rejections] == [0, 5, 10]
    assert report.rejections[0].reason == 'features.x: no multiples of five'
    assert (report.accepted, report.rejected, report.ok) == (8, 3, False)


def test_a_4xx_is_not_retried_and_names_the_proxys_message() -> None:
    server = StandIn(lambda _s: Answer(401, {'statusCode': 401, 'message': 'missing or invalid bearer token'}))
    try:
        with pytest.raises(RequestError, match='401: missing or invalid bearer token'):
            Client(server.url, **NO_WAIT).log_predictions('m', rows(2))
    finally:
        server.close()
    assert len(server.seen) == 1


def test_retries_stop_after_max_attempts_with_the_key_in_the_error() -> None:
    server = StandIn(lambda _s: Answer(503, {'message': 'down'}))
    try:
        client = Client(server.url, retry=RetryPolicy(max_attempts=3), **NO_WAIT)
        with pytest.raises(RetriesExhausted, match='gave up after 3 attempts') as caught:
            client.log_predictions('m', rows(1), key_prefix='k')
    finally:
        server.close()
    assert caught.value.idempotency_key == 'k-0'
    assert len(server.seen) == 3


def test_backoff_grows_exponentially_with_jitter_and_respects_retry_after() -> None:
    policy = RetryPolicy(base_s=0.1, cap_s=1.0)
    assert [policy.delay(n, lambda: 1.0) for n in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    assert policy.delay(3, lambda: 0.25) == pytest.approx(0.2)
    waits: list[float] = []
    server = StandIn(failing_first(1, Answer(429, {'message': 'later'}, {'retry-after': '7'})))
    try:
        Client(server.url, sleep=waits.append, rng=lambda: 0.0).log_predictions('m', rows(1))
    finally:
        server.close()
    assert waits == [7.0]


def test_a_batch_too_large_for_the_proxy_is_split_and_a_single_oversized_row_is_rejected() -> None:
    limit = 400

    def script(seen: Seen) -> Answer:
        if len(seen.body) > limit:
            return Answer(413, {'statusCode': 413, 'message': f'request body is larger than the limit of {limit} bytes'})
        return accept_all(seen)

    server = StandIn(script)
    data = rows(8)
    data[6]['features'] = {'blob': 'z' * 500}
    try:
        report = Client(server.url, **NO_WAIT).log_predictions('m', data, key_prefix='b')
    finally:
        server.close()
    assert report.accepted == 7 and report.rejected == 1
    assert report.rejections[0].index == 6 and 'too large' in report.rejections[0].reason
    keys = [s.headers['idempotency-key'] for s in server.seen]
    assert keys[0] == 'b-0' and 'b-0.1.1.0' in keys


def test_labels_and_reference_go_to_their_endpoints(standin: StandIn) -> None:
    def script(seen: Seen) -> Answer:
        if seen.method == 'PUT':
            body = json.loads(seen.body)
            return Answer(200, {'accepted': len(body['rows']), 'rejected': 0, 'duplicates': 0, 'errors': [],
                                'reference': {'id': 1}, 'notices': []})
        return accept_all(seen)

    standin.script = script
    client = Client(standin.url, **NO_WAIT)
    client.log_labels('credit risk', ['a', 'b'], [1, 0])
    report = client.set_reference('credit risk', [{'age': 1, 'label': 0}], version=2, dataset_digest='abc')
    assert [(s.method, s.path) for s in standin.seen] == [
        ('POST', '/api/v1/models/credit%20risk/labels'),
        ('PUT', '/api/v1/models/credit%20risk/reference'),
    ]
    put = json.loads(standin.seen[1].body)
    assert put == {'version': '2', 'dataset_digest': 'abc', 'rows': [{'features': {'age': 1}, 'label': 0}]}
    assert report.reference == {'reference': {'id': 1}, 'notices': []}
