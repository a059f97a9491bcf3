"""The connections map (/koppelingen): which organisation uses which API or dataset
(`cat:usesService`), who offers it (`dct:publisher`) and the basisregistratie it belongs to, as
rows for the table and CSV and as nodes and edges for the picture.

One query for all connections and one for labels; the result is cached per write, and the
filters, sorting and counts work on it in Python (linear in the number of connections)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from catalogue.namespaces import CAT, DCAT, DCT, PREFIXES, RDF
from catalogue.services.labels import fallback_label, labels_for
from catalogue.store.base import Store

ORG = PREFIXES["org"]
# The catalogue whose datasets are the basisregistraties (bundled content, under our base).
REGISTRIES_CATALOG = "catalogus/basisregistraties"
SORT_KEYS = ("organisation", "kind", "service", "type", "provider", "registry", "source")

_QUERY = f"""
SELECT ?organisation ?service ?kind ?provider ?api ?registry ?source WHERE {{
  ?organisation <{CAT}usesService> ?service .
  FILTER(isIRI(?organisation) && isIRI(?service))
  OPTIONAL {{ ?organisation <{ORG}classification> ?kind }}
  OPTIONAL {{ ?service <{DCT}publisher> ?provider }}
  OPTIONAL {{ ?service a ?api FILTER(?api = <{DCAT}DataService>) }}
  # the service is a basisregistratie, or an API that serves one
  OPTIONAL {{ ?service <{DCAT}servesDataset>? ?registry . ?catalog <{DCAT}dataset> ?registry }}
}}"""
# Where a use is said to come from: a statement about it with a dct:source. Its own query:
# as one more OPTIONAL above, Virtuoso 7.2 refused the whole query for its estimated cost.
_SOURCES = f"""
SELECT ?organisation ?service ?source WHERE {{
  ?statement <{RDF}predicate> <{CAT}usesService> ; <{RDF}subject> ?organisation ;
             <{RDF}object> ?service ; <{DCT}source> ?source .
}}"""


@dataclass(frozen=True)
class Connection:
    """One organisation that uses one service; '' where the store says nothing."""

    organisation: str
    organisation_label: str
    kind: str
    kind_label: str
    service: str
    service_label: str
    type: str  # "api" or "dataset"
    provider: str
    provider_label: str
    registry: str
    registry_label: str
    source: str


@dataclass(frozen=True)
class Filters:
    organisation: str = ""
    kind: str = ""
    service: str = ""
    registry: str = ""

    def active(self) -> dict[str, str]:
        return {k: v for k, v in (("organisation", self.organisation), ("kind", self.kind),
                                  ("service", self.service), ("registry", self.registry)) if v}

    def keep(self, row: Connection) -> bool:
        return all(getattr(row, name) == value for name, value in self.active().items())


@dataclass(frozen=True)
class Option:
    """A value to filter on, with how many connections (or users) it has."""

    iri: str
    label: str
    count: int


@dataclass(frozen=True)
class ServiceUse:
    """A service and the number of organisations that use it."""

    iri: str
    label: str
    type: str
    provider: str
    provider_label: str
    users: int


@dataclass(frozen=True)
class Connections:
    rows: tuple[Connection, ...]

    def select(self, filters: Filters) -> list[Connection]:
        return [row for row in self.rows if filters.keep(row)]

    def options(self, field: str) -> list[Option]:
        """The values of `field` (organisation, kind, service, registry), by label, with the
        number of connections each has."""
        counts = Counter(getattr(row, field) for row in self.rows if getattr(row, field))
        labels = {getattr(row, field): getattr(row, field + "_label") for row in self.rows}
        return sorted((Option(iri, labels[iri], n) for iri, n in counts.items()),
                      key=lambda o: (o.label.casefold(), o.iri))


def connections(store: Store, *, base: str, lang: str) -> Connections:
    """Every connection in the store, one row per (organisation, service), sorted by
    organisation and service."""
    registries = f"{base}/id/{REGISTRIES_CATALOG}"
    found: dict[tuple[str, str], dict[str, str]] = {}
    for row in store.select(_QUERY, {"catalog": registries}):
        key = (row["organisation"].value, row["service"].value)
        seen = found.setdefault(key, {})
        for name in ("kind", "provider", "registry"):
            term = row.get(name)
            # Of several values the smallest IRI, so the map is the same on every run.
            if term is not None and (name not in seen or term.value < seen[name]):
                seen[name] = term.value
        if row.get("api") is not None:
            seen["api"] = "yes"
    for row in store.select(_SOURCES):
        use = found.get((row["organisation"].value, row["service"].value))
        if use is not None and ("source" not in use or row["source"].value < use["source"]):
            use["source"] = row["source"].value
    names = labels_for(store, {v for key, seen in found.items() for v in (*key, *seen.values())
                               if v.startswith(("http://", "https://", "urn:"))}, lang)

    def label(iri: str) -> str:
        return names.get(iri) or (fallback_label(iri) if iri else "")

    rows = [Connection(
        organisation=org, organisation_label=label(org),
        kind=seen.get("kind", ""), kind_label=label(seen.get("kind", "")),
        service=service, service_label=label(service),
        type="api" if "api" in seen else "dataset",
        provider=seen.get("provider", ""), provider_label=label(seen.get("provider", "")),
        registry=seen.get("registry", ""), registry_label=label(seen.get("registry", "")),
        source=seen.get("source", ""),
    ) for (org, service), seen in found.items()]
    return Connections(tuple(sort_rows(rows, "organisation")))


def sort_rows(rows: Iterable[Connection], key: str, *, descending: bool = False
              ) -> list[Connection]:
    """Sorted by a column (its label, where it has one), then by organisation and service."""
    if key not in SORT_KEYS:
        key = "organisation"
    field = key if key in ("type", "source") else key + "_label"

    def order(row: Connection) -> tuple[str, str, str]:
        return (str(getattr(row, field)).casefold(), row.organisation_label.casefold(),
                row.service_label.casefold())

    return sorted(rows, key=order, reverse=descending)


def service_uses(rows: Sequence[Connection]) -> list[ServiceUse]:
    """Each service in `rows` with the number of organisations using it, most used first."""
    users: Counter[str] = Counter(row.service for row in rows)
    first = {row.service: row for row in reversed(rows)}
    return sorted((ServiceUse(iri, first[iri].service_label, first[iri].type, first[iri].provider,
                              first[iri].provider_label, n) for iri, n in users.items()),
                  key=lambda s: (-s.users, s.label.casefold()))


# ---------------------------------------------------------------- the picture

@dataclass(frozen=True)
class Node:
    iri: str
    label: str
    role: str  # "organisation", "api", "dataset" or "provider" (offers, uses nothing)
    group: str  # the organisation's kind, the service's registry
    x: float
    y: float


@dataclass(frozen=True)
class Picture:
    """Nodes placed on rings (organisations outside, grouped by kind; services inside, grouped
    by provider; providers that use nothing in the middle) and edges between their indexes."""

    nodes: tuple[Node, ...]
    uses: tuple[tuple[int, int], ...]  # (organisation, service)
    offers: tuple[tuple[int, int], ...]  # (provider, service)


def picture(rows: Sequence[Connection]) -> Picture:
    """A layout computed here, once per write, so the browser only draws: rings keep 17k
    edges readable as bundles, and cost a sort rather than a force simulation."""
    organisations = {r.organisation: r for r in rows}
    services = {r.service: r for r in rows}
    providers = {r.provider: r for r in rows if r.provider and r.provider not in organisations}
    nodes: list[Node] = []
    place: dict[str, int] = {}

    def ring(items: list[tuple[str, str, str, str]], radius: float, turn: float = 0.0) -> None:
        for n, (iri, label, role, group) in enumerate(items):
            angle = 2 * math.pi * n / max(len(items), 1) - math.pi / 2 + turn
            place[iri] = len(nodes)
            nodes.append(Node(iri, label, role, group, round(radius * math.cos(angle), 4),
                              round(radius * math.sin(angle), 4)))

    ring(sorted(((r.organisation, r.organisation_label, "organisation", r.kind)
                 for r in organisations.values()), key=lambda i: (i[3], i[1].casefold())), 1.0)
    ring(sorted(((r.service, r.service_label, r.type, r.registry) for r in services.values()),
                key=lambda i: (services[i[0]].provider, i[1].casefold())), 0.45)
    ring(sorted(((r.provider, r.provider_label, "provider", "") for r in providers.values()),
                key=lambda i: i[1].casefold()), 0.12, math.pi / 2)  # across the services' axis
    offers = sorted({(place[r.provider], place[r.service]) for r in rows if r.provider})
    return Picture(tuple(nodes), tuple((place[r.organisation], place[r.service]) for r in rows),
                   tuple(offers))


def picture_json(shown: Picture, link: Callable[[str], str]) -> dict[str, object]:
    """The picture as compact JSON for site/static/connections.js: nodes as arrays."""
    return {"nodes": [[n.iri, n.label, n.role, n.group, n.x, n.y, link(n.iri)]
                      for n in shown.nodes],
            "uses": shown.uses, "offers": shown.offers}
