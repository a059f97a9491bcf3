"""Impact analysis: what a change to a begrip, API or dataset would touch. The datasets, APIs,
API fields, begrippen and organisations (through the APIs they use, cat:usesService) that depend
on it, each counted in full and listed up to a bound."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.errors import NotFound
from catalogue.namespaces import DCAT, SKOS, sparql_prefixes
from catalogue.services.labels import fallback_label, labels_for
from catalogue.store.base import Store

PREFIXES = sparql_prefixes("skos", "dct", "dcat", "cat")
LIST_LIMIT = 100  # shown per category; the count is always the whole
CATEGORIES = ("concepts", "datasets", "apis", "fields", "organisations")
KINDS = {SKOS + "Concept": "concept", DCAT + "DataService": "api", DCAT + "Dataset": "dataset",
         DCAT + "DatasetSeries": "dataset"}

# The begrippen one is defined against: hierarchy and mappings, either way round.
NEIGHBOURS = ("skos:broader|skos:narrower|skos:related|skos:exactMatch|skos:closeMatch"
              "|skos:broadMatch|skos:narrowMatch|skos:relatedMatch")
SERVES = "{ ?a dcat:servesDataset ?d } UNION { ?d dcat:distribution/dcat:accessService ?a }"
CARRIES = "dct:subject|dcat:theme"

# Per kind of resource (?iri), per category: a group pattern that binds ?x to what depends on it.
PATTERNS: dict[str, dict[str, str]] = {
    "concept": {
        "concepts": f"{{ ?iri {NEIGHBOURS} ?x }} UNION {{ ?x {NEIGHBOURS} ?iri }} "
                    "FILTER(isIRI(?x) && ?x != ?iri)",
        "datasets": f"?x {CARRIES} ?iri .",
        "fields": "?x cat:concept ?iri .",
        "apis": f"{{ ?f cat:concept ?iri . ?x cat:field ?f }} UNION "
                f"{{ ?d {CARRIES} ?iri . {SERVES.replace('?a', '?x')} }}",
        "organisations": f"{{ ?f cat:concept ?iri . ?a cat:field ?f }} UNION "
                         f"{{ ?d {CARRIES} ?iri . {SERVES} }} ?x cat:usesService ?a .",
    },
    "api": {
        "concepts": "?iri cat:field ?f . ?f cat:concept ?x .",
        "datasets": SERVES.replace("?a", "?iri").replace("?d", "?x"),
        "fields": "?iri cat:field ?x .",
        "organisations": "?x cat:usesService ?iri .",
    },
    "dataset": {
        "concepts": f"?iri {CARRIES} ?x . FILTER(isIRI(?x))",
        "apis": SERVES.replace("?a", "?x").replace("?d", "?iri"),
        "fields": SERVES.replace("?d", "?iri") + " ?a cat:field ?x .",
        "organisations": SERVES.replace("?d", "?iri") + " ?x cat:usesService ?a .",
    },
}


@dataclass(frozen=True)
class Dependent:
    iri: str
    label: str


@dataclass(frozen=True)
class Category:
    name: str  # one of CATEGORIES
    count: int
    items: tuple[Dependent, ...]  # at most LIST_LIMIT, by label

    @property
    def more(self) -> int:
        return self.count - len(self.items)


@dataclass(frozen=True)
class Impact:
    iri: str
    label: str
    kind: str  # concept, api or dataset
    categories: tuple[Category, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.categories)


def impact(store: Store, iri: str, *, lang: str) -> Impact:
    """What depends on `iri`; NotFound when it is no begrip, API or dataset in the store."""
    kind = kind_of(store, iri)
    categories = tuple(_category(store, iri, kind, name, lang) for name in PATTERNS[kind])
    ordered = tuple(sorted(categories, key=lambda c: CATEGORIES.index(c.name)))
    label = labels_for(store, [iri], lang).get(iri) or fallback_label(iri)
    return Impact(iri, label, kind, ordered)


def kind_of(store: Store, iri: str) -> str:
    types = {row["t"].value for row in store.select(
        "SELECT ?t WHERE { ?iri a ?t } LIMIT 100", {"iri": iri})}
    for type_iri, kind in KINDS.items():
        if type_iri in types:
            return kind
    if types or store.ask("ASK WHERE { ?iri ?p ?o }", {"iri": iri}):
        raise NotFound(f"{iri} is not a begrip, API or dataset: impact analysis covers those "
                       "three kinds")
    raise NotFound(f"no begrip, API or dataset with IRI {iri}", subject=iri)


def count_query(kind: str, category: str) -> str:
    return (f"{PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ "
            f"{PATTERNS[kind][category]} }}")


def list_query(kind: str, category: str) -> str:
    return (f"{PREFIXES}SELECT DISTINCT ?x WHERE {{ {PATTERNS[kind][category]} "
            f"FILTER(isIRI(?x)) }} LIMIT {LIST_LIMIT}")


def _category(store: Store, iri: str, kind: str, name: str, lang: str) -> Category:
    rows = store.select(count_query(kind, name), {"iri": iri})
    count = int(rows[0]["n"].value) if rows else 0
    found = [row["x"].value for row in store.select(list_query(kind, name), {"iri": iri})]
    labels = labels_for(store, found, lang)
    items = sorted((Dependent(x, labels.get(x) or fallback_label(x)) for x in found),
                   key=lambda d: (d.label.casefold(), d.iri))
    return Category(name, count, tuple(items))


def example_query(label: str = "pand") -> str:
    """The begrip question as one query with a count per category: the /sparql example, made
    from the same patterns as the page, so the two cannot drift apart."""
    branches = "\n  UNION ".join(f'{{ BIND("{name}" AS ?category) {pattern} }}'
                                 for name, pattern in PATTERNS["concept"].items())
    return f"""{PREFIXES}
# What a change to one begrip would touch. Put the label of your begrip in place of "{label}",
# or name it directly with: VALUES ?iri {{ <IRI of the begrip> }}
SELECT ?category (COUNT(DISTINCT ?x) AS ?count) WHERE {{
  ?iri a skos:Concept ; skos:prefLabel "{label}"@nl .
  {branches}
}}
GROUP BY ?category
ORDER BY ?category
"""
