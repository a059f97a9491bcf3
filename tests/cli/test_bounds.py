"""The same bounds on the command line: `catalogue load` and `validate` refuse entity
declarations, nesting bombs and huge literals with exit status 2 and a located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.cli import main
from tests.web.test_bounds import BILLION_LAUGHS, DEEP_LIST

LITERAL = b'<http://example.org/s> <http://example.org/p> "%s" .\n'


@pytest.mark.parametrize("command", ["load", "validate"])
def test_entity_declarations_exit_2(command: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_bytes(BILLION_LAUGHS)
    assert main([command, "--store", str(tmp_path / "store"), str(bomb)]) == 2
    assert f"{bomb}:2:" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["load", "validate"])
def test_a_nesting_bomb_exits_2(command: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.ttl"
    deep.write_bytes(DEEP_LIST)
    assert main([command, "--store", str(tmp_path / "store"), str(deep)]) == 2
    assert f"{deep}:1:147: nested deeper than 100 levels" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["load", "validate"])
def test_a_literal_over_the_setting_exits_2(command: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOGUE_MAX_LITERAL_BYTES", "1000")
    source = tmp_path / "long.nt"
    source.write_bytes(LITERAL % (b"x" * 10) + LITERAL % (b"y" * 2000))
    assert main([command, "--store", str(tmp_path / "store"), str(source)]) == 2
    error = capsys.readouterr().err
    assert f"{source}:2: a literal of 2000 bytes; the limit is 1000" in error


def test_a_literal_over_the_parsers_buffer_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Over 16 MiB pyoxigraph's parser raised MemoryError: exit 1 ("Violations") and a traceback.
    monkeypatch.setenv("CATALOGUE_MAX_LITERAL_BYTES", str(64 * 1024 * 1024))
    source = tmp_path / "huge.nt"
    source.write_bytes(LITERAL % (b"x" * (17 * 1024 * 1024)))
    assert main(["validate", str(source)]) == 2
    assert "longer than the parser's 16 MiB buffer" in capsys.readouterr().err
