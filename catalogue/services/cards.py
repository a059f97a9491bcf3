"""A begrip's card: what another site shows where it uses the term (the embeddable card, its
JSON and oEmbed): its label and current definition in the asked language, its begrippenkader,
and when it last changed. Three small queries; no usages or similar terms (the page has those)."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.errors import NotFound
from catalogue.namespaces import DCT, SKOS
from catalogue.services.labels import fallback_label, labels_for
from catalogue.store.base import Store
from catalogue.store.terms import Literal


@dataclass(frozen=True)
class Card:
    iri: str
    label: str
    definition: str
    language: str | None  # of the definition
    scheme: str | None
    scheme_label: str | None
    changed: str | None  # ISO date: the begrip's dct:modified, else when its graph was written


def begrip_card(store: Store, iri: str, *, lang: str) -> Card:
    """NotFound when `iri` is no skos:Concept in the store."""
    texts: dict[str, list[Literal]] = {"label": [], "definition": [], "modified": []}
    schemes: list[str] = []
    rows = store.select(
        "SELECT ?p ?o WHERE { ?iri ?p ?o FILTER(?p IN (<" + SKOS + "prefLabel>, <" + SKOS
        + "definition>, <" + DCT + "modified>, <" + SKOS + "inScheme>, <" + SKOS
        + "topConceptOf>, <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)) }",
        {"iri": iri})
    concept = False
    for row in rows:
        predicate, value = row["p"].value, row["o"]
        if predicate.endswith("#type"):
            concept = concept or value.value == SKOS + "Concept"
        elif predicate in (SKOS + "inScheme", SKOS + "topConceptOf"):
            schemes.append(value.value)
        elif isinstance(value, Literal):
            key = {SKOS + "prefLabel": "label", SKOS + "definition": "definition"}.get(
                predicate, "modified")
            texts[key].append(value)
    if not concept:
        raise NotFound(f"no begrip <{iri}> in the catalogue")
    scheme = min(schemes) if schemes else None
    names = labels_for(store, [scheme] if scheme else [], lang)
    label = _pick(texts["label"], lang)
    definition = _pick(texts["definition"], lang)
    changed = max((m.value[:10] for m in texts["modified"]), default=None) or _written(store, iri)
    return Card(
        iri=iri, label=label.value if label else fallback_label(iri),
        definition=definition.value if definition else "",
        language=definition.language if definition else None,
        scheme=scheme, scheme_label=names.get(scheme, fallback_label(scheme)) if scheme else None,
        changed=changed)


def _pick(values: list[Literal], lang: str) -> Literal | None:
    """The value in `lang`, else Dutch, English, untagged, any (in a stable order)."""
    order = {lang: 0, "nl": 1, "en": 2, None: 3}
    ranked = sorted(values, key=lambda v: (order.get(v.language, 4), v.value))
    return ranked[0] if ranked else None


def _written(store: Store, iri: str) -> str | None:
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?iri ?p ?o } }", {"iri": iri})
    graphs = {row["g"].value for row in rows}
    moments = [r.loaded_at for r in store.graphs() if r.graph in graphs]
    return max(moments).date().isoformat() if moments else None
