"""NL-SBB spreadsheets (CSV, XLSX) load through `catalogue load`; errors name row and column."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from catalogue.cli import main
from catalogue.errors import SourceSyntaxError
from catalogue.ingest import load_sources
from catalogue.ingest.spreadsheet import concepts_csv, parse_spreadsheet
from catalogue.namespaces import DCT, RDFS, SKOS
from catalogue.store import EmbeddedStore
from tests.conftest import BASE, DATA

SAMPLE = DATA / "begrippen-voorbeeld.csv"
KADER = "http://catalogue.test/id/begrippenkader/verkeer"
MOTOR = KADER + "/motorvoertuig"


def objects(store: EmbeddedStore, subject: str, predicate: str) -> set[str]:
    rows = store.select(f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}")
    return {row["o"].value for row in rows}


def test_sample_csv_loads_as_nl_sbb(empty_store: EmbeddedStore) -> None:
    load_sources(empty_store, [SAMPLE], base=BASE)
    assert objects(empty_store, MOTOR, SKOS + "prefLabel") == {"motorvoertuig"}
    assert objects(empty_store, MOTOR, SKOS + "altLabel") == {"motorrijtuig", "auto"}
    assert objects(empty_store, MOTOR, SKOS + "hiddenLabel") == {"automobiel"}
    assert objects(empty_store, MOTOR, SKOS + "broader") == {KADER + "/voertuig"}
    assert objects(empty_store, KADER + "/voertuig", SKOS + "narrower") == {
        MOTOR, KADER + "/fiets"}
    assert objects(empty_store, MOTOR, SKOS + "related") == {KADER + "/fiets"}
    assert objects(empty_store, MOTOR, SKOS + "exactMatch") == {"http://example.org/vehicle/motor"}
    assert objects(empty_store, KADER + "/voertuig", RDFS + "comment") == {
        "Een auto, fiets of vrachtwagen."}
    assert objects(empty_store, KADER + "/voertuig", DCT + "source") == {
        "https://wetten.overheid.nl/jci1.3:c:BWBR0006622&artikel=1"}
    assert objects(empty_store, KADER, DCT + "title") == {"Verkeersbegrippen"}
    assert objects(empty_store, KADER, SKOS + "hasTopConcept") == {KADER + "/voertuig"}


def test_xlsx_gives_the_same_triples(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    import csv

    for row in csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))):
        sheet.append(row)
    xlsx = tmp_path / "begrippen-voorbeeld.xlsx"
    book.save(xlsx)
    graph = BASE + "/id/graph/g"
    from_csv = parse_spreadsheet(SAMPLE.read_bytes(), name="a.csv", uri="file:///a",
                                 graph=graph, base=BASE)
    from_xlsx = parse_spreadsheet(xlsx.read_bytes(), name="a.xlsx", uri="file:///a",
                                  graph=graph, base=BASE)
    assert set(from_csv.graphs[graph]) == set(from_xlsx.graphs[graph])


@pytest.mark.parametrize(
    ("csv_text", "where"),
    [
        ("voorkeursterm,bovenliggend\nfiets,voertuig\n", "row 2, column 'bovenliggend'"),
        ("voorkeursterm,kleur\nfiets,rood\n", ":1:2: unknown column 'kleur'"),
        ("definitie\nIets.\n", "no column 'voorkeursterm'"),
        ("voorkeursterm,exacte match\nfiets,geen iri\n", "row 2, column 'exacte match'"),
        ("voorkeursterm,definitie\nfiets,a\n,b\n", "row 3, column 'voorkeursterm'"),
        ("voorkeursterm\nfiets\nfiets\n", "row 3, column 'voorkeursterm': begrip"),
        ("voorkeursterm,taal\nfiets,nederlands!\n", "row 2, column 'taal'"),
    ],
)
def test_errors_name_row_and_column_and_write_nothing(
    tmp_path: Path, empty_store: EmbeddedStore, csv_text: str, where: str
) -> None:
    bad = tmp_path / "fout.csv"
    bad.write_text(csv_text, encoding="utf-8")
    with pytest.raises(SourceSyntaxError) as caught:
        load_sources(empty_store, [SAMPLE, bad], base=BASE)
    assert where in str(caught.value) and "fout.csv" in str(caught.value)
    assert empty_store.is_empty()


def test_cli_load_by_extension_and_round_trip(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    store_dir = tmp_path / "store"
    assert main(["load", "--store", str(store_dir), "--base-iri", BASE, str(SAMPLE)]) == 0
    assert "triples into" in capsys.readouterr().out
    store = EmbeddedStore(store_dir)
    try:
        exported = concepts_csv(store, KADER)
    finally:
        store.close()
    again = tmp_path / "terug.csv"
    again.write_text(exported, encoding="utf-8")
    reparsed = parse_spreadsheet(again.read_bytes(), name=str(again), uri="file:///t",
                                 graph="urn:g", base=BASE)
    labels = {t.object.value for t in reparsed.graphs["urn:g"]
              if t.predicate.value == SKOS + "prefLabel"}
    assert labels == {"voertuig", "motorvoertuig", "fiets"}


def test_bad_cli_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "fout.csv"
    bad.write_text("voorkeursterm,bovenliggend\nfiets,voertuig\n", encoding="utf-8")
    assert main(["load", "--store", ":memory:", str(bad)]) == 2


def test_the_csv_of_a_multilingual_kader_keeps_every_language_and_loads_back(
        tmp_path: Path) -> None:
    """The EU countries and high-value categories as GeoNetwork and piveau keep them: begrippen
    with no Dutch label (their rows had no voorkeursterm, so the download did not load back)
    and definitions in English only (dropped)."""
    source = tmp_path / "landen.ttl"
    source.write_text("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://e.eu/c/> .
        :s a skos:ConceptScheme .
        :nl a skos:Concept ; skos:inScheme :s ; skos:topConceptOf :s ; skos:notation "NLD" ;
            skos:prefLabel "Nederland"@nl, "Netherlands"@en ; skos:altLabel "Holland"@en ;
            skos:definition "A country."@en .
        :afi a skos:Concept ; skos:inScheme :s ; skos:broader :nl ;
            skos:prefLabel "Afar- und Issa-Gebiet"@de, "French Territory of the Afars"@en .
    """, encoding="utf-8")
    store = EmbeddedStore()
    load_sources(store, [source], base=BASE)
    exported = concepts_csv(store, "http://e.eu/c/s")
    rows = exported.splitlines()[1:]
    assert [(row.split(",")[0], row.split(",")[-2]) for row in rows] == [
        ("http://e.eu/c/afi", "en"), ("http://e.eu/c/afi", "de"),
        ("http://e.eu/c/nl", "nl"), ("http://e.eu/c/nl", "en")]
    (tmp_path / "landen.csv").write_text(exported, encoding="utf-8")
    again = EmbeddedStore()
    load_sources(again, [tmp_path / "landen.csv"], base=BASE)

    def labelled(store: EmbeddedStore) -> set[tuple[str, str, str, str]]:
        return {(row["c"].value, row["p"].value, row["l"].value, row["l"].language or "")
                for row in store.select(
                    "SELECT ?c ?p ?l WHERE { ?c ?p ?l FILTER(isLiteral(?l)) "
                    f"FILTER(?p IN (<{SKOS}prefLabel>, <{SKOS}altLabel>, <{SKOS}definition>,"
                    f" <{SKOS}notation>)) }}")}

    assert labelled(again) == labelled(store)
    broader = again.select(f"SELECT ?b WHERE {{ <http://e.eu/c/afi> <{SKOS}broader> ?b }}")
    assert [row["b"].value for row in broader] == ["http://e.eu/c/nl"]


def test_a_cell_past_the_csv_field_limit_is_refused_with_its_row(tmp_path: Path) -> None:
    """The csv module stops at 128 KiB a field: that answered 500 on /validate."""
    big = tmp_path / "groot.csv"
    big.write_text("voorkeursterm,definitie\nkort,Kort.\nlang," + "x" * 140_000 + "\n")
    with pytest.raises(SourceSyntaxError) as caught:
        parse_spreadsheet(big.read_bytes(), name="groot.csv", uri=big.as_uri(),
                          graph=f"{BASE}/id/graph/groot", base=BASE)
    assert str(caught.value).startswith("groot.csv:3:")
