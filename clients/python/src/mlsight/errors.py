"""Errors of the MLSight client. Every one says what to do; none is raised for a single bad row (see IngestReport)."""

from __future__ import annotations


class MLSightError(Exception):
    """Base class of the client's errors."""


class RequestError(MLSightError):
    """The proxy refused a request as a whole (4xx other than 429): bad token, bad body, key reused, too large."""

    def __init__(self, status: int, message: str, path: str) -> None:
        super().__init__(f'{path}: HTTP {status}: {message}')
        self.status = status
        self.message = message
        self.path = path


class RetriesExhausted(MLSightError):
    """A batch kept failing with 429, 5xx or network errors; it may or may not be stored (resend it with its key)."""

    def __init__(self, path: str, attempts: int, last: str, idempotency_key: str) -> None:
        super().__init__(f'{path}: gave up after {attempts} attempts (last: {last}); idempotency key {idempotency_key}')
        self.path = path
        self.attempts = attempts
        self.last = last
        self.idempotency_key = idempotency_key


class QueueFull(MLSightError):
    """The background sender's queue had no room for the rows (overflow policy "raise", or "block" timed out).

    None of the call's rows were queued: the caller still holds them.
    """


class SenderClosed(MLSightError):
    """Rows were given to a background sender after close()."""


class UnsupportedFormat(MLSightError):
    """A body format was asked for that the proxy does not offer (see Client.offered_content_types)."""
