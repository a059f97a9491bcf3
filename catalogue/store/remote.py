"""A store on any SPARQL 1.1 server, through the standard Query, Update and Graph Store
protocols only. The server must treat its default graph as the union of the named graphs
(Oxigraph: `serve --union-default-graph`; Fuseki: `unionDefaultGraph`; Virtuoso and GraphDB do).

This is also the one place that knows servers' dialects. Virtuoso (7.2, found by its `Server`
header): never answers a query POSTed as application/sparql-query (queries go as forms here,
which every server takes); refuses blank nodes in INSERT DATA and compiles one update of more
than a few thousand triples out of memory (large graphs go in chunks to a staging graph and are
switched over in one small update); names blank nodes `nodeID://b1`, answers booleans as 1/0
and ASK as a one-row SELECT; caps results at ResultSetMaxRows (paged here); and keeps its own
graphs (`virtrdf:` and others) in the union. Its default graph is the union of every graph,
staging graphs too, so every read names the graphs it must not see (`input:*-graph-exclude`
pragmas): Virtuoso's own and a fixed set of staging graphs that a write claims one by one. Its
Graph Store PUT is no way out: it deletes the old graph and commits before it loads the new one
(measured on 7.2: readers saw an empty graph, then a partly loaded one)."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import string
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx
import pyoxigraph

from catalogue.errors import (
    NotAcceptable,
    QuerySyntaxError,
    QueryTimeout,
    RemoteStoreError,
    StoreMisconfigured,
    UnstorableValue,
)
from catalogue.namespaces import PREFIXES, SYSTEM_GRAPH, XSD
from catalogue.store import bind, provenance
from catalogue.store.base import GraphRecord, Row
from catalogue.store.embedded import replace_update, solution_rows
from catalogue.store.guard import names_a_graph, query_form
from catalogue.store.queries import QueryAnswer, QueryRequest, check_syntax
from catalogue.store.terms import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    serialize,
)

log = logging.getLogger("catalogue")

_RESULTS = pyoxigraph.QueryResultsFormat.JSON
_XML = pyoxigraph.QueryResultsFormat.XML
_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"

# Virtuoso's own graphs, present in every fresh database: never part of the catalogue's union.
VIRTUOSO_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
    "http://www.w3.org/2002/07/owl#",
    "http://www.openlinksw.com/schemas/RDF_Mapper_Ontology/1.0/",
)
# Virtuoso's default ResultSetMaxRows: a result this long may have been cut, so it is paged.
VIRTUOSO_MAX_ROWS = 10_000
# Triples per update request on Virtuoso: its SPARQL compiler runs out of memory at ~5,000.
CHUNK_TRIPLES = 1_000
# Triples per Graph Store POST into a staging graph (each blank node's triples in one POST;
# Virtuoso refuses request bodies over 10 MB).
POST_TRIPLES = 20_000
# Graphs a chunked write fills before its switch-over; never a catalogue graph. Their names are
# fixed (a reader can only leave out graphs it names), so a write claims them in CLAIMS first.
STAGING = "urn:catalogue:staging:"
STAGING_GRAPHS = tuple(f"{STAGING}{n}" for n in range(16))
CLAIMS = f"{STAGING}claims"
_CLAIMED = f"{STAGING}claimedBy"
# Graphs no read on Virtuoso sees unless it names them: the server's own and the staging ones.
HIDDEN = (*VIRTUOSO_GRAPHS, CLAIMS, *STAGING_GRAPHS)
_HIDE = "".join(f"DEFINE input:default-graph-exclude <{graph}>\n"
                f"DEFINE input:named-graph-exclude <{graph}>\n" for graph in HIDDEN)
# A staging claim this old belongs to a writer that was killed (no write takes an hour).
STALE_SECONDS = 3600.0
_TIMED_OUT = re.compile(r"S1T00|SR171|timed out|exceeds the limit|S1TAT", re.IGNORECASE)


class RemoteStore:
    """The `Store` interface over HTTP; every graph replacement is atomic: one SPARQL update
    request (which servers apply in one transaction), or on Virtuoso, for a large graph,
    chunks into a staging graph and one small update that moves it into place."""

    def __init__(
        self,
        query_endpoint: str,
        *,
        update_endpoint: str = "",
        graph_store_endpoint: str = "",
        timeout: float = 30.0,
    ) -> None:
        self.query_endpoint = query_endpoint
        # Credentials in an endpoint's address (http://user:password@host/...) sign its
        # requests (HTTP Digest, which Virtuoso's /sparql-auth asks for); they are never shown.
        self.update_endpoint, self._update_auth = _credentials(update_endpoint or query_endpoint)
        self.graph_store_endpoint, self._store_auth = _credentials(graph_store_endpoint)
        self.timeout = timeout
        # Writes of large sources may take long; reads are bounded by the query timeout.
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0))
        self._virtuoso: bool | None = None

    # -- reads -------------------------------------------------------------------------------

    def select(self, query: str, bindings: bind.Bindings | None = None) -> list[Row]:
        return self._select(bind.as_text(query, bindings))

    def _select(self, text: str, *, hide: bool = True) -> list[Row]:
        variables, rows = self._solutions(text, hide=hide)
        if self.virtuoso and len(rows) >= VIRTUOSO_MAX_ROWS:
            return list(self._pages(text, variables, hide=hide))
        return rows

    def ask(self, query: str, bindings: bind.Bindings | None = None) -> bool:
        body = self._read(bind.as_text(query, bindings), _RESULTS.media_type).content
        answer = json.loads(body)
        if "boolean" in answer:
            return bool(answer["boolean"])
        if not self.virtuoso:
            raise ValueError("ask() needs an ASK query")
        # Virtuoso: one row with a 1 for true, no row for false.
        rows = answer.get("results", {}).get("bindings", [])
        return any(cell.get("value") not in ("0", "false") for row in rows for cell in
                   row.values())

    def construct(self, query: str, bindings: bind.Bindings | None = None) -> list[Triple]:
        text = bind.as_text(query, bindings)
        if self.virtuoso and re.search(r"\bDESCRIBE\b", text, re.IGNORECASE):
            # Virtuoso's DESCRIBE leaves out what blank nodes say; Oxigraph's (and the
            # pages') is the concise bounded description.
            text = 'DEFINE sql:describe-mode "CBD"\n' + text
        body = self._read(text, "application/n-triples").content
        return [quad.triple for quad in pyoxigraph.parse(body, RdfFormat.N_TRIPLES)]

    @property
    def virtuoso(self) -> bool:
        """Whether the server speaks Virtuoso's dialect (asked once, from its Server header)."""
        if self._virtuoso is None:
            response = self._send("GET", self.query_endpoint, params={"query": "ASK {}"},
                                  headers={"Accept": _RESULTS.media_type})
            self._virtuoso = response.headers.get("server", "").startswith("Virtuoso")
        return self._virtuoso

    def _solutions(self, query: str, *, hide: bool = True) -> tuple[list[str], list[Row]]:
        if not self.virtuoso:
            body = self._read(query, _RESULTS.media_type, hide=hide).content
            solutions = pyoxigraph.parse_query_results(body, _RESULTS)
        else:
            # Virtuoso writes XML results three times as fast as JSON (4,400 rows: 0.10 s
            # against 0.29 s); its blank nodes and stored booleans are mended first.
            body = self._read(query, _XML.media_type, hide=hide).content
            solutions = pyoxigraph.parse_query_results(_mended_xml(body), _XML)
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        return [v.value for v in solutions.variables], solution_rows(solutions)

    def _pages(self, query: str, variables: list[str], *, hide: bool) -> Iterator[Row]:
        """All rows of a query whose result reached Virtuoso's cap, a page at a time: the
        query becomes an ordered subquery (Virtuoso refuses OFFSET past its cap on a sorted
        query, but not on a subquery), so the pages do not overlap."""
        prologue, body = _split_prologue(query)
        order = " ".join(f"?{name}" for name in variables)
        offset = 0
        while True:
            page = (f"{prologue} SELECT * WHERE {{ {{ SELECT * WHERE {{ {{ {body}\n}} }} "
                    f"ORDER BY {order} }} }} LIMIT {VIRTUOSO_MAX_ROWS} OFFSET {offset}")
            _, rows = self._solutions(page, hide=hide)
            yield from rows
            if len(rows) < VIRTUOSO_MAX_ROWS:
                return
            offset += len(rows)

    def _read(self, query: str, accept: str, *, hide: bool = True) -> httpx.Response:
        if not self.virtuoso:
            return self._send("POST", self.query_endpoint, content=query.encode("utf-8"),
                              headers={"Content-Type": _QUERY, "Accept": accept})
        # A form, not application/sparql-query, which Virtuoso 7.2 never answers.
        if hide:
            query = _hidden(query)
        return self._send("POST", self.query_endpoint,
                          content=_form([("query", query), *self._limit().items()]),
                          headers={"Content-Type": _FORM, "Accept": accept})

    def _limit(self) -> dict[str, str]:
        """Virtuoso stops a query at our timeout when told (in ms) and answers what it has,
        marked with X-SQL-State S1TAT (read as a timeout in _send)."""
        return {"timeout": str(int(self.timeout * 1000))} if self.virtuoso else {}

    # -- writes ------------------------------------------------------------------------------

    def replace_graphs(
        self, graphs: Mapping[str, Sequence[Triple]], records: Sequence[GraphRecord]
    ) -> None:
        if not self.virtuoso:
            # The same single update the embedded store runs: one request, one transaction.
            self._update(replace_update(graphs, records))
            return
        _refuse_what_virtuoso_alters(graphs)
        staging = _to_stage(graphs)
        if len(staging) > len(STAGING_GRAPHS):
            # More large graphs than staging graphs: in batches, each one transaction.
            names = list(graphs)
            for start in range(0, len(names), len(STAGING_GRAPHS)):
                batch = names[start:start + len(STAGING_GRAPHS)]
                self.replace_graphs({graph: graphs[graph] for graph in batch},
                                    [record for record in records if record.graph in batch])
            return
        # Each large graph is filled in a staging graph of its own, which no reader sees (see
        # _HIDE); a small write needs none.
        claim = self._claim(len(staging)) if staging else _Claim((), "")
        staged = dict(zip(staging, claim.graphs, strict=True))
        try:
            if claim.graphs:  # a killed writer's last chunk may have landed there
                self._update(" ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in claim.graphs))
            for graph, name in staged.items():
                self._fill(name, graphs[graph])
            # The switch: one request, one transaction. Until it commits, readers see the old
            # graphs; a failure before it leaves them as they were.
            parts = [f"DROP SILENT GRAPH <{graph}>" for graph in graphs]
            parts += [f"MOVE SILENT <{name}> TO <{graph}>" for graph, name in staged.items()]
            parts += [_insert(graph, triples) for graph, triples in graphs.items()
                      if triples and graph not in staged]
            parts += [provenance.delete_record_update(record.graph) for record in records]
            if records:
                parts.append(_insert(SYSTEM_GRAPH, provenance.record_triples(records)))
            if claim.graphs:
                parts.append(claim.release())
            self._update(" ;\n".join(parts))
        except BaseException:
            if claim.graphs:
                self._forget(claim)
            raise

    def _fill(self, staging: str, triples: Sequence[Triple]) -> None:
        """Add `triples` to a staging graph: through the Graph Store endpoint when there is
        one (Virtuoso parses a POSTed document with its bulk loader's parser: 20,000 triples
        in about a second, where the SPARQL compiler takes 5 s for 1,000), else in updates."""
        if self.graph_store_endpoint:
            for chunk in chunks(triples, POST_TRIPLES):
                body = bytes(serialize(chunk, format=RdfFormat.N_TRIPLES) or b"")
                self._send("POST", self.graph_store_endpoint, params={"graph": staging},
                           content=body, auth=self._store_auth, timeout=None,
                           headers={"Content-Type": "text/plain"})  # N-Triples, for 7.2
            return
        for chunk in chunks(triples, CHUNK_TRIPLES):
            if chunk:  # Virtuoso refuses an empty INSERT template
                self._update(_insert(staging, chunk))

    def _claim(self, count: int) -> _Claim:
        """`count` staging graphs no other write uses, claimed in CLAIMS: a claim holds when,
        once written, it is the only one on its graph (two writers that claim one graph at
        once both see two, and both try again)."""
        deadline = time.monotonic() + self.timeout
        while True:
            taken = self._claims()
            free = [graph for graph in STAGING_GRAPHS if graph not in taken]
            if len(free) >= count:
                claim = _Claim(tuple(random.sample(free, count)),
                               f"{int(time.time())}-{uuid.uuid4()}")
                self._update(claim.insert())
                held = self._claims()
                if all(held.get(graph) == [claim.token] for graph in claim.graphs):
                    return claim
                self._update(claim.release())
            if time.monotonic() > deadline:
                raise RemoteStoreError(
                    "every staging graph is claimed by another write; try again later")
            time.sleep(random.uniform(0.05, 0.5))

    def _claims(self) -> dict[str, list[str]]:
        rows = self._select(f"SELECT ?graph ?token WHERE {{ GRAPH <{CLAIMS}> "
                            f"{{ ?graph <{_CLAIMED}> ?token }} }}", hide=False)
        held: dict[str, list[str]] = {}
        for row in rows:
            held.setdefault(str(row["graph"].value), []).append(str(row["token"].value))
        return held

    def recover(self, *, older_than: float = STALE_SECONDS) -> list[str]:
        """Drop the staging graphs that killed writers left: those claimed over `older_than`
        seconds ago (a younger claim may be another instance's write in progress) and those
        with data but no claim; returns them."""
        held = self._claims()
        stale = [_Claim((graph,), token) for graph, tokens in held.items() for token in tokens
                 if _started(token) < time.time() - older_than]
        for claim in stale:
            self._forget(claim)
        # Data without a claim: a chunk that landed after its writer's claim was dropped. The
        # check and the drop are one update, so a write that claims the graph meanwhile keeps it.
        orphans = [name for name in self.staging_graphs()
                   if name in STAGING_GRAPHS and name not in held]
        for name in orphans:
            self._update(f"DELETE {{ GRAPH <{name}> {{ ?s ?p ?o }} }} WHERE {{ "
                         f"GRAPH <{name}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ "
                         f"GRAPH <{CLAIMS}> {{ <{name}> <{_CLAIMED}> ?any }} }} }}")
        return sorted({*(claim.graphs[0] for claim in stale), *orphans})

    def staging_graphs(self) -> list[str]:
        """The staging graphs (and the claims graph) that hold data now."""
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                            f"FILTER(STRSTARTS(STR(?g), \"{STAGING}\")) }}", hide=False)
        return sorted(str(row["g"].value) for row in rows)

    def _forget(self, claim: _Claim) -> None:
        try:
            self._update(" ;\n".join([*(f"DROP SILENT GRAPH <{name}>" for name in claim.graphs),
                                      claim.release()]))
        except (RemoteStoreError, QueryTimeout):
            log.warning("could not drop the staging graphs of a failed write: %s", claim.graphs)

    def drop_graph(self, graph: str) -> None:
        self._update(f"DROP SILENT GRAPH <{graph}> ;\n" + provenance.delete_record_update(graph))

    def _update(self, update: str) -> None:
        # The update as the body, as SPARQL 1.1 allows: a form of a large graph's update took
        # urllib 2.9 s to encode at 5,000 datasets. Virtuoso 7.2 takes forms only.
        body, media = (_form([("update", update)]), _FORM) if self.virtuoso \
            else (update.encode("utf-8"), _UPDATE)
        self._send("POST", self.update_endpoint, content=body, auth=self._update_auth,
                   headers={"Content-Type": media}, timeout=None)

    # -- whole graphs ------------------------------------------------------------------------

    def graphs(self) -> list[GraphRecord]:
        return provenance.read_records(self)

    def graph_names(self) -> list[str]:
        """Every named graph with data but the system graph and unfinished staging graphs."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        names = (str(row["g"].value) for row in rows)
        return [name for name in names if name != SYSTEM_GRAPH and name not in VIRTUOSO_GRAPHS
                and not name.startswith(STAGING)]

    def dump(self, output: BinaryIO, *, format: RdfFormat, graph: str | None = None) -> None:
        # As in the embedded store, the system graph is bookkeeping and never exported.
        if graph is not None:
            serialize(self._graph_triples(graph), output, format, prefixes=PREFIXES)
            return
        names = self.graph_names()
        if format.supports_datasets:
            serialize(self._quads(names), output, format, prefixes=PREFIXES)
        else:
            triples = [triple for name in names for triple in self._graph_triples(name)]
            serialize(triples, output, format, prefixes=PREFIXES)

    def is_empty(self) -> bool:
        if self.virtuoso:
            # A fresh Virtuoso is never empty: it holds its own graphs.
            theirs = ", ".join(f"<{graph}>" for graph in VIRTUOSO_GRAPHS)
            return not self.ask(
                f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({theirs})) }}")
        return not self.ask("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")

    def close(self) -> None:
        self._client.close()

    def check_union(self) -> None:
        """StoreMisconfigured unless queries see the named graphs in the default graph, which
        every page's queries rely on (an Oxigraph server started without
        --union-default-graph answers nothing to them)."""
        union = self.ask("ASK { ?s ?p ?o }")
        if not union and self.ask("ASK { GRAPH ?g { ?s ?p ?o } }"):
            raise StoreMisconfigured(
                "the SPARQL server's default graph is not the union of its named graphs, so "
                "the catalogue would find nothing; start Oxigraph with `serve "
                "--union-default-graph`, or set the server's union default graph (Fuseki: "
                "tdb2:unionDefaultGraph true)")

    def _graph_triples(self, graph: str) -> list[Triple]:
        if self.virtuoso or not self.graph_store_endpoint:
            # A paged SELECT: a CONSTRUCT would be cut at Virtuoso's cap.
            rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            return [Triple(row["s"], row["p"], row["o"]) for row in rows]  # type: ignore[arg-type]
        response = self._send(
            "GET", self.graph_store_endpoint, params={"graph": graph}, auth=self._store_auth,
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

    # -- /sparql -----------------------------------------------------------------------------

    async def answer(self, request: QueryRequest) -> QueryAnswer:
        """Forward a /sparql query to the server; its own serialisation is passed through.
        The query is read here first: servers run updates sent as queries (Virtuoso) and
        SERVICE calls, and speak dialects beyond SPARQL 1.1."""
        return await asyncio.to_thread(self._answer, request)

    def _answer(self, request: QueryRequest) -> QueryAnswer:
        # Read in this thread, not on the event loop: a large query takes the engine's parser
        # a while (its size and shape are bounded first: catalogue.store.guard).
        check_syntax(request.query)
        form_of_query = query_form(request.query)
        # Only the kind of format the query's form answers in: offered both, Virtuoso answered
        # a CONSTRUCT as result rows (with blank nodes as IRIs).
        graph_form = form_of_query in ("CONSTRUCT", "DESCRIBE")
        wanted = request.graph_format if graph_form else request.results_format
        if wanted is None:
            raise NotAcceptable(f"no accepted {'RDF' if graph_form else 'results'} format for a "
                                f"{form_of_query}")
        accept = getattr(RdfFormat if graph_form else pyoxigraph.QueryResultsFormat,
                         wanted).media_type
        if self.virtuoso and form_of_query == "ASK":
            return self._virtuoso_ask(request)
        select = self.virtuoso and form_of_query == "SELECT"
        if select:  # read as JSON here, mended, then written in the format asked for
            accept = _RESULTS.media_type
        form = [("query", _hidden(request.query) if self.virtuoso else request.query),
                *self._limit().items()]
        form += [("default-graph-uri", graph) for graph in request.default_graphs]
        form += [("named-graph-uri", graph) for graph in request.named_graphs]
        response = self._send("POST", self.query_endpoint, content=_form(form),
                              headers={"Accept": accept, "Content-Type": _FORM},
                              syntax_errors=True)
        media_type = response.headers.get("content-type", "application/octet-stream")
        media_type = media_type.split(";")[0].strip()
        if select and media_type == _RESULTS.media_type:
            return _standard_results(response.content, request)
        return QueryAnswer(media_type=media_type, body=response.content)

    def _virtuoso_ask(self, request: QueryRequest) -> QueryAnswer:
        """Virtuoso answers ASK as a one-row SELECT: asked here, answered in the standard
        form (serialised by pyoxigraph from a constant ASK)."""
        truth = self.ask(request.query)
        kind = getattr(pyoxigraph.QueryResultsFormat, request.results_format or "JSON")
        answer = pyoxigraph.Store().query("ASK {}" if truth else "ASK { FILTER(false) }")
        body = answer.serialize(format=kind)
        return QueryAnswer(media_type=kind.media_type, body=bytes(body or b""))

    # -- HTTP --------------------------------------------------------------------------------

    def _send(
        self, method: str, url: str, *, missing_ok: bool = False, timeout: float | None = -1.0,
        syntax_errors: bool = False, **options: object,
    ) -> httpx.Response:
        if timeout is None or timeout >= 0:
            options["timeout"] = timeout
        try:
            response = self._client.request(method, url, **options)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise QueryTimeout.after(self.timeout) from None
        except httpx.HTTPError as exc:
            log.warning("SPARQL server at %s: %s", url, exc)
            raise RemoteStoreError(f"the SPARQL server did not answer: {exc}") from None
        if missing_ok and response.status_code == 404:
            return response
        if syntax_errors and response.status_code == 400:
            raise QuerySyntaxError(f"SPARQL syntax error: {response.text.strip()[:500]}")
        if response.headers.get("x-sql-state", "") == "S1TAT" or (
            not response.is_success and _TIMED_OUT.search(response.text)
        ):
            # Virtuoso's "anytime" answer (a partial result) or its timeout error.
            raise QueryTimeout.after(self.timeout)
        if not response.is_success:
            log.warning("SPARQL server at %s answered %s", url, response.status_code)
            raise RemoteStoreError(
                f"the SPARQL server answered {response.status_code}: "
                f"{response.text.strip()[:500]}"
            )
        return response


def chunks(triples: Sequence[Triple], size: int) -> Iterator[list[Triple]]:
    """`triples` in lists of about `size`, each blank node's triples in one list (a blank node
    is local to one update request: split, it would become two nodes)."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    plain: list[Triple] = []
    for triple in triples:
        labels = [t.value for t in (triple.subject, triple.object) if isinstance(t, BlankNode)]
        if len(labels) == 2:
            parent[root(labels[0])] = root(labels[1])
        elif labels:
            root(labels[0])
        else:
            plain.append(triple)
    by_root: dict[str, list[Triple]] = {}
    for triple in triples:
        labels = [t.value for t in (triple.subject, triple.object) if isinstance(t, BlankNode)]
        if labels:
            by_root.setdefault(root(labels[0]), []).append(triple)
    chunk: list[Triple] = []
    for group in [*([t] for t in plain), *by_root.values()]:
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk += group
    if chunk or not triples:
        yield chunk


