"""The begrip page: definition and uitleg apart, source, hierarchy, relations, mappings,
labels per language, deprecation, where the begrip is used, and look-alikes elsewhere.

Everything comes from the store and the search index; nothing waits on the network (a mapping
target unknown to the store shows its IRI's last segment)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from catalogue.errors import NotFound
from catalogue.namespaces import CAT, DCAT, DCT, PREFIXES, RDFS, SKOS
from catalogue.search.index import Hit, SearchIndex
from catalogue.search.text import STOPWORDS, fold, stems, tokens
from catalogue.services.labels import fallback_label, labels_for, language_rank
from catalogue.services.schemes import BROADER, NARROWER, Link, vocid_for
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode

ADMS = PREFIXES["adms"]
OWL = PREFIXES["owl"]
ISOTHES = PREFIXES["isothes"]

RELATED = {SKOS + "related": "related", ISOTHES + "broaderGeneric": "broaderGeneric",
           ISOTHES + "narrowerGeneric": "narrowerGeneric",
           ISOTHES + "broaderPartitive": "broaderPartitive",
           ISOTHES + "narrowerPartitive": "narrowerPartitive",
           ISOTHES + "broaderInstantial": "broaderInstantial",
           ISOTHES + "narrowerInstantial": "narrowerInstantial"}
MAPPINGS = {SKOS + name: name for name in
            ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
# Which adms:status values mean "no longer in use" (by the last segment of their IRI or text).
DEPRECATED_STATUS = ("deprecated", "retired", "vervallen", "vervangen", "invalid", "superseded",
                     "withdrawn", "ingetrokken")
# Properties whose object, when a begrip, says a resource uses it; and what kind of use.
USES = {DCT + "subject": "subject", DCAT + "theme": "theme", CAT + "concept": "field"}
KIND_TYPES = {DCAT + "Dataset": "dataset", DCAT + "DatasetSeries": "dataset",
              DCAT + "DataService": "api", CAT + "Field": "field"}
USAGE_LIMIT = 200


@dataclass(frozen=True)
class Text:
    value: str
    language: str | None


@dataclass(frozen=True)
class Source:
    """A dct:source: a link (with a title when the store has one) or plain text."""

    text: str
    url: str | None


@dataclass(frozen=True)
class Relation:
    kind: str  # related, broaderGeneric, exactMatch, ...
    target: Link
    known: bool  # whether the store knows the target (a label came from the store)


@dataclass(frozen=True)
class Usage:
    kind: str  # dataset, api, field, other
    via: str  # subject, theme, field
    resource: Link
    parent: Link | None = None  # the API a field belongs to
    # Fields of one name in one API: the schemas (objects) that have it, each linking to its
    # own field, so a name used in five schemas is one entry, not five alike.
    schemas: tuple[Link, ...] = ()
    schema: str = ""  # the schema of this one field, before grouping


@dataclass(frozen=True)
class Similar:
    concept: Link
    scheme: Link | None
    snippet: str
    same_label: bool


@dataclass(frozen=True)
class ConceptPage:
    iri: str
    label: str
    label_language: str | None
    notations: tuple[str, ...]
    alt_labels: tuple[Text, ...]
    hidden_labels: tuple[Text, ...]
    definitions: tuple[Text, ...]
    comments: tuple[Text, ...]  # uitleg (rdfs:comment)
    scope_notes: tuple[Text, ...]
    examples: tuple[Text, ...]
    sources: tuple[Source, ...]
    schemes: tuple[Link, ...]
    vocids: tuple[str, ...]
    breadcrumbs: tuple[tuple[Link, ...], ...]
    broader: tuple[Link, ...]
    narrower: tuple[Link, ...]
    related: tuple[Relation, ...]
    mappings: tuple[Relation, ...]
    inbound_mappings: tuple[Relation, ...]
    collections: tuple[Link, ...]
    other_labels: tuple[tuple[str, tuple[str, ...]], ...]  # language -> prefLabels
    deprecated: bool
    status: Link | None
    replaced_by: tuple[Link, ...]
    valid: tuple[str, str]  # validity begin, end ("" when unknown)
    used_by: tuple[Usage, ...]
    similar: tuple[Similar, ...]
    maintainers: tuple[Link, ...] = ()  # who keeps it: its kader's publisher (else its own)


def _maintainers(store: Store, schemes: list[str], own: list[str], lang: str
                 ) -> tuple[Link, ...]:
    """The publishers of the begrip's kaders, else the begrip's own dct:publisher."""
    found = {row["p"].value for scheme in schemes for row in store.select(
        f"SELECT ?p WHERE {{ ?scheme <{DCT}publisher> ?p FILTER(isIRI(?p)) }}", {"scheme": scheme})}
    found = found or set(own)
    labels = labels_for(store, found, lang)
    return tuple(sorted((Link(p, labels.get(p) or fallback_label(p)) for p in found),
                        key=lambda item: fold(item.label)))


def is_concept(store: Store, iri: str) -> bool:
    return store.ask(f"ASK WHERE {{ ?iri a <{SKOS}Concept> }}", {"iri": iri})


def concept_page(store: Store, index: SearchIndex, iri: str, *, lang: str, base: str = ""
                 ) -> ConceptPage:
    out: dict[str, list[Literal | NamedNode]] = defaultdict(list)
    for row in store.select("SELECT ?p ?o WHERE { ?iri ?p ?o }", {"iri": iri}):
        obj = row["o"]
        if isinstance(obj, (Literal, NamedNode)):
            out[row["p"].value].append(obj)
    if not out:
        raise NotFound(f"no begrip <{iri}> in the catalogue", subject=iri)
    inverse = ", ".join(f"<{p}>" for p in (*NARROWER, *BROADER, *MAPPINGS, SKOS + "member",
                                           DCT + "isReplacedBy", DCT + "replaces", *USES))
    inbound = store.select(
        f"SELECT ?s ?p WHERE {{ ?s ?p ?iri FILTER(?p IN ({inverse}) && isIRI(?s)) }} "
        f"LIMIT {USAGE_LIMIT * 3}", {"iri": iri}
    )
    ins: dict[str, list[str]] = defaultdict(list)
    for row in inbound:
        ins[row["p"].value].append(row["s"].value)

    def iris(*predicates: str) -> list[str]:
        return sorted({o.value for p in predicates for o in out.get(p, [])
                       if isinstance(o, NamedNode)})

    broader = sorted(set(iris(*BROADER)) | {s for p in NARROWER for s in ins.get(p, [])})
    narrower = sorted(set(iris(*NARROWER)) | {s for p in BROADER for s in ins.get(p, [])})
    paths = _broader_paths(store, iri)
    usages = _usages(store, ins)
    similar_hits = _similar(store, index, iri, out, lang)
    linked = {*broader, *narrower, *iris(*RELATED, *MAPPINGS, SKOS + "inScheme",
              SKOS + "topConceptOf", DCT + "isReplacedBy", ADMS + "status", DCT + "source"),
              *(x for path in paths for x in path), *ins.get(SKOS + "member", []),
              *(s for p in MAPPINGS for s in ins.get(p, [])), *ins.get(DCT + "replaces", []),
              *(u.resource.iri for u in usages), *(u.parent.iri for u in usages if u.parent),
              iri}
    labels = labels_for(store, linked, lang)

    def link(x: str) -> Link:
        return Link(x, labels.get(x) or fallback_label(x))

    def links(xs: list[str]) -> tuple[Link, ...]:
        return tuple(sorted((link(x) for x in xs), key=lambda item: fold(item.label)))

    def relations(kinds: dict[str, str]) -> tuple[Relation, ...]:
        return tuple(sorted(
            (Relation(kind, link(o.value), o.value in labels) for p, kind in kinds.items()
             for o in out.get(p, []) if isinstance(o, NamedNode)),
            key=lambda r: (r.kind, fold(r.target.label))))

    pref = _texts(out, SKOS + "prefLabel", lang)
    status_iri = next(iter(iris(ADMS + "status")), None)
    status_text = next((o.value for o in out.get(ADMS + "status", []) if isinstance(o, Literal)),
                       None)
    replaced = sorted(set(iris(DCT + "isReplacedBy")) | set(ins.get(DCT + "replaces", [])))
    schemes = iris(SKOS + "inScheme", SKOS + "topConceptOf")
    deprecated = (
        any(o.value.lower() == "true" for o in out.get(OWL + "deprecated", []))
        or bool(replaced)
        or any(word in (status_iri or status_text or "").lower() for word in DEPRECATED_STATUS)
    )
    maintainers = _maintainers(store, schemes, iris(DCT + "publisher"), lang)
    by_language: dict[str, list[str]] = defaultdict(list)
    for text in pref[1:]:
        by_language[text.language or ""].append(text.value)
    return ConceptPage(
        iri=iri,
        label=pref[0].value if pref else labels.get(iri, fallback_label(iri)),
        label_language=pref[0].language if pref else None,
        notations=tuple(o.value for o in out.get(SKOS + "notation", [])),
        alt_labels=_texts(out, SKOS + "altLabel", lang),
        hidden_labels=_texts(out, SKOS + "hiddenLabel", lang),
        definitions=_texts(out, SKOS + "definition", lang),
        comments=_texts(out, RDFS + "comment", lang),
        scope_notes=_texts(out, SKOS + "scopeNote", lang),
        examples=_texts(out, SKOS + "example", lang),
        sources=_sources(store, out.get(DCT + "source", []) + out.get(
            "http://purl.org/dc/elements/1.1/source", []), labels),
        schemes=links(schemes),
        vocids=tuple(vocid_for(s, base=base) for s in schemes),
        breadcrumbs=tuple(tuple(link(x) for x in path) for path in paths),
        broader=links(broader),
        narrower=links(narrower),
        related=relations(RELATED),
        mappings=relations(MAPPINGS),
        inbound_mappings=tuple(sorted(
            (Relation(kind, link(s), True) for p, kind in MAPPINGS.items() for s in ins.get(p, [])),
            key=lambda r: (r.kind, fold(r.target.label)))),
        collections=links(ins.get(SKOS + "member", [])),
        other_labels=tuple(sorted(((k, tuple(v)) for k, v in by_language.items()),
                                  key=lambda kv: (language_rank(kv[0], lang), kv[0]))),
        deprecated=deprecated,
        status=link(status_iri) if status_iri else (Link("", status_text) if status_text else None),
        replaced_by=links(replaced),
        valid=(_first(out, "http://purl.org/dc/terms/valid", SKOS + "validFrom",
                      "http://schema.org/validFrom", "https://schema.org/validFrom"),
               _first(out, "http://schema.org/validThrough", "https://schema.org/validThrough")),
        used_by=_grouped(tuple(Usage(u.kind, u.via, link(u.resource.iri),
                                     link(u.parent.iri) if u.parent else None, schema=u.schema)
                               for u in usages)),
        maintainers=maintainers,
        similar=similar_hits,
    )


def _texts(out: dict[str, list[Literal | NamedNode]], predicate: str, lang: str
           ) -> tuple[Text, ...]:
    literals = [o for o in out.get(predicate, []) if isinstance(o, Literal)]
    literals.sort(key=lambda o: (language_rank(o.language, lang), o.value))
    return tuple(Text(o.value, o.language) for o in literals)


def _first(out: dict[str, list[Literal | NamedNode]], *predicates: str) -> str:
    return next((o.value for p in predicates for o in out.get(p, [])), "")


def _sources(store: Store, values: list[Literal | NamedNode], labels: dict[str, str]
             ) -> tuple[Source, ...]:
    result = []
    for value in values:
        if isinstance(value, NamedNode):
            title = labels.get(value.value)
            result.append(Source(title or value.value, value.value))
        elif value.value.startswith(("http://", "https://")):
            result.append(Source(value.value, value.value.split()[0]))
        else:
            result.append(Source(value.value, None))
    return tuple(result)


def _broader_paths(store: Store, iri: str, *, limit: int = 3) -> list[list[str]]:
    """Paths from a top concept down to (not including) this begrip; cycles are cut."""
    step = "|".join(f"<{p}>" for p in BROADER)
    back = "|".join(f"^<{p}>" for p in NARROWER)
    rows = store.select(
        f"SELECT DISTINCT ?a ?b WHERE {{ ?iri ({step}|{back})* ?a . ?a ({step}|{back}) ?b }} "
        f"LIMIT 500", {"iri": iri}
    )
    parents: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        parents[row["a"].value].append(row["b"].value)
    paths: list[list[str]] = []

    def walk(node: str, trail: list[str]) -> None:
        if len(paths) >= limit:
            return
        ups = sorted(set(parents.get(node, [])) - set(trail) - {iri})
        if not ups:
            if trail:
                paths.append(list(reversed(trail)))
            return
        for up in ups:
            walk(up, [*trail, up])

    walk(iri, [])
    return paths


def _usages(store: Store, ins: dict[str, list[str]]) -> list[Usage]:
    users = {s: via for p, via in USES.items() for s in ins.get(p, [])}
    if not users:
        return []
    kinds: dict[str, str] = {}
    for row in store.select("SELECT ?s ?t WHERE { ?s a ?t }", {"s": list(users)}):
        kind = KIND_TYPES.get(row["t"].value)
        if kind and kinds.get(row["s"].value) in (None, "dataset"):
            kinds[row["s"].value] = kind
    parents = {row["f"].value: row["a"].value for row in store.select(
        f"SELECT ?f ?a WHERE {{ ?a <{CAT}field> ?f }}", {"f": list(users)})}
    schemas = {row["f"].value: row["s"].value for row in store.select(
        f"SELECT ?f ?s WHERE {{ ?f <{CAT}schema> ?s }}", {"f": list(users)})}
    order = {"dataset": 0, "api": 1, "field": 2, "other": 3}
    usages = [
        Usage(kinds.get(s, "field" if via == "field" else "other"), via, Link(s, ""),
              Link(parents[s], "") if s in parents else None, schema=schemas.get(s, ""))
        for s, via in users.items()
    ]
    usages.sort(key=lambda u: (order[u.kind], u.resource.iri))
    return usages[:USAGE_LIMIT]


def _grouped(usages: tuple[Usage, ...]) -> tuple[Usage, ...]:
    """Fields with one name in one API as one usage listing their schemas; the rest as they
    are, in their order."""
    groups: dict[tuple[str, str, str], list[Usage]] = {}
    for usage in usages:
        key = (usage.resource.label, usage.parent.iri if usage.parent else "", usage.via) if (
            usage.kind == "field" and usage.schema) else (usage.resource.iri, "", usage.via)
        groups.setdefault(key, []).append(usage)
    return tuple(
        replace(group[0], schemas=tuple(sorted(
            (Link(u.resource.iri, u.schema) for u in group), key=lambda s: fold(s.label))))
        if group[0].kind == "field" and group[0].schema else group[0]
        for group in groups.values())


def _similar(store: Store, index: SearchIndex, iri: str,
             out: dict[str, list[Literal | NamedNode]], lang: str) -> tuple[Similar, ...]:
    """Begrippen in other begrippenkaders with the same or a similar label or definition."""
    own_schemes = {o.value for p in (SKOS + "inScheme", SKOS + "topConceptOf")
                   for o in out.get(p, [])}
    labels = [o.value for o in out.get(SKOS + "prefLabel", [])]
    definitions = [o.value for o in out.get(SKOS + "definition", [])]
    hits = index.related(labels + labels + definitions, kinds=("concept",), limit=30,
                         exclude=(iri,), lang=lang)
    own_labels = {fold(label) for label in labels}
    own_label_words = _content_words(labels)
    own_words = own_label_words | _content_words(definitions)
    found = []
    for hit in hits:
        schemes = list(hit.facets.get("scheme", ()))
        if own_schemes & set(schemes):
            continue
        if fold(hit.label) not in own_labels and not _alike(own_label_words, own_words, hit):
            continue
        scheme = schemes[0] if schemes else None
        found.append((hit, scheme))
    scheme_labels = labels_for(store, {s for _, s in found if s}, lang)
    result = [
        Similar(Link(hit.uri, hit.label),
                Link(s, scheme_labels.get(s) or fallback_label(s)) if s else None,
                hit.snippet, fold(hit.label) in own_labels)
        for hit, s in found
    ]
    result.sort(key=lambda s: not s.same_label)  # same label first, then by score
    return tuple(result[:10])


def _content_words(texts: Sequence[str]) -> set[str]:
    """Words and their stems, without stop words: what two definitions can share."""
    words = {t for text in texts for t in tokens(text) if t not in STOPWORDS and len(t) > 2}
    return words | {stem for word in words for stem in stems(word)}


def _alike(own_label: set[str], own: set[str], hit: Hit) -> bool:
    """Whether a full-text neighbour is similar enough to offer for comparison: the labels
    share a word, or the texts share at least two content words and a fifth of the smaller
    one's. (One shared word such as 'openbare' made 'provincie' a look-alike of
    'verblijfsobject'.)"""
    label_words = _content_words([hit.label])
    if label_words & own_label:
        return True
    theirs = label_words | _content_words([hit.snippet])
    shared = own & theirs
    return len(shared) >= 2 and len(shared) >= 0.2 * min(len(own), len(theirs))
