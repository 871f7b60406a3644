"""MLSight's Python client: send predictions, delayed labels and reference datasets to an MLSight proxy.

    from mlsight import Client, BackgroundSender
    client = Client('http://127.0.0.1:8450', token='<ingest token>')
    report = client.log_predictions('credit-risk', rows, version='2')
    for bad in report.rejections:
        print(bad.index, bad.reason)

The core uses the standard library only; pandas DataFrames are accepted when pandas is installed, Parquet files
need pyarrow, and mlsight.mlflow needs MLflow.
"""

from ._version import __version__
from .background import BackgroundSender, SenderStats
from .client import Client
from .errors import MLSightError, QueueFull, RequestError, RetriesExhausted, SenderClosed, UnsupportedFormat
from .results import IngestReport, RowRejection
from .transport import RetryPolicy

__all__ = [
    '__version__',
    'BackgroundSender',
    'Client',
    'IngestReport',
    'MLSightError',
    'QueueFull',
    'RequestError',
    'RetriesExhausted',
    'RetryPolicy',
    'RowRejection',
    'SenderClosed',
    'SenderStats',
    'UnsupportedFormat',
]
