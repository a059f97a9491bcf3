"""The API Design Rules check developer.overheid.nl measures: eight rule groups, each passed or
failed on the OpenAPI description alone, and the score round(100 * (1 - failed / 8))."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catalogue.namespaces import CAT, RDF_TYPE, RDFS, XSD
from catalogue.store.terms import Literal, NamedNode, Triple

Resolve = Callable[[Any, str], tuple[Any, str]]

RULES = ("openapi3", "openapi-root-exists", "version-header", "major-version-in-uri",
         "no-trailing-slash", "info-contact-fields", "http-methods", "semver")
STANDARD_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
PATH_ITEM_KEYS = {"$ref", "summary", "description", "servers", "parameters"}
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
)
_MAJOR = re.compile(r"/v\d+$")


@dataclass(frozen=True)
class Finding:
    rule: str
    passed: bool
    message: str  # why it failed, empty when passed


@dataclass(frozen=True)
class AdrReport:
    findings: tuple[Finding, ...]

    @property
    def failed(self) -> int:
        return sum(not finding.passed for finding in self.findings)

    @property
    def score(self) -> int:
        # Half rounds up, as the register does (Go's math.Round), not to even.
        return math.floor(100 * (1 - self.failed / len(RULES)) + 0.5)


def check(spec: dict[str, Any], resolve: Resolve) -> AdrReport:
    """Run the eight measured rule groups on a (valid) OpenAPI description."""
    paths: dict[str, Any] = {
        path: resolve(item, "")[0] for path, item in (spec.get("paths") or {}).items()
    }
    servers = [str(s.get("url", "")) for s in spec.get("servers") or [] if isinstance(s, dict)]
    findings = (
        _finding("openapi3", str(spec.get("openapi", "")).startswith("3."),
                 f"openapi is {spec.get('openapi')!r}, not 3.x"),
        _finding("openapi-root-exists",
                 isinstance(paths.get("/openapi.json"), dict) and "get" in paths["/openapi.json"],
                 "no GET /openapi.json in paths"),
        _version_header(paths, resolve),
        _finding("major-version-in-uri", bool(servers) and all(
            _MAJOR.search(url.rstrip("/")) for url in servers),
            "a server URL does not end in the major version (/v1): " + ", ".join(
                url for url in servers if not _MAJOR.search(url.rstrip("/"))) if servers
            else "no servers"),
        _no_trailing_slash(paths, servers),
        _contact(spec),
        _methods(paths),
        _finding("semver", bool(_SEMVER.match(str(spec["info"].get("version", "")))),
                 f"info.version {spec['info'].get('version')!r} is not semver (1.2.3)"),
    )
    return AdrReport(findings)


def _finding(rule: str, passed: bool, message: str) -> Finding:
    return Finding(rule, passed, "" if passed else message)


def _version_header(paths: dict[str, Any], resolve: Resolve) -> Finding:
    missing = []
    for path, item in paths.items():
        for method in STANDARD_METHODS & set(item if isinstance(item, dict) else ()):
            responses = (item[method] or {}).get("responses") or {}
            for status, response in responses.items():
                if not str(status).startswith(("2", "3")):
                    continue
                response, _ = resolve(response, "")
                headers = {h.lower() for h in (response or {}).get("headers") or {}}
                if "api-version" not in headers:
                    missing.append(f"{method.upper()} {path} {status}")
    return _finding("version-header", not missing,
                    f"{len(missing)} responses lack an API-Version header, e.g. "
                    + ", ".join(missing[:3]))


def _no_trailing_slash(paths: dict[str, Any], servers: list[str]) -> Finding:
    bad = [p for p in paths if p != "/" and p.endswith("/")] + [s for s in servers
                                                                 if s.endswith("/")]
    return _finding("no-trailing-slash", not bad, "trailing slash in " + ", ".join(bad[:5]))


def _contact(spec: dict[str, Any]) -> Finding:
    contact = spec["info"].get("contact") or {}
    missing = [key for key in ("name", "email", "url") if not contact.get(key)]
    return _finding("info-contact-fields", not missing,
                    "info.contact lacks " + ", ".join(missing))


def _methods(paths: dict[str, Any]) -> Finding:
    bad = [f"{key} {path}" for path, item in paths.items() if isinstance(item, dict)
           for key in item if key not in STANDARD_METHODS | PATH_ITEM_KEYS
           and not str(key).startswith("x-")]
    return _finding("http-methods", not bad, "non-standard methods: " + ", ".join(bad[:5]))


def add_triples(triples: list[Triple], api: str, report: AdrReport) -> None:
    """The score and one cat:AdrFinding per rule group, as triples about the API."""
    subject = NamedNode(api)
    triples.append(Triple(subject, NamedNode(CAT + "adrScore"),
                          Literal(str(report.score), datatype=NamedNode(XSD + "integer"))))
    for finding in report.findings:
        node = NamedNode(f"{api}/adr/{finding.rule}")
        triples += [
            Triple(subject, NamedNode(CAT + "adrFinding"), node),
            Triple(node, NamedNode(RDF_TYPE), NamedNode(CAT + "AdrFinding")),
            Triple(node, NamedNode(CAT + "rule"), Literal(finding.rule)),
            Triple(node, NamedNode(CAT + "passed"),
                   Literal(str(finding.passed).lower(), datatype=NamedNode(XSD + "boolean"))),
            Triple(node, NamedNode(RDFS + "label"), Literal(finding.rule)),
        ]
        if finding.message:
            triples.append(Triple(node, NamedNode(RDFS + "comment"), Literal(finding.message)))
