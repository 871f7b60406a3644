"""A background thread that batches and sends rows, so a model server's request path only appends to a queue.

Overflow policy (the queue is bounded by `max_queue_rows`, counting queued and in-flight rows):

- ``overflow="block"`` (default): a call that does not fit waits up to `block_timeout_s` for room, then raises
  QueueFull;
- ``overflow="raise"``: such a call raises QueueFull at once.

Either way a call's rows are queued all together or not at all, and QueueFull means the caller still holds them:
no row is ever dropped without the caller being told. Transient failures (429, 5xx, network errors, a restarting
proxy) are retried with backoff and the batch's own Idempotency-Key until they succeed or close() runs out of time;
what could not be delivered then is counted in `stats().unsent` and logged. A batch refused as a whole (401, 400,
409) is counted in `stats().failed`, logged, and passed to `on_error`.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable, Literal, Sequence

from . import rows as _rows
from .batching import Batch, iter_batches
from .client import Client, _ingest_path
from .errors import MLSightError, QueueFull, RetriesExhausted, SenderClosed
from .results import IngestReport, RowRejection
from .transport import RetryPolicy

log = logging.getLogger('mlsight')

BatchKind = Literal['predictions', 'labels']
Overflow = Literal['block', 'raise']
#: (model, kind, rejection) with the rejection's index being the row's sequence number in this sender.
OnRejected = Callable[[str, str, RowRejection], None]
OnError = Callable[[str, str, int, MLSightError], None]


@dataclass(frozen=True)
class SenderStats:
    """Counters since the sender started; rows are counted once whatever happened to their batch."""

    #: Rows taken by log_* calls (each row gets the sequence number `enqueued` had before it).
    enqueued: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    #: Rows of batches the proxy refused as a whole (bad token, bad body): not retried.
    failed: int = 0
    #: Rows still undelivered when close() ran out of time.
    unsent: int = 0
    queued: int = 0
    in_flight: int = 0
    batches: int = 0
    replayed_batches: int = 0
    retries: int = 0
    #: Calls that had to wait for room (overflow "block").
    overflow_waits: int = 0
    #: Rows of calls refused with QueueFull.
    overflow_refused: int = 0


class BackgroundSender:
    """Queues rows and sends them from one daemon thread, in batches by size (`batch_rows`) and time (`linger_s`).

    Use one per process; it closes itself at interpreter exit (atexit: flush for at most `close_timeout_s`).
    """

    def __init__(
        self,
        client: Client,
        *,
        max_queue_rows: int = 100_000,
        overflow: Overflow = 'block',
        block_timeout_s: float = 5.0,
        linger_s: float = 0.5,
        batch_rows: int | None = None,
        retry: RetryPolicy = RetryPolicy(max_attempts=None, base_s=0.2, cap_s=30.0),
        close_timeout_s: float = 30.0,
        on_rejected: OnRejected | None = None,
        on_error: OnError | None = None,
    ) -> None:
        if overflow not in ('block', 'raise'):
            raise ValueError(f'overflow must be "block" or "raise", got {overflow!r}')
        if max_queue_rows < 1:
            raise ValueError('max_queue_rows must be at least 1')
        self.client = client
        self.max_queue_rows = max_queue_rows
        self.overflow: Overflow = overflow
        self.block_timeout_s = block_timeout_s
        self.linger_s = linger_s
        self.batch_rows = min(batch_rows or client.batch_rows, max_queue_rows)
        self.retry = retry
        self.close_timeout_s = close_timeout_s
        self.on_rejected = on_rejected
        self.on_error = on_error
        #: The most recent rejected rows (model, kind, rejection), at most 1000.
        self.rejections: deque[tuple[str, str, RowRejection]] = deque(maxlen=1000)

        self._cond = threading.Condition()
        # Per (model, kind): (sequence number, monotonic enqueue time, row), oldest first.
        self._queues: dict[tuple[str, BatchKind], deque[tuple[int, float, dict[str, Any]]]] = {}
        self._stats = SenderStats()
        self._flushing = 0
        self._closing = False
        self._abort = threading.Event()
        self._thread = threading.Thread(target=self._run, name='mlsight-sender', daemon=True)
        self._thread.start()
        atexit.register(self._at_exit)

    # -- the caller's side --------------------------------------------------------------------------------------

    def log_predictions(self, model: str, rows: Any, version: str | int | None = None) -> int:
        """Queues predictions (as Client.log_predictions takes them); returns the first row's sequence number."""
        return self._enqueue(model, 'predictions', list(_rows.prediction_rows(rows, version)))

    def log_labels(
        self, model: str, ids: Any, labels: Sequence[Any] | None = None, timestamps: Sequence[Any] | None = None
    ) -> int:
        """Queues labels (as Client.log_labels takes them); returns the first row's sequence number."""
        return self._enqueue(model, 'labels', list(_rows.label_rows(ids, labels, timestamps)))

    def stats(self) -> SenderStats:
        with self._cond:
            return self._stats

    def flush(self, timeout: float | None = None) -> bool:
        """Sends everything queued now, without waiting for `linger_s`; True when nothing is left queued or in flight
        (False when `timeout` seconds passed first)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._flushing += 1
            self._cond.notify_all()
            try:
                while self._stats.queued or self._stats.in_flight:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    if not self._thread.is_alive():
                        return False
                    self._cond.wait(remaining if remaining is not None else 1.0)
                return True
            finally:
                self._flushing -= 1

    def close(self, timeout: float | None = None) -> SenderStats:
        """Refuses new rows, sends what is queued (for at most `timeout` s; default `close_timeout_s`), stops the
        thread and returns the final counters. Rows it could not deliver are counted in `unsent` and logged."""
        atexit.unregister(self._at_exit)
        wait = self.close_timeout_s if timeout is None else timeout
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(wait)
        if self._thread.is_alive():
            self._abort.set()
            with self._cond:
                self._cond.notify_all()
            self._thread.join()
        with self._cond:
            left = self._stats.queued
            if left:
                self._queues.clear()
                self._stats = replace(self._stats, queued=0, unsent=self._stats.unsent + left)
            stats = self._stats
        if stats.unsent:
            log.warning('mlsight: %d row(s) could not be delivered before close() timed out', stats.unsent)
        self.client.close()
        return stats

    def __enter__(self) -> BackgroundSender:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _at_exit(self) -> None:
        self.close()

    def _enqueue(self, model: str, kind: BatchKind, rows: list[dict[str, Any]]) -> int:
        _ingest_path(model, kind)
        n = len(rows)
        if n > self.max_queue_rows:
            raise QueueFull(f'{n} rows do not fit in a queue of {self.max_queue_rows}: send them with Client instead')
        with self._cond:
            if self._closing:
                raise SenderClosed('the sender is closed')
            if self._held() + n > self.max_queue_rows:
                if self.overflow == 'raise':
                    self._count(overflow_refused=n)
                    raise QueueFull(f'queue full ({self._held()} of {self.max_queue_rows} rows held); nothing queued')
                self._count(overflow_waits=1)
                deadline = time.monotonic() + self.block_timeout_s
                while self._held() + n > self.max_queue_rows:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or self._closing:
                        self._count(overflow_refused=n)
                        raise QueueFull(
                            f'queue still full after {self.block_timeout_s} s '
                            f'({self._held()} of {self.max_queue_rows} rows held); nothing queued'
                        )
                    self._cond.wait(remaining)
            first = self._stats.enqueued
            now = time.monotonic()
            queue = self._queues.setdefault((model, kind), deque())
            queue.extend((seq, now, row) for seq, row in zip(range(first, first + n), rows))
            self._count(enqueued=n, queued=n)
            self._cond.notify_all()
            return first

    # -- the thread's side --------------------------------------------------------------------------------------

    def _on_retry(self, _reason: str) -> None:
        with self._cond:
            self._count(retries=1)

    def _held(self) -> int:
        return self._stats.queued + self._stats.in_flight

    def _count(self, **deltas: int) -> None:
        self._stats = replace(self._stats, **{k: getattr(self._stats, k) + v for k, v in deltas.items()})

    def _ready(self) -> tuple[tuple[str, BatchKind] | None, float | None]:
        """The due queue whose oldest row is the oldest (so rows leave in the order they came, across models and
        kinds: a label queued after its prediction is sent after it), or how long until the next one is due."""
        now = time.monotonic()
        urgent = self._flushing > 0 or self._closing
        best: tuple[str, BatchKind] | None = None
        oldest = 0.0
        wait: float | None = None
        for key, queue in self._queues.items():
            if not queue:
                continue
            head = queue[0][0]
            age = now - queue[0][1]
            if urgent or len(queue) >= self.batch_rows or age >= self.linger_s:
                if best is None or head < oldest:
                    best, oldest = key, head
            else:
                due = self.linger_s - age
                wait = due if wait is None else min(wait, due)
        return best, wait

    def _take(self, key: tuple[str, BatchKind]) -> list[tuple[int, float, dict[str, Any]]]:
        queue = self._queues[key]
        taken = [queue.popleft() for _ in range(min(self.batch_rows, len(queue)))]
        self._count(queued=-len(taken), in_flight=len(taken))
        return taken

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    key, wait = self._ready()
                    if key is not None:
                        taken = self._take(key)
                        break
                    if self._closing or self._abort.is_set():
                        return
                    self._cond.wait(wait)
            try:
                self._send(key, taken)
            except Exception:  # a bug must not leave rows in flight forever: count them and keep the thread alive
                log.exception('mlsight: %d %s row(s) for %s could not be sent', len(taken), key[1], key[0])
                with self._cond:
                    self._count(in_flight=-len(taken), failed=len(taken))
                    self._cond.notify_all()
            if self._abort.is_set():
                return

    def _send(self, key: tuple[str, BatchKind], taken: list[tuple[int, float, dict[str, Any]]]) -> None:
        model, kind = key
        path = _ingest_path(model, kind)
        seqs = [seq for seq, _, _ in taken]
        report = IngestReport()
        undelivered = 0
        failed = 0
        batches: list[Batch] = list(iter_batches((row for _, _, row in taken), self.batch_rows, self.client.batch_bytes))
        for number, batch in enumerate(batches):
            try:
                report.merge(
                    self.client.send_batch(
                        path,
                        batch,
                        str(uuid.uuid4()),
                        retry=self.retry,
                        should_stop=self._abort.is_set,
                        sleep=self._abort.wait,
                        on_retry=self._on_retry,
                    )
                )
            except RetriesExhausted:
                undelivered = sum(len(b.rows) for b in batches[number:])
                break
            except MLSightError as error:
                failed += len(batch.rows)
                log.error('mlsight: %d %s row(s) for %s refused as a whole: %s', len(batch.rows), kind, model, error)
                if self.on_error is not None:
                    self.on_error(model, kind, len(batch.rows), error)
        for rejection in report.rejections:
            mapped = RowRejection(seqs[rejection.index], rejection.reason)
            self.rejections.append((model, kind, mapped))
            if self.on_rejected is not None:
                self.on_rejected(model, kind, mapped)
        with self._cond:
            self._count(
                in_flight=-len(taken),
                accepted=report.accepted,
                rejected=report.rejected,
                duplicates=report.duplicates,
                failed=failed,
                unsent=undelivered,
                batches=report.batches,
                replayed_batches=report.replayed_batches,
            )
            self._cond.notify_all()
