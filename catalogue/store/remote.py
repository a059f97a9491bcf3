"""A store on any SPARQL 1.1 server, through the standard Query, Update and Graph Store
protocols only. The server must treat its default graph as the union of the named graphs
(Oxigraph: `serve --union-default-graph`; Fuseki: `unionDefaultGraph`; Virtuoso and GraphDB do)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from typing import BinaryIO

import httpx
import pyoxigraph

from catalogue.errors import QuerySyntaxError, QueryTimeout, RemoteStoreError
from catalogue.namespaces import PREFIXES, SYSTEM_GRAPH
from catalogue.store import bind, provenance
from catalogue.store.base import GraphRecord, Row
from catalogue.store.embedded import replace_update, solution_rows
from catalogue.store.queries import QueryAnswer, QueryRequest, check_syntax
from catalogue.store.terms import NamedNode, Quad, RdfFormat, Triple, serialize

_RESULTS = pyoxigraph.QueryResultsFormat.JSON
_FORM = "application/x-www-form-urlencoded"


class RemoteStore:
    """The `Store` interface over HTTP; every write is one SPARQL update request, which SPARQL
    1.1 servers apply atomically."""

    def __init__(
        self,
        query_endpoint: str,
        *,
        update_endpoint: str = "",
        graph_store_endpoint: str = "",
        timeout: float = 30.0,
    ) -> None:
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint or query_endpoint
        self.graph_store_endpoint = graph_store_endpoint
        self.timeout = timeout
        # Writes of large sources may take long; reads are bounded by the query timeout.
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0))

    def select(self, query: str, bindings: bind.Bindings | None = None) -> list[Row]:
        return solution_rows(self._results(bind.as_text(query, bindings)))

    def ask(self, query: str, bindings: bind.Bindings | None = None) -> bool:
        answer = self._results(bind.as_text(query, bindings))
        if not isinstance(answer, pyoxigraph.QueryBoolean):
            raise ValueError("ask() needs an ASK query")
        return bool(answer)

    def construct(self, query: str, bindings: bind.Bindings | None = None) -> list[Triple]:
        body = self._post_query(bind.as_text(query, bindings), "application/n-triples")
        return [quad.triple for quad in pyoxigraph.parse(body, RdfFormat.N_TRIPLES)]

    def replace_graphs(
        self, graphs: Mapping[str, Sequence[Triple]], records: Sequence[GraphRecord]
    ) -> None:
        # The same single update the embedded store runs: one request, one transaction.
        self._update(replace_update(graphs, records))

    def drop_graph(self, graph: str) -> None:
        self._update(f"DROP SILENT GRAPH <{graph}> ;\n" + provenance.delete_record_update(graph))

    def graphs(self) -> list[GraphRecord]:
        return provenance.read_records(self)

    def dump(self, output: BinaryIO, *, format: RdfFormat, graph: str | None = None) -> None:
        # As in the embedded store, the system graph is bookkeeping and never exported.
        if graph is not None:
            serialize(self._graph_triples(graph), output, format, prefixes=PREFIXES)
            return
        names = [
            str(row["g"].value)
            for row in self.select(
                f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(?g != <{SYSTEM_GRAPH}>) }} ORDER BY ?g"
            )
        ]
        if format.supports_datasets:
            serialize(self._quads(names), output, format, prefixes=PREFIXES)
        else:
            triples = [triple for name in names for triple in self._graph_triples(name)]
            serialize(triples, output, format, prefixes=PREFIXES)

    def is_empty(self) -> bool:
        return not self.ask("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")

    def close(self) -> None:
        self._client.close()

    async def answer(self, request: QueryRequest) -> QueryAnswer:
        """Forward a /sparql query to the server; its own serialisation is passed through.
        The query is read here first: servers run updates sent as queries (Virtuoso) and
        SERVICE calls, and speak dialects beyond SPARQL 1.1."""
        check_syntax(request.query)
        accept = ", ".join(
            getattr(kind, name).media_type
            for kind, name in (
                (pyoxigraph.QueryResultsFormat, request.results_format),
                (RdfFormat, request.graph_format),
            )
            if name is not None
        )
        form = [("query", request.query)]
        form += [("default-graph-uri", graph) for graph in request.default_graphs]
        form += [("named-graph-uri", graph) for graph in request.named_graphs]
        try:
            # The blocking client in a thread: an httpx.AsyncClient would belong to one event
            # loop, and the remote server's time dominates this path anyway.
            response = await asyncio.to_thread(
                self._client.post, self.query_endpoint, data=_multi(form),
                headers={"Accept": accept, "Content-Type": _FORM},
            )
        except httpx.TimeoutException:
            raise QueryTimeout.after(self.timeout) from None
        except httpx.HTTPError as exc:
            raise RemoteStoreError(f"{self.query_endpoint}: {exc}") from exc
        if response.status_code == 400:
            raise QuerySyntaxError(f"SPARQL syntax error: {response.text.strip()}")
        self._check(response, self.query_endpoint)
        media_type = response.headers.get("content-type", "application/octet-stream")
        return QueryAnswer(media_type=media_type.split(";")[0].strip(), body=response.content)

    def _results(self, query: str) -> object:
        body = self._post_query(query, _RESULTS.media_type)
        return pyoxigraph.parse_query_results(body, _RESULTS)

    def _post_query(self, query: str, accept: str) -> bytes:
        response = self._send(
            "POST", self.query_endpoint, content=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        return response.content

    def _update(self, update: str) -> None:
        self._send(
            "POST", self.update_endpoint, content=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"}, timeout=None,
        )

    def _graph_triples(self, graph: str) -> list[Triple]:
        if not self.graph_store_endpoint:
            return self.construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            )
        response = self._send(
            "GET", self.graph_store_endpoint, params={"graph": graph},
            headers={"Accept": "application/n-triples"}, missing_ok=True,
        )
        if response.status_code == 404:
            return []
        return [quad.triple for quad in pyoxigraph.parse(response.content, RdfFormat.N_TRIPLES)]

    def _quads(self, names: Iterable[str]) -> Iterable[Quad]:
        for name in names:
            graph = NamedNode(name)
            for triple in self._graph_triples(name):
                yield Quad(triple.subject, triple.predicate, triple.object, graph)

    def _send(
        self, method: str, url: str, *, missing_ok: bool = False, timeout: float | None = -1.0,
        **options: object,
    ) -> httpx.Response:
        if timeout is None or timeout >= 0:
            options["timeout"] = timeout
        try:
            response = self._client.request(method, url, **options)  # type: ignore[arg-type]
        except httpx.TimeoutException as exc:
            raise QueryTimeout(f"{url} did not answer within the timeout") from exc
        except httpx.HTTPError as exc:
            raise RemoteStoreError(f"{url}: {exc}") from exc
        if not (missing_ok and response.status_code == 404):
            self._check(response, url)
        return response

    @staticmethod
    def _check(response: httpx.Response, url: str) -> None:
        if response.is_success:
            return
        raise RemoteStoreError(
            f"{url} answered {response.status_code}: {response.text.strip()[:500]}"
        )


def _multi(form: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form fields that may repeat (httpx wants a list per name)."""
    fields: dict[str, list[str]] = {}
    for name, value in form:
        fields.setdefault(name, []).append(value)
    return fields
