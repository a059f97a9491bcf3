"""RDF files in any syntax: detect the format, parse with positions in errors, group by graph."""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tqdm import tqdm

from catalogue.errors import SourceOverLimit, SourceSyntaxError, UnknownFormat, UnreadableSource
from catalogue.ingest.scan import check_structure
from catalogue.limits import REQUEST_LIMITS, Limits, checkpoint
from catalogue.namespaces import SYSTEM_GRAPH
from catalogue.store.terms import DefaultGraph, Literal, Quad, RdfFormat, Triple, parse

EXTENSIONS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".n3": RdfFormat.N3,
    ".jsonld": RdfFormat.JSON_LD,
    ".json-ld": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
}

_PROGRESS_FROM_BYTES = 8 * 1024 * 1024
_POSITION = re.compile(r"^Parser error at line \d+ between columns \d+ and \d+: ")
_CHECK_EVERY = 4096  # quads between two looks at the time budget


@dataclass
class ParsedSource:
    """One source, parsed: its triples per target graph, and what provenance needs."""

    name: str
    uri: str
    content_hash: str
    graphs: dict[str, list[Triple]] = field(default_factory=dict)
    # IRIs a mapping minted for what the source describes (an OpenAPI description's API): a
    # write refuses them while another graph describes them too (ingest.load).
    minted: tuple[str, ...] = ()

    @property
    def triple_count(self) -> int:
        return sum(len(triples) for triples in self.graphs.values())


def detect_format(name: str, head: bytes) -> RdfFormat:
    """The RDF syntax of a source, by its file extension and else by its first bytes."""
    by_extension = EXTENSIONS.get(Path(name).suffix.lower())
    if by_extension is not None:
        return by_extension
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048]
    if text.startswith(b"<?xml") or b"<rdf:RDF" in text:
        return RdfFormat.RDF_XML
    if text.startswith((b"{", b"[")):
        if b'"@context"' in head or b'"@id"' in head or b'"@graph"' in head:
            return RdfFormat.JSON_LD
        raise UnknownFormat(f"{name}: JSON without @context, @id or @graph is not JSON-LD")
    if re.search(rb"^\s*(@prefix|@base|PREFIX|BASE)\b", text, re.MULTILINE | re.IGNORECASE):
        return RdfFormat.TRIG  # TriG is a superset of Turtle
    if re.match(rb"\s*(<[^>]*>|_:\S+)\s+<[^>]*>\s+\S.*\s<[^>]*>\s*\.\s*$", text.split(b"\n")[0]):
        return RdfFormat.N_QUADS
    if text.startswith((b"<", b"_:")):
        return RdfFormat.TRIG
    raise UnknownFormat(
        f"{name}: cannot tell the RDF syntax; use one of the extensions "
        + ", ".join(sorted(EXTENSIONS))
    )


