"""Print the shapes section "Value forms and counts" of shapes/dcat-ap-nl.ttl: every
Violation-level nodeKind, datatype, temporal-datatype, minCount and maxCount constraint of the
official DCAT-AP-NL 3.0 and DCAT-AP 3.0.1 shapes that our hand-written shapes do not already
have, with our own messages.
Run once from the checkout root with ../shared beside it; the output is then kept and owned by
hand. tests/validation/test_against_official.py proves the result over a corpus of real exports.

    .venv/bin/python shapes/tools/official_forms.py > /tmp/forms.ttl
"""

from __future__ import annotations

import collections
from pathlib import Path

import rdflib
from rdflib.namespace import SH

OFFICIAL = Path("../shared/data/standards")
FILES = ["dcat-ap-nl-3.0/shapes/dcat-ap-nl-SHACL.ttl", "dcat-ap-3.0.1/shacl/shapes.ttl"]
# Left out on purpose (shapes/DIFFERENCES.md says why).
SKIP = {("skos:ConceptScheme", "dct:title", "minCount")}
TEMPORAL = {"DateOrDateTimeDataType_Shape", "TemporalLiteralShape"}
CLASSES = {  # class -> (nl, en) as the messages name it
    "dcat:Dataset": ("de dataset", "the dataset"),
    "dcat:Distribution": ("de distributie", "the distribution"),
    "dcat:DataService": ("de dataservice", "the data service"),
    "dcat:Catalog": ("de catalogus", "the catalogue"),
    "dcat:DatasetSeries": ("de datasetreeks", "the dataset series"),
    "dcat:CatalogRecord": ("het catalogusrecord", "the catalogue record"),
    "dcat:Relationship": ("de relatie", "the relationship"),
    "dct:Location": ("de locatie", "the location"),
    "dct:PeriodOfTime": ("de periode", "the period"),
    "foaf:Agent": ("de organisatie of persoon", "the agent"),
    "skos:Concept": ("het begrip", "the concept"),
    "skos:ConceptScheme": ("het begrippenkader", "the concept scheme"),
    "spdx:Checksum": ("de controlesom", "the checksum"),
    "adms:Identifier": ("de identificatie", "the identifier"),
}
EXAMPLES = {
    "xsd:nonNegativeInteger": '"12323"^^xsd:nonNegativeInteger',
    "xsd:decimal": '"2.5"^^xsd:decimal',
    "xsd:duration": '"P1D"^^xsd:duration',
    "xsd:hexBinary": '"9a0f"^^xsd:hexBinary',
}


def rows(graph: rdflib.Graph) -> dict[tuple[str, str, str], str]:
    found: dict[tuple[str, str, str], str] = {}
    for node in set(graph.subjects(SH.property, None)):
        for target in graph.objects(node, SH.targetClass):
            for prop in graph.objects(node, SH.property):
                severity = graph.value(prop, SH.severity) or graph.value(node, SH.severity)
                path = graph.value(prop, SH.path)
                if severity not in (None, SH.Violation) or not isinstance(path, rdflib.URIRef):
                    continue
                for kind in ("nodeKind", "datatype", "maxCount", "minCount", "node"):
                    for value in graph.objects(prop, SH[kind]):
                        text = (graph.qname(value) if isinstance(value, rdflib.URIRef)
                                else str(value))
                        if kind == "node":
                            if text.split(":")[-1] not in TEMPORAL:
                                continue  # DcatResource_Shape: a class range (DIFFERENCES.md)
                            text = "temporal"
                        key = (graph.qname(target), graph.qname(path), kind)
                        # Of two nodeKinds (IRI, BlankNodeOrIRI) the stricter one.
                        if key not in found or text == "sh:IRI":
                            found[key] = text
    return found


