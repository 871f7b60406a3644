from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from proxy import Proxy
from standin import StandIn


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn()
    yield server
    server.close()


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[Proxy]:
    """A real proxy of its own for each test (its own SQLite store), stopped afterwards."""
    server = Proxy(tmp_path)
    server.start()
    yield server
    server.stop()
