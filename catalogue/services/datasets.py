"""Datasets and APIs: the faceted list (from the search index, never a SPARQL aggregate) and the
dataset page (distributions, serving APIs, begrippen, legal basis, quality, schema.org)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.errors import NotFound
from catalogue.iris import is_iri
from catalogue.namespaces import DCAT, DCT, FOAF, PREFIXES, RDF_TYPE, SKOS
from catalogue.search import SearchIndex, SearchResults
from catalogue.search.index import FacetCounts
from catalogue.services.facets import FacetValue, facet_iris, facet_label
from catalogue.services.labels import (
    LABEL_PROPERTIES,
    fallback_label,
    labels_for,
    language_rank,
)
from catalogue.services.nearby import nearby
from catalogue.services.resources import Inbound, resource_page
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode

DCATAP = PREFIXES["dcatap"]
DQV = PREFIXES["dqv"]
VCARD = PREFIXES["vcard"]
ADMS = PREFIXES["adms"]
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
# The facets list pages show, in this order.
LIST_FACETS = ("type", "publisher", "theme", "format", "licence", "access", "status",
               "quality", "standard")
SORTS = ("title", "modified")
PAGE_SIZE = 20
# Values a facet shows at first, and when its "more" is followed (then paged by keyset, or
# found by words): a facet may have 50k values, and each shown one needs a label.
FACET_SIZE = 10
MORE_SIZE = 100


@dataclass(frozen=True)
class Link:
    iri: str
    label: str


@dataclass(frozen=True)
class Facet:
    name: str
    values: tuple[FacetValue, ...]
    more: bool = False  # values beyond those shown
    expanded: bool = False  # the "more" view of this facet: up to MORE_SIZE, searchable
    query: str = ""  # words its values were found by (expanded only)
    after: str | None = None  # the keyset of the next values ("count:value"), if any


@dataclass(frozen=True)
class FacetView:
    """Which facet a list page shows more of: its name, words to find values by, and the
    keyset (count, value) of the last value shown before."""

    name: str
    query: str = ""
    after: tuple[int, str] | None = None


@dataclass(frozen=True)
class ListItem:
    iri: str
    kind: str
    label: str
    snippet: str
    publishers: tuple[Link, ...]


@dataclass(frozen=True)
class ListPage:
    kinds: tuple[str, ...]
    query: str
    sort: str
    total: int
    page: int
    pages: int
    items: tuple[ListItem, ...]
    facets: tuple[Facet, ...]
    filters: Mapping[str, tuple[str, ...]]


def list_page(
    store: Store,
    index: SearchIndex,
    *,
    kinds: Sequence[str],
    query: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "title",
    page: int = 1,
    lang: str = "nl",
    more: FacetView | None = None,
) -> ListPage:
    """One page of datasets or APIs with the top values of each facet, all from the search
    index; only the labels of the shown facet values and publishers are looked up in the
    store. `more` shows more of one facet: the next values, or those found by words."""
    chosen = {name: tuple(values) for name, values in (filters or {}).items() if values}
    found = index.search(
        query, kinds=kinds, filters=chosen, lang=lang, limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE, facets=LIST_FACETS, facet_limit=FACET_SIZE + 1,
        sort=None if query.strip() and sort == "relevance" else sort,
    )
    shown = {name: _shown(found, name, chosen.get(name, ()), more) for name in LIST_FACETS}
    iris = facet_iris({name: values for name, (values, _, _) in shown.items()})
    iris |= {p for hit in found.hits for p in hit.facets.get("publisher", ())}
    labels = labels_for(store, iris, lang)

    def label(value: str) -> str:
        return facet_label(value, labels)

    expanded = more.name if more is not None else None
    facets = tuple(
        Facet(name, tuple(FacetValue(v, label(v), n, v in chosen.get(name, ()))
                          for v, n in values),
              more=has_more, expanded=name == expanded,
              query=more.query if more is not None and name == expanded else "", after=after)
        for name, (values, has_more, after) in shown.items() if values or name == expanded
    )
    items = tuple(
        ListItem(hit.uri, hit.kind, hit.label, hit.snippet,
                 tuple(Link(p, label(p)) for p in hit.facets.get("publisher", ())))
        for hit in found.hits
    )
    return ListPage(kinds=tuple(kinds), query=query, sort=sort, total=found.total, page=page,
                    pages=max(1, math.ceil(found.total / PAGE_SIZE)), items=items,
                    facets=facets, filters=chosen)


def _shown(found: SearchResults, name: str, chosen: Sequence[str],
           more: FacetView | None) -> tuple[FacetCounts, bool, str | None]:
    """The values of a facet a page shows, whether it has more, and the keyset of the next
    ones ("count:value", its "more" view only): the top FACET_SIZE, or the next MORE_SIZE,
    or those matching words; chosen values always, so they can be unchosen."""
    after = None
    if more is not None and more.name == name and found.counter is not None:
        if more.query.strip():
            values = found.counter.matching(name, more.query, limit=MORE_SIZE)
            has_more = False
        else:
            values = found.counter.top(name, limit=MORE_SIZE + 1, after=more.after)
            has_more = len(values) > MORE_SIZE
            values = values[:MORE_SIZE]
            after = f"{values[-1][1]}:{values[-1][0]}" if has_more else None
    else:
        values = found.facets.get(name, ())
        has_more = len(values) > FACET_SIZE
        values = values[:FACET_SIZE]
    missing = [v for v in chosen if v not in {value for value, _ in values}]
    if missing and found.counter is not None:
        counted = dict(found.counter.of(name, missing))
        values = (*values, *((v, counted.get(v, 0)) for v in missing))
    return values, has_more, after


# -- one record's properties, shared by the dataset, API and organisation pages --

Values = dict[str, list[NamedNode | Literal]]


def properties(store: Store, iri: str) -> Values:
    """Every (predicate, object) of an IRI, grouped by predicate (blank nodes left out)."""
    values: Values = defaultdict(list)
    for row in store.select("SELECT ?p ?o WHERE { ?iri ?p ?o }", {"iri": iri}):
        obj = row["o"]
        if isinstance(obj, NamedNode | Literal):
            values[row["p"].value].append(obj)
    return values


def text(values: Values, predicate: str, lang: str) -> str | None:
    """The literal of a predicate in the best language for `lang`."""
    literals = [v for v in values.get(predicate, []) if isinstance(v, Literal)]
    if not literals:
        return None
    return min(literals, key=lambda lit: language_rank(lit.language, lang)).value


def texts(values: Values, predicate: str, lang: str) -> tuple[str, ...]:
    literals = [v for v in values.get(predicate, []) if isinstance(v, Literal)]
    best = {language_rank(lit.language, lang) for lit in literals}
    keep = min(best) if best else 0
    return tuple(sorted(lit.value for lit in literals
                        if language_rank(lit.language, lang) == keep or lit.language is None))


def every_text(values: Values, predicate: str, lang: str) -> tuple[str, ...]:
    """Each value once, the best language's first: keywords are tags, not translations of one
    text (a Danish record's five keywords beside one English one are all its keywords)."""
    literals = [v for v in values.get(predicate, []) if isinstance(v, Literal)]
    ranked = sorted(literals, key=lambda lit: (language_rank(lit.language, lang), lit.value))
    return tuple(dict.fromkeys(lit.value for lit in ranked))


def iris(values: Values, *predicates: str) -> list[str]:
    return sorted({v.value for p in predicates for v in values.get(p, [])
                   if isinstance(v, NamedNode)})


def links(store: Store, found: Iterable[str], lang: str,
          labels: Mapping[str, str] | None = None) -> tuple[Link, ...]:
    """Links with labels, looked up unless `labels` (from one labels_for) are given. Blank
    nodes (a CKAN theme or contact without an IRI) have no page to link to."""
    ordered = sorted({iri for iri in found if is_iri(iri)})
    if labels is None:
        labels = labels_for(store, ordered, lang)
    return tuple(sorted((Link(i, labels.get(i) or fallback_label(i)) for i in ordered),
                        key=lambda link: link.label.lower()))


def blank_node_names(store: Store, pairs: Sequence[tuple[str, str]],
                     lang: str) -> dict[tuple[str, str], tuple[Link, ...]]:
    """The blank-node values of each (subject, predicate) that have a name or label (a CKAN
    export's `dct:publisher [ foaf:name "Gemeente X" ]`), as links without an IRI (shown as
    text), for every pair in one query."""
    wanted = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    best: dict[tuple[str, str, str], tuple[int, int, str]] = {}
    rows = store.select(
        f"SELECT ?iri ?pred ?b ?p ?l WHERE {{ ?iri ?pred ?b FILTER(isBlank(?b)) ?b ?p ?l "
        f"FILTER(isLiteral(?l) && ?p IN ({wanted})) }}", {"iri pred": pairs}
    ) if pairs else []
    for row in rows:
        label = row["l"]
        assert isinstance(label, Literal)
        rank = (LABEL_PROPERTIES.index(row["p"].value), language_rank(label.language, lang),
                label.value)
        node = (row["iri"].value, row["pred"].value, row["b"].value)
        if node not in best or rank < best[node]:
            best[node] = rank
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (subject, predicate, _), rank in best.items():
        if rank[2].strip():
            names[(subject, predicate)].add(rank[2].strip())
    return {key: tuple(Link("", name) for name in sorted(found)) for key, found in names.items()}


def inbound_links(store: Store, iri: str, lang: str) -> dict[str, Any]:
    """What links to the IRI (bounded), as the generic resource page shows it."""
    page = resource_page(store, iri, lang=lang)
    # Quality measurements (dqv:computedOn) are shown in their own section and on the
    # quality dashboard; listed here they would bury the links people follow.
    shown = tuple(link for link in page.inbound if link.predicate != DQV + "computedOn")
    return {"inbound": shown, "inbound_truncated": page.inbound_truncated}


@dataclass(frozen=True)
class Contact:
    name: str | None
    email: str | None
    url: str | None


def contacts(store: Store, iri: str, lang: str) -> tuple[Contact, ...]:
    rows = store.select(
        f"SELECT ?c ?p ?o WHERE {{ ?iri <{DCAT}contactPoint> ?c . ?c ?p ?o "
        f"FILTER(?p IN (<{VCARD}fn>, <{VCARD}hasEmail>, <{VCARD}hasURL>, "
        f"<{VCARD}organization-name>)) }}", {"iri": iri}
    )
    grouped: dict[str, Values] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        obj = row["o"]
        if isinstance(obj, NamedNode | Literal):
            grouped[row["c"].value][row["p"].value].append(obj)
    result = []
    for _, values in sorted(grouped.items()):
        email = next(iter(v.value for v in values.get(VCARD + "hasEmail", [])), None)
        url = next(iter(v.value for v in values.get(VCARD + "hasURL", [])), None)
        name = text(values, VCARD + "fn", lang) or text(values, VCARD + "organization-name", lang)
        result.append(Contact(name, email.removeprefix("mailto:") if email else None, url))
    return tuple(result)


# -- the dataset page --

@dataclass(frozen=True)
class Distribution:
    iri: str
    title: str
    formats: tuple[Link, ...]
    media_types: tuple[str, ...]
    access_url: str | None
    download_url: str | None
    licences: tuple[Link, ...]
    services: tuple[Link, ...]


@dataclass(frozen=True)
class Measurement:
    metric: Link
    value: str


@dataclass(frozen=True)
class DatasetPage:
    iri: str
    title: str
    description: str | None
    identifier: str | None
    kind: str  # Dataset or DatasetSeries
    publishers: tuple[Link, ...]
    creators: tuple[Link, ...]
    contacts: tuple[Contact, ...]
    themes: tuple[Link, ...]
    access_rights: tuple[Link, ...]
    licences: tuple[Link, ...]
    keywords: tuple[str, ...]
    modified: str | None
    issued: str | None
    landing_pages: tuple[str, ...]
    legal_basis: tuple[Link, ...]
    conforms_to: tuple[Link, ...]
    distributions: tuple[Distribution, ...]
    apis: tuple[Link, ...]
    begrippen: tuple[Link, ...]
    quality: tuple[Measurement, ...]
    schema_org: dict[str, Any]
    inbound: tuple[Inbound, ...] = ()
    inbound_truncated: bool = False
    languages: tuple[Link, ...] = ()
    frequencies: tuple[Link, ...] = ()
    hvd_categories: tuple[Link, ...] = ()
    documentation: tuple[str, ...] = ()


def dataset_page(store: Store, iri: str, *, lang: str, page_url: str) -> DatasetPage:
    # On a remote store, what the page reads comes in two requests (services/nearby.py); from
    # a store that nearby() read already, it is read in place.
    return _dataset_page(nearby(store, iri), iri, lang=lang, page_url=page_url)


def _dataset_page(store: Store, iri: str, *, lang: str, page_url: str) -> DatasetPage:
    # Few round trips: the dataset's and its distributions' properties in one query each,
    # every label in one.
    values = properties(store, iri)
    if not values:
        raise NotFound(f"no dataset <{iri}> in the catalogue", subject=iri)
    title = text(values, DCT + "title", lang) or fallback_label(iri)
    apis = {row["a"].value for row in store.select(
        f"SELECT DISTINCT ?a WHERE {{ {{ ?a <{DCAT}servesDataset> ?iri }} UNION "
        f"{{ ?iri <{DCAT}distribution>/<{DCAT}accessService> ?a }} FILTER(isIRI(?a)) }}",
        {"iri": iri}
    )}
    concepts = {row["c"].value for row in store.select(
        f"SELECT DISTINCT ?c WHERE {{ ?iri <{DCT}subject>|<{DCAT}theme>|<{FOAF}primaryTopic> "
        f"?c . ?c a <{SKOS}Concept> }}", {"iri": iri}
    )}
    begrippen = concepts - set(iris(values, DCAT + "theme")) or concepts
    parts = properties_of(store, iris(values, DCAT + "distribution")[:200])
    blank_dists = blank_parts(store, iri, lang)
    linked = [DCT + "publisher", DCT + "creator", DCAT + "theme", DCT + "accessRights",
              DCT + "license", DCATAP + "applicableLegislation", DCT + "conformsTo",
              DCT + "language", DCT + "accrualPeriodicity", DCATAP + "hvdCategory"]
    part_links = (DCT + "format", DCT + "license", DCAT + "accessService")
    wanted = {i for p in linked for i in iris(values, p)} | apis | begrippen | {
        i for part in parts.values() for i in iris(part, *part_links)} | blank_dists.iris(
        *part_links)
    labels = labels_for(store, wanted, lang)

    blank = blank_node_names(store, [
        *((iri, p) for p in (DCT + "publisher", DCAT + "theme", DCT + "license")),
        *((part, DCT + "license") for part in parts)], lang)

    def named(found: Iterable[str]) -> tuple[Link, ...]:
        return links(store, found, lang, labels=labels)

    page = DatasetPage(
        iri=iri,
        title=title,
        description=text(values, DCT + "description", lang),
        identifier=text(values, DCT + "identifier", lang),
        kind="DatasetSeries" if NamedNode(DCAT + "DatasetSeries") in values.get(RDF_TYPE, [])
        else "Dataset",
        publishers=named(iris(values, DCT + "publisher")) + blank.get((iri, DCT + "publisher"), ()),
        creators=named(iris(values, DCT + "creator")),
        contacts=contacts(store, iri, lang),
        themes=named(iris(values, DCAT + "theme")) + blank.get((iri, DCAT + "theme"), ()),
        access_rights=named(iris(values, DCT + "accessRights")),
        licences=named(iris(values, DCT + "license")) + blank.get((iri, DCT + "license"), ()),
        keywords=every_text(values, DCAT + "keyword", lang),
        modified=text(values, DCT + "modified", lang),
        issued=text(values, DCT + "issued", lang),
        landing_pages=tuple(iris(values, DCAT + "landingPage")),
        legal_basis=named(iris(values, DCATAP + "applicableLegislation")),
        conforms_to=named(iris(values, DCT + "conformsTo")),
        distributions=tuple(_distribution(blank, part, parts[part], lang, named)
                            for part in parts) + blank_dists.distributions(lang, named),
        apis=named(apis),
        begrippen=named(begrippen),
        quality=_quality(store, iri, lang),
        schema_org={},
        **inbound_links(store, iri, lang),
        languages=named(iris(values, DCT + "language")),
        frequencies=named(iris(values, DCT + "accrualPeriodicity")),
        hvd_categories=named(iris(values, DCATAP + "hvdCategory")),
        documentation=tuple(iris(values, FOAF + "page")),
    )
    return _with_schema_org(page, page_url)


def properties_of(store: Store, found: Sequence[str]) -> dict[str, Values]:
    """`properties` of several IRIs in one query, in the order given."""
    grouped: dict[str, Values] = {iri: defaultdict(list) for iri in found}
    if found:
        for row in store.select("SELECT ?iri ?p ?o WHERE { ?iri ?p ?o }", {"iri": list(found)}):
            obj = row["o"]
            if isinstance(obj, NamedNode | Literal):
                grouped[row["iri"].value][row["p"].value].append(obj)
    return grouped


def _distribution(blank: Mapping[tuple[str, str], tuple[Link, ...]], iri: str, values: Values,
                  lang: str,
                  named: Callable[[Iterable[str]], tuple[Link, ...]]) -> Distribution:
    return Distribution(
        iri=iri,
        title=text(values, DCT + "title", lang) or fallback_label(iri),
        formats=named(iris(values, DCT + "format")),
        media_types=tuple(fallback_label(m) for m in iris(values, DCAT + "mediaType")),
        access_url=next(iter(iris(values, DCAT + "accessURL")), None),
        download_url=next(iter(iris(values, DCAT + "downloadURL")), None),
        licences=named(iris(values, DCT + "license")) + blank.get((iri, DCT + "license"), ()),
        services=named(iris(values, DCAT + "accessService")),
    )


# What names a blank format or licence (`dct:format [ a dct:IMT ; rdf:value "text/csv" ]`).
_BLANK_NAMES = (*LABEL_PROPERTIES, RDF_VALUE)
# Enough for any real dataset (a CKAN export of one record has a few dozen); bounds the page.
_BLANK_ROWS = 5000


@dataclass(frozen=True)
class BlankParts:
    """A dataset's blank-node distributions as read: their values, and the names of their
    blank values by (distribution, predicate)."""

    values: Mapping[str, Values]
    names: Mapping[tuple[str, str], tuple[Link, ...]]

    def iris(self, *predicates: str) -> set[str]:
        return {i for part in self.values.values() for i in iris(part, *predicates)}

    def distributions(self, lang: str, named: Callable[[Iterable[str]], tuple[Link, ...]]
                      ) -> tuple[Distribution, ...]:
        found = [_blank_distribution(self.names, node, part, lang, named)
                 for node, part in self.values.items()]
        return tuple(sorted(found, key=lambda d: (d.title.lower(), d.access_url or "")))


def blank_parts(store: Store, iri: str, lang: str) -> BlankParts:
    """The dataset's blank-node distributions (a CKAN or udata export's
    `dcat:distribution [ dcat:accessURL … ; dct:format … ]`), in one query through the dataset:
    a blank node cannot be asked for by itself. They have no page: their `iri` is ""."""
    wanted = ", ".join(f"<{p}>" for p in _BLANK_NAMES)
    rows = store.select(
        f"SELECT ?d ?p ?o ?lp ?l WHERE {{ ?iri <{DCAT}distribution> ?d FILTER(isBlank(?d)) "
        f"?d ?p ?o OPTIONAL {{ ?o ?lp ?l FILTER(isBlank(?o) && isLiteral(?l) && ?lp IN "
        f"({wanted})) }} }} LIMIT {_BLANK_ROWS}", {"iri": iri})
    values: dict[str, Values] = defaultdict(lambda: defaultdict(list))
    names: dict[tuple[str, str, str], tuple[int, int, str]] = {}
    for row in rows:
        node, predicate, obj = row["d"].value, row["p"].value, row["o"]
        values[node][predicate]  # a distribution with blank values only is still listed
        if isinstance(obj, NamedNode | Literal):
            values[node][predicate].append(obj)
        label = row.get("l")
        if isinstance(label, Literal) and label.value.strip():
            rank = (_BLANK_NAMES.index(row["lp"].value), language_rank(label.language, lang),
                    label.value.strip())
            key = (node, predicate, obj.value)
            names[key] = min(names.get(key, rank), rank)
    blank: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (node, predicate, _), rank in names.items():
        blank[(node, predicate)].add(rank[2])
    return BlankParts(values, {key: tuple(Link("", n) for n in sorted(found))
                               for key, found in blank.items()})


def _blank_distribution(names: Mapping[tuple[str, str], tuple[Link, ...]], node: str,
                        values: Values, lang: str,
                        named: Callable[[Iterable[str]], tuple[Link, ...]]) -> Distribution:
    # Exports write URLs and formats as literals too ("http://…", "CSV"): shown as written.
    def urls(predicate: str) -> list[str]:
        return sorted({v.value.strip() for v in values.get(predicate, [])
                       if is_iri(v.value.strip())})

    formats = named(iris(values, DCT + "format")) + names.get((node, DCT + "format"), ()) + tuple(
        Link("", v.value) for v in values.get(DCT + "format", [])
        if isinstance(v, Literal) and v.value.strip())
    access, download = urls(DCAT + "accessURL"), urls(DCAT + "downloadURL")
    title = (text(values, DCT + "title", lang)
             or next((f.label for f in formats), None)
             or next(iter(download + access), ""))
    return Distribution(
        iri="",
        title=title,
        formats=formats,
        media_types=tuple(fallback_label(m) for m in iris(values, DCAT + "mediaType")),
        access_url=next(iter(access), None),
        download_url=next(iter(download), None),
        licences=named(iris(values, DCT + "license")) + names.get((node, DCT + "license"), ()),
        services=named(iris(values, DCAT + "accessService")),
    )


def _quality(store: Store, iri: str, lang: str) -> tuple[Measurement, ...]:
    rows = store.select(
        f"SELECT ?metric ?value WHERE {{ ?iri <{DQV}hasQualityMeasurement> ?m . "
        f"?m <{DQV}isMeasurementOf> ?metric ; <{DQV}value> ?value }} LIMIT 50", {"iri": iri}
    )
    metrics = links(store, {row["metric"].value for row in rows}, lang)
    by_iri = {m.iri: m for m in metrics}
    return tuple(sorted((Measurement(by_iri[row["metric"].value], row["value"].value)
                         for row in rows), key=lambda m: m.metric.label))


def _with_schema_org(page: DatasetPage, page_url: str) -> DatasetPage:
    """The dataset as schema.org JSON-LD, the form Google Dataset Search reads."""
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": page.iri,
        "name": page.title,
        "url": page_url,
        "description": page.description or page.title,
    }
    if page.identifier:
        data["identifier"] = page.identifier
    if page.keywords:
        data["keywords"] = list(page.keywords)
    licences = page.licences or tuple(lic for d in page.distributions for lic in d.licences)
    if licences:
        data["license"] = licences[0].iri or licences[0].label
    if page.publishers:
        # a named blank node has no @id, only its name
        data["publisher"] = [{"@type": "Organization", **({"@id": p.iri} if p.iri else {}),
                              "name": p.label} for p in page.publishers]
    if page.creators:
        data["creator"] = [{"@type": "Organization", "@id": p.iri, "name": p.label}
                           for p in page.creators]
    if page.modified:
        data["dateModified"] = page.modified
    if page.issued:
        data["datePublished"] = page.issued
    downloads = [
        {"@type": "DataDownload", "name": d.title,
         "contentUrl": d.download_url or d.access_url,
         **({"encodingFormat": d.media_types[0] if d.media_types else d.formats[0].label}
            if d.media_types or d.formats else {})}
        for d in page.distributions if d.download_url or d.access_url
    ]
    if downloads:
        data["distribution"] = downloads
    if page.begrippen:
        data["about"] = [{"@id": b.iri, "name": b.label} for b in page.begrippen]
    return DatasetPage(**{**page.__dict__, "schema_org": data})


__all__ = ["DatasetPage", "ListPage", "dataset_page", "list_page"]
