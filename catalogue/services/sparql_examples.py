"""What /sparql tells about itself: example queries for the editor, and its SPARQL 1.1 Service
Description."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.namespaces import PREFIXES, sparql_prefixes
from catalogue.store.terms import RdfFormat, parse, serialize
from catalogue.web.urls import Urls


@dataclass(frozen=True)
class Example:
    title_nl: str
    title_en: str
    query: str

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_nl


EXAMPLES = (
    Example(
        "Welke API's leveren gegevens over een pand?",
        "Which APIs serve data about a pand (building)?",
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
        "Alle definities van een begrippenkader, met hun bronnen",
        "All definitions of a begrippenkader (concept scheme), with their sources",
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
        "Datasets per organisatie en thema",
        "Datasets per organisation and theme",
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
