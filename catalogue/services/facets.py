"""Facet values as list and search pages show them: the value, its label, count, and whether
it is chosen. Counts come from the search index; labels of IRI values from the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalogue.services.labels import fallback_label


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def facet_iris(counts: Mapping[str, Sequence[tuple[str, int]]]) -> set[str]:
    """The facet values that are IRIs, so their labels can be looked up in one go."""
    return {value for values in counts.values() for value, _ in values if "://" in value}


def facet_label(value: str, labels: Mapping[str, str]) -> str:
    """An IRI value's label from the store, else a readable fallback; other values as they are."""
    return labels.get(value) or (fallback_label(value) if "://" in value else value)