def _hidden(query: str) -> str:
    """The query with Virtuoso's pragmas that leave HIDDEN out of the union, unless it names
    a graph: with them, Virtuoso 7.2 finds nothing in a `GRAPH <iri>` pattern (measured),
    and a query that names its graph does not need them for that graph."""
    return query if names_a_graph(query) else _HIDE + query


def _to_stage(graphs: Mapping[str, Sequence[Triple]]) -> list[str]:
    """The graphs a write fills in chunks, largest first, until the rest fits one request."""
    rest = sum(len(triples) for triples in graphs.values())
    staged = []
    for graph in sorted(graphs, key=lambda name: -len(graphs[name])):
        if rest <= CHUNK_TRIPLES:
            break
        staged.append(graph)
        rest -= len(graphs[graph])
    return staged


@dataclass(frozen=True)
class _Claim:
    """Staging graphs one write holds, under a token that starts with the write's start time
    (so that `recover` knows an abandoned claim)."""

    graphs: tuple[str, ...]
    token: str

    def _data(self) -> str:
        claims = " ".join(f'<{graph}> <{_CLAIMED}> "{self.token}" .' for graph in self.graphs)
        return f"{{ GRAPH <{CLAIMS}> {{ {claims} }} }}"

    def insert(self) -> str:
        return f"INSERT DATA {self._data()}"

    def release(self) -> str:
        return f"DELETE DATA {self._data()}"


