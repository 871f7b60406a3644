"""The real MLSight proxy (backend-proxy/dist/server.js, run by node) on a free loopback port with a SQLite store in
a temporary directory and real tokens, as scripts/start.sh runs it. It can be killed with SIGKILL and restarted on the
same port and store, which is what the crash tests need."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
SERVER = REPO_ROOT / 'backend-proxy' / 'dist' / 'server.js'
INGEST_TOKEN = 'py-ingest-token-0123456789abcdef'
READ_TOKEN = 'py-read-token-0123456789abcdef'
#: How often start-up polls /healthz, and for how many polls (node's start takes about a second here).
HEALTH_POLL_S = 0.1
HEALTH_POLLS = 300


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return int(sock.getsockname()[1])


class Proxy:
    def __init__(self, store_dir: Path, env: dict[str, str] | None = None) -> None:
        node = shutil.which('node')
        if node is None:
            raise RuntimeError('node is not on PATH: the integration tests run the built proxy')
        if not SERVER.exists():
            raise RuntimeError(f'{SERVER} is missing: run `npm run build` first')
        self.node = node
        self.port = free_loopback_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.db = store_dir / 'drift.db'
        self.log = store_dir / 'proxy.log'
        self.env = {
            **os.environ,
            'MLSIGHT_HOST': '127.0.0.1',
            'MLSIGHT_PORT': str(self.port),
            'MLSIGHT_AUTH': 'on',
            'MLSIGHT_TOKENS': f'{INGEST_TOKEN}:ingest,{READ_TOKEN}:read',
            'MLSIGHT_STORE': 'sqlite',
            'MLSIGHT_SQLITE_PATH': str(self.db),
            # Ingestion needs no MLflow; a closed port keeps the proxy from reaching a developer's own server.
            'MLSIGHT_MLFLOW_URL': f'http://127.0.0.1:{free_loopback_port()}',
            'MLSIGHT_MONITOR_INTERVAL': '0',
            'MLSIGHT_LOG_LEVEL': 'warn',
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, 'ab') as log:
            self.process = subprocess.Popen([self.node, str(SERVER)], env=self.env, stdout=log, stderr=log)
        for _ in range(HEALTH_POLLS):
            if self.process.poll() is not None:
                raise RuntimeError(f'the proxy exited with {self.process.returncode}: {self.log.read_text()[-2000:]}')
            try:
                with urllib.request.urlopen(f'{self.url}/healthz', timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(HEALTH_POLL_S)
        self.kill9()
        raise RuntimeError(f'the proxy did not answer /healthz: {self.log.read_text()[-2000:]}')

    def kill9(self) -> None:
        """SIGKILL: no shutdown hook runs, in-flight requests die with the process."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.process = None

    def query(self, queries: list[dict[str, Any]], from_ms: int, to_ms: int, interval_ms: int) -> dict[str, Any]:
        """POST /api/v1/query with the read token: the store as the dashboards see it."""
        body = json.dumps(
            {'from': str(from_ms), 'to': str(to_ms), 'intervalMs': interval_ms, 'queries': queries}
        ).encode()
        request = urllib.request.Request(
            f'{self.url}/api/v1/query',
            data=body,
            method='POST',
            headers={'content-type': 'application/json', 'authorization': f'Bearer {READ_TOKEN}'},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer: dict[str, Any] = json.loads(response.read())
        return answer
