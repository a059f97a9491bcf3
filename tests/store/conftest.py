"""The remote servers the store tests run against, as one fixture for every module here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.servers import SERVERS, Server, started


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """A fresh Oxigraph server or Virtuoso on free loopback ports, in its own temp folder."""
    with started(request.param, tmp_path / request.param) as running:
        yield running
