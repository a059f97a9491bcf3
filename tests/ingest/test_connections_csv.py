"""The CSV import of connections: rows become cat:usesService triples; a bad row is an error
naming its line and column."""

from __future__ import annotations

import pytest

from catalogue.errors import SourceSyntaxError
from catalogue.ingest.connections import USES_SERVICE, parse_connections

ORG = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
API = "https://catalogue.test/id/api/kvk-zoeken"


def test_rows_become_uses_service_triples_and_other_columns_are_ignored() -> None:
    # a blank line is skipped; the same connection twice is one triple
    data = f"organisatie,dienst,organisatie_naam\n{ORG},{API},Utrecht\n\n{ORG},{API},x\n".encode()
    triples = parse_connections(data, name="k.csv")
    assert [(t.subject.value, t.predicate, t.object.value) for t in triples] == [
        (ORG, USES_SERVICE, API)]


def test_english_column_names_and_a_byte_order_mark_are_accepted() -> None:
    data = f"\ufeffService, Organisation\n{API},{ORG}\n".encode()
    assert [t.subject.value for t in parse_connections(data, name="k.csv")] == [ORG]


@pytest.mark.parametrize(("data", "where", "words"), [
    (f"organisatie,dienst\n{ORG},{API}\n{ORG},kvk zoeken\n", "k.csv:3:2:", "column 'service'"),
    (f"organisatie,dienst\n{ORG},{API}\n,{API}\n", "k.csv:3:1:", "is empty"),
    (f"organisatie,dienst\n{ORG}\n", "k.csv:2:2:", "is empty"),
    (f"organisatie,api_naam\n{ORG},x\n", "k.csv:1:", "no column 'dienst'"),
    ("", "k.csv:1:", "empty file"),
])
def test_a_bad_row_names_its_line_and_column(data: str, where: str, words: str) -> None:
    with pytest.raises(SourceSyntaxError) as caught:
        parse_connections(data.encode(), name="k.csv")
    assert str(caught.value).startswith(where)
    assert words in str(caught.value)


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(SourceSyntaxError, match="not UTF-8"):
        parse_connections("organisatie,dienst\ngemeente Súdwest\n".encode("latin-1"), name="k")


def test_a_very_long_bad_value_is_shown_clipped() -> None:
    """A 100k-character cell is named by its start, not echoed whole into the message."""
    with pytest.raises(SourceSyntaxError) as caught:
        parse_connections(f"organisatie,dienst\nhttps://o.example/{'a' * 100_000},{API}\n"
                          .encode(), name="k.csv")
    message = str(caught.value)
    assert message.startswith("k.csv:2:1:") and "is not an IRI" in message
    assert len(message) < 1_000 and "..." in message
