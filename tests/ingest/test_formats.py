"""The one registry of input formats: `catalogue validate` (command line and web) accepts what
`catalogue load` accepts: NL-SBB spreadsheets and OpenAPI descriptions as well as RDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.cli import main
from catalogue.ingest.formats import Origin, input_kind, parse_input
from catalogue.store.terms import RdfFormat

DATA = Path(__file__).resolve().parents[1] / "data"
SPREADSHEET = DATA / "begrippen-voorbeeld.csv"
OPENAPI = DATA / "openapi" / "adressen.openapi.yaml"


def test_the_kind_of_a_source_by_name_and_content() -> None:
    assert input_kind("kader.xlsx", b"PK") == "spreadsheet"
    assert input_kind("api.yaml", b"openapi: 3.0.3\n") == "openapi"
    assert input_kind("feed.json", b'{"@context": {}}') == "rdf"
    assert input_kind("api.yaml", b"openapi: 3.0.3\n", RdfFormat.TURTLE) == "rdf"


def test_load_and_validate_read_a_spreadsheet_alike() -> None:
    parsed = parse_input(SPREADSHEET.read_bytes(), Origin(
        name=str(SPREADSHEET), uri=SPREADSHEET.as_uri(), graph="urn:g", base="http://c.test"))
    assert parsed.triple_count > 0


@pytest.mark.parametrize("path,profile", [(SPREADSHEET, "nl-sbb"), (OPENAPI, "api")],
                         ids=["spreadsheet", "openapi"])
def test_validate_accepts_what_load_accepts(
    path: Path, profile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", "--profile", profile, "--format", "json", str(path)])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    report = json.loads(captured.out)
    assert report["triples"] > 0 and report["sources"] == [str(path)]


def test_a_broken_openapi_document_is_exit_2_with_where(
    capsys: pytest.CaptureFixture[str]
) -> None:
    path = DATA / "openapi" / "broken-ref.openapi.yaml"
    assert main(["validate", "--profile", "api", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "cannot tell the RDF syntax" not in err


def test_the_validate_page_takes_an_uploaded_spreadsheet(client: TestClient) -> None:
    answer = client.post("/validate?lang=en", data={"profile": "nl-sbb"},
                         files={"file": ("begrippen.csv", SPREADSHEET.read_bytes(), "text/csv")})
    assert answer.status_code == 200
    page = BeautifulSoup(answer.text, "html.parser")
    assert "cannot tell the RDF syntax" not in page.get_text()
    assert page.select_one(".error") is None
