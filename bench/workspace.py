"""What the benchmarks share: the data directory, generated catalogues, store directories,
free ports, peak memory and the way figures are printed."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import statistics
from pathlib import Path

from bench.generate import DEFAULT_BASE, write_catalogue

OUT = Path(__file__).resolve().parent / "out"
BASE = DEFAULT_BASE
QUICK_SIZES = (10_000,)
FULL_SIZES = (10_000, 100_000)


def concepts_for(datasets: int) -> int:
    return max(100, datasets // 10)


def catalogue_file(datasets: int) -> Path:
    """The synthetic catalogue with `datasets` datasets, generated once and reused."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"catalogue-{datasets}.nt"
    stamp = path.with_suffix(".json")
    wanted = {"datasets": datasets, "concepts": concepts_for(datasets), "base": BASE, "seed": 1}
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()).get("params") == wanted:
        return path
    counts = write_catalogue(path, datasets=datasets, concepts=concepts_for(datasets), base=BASE)
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
    print(f"\n== {text}", flush=True)


def row(label: str, *cells: str) -> None:
    print(f"  {label:<34}" + "  ".join(f"{cell:>14}" for cell in cells), flush=True)


def mark_complete(directory: Path, source: Path) -> None:
    """Note beside a store directory that it holds all of `source` (so others may reuse it)."""
    directory.with_suffix(".complete").write_text(source.name)


def is_complete(directory: Path, source: Path) -> bool:
    marker = directory.with_suffix(".complete")
    return directory.is_dir() and marker.exists() and marker.read_text() == source.name
