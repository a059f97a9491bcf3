"""OpenAPI 3.0/3.1 descriptions in, DCAT-AP-NL quads out: the API as a dcat:DataService with its
operations, schema fields (linked to begrippen) and API Design Rules findings, in one graph."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import yaml

from catalogue.errors import InvalidDocument, SourceSyntaxError
from catalogue.ingest import adr
from catalogue.ingest.rdf import ParsedSource
from catalogue.iris import is_iri
from catalogue.namespaces import CAT, DCAT, DCT, FOAF, PREFIXES, RDF_TYPE, RDFS, SKOS
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode, Triple

OWL = PREFIXES["owl"]
VCARD = PREFIXES["vcard"]
# The extensions that hold the IRI (or a list of IRIs) of the begrip a field means.
CONCEPT_EXTENSIONS = ("x-begrip", "x-concept")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_SUPPORTED = re.compile(r"^3\.[01]\.\d+$")
# Words in a server's URL or description that mark an environment other than production
# (Dutch and English, as government descriptions write them: "LVBAG - ACCEPTATIE", "TEST",
# "proefomgeving", Kadaster's "eto"), and SwaggerHub's auto mocking host.
_TEST_SERVER = re.compile(
    r"(?<![a-z])(test|accept|sandbox|mock|proef|demo|staging|ontwikkel|develop(?!er)|localhost)"
    r"|(?<![a-z])(tst|acc|eto|dev|stage|ota)(?![a-z])|127\.0\.0\.1|virtserver\.swaggerhub\.com",
    re.IGNORECASE)
_PRODUCTION_SERVER = re.compile(r"(?<![a-z])(productie|production|prod|live)(?![a-z])",
                                re.IGNORECASE)

Suggest = Callable[[set[str]], Mapping[str, list[str]]]
# An SPDX licence identifier: "EUPL-1.2", "Apache-2.0", "CC-BY-4.0", "GPL-3.0-or-later", "MIT".
_SPDX_ID = re.compile(r"^(?:[A-Za-z0-9]+(?:[.+][A-Za-z0-9]+)*-)+[A-Za-z0-9.+]+$"
                      r"|^(?:MIT|ISC|Unlicense|0BSD|Zlib|BSL-1\.0)$")


def is_openapi(name: str, data: bytes) -> bool:
    """Whether a .yaml/.yml/.json file is an OpenAPI (or Swagger) description, by its content."""
    if Path(name).suffix.lower() not in (".yaml", ".yml", ".json"):
        return False
    return has_openapi_key(data)


def has_openapi_key(data: bytes) -> bool:
    """Whether JSON or YAML holds an `openapi` (or `swagger`) key: what tells a description
    served as application/json or YAML from JSON-LD. Most write it first; generators that sort
    their keys write it after `components`, which may run to megabytes (PDOK's merged OGC API
    description has it at byte 128,978), so past the head only a key with a version for its
    value counts: unindented in YAML, or as a JSON member."""
    if _OPENAPI_KEY.search(data, 0, 65536) is not None:
        return True
    for key in (b"openapi", b"swagger"):
        at = data.find(key, 65536)
        while at != -1:  # bytes.find skips most of a large file at memchr speed
            if _LATE_OPENAPI_KEY.match(data, max(at - 1, 0)) is not None:
                return True
            at = data.find(key, at + len(key))
    return False


_OPENAPI_KEY = re.compile(rb'(^|[{,\s])"?(openapi|swagger)"?\s*:', re.MULTILINE)
_LATE_OPENAPI_KEY = re.compile(rb'(\n(openapi|swagger)|"(openapi|swagger)")[ \t]*:\s*["\']?[0-9]')


# libyaml's parser when PyYAML has it (7x faster on a 500 KB description).
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _JsonCompatibleLoader(_SafeLoader):
    """YAML as OpenAPI means it: JSON values only, so dates stay strings."""


_JsonCompatibleLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def title_of(data: bytes, name: str) -> str | None:
    """The info.title of a description; None when it has none or does not parse (the load
    then says what is wrong)."""
    try:
        document = read_document(data, name)
    except SourceSyntaxError:
        return None
    info = document.get("info") if isinstance(document, dict) else None
    title = info.get("title") if isinstance(info, dict) else None
    return (title.strip() or None) if isinstance(title, str) else None


def read_document(data: bytes, name: str) -> Any:
    """JSON or YAML to Python values; SourceSyntaxError with line:column when it does not parse."""
    text = data.decode("utf-8-sig", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceSyntaxError(name, exc.lineno, exc.colno, exc.msg) from None
    loader = _JsonCompatibleLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _refuse_alias_bombs(node, name)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise SourceSyntaxError(name, line, column, str(exc.problem or exc)) from None
    except yaml.YAMLError as exc:
        raise SourceSyntaxError(name, None, None, str(exc)) from None
    finally:
        loader.dispose()


# Values a YAML document may hold once its aliases are followed. An alias (*name) repeats the
# node of its anchor (&name) by reference: nine levels of nine aliases are 387 million values in
# under a kilobyte, which every walk of the document then visits ("billion laughs" in YAML). The
# largest OpenAPI documents we know (a few MB) hold a few hundred thousand.
MAX_YAML_VALUES = 2_000_000


def _refuse_alias_bombs(root: yaml.Node, name: str) -> None:
    """SourceSyntaxError (at the first alias) when the document, its aliases followed, holds
    more than MAX_YAML_VALUES values. Counted over the node graph once per node."""
    sizes: dict[int, int] = {}
    # Depth-first, children before parents, each node once (the graph shares nodes; a YAML
    # node can even contain itself, which we count once, not forever).
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes and not children_done:
            continue
        children = _children(node)
        if not children_done:
            sizes[id(node)] = 1  # provisional: a cycle back to it counts it once
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        size = 1 + sum(sizes.get(id(child), 1) for child in children)
        if size > MAX_YAML_VALUES:
            mark = node.start_mark
            raise SourceSyntaxError(
                name, mark.line + 1, mark.column + 1,
                f"the document expands to more than {MAX_YAML_VALUES:,} values through its "
                "YAML aliases (*name)")
        sizes[id(node)] = size


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def escape(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


class _Resolver:
    """Follows `$ref`s within the document and into local files, remembering where each value
    came from so that errors name a JSON pointer. A file's own `$ref`s are made absolute when
    it is read (`#/x` in it is that file's /x; `../shared/ok.yaml` is beside it), so a value
    from it resolves the same wherever it is met."""

    def __init__(self, root: Any, location: Path | None, name: str) -> None:
        self.name = name
        self.location = location
        self._documents: dict[str, Any] = {"": root}

    def resolve(self, value: Any, pointer: str, document: str = "") -> tuple[Any, str]:
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref: str = value["$ref"]
            if ref in seen:
                raise InvalidDocument(self.name, pointer, f"$ref {ref!r} refers to itself")
            seen.add(ref)
            target, _, fragment = ref.partition("#")
            if target:
                document = self._load(target, pointer, document)
            value = self._follow(self._documents[document], fragment, ref, pointer)
            pointer = fragment or "/"
        return value, document

    def where(self, document: str) -> str:
        """A document's name in messages: the file, relative to the description's folder."""
        if not document or self.location is None:
            return self.name
        try:
            return str(Path(document).relative_to(self.location.resolve().parent))
        except ValueError:
            return document

    def _load(self, target: str, pointer: str, current: str) -> str:
        if urlparse(target).scheme in ("http", "https"):
            raise InvalidDocument(
                self.name, pointer, f"$ref to a remote document ({target}) is not followed")
        if self.location is None:
            raise InvalidDocument(self.name, pointer, f"$ref to a file ({target}) needs a file")
        if target.startswith(_OWN):  # made absolute when the file that holds it was read
            path = Path(target[len(_OWN):])
        else:
            base = Path(current).parent if current else self.location.parent
            path = (base / unquote(target)).resolve()
        key = str(path)
        if key not in self._documents:
            try:
                data = path.read_bytes()
            except OSError:
                raise InvalidDocument(
                    self.name, pointer, f"$ref {_shown(target)!r}: no such file {path}"
                ) from None
            self._documents[key] = _absolute_refs(read_document(data, str(path)), path)
        return key

    def _follow(self, document: Any, fragment: str, ref: str, pointer: str) -> Any:
        value = document
        for token in [t for t in fragment.split("/")[1:]]:
            token = unquote(token).replace("~1", "/").replace("~0", "~")
            if isinstance(value, dict) and token in value:
                value = value[token]
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                raise InvalidDocument(
                    self.name, pointer + "/$ref", f"$ref {_shown(ref)!r} does not resolve"
                )
        return value


# The mark of a `$ref` made absolute: the file it names, by its resolved path.
_OWN = "file-of-description:"


def _absolute_refs(document: Any, path: Path) -> Any:
    """A referenced file's `$ref`s, each naming the file it means by its resolved path."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and not urlparse(ref).scheme and not ref.startswith(_OWN):
                target, _, fragment = ref.partition("#")
                found = (path.parent / unquote(target)).resolve() if target else path
                value["$ref"] = f"{_OWN}{found}#{fragment}"
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return document


def _shown(ref: str) -> str:
    """A `$ref` as its file wrote it, near enough: an absolute one by its file name."""
    if not ref.startswith(_OWN):
        return ref
    target, _, fragment = ref[len(_OWN):].partition("#")
    return f"{Path(target).name}#{fragment}" if fragment else Path(target).name


@dataclass
class _Graph:
    triples: list[Triple] = field(default_factory=list)

    def add(self, subject: str, predicate: str, value: NamedNode | Literal | str | None) -> None:
        if value is None or value == "":
            return
        obj = Literal(value) if isinstance(value, str) else value
        try:
            self.triples.append(Triple(NamedNode(subject), NamedNode(predicate), obj))
        except ValueError:  # a subject from the document (a licence URL) that is no IRI
            return

    def link(self, subject: str, predicate: str, iri: str | None) -> None:
        if iri and _is_iri(iri):
            try:
                node = NamedNode(iri)
            except ValueError:  # a URL the IRI parser refuses (a bad host, say) is left out
                return
            self.add(subject, predicate, node)


def parse_openapi(
    data: bytes,
    *,
    name: str,
    uri: str,
    graph: str,
    base: str,
    publisher: str | None = None,
    location: Path | None = None,
    suggest: Suggest | None = None,
) -> ParsedSource:
    """Map one OpenAPI description to a ParsedSource with one graph. Raises SourceSyntaxError
    when it does not parse and InvalidDocument (with a JSON pointer) when it is not valid."""
    document = read_document(data, name)
    spec = _validated(document, name)
    resolver = _Resolver(spec, location, name)
    _check_refs(spec, "", resolver)
    slug = slugify(graph.rstrip("/").rsplit("/", 1)[-1])
    api = f"{base}/id/api/{slug}"
    out = _Graph()
    _service(out, api, spec, uri, publisher)
    _security(out, api, spec, resolver)
    for operation in _operations(spec, resolver, name):
        _operation(out, api, operation)
    fields = list(_fields(spec, resolver))
    suggestions = suggest({_words(f.name) for f in fields}) if suggest else {}
    for item in fields:
        _field(out, api, item, suggestions.get(_words(item.name), []), name)
    report = adr.check(spec, resolver.resolve)
    adr.add_triples(out.triples, api, report)
    parsed = ParsedSource(name=name, uri=uri, content_hash=hashlib.sha256(data).hexdigest(),
                          minted=(api,))
    parsed.graphs = {graph: out.triples}
    return parsed


def _check_refs(value: Any, pointer: str, resolver: _Resolver) -> None:
    """Every `$ref` in the document, and in the files it refers to, must resolve; the error
    names the pointer of the one that does not (in its file)."""
    checked: set[tuple[str, str]] = set()
    stack: list[tuple[Any, str, str]] = [(value, pointer, "")]
    while stack:
        value, pointer, document = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                try:
                    target, found = resolver.resolve(value, pointer, document)
                except InvalidDocument as exc:  # in a referenced file: name that file
                    raise InvalidDocument(resolver.where(document), exc.pointer,
                                          exc.message) from None
                fragment = value["$ref"].partition("#")[2]
                if found and (found, fragment) not in checked:  # into a file: check it too
                    checked.add((found, fragment))
                    stack.append((target, fragment or "", found))
            # in document order: the first broken $ref is the one named
            stack.extend(reversed([(item, f"{pointer}/{escape(str(key))}", document)
                                   for key, item in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(item, f"{pointer}/{position}", document)
                                   for position, item in enumerate(value)]))


def _validated(document: Any, name: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise InvalidDocument(name, "", "an OpenAPI description must be an object")
    if "swagger" in document and "openapi" not in document:
        raise InvalidDocument(name, "/swagger", "Swagger 2.0 is not supported; convert the "
                              "description to OpenAPI 3 first")
    version = document.get("openapi")
    if not isinstance(version, str) or not _SUPPORTED.match(version):
        raise InvalidDocument(name, "/openapi", f"expected an OpenAPI version 3.0.x or 3.1.x, "
                              f"found {version!r}")
    info = document.get("info")
    if not isinstance(info, dict):
        raise InvalidDocument(name, "/info", "the info object is missing")
    for key in ("title", "version"):
        if not isinstance(info.get(key), str | int | float) or info.get(key) in ("", None):
            raise InvalidDocument(name, f"/info/{key}", f"info.{key} is required (a string)")
    paths = document.get("paths")
    if version.startswith("3.0") and not isinstance(paths, dict):
        raise InvalidDocument(name, "/paths", "OpenAPI 3.0 requires a paths object")
    if paths is not None and not isinstance(paths, dict):
        raise InvalidDocument(name, "/paths", "paths must be an object")
    for path, item in (paths or {}).items():
        where = f"/paths/{escape(str(path))}"
        if not str(path).startswith("/"):
            raise InvalidDocument(name, where, f"path {path!r} must start with '/'")
        if not isinstance(item, dict):
            raise InvalidDocument(name, where, "a path item must be an object")
    servers = document.get("servers", [])
    if not isinstance(servers, list):
        raise InvalidDocument(name, "/servers", "servers must be a list")
    for position, server in enumerate(servers):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            raise InvalidDocument(name, f"/servers/{position}/url", "a server needs a url")
    components = document.get("components", {})
    if not isinstance(components, dict):
        raise InvalidDocument(name, "/components", "components must be an object")
    return document


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "api"


def _is_iri(value: str) -> bool:
    parsed = urlparse(value)
    return is_iri(value) and (bool(parsed.netloc) or parsed.scheme in ("urn", "mailto"))


def _text(value: Any) -> str | None:
    return str(value).strip() if isinstance(value, str | int | float) and str(value).strip() \
        else None


def server_urls(spec: Mapping[str, Any], source: str) -> list[str]:
    """Absolute server URLs, with variables replaced by their defaults."""
    return [url for url, _ in _servers(spec, source)]


def production_server(spec: Mapping[str, Any], source: str) -> str | None:
    """The endpoint: DCAT-AP-NL allows one. A server its description calls production, else
    the first whose URL and description name no test environment; None when every server is a
    test, acceptance, sandbox or mock one (BRP's proefomgeving)."""
    servers = _servers(spec, source)
    for url, description in servers:
        if _PRODUCTION_SERVER.search(description) and not _TEST_SERVER.search(url):
            return url
    return next((url for url, description in servers
                 if not _TEST_SERVER.search(url) and not _TEST_SERVER.search(description)), None)


def _servers(spec: Mapping[str, Any], source: str) -> list[tuple[str, str]]:
    """(absolute URL, description) per server."""
    urls = []
    for server in spec.get("servers", []):
        description = str(server.get("description") or "")
        url = str(server["url"])
        for variable, details in (server.get("variables") or {}).items():
            if isinstance(details, dict) and "default" in details:
                url = url.replace("{" + variable + "}", str(details["default"]))
        if not urlparse(url).scheme and urlparse(source).scheme in ("http", "https"):
            url = urljoin(source, url)
        if _is_iri(url):
            urls.append((url, description))
    return urls


def _service(out: _Graph, api: str, spec: dict[str, Any], uri: str, publisher: str | None) -> None:
    info: dict[str, Any] = spec["info"]
    out.link(api, RDF_TYPE, DCAT + "DataService")
    out.add(api, DCT + "title", _text(info.get("title")))
    out.add(api, DCT + "description", _text(info.get("description") or info.get("summary")))
    out.add(api, DCT + "identifier", api)
    version = _text(info.get("version"))
    out.add(api, OWL + "versionInfo", version)
    out.add(api, DCAT + "version", version)
    servers = _servers(spec, uri)
    # DCAT-AP-NL requires an endpoint URL: with no production server the first server stays
    # it, marked cat:testServer like every test one, so the page does not present it as the
    # API's address.
    production = production_server(spec, uri)
    out.link(api, DCAT + "endpointURL", production or next(iter(servers), ("", ""))[0] or None)
    for url, description in servers:
        out.link(api, CAT + "server", url)
        if url != production and (_TEST_SERVER.search(url) or _TEST_SERVER.search(description)
                                  or production is None):
            out.link(api, CAT + "testServer", url)
    out.link(api, DCAT + "endpointDescription", uri)
    standard = f"https://spec.openapis.org/oas/v{spec['openapi']}"
    out.link(api, DCT + "conformsTo", standard)
    out.link(standard, RDF_TYPE, DCT + "Standard")
    out.add(standard, RDFS + "label", f"OpenAPI {spec['openapi']}")
    out.link(api, DCT + "publisher", publisher)
    contact = info.get("contact")
    if isinstance(contact, dict) and contact:
        point = f"{api}/contact"
        out.link(api, DCAT + "contactPoint", point)
        out.link(point, RDF_TYPE, VCARD + "Kind")
        out.add(point, VCARD + "fn", _text(contact.get("name")) or _text(info.get("title")))
        email = _text(contact.get("email"))
        if email:
            out.link(point, VCARD + "hasEmail", f"mailto:{email.removeprefix('mailto:')}")
        out.link(point, VCARD + "hasURL", _text(contact.get("url")))
    licence = info.get("license")
    if isinstance(licence, dict):
        licence_iri = _text(licence.get("url"))
        spdx = _text(licence.get("identifier")) or _text(licence.get("name"))
        if not licence_iri and spdx and _SPDX_ID.match(spdx):
            # OAS 3.1's identifier, or a name that is one ("EUPL-1.2", as the Objects API has it)
            licence_iri = f"https://spdx.org/licenses/{spdx}"
        if licence_iri and _is_iri(licence_iri):
            out.link(api, DCT + "license", licence_iri)
            out.add(licence_iri, RDFS + "label", _text(licence.get("name")))
    terms = _text(info.get("termsOfService"))
    if terms:
        out.link(api, DCT + "rights", terms.strip("\"'"))
    docs = spec.get("externalDocs")
    if isinstance(docs, dict):
        out.link(api, FOAF + "page", _text(docs.get("url")))
    for tag in spec.get("tags") or []:
        if isinstance(tag, dict):
            out.add(api, DCAT + "keyword", _text(tag.get("name")))


def _security(out: _Graph, api: str, spec: dict[str, Any], resolver: _Resolver) -> None:
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for key, scheme in schemes.items():
        scheme, _ = resolver.resolve(scheme, f"/components/securitySchemes/{escape(key)}")
        if not isinstance(scheme, dict):
            continue
        kind = str(scheme.get("type", "?"))
        detail = {
            "apiKey": f"API key ({scheme.get('in', '?')} {scheme.get('name', '')})".strip(),
            "http": f"HTTP {scheme.get('scheme', '')}".strip(),
            "oauth2": "OAuth2 (" + ", ".join(sorted(scheme.get("flows") or {})) + ")",
            "openIdConnect": f"OpenID Connect ({scheme.get('openIdConnectUrl', '')})",
            "mutualTLS": "mutual TLS",
        }.get(kind, kind)
        out.add(api, CAT + "authentication", f"{key}: {detail}")


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    data: dict[str, Any]


def _operations(spec: dict[str, Any], resolver: _Resolver, name: str) -> Iterator[_Operation]:
    for path, item in (spec.get("paths") or {}).items():
        where = f"/paths/{escape(path)}"
        item, _ = resolver.resolve(item, where)
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            if not isinstance(operation, dict):
                raise InvalidDocument(name, f"{where}/{method}", "an operation must be an object")
            if spec["openapi"].startswith("3.0") and "responses" not in operation:
                raise InvalidDocument(
                    name, f"{where}/{method}/responses", "an operation needs responses"
                )
            yield _Operation(method.upper(), path, operation)


def _operation(out: _Graph, api: str, op: _Operation) -> None:
    reference = op.data.get("operationId") or f"{op.method}{op.path}"
    iri = f"{api}/operation/{slugify(str(reference))}"
    out.link(api, CAT + "operation", iri)
    out.link(iri, RDF_TYPE, CAT + "Operation")
    out.add(iri, CAT + "method", op.method)
    out.add(iri, CAT + "path", op.path)
    out.add(iri, RDFS + "label", f"{op.method} {op.path}")
    out.add(iri, DCT + "identifier", _text(op.data.get("operationId")))
    out.add(iri, DCT + "title", _text(op.data.get("summary")))
    out.add(iri, DCT + "description", _text(op.data.get("description")))


@dataclass(frozen=True)
class _Field:
    schema: str
    name: str
    data: dict[str, Any]
    pointer: str


def _fields(spec: dict[str, Any], resolver: _Resolver) -> Iterator[_Field]:
    """Each property of each named schema (allOf parts merged in), one level deep."""
    schemas = (spec.get("components") or {}).get("schemas") or {}
    for schema_name, schema in schemas.items():
        pointer = f"/components/schemas/{escape(str(schema_name))}"
        seen: set[str] = set()
        for prop, data, where in _properties(schema, pointer, resolver, depth=0):
            if prop in seen:
                continue
            seen.add(prop)
            yield _Field(str(schema_name), prop, data, where)


def _properties(
    schema: Any, pointer: str, resolver: _Resolver, *, depth: int
) -> Iterator[tuple[str, dict[str, Any], str]]:
    if depth > 8:  # allOf chains that loop back
        return
    schema, _ = resolver.resolve(schema, pointer)
    if not isinstance(schema, dict):
        return
    for position, part in enumerate(schema.get("allOf") or []):
        yield from _properties(part, f"{pointer}/allOf/{position}", resolver, depth=depth + 1)
    for prop, data in (schema.get("properties") or {}).items():
        if isinstance(data, dict):
            yield str(prop), data, f"{pointer}/properties/{escape(str(prop))}"


def _field(out: _Graph, api: str, item: _Field, suggested: list[str], name: str) -> None:
    iri = f"{api}/field/{slugify(item.schema)}/{slugify(item.name)}"
    out.link(api, CAT + "field", iri)
    out.link(iri, RDF_TYPE, CAT + "Field")
    out.add(iri, RDFS + "label", item.name)
    out.add(iri, CAT + "schema", item.schema)
    kind = item.data.get("type") or ("reference" if "$ref" in item.data else None)
    out.add(iri, CAT + "datatype", _text(kind if not isinstance(kind, list) else "/".join(kind)))
    out.add(iri, DCT + "description", _text(item.data.get("description") or item.data.get("title")))
    explicit: list[str] = []
    for extension in CONCEPT_EXTENSIONS:
        value = item.data.get(extension)
        values = value if isinstance(value, list) else [value] if value else []
        for concept in values:
            if not isinstance(concept, str) or not _is_iri(concept):
                raise InvalidDocument(
                    name, f"{item.pointer}/{extension}", f"{extension} must hold a begrip IRI, "
                    f"found {concept!r}"
                )
            explicit.append(concept)
            out.link(iri, CAT + "concept", concept)
    for concept in suggested:
        if concept not in explicit:
            out.link(iri, CAT + "suggestedConcept", concept)


def _words(name: str) -> str:
    """`openbareRuimteNaam` -> `openbare ruimte naam`: a field name as words, to match labels."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_\-.]+", " ", name)
    return " ".join(spaced.lower().split())


def store_suggestions(store: Store) -> Suggest:
    """Label matching against the concepts in the store: a field whose name (as words) equals a
    concept's preferred or alternative label, case-insensitively."""

    def suggest(words: set[str]) -> Mapping[str, list[str]]:
        wanted = sorted(w for w in words if len(w) >= 3)
        if not wanted:
            return {}
        found: dict[str, list[str]] = {}
        for start in range(0, len(wanted), 400):
            values = " ".join(json.dumps(w) for w in wanted[start : start + 400])
            rows = store.select(
                f"SELECT DISTINCT ?w ?c WHERE {{ VALUES ?w {{ {values} }} "
                f"?c a <{SKOS}Concept> ; <{SKOS}prefLabel>|<{SKOS}altLabel> ?l . "
                f"FILTER(isIRI(?c) && LCASE(STR(?l)) = ?w) }}"
            )
            for row in rows:
                found.setdefault(row["w"].value, []).append(row["c"].value)
        return found

    return suggest


__all__ = ["is_openapi", "parse_openapi", "read_document", "store_suggestions"]
