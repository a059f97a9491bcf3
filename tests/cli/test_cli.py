"""The `catalogue` command on real files: load, reload, bad input, export, graphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.cli import main
from catalogue.store import EmbeddedStore
from catalogue.store.terms import RdfFormat, parse
from tests.conftest import DATA, SHARED, needs_shared

BEGRIPPEN = SHARED / "begrippen"
# The known-invalid Turtle files listed in shared/data/README.md.
INVALID = [
    SHARED / "standards/dcat-ap-3.0.1/examples/example-bee-population-dataset-series-api.ttl",
    SHARED / "standards/dcat-ap-3.0.1/examples/example-bee-population-dataset-series-combined.ttl",
    SHARED / "standards/dcat-ap-hvd-3.0.0/examples/example-bees_wasps_dataset.ttl",
    SHARED / "standards/nl-sbb/voorbeeld-dcat-ap-nl-begrippenkader-imev.ttl",
]


def rdf_files(folder: Path) -> list[Path]:
    suffixes = {".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl"}
    return sorted(p for p in folder.rglob("*") if p.suffix in suffixes)


def quad_count(store_dir: Path) -> int:
    store = EmbeddedStore(store_dir)
    try:
        return store.quad_count()
    finally:
        del store


def dump(store_dir: Path, tmp_path: Path) -> bytes:
    out = tmp_path / "dump.nq"
    assert main(["export", "--store", str(store_dir), "--format", "nq", "--output", str(out)]) == 0
    return b"\n".join(sorted(out.read_bytes().splitlines()))


@needs_shared
@pytest.mark.parametrize("path", rdf_files(BEGRIPPEN), ids=lambda p: p.name)
def test_every_shared_begrippen_file_loads(tmp_path: Path, path: Path) -> None:
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), str(path)]) == 0
    assert quad_count(store) > 0


@needs_shared
@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_known_invalid_files_fail_with_position_and_change_nothing(
    tmp_path: Path, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), str(DATA / "registry.ttl")]) == 0
    before = dump(store, tmp_path)
    capsys.readouterr()
    assert main(["load", "--store", str(store), str(path)]) == 2
    message = capsys.readouterr().err
    assert f"{path}:" in message
    line = message.split(f"{path}:", 1)[1].split(":", 1)[0]
    assert line.isdigit(), message
    assert dump(store, tmp_path) == before


def test_loading_twice_gives_the_same_triple_count(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), str(DATA / "registry.ttl")]) == 0
    once = quad_count(store)
    assert main(["load", "--store", str(store), str(DATA / "registry.ttl")]) == 0
    assert quad_count(store) == once


def test_missing_file_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.ttl"
    assert main(["load", "--store", str(tmp_path / "store"), str(missing)]) == 2
    assert f"{missing}: no such file" in capsys.readouterr().err


def test_one_bad_file_among_good_ones_writes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://e/a> <http://e/b> .\n")
    assert main(["load", "--store", str(store), str(DATA / "registry.ttl"), str(bad)]) == 2
    assert quad_count(store) == 0


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nq", "jsonld", "nt", "rdf"])
def test_export_writes_parseable_rdf(tmp_path: Path, fmt: str) -> None:
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), str(DATA / "registry.ttl")]) == 0
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--store", str(store), "--format", fmt, "--output", str(out)]) == 0
    rdf_format = RdfFormat.from_extension(fmt)
    assert rdf_format is not None
    source = list(parse(path=str(DATA / "registry.ttl"), base_iri="file:///x"))
    assert len(list(parse(out.read_bytes(), rdf_format))) == len(source)


def test_export_of_an_unknown_graph_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), str(DATA / "registry.ttl")]) == 0
    assert main(["export", "--store", str(store), "--graph", "http://nope"]) == 2
    assert "no graph <http://nope>" in capsys.readouterr().err


def test_graphs_lists_provenance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    org = "https://identifier.overheid.nl/tooi/id/zbo/zb000195"
    args = ["load", "--store", str(store), "--publisher", org, str(DATA / "registry.ttl")]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["graphs", "--store", str(store)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    graph, triples, _, source, publisher = line.split("\t")
    assert graph.endswith("/id/graph/registry")
    assert int(triples) > 20
    assert source == (DATA / "registry.ttl").resolve().as_uri()
    assert publisher == org


def test_publisher_add_prints_the_token_and_says_it_is_shown_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["publisher", "add", "--store", str(tmp_path / "store"),
                 "https://example.org/org/a"]) == 0
    out, err = capsys.readouterr()
    assert len(out.strip()) >= 20 and "\n" not in out.strip()  # the token alone, for scripts
    assert "only this once" in err


def test_store_and_base_iri_go_before_the_command_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`catalogue --store DIR load FILE` was refused ("invalid choice"); after the command
    they still win."""
    source = tmp_path / "a.ttl"
    source.write_text('<https://e.nl/a> <https://e.nl/p> "x" .\n')
    assert main(["--store", str(tmp_path / "one"), "--base-iri", "https://x.nl",
                 "load", str(source)]) == 0
    assert "<https://x.nl/id/graph/a>" in capsys.readouterr().out
    assert main(["--store", str(tmp_path / "one"), "graphs", "--store",
                 str(tmp_path / "two")]) == 0
    assert "a.ttl" not in capsys.readouterr().out  # the second --store won: an empty store
