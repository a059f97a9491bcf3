"""The exception tree. Every error a user can cause says what is wrong and where.

    CatalogueError
    ├── InputError                 bad input from a user: exit status 2, HTTP 400
    │   ├── SourceSyntaxError      a file or body that does not parse (file:line:column)
    │   │   ├── SourceOverLimit    past a limit: triples, nesting depth, term size: HTTP 413
    │   │   └── UnsafeSource       XML entity declarations, refused before parsing: HTTP 422
    │   ├── UnreadableSource       a file that is missing or cannot be read
    │   ├── UnknownFormat          a format we cannot detect or do not serve
    │   └── GraphClash             two files of one load that would share a graph
    │   └── QuerySyntaxError       a SPARQL query that does not parse (line:column)
    │   └── InvalidDocument        a document that parses but breaks its format (JSON pointer)
    │   └── HarvestError           a feed that cannot be fetched or read (URL, what went wrong)
    │   └── FetchError             a URL that cannot be fetched (not http(s), no answer in time)
    │       └── AddressNotPublic   a URL whose host is a loopback, private or link-local address
    │   └── InvalidGraphIri        a graph IRI nobody may publish to (look-alike, reserved): 422
    │   └── InvalidIri             a request parameter that is not an absolute IRI (which, why)
    │   └── TimeLimit              a request's work ran past CATALOGUE_MAX_REQUEST_SECONDS: 503
    │   └── ClientGone             the client hung up; its work was stopped (499, never seen)
    ├── Unauthorized               no or unknown bearer token: HTTP 401
    ├── Forbidden                  not allowed here (e.g. SPARQL Update on /sparql): HTTP 403
    │   └── ForeignSubjects        a write about subjects another publisher owns (names them)
    ├── PayloadTooLarge            a body over the size limit: HTTP 413
    ├── Unprocessable              parses but breaks a validation profile (carries the report): 422
    ├── NotFound                   no such resource: HTTP 404
    ├── NotAcceptable              no representation the client accepts: HTTP 406
    ├── QueryTimeout               a query stopped at CATALOGUE_QUERY_TIMEOUT: HTTP 503
    ├── RemoteStoreError           the remote SPARQL server failed or is unreachable: HTTP 502
    │   └── StoreMisconfigured     a remote store set up so the catalogue cannot work (why, fix)
    └── UnusableAnswer             another registry answered what is not a search answer: 502
"""

from __future__ import annotations

from collections.abc import Sequence


class CatalogueError(Exception):
    """Base of every error the catalogue raises on purpose."""

    status_code = 500


class WrittenWithoutIndex(CatalogueError):
    """The store's write went through whole, but the search index's work beside it stopped
    (an interrupt, a full disk): the index catches up from the system graph when a server or
    `catalogue reindex` starts."""

    def __init__(self, graphs: Sequence[str], cause: BaseException) -> None:
        self.graphs = tuple(graphs)
        what = "interrupted" if isinstance(cause, KeyboardInterrupt) else str(cause) or \
            type(cause).__name__
        names = ", ".join(f"<{graph}>" for graph in self.graphs)
        super().__init__(
            f"{what}: the store's bulk load could not stop halfway, so {names} "
            f"{'is' if len(self.graphs) == 1 else 'are'} written whole; the search index is "
            "not, and catches up when `catalogue serve` or `catalogue reindex` starts")


class InputError(CatalogueError):
    status_code = 400