def _started(token: str) -> float:
    stamp = token.split("-", 1)[0]
    return float(stamp) if stamp.isdigit() else 0.0


def _insert(graph: str, triples: Sequence[Triple]) -> str:
    """INSERT with an empty WHERE rather than INSERT DATA, which Virtuoso refuses with blank
    nodes; a template's blank nodes are new nodes, as INSERT DATA's are."""
    body = bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    return f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}"


def _standard_results(body: bytes, request: QueryRequest) -> QueryAnswer:
    """Virtuoso's JSON results as SPARQL's, in the format the client asked for: blank nodes
    `nodeID://b1` named `b1`, and booleans true/false where it writes 1/0 (a stored
    xsd:boolean is typed but written 1/0; a computed one is typed xsd:integer)."""
    answer = json.loads(body)
    rows = answer.get("results", {}).get("bindings", [])
    booleans: set[str] | None = None
    for row in rows:
        for name, cell in row.items():
            if cell.get("type") == "bnode":
                cell["value"] = cell["value"].removeprefix("nodeID://")
            elif cell.get("type") == "typed-literal":
                cell["type"] = "literal"
            datatype, value = cell.get("datatype"), cell.get("value")
            if datatype == XSD + "integer" and value in ("0", "1"):
                booleans = boolean_variables(request.query) if booleans is None else booleans
                if name in booleans:
                    datatype = cell["datatype"] = XSD + "boolean"
            if datatype == XSD + "boolean" and value in ("0", "1"):
                cell["value"] = "true" if value == "1" else "false"
    mended = json.dumps({"head": {"vars": answer.get("head", {}).get("vars", [])},
                         "results": {"bindings": rows}}).encode("utf-8")
    kind = getattr(pyoxigraph.QueryResultsFormat, request.results_format or "JSON")
    if kind == _RESULTS:
        return QueryAnswer(media_type=kind.media_type, body=mended)
    return QueryAnswer(media_type=kind.media_type, body=_results_as(mended, kind))


