"""Fixtures of the page tests: the bundled content served on loopback, and chromium, each once
per module (a module defining its own fixture of the same name uses that one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser import chromium
from tests.web.live import bundled_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The bundled content's site, its base IRI its address."""
    with bundled_site() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser
