"""Begrippenkaders (skos:ConceptScheme): the list, one scheme's overview, A-Z index and tree.

Concept counts come from the search index (facet `scheme`), never from a GROUP BY over the
store; one scheme's concepts are read in one bounded query per question."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from catalogue.errors import NotFound
from catalogue.namespaces import DCT, PREFIXES, RDFS, SKOS
from catalogue.search.index import SearchIndex
from catalogue.search.text import fold
from catalogue.services.labels import fallback_label, labels_for, language_rank
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode, Triple

ADMS = PREFIXES["adms"]
ISOTHES = PREFIXES["isothes"]
# Hierarchical relations, read downwards: (property, True when it points from child to parent).
BROADER = (SKOS + "broader", ISOTHES + "broaderGeneric", ISOTHES + "broaderPartitive",
           ISOTHES + "broaderInstantial")
NARROWER = (SKOS + "narrower", ISOTHES + "narrowerGeneric", ISOTHES + "narrowerPartitive",
            ISOTHES + "narrowerInstantial")
TREE_LIMIT = 50_000  # a scheme larger than this shows its top levels only


@dataclass(frozen=True)
class Link:
    """Something to link to: an IRI and its label."""

    iri: str
    label: str


@dataclass(frozen=True)
class SchemeSummary:
    iri: str
    vocid: str
    title: str
    description: str
    publisher: Link | None
    status: Link | None
    concepts: int


@dataclass(frozen=True)
class TreeNode:
    iri: str
    label: str
    children: tuple[TreeNode, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One line of the A-Z index: a label and the begrip it names."""

    label: str
    iri: str
    preferred: bool  # False for an altLabel pointing to its begrip
    target: str = ""  # an altLabel's begrip by its preferred label (in this language if it has one)


@dataclass(frozen=True)
class AzIndex:
    languages: tuple[str, ...]
    language: str
    letters: tuple[str, ...]
    letter: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class SchemePage:
    summary: SchemeSummary
    top_concepts: tuple[Link, ...]
    collections: tuple[tuple[Link, tuple[Link, ...]], ...]
    languages: tuple[str, ...]


def vocid_for(iri: str, *, base: str = "") -> str:
    """A stable slug per begrippenkader: readable words from its IRI plus a short hash, so two
    schemes never share one and a scheme keeps its slug whatever else is loaded. Of an IRI we
    minted (under `base`) only the part after the base counts, so the slug stays the same when
    the base IRI (host, port) changes."""
    if base and iri.startswith(base.rstrip("/") + "/"):
        iri = "minted:" + iri[len(base.rstrip("/")):]
    words = re.findall(r"[a-z0-9]+", iri.lower().split("://", 1)[-1].removeprefix("minted:"))
    skip = {"www", "nl", "com", "org", "eu", "net", "http", "https", "id", "def", "begrip",
            "begrippen", "concept", "scheme", "nl-sbb"}
    kept = [w for w in words if w not in skip][-3:] or ["kader"]
    digest = hashlib.sha1(iri.encode()).hexdigest()[:6]
    return "-".join(kept)[:40].strip("-") + "-" + digest


def scheme_list(store: Store, index: SearchIndex, *, lang: str, base: str = ""
                ) -> tuple[SchemeSummary, ...]:
    """Every begrippenkader with title, publisher, status and its number of begrippen."""
    rows = store.select(
        f"SELECT DISTINCT ?s WHERE {{ ?s a <{SKOS}ConceptScheme> FILTER(isIRI(?s)) }}"
    )
    # Only begrippen carry the scheme facet, so no join on the kind (a covering-index count).
    counts = index.facet_counts("scheme")
    # Undeclared schemes that begrippen name in skos:inScheme are browsable too.
    iris = sorted({row["s"].value for row in rows} | set(counts))
    summaries = _summaries(store, iris, counts, lang, base)
    return tuple(sorted(summaries, key=lambda s: fold(s.title)))


def scheme_by_vocid(schemes: Iterable[SchemeSummary], vocid: str) -> SchemeSummary:
    """The kader with this slug, or with this slug as it was made before slugs left the base
    IRI out (a hash of the whole IRI); the caller redirects those to the current slug."""
    schemes = tuple(schemes)
    for summary in schemes:
        if summary.vocid == vocid:
            return summary
    for summary in schemes:
        if vocid_for(summary.iri) == vocid:
            return summary
    raise NotFound(f"no begrippenkader with id {vocid!r}")


def scheme_summary(store: Store, index: SearchIndex, iri: str, *, lang: str, base: str = ""
                   ) -> SchemeSummary:
    counts = index.facet_counts("scheme", values=[iri])
    found = _summaries(store, [iri], counts, lang, base)
    if not found:
        raise NotFound(f"no begrippenkader <{iri}> in the catalogue", subject=iri)
    return found[0]


def _summaries(
    store: Store, iris: Sequence[str], counts: Mapping[str, int], lang: str, base: str
) -> list[SchemeSummary]:
    if not iris:
        return []
    props = {DCT + "title": "title", SKOS + "prefLabel": "title", RDFS + "label": "title",
             DCT + "description": "description", RDFS + "comment": "description",
             DCT + "publisher": "publisher", ADMS + "status": "status"}
    wanted = ", ".join(f"<{p}>" for p in props)
    found: dict[str, dict[str, list[tuple[int, str, bool]]]] = defaultdict(
        lambda: defaultdict(list))
    for row in store.select(
        f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(?p IN ({wanted})) }}", {"s": list(iris)}
    ):
        obj = row["o"]
        rank = language_rank(obj.language, lang) if isinstance(obj, Literal) else 0
        field = props[row["p"].value]
        found[row["s"].value][field].append((rank, obj.value, isinstance(obj, NamedNode)))
    linked = {v for fields in found.values() for f in ("publisher", "status")
              for _, v, is_iri in fields.get(f, []) if is_iri}
    labels = labels_for(store, linked, lang)

    def best(iri: str, field: str) -> tuple[str, bool] | None:
        options = sorted(found[iri].get(field, []))
        return (options[0][1], options[0][2]) if options else None

    def link(iri: str, field: str) -> Link | None:
        value = best(iri, field)
        if value is None:
            return None
        text, is_iri = value
        return Link(text, labels.get(text) or fallback_label(text)) if is_iri else Link("", text)

    result = []
    for iri in iris:
        if iri not in found and iri not in counts:
            continue
        title = best(iri, "title")
        description = best(iri, "description")
        result.append(SchemeSummary(
            iri=iri,
            vocid=vocid_for(iri, base=base),
            title=title[0] if title else fallback_label(iri),
            description=description[0] if description else "",
            publisher=link(iri, "publisher"),
            status=link(iri, "status"),
            concepts=counts.get(iri, 0),
        ))
    return result


def scheme_page(store: Store, index: SearchIndex, iri: str, *, lang: str, base: str = ""
                ) -> SchemePage:
    summary = scheme_summary(store, index, iri, lang=lang, base=base)
    tops = store.select(
        f"SELECT DISTINCT ?c WHERE {{ {{ ?iri <{SKOS}hasTopConcept> ?c }} UNION "
        f"{{ ?c <{SKOS}topConceptOf> ?iri }} }} LIMIT 2000", {"iri": iri}
    )
    members = store.select(
        f"SELECT ?k ?m WHERE {{ ?k a <{SKOS}Collection> ; <{SKOS}member> ?m . "
        f"{{ ?k <{SKOS}inScheme> ?iri }} UNION {{ ?m <{SKOS}inScheme> ?iri }} }} LIMIT 20000",
        {"iri": iri}
    )
    langs = store.select(
        f"SELECT DISTINCT (LANG(?l) AS ?lang) WHERE {{ ?c <{SKOS}inScheme> ?iri ; "
        f"<{SKOS}prefLabel> ?l }} LIMIT 50", {"iri": iri}
    )
    top_iris = [row["c"].value for row in tops]
    by_collection: dict[str, set[str]] = defaultdict(set)
    for row in members:
        by_collection[row["k"].value].add(row["m"].value)
    labels = labels_for(store, [*top_iris, *by_collection, *set().union(*by_collection.values())],
                        lang)

    def link(x: str) -> Link:
        return Link(x, labels.get(x) or fallback_label(x))

    collections = tuple(sorted(
        ((link(k), tuple(sorted((link(m) for m in ms), key=lambda link: fold(link.label))))
         for k, ms in by_collection.items()),
        key=lambda pair: fold(pair[0].label),
    ))
    return SchemePage(
        summary=summary,
        top_concepts=tuple(sorted((link(c) for c in top_iris), key=lambda link: fold(link.label))),
        collections=collections,
        languages=_languages(row["lang"].value for row in langs),
    )


def _languages(found: Iterable[str]) -> tuple[str, ...]:
    tags = {_primary(tag) for tag in found}
    return tuple(sorted(tags, key=lambda t: (language_rank(t, "nl"), t)))


def az_index(store: Store, index: SearchIndex, iri: str, *, language: str | None,
             letter: str | None, lang: str) -> AzIndex:
    """Labels of one language grouped by first letter: preferred labels from the search index,
    alternative labels (pointing to their begrip) from the store. A language that only
    alternative labels have (IMKA's English "UHI" beside Dutch preferred labels) is one of the
    index's languages, and their letters are letters of it."""
    by_language: dict[str, list[Entry]] = defaultdict(list)
    names: dict[str, dict[str, str]] = {}
    for uri, labels, _ in index.members(iri):
        names[uri] = {_primary(tag): label for tag, label in labels.items()}
        for tag, label in labels.items():
            by_language[_primary(tag)].append(Entry(label, uri, True))
    alternative = f"?c <{SKOS}inScheme> ?iri ; <{SKOS}altLabel> ?l FILTER(isLiteral(?l))"
    tags = {_primary(row["t"].value) for row in store.select(
        f"SELECT DISTINCT (LANG(?l) AS ?t) WHERE {{ {alternative} }}", {"iri": iri})}
    languages = tuple(sorted(set(by_language) | tags,
                             key=lambda t: (language_rank(t, lang), t)))
    chosen = language if language in languages else (languages[0] if languages else "")
    entries = list(by_language.get(chosen, []))
    if chosen in tags:
        same = 'LANGMATCHES(LANG(?l), STR(?tag))' if chosen else 'LANG(?l) = ""'
        entries += [Entry(row["l"].value, row["c"].value, False,
                          _pick(names.get(row["c"].value, {}), chosen)) for row in store.select(
            f"SELECT ?c ?l WHERE {{ {alternative} FILTER({same}) }}",
            {"iri": iri, "tag": Literal(chosen)})]
    letters = tuple(sorted({_letter(e.label) for e in entries}))
    current = (letter or "").upper()
    if current not in letters:
        current = letters[0] if letters else ""
    shown = [e for e in entries if _letter(e.label) == current]
    shown.sort(key=lambda e: (fold(e.label), not e.preferred))
    return AzIndex(languages, chosen, letters, current, tuple(shown))


