"""`catalogue quality`: prints a table per publisher, stores DQV unless --no-store, exit 2 for a
publisher without datasets."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.cli import main
from tests.quality.conftest import BASE, ORG, PERFECT
from tests.quality.test_urlcheck import ASKED, _dataset, server

__all__ = ["server"]  # the loopback server fixture


def test_quality_command_prints_and_stores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "perfect.ttl"
    source.write_text(PERFECT.replace('dcat:keyword "bomen"@nl ;', ""), encoding="utf-8")
    store = str(tmp_path / "store")
    flags = ["--store", store, "--base-iri", BASE]
    assert main(["load", *flags, str(source)]) == 0
    capsys.readouterr()
    assert main(["quality", *flags, "--lang", "en", "--no-store"]) == 0
    printed = capsys.readouterr().out
    assert f"publisher <{ORG}>: 375/405 Excellent (1 datasets)" in printed
    assert "- Keywords: 1 datasets, 30 pt: give the dataset keywords" in printed
    assert "stored:" not in printed
    assert main(["quality", *flags, "--publisher", ORG]) == 0
    assert "stored: <http://catalogue.test/id/graph/quality/gm0599-" in capsys.readouterr().out
    assert main(["graphs", *flags]) == 0
    assert "/id/graph/quality/gm0599-" in capsys.readouterr().out
    assert main(["quality", *flags, "--publisher", "https://example.org/nobody"]) == 2
    assert "publishes no datasets" in capsys.readouterr().err


def test_check_urls_asks_the_loopback_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: str
) -> None:
    source = tmp_path / "urls.ttl"
    text = _dataset(server).replace('dct:title "URLs"@nl ;', f'dct:title "URLs"@nl ; '
                                    f'dct:publisher <{ORG}> ;')
    source.write_text(text, encoding="utf-8")
    flags = ["--store", str(tmp_path / "store"), "--base-iri", BASE]
    assert main(["load", *flags, str(source)]) == 0
    capsys.readouterr()
    ASKED.clear()
    assert main(["quality", *flags, "--check-urls", "--timeout", "2", "--no-store",
                 "--lang", "en"]) == 0
    assert "URLs checked: 4, 0 answered 2xx/3xx" in capsys.readouterr().out
    assert ASKED == []  # loopback is private: not asked without the flag
    assert main(["quality", *flags, "--check-urls", "--timeout", "2", "--no-store",
                 "--lang", "en", "--allow-private-addresses"]) == 0
    printed = capsys.readouterr().out
    assert "URLs checked: 4, 3 answered 2xx/3xx" in printed
    # publisher 10 + access URLs 50 + download URLs given 20 + 1 of 2 answering x 30 = 95
    # (offline the 404 would count as a well-formed URL: 110)
    assert f"publisher <{ORG}>: 95/405 Bad" in printed