def _results_as(body: bytes, kind: pyoxigraph.QueryResultsFormat) -> bytes:
    # A function of its own: rdflib's parser keeps the frames it ran under (in its
    # exceptions), and pyoxigraph's results must be dropped by the thread that made them.
    solutions = pyoxigraph.parse_query_results(body, _RESULTS)
    return bytes(solutions.serialize(format=kind) or b"")


# The expressions whose value is an xsd:boolean (rdflib's names for them).
_BOOLEAN_EXPRESSIONS = frozenset({
    "RelationalExpression", "ConditionalAndExpression", "ConditionalOrExpression", "UnaryNot",
    "Builtin_BOUND", "Builtin_isIRI", "Builtin_isURI", "Builtin_isBLANK", "Builtin_isLITERAL",
    "Builtin_isNUMERIC", "Builtin_REGEX", "Builtin_CONTAINS", "Builtin_STRSTARTS",
    "Builtin_STRENDS", "Builtin_sameTerm", "Builtin_LANGMATCHES", "Builtin_EXISTS",
    "Builtin_NOTEXISTS",
})


# Datatypes Virtuoso 7.2 does not keep as written (measured): an xsd:duration "PT15M" fails
# the whole update ("No column PT15MD"), "P1Y" is kept as "12"; xsd:time "12:00:00" fails
# ("Cannot convert T12:00:00 to time"); the day-time and year-month durations alike.
_VIRTUOSO_ALTERS = frozenset(XSD + name for name in (
    "duration", "dayTimeDuration", "yearMonthDuration", "time"))


