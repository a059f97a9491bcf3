"""`python -m bench [--quick] [--only NAME] [--shape SHAPE]`: run the registered benchmarks in
turn; those that read generated catalogues once per data shape (both unless --shape says)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench import (
    attack_bench,
    concepts_bench,
    connections_bench,
    datasets_bench,
    load_bench,
    page_bench,
    relations_bench,
    remote_bench,
    sparql_bench,
    validation_bench,
    workspace,
)
from bench.generate import SHAPES

# The registry: (name, run). A benchmark is a function run(*, quick: bool) that prints its
# figures. Add yours with one line here.
Benchmark = Callable[..., None]
# Benchmarks whose data does not come from workspace.catalogue_file: run once, not per shape.
SHAPELESS = {"concepts"}
BENCHMARKS: list[tuple[str, Benchmark]] = [
    ("load", load_bench.run),
    ("pages", page_bench.run),
    ("sparql", sparql_bench.run),
    ("concepts", concepts_bench.run),
    ("datasets", datasets_bench.run),
    ("validation", validation_bench.run),
    ("attack", attack_bench.run),
    ("remote", remote_bench.run),
    ("relations", relations_bench.run),
    ("connections", connections_bench.run),
]


def main(argv: list[str] | None = None) -> int:
    names = [name for name, _ in BENCHMARKS]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k datasets only")
    parser.add_argument("--only", choices=names, action="append", metavar="NAME",
                        help=f"run only this benchmark (repeatable): {', '.join(names)}")
    parser.add_argument("--shape", choices=SHAPES, action="append",
                        help="data shape (repeatable; default: both): plain has few facet "
                             "values, linked many (see bench/generate.py)")
    args = parser.parse_args(argv)
    for name, benchmark in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        for shape in ("plain",) if name in SHAPELESS else args.shape or SHAPES:
            workspace.use_shape(shape)
            started = time.perf_counter()
            print(f"\n### {name} ({shape} shape)", flush=True)
            benchmark(quick=args.quick)
            print(f"### {name} ({shape} shape): {time.perf_counter() - started:.0f} s",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
