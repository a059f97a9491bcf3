"""Validation and publishing: one dataset record validated (p50/p95) with the store holding 1k
and 100k datasets (it must not grow: a write validates only its own graph), throughput on a
10k-dataset file, and publish (authorise, validate, write, history, index) p95. The reference in
the same run is parsing the same record, so the ratios survive a noisy machine."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import workspace
from bench.generate import write_catalogue
from bench.workspace import heading, row
from catalogue.ingest.load import load_sources
from catalogue.ingest.rdf import parse_source
from catalogue.publish import Publishing
from catalogue.publish.publishers import Publisher
from catalogue.store.embedded import EmbeddedStore
from catalogue.validation import find_profile, validate, validate_files

RUNS = 200
NL_LICENCE = "https://definities.geostandaarden.nl/dcat-ap-nl/id/waardelijst/licenties/"


def run(*, quick: bool = False) -> None:
    heading("validation: one record, file throughput, publish")
    profile = find_profile("dcat-ap-nl")
    record_bytes = _record()
    triples = parse_source(record_bytes, name="r.nt", uri="urn:r", graph="urn:r").graphs["urn:r"]
    validate({"urn:r": triples}, profile)  # compile the shapes outside the timings
    parse_ms = _times(lambda: parse_source(record_bytes, name="r.nt", uri="urn:r", graph="urn:r"))
    row("parse one record (reference)", f"p50 {_p(parse_ms, 50):.2f} ms ({len(triples)} triples)")
    sizes = (1_000, 10_000) if quick else (1_000, 100_000)
    p50s: list[float] = []
    for size in sizes:
        store = EmbeddedStore()
        load_sources(store, [workspace.catalogue_file(size)], base=workspace.BASE)
        times = _times(lambda: validate({"urn:r": triples}, profile))
        p50s.append(_p(times, 50))
        row(f"validate one record, store at {size:,} datasets",
            f"p50 {_p(times, 50):.1f} ms  p95 {_p(times, 95):.1f} ms  "
            f"({_p(times, 50) / _p(parse_ms, 50):.0f}x parse)")
        _publish(store, size)
        del store
    row("growth of validate p50 (large/small store)", f"{p50s[1] / p50s[0]:.2f}x")
    path = workspace.catalogue_file(10_000)
    started = time.perf_counter()
    report = validate_files([path], profile)
    seconds = time.perf_counter() - started
    row("validate a 10k-dataset file (parse + SHACL engine)",
        f"{seconds:.1f} s = {10_000 / seconds:.0f} datasets/s, {report.violations} Violations")


def _publish(store: EmbeddedStore, size: int) -> None:
    publisher = Publisher("https://identifier.overheid.nl/tooi/id/gemeente/gm0363", "x", "now")
    records = [_valid_record(number) for number in range(20)]
    with tempfile.TemporaryDirectory() as folder:
        publishing = Publishing(store, Path(folder), profile=find_profile("dcat-ap-nl"))
        counter = iter(range(10**6))

        def put() -> None:
            number = next(counter) % len(records)
            publishing.put(publisher, f"{workspace.BASE}/id/graph/p{number}", records[number],
                           format=None)

        times = _times(put, runs=60)  # a refused record (422, 403) stops the bench
        row(f"publish one record (PUT), store at {size:,} datasets",
            f"p50 {_p(times, 50):.1f} ms  p95 {_p(times, 95):.1f} ms")


def _valid_record(number: int) -> bytes:
    """A generated record made valid DCAT-AP-NL, so that its publish writes (a 422 would skip
    the write, the history and the index): without the catalogue node, with a creator, its
    licences from the Geonovum list, its themes from the EU list. Its IRIs are under a base of
    its own: the stored catalogue's belong to the registry, and graphs may not share subjects."""
    base = f"http://publisher.bench.test/{number}"
    lines = []
    for line in _record(base=base).decode().splitlines():
        if line.startswith(f"<{base}/id/catalogus/") or (
                "dcat#theme>" in line and "/id/begrip/" in line):
            continue
        for licence in ("http://creativecommons.org/licenses/by/4.0/",
                        "http://creativecommons.org/publicdomain/zero/1.0/"):
            line = line.replace(licence, NL_LICENCE + "cc0")
        lines.append(line)
    lines.append(f"<{base}/id/dataset/0> <http://purl.org/dc/terms/creator> "
                 f"<{base}/id/organisatie/0> .")
    return "\n".join(lines).encode() + b"\n"


def _record(base: str = workspace.BASE) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.nt"
        write_catalogue(path, datasets=1, base=base, shape=workspace.SHAPE)
        return path.read_bytes()


def _times(action: Callable[[], object], *, runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p(values: list[float], percentile: int) -> float:
    return statistics.quantiles(values, n=100)[percentile - 1] if percentile < 100 else max(values)
