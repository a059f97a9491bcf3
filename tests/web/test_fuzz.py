"""Fuzzing the HTTP API from its own OpenAPI document (schemathesis): every operation, with data
that fits the schema and data that does not, with and without a publisher token, against the app
served on loopback. No request may answer 5xx or hang. Bounded and repeatable: few examples per
operation, derandomized, and a timeout on every request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.publish import Publishers
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.web.live import serving
from tests.web.test_publish import ORG_A

EXAMPLES = 12  # per operation and mode: about 20 s for the whole API on a busy 2-core machine
GRAPH = f"{BASE}/id/graph/fuzz"
HANG_GUARD = 60.0  # seconds one request may take before it counts as a hang


@schemathesis.serializer("text/turtle", "application/x-turtle", "application/n-triples",
                         "application/trig", "application/n-quads", "application/rdf+xml",
                         "application/ld+json")
def _rdf_text(ctx: Any, value: Any) -> bytes:
    """RDF bodies are declared as strings: sent as they were generated, in UTF-8."""
    return str(value).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, a publisher token) of the app on the bundled content, served on loopback."""
    folder = tmp_path_factory.mktemp("fuzz")
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    token = Publishers(folder).add(ORG_A)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=folder,
                              max_body_bytes=64 * 1024), store=store)
    with serving(app) as url:
        yield url, token


def operations(url: str) -> list[Any]:
    spec = httpx.get(url + "/api/openapi.json", timeout=HANG_GUARD).json()
    return _operations(spec)


def _operations(spec: dict[str, Any]) -> list[Any]:
    schema = schemathesis.openapi.from_dict(spec)
    return [result.ok() for result in schema.get_all_operations()]


def _strings(where: str, *names: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": where, "required": where == "path",
             "schema": {"type": "string"}} for name in names]


def _get(where: str, *names: str) -> dict[str, Any]:
    return {"get": {"parameters": _strings(where, *names), "responses": {"200": {
        "description": "ok"}}}}


def _form(*names: str) -> dict[str, Any]:
    fields = {name: {"type": "string"} for name in names}
    return {"post": {"requestBody": {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": fields}}
    }}, "responses": {"200": {"description": "ok"}}}}


# The pages outside /api/openapi.json (HTML, content negotiation, the SPARQL protocol), written
# out so they are fuzzed too. /validate's `url` field is left out: it fetches from the internet.
PAGES: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "pages", "version": "1"},
                         "paths": {
    "/resource": _get("query", "uri"),
    "/resource.{suffix}": _get("path", "suffix") | {"get": {"parameters": [
        *_strings("path", "suffix"), *_strings("query", "uri")],
        "responses": {"200": {"description": "ok"}}}},
    "/id/{path}": _get("path", "path"),
    "/doc/{path}": _get("path", "path"),
    "/sparql": _get("query", "query", "default-graph-uri", "named-graph-uri", "format"),
    "/begrippen/{vocid}": _get("path", "vocid"),
    "/begrippen/{vocid}/az": _get("path", "vocid"),
    "/begrippen/{vocid}/boom": _get("path", "vocid"),
    "/history": _get("query", "graph", "version"),
    "/validate": _form("text", "profile", "format"),
    "/history/rollback": _form("graph", "version", "token"),
}}


def fuzz(operation: Any, url: str, headers: dict[str, str],
         query: dict[str, str] | None = None) -> list[str]:
    """The server errors found for `operation` (with these query parameters fixed), each as
    'METHOD path query -> status: body'."""
    found: list[str] = []
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE, query=query),
                      operation.as_strategy(GenerationMode.NEGATIVE, query=query))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def check(case: Any) -> None:
        try:
            response = case.call(base_url=url, headers=headers, timeout=HANG_GUARD)
        except Exception as exc:  # a hang or a dropped connection is a finding too
            found.append(f"{case.method} {case.formatted_path}: {exc!r}")
            return
        # 501 is oEmbed's own answer to a format it does not serve (oembed.com, 2.3.4).
        if response.status_code >= 500 and not (
                response.status_code == 501 and operation.path == "/oembed"):
            found.append(f"{case.method} {case.formatted_path} {case.query} -> "
                         f"{response.status_code}: {response.text[:300]}")

    check()
    return found


def test_no_operation_answers_a_server_error(api: tuple[str, str]) -> None:
    url, token = api
    found: list[str] = []
    covered = set()
    for operation in operations(url):
        covered.add(f"{operation.method.upper()} {operation.path}")
        found += fuzz(operation, url, {"Authorization": f"Bearer {token}"})
        if operation.path == "/store" and operation.method.upper() in ("PUT", "POST"):
            # A random graph name is rarely an IRI: fuzz the bodies into a graph it may write.
            found += fuzz(operation, url, {"Authorization": f"Bearer {token}"},
                          query={"graph": GRAPH})
    assert {"PUT /store", "POST /api/validate", "GET /search"} <= covered
    assert found == []


def test_no_page_outside_the_api_answers_a_server_error(api: tuple[str, str]) -> None:
    url, _ = api
    found: list[str] = []
    for operation in _operations(PAGES):
        found += fuzz(operation, url, {})
    assert found == []


def test_writes_without_a_valid_token_never_fail(api: tuple[str, str]) -> None:
    url, _ = api
    found: list[str] = []
    for operation in operations(url):
        if operation.method.upper() in ("PUT", "POST", "DELETE"):
            found += fuzz(operation, url, {})
            found += fuzz(operation, url, {"Authorization": "Bearer not-a-token"})
    assert found == []
