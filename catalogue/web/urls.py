"""The one URL builder: every link the site makes comes from here."""

from __future__ import annotations

from urllib.parse import quote, urlencode


class Urls:
    def __init__(self, base: str) -> None:
        self.base = base
        self.id_prefix = f"{base}/id/"

    def home(self) -> str:
        return "/"

    def graphs(self) -> str:
        return "/graphs"

    def sparql(self) -> str:
        return "/sparql"

    def static(self, path: str) -> str:
        return f"/static/{path}"

    def resource(self, iri: str, suffix: str | None = None) -> str:
        """The page of any IRI: /doc/... for IRIs we minted, /resource?uri=... otherwise."""
        if iri.startswith(self.id_prefix):
            path = "/doc/" + quote(iri[len(self.id_prefix) :], safe="/:@!$&'()*+,;=-._~")
            return f"{path}.{suffix}" if suffix else path
        name = f"/resource.{suffix}" if suffix else "/resource"
        return f"{name}?{urlencode({'uri': iri})}"

    def minted(self, path: str) -> str:
        """The IRI we minted for a /doc/ or /id/ path."""
        return self.id_prefix + path

    def with_lang(self, path: str, lang: str) -> str:
        joiner = "&" if "?" in path else "?"
        return f"{path}{joiner}lang={lang}"

    # -- begrippen and search (concepts helper) --

    def schemes(self) -> str:
        return "/begrippen"

    def scheme(self, vocid: str, view: str = "") -> str:
        """A begrippenkader: overview, or its `az` index or `boom` (tree) view."""
        return f"/begrippen/{quote(vocid)}" + (f"/{view}" if view else "")

    def scheme_az(self, vocid: str, language: str, letter: str) -> str:
        return f"{self.scheme(vocid, 'az')}?{urlencode({'taal': language, 'letter': letter})}"

    def scheme_download(self, vocid: str, suffix: str) -> str:
        return f"{self.scheme(vocid)}/download.{suffix}"

    def search(self, query: str = "", **filters: str) -> str:
        params = {"q": query, **{k: v for k, v in filters.items() if v}}
        return "/search" + (f"?{urlencode(params)}" if query or filters else "")

    def suggest(self) -> str:
        return "/search/suggest"

    def federated(self, query: str) -> str:
        """Every other registry's answer for `query` on one page (no script needed)."""
        return "/search/federated?" + urlencode({"q": query})

    def federated_api(self, query: str, source: int) -> str:
        return "/api/federated?" + urlencode({"q": query, "source": source})

    def impact(self, iri: str, *, api: bool = False) -> str:
        """What depends on a begrip, API or dataset: the page, or its JSON."""
        return ("/api/impact?" if api else "/impact?") + urlencode({"uri": iri})

    def validate(self) -> str:
        return "/validate"

    def bundled(self, source: str) -> str:
        """Where a bundled source (urn:catalogue:bundled:openapi/x.yaml) is served."""
        return "/bundled/" + source.rpartition("bundled:")[2]

    def history(self, graph: str, version: int | None = None) -> str:
        params = {"graph": graph, **({"version": str(version)} if version else {})}
        return f"/history?{urlencode(params)}"

    def feed(self, **about: str) -> str:
        """The Atom change feed: of the registry, or of one publisher=, kader= or resource=."""
        params = {key: value for key, value in about.items() if value}
        return "/feeds/changes.atom" + (f"?{urlencode(params)}" if params else "")

    def oembed(self, iri: str) -> str:
        return "/oembed?" + urlencode({"url": iri})

    def embed(self, iri: str) -> str:
        return "/embed/begrip?" + urlencode({"uri": iri})

    def history_rollback(self) -> str:
        return "/history/rollback"

    # -- datasets, APIs and the catalogue feed (datasets helper) --

    def datasets(self, **params: str | list[str]) -> str:
        return "/datasets" + _query(params)

    def apis(self, **params: str | list[str]) -> str:
        return "/apis" + _query(params)

    def catalog(self, suffix: str = "ttl") -> str:
        return f"/catalog.{suffix}"

    def connections(self, suffix: str = "", **params: str) -> str:
        """The connections map (/koppelingen), its .csv or .json, filtered and sorted."""
        chosen: dict[str, str | list[str]] = dict(params)
        return "/koppelingen" + (f".{suffix}" if suffix else "") + _query(chosen)

    # -- the standards register --

    def standards(self) -> str:
        return "/standaarden"

    def standard(self, iri: str) -> str:
        return "/standaarden/standaard?" + urlencode({"uri": iri})

    # -- metadata quality (MQA) dashboards --

    def quality(self, publisher: str | None = None) -> str:
        """The publishers' quality overview, or one publisher's dashboard."""
        return "/quality" + (f"/publisher?{urlencode({'uri': publisher})}" if publisher else "")


def _query(params: dict[str, str | list[str]]) -> str:
    pairs = [(k, v) for k, values in params.items()
             for v in (values if isinstance(values, list) else [values]) if v]
    return f"?{urlencode(pairs)}" if pairs else ""
