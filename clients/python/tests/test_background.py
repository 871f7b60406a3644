"""The background sender's queue, batching by size and time, overflow policy and shutdown, against a stand-in."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from mlsight import BackgroundSender, Client, QueueFull, RetryPolicy, SenderClosed
from standin import Answer, Seen, StandIn, accept_all

FAST = RetryPolicy(max_attempts=None, base_s=0.01, cap_s=0.05)


def rows(n: int, start: int = 0) -> list[dict[str, object]]:
    return [{'prediction_id': f'p-{i}', 'timestamp': 1_000 + i, 'features': {'x': i}} for i in range(start, start + n)]


def test_rows_are_batched_by_size_and_the_rest_by_time(standin: StandIn) -> None:
    sender = BackgroundSender(Client(standin.url), batch_rows=4, linger_s=0.05, retry=FAST)
    for i in range(10):
        sender.log_predictions('m', rows(1, i))
    assert sender.flush()
    stats = sender.close()
    assert sorted(len(s.rows()) for s in standin.seen)[-1] <= 4
    assert sorted(r['prediction_id'] for s in standin.seen for r in s.rows()) == sorted(f'p-{i}' for i in range(10))
    assert (stats.enqueued, stats.accepted, stats.queued, stats.in_flight) == (10, 10, 0, 0)


def test_a_lingering_batch_is_sent_without_flush(standin: StandIn) -> None:
    arrived = threading.Event()

    def script(seen: Seen) -> Answer:
        arrived.set()
        return accept_all(seen)

    standin.script = script
    sender = BackgroundSender(Client(standin.url), batch_rows=1000, linger_s=0.01, retry=FAST)
    sender.log_predictions('m', rows(3))
    assert arrived.wait(30)
    sender.close()
    assert [len(s.rows()) for s in standin.seen] == [3]


def blocking(release: threading.Event) -> StandIn:
    def script(seen: Seen) -> Answer:
        release.wait()
        return accept_all(seen)

    return StandIn(script)


def test_overflow_raise_refuses_a_call_that_does_not_fit_and_queues_none_of_its_rows() -> None:
    release = threading.Event()
    server = blocking(release)
    try:
        sender = BackgroundSender(Client(server.url), max_queue_rows=5, overflow='raise', linger_s=0.0, retry=FAST)
        sender.log_predictions('m', rows(5))
        with pytest.raises(QueueFull, match='nothing queued'):
            sender.log_predictions('m', rows(2, 5))
        release.set()
        assert sender.flush()
        stats = sender.close()
    finally:
        release.set()
        server.close()
    assert (stats.enqueued, stats.accepted, stats.overflow_refused) == (5, 5, 2)


def test_overflow_block_waits_for_room_then_gives_up_with_queue_full() -> None:
    release = threading.Event()
    server = blocking(release)
    try:
        sender = BackgroundSender(
            Client(server.url), max_queue_rows=5, overflow='block', block_timeout_s=0.05, linger_s=0.0, retry=FAST
        )
        sender.log_predictions('m', rows(5))
        with pytest.raises(QueueFull, match='still full'):
            sender.log_predictions('m', rows(1, 5))
        # Room that frees up while the call waits lets it through.
        sender.block_timeout_s = 60.0
        threading.Timer(0.05, release.set).start()
        sender.log_predictions('m', rows(1, 6))
        assert sender.flush()
        stats = sender.close()
    finally:
        release.set()
        server.close()
    assert (stats.enqueued, stats.accepted, stats.overflow_waits, stats.overflow_refused) == (6, 6, 2, 1)


def test_transient_failures_are_retried_until_the_proxy_answers_with_one_key_per_batch() -> None:
    count = {'n': 0}

    def script(seen: Seen) -> Answer:
        count['n'] += 1
        return Answer(503, {'message': 'restarting'}) if count['n'] <= 6 else accept_all(seen)

    server = StandIn(script)
    try:
        sender = BackgroundSender(Client(server.url), batch_rows=100, retry=FAST)
        sender.log_predictions('m', rows(50))
        assert sender.flush()
        stats = sender.close()
    finally:
        server.close()
    assert (stats.accepted, stats.retries, stats.batches) == (50, 6, 1)
    assert len({s.headers['idempotency-key'] for s in server.seen}) == 1


def test_close_that_runs_out_of_time_counts_and_logs_the_undelivered_rows(caplog: pytest.LogCaptureFixture) -> None:
    server = StandIn(lambda _s: Answer(503, {'message': 'down'}))
    try:
        sender = BackgroundSender(Client(server.url), batch_rows=10, retry=FAST)
        sender.log_predictions('m', rows(25))
        with caplog.at_level(logging.WARNING, logger='mlsight'):
            stats = sender.close(timeout=0.1)
    finally:
        server.close()
    assert (stats.unsent, stats.accepted, stats.queued, stats.in_flight) == (25, 0, 0, 0)
    assert '25 row(s) could not be delivered' in caplog.text
    with pytest.raises(SenderClosed):
        sender.log_predictions('m', rows(1))


def test_a_batch_refused_as_a_whole_is_counted_failed_and_reported() -> None:
    server = StandIn(lambda _s: Answer(401, {'statusCode': 401, 'message': 'missing or invalid bearer token'}))
    errors: list[tuple[str, str, int, str]] = []
    try:
        sender = BackgroundSender(
            Client(server.url), retry=FAST, on_error=lambda m, k, n, e: errors.append((m, k, n, str(e)))
        )
        sender.log_labels('m', ['a', 'b'], [1, 0])
        assert sender.flush()
        stats = sender.close()
    finally:
        server.close()
    assert stats.failed == 2 and stats.accepted == 0
    assert errors == [('m', 'labels', 2, '/api/v1/models/m/labels: HTTP 401: missing or invalid bearer token')]


def test_rejections_carry_the_rows_sequence_number_in_the_sender() -> None:
    def script(seen: Seen) -> Answer:
        batch = seen.rows()
        bad = [i for i, r in enumerate(batch) if r.get('features', {}).get('x') == 7]
        return Answer(200, {'accepted': len(batch) - len(bad), 'rejected': len(bad), 'duplicates': 0,
                            'errors': [{'index': i, 'reason': 'x: seven'} for i in bad]})

    server = StandIn(script)
    seen: list[int] = []
    try:
        sender = BackgroundSender(Client(server.url), batch_rows=3, retry=FAST,
                                  on_rejected=lambda _m, _k, r: seen.append(r.index))
        sender.log_labels('m', ['x'], [1])  # another queue: sequence numbers count every row
        first = sender.log_predictions('m', rows(10))
        assert sender.flush()
        stats = sender.close()
    finally:
        server.close()
    assert first == 1
    assert seen == [8] and [r.index for _m, _k, r in sender.rejections] == [8]
    assert stats.rejected == 1


def test_rows_queued_when_the_interpreter_exits_are_sent_by_the_atexit_hook(standin: StandIn, tmp_path: Path) -> None:
    script = tmp_path / 'server.py'
    script.write_text(
        textwrap.dedent(
            f"""
            from mlsight import BackgroundSender, Client
            sender = BackgroundSender(Client({standin.url!r}), linger_s=3600)
            sender.log_predictions('m', [{{'prediction_id': i, 'timestamp': i, 'features': {{}}}} for i in range(7)])
            """
        )
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert [len(s.rows()) for s in standin.seen] == [7]