def _refuse_what_virtuoso_alters(graphs: Mapping[str, Sequence[Triple]]) -> None:
    """UnstorableValue, before anything is written, for a literal Virtuoso would refuse or
    change (a dataset's dcat:temporalResolution is an xsd:duration in DCAT 3)."""
    for triples in graphs.values():
        for triple in triples:
            value = triple.object
            if isinstance(value, Literal) and value.datatype.value in _VIRTUOSO_ALTERS:
                kind = value.datatype.value.removeprefix(XSD)
                raise UnstorableValue(
                    f"{triple.subject} <{triple.predicate.value}> \"{value.value}\"^^xsd:"
                    f"{kind}: Virtuoso 7.2 does not keep xsd:{kind} values as written (it "
                    "fails on some and changes others); nothing was written. Oxigraph server "
                    "and the embedded store keep them")


def boolean_variables(query: str) -> set[str]:
    """The variables a query binds (BIND or SELECT) to an expression of type xsd:boolean,
    read from its algebra (rdflib's parser: only needed when an answer holds a 0 or 1).

    >>> sorted(boolean_variables('SELECT (isIRI(?s) AS ?i) (1 AS ?n) WHERE { ?s ?p ?o }'))
    ['i']
    """
    from rdflib import Literal as RdflibLiteral
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()
    try:
        algebra = translateQuery(parseQuery(query)).algebra
    except Exception:
        # rdflib's grammar refuses some queries the engine reads (and recurses past Python's
        # limit on deep ones): their 0 and 1 stay integers, as the server wrote them.
        return found
    pending: list[object] = [algebra]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == "Extend":
                expression = node.get("expr")
                name = expression.name if isinstance(expression, CompValue) else ""
                if name in _BOOLEAN_EXPRESSIONS or (
                    isinstance(expression, RdflibLiteral)
                    and str(expression.datatype) == XSD + "boolean"
                ):
                    found.add(str(node.get("var")))
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)
    return found


