"""The text report (`catalogue validate`): a file of many records starts with the problems by
kind, what to fix first; a small one goes straight to its records."""

from __future__ import annotations

from catalogue.ingest.rdf import parse_source
from catalogue.validation import find_profile, validate

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATASET = "http://www.w3.org/ns/dcat#Dataset"

def test_a_text_report_of_many_records_starts_with_the_problems_by_kind() -> None:
    records = "\n".join(f"<http://example.org/d{n}> <{RDF_TYPE}> <{DATASET}> ."
                        for n in range(12))
    graphs = parse_source(records.encode(), name="d.nt", uri="urn:d", graph="d").graphs
    text = validate(graphs, find_profile("dcat-ap-nl")).to_text("en")
    head, _, rest = text.partition("\n\nhttp://example.org/d0\n")
    assert head.splitlines()[2] == "Problems by kind:"
    assert "  [Violation] dct:title: 12 (Focus nodes: 12, for example http://example.org/d0)" \
        in head.splitlines()
    assert rest  # then every record's results, as before
    few = validate({"d": graphs["d"][:2]}, find_profile("dcat-ap-nl")).to_text("en")
    assert "Problems by kind" not in few