def shape(key: tuple[str, str, str], value: str) -> tuple[str, str]:
    cls, path, kind = key
    nl, en = CLASSES[cls]
    name = f"cs:{cls.split(':')[1]}-{path.replace(':', '-')}-{kind}-official"
    if kind == "nodeKind" and value in ("sh:IRI", "sh:BlankNodeOrIRI"):
        body = f"sh:nodeKind {value}"
        msg = (f"De waarde van {path} van {nl} moet een IRI zijn, geen tekst: vervang de tekst "
               f"door de IRI van het ding (uit de waardelijst, of het webadres als <...>).",
               f"The value of {path} of {en} must be an IRI, not a text: replace the text with "
               f"the IRI of the thing (from the code list, or the web address as <...>).")
    elif kind == "nodeKind":
        body = f"sh:nodeKind {value}"
        msg = (f"De waarde van {path} van {nl} moet een tekst (literal) zijn: vervang haar.",
               f"The value of {path} of {en} must be a text (literal): replace it.")
    elif kind == "datatype":
        body = f"sh:datatype {value}"  # byteSize: edited by hand afterwards (DIFFERENCES.md)
        example = EXAMPLES[value].replace('"', '\\"')
        msg = (f"De waarde van {path} van {nl} moet het datatype {value} hebben, bijvoorbeeld "
               f"{example}: schrijf haar zo.",
               f"The value of {path} of {en} must have datatype {value}, for example "
               f"{example}: write it so.")
    elif kind == "node":
        body = ("sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:dateTime ] "
                "[ sh:datatype xsd:gYear ] [ sh:datatype xsd:gYearMonth ] )")
        msg = (f"De waarde van {path} van {nl} moet een datum zijn (xsd:date, xsd:dateTime, "
               f"xsd:gYear of xsd:gYearMonth), bijvoorbeeld \\\"2024-05-01\\\"^^xsd:date.",
               f"The value of {path} of {en} must be a date (xsd:date, xsd:dateTime, xsd:gYear "
               f"or xsd:gYearMonth), for example \\\"2024-05-01\\\"^^xsd:date.")
    elif kind == "maxCount":
        body = f"sh:maxCount {value}"
        msg = (f"{nl[0].upper() + nl[1:]} heeft meer dan {value} waarde(n) voor {path}: houd er "
               f"{value} over.",
               f"{en[0].upper() + en[1:]} has more than {value} value(s) for {path}: keep {value}.")
    else:
        body = f"sh:minCount {value}"
        msg = (f"{nl[0].upper() + nl[1:]} heeft geen {path}: voeg een waarde toe.",
               f"{en[0].upper() + en[1:]} has no {path}: add a value.")
    text = (f"{name} a sh:PropertyShape ;\n  sh:path {path} ;\n  {body} ;\n"
            f"  sh:severity sh:Violation ;\n"
            f"  sh:message \"{msg[0]}\"@nl, \"{msg[1]}\"@en .\n")
    return name, text


HEADER = "# The node shapes that hold them, one per class.\n"


def main() -> None:
    official = rdflib.Graph()
    for name in FILES:
        official.parse(OFFICIAL / name)
    ours = rdflib.Graph().parse("shapes/dcat-ap-nl.ttl")
    ours.bind("lcon", "http://www.w3.org/ns/locn#")
    theirs, mine = rows(official), rows(ours)
    have = {(c, p, "nodeKind") for (c, p, k) in mine if k == "nodeKind"}
    by_class: dict[str, list[str]] = collections.defaultdict(list)
    for key in sorted(theirs):
        if key in mine or key in have or key in SKIP:
            continue
        name, text = shape(key, theirs[key])
        by_class[key[0]].append(name)
        print(text)
    print(HEADER)
    for cls, names in sorted(by_class.items()):
        print(f"cs:{cls.split(':')[1]}-official a sh:NodeShape ;\n  sh:targetClass {cls} ;\n"
              f"  sh:property {', '.join(names)} .\n")


if __name__ == "__main__":
    main()
