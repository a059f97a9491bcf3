"""Human labels for IRIs: from the store in the wanted language, else a readable fallback."""

from __future__ import annotations

from collections.abc import Iterable

from catalogue.iris import is_iri
from catalogue.namespaces import compact
from catalogue.store.base import ReadsPatterns, Store
from catalogue.store.terms import Literal, NamedNode

# Properties that name a thing, most preferred first.
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2006/vcard/ns#fn",
    "http://www.w3.org/2006/vcard/ns#organization-name",
)

_BATCH = 400
_PROPERTY_TERMS = tuple(NamedNode(p) for p in LABEL_PROPERTIES)


def labels_for(store: Store, iris: Iterable[str], lang: str) -> dict[str, str]:
    """A label per IRI that has one in the store, chosen by property order, then language
    (the wanted one, then Dutch, English, no tag, any)."""
    # Facet values and query rows can be literals or blank nodes (third-party exports): they
    # have no label to look up, and binding them as IRIs would fail the whole page.
    wanted = sorted({iri for iri in iris if is_iri(iri)})
    labels = Labels(lang)
    if isinstance(store, ReadsPatterns):
        # Read in place, one (subject, property) pattern each: a quarter to a half of the query
        # below (136 begrippen of a facet's "more" view at 100k datasets: 4.5 ms against 10-18).
        # A property that gives a subject any label outranks every later one: the first such
        # property ends that subject's lookups (a begrip's prefLabel: one pattern, not six).
        for iri in wanted:
            subject = NamedNode(iri)
            for prop in _PROPERTY_TERMS:
                found = [value for quad in store.quads(subject, prop, None)
                         if isinstance(value := quad.object, Literal)]
                for value in found:
                    labels.offer(iri, prop.value, value)
                if found:
                    break
        return labels.chosen()
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        # (subject, property) pairs bound together: Oxigraph then looks each pair up in the
        # SPO index. With the properties as a separate VALUES or a FILTER it scans every
        # property of a subject first: 1.4 s / 0.45 s for a catalogue with 100k dcat:dataset
        # links, against 0.8 ms for the pairs (bench/page_bench.py).
        # Terms made once per IRI, checked above: bound as strings, each would go through the
        # IRI parser once per property (a quarter of a list page's time at 50k facet values).
        pairs = [(NamedNode(iri), prop) for iri in batch for prop in _PROPERTY_TERMS]
        rows = store.select(
            "SELECT ?s ?p ?label WHERE { ?s ?p ?label FILTER(isLiteral(?label)) }",
            {"s p": pairs},
        )
        for row in rows:
            label = row["label"]
            assert isinstance(label, Literal)
            labels.offer(row["s"].value, row["p"].value, label)
    return labels.chosen()


class Labels:
    """The label of each subject among those offered: by property order, then language (the
    wanted one, then Dutch, English, no tag, any)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._best: dict[str, tuple[int, int, str]] = {}

    def offer(self, subject: str, predicate: str, label: Literal) -> None:
        """A label of `subject` by one of LABEL_PROPERTIES."""
        rank = (LABEL_PROPERTIES.index(predicate), language_rank(label.language, self.lang))
        if subject not in self._best or rank < self._best[subject][:2]:
            self._best[subject] = (*rank, label.value)

    def chosen(self) -> dict[str, str]:
        return {subject: entry[2] for subject, entry in self._best.items()}


def language_rank(tag: str | None, lang: str) -> int:
    primary = (tag or "").split("-")[0].lower()
    order = [lang, "nl", "en", ""]
    return order.index(primary) if primary in order else len(order)


def fallback_label(iri: str) -> str:
    """`dct:title` for a known namespace, else the last segment of the IRI."""
    short = compact(iri)
    if short != iri:
        return short
    tail = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    return tail or iri
