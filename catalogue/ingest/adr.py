"""The API Design Rules check developer.overheid.nl measures: eight rule groups, each failed by
any error of its rules, and the score round(100 * (1 - failed / 8)), as its linter computes it.

The rules and their meanings are those of the ADR 2.1 Spectral ruleset the register runs
(developer-overheid-nl/adr-rulesets src/rulesets/adr-21.ts at da1327df, the commit
don-tools-api pins; generated from Logius' linter.yaml), read rule by rule:
- openapi3: `openapi` matches ^3(.\\d+){1,2}$ (3.0.x and 3.1.x pass);
- openapi-root-exists: the document's root has a truthy `openapi` (not a /openapi.json path:
  that is ADR 2.0's paths-open-api-json-resource-exists, which the register does not measure);
- version-header: every 2xx/3xx response has `headers`, holding API-Version in one of the five
  spellings the ruleset lists;
- include-major-version-in-uri: every server URL contains /v and a digit, anywhere;
- paths-no-trailing-slash: no path key matches `.+ \\/$` (a space before the slash, as
  published: the rule as it runs fails no ordinary path);
- info-contact-fields-exist: an info.contact, when present, has email, name and url;
- http-methods: a path whose key contains "description" or "summary" holds only keys matching
  post|put|get|delete|patch|parameters;
- semver: info.version is a full semantic version.
(don-tools-api services/OasValidatorService.js computeAdrScore: errors of these rule codes,
grouped, over the eight groups, Math.round.)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from catalogue.namespaces import CAT, RDF_TYPE, RDFS, XSD
from catalogue.store.terms import Literal, NamedNode, Triple

Resolve = Callable[[Any, str], tuple[Any, str]]

RULES = ("openapi3", "openapi-root-exists", "version-header", "include-major-version-in-uri",
         "paths-no-trailing-slash", "info-contact-fields-exist", "http-methods", "semver")
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
VERSION_HEADERS = ("API-Version", "Api-Version", "Api-version", "api-version", "API-version")
_OPENAPI3 = re.compile(r"^3(.\d+){1,2}$")
_SUCCESS = re.compile(r"(2|3)\d\d")
_MAJOR = re.compile(r"/v[\d+]")
_TRAILING = re.compile(r".+ /$")
_DESCRIBED = re.compile(r"(description|summary)", re.IGNORECASE)
_STANDARD = re.compile(r"post|put|get|delete|patch|parameters")
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


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
        str(path): resolve(item, "")[0] for path, item in (spec.get("paths") or {}).items()
    }
    servers = [str(s.get("url", "")) for s in spec.get("servers") or [] if isinstance(s, dict)]
    version = spec["info"].get("version")
    bad_servers = [url for url in servers if not _MAJOR.search(url)]
    trailing = [path for path in paths if _TRAILING.search(path)]
    findings = (
        _finding("openapi3", bool(_OPENAPI3.match(str(spec.get("openapi", "")))),
                 f"openapi is {spec.get('openapi')!r}, not 3.x (major.minor.patch)"),
        _finding("openapi-root-exists", bool(spec.get("openapi")),
                 "the document's root has no openapi property"),
        _version_header(spec, paths, resolve),
        _finding("include-major-version-in-uri", not bad_servers,
                 "a server URL does not hold the major version (/v1): " + ", ".join(bad_servers)),
        _finding("paths-no-trailing-slash", not trailing,
                 "trailing slash in " + ", ".join(trailing[:5])),
        _contact(spec),
        _methods(paths),
        _finding("semver", isinstance(version, str) and bool(_SEMVER.match(version)),
                 f"info.version {version!r} is not semver (1.2.3)"),
    )
    return AdrReport(findings)


def _finding(rule: str, passed: bool, message: str) -> Finding:
    return Finding(rule, passed, "" if passed else message)


def _responses(spec: dict[str, Any], paths: dict[str, Any],
               resolve: Resolve) -> Iterator[tuple[str, str, Any]]:
    """(where, status, response) for every response of every operation (of the paths, the
    webhooks, the reusable path items and the callbacks of them all) and the reusable ones of
    components: the places `$..[responses]` finds in a resolved description."""
    components = spec.get("components") or {}
    items = [*paths.items(),
             *((f"webhook {name}", item) for name, item in _mapping(spec.get("webhooks"))),
             *((f"components/pathItems/{name}", item)
               for name, item in _mapping(components.get("pathItems")))]
    callbacks = [(f"callback components/callbacks/{name}", callback)
                 for name, callback in _mapping(components.get("callbacks"))]
    seen: set[int] = set()
    while items or callbacks:
        if callbacks:  # a callback: expressions to path items
            where, callback = callbacks.pop()
            callback = resolve(callback, "")[0]
            items += [(f"{expression} ({where})", item) for expression, item in _mapping(callback)]
            continue
        where, item = items.pop(0)
        item = resolve(item, "")[0]
        if not isinstance(item, dict) or id(item) in seen:  # a callback may name its own path
            continue
        seen.add(id(item))
        for method in sorted(METHODS & set(item)):
            operation = item[method] if isinstance(item[method], dict) else {}
            for status, response in _mapping(operation.get("responses")):
                yield f"{method.upper()} {where}", str(status), resolve(response, "")[0]
            callbacks += [(f"callback {name}", callback)
                          for name, callback in _mapping(operation.get("callbacks"))]
    for name, response in _mapping(components.get("responses")):
        yield "components/responses", str(name), resolve(response, "")[0]


def _mapping(value: Any) -> list[tuple[str, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


def _version_header(spec: dict[str, Any], paths: dict[str, Any], resolve: Resolve) -> Finding:
    missing = []
    for where, status, response in _responses(spec, paths, resolve):
        if not _SUCCESS.search(status):
            continue
        headers = (response or {}).get("headers") if isinstance(response, dict) else None
        if not headers or not any(name in headers for name in VERSION_HEADERS):
            missing.append(f"{where} {status}")
    return _finding("version-header", not missing,
                    f"{len(missing)} responses lack an API-Version header, e.g. "
                    + ", ".join(missing[:3]))


def _contact(spec: dict[str, Any]) -> Finding:
    contact = spec["info"].get("contact")
    missing = [key for key in ("email", "name", "url")
               if isinstance(contact, dict) and key not in contact]
    return _finding("info-contact-fields-exist", not missing,
                    "info.contact lacks " + ", ".join(missing))


def _methods(paths: dict[str, Any]) -> Finding:
    bad = [f"{key} {path}" for path, item in paths.items()
           if _DESCRIBED.search(path) and isinstance(item, dict)
           for key in item if not _STANDARD.search(str(key))]
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
