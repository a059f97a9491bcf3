"""Answers in the JSON shapes of the Skosmos REST API v1 (NatLibFi/Skosmos RestController), so
existing Skosmos clients work against the catalogue unchanged. A vocabulary is a begrippenkader;
its id is the stable slug `vocid_for(iri)`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from catalogue.errors import InputError, NotFound
from catalogue.namespaces import SKOS
from catalogue.search.index import SearchIndex
from catalogue.search.text import fold
from catalogue.services.labels import fallback_label, language_rank
from catalogue.services.schemes import BROADER, NARROWER, SchemeSummary
from catalogue.store.base import Store
from catalogue.store.terms import Literal

Json = dict[str, Any]
CONTEXT: Json = {"skos": "http://www.w3.org/2004/02/skos/core#", "uri": "@id", "type": "@type"}
ONKI = "http://schema.onki.fi/onki#"


def vocabularies(schemes: Sequence[SchemeSummary], *, lang: str, base: str) -> Json:
    vocabs = sorted(schemes, key=lambda s: s.vocid)
    return {
        "@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "onki": ONKI,
                     "title": {"@id": "rdfs:label", "@language": lang},
                     "vocabularies": "onki:hasVocabulary", "id": "onki:vocabularyIdentifier",
                     "uri": "@id", "@base": f"{base}/rest/v1/vocabularies"},
        "uri": "",
        "vocabularies": [{"uri": s.vocid, "id": s.vocid, "title": s.title} for s in vocabs],
    }


def vocabulary(schemes: Sequence[SchemeSummary], vocid: str) -> SchemeSummary:
    for summary in schemes:
        if summary.vocid == vocid:
            return summary
    raise NotFound(f"no vocabulary {vocid!r}")


def search(index: SearchIndex, all_schemes: Sequence[SchemeSummary], query: str, *,
           lang: str | None, vocids: list[str], maxhits: int, offset: int) -> Json:
    if not query.strip():
        raise InputError("query parameter missing")
    schemes = {s.vocid: s for s in all_schemes}
    by_iri = {s.iri: s for s in schemes.values()}
    unknown = [v for v in vocids if v not in schemes]
    if unknown:
        raise NotFound(f"no vocabulary {unknown[0]!r}")
    filters = {"scheme": [schemes[v].iri for v in vocids]} if vocids else {}
    if lang:
        filters["language"] = [lang]
    found = index.search(query.rstrip("*"), kinds=["concept"], filters=filters,
                         lang=lang or "nl", limit=maxhits, offset=offset)
    results = []
    for hit in found.hits:
        scheme = next((by_iri[s] for s in hit.facets.get("scheme", ()) if s in by_iri), None)
        result: Json = {"uri": hit.uri, "type": ["skos:Concept"], "prefLabel": hit.label,
                        "lang": lang or "nl"}
        local = hit.uri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
        result["localname"] = local
        if scheme is not None:
            result["vocab"] = scheme.vocid
        results.append(result)
    context = {"skos": CONTEXT["skos"], "isothes": "http://purl.org/iso25964/skos-thes#",
               "onki": ONKI, "uri": "@id", "type": "@type",
               "results": {"@id": "onki:results", "@container": "@list"},
               "prefLabel": "skos:prefLabel", "altLabel": "skos:altLabel",
               "hiddenLabel": "skos:hiddenLabel"}
    if lang:
        context["@language"] = lang
    return {"@context": context, "uri": "", "results": results}


def _pref_labels(store: Store, iris: list[str], lang: str) -> dict[str, str]:
    if not iris:
        return {}
    best: dict[str, tuple[int, str]] = {}
    for row in store.select(f"SELECT ?c ?l WHERE {{ ?c <{SKOS}prefLabel> ?l }}", {"c": iris}):
        label = row["l"]
        rank = language_rank(label.language if isinstance(label, Literal) else None, lang)
        if row["c"].value not in best or rank < best[row["c"].value][0]:
            best[row["c"].value] = (rank, label.value)
    return {c: v[1] for c, v in best.items()}


def _children(store: Store, iris: list[str]) -> dict[str, set[str]]:
    """Narrower begrippen of each IRI, from both directions of the hierarchy."""
    if not iris:
        return {}
    down = ", ".join(f"<{p}>" for p in NARROWER)
    up = ", ".join(f"<{p}>" for p in BROADER)
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.select(
        f"SELECT ?c ?n WHERE {{ "
        f"{{ ?c ?p ?n FILTER(?p IN ({down})) }} UNION {{ ?n ?q ?c FILTER(?q IN ({up})) }} }}",
        {"c": iris},
    ):
        found[row["c"].value].add(row["n"].value)
    return found


def top_concepts(store: Store, scheme: SchemeSummary, *, lang: str) -> Json:
    rows = store.select(
        f"SELECT DISTINCT ?c WHERE {{ {{ ?scheme <{SKOS}hasTopConcept> ?c }} UNION "
        f"{{ ?c <{SKOS}topConceptOf> ?scheme }} }} LIMIT 5000", {"scheme": scheme.iri}
    )
    tops = [row["c"].value for row in rows]
    labels = _pref_labels(store, tops, lang)
    children = _children(store, tops)
    items = sorted(
        ({"uri": c, "label": labels.get(c, fallback_label(c)), "hasChildren": bool(children.get(c)),
          "topConceptOf": scheme.iri} for c in tops),
        key=lambda item: fold(str(item["label"])))
    return {"@context": {**CONTEXT, "onki": ONKI, "topconcepts": "skos:hasTopConcept",
                         "notation": "skos:notation", "label": "skos:prefLabel",
                         "@language": lang},
            "uri": scheme.iri, "topconcepts": items}


def hierarchy(store: Store, scheme: SchemeSummary, uri: str, *, lang: str) -> Json:
    """The begrip, its broader begrippen up to the top, and the narrower ones of each."""
    step = "|".join(f"<{p}>" for p in BROADER) + "|" + "|".join(f"^<{p}>" for p in NARROWER)
    rows = store.select(
        f"SELECT DISTINCT ?a ?b WHERE {{ ?uri ({step})* ?a OPTIONAL {{ ?a ({step}) ?b }} }} "
        f"LIMIT 2000", {"uri": uri}
    )
    if not rows:
        raise NotFound(f"no concept <{uri}>", subject=uri)
    broader: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        broader.setdefault(row["a"].value, set())
        if row.get("b") is not None:
            broader[row["a"].value].add(row["b"].value)
    chain = list(broader)
    children = _children(store, chain)
    grandchildren = _children(store, sorted({n for c in chain for n in children.get(c, ())}))
    shown = set(chain) | {n for c in chain for n in children.get(c, ())}
    labels = _pref_labels(store, sorted(shown), lang)
    tops = {row["c"].value for row in store.select(
        f"SELECT ?c WHERE {{ {{ ?scheme <{SKOS}hasTopConcept> ?c }} UNION "
        f"{{ ?c <{SKOS}topConceptOf> ?scheme }} }}", {"scheme": scheme.iri})}
    result: Json = {}
    for concept in chain:
        entry: Json = {"uri": concept, "prefLabel": labels.get(concept, fallback_label(concept))}
        if broader[concept]:
            entry["broader"] = sorted(broader[concept])
        if concept in tops:
            entry["top"] = scheme.iri
        kids = sorted(children.get(concept, ()), key=lambda n: fold(labels.get(n) or n))
        if kids:
            entry["hasChildren"] = True
            entry["narrower"] = [{"uri": n, "label": labels.get(n, fallback_label(n)),
                                  "hasChildren": bool(grandchildren.get(n))} for n in kids]
        result[concept] = entry
    return {"@context": {**CONTEXT, "onki": ONKI, "prefLabel": "skos:prefLabel",
                         "notation": "skos:notation",
                         "narrower": {"@id": "skos:narrower", "@type": "@id"},
                         "broader": {"@id": "skos:broader", "@type": "@id"},
                         "broaderTransitive": {"@id": "skos:broaderTransitive",
                                               "@container": "@index"},
                         "top": {"@id": "skos:topConceptOf", "@type": "@id"},
                         "hasChildren": "onki:hasChildren", "@language": lang},
            "uri": uri, "broaderTransitive": result}


def label(store: Store, uri: str, *, lang: str) -> Json:
    rows = store.select(
        f"SELECT ?p ?l WHERE {{ ?uri ?p ?l FILTER(?p IN (<{SKOS}prefLabel>, "
        f"<{SKOS}altLabel>, <{SKOS}hiddenLabel>)) }}", {"uri": uri}
    )
    if not rows:
        raise NotFound(f"Could not find concept <{uri}>", subject=uri)
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        value = row["l"]
        tag = value.language if isinstance(value, Literal) else None
        if lang and (tag or "").split("-")[0] != lang:
            continue
        found[row["p"].value.rsplit("#", 1)[-1]].append((language_rank(tag, lang), value.value))
    result: Json = {"@context": {**CONTEXT, "prefLabel": "skos:prefLabel",
                                 "altLabel": "skos:altLabel", "hiddenLabel": "skos:hiddenLabel",
                                 "@language": lang},
                    "uri": uri}
    if found.get("prefLabel"):
        result["prefLabel"] = sorted(found["prefLabel"])[0][1]
    for name in ("altLabel", "hiddenLabel"):
        if found.get(name):
            result[name] = [v for _, v in sorted(found[name])]
    return result
