"""ValidationReport: what a validation found, with messages in Dutch and English, and its
renderings as text, JSON, CSV and Turtle (sh:ValidationReport). The messages are data of the
shapes (their sh:message in nl and en); the report's own words come from the catalogues."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from catalogue.i18n import texts
from catalogue.namespaces import PREFIXES, compact
from catalogue.store.terms import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

SH = PREFIXES["sh"]
SEVERITIES = ("Violation", "Warning", "Info")
# From this many focus nodes with results, the text report starts with the problems by kind.
SUMMARY_FROM = 10
_IRI_IN_PATH = re.compile(r"<([^<>\s]*)>")
_XSD_BOOLEAN = NamedNode(PREFIXES["xsd"] + "boolean")


@dataclass(frozen=True)
class ValidationResult:
    """One problem: where (focus node, path, value), how bad, and what to do about it."""

    severity: str  # Violation | Warning | Info
    focus: str
    path: str | None
    value: str | None
    message_nl: str
    message_en: str
    shape: str | None
    see_also: str | None
    source: str = ""  # the file or graph the focus node came from

    @property
    def messages(self) -> dict[str, str]:
        return {"nl": self.message_nl, "en": self.message_en}

    def message(self, lang: str) -> str:
        """In `lang` when the shapes speak it (nl, en), else in English."""
        return self.messages.get(lang) or self.message_en

    @property
    def path_label(self) -> str:
        """The path with prefixed names: `dct:title`, `dct:title | dct:alternative`, or a
        sequence path as the engine writes it: `((skos:closeMatch | skos:exactMatch)/
        skos:inScheme)`."""
        if not self.path:
            return ""
        if "<" in self.path:  # alternatives spaced, so that a long path wraps between them
            named = _IRI_IN_PATH.sub(lambda found: compact(found.group(1)), self.path)
            return re.sub(r"\s*\|\s*", " | ", named)
        return " | ".join(compact(part.strip()) for part in self.path.split("|"))


@dataclass
class Problem:
    """One kind of problem in a report (see ValidationReport.problems)."""

    severity: str
    path_label: str
    message: str
    example: str  # the first focus node that has it
    results: int = 0
    focus_nodes: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating sources against a profile. Conforms = no Violation (we count
    them ourselves: pyshacl's own flag can say conforms with Violations present)."""

    profile: str
    results: tuple[ValidationResult, ...] = ()
    sources: tuple[str, ...] = ()
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, profile: str, results: Iterable[ValidationResult], *, sources: Iterable[str] = (),
        triples: int = 0,
    ) -> ValidationReport:
        ordered = tuple(sorted(results, key=_order))
        counts = {severity: 0 for severity in SEVERITIES}
        for result in ordered:
            counts[result.severity] = counts.get(result.severity, 0) + 1
        return cls(profile, ordered, tuple(sources), triples, counts)

    @property
    def conforms(self) -> bool:
        return self.counts.get("Violation", 0) == 0

    @property
    def violations(self) -> int:
        return self.counts.get("Violation", 0)

    def by_focus(self) -> list[tuple[str, list[ValidationResult]]]:
        """Results grouped by focus node, worst first, in order of appearance."""
        groups: dict[str, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.focus, []).append(result)
        return list(groups.items())

    def problems(self, lang: str = "en") -> list[Problem]:
        """The kinds of problem the report holds, worst and most frequent first: one per
        severity, path and message, with how many results and focus nodes have it. What a
        publisher fixes in a file of thousands of records, before reading one record's list."""
        found: dict[tuple[str, str, str], Problem] = {}
        for result in self.results:
            key = (result.severity, result.path_label, result.message(lang))
            problem = found.get(key)
            if problem is None:
                problem = found[key] = Problem(*key, example=result.focus)
            problem.results += 1
            problem.focus_nodes.add(result.focus)
        return sorted(found.values(), key=lambda p: (
            SEVERITIES.index(p.severity) if p.severity in SEVERITIES else 3, -p.results,
            p.path_label, p.message))

    def summary(self, lang: str = "en") -> str:
        words = texts(lang)
        counts = ", ".join([
            words.ngettext("validate.violations", "validate.violations.plural",
                           self.counts.get("Violation", 0)),
            words.ngettext("validate.warnings", "validate.warnings.plural",
                           self.counts.get("Warning", 0)),
            words.ngettext("validate.infos", "validate.infos.plural", self.counts.get("Info", 0)),
        ])
        verdict = (words.gettext("validate.verdict.conforms") if self.conforms
                   else words.gettext("validate.verdict.not_conforms"))
        return f"{self.profile}: {verdict} ({counts})"

    # ------------------------------------------------------------------ renderings

    def to_text(self, lang: str = "en") -> str:
        lines = [self.summary(lang)]
        groups = self.by_focus()
        if len(groups) > SUMMARY_FROM:  # a file of many records: what to fix first, at the top
            words = texts(lang)
            lines.append(f"\n{words.gettext('validate.problems')}:")
            for problem in self.problems(lang):
                lines.append(
                    f"  [{problem.severity}] {problem.path_label or '(node)'}: {problem.results}"
                    f" ({words.gettext('validate.focus_nodes')}: {len(problem.focus_nodes)},"
                    f" {words.gettext('validate.example').lower()} {problem.example})")
                lines.append(f"    {problem.message}")
        for focus, results in groups:
            lines.append(f"\n{focus}")
            for result in results:
                where = f" {result.path_label}" if result.path else ""
                value = f" = {result.value}" if result.value else ""
                lines.append(f"  [{result.severity}]{where}{value}")
                lines.append(f"    nl: {result.message_nl}")
                lines.append(f"    en: {result.message_en}")
                if result.see_also:
                    lines.append(f"    zie/see: {result.see_also}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "conforms": self.conforms,
            "counts": self.counts,
            "sources": list(self.sources),
            "triples": self.triples,
            "results": [asdict(result) for result in self.results],
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self, lang: str = "nl") -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["severity", "focus", "path", "value", "message", "shape", "see_also",
                         "source"])
        for r in self.results:
            writer.writerow([r.severity, r.focus, r.path or "", r.value or "", r.message(lang),
                             r.shape or "", r.see_also or "", r.source])
        return out.getvalue()

    def to_triples(self) -> list[Triple]:
        """The report as a W3C sh:ValidationReport (messages in both languages)."""
        report = BlankNode()
        triples = [
            Triple(report, NamedNode(PREFIXES["rdf"] + "type"), NamedNode(SH + "ValidationReport")),
            Triple(report, NamedNode(SH + "conforms"),
                   Literal("true" if self.conforms else "false", datatype=_XSD_BOOLEAN)),
        ]
        rdf_type, message = NamedNode(PREFIXES["rdf"] + "type"), NamedNode(SH + "resultMessage")
        for result in self.results:
            node = BlankNode()
            triples += [
                Triple(report, NamedNode(SH + "result"), node),
                Triple(node, rdf_type, NamedNode(SH + "ValidationResult")),
                Triple(node, NamedNode(SH + "resultSeverity"), NamedNode(SH + result.severity)),
                Triple(node, NamedNode(SH + "focusNode"), _term(result.focus)),
                Triple(node, message, Literal(result.message_nl, language="nl")),
                Triple(node, message, Literal(result.message_en, language="en")),
            ]
            if result.path and "|" not in result.path and not result.path.startswith(("^", "_:")):
                triples.append(Triple(node, NamedNode(SH + "resultPath"), NamedNode(result.path)))
            if result.value is not None:
                triples.append(Triple(node, NamedNode(SH + "value"), _term(result.value)))
            if result.shape:
                triples.append(Triple(node, NamedNode(SH + "sourceShape"), NamedNode(result.shape)))
            if result.see_also:
                triples.append(Triple(node, NamedNode(PREFIXES["rdfs"] + "seeAlso"),
                                      NamedNode(result.see_also)))
        return triples

    def to_rdf(self, format: RdfFormat = RdfFormat.TURTLE) -> bytes:
        return serialize(self.to_triples(), format=format, prefixes={"sh": SH, **PREFIXES}) or b""


def _order(result: ValidationResult) -> tuple[int, str, str, str]:
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else 3
    return (rank, result.focus, result.path or "", result.value or "")


def _term(text: str) -> NamedNode | BlankNode | Literal:
    """A term back from its text form (see engine.RawResult)."""
    if text.startswith("_:"):
        return BlankNode(text[2:])
    if text.startswith('"'):
        return _literal(text)
    return NamedNode(text)


def _literal(text: str) -> Literal:
    from catalogue.store.terms import parse

    try:
        quads = list(parse(f"<urn:x:s> <urn:x:p> {text} .".encode(), RdfFormat.N_TRIPLES))
    except SyntaxError:
        return Literal(text)
    obj = quads[0].object
    return obj if isinstance(obj, Literal) else Literal(text)