class SourceSyntaxError(InputError):
    """A source that does not parse; knows where."""

    def __init__(self, source: str, line: int | None, column: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class SourceOverLimit(SourceSyntaxError):
    """A source past one of the limits (triples, nesting depth, size of one term); knows where
    and which setting raises the limit."""

    status_code = 413


class UnsafeSource(SourceSyntaxError):
    """A source with a construct we refuse before parsing it: XML entity declarations, which
    expand without bound (the "billion laughs")."""

    status_code = 422


class TimeLimit(InputError):
    """The work for one request ran past its time limit and was stopped. An input error: the
    same input would take as long again (exit status 2 on the command line)."""

    status_code = 503

    @classmethod
    def after(cls, seconds: float) -> TimeLimit:
        return cls(f"the work ran longer than {seconds:g} s and was stopped; send a smaller "
                   "document (CATALOGUE_MAX_REQUEST_SECONDS)")


class ClientGone(InputError):
    """The client closed its connection; its work was stopped. Nobody reads the answer."""

    status_code = 499


class UnreadableSource(InputError):
    pass


class UnknownFormat(InputError):
    pass


class UnsupportedMediaType(UnknownFormat):
    """A body of a media type the route does not read."""

    status_code = 415


class UnstorableValue(InputError):
    """A value the store in use cannot keep as written (Virtuoso 7.2 and xsd:duration)."""

    status_code = 422


class MethodNotAllowed(InputError):
    status_code = 405


class GraphClash(InputError):
    """Two sources of one load would land in the same graph, the second replacing the first;
    or a source would describe a resource we mint that another graph describes already."""

    status_code = 409


class NotFound(CatalogueError):
    status_code = 404

    def __init__(self, message: str, *, subject: str | None = None) -> None:
        super().__init__(message)
        self.subject = subject  # the IRI nothing is known about, for the page in any language


class NotAcceptable(CatalogueError):
    status_code = 406


class QuerySyntaxError(InputError):
    """A SPARQL query that does not parse; the message carries the parser's line:column."""


class QueryBeyondBounds(InputError):
    """A SPARQL query larger in some respect than the engine's parser and planner can take
    without overflowing their stack or taking minutes (catalogue.store.guard)."""


class Forbidden(CatalogueError):
    status_code = 403


class ForeignSubjects(Forbidden):
    """A write whose triples describe subjects that belong to another owner; `subjects` maps
    each such subject IRI to its owner (an organisation IRI, or "" for the registry)."""

    def __init__(self, graph: str, subjects: dict[str, str]) -> None:
        self.graph = graph
        self.subjects = subjects
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = sorted(self.subjects.items())[:5]
        named = "; ".join(f"<{s}> belongs to {_owner(o)}" for s, o in shown)
        more = f" (and {len(self.subjects) - len(shown)} more)" if len(self.subjects) > 5 else ""
        return (f"<{self.graph}>: {len(self.subjects)} subject(s) described by another owner "
                f"cannot be written here: {named}{more}; describe only your own records "
                "(or IRIs under your organisation IRI)")


def _owner(organisation: str) -> str:
    return f"<{organisation}>" if organisation else "the registry"


class QueryTimeout(CatalogueError):
    status_code = 503

    @classmethod
    def after(cls, seconds: float) -> QueryTimeout:
        return cls(f"the query ran longer than {seconds:g} s and was stopped; "
                   "add a LIMIT or narrow its patterns")


class RemoteStoreError(CatalogueError):
    status_code = 502


class StoreMisconfigured(RemoteStoreError):
    """A remote store the catalogue cannot work on as set up (its default graph is not the
    union of the named graphs, say); says what to change."""


class InvalidDocument(InputError):
    """A document (an OpenAPI description, say) that parses but is not valid; knows the JSON
    pointer of the problem."""

    def __init__(self, source: str, pointer: str, message: str) -> None:
        self.source = source
        self.pointer = pointer
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.source}#{self.pointer}: {self.message}"


class HarvestError(InputError):
    """A feed that cannot be fetched, is too large, too slow, or does not parse."""


class FetchError(InputError):
    """A URL that cannot be fetched: not http(s), too many redirects, or no answer in time. The
    message never says why a connection failed, so it cannot be used to scan ports."""


class AddressNotPublic(FetchError):
    """A URL (or a redirect) whose host resolves to an address that is not public."""


def clipped(value: str, length: int = 200) -> str:
    """A value as a message shows it: its first `length` characters, "..." if there are more
    (a 100k-character value would otherwise be the whole message)."""
    return value if len(value) <= length else value[:length] + "..."


class InvalidIri(InputError):
    """An IRI from a request that is not one (RFC 3987); knows the field and what is wrong.

    Always 400, also where a valid IRI that is not in the store would be a 404: a malformed
    IRI is a malformed request, not a missing resource."""

    def __init__(self, field: str, value: str, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{field}={clipped(value)!r} is not an IRI: {problem}")


class Unauthorized(CatalogueError):
    status_code = 401


class PayloadTooLarge(CatalogueError):
    status_code = 413


class Unprocessable(CatalogueError):
    """Data that parses but has Violations; `report` is the ValidationReport that says which."""

    status_code = 422

    def __init__(self, message: str, report: object) -> None:
        self.report = report
        super().__init__(message)


class InvalidGraphIri(InputError):
    """A graph IRI that no publisher may write: not an absolute IRI with a real authority or
    namespace, or in the catalogue's own reserved `urn:catalogue:` space."""

    status_code = 422


class UnusableAnswer(CatalogueError):
    """Another registry (federated search) answered with what is not a search answer: not JSON,
    the wrong shape, HTML, an error status. Shown as that source's status, never as a 500."""

    status_code = 502
