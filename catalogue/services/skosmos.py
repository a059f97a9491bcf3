"""Answers in the JSON shapes of the Skosmos REST API v1 (NatLibFi/Skosmos RestController), so
existing Skosmos clients work against the catalogue unchanged. A vocabulary is a begrippenkader;
its id is the stable slug `vocid_for(iri)`."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from catalogue.errors import InputError, NotFound
from catalogue.namespaces import SKOS
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


# Which label matched, in Skosmos's words, by the property that holds it.
MATCHED = {SKOS + "prefLabel": "matchedPrefLabel", SKOS + "altLabel": "altLabel",
           SKOS + "hiddenLabel": "hiddenLabel"}
# Labels of begrippen (in the given kaders, in the given language) that match a pattern; the
# pattern and the rest are bound values, never spliced in.
_LABEL_SEARCH = f"""
SELECT ?c ?p ?l ?pref WHERE {{
  ?c ?p ?l . FILTER(?p IN (<{SKOS}prefLabel>, <{SKOS}altLabel>, <{SKOS}hiddenLabel>))
  FILTER(isLiteral(?l) && REGEX(STR(?l), STR(?pattern), "i"))
  ?c a <{SKOS}Concept> .
  %s
  OPTIONAL {{ ?c <{SKOS}prefLabel> ?pref FILTER(LANG(?pref) = LANG(?l)) }}
}} LIMIT 5000"""


def label_pattern(query: str) -> str:
    """Skosmos's query as a regular expression over a whole label: `*` is the only wildcard
    (any text), everything else is literal; case does not count."""
    return "^" + ".*".join(re.escape(part) for part in query.strip().split("*")) + "$"


def search(store: Store, all_schemes: Sequence[SchemeSummary], query: str, *,
           lang: str | None, vocids: list[str], maxhits: int, offset: int,
           fields: Sequence[str] = (), labellang: str | None = None) -> Json:
    """Skosmos's /search: begrippen whose preferred, alternative or hidden label matches the
    query as a whole (`*` the only wildcard), with the label that matched when it is not the
    preferred one shown; and, as Skosmos's `fields=definition` asks, their texts of those SKOS
    note properties (in `labellang`, else `lang`, else the best language there is)."""
    if not query.strip() or not query.strip("* "):
        raise InputError("query parameter missing")
    schemes = {s.vocid: s for s in all_schemes}
    by_iri = {s.iri: s for s in schemes.values()}
    unknown = [v for v in vocids if v not in schemes]
    if unknown:
        raise NotFound(f"no vocabulary {unknown[0]!r}")
    clauses = [f"?c <{SKOS}inScheme> ?scheme ."] if vocids else []
    bindings: dict[str, Any] = {"pattern": Literal(label_pattern(query))}
    if vocids:
        bindings["scheme"] = [schemes[v].iri for v in vocids]
    if lang:
        clauses.append("FILTER(LANGMATCHES(LANG(?l), STR(?language)))")
        bindings["language"] = Literal(lang)
    rows = store.select(_LABEL_SEARCH % " ".join(clauses), bindings)
    best: dict[str, tuple[int, str, str, str | None]] = {}
    for row in rows:
        label, prop = row["l"], row["p"].value
        rank = list(MATCHED).index(prop)
        # A begrip may have no preferred label in the language of the label that matched.
        found = row.get("pref")
        pref = found.value if found is not None else None
        tag = label.language if isinstance(label, Literal) else None
        if row["c"].value not in best or rank < best[row["c"].value][0]:
            best[row["c"].value] = (rank, label.value, tag or "", pref)
    results = []
    ordered = sorted(best.items(), key=lambda item: (item[1][0], fold(item[1][3] or item[1][1])))
    page = ordered[offset:offset + maxhits]
    scheme_of = _schemes_of(store, [uri for uri, _ in page])
    # Those whose match has no preferred label in its language show their best one.
    other_prefs = _pref_labels(store, [uri for uri, found in page if found[0] and not found[3]],
                               lang or "nl")
    for uri, (rank, matched, tag, preferred) in page:
        shown = matched if rank == 0 else (
            preferred or other_prefs.get(uri) or fallback_label(uri))
        result: Json = {"uri": uri, "type": ["skos:Concept"], "prefLabel": shown,
                        "lang": tag or lang or "nl"}
        if rank > 0:
            result[MATCHED[list(MATCHED)[rank]]] = matched
        result["localname"] = uri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
        scheme = next((by_iri[s] for s in scheme_of.get(uri, ()) if s in by_iri), None)
        if scheme is not None:
            result["vocab"] = scheme.vocid
        results.append(result)
    for field in dict.fromkeys(f for f in fields if f in NOTE_FIELDS):
        texts = _texts_of(store, [r["uri"] for r in results], SKOS + field,
                          labellang or lang or "nl")
        for result in results:
            if result["uri"] in texts:
                result[field] = texts[result["uri"]]
    context = {"skos": CONTEXT["skos"], "isothes": "http://purl.org/iso25964/skos-thes#",
               "onki": ONKI, "uri": "@id", "type": "@type",
               "results": {"@id": "onki:results", "@container": "@list"},
               "prefLabel": "skos:prefLabel", "altLabel": "skos:altLabel",
               "hiddenLabel": "skos:hiddenLabel"}
    context.update({f: f"skos:{f}" for f in fields if f in NOTE_FIELDS})
    if labellang or lang:
        context["@language"] = labellang or lang
    return {"@context": context, "uri": "", "results": results}


# The `fields` a search can add: SKOS's text properties (Skosmos takes any skos: property).
NOTE_FIELDS = ("definition", "scopeNote", "example", "note")


def _texts_of(store: Store, iris: list[str], prop: str, lang: str) -> dict[str, list[str]]:
    """Each IRI's values of `prop` in its best language (the wanted one, Dutch, English, ...)."""
    if not iris:
        return {}
    found: dict[str, tuple[int, list[str]]] = {}
    for row in store.select("SELECT ?c ?v WHERE { ?c ?p ?v FILTER(isLiteral(?v)) }",
                            {"c": iris, "p": prop}):
        value = row["v"]
        rank = language_rank(value.language if isinstance(value, Literal) else None, lang)
        kept = found.get(row["c"].value)
        if kept is None or rank < kept[0]:
            found[row["c"].value] = (rank, [value.value])
        elif rank == kept[0]:
            kept[1].append(value.value)
    return {c: sorted(values) for c, (_, values) in found.items()}


def _schemes_of(store: Store, iris: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    if iris:
        for row in store.select(f"SELECT ?c ?s WHERE {{ ?c <{SKOS}inScheme> ?s }}", {"c": iris}):
            found[row["c"].value].append(row["s"].value)
    return found


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


def in_vocabulary(store: Store, scheme: SchemeSummary, uri: str) -> bool:
    """Whether `uri` is the vocabulary itself or one of its begrippen (as Skosmos asks its own
    graph: a dataset's IRI is no answer of a vocabulary's /data or /hierarchy)."""
    return uri == scheme.iri or store.ask(
        f"ASK WHERE {{ {{ ?uri <{SKOS}inScheme> ?s }} UNION {{ ?uri <{SKOS}topConceptOf> ?s }} "
        f"UNION {{ ?s <{SKOS}hasTopConcept> ?uri }} }}", {"uri": uri, "s": scheme.iri})


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
