"""Metadata quality: the 405-point MQA scheme of data.europa.eu, computed offline from the store,
per dataset and per publisher, stored as DQV and shown on a publisher dashboard."""

from __future__ import annotations

from catalogue.quality.indicators import BANDS, DIMENSIONS, INDICATORS, TOTAL, Indicator, band
from catalogue.quality.mqa import (
    DatasetScore,
    IndicatorScore,
    PublisherScore,
    score_dataset,
    score_publisher,
)

__all__ = [
    "BANDS",
    "DIMENSIONS",
    "INDICATORS",
    "TOTAL",
    "DatasetScore",
    "Indicator",
    "IndicatorScore",
    "PublisherScore",
    "band",
    "score_dataset",
    "score_publisher",
]
