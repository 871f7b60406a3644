"""HTTP to the proxy: keep-alive connections (one per thread) and retries with exponential backoff and jitter.

Retried: network errors (refused, reset, timed out), HTTP 429 and every 5xx, each attempt with the same body and the
same Idempotency-Key, so a batch that was stored before its answer was lost is answered from the proxy's record and
not written twice. Not retried: other 4xx (the request itself is wrong; sending it again cannot help).
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ._version import __version__
from .errors import RequestError, RetriesExhausted

#: Response header of the proxy when an answer is the stored result of an earlier attempt with the same key.
REPLAYED_HEADER = 'idempotent-replayed'
IDEMPOTENCY_HEADER = 'Idempotency-Key'


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits uniform(0, min(cap_s, base_s * 2**n)) seconds.

    `max_attempts=None` retries until the caller's `should_stop` says so (the background sender's choice: it holds
    the rows in its bounded queue rather than drop them). A 429/503 answer's Retry-After (seconds) is a lower bound.
    """

    max_attempts: int | None = 8
    base_s: float = 0.2
    cap_s: float = 10.0

    def delay(self, attempt: int, rng: Callable[[], float]) -> float:
        return float(rng()) * min(self.cap_s, self.base_s * 2.0 ** min(attempt, 30))


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode('utf-8')) if self.body else None

    @property
    def replayed(self) -> bool:
        return self.headers.get(REPLAYED_HEADER) == 'true'


def is_retriable(status: int) -> bool:
    return status == 429 or status >= 500


def _message(response: Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.body.decode('utf-8', 'replace')[:500]
    if isinstance(body, dict) and 'message' in body:
        return str(body['message'])
    return response.body.decode('utf-8', 'replace')[:500]


def _retry_after(response: Response) -> float:
    value = response.headers.get('retry-after')
    try:
        return max(0.0, float(value)) if value is not None else 0.0
    except ValueError:
        return 0.0


class _NoDelayHTTP(http.client.HTTPConnection):
    """TCP_NODELAY, as urllib3 sets it: a body written after its headers is not held back by Nagle's algorithm
    waiting for the server's delayed ACK."""

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _NoDelayHTTPS(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class Transport:
    """One base URL and token; a persistent connection per calling thread, reopened after any error."""

    def __init__(self, url: str, token: str | None, timeout_s: float = 60.0) -> None:
        parsed = urllib.parse.urlsplit(url.rstrip('/'))
        if parsed.scheme not in ('http', 'https') or not parsed.hostname:
            raise ValueError(f'url must be http(s)://host[:port][/prefix], got {url!r}')
        self.scheme = parsed.scheme
        self.host = parsed.hostname
        self.port = parsed.port
        self.prefix = parsed.path.rstrip('/')
        self.token = token
        self.timeout_s = timeout_s
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, 'conn', None)
        if conn is None:
            cls = _NoDelayHTTPS if self.scheme == 'https' else _NoDelayHTTP
            conn = cls(self.host, self.port, timeout=self.timeout_s)
            self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, 'conn', None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def close(self) -> None:
        self._drop()

    def request(self, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] = {}) -> Response:
        """One attempt; raises OSError / http.client.HTTPException on network errors."""
        all_headers = {'user-agent': f'mlsight-python/{__version__}', 'accept': 'application/json', **headers}
        if self.token:
            all_headers['authorization'] = f'Bearer {self.token}'
        conn = self._connection()
        try:
            conn.request(method, self.prefix + path, body=body, headers=all_headers)
            raw = conn.getresponse()
            data = raw.read()
        except (OSError, http.client.HTTPException):
            self._drop()
            raise
        response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        if raw.will_close:
            self._drop()
        return response

    def send(
        self,
        method: str,
        path: str,
        body: bytes,
        headers: Mapping[str, str],
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], object] = time.sleep,
        rng: Callable[[], float] = random.random,
        should_stop: Callable[[], bool] = lambda: False,
        on_retry: Callable[[str], None] | None = None,
    ) -> tuple[Response, int]:
        """Sends until a non-retriable answer; returns it and the number of retries.

        Raises RequestError for a 4xx other than 429 (413 included: the caller may split the batch) and
        RetriesExhausted when the policy's attempts are used up or `should_stop()` turns true between attempts.
        """
        attempt = 0
        while True:
            last: str
            wait_at_least = 0.0
            try:
                response = self.request(method, path, body, headers)
            except (OSError, http.client.HTTPException, socket.timeout) as error:
                last = f'{type(error).__name__}: {error}'
            else:
                if not is_retriable(response.status):
                    if response.status >= 400 and response.status != 422:
                        raise RequestError(response.status, _message(response), path)
                    return response, attempt
                last = f'HTTP {response.status}: {_message(response)[:200]}'
                wait_at_least = _retry_after(response)
            attempt += 1
            key = headers.get(IDEMPOTENCY_HEADER, '')
            if (policy.max_attempts is not None and attempt >= policy.max_attempts) or should_stop():
                raise RetriesExhausted(path, attempt, last, key)
            if on_retry is not None:
                on_retry(last)
            sleep(max(wait_at_least, policy.delay(attempt - 1, rng)))
            if should_stop():
                raise RetriesExhausted(path, attempt, last, key)
