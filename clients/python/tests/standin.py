"""A local http.server stand-in for the unit tests of the batching and retry logic (the integration tests use the
real proxy). It records every request and answers from a script: a function of the request."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def rows(self) -> list[Any]:
        return list(json.loads(self.body)['rows'])


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Close the connection without answering (a proxy that died mid-request).
    drop: bool = False


def accept_all(seen: Seen) -> Answer:
    """What the proxy answers to a good batch."""
    return Answer(200, {'accepted': len(seen.rows()), 'rejected': 0, 'duplicates': 0, 'errors': []})


class StandIn:
    def __init__(self, script: Callable[[Seen], Answer] = accept_all) -> None:
        self.script = script
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *_: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get('content-length') or 0)
                body = self.rfile.read(length) if length else b''
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with outer.lock:
                    outer.seen.append(seen)
                answer = outer.script(seen)
                if answer.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                payload = json.dumps(answer.body).encode() if answer.body is not None else b''
                self.send_response(answer.status)
                self.send_header('content-type', 'application/json')
                self.send_header('content-length', str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_POST = _handle
            do_PUT = _handle
            do_GET = _handle

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
