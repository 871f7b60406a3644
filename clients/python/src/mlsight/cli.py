"""`mlsight send`: a CSV, NDJSON or Parquet file into the proxy's ingestion API.

Exit codes: 0 every row was accepted (or was a duplicate); 1 some rows were rejected (listed on stderr by their
row index in the file, 0-based, with the proxy's reason); 2 bad usage or a request the proxy refused as a whole
(bad token, body too large); 3 the proxy stayed unreachable or overloaded through every retry.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Sequence, TextIO

from . import rows as _rows
from ._version import __version__
from .client import Client
from .errors import MLSightError, RequestError, RetriesExhausted
from .readers import RowReader, detect_format, open_rows
from .results import IngestReport, RowRejection
from .transport import RetryPolicy

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
#: Rejected rows printed one per line; the rest are counted.
SHOWN_REJECTIONS = 20


class ProgressLine:
    """Rows sent and their rate on stderr: redrawn in place on a terminal, a line every `every_s` otherwise."""

    def __init__(self, stream: TextIO, reader: RowReader, enabled: bool, every_s: float = 2.0) -> None:
        self.stream = stream
        self.reader = reader
        self.enabled = enabled
        self.tty = stream.isatty()
        self.every_s = 0.2 if self.tty else every_s
        self.started = time.perf_counter()
        self.last = 0.0

    def __call__(self, sent: int, report: IngestReport) -> None:
        now = time.perf_counter()
        if not self.enabled or now - self.last < self.every_s:
            return
        self.last = now
        self._draw(sent, report, now)

    def _draw(self, sent: int, report: IngestReport, now: float) -> None:
        rate = sent / max(now - self.started, 1e-9)
        fraction = self.reader.fraction()
        share = f' ({fraction:.0%})' if fraction is not None else ''
        text = f'[mlsight] {sent:,} rows sent{share}, {rate:,.0f} rows/s, {report.rejected} rejected'
        if self.tty:
            self.stream.write('\r' + text + '\033[K')
        else:
            self.stream.write(text + '\n')
        self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.tty and self.last:
            self.stream.write('\n')
            self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='mlsight', description='Send data to an MLSight proxy.')
    parser.add_argument('--version', action='version', version=f'mlsight {__version__}')
    commands = parser.add_subparsers(dest='command', required=True)
    send = commands.add_parser('send', help='send a CSV, NDJSON or Parquet file', description=__doc__)
    send.add_argument('file', metavar='FILE')
    send.add_argument('--model', required=True, help='model name (as registered in MLflow)')
    send.add_argument('--kind', required=True, choices=['predictions', 'labels', 'reference'])
    send.add_argument('--url', default=os.environ.get('MLSIGHT_URL', 'http://127.0.0.1:8450'), help='proxy URL')
    send.add_argument(
        '--token',
        default=os.environ.get('MLSIGHT_TOKEN') or os.environ.get('MLSIGHT_INGEST_TOKEN'),
        help='token with the ingest scope (default: $MLSIGHT_TOKEN or $MLSIGHT_INGEST_TOKEN)',
    )
    send.add_argument('--format', choices=['csv', 'ndjson', 'parquet'], help='default: from the file suffix')
    send.add_argument('--version', dest='model_version', help='model version for rows that name none')
    send.add_argument('--batch-rows', type=int, default=5_000)
    send.add_argument('--batch-bytes', type=int, default=8 * 1024 * 1024)
    send.add_argument('--retries', type=int, default=8, help='attempts per batch on 429/5xx/network errors')
    send.add_argument('--key-prefix', help='deterministic idempotency keys: re-running the command writes nothing')
    send.add_argument('--atomic', action='store_true', help='refuse a whole batch when any of its rows is bad')
    send.add_argument('--kinds', help='reference: feature kind overrides, e.g. age:numeric,zip:categorical')
    send.add_argument('--prediction-column', default='prediction', help='reference: the prediction column')
    send.add_argument('--label-column', default='label', help='reference: the label column')
    send.add_argument('--mlflow-run-id', help='reference: the MLflow run the dataset belongs to')
    send.add_argument('--dataset-digest', help='reference: the MLflow dataset digest')
    send.add_argument('--json', action='store_true', help='print the report as JSON on stdout')
    send.add_argument('--quiet', action='store_true', help='no progress display')
    return parser


def _kinds(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    out: dict[str, Any] = {}
    for pair in text.split(','):
        name, _, kind = pair.rpartition(':')
        if not name or kind not in ('numeric', 'categorical'):
            raise ValueError(f'--kinds: {pair!r} is not name:numeric or name:categorical')
        out[name] = kind
    return out


def _send(args: argparse.Namespace, reader: RowReader, progress: ProgressLine) -> IngestReport:
    client = Client(
        args.url,
        args.token,
        batch_rows=args.batch_rows,
        batch_bytes=args.batch_bytes,
        retry=RetryPolicy(max_attempts=max(1, args.retries)),
        atomic=args.atomic,
    )
    with client:
        if args.kind == 'reference':
            return client.set_reference(
                args.model,
                list(reader),
                args.model_version,
                mlflow_run_id=args.mlflow_run_id,
                dataset_digest=args.dataset_digest,
                kinds=_kinds(args.kinds),
                prediction_column=args.prediction_column,
                label_column=args.label_column,
                idempotency_key=f'{args.key_prefix}-reference' if args.key_prefix else None,
            )
        if args.kind == 'labels':
            return client.send_rows(args.model, 'labels', _rows.label_rows(reader), args.key_prefix, progress)
        rows = _rows.prediction_rows(reader, args.model_version)
        return client.send_rows(args.model, 'predictions', rows, args.key_prefix, progress)


def _file_rejections(report: IngestReport, reader: RowReader) -> list[RowRejection]:
    """The proxy's rejections by file row index, and the rows the reader could not read, in file order."""
    mapped = [RowRejection(reader.file_index(r.index), r.reason) for r in report.rejections]
    mapped.extend(RowRejection(index, reason) for index, reason in reader.invalid)
    return sorted(mapped, key=lambda r: r.index)


