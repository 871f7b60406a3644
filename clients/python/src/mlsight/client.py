"""The synchronous client of the proxy's ingestion API (`/api/v1/models/{model}/{predictions,labels,reference}`)."""

from __future__ import annotations

import random
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterable, Literal, Mapping, Sequence

from . import rows as _rows
from .batching import (
    ARROW_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    NDJSON_CONTENT_TYPE,
    Batch,
    encode_row,
    iter_batches,
    json_body,
    ndjson_body,
)
from .errors import RequestError, UnsupportedFormat
from .results import IngestReport, RowRejection
from .transport import IDEMPOTENCY_HEADER, RetryPolicy, Transport

Kind = Literal['predictions', 'labels', 'reference']
BodyFormat = Literal['json', 'ndjson', 'auto']
KINDS: tuple[Kind, ...] = ('predictions', 'labels', 'reference')
#: Called after each batch with (rows answered so far, the report so far).
Progress = Callable[[int, IngestReport], None]

OPENAPI_PATH = '/api/v1/openapi.json'


def _ingest_path(model: str, kind: Kind) -> str:
    if not model or not model.strip():
        raise ValueError('model must not be empty')
    return f'/api/v1/models/{urllib.parse.quote(model, safe="")}/{kind}'


class Client:
    """Sends rows to an MLSight proxy, in batches, with retries and one Idempotency-Key per batch.

    Args:
        url: the proxy, e.g. ``http://127.0.0.1:8450``.
        token: a token with the ``ingest`` scope (omit when the proxy runs with ``MLSIGHT_AUTH=off``).
        batch_rows / batch_bytes: a batch holds at most this many rows and (unless it is one row) bytes; keep
            `batch_bytes` under the proxy's ``MLSIGHT_MAX_BODY_BYTES`` (16 MiB by default). A batch the proxy still
            finds too large (413) is split in two and each half sent with its own key.
        retry: backoff for 429, 5xx and network errors (see RetryPolicy).
        body_format: ``json`` (the default: ``{"rows": [...]}``), ``ndjson``, or ``auto``, which would use an Arrow
            body when the proxy's OpenAPI document offers one for the endpoint. No proxy version offers Arrow yet,
            so ``auto`` sends JSON today.
        atomic: ask the proxy to refuse a whole batch (nothing written) when any of its rows is bad.

    The methods return an IngestReport whose rejected rows carry their index in the rows passed to the call.
    A Client may be shared between threads (each thread keeps its own connection).
    """

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        batch_rows: int = 5_000,
        batch_bytes: int = 8 * 1024 * 1024,
        timeout_s: float = 60.0,
        retry: RetryPolicy = RetryPolicy(),
        body_format: BodyFormat = 'json',
        atomic: bool = False,
        sleep: Callable[[float], object] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        if body_format not in ('json', 'ndjson', 'auto'):
            raise ValueError(f'body_format must be json, ndjson or auto, got {body_format!r}')
        if batch_rows < 1 or batch_bytes < 1024:
            raise ValueError('batch_rows must be >= 1 and batch_bytes >= 1024')
        self.url = url.rstrip('/')
        self.transport = Transport(url, token, timeout_s)
        self.batch_rows = batch_rows
        self.batch_bytes = batch_bytes
        self.retry = retry
        self.body_format: BodyFormat = body_format
        self.atomic = atomic
        self._sleep = sleep
        self._rng = rng
        self._offered: dict[str, frozenset[str]] | None = None
        self._offered_lock = threading.Lock()

    # -- public API -------------------------------------------------------------------------------------------

    def log_predictions(
        self,
        model: str,
        rows: Any,
        version: str | int | None = None,
        *,
        key_prefix: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Sends predictions: dicts in the proxy's shape, flat records or a DataFrame (see mlsight.rows).

        `version` fills in rows that name none. `key_prefix` makes the batches' idempotency keys
        ``{key_prefix}-{n}`` (n = 0, 1, …), so sending the same rows again with the same prefix writes nothing;
        without it every batch gets a random key (still the same key on each retry of that batch).
        """
        return self.send_rows(model, 'predictions', _rows.prediction_rows(rows, version), key_prefix, progress)

    def log_labels(
        self,
        model: str,
        ids: Any,
        labels: Sequence[Any] | None = None,
        timestamps: Sequence[Any] | None = None,
        *,
        key_prefix: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Sends delayed labels: parallel `ids` and `labels` (and optional `timestamps`), or, with `labels` omitted,
        records / a DataFrame with `prediction_id`, `label` and optional `timestamp` columns."""
        return self.send_rows(model, 'labels', _rows.label_rows(ids, labels, timestamps), key_prefix, progress)

    def set_reference(
        self,
        model: str,
        data: Any,
        version: str | int | None = None,
        *,
        mlflow_run_id: str | None = None,
        dataset_digest: str | None = None,
        kinds: Mapping[str, Literal['numeric', 'categorical']] | None = None,
        prediction_kind: Literal['numeric', 'categorical'] | None = None,
        label_kind: Literal['numeric', 'categorical'] | None = None,
        prediction_column: str = 'prediction',
        label_column: str = 'label',
        idempotency_key: str | None = None,
    ) -> IngestReport:
        """Freezes the reference of a model (or of one version) from records or a DataFrame, in ONE request.

        The proxy replaces the reference on every PUT, so the rows cannot be split into batches: the whole dataset
        must fit in the proxy's body limit (MLSIGHT_MAX_BODY_BYTES; a 413 raises RequestError saying so).
        `mlflow_run_id` and `dataset_digest` record where the reference came from (see mlsight.mlflow).
        """
        meta: dict[str, Any] = {}
        if version is not None:
            meta['version'] = str(version)
        if mlflow_run_id:
            meta['mlflow_run_id'] = mlflow_run_id
        if dataset_digest:
            meta['dataset_digest'] = dataset_digest
        if kinds:
            meta['kinds'] = dict(kinds)
        if prediction_kind:
            meta['prediction_kind'] = prediction_kind
        if label_kind:
            meta['label_kind'] = label_kind
        encoded = tuple(encode_row(r) for r in _rows.reference_rows(data, prediction_column, label_column))
        path = _ingest_path(model, 'reference') + ('?atomic=true' if self.atomic else '')
        answer, replayed, retries = self._post(
            'PUT', path, json_body(encoded, meta), JSON_CONTENT_TYPE, idempotency_key or str(uuid.uuid4())
        )
        report = IngestReport()
        report.add_answer(answer, 0, replayed, retries)
        return report

    def send_rows(
        self,
        model: str,
        kind: Literal['predictions', 'labels'],
        rows: Iterable[Mapping[str, Any]],
        key_prefix: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Sends rows already in the proxy's shape, consumed lazily and cut into batches.

        Batches are sent in order from a helper thread while the caller's thread reads and encodes the next one
        (at most two encoded batches are held), so the proxy's time and the client's overlap.
        """
        path = _ingest_path(model, kind)
        report = IngestReport()
        sent = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix='mlsight-send') as pool:
            pending: tuple[Future[IngestReport], int] | None = None
            try:
                for number, batch in enumerate(iter_batches(rows, self.batch_rows, self.batch_bytes)):
                    key = f'{key_prefix}-{number}' if key_prefix else str(uuid.uuid4())
                    future = pool.submit(self.send_batch, path, batch, key)
                    if pending is not None:
                        sent += self._collect(pending, report, progress, sent)
                    pending = (future, len(batch.rows))
                if pending is not None:
                    sent += self._collect(pending, report, progress, sent)
                    pending = None
            finally:
                if pending is not None:
                    pending[0].cancel()
        return report

    @staticmethod
    def _collect(
        pending: tuple[Future[IngestReport], int], report: IngestReport, progress: Progress | None, sent: int
    ) -> int:
        future, rows = pending
        report.merge(future.result())
        if progress is not None:
            progress(sent + rows, report)
        return rows

    def send_batch(
        self,
        path: str,
        batch: Batch,
        key: str,
        *,
        retry: RetryPolicy | None = None,
        should_stop: Callable[[], bool] | None = None,
        sleep: Callable[[float], object] | None = None,
        on_retry: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """One batch with its key; a batch the proxy finds too large (413) is split in halves (keys key.0, key.1)
        down to single rows, and a single row that is still too large is reported as rejected."""
        content_type = self._content_type(path)
        body = ndjson_body(batch.rows) if content_type == NDJSON_CONTENT_TYPE else json_body(batch.rows)
        report = IngestReport()
        try:
            answer, replayed, retries = self._post(
                'POST', self._with_atomic(path), body, content_type, key, retry, should_stop, sleep, on_retry
            )
        except RequestError as error:
            if error.status != 413:
                raise
            if len(batch.rows) == 1:
                report.rejected += 1
                report.batches += 1
                report.rejections.append(RowRejection(batch.first_index, f'row too large for the proxy: {error.message}'))
                return report
            first, second = batch.halves()
            for half, suffix in ((first, '.0'), (second, '.1')):
                report.merge(
                    self.send_batch(
                        path, half, key + suffix, retry=retry, should_stop=should_stop, sleep=sleep, on_retry=on_retry
                    )
                )
            return report
        if answer.get('statusCode') == 422:
            # Refused whole (atomic): nothing was written, so every row of the batch counts as rejected.
            answer = {'accepted': 0, 'rejected': len(batch.rows), 'duplicates': 0, 'errors': answer.get('errors', [])}
        report.add_answer(answer, batch.first_index, replayed, retries)
        return report

    def offered_content_types(self, kind: Kind = 'predictions') -> frozenset[str]:
        """The body content types the proxy's OpenAPI document lists for an ingestion endpoint (read once)."""
        with self._offered_lock:
            if self._offered is None:
                self._offered = self._read_offered()
            return self._offered.get(kind, frozenset({JSON_CONTENT_TYPE}))

    def close(self) -> None:
        """Closes this thread's connection (others close when their threads end)."""
        self.transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------------------------

    def _with_atomic(self, path: str) -> str:
        return path + '?atomic=true' if self.atomic else path

    def _content_type(self, path: str) -> str:
        if self.body_format == 'ndjson':
            return NDJSON_CONTENT_TYPE
        if self.body_format == 'auto':
            kind: Kind = next((k for k in KINDS if path.endswith(f'/{k}')), 'predictions')
            offered = self.offered_content_types(kind)
            if ARROW_CONTENT_TYPE in offered:
                # The proxy would have to define the Arrow body's schema first; until one does, say so loudly.
                raise UnsupportedFormat(
                    f'the proxy offers {ARROW_CONTENT_TYPE} but this client version has no Arrow encoder for it; '
                    'use body_format="json"'
                )
        return JSON_CONTENT_TYPE

    def _read_offered(self) -> dict[str, frozenset[str]]:
        response = self.transport.request('GET', OPENAPI_PATH)
        if response.status != 200:
            raise RequestError(response.status, 'could not read the OpenAPI document', OPENAPI_PATH)
        paths = (response.json() or {}).get('paths', {})
        offered: dict[str, frozenset[str]] = {}
        for kind, method in (('predictions', 'post'), ('labels', 'post'), ('reference', 'put')):
            operation = paths.get(f'/api/v1/models/{{model}}/{kind}', {}).get(method, {})
            content = operation.get('requestBody', {}).get('content', {})
            offered[kind] = frozenset(content.keys()) if content else frozenset({JSON_CONTENT_TYPE})
        return offered

    def _post(
        self,
        method: str,
        path: str,
        body: bytes,
        content_type: str,
        key: str,
        retry: RetryPolicy | None = None,
        should_stop: Callable[[], bool] | None = None,
        sleep: Callable[[float], object] | None = None,
        on_retry: Callable[[str], None] | None = None,
    ) -> tuple[dict[str, Any], bool, int]:
        headers = {'content-type': content_type, IDEMPOTENCY_HEADER: key}
        response, retries = self.transport.send(
            method,
            path,
            body,
            headers,
            retry or self.retry,
            sleep=sleep or self._sleep,
            rng=self._rng,
            should_stop=should_stop or (lambda: False),
            on_retry=on_retry,
        )
        answer = response.json()
        if not isinstance(answer, dict):
            raise RequestError(response.status, 'the proxy answered something other than a JSON object', path)
        return answer, response.replayed, retries