def _mended_xml(body: bytes) -> bytes:
    """Virtuoso's XML results as SPARQL's: blank nodes named `nodeID://b1` are `b1`, and a
    stored xsd:boolean written as 1 or 0 is true or false."""
    for virtuoso, standard in _XML_MENDS:
        body = body.replace(virtuoso, standard)
    return body


_XML_MENDS = (
    (b"<bnode>nodeID://", b"<bnode>"),
    (b"<bnode>_:", b"<bnode>"),
    *((f'datatype="{XSD}boolean">{number}</literal>'.encode(),
       f'datatype="{XSD}boolean">{word}</literal>'.encode())
      for number, word in (("1", "true"), ("0", "false"))),
)


_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*)\s*)*",
                       re.IGNORECASE)


def _split_prologue(query: str) -> tuple[str, str]:
    """PREFIX and BASE declarations, and the rest of the query."""
    found = _PROLOGUE.match(query)
    end = found.end() if found else 0
    return query[:end], query[end:]


def _credentials(url: str) -> tuple[str, httpx.Auth | None]:
    """The address without its user:password, and HTTP Digest with them if it had them."""
    if not url:
        return url, None
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    auth = httpx.DigestAuth(unquote(parts.username), unquote(parts.password or ""))
    return urlunsplit(parts._replace(netloc=netloc)), auth


def _form(fields: Sequence[tuple[str, str]]) -> bytes:
    """An application/x-www-form-urlencoded body (names may repeat), encoded as urllib's
    `urlencode` does, by one `str.translate` of each value's UTF-8 bytes: 1.6x faster on a
    20 MB update."""
    return "&".join(f"{_form_value(name)}={_form_value(value)}"
                    for name, value in fields).encode("ascii")


def _form_value(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(_FORM_BYTES)


_FORM_SAFE = frozenset(string.ascii_letters + string.digits + "_.-~")
_FORM_BYTES = {byte: "+" if byte == 0x20 else chr(byte) if chr(byte) in _FORM_SAFE
               else f"%{byte:02X}" for byte in range(256)}
