"""What the proxy answered: counts and the rejected rows, by the index of the row in what the caller passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class RowRejection:
    """A row the proxy refused, by its index in the caller's rows (not in the batch), with the proxy's reason."""

    index: int
    reason: str


@dataclass
class IngestReport:
    """The sum of the answers to one call's batches.

    `accepted` rows are durable in the store; `duplicates` were stored before (same prediction_id and timestamp, or
    the same label) and are not counted again; `rejected` rows were refused, each listed in `rejections` (the proxy
    lists at most the first 1000 bad rows of a batch; the counts are always complete).
    """

    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    rejections: list[RowRejection] = field(default_factory=list)
    batches: int = 0
    #: Batches answered from the proxy's idempotency record: an earlier attempt had already been stored.
    replayed_batches: int = 0
    #: Attempts sent again after a 429, a 5xx or a network error.
    retries: int = 0
    #: The reference endpoint's summary (`reference`, `notices`) when this was a `set_reference`.
    reference: Mapping[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True when no row was rejected."""
        return self.rejected == 0

    def add_answer(self, answer: Mapping[str, Any], first_index: int, replayed: bool, retries: int) -> None:
        """Adds one batch's answer; `first_index` is the caller's index of the batch's row 0."""
        self.accepted += int(answer.get('accepted', 0))
        self.rejected += int(answer.get('rejected', 0))
        self.duplicates += int(answer.get('duplicates', 0))
        for error in answer.get('errors') or []:
            self.rejections.append(RowRejection(first_index + int(error['index']), str(error['reason'])))
        self.batches += 1
        self.replayed_batches += int(replayed)
        self.retries += retries
        if 'reference' in answer:
            self.reference = {'reference': answer['reference'], 'notices': answer.get('notices', [])}

    def merge(self, other: IngestReport) -> None:
        """Adds another report (whose indexes are already the caller's)."""
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.duplicates += other.duplicates
        self.rejections.extend(other.rejections)
        self.batches += other.batches
        self.replayed_batches += other.replayed_batches
        self.retries += other.retries
        if other.reference is not None:
            self.reference = other.reference
