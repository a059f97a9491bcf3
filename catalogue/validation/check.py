"""The write path's validation check: validate the graphs about to be written; stop on a
Violation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from catalogue.errors import Unprocessable
from catalogue.ingest.load import Check
from catalogue.store.terms import Triple
from catalogue.validation.profiles import Profile
from catalogue.validation.report import ValidationReport
from catalogue.validation.validate import validate


def validation_check(profile: Profile, reports: list[ValidationReport] | None = None) -> Check:
    """A `checks=` callable for load_sources/write_sources: raises Unprocessable (HTTP 422)
    carrying the report when any graph has a Violation; appends every report to `reports`."""

    def check(graphs: Mapping[str, Sequence[Triple]]) -> None:
        report = validate(graphs, profile)
        if reports is not None:
            reports.append(report)
        if not report.conforms:
            raise Unprocessable(
                f"{report.violations} Violation(s) of profile {profile.name}; nothing was written",
                report,
            )

    return check