def send(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    try:
        file_format = detect_format(args.file, args.format)
        reader = open_rows(args.file, file_format)
    except (ValueError, OSError) as error:
        stderr.write(f'mlsight: {error}\n')
        return EXIT_USAGE
    progress = ProgressLine(stderr, reader, enabled=not args.quiet)
    started = time.perf_counter()
    try:
        report = _send(args, reader, progress)
    except RequestError as error:
        progress.done()
        stderr.write(f'mlsight: the proxy refused the request: {error}\n')
        return EXIT_USAGE
    except RetriesExhausted as error:
        progress.done()
        stderr.write(f'mlsight: {error}\n')
        return EXIT_UNREACHABLE
    except (MLSightError, ValueError, TypeError, OSError) as error:
        progress.done()
        stderr.write(f'mlsight: {error}\n')
        return EXIT_USAGE
    progress.done()
    seconds = time.perf_counter() - started
    rejections = _file_rejections(report, reader)
    rejected = report.rejected + len(reader.invalid)
    sent = report.accepted + report.rejected + report.duplicates
    for rejection in rejections[:SHOWN_REJECTIONS]:
        stderr.write(f'mlsight: row {rejection.index} rejected: {rejection.reason}\n')
    if len(rejections) > SHOWN_REJECTIONS:
        stderr.write(f'mlsight: … and {rejected - SHOWN_REJECTIONS} more rejected rows\n')
    summary = {
        'model': args.model,
        'kind': args.kind,
        'rows': sent + len(reader.invalid),
        'accepted': report.accepted,
        'rejected': rejected,
        'duplicates': report.duplicates,
        'batches': report.batches,
        'replayed_batches': report.replayed_batches,
        'retries': report.retries,
        'seconds': round(seconds, 3),
        'rows_per_second': round(sent / seconds) if seconds > 0 else None,
    }
    if args.json:
        summary['rejections'] = [{'index': r.index, 'reason': r.reason} for r in rejections]
        stdout.write(json.dumps(summary) + '\n')
    else:
        stdout.write(
            f'{args.kind}: {report.accepted} accepted, {rejected} rejected, {report.duplicates} duplicates '
            f'in {seconds:.2f} s ({summary["rows_per_second"] or 0:,} rows/s)\n'
        )
    return EXIT_REJECTED if rejected else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == 'send':
        return send(args, sys.stdout, sys.stderr)
    return EXIT_USAGE


if __name__ == '__main__':
    sys.exit(main())
