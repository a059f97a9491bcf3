"""`catalogue connections FILE.csv`: the CSV import on the command line, whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.cli import main
from catalogue.config import Settings
from catalogue.services.connections import connections
from catalogue.store import open_store

ORG = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
API = "https://catalogue.test/id/api/kvk-zoeken"
BASE = "http://catalogue.test"


def rows(store: Path) -> list[tuple[str, str]]:
    opened = open_store(Settings(store=store, base_iri=BASE), exclusive=True)
    try:
        return [(r.organisation, r.service) for r in
                connections(opened, base=BASE, lang="nl").rows]
    finally:
        opened.close()


def test_a_csv_loads_into_its_own_graph_and_replaces_it_next_time(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, csv = tmp_path / "store", tmp_path / "koppelingen.csv"
    csv.write_text(f"organisatie,dienst\n{ORG},{API}\n{ORG},{API}-2\n")
    assert main(["connections", "--store", str(store), "--base-iri", BASE, str(csv)]) == 0
    assert f"2 connections into <{BASE}/id/graph/koppelingen>" in capsys.readouterr().out
    assert sorted(rows(store)) == [(ORG, API), (ORG, API + "-2")]
    csv.write_text(f"organisatie,dienst\n{ORG},{API}\n")
    assert main(["connections", "--store", str(store), "--base-iri", BASE, str(csv)]) == 0
    assert rows(store) == [(ORG, API)]


def test_a_bad_row_exits_2_naming_line_and_column_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, csv = tmp_path / "store", tmp_path / "koppelingen.csv"
    csv.write_text(f"organisatie,dienst\n{ORG},{API}\n{ORG},{API}\ngemeente Utrecht,{API}\n")
    assert main(["connections", "--store", str(store), str(csv)]) == 2
    error = capsys.readouterr().err
    assert f"{csv}:4:1: column 'organisation' 'gemeente Utrecht' is not an IRI" in error
    assert rows(store) == []
