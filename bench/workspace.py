"""What the benchmarks share: the data directory, generated catalogues (of the shape being
run), store directories, free ports, peak memory and the way figures are printed.

Every benchmark that reads a generated catalogue runs once per data shape (bench/__main__.py
sets `SHAPE` before each run): its files, store directories and headings carry the shape's
name, so the figures of both shapes stand side by side and neither reuses the other's store."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import statistics
from pathlib import Path

from bench.generate import DEFAULT_BASE, SHAPES, write_catalogue

# Generated files and stores: bench/out, or BENCH_OUT (a disk with room for the 1M run).
OUT = Path(os.environ.get("BENCH_OUT") or Path(__file__).resolve().parent / "out")
BASE = DEFAULT_BASE
QUICK_SIZES = (10_000,)
FULL_SIZES = (10_000, 100_000)
# The data shape being benchmarked (bench.generate.SHAPES); set by bench/__main__.py.
SHAPE = "plain"


def named(name: str) -> str:
    """A file or store name for the current shape: the plain shape keeps the names it always
    had (stores made before shapes existed are reused), the others get a suffix."""
    return name if SHAPE == "plain" else f"{name}-{SHAPE}"


def use_shape(shape: str) -> None:
    global SHAPE
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: use {' or '.join(SHAPES)}")
    SHAPE = shape


def concepts_for(datasets: int) -> int:
    return max(100, datasets // 10)


def catalogue_file(datasets: int) -> Path:
    """The synthetic catalogue of the current shape with `datasets` datasets, generated once
    and reused."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{named(f'catalogue-{datasets}')}.nt"
    stamp = path.with_suffix(".json")
    wanted: dict[str, object] = {"datasets": datasets, "concepts": concepts_for(datasets),
                                 "base": BASE, "seed": 1}
    if SHAPE != "plain":
        wanted["shape"] = SHAPE
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()).get("params") == wanted:
        return path
    counts = write_catalogue(path, datasets=datasets, concepts=concepts_for(datasets), base=BASE,
                             shape=SHAPE)
    stamp.write_text(json.dumps({"params": wanted, "triples": counts.triples}))
    return path


def triple_count(path: Path) -> int:
    return int(json.loads(path.with_suffix(".json").read_text())["triples"])


def fresh_dir(name: str) -> Path:
    path = OUT / "stores" / name
    path.with_suffix(".complete").unlink(missing_ok=True)
    for derived in path.parent.glob(f"{name}.search.sqlite*"):
        derived.unlink()
    shutil.rmtree(path.with_name(f"{name}.digests"), ignore_errors=True)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def dir_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def reset_peak_memory() -> None:
    # Writing 5 to clear_refs resets VmHWM (Linux); elsewhere peaks are simply not shown.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_memory_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.5 = median)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def heading(text: str) -> None:
    print(f"\n== [{SHAPE} shape] {text}", flush=True)


def row(label: str, *cells: str) -> None:
    # A label longer than its column still keeps a space before the first cell.
    print(f"  {label:<34} " + "  ".join(f"{cell:>14}" for cell in cells), flush=True)


def mark_complete(directory: Path, source: Path) -> None:
    """Note beside a store directory that it holds all of `source` (so others may reuse it)."""
    directory.with_suffix(".complete").write_text(source.name)


def is_complete(directory: Path, source: Path) -> bool:
    marker = directory.with_suffix(".complete")
    return directory.is_dir() and marker.exists() and marker.read_text() == source.name
