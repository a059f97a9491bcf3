"""Tests for catalogue/iris.py: the one IRI parser says what is wrong and in which field."""

from __future__ import annotations

import pytest

from catalogue.errors import InputError, InvalidIri
from catalogue.iris import MAX_LENGTH, parse_iri


@pytest.mark.parametrize("iri", [
    "https://example.org/id/begrip/a", "urn:uuid:5b1c", "mailto:info@example.org",
    "https://example.org/a%20b?x=1#frag", "https://voorbeeld.nl/begrip/één", "tag:x,2000:y",
])
def test_valid_iris_come_back_unchanged(iri: str) -> None:
    assert parse_iri(iri, field="uri") == iri


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty"),
    ("begrip/a", "no scheme"),
    ("https://example.org/\ufffd", "not UTF-8"),
    ("https://example.org/\ud800", "surrogate"),
    ("https://example.org/a b", "a space"),
    ("https://example.org/a\nb", "a line break"),
    ("https://example.org/a\x00b", "U+0000"),
    ("https://example.org/a\x85b", "U+0085"),
    ("https://example.org/a>b", "'>'"),
    ("https://example.org/a<b", "'<'"),
    ('https://example.org/a"b', "'\"'"),
    ("https://example.org/{a}", "'{'"),
    ("https://example.org/a|b", "'|'"),
    ("https://example.org/a\\b", "'\\\\'"),
    ("https://example.org/a^b", "'^'"),
    ("https://example.org/a`b", "'`'"),
    ("https://example.org/%zz", "two hexadecimal digits"),
    ("https://example.org/%4", "two hexadecimal digits"),
    ("https://example.org:port/", "Invalid"),
    ("https://example.org/a#b#c", "Invalid"),
    ("https://example.org/" + "a" * MAX_LENGTH, "characters long"),
])
def test_invalid_iris_say_field_and_problem(text: str, problem: str) -> None:
    with pytest.raises(InvalidIri) as caught:
        parse_iri(text, field="uri")
    assert isinstance(caught.value, InputError) and caught.value.status_code == 400
    message = str(caught.value)
    assert message.startswith("uri=") and "is not an IRI" in message
    assert problem in message
