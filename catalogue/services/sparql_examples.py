"""What /sparql tells about itself: example queries for the editor, and its SPARQL 1.1 Service
Description."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.i18n import texts
from catalogue.namespaces import PREFIXES, sparql_prefixes
from catalogue.services.impact import example_query
from catalogue.store.terms import RdfFormat, parse, serialize
from catalogue.web.urls import Urls


@dataclass(frozen=True)
class Example:
    name: str  # its title is the catalogues' `example.{name}`
    query: str

    def title(self, lang: str) -> str:
        return texts(lang).gettext(f"example.{self.name}")


EXAMPLES = (
    Example(
        "pand",
        sparql_prefixes("dcat", "dct", "skos")
        + """
SELECT DISTINCT ?api ?title ?dataset WHERE {
  { ?dataset dct:subject ?begrip . ?begrip skos:prefLabel "pand"@nl }
  UNION { ?dataset dcat:keyword "pand"@nl }
  ?api dcat:servesDataset ?dataset .
  OPTIONAL { ?api dct:title ?title }
}
LIMIT 100
""",
    ),
    Example(
        "scheme_definitions",
        sparql_prefixes("skos", "dct")
        + """
# Narrow to one begrippenkader with: VALUES ?kader { <IRI of the scheme> }
SELECT ?begrip ?label ?definition ?source ?kader WHERE {
  ?begrip a skos:Concept ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "nl")
  OPTIONAL { ?begrip skos:inScheme ?kader }
  OPTIONAL { ?begrip skos:definition ?definition }
  OPTIONAL { ?begrip dct:source ?source }
}
ORDER BY ?label
LIMIT 200
""",
    ),
    Example(
        "datasets_per_organisation",
        sparql_prefixes("dcat", "dct", "foaf")
        + """
SELECT ?organisation ?name ?theme (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {
  ?dataset a dcat:Dataset ; dct:publisher ?organisation .
  OPTIONAL { ?dataset dcat:theme ?theme }
  OPTIONAL { ?organisation foaf:name ?name }
}
GROUP BY ?organisation ?name ?theme
ORDER BY DESC(?datasets)
LIMIT 100
""",
    ),
    Example("impact", example_query()),
)

_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
            "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(urls: Urls, rdf_format: RdfFormat) -> bytes:
    """The SPARQL 1.1 Service Description of /sparql, in `rdf_format`."""
    endpoint = urls.base + "/sparql"
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in _FORMATS)
    turtle = f"""
@prefix sd: <{PREFIXES["sd"]}> .
@prefix dct: <{PREFIXES["dct"]}> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat {formats} ;
  sd:feature sd:UnionDefaultGraph ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] ;
  dct:title "SPARQL-endpoint van de catalogus (alleen lezen)"@nl,
            "SPARQL endpoint of the catalogue (read-only)"@en .
"""
    triples = [quad.triple for quad in parse(turtle.encode("utf-8"), RdfFormat.TURTLE)]
    prefixes = {"sd": PREFIXES["sd"], "dct": PREFIXES["dct"]}
    return bytes(serialize(triples, format=rdf_format, prefixes=prefixes) or b"")