def read_source(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableSource(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableSource(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise UnreadableSource(f"{path}: cannot be read ({exc.strerror})") from None


def parse_source(
    data: bytes,
    *,
    name: str,
    uri: str,
    graph: str,
    keep_graphs: bool = True,
    format: RdfFormat | None = None,
    progress: bool = False,
    limits: Limits = REQUEST_LIMITS,
) -> ParsedSource:
    """Parse one source. Triples in its default graph go to `graph`; named graphs are kept
    (or, with keep_graphs=False, merged into `graph` too). Raises SourceSyntaxError, or its
    SourceOverLimit past `limits` and UnsafeSource for XML entity declarations (both before
    the parser has read far: the counts are kept as the quads come)."""
    parsed = ParsedSource(name=name, uri=uri, content_hash=hashlib.sha256(data).hexdigest())
    if data.startswith(_BOM):  # as Windows editors save UTF-8: "\xef\xbb\xbf is not a subject"
        data = data[len(_BOM):]
    rdf_format = format or detect_format(name, data[:4096])
    check_structure(data, rdf_format, name=name, nesting=limits.nesting)
    graphs: dict[str, list[Triple]] = defaultdict(list)
    count = 0
    terms_fit = _terms_fit(data, rdf_format, limits)
    with _reader(data, name, progress) as stream:
        try:
            for quad in parse(stream, rdf_format, base_iri=uri, rename_blank_nodes=True):
                count += 1
                if count % _CHECK_EVERY == 0:
                    checkpoint()
                problem = _past(quad, count, limits, terms_fit=terms_fit)
                if problem is not None:
                    raise _over(name, data, problem, stream.tell())
                target = graph
                if keep_graphs and not isinstance(quad.graph_name, DefaultGraph):
                    target = quad.graph_name.value
                graphs[target].append(quad.triple)
        except SyntaxError as exc:
            message = _POSITION.sub("", exc.msg or str(exc))
            line, column = (exc.lineno, exc.offset) if exc.lineno else _locate(data, message)
            if line is None:
                line, column, message = _explained(data, rdf_format, message)
            raise SourceSyntaxError(name, line, column, message) from None
        except ValueError as exc:
            raise SourceSyntaxError(name, *_locate(data, str(exc)), str(exc)) from None
        except MemoryError:
            # pyoxigraph's parser holds one token in a buffer of at most 16 MiB.
            raise SourceOverLimit(name, None, None, f"after triple {count}: a literal or IRI "
                                  "longer than the parser's 16 MiB buffer") from None
    if SYSTEM_GRAPH in graphs:
        raise SourceSyntaxError(name, None, None, f"the graph <{SYSTEM_GRAPH}> is reserved")
    parsed.graphs = dict(graphs)
    return parsed


_QUOTED = re.compile(r"'([^']{1,2000})'")


def _locate(data: bytes, message: str) -> tuple[int | None, int | None]:
    """Line and column of the term a positionless message quotes (the RDF/XML parser reports
    a bad IRI, such as one with a space in rdf:about, by its text only): its first occurrence
    in the source, as written or XML-escaped."""
    for quoted in _QUOTED.findall(message):
        for spelling in (quoted, html.escape(quoted, quote=False), html.escape(quoted)):
            offset = data.find(spelling.encode("utf-8"))
            if offset >= 0:
                return _position(data, offset)
    return None, None


_BOM = b"\xef\xbb\xbf"
_ROOT = re.compile(rb"<(?![?!])([^\s/>]+)([^>]*)>")
_REMOTE_CONTEXT = re.compile(rb'"@context"\s*:\s*(?:\[\s*)?"([^"]{1,2000})"')


def _explained(data: bytes, rdf_format: RdfFormat, message: str
               ) -> tuple[int | None, int | None, str]:
    """Where and what, for the parser's messages that say neither: XML that is not RDF/XML
    (its root element), and a JSON-LD context to fetch from elsewhere (never fetched)."""
    if rdf_format == RdfFormat.RDF_XML and "namespace" in message.lower():
        root = _ROOT.search(data)
        if root is not None and b"rdf-syntax-ns#" not in root.group(0) \
                and not root.group(1).endswith(b":RDF"):
            line, column = _position(data, root.start())
            element = root.group(1).decode("utf-8", "replace")
            return line, column, (f"this XML is not RDF/XML: its root element <{element}> is "
                                  f"no rdf:RDF and declares no RDF namespace ({message})")
    if rdf_format == RdfFormat.JSON_LD and "remote context" in message:
        context = _REMOTE_CONTEXT.search(data)
        if context is not None:
            line, column = _position(data, context.start(1))
            url = context.group(1).decode("utf-8", "replace")
            return line, column, (f"the JSON-LD context {url} is elsewhere, and remote "
                                  "contexts are not fetched: put the context in the document")
        return None, None, "a remote JSON-LD context is not fetched: put it in the document"
    return None, None, message


def _position(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", "replace")) + 1


@dataclass(frozen=True)
class _Problem:
    message: str
    near: str | None = None  # the start of the term at fault, to find its line


def _terms_fit(data: bytes, rdf_format: RdfFormat, limits: Limits) -> bool:
    """Whether no term can pass the size limit, by a look at the bytes: in N-Triples and
    N-Quads a term is written whole on one line (escapes only make it shorter), so when no
    line is longer than the limit, checking each term (a third of a large load's parse) is
    not needed."""
    most = limits.term_bytes
    if most is None or len(data) <= most:
        return True
    if rdf_format not in (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS):
        return False
    # A line longer than the limit holds a whole window of half its length without a newline.
    half = max(most // 2, 1)
    return all(data.find(b"\n", start, start + half) >= 0
               for start in range(0, len(data) - half + 1, half))


def _past(quad: Quad, count: int, limits: Limits, *, terms_fit: bool = False) -> _Problem | None:
    """What limit the `count`th quad passes, if any."""
    if limits.triples is not None and count > limits.triples:
        return _Problem(f"more than {limits.triples} triples by this line (CATALOGUE_MAX_TRIPLES "
                        "raises the limit)")
    most = limits.term_bytes
    if most is None or terms_fit:
        return None
    for term in (quad.subject, quad.predicate, quad.object):
        value = getattr(term, "value", "")
        # A character is at most 4 bytes in UTF-8: encode only the values that may be too long.
        if len(value) * 4 > most and (size := len(value.encode("utf-8"))) > most:
            kind = "literal" if isinstance(term, Literal) else "IRI"
            return _Problem(f"a {kind} of {size} bytes; the limit is {most} "
                            "(CATALOGUE_MAX_LITERAL_BYTES raises it)", value[:64])
    return None


def _over(name: str, data: bytes, problem: _Problem, read: int) -> SourceOverLimit:
    """The error, at the line where the term at fault starts, else where the parser had read to
    (the parser reads ahead in blocks, so that line is near, not exact)."""
    offset = data.find(problem.near.encode("utf-8")) if problem.near else -1
    if offset < 0:
        offset = min(read, len(data))
    return SourceOverLimit(name, data.count(b"\n", 0, offset) + 1, None, problem.message)


def _reader(data: bytes, name: str, progress: bool) -> IO[bytes]:
    stream: IO[bytes] = io.BytesIO(data)
    if progress and len(data) >= _PROGRESS_FROM_BYTES:
        wrapped: IO[bytes] = tqdm.wrapattr(  # type: ignore[assignment]
            stream, "read", total=len(data), desc=Path(name).name, unit="B", unit_scale=True
        )
        return wrapped
    return stream