def _primary(tag: str) -> str:
    """The language of a tag, as the A-Z index groups them: "en-GB" is "en"."""
    return tag.split("-")[0].lower()


def _letter(label: str) -> str:
    first = fold(label.strip()[:1]).upper()
    return first if first.isalpha() else "#"


def hierarchy(store: Store, index: SearchIndex, iri: str, *, lang: str
              ) -> tuple[TreeNode, ...]:
    """The scheme's begrippen as a forest: top concepts (or begrippen without a broader one in
    this scheme) at the root. A begrip under several parents appears under each; cycles are
    cut where they close. Begrippen, labels and broader links come from the search index."""
    members = index.members(iri)
    concepts = {uri for uri, _, _ in members}
    parents = {uri: set(ups) for uri, _, ups in members}
    labels = {uri: _pick(names, lang) for uri, names, _ in members}
    # Broader begrippen outside the scheme (or defined nowhere, as in IMGeo) still head their
    # branch, so the hierarchy the publisher wrote shows.
    outside = {p for ups in parents.values() for p in ups} - concepts
    labels |= labels_for(store, outside, lang)
    concepts = concepts | outside
    children: dict[str, set[str]] = defaultdict(set)
    for child, ups in parents.items():
        for parent in ups:
            children[parent].add(child)
    tops = {row["c"].value for row in store.select(
        f"SELECT ?c WHERE {{ {{ ?iri <{SKOS}hasTopConcept> ?c }} UNION "
        f"{{ ?c <{SKOS}topConceptOf> ?iri }} }}", {"iri": iri})}
    roots = {c for c in concepts if not (parents.get(c, set()) & concepts)} | (tops & concepts)

    def label(x: str) -> str:
        return labels.get(x) or fallback_label(x)

    # Folded once per begrip: sorting children folds every label again otherwise.
    sort_key = {c: fold(label(c)) for c in concepts}
    budget = [TREE_LIMIT]

    def build(node: str, path: frozenset[str]) -> TreeNode:
        budget[0] -= 1
        kids = sorted(children.get(node, set()) - path, key=sort_key.__getitem__)
        if budget[0] <= 0:
            kids = []
        return TreeNode(node, label(node), tuple(build(k, path | {k}) for k in kids))

    return tuple(build(r, frozenset({r})) for r in sorted(roots, key=sort_key.__getitem__))


def _pick(labels: Mapping[str, str], lang: str) -> str:
    """The label in the wanted language, else Dutch, English, untagged, else any."""
    for key in (lang, "nl", "en", ""):
        if key in labels:
            return labels[key]
    return min(labels.items())[1] if labels else ""


def scheme_structure(store: Store, iri: str) -> tuple[set[str], dict[str, set[str]]]:
    """The begrippen in a scheme and, for each, its broader begrippen (from either direction)."""
    concepts = {row["c"].value for row in store.select(
        f"SELECT ?c WHERE {{ ?c <{SKOS}inScheme> ?iri FILTER(isIRI(?c)) }}", {"iri": iri})}
    down = ", ".join(f"<{p}>" for p in BROADER)
    up = ", ".join(f"<{p}>" for p in NARROWER)
    parents: dict[str, set[str]] = defaultdict(set)
    for row in store.select(
        f"SELECT ?c ?b WHERE {{ ?c <{SKOS}inScheme> ?iri . "
        f"{{ ?c ?p ?b FILTER(?p IN ({down})) }} UNION {{ ?b ?q ?c FILTER(?q IN ({up})) }} }}",
        {"iri": iri}
    ):
        parents[row["c"].value].add(row["b"].value)
    return concepts, parents


def scheme_triples(store: Store, iri: str) -> list[Triple]:
    """The scheme, its begrippen and their collections, for downloads."""
    # one path whose zero-length step is the scheme itself: a BIND(?scheme AS ?s) in a
    # UNION branch would not see the bound ?scheme (catalogue.store.bind)
    return store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ "
        f"?s (<{SKOS}inScheme>|<{SKOS}topConceptOf>|(<{SKOS}member>/<{SKOS}inScheme>))? "
        f"?scheme . ?s ?p ?o }}", {"scheme": iri}
    )
