"""/sparql against `oxigraph serve-read-only` on the same data (10k datasets): requests/s and
p95 latency of a point lookup, a label FILTER, a two-hop join with LIMIT and a COUNT with
GROUP BY, from the same load generator (wrk, 16 connections, loopback), printed as ratios.

On this machine one server's rate varies by up to 20% between runs seconds apart, so the ratio
of two long runs minutes apart says little. All servers stay up; each query is measured in
short rounds in which every server takes one turn, in an order rotated per round. A round's
ratio compares turns seconds apart; the figures are the median over the rounds, with the
lowest and highest round's ratio beside them."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench import workspace
from bench.page_bench import BIN, _server, oxigraph_store

CONNECTIONS = 16
SECONDS = 2  # per turn
ROUNDS = 15
DCT, DCAT = "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#"
# {n} is replaced by a random dataset number on every request.
QUERIES = {
    "point lookup": f"SELECT ?p ?o WHERE {{ <{workspace.BASE}/id/dataset/{{n}}> ?p ?o }}",
    "label FILTER": (f"SELECT ?d WHERE {{ ?d <{DCT}title> ?t "
                     f'FILTER(STRSTARTS(STR(?t), "Kaart")) }} LIMIT 10'),
    "two-hop join, LIMIT": (f"SELECT ?d ?title ?media WHERE {{ ?d <{DCAT}distribution> ?x . "
                            f"?x <{DCAT}mediaType> ?media . ?d <{DCT}title> ?title }} LIMIT 20"),
    "COUNT, GROUP BY": (f"SELECT ?theme (COUNT(?d) AS ?n) WHERE {{ ?d <{DCAT}theme> ?theme }} "
                        "GROUP BY ?theme"),
}
# The goals, as a share of Oxigraph's requests/s: cheap queries, where the HTTP layer
# weighs, and engine-bound ones (a scan of every title, an aggregate), where the engine does.
GOALS = {"point lookup": 0.5, "label FILTER": 0.9, "two-hop join, LIMIT": 0.5,
         "COUNT, GROUP BY": 0.9}
# CATALOGUE_QUERY_WORKERS settings compared (SPARQL front processes), e.g. "2,4": each one
# more makes the run longer by half. 4 fronts measured worse than 2 on cheap queries.
WORKERS = tuple(int(n) for n in os.environ.get("CATALOGUE_BENCH_FRONTS", "2").split(","))
# A checkout of another version of the catalogue (for example `git worktree add /tmp/before
# 3aed830`, the fronts before the serving path was redesigned), served beside ours in the same
# rounds as "baseline": what a change costs or gains, measured in one run.
BASELINE = os.environ.get("CATALOGUE_BENCH_BASELINE", "")
# A "|"-separated subset of QUERIES' names, for a focused experiment (all by default).
ONLY = [name for name in os.environ.get("CATALOGUE_BENCH_QUERIES", "").split("|") if name]

_SCRIPT = """
local before, after, count = "%s", "%s", %d
wrk.headers["Accept"] = "application/sparql-results+json"
request = function()
  if count == 0 then return wrk.format("GET", before) end
  return wrk.format("GET", before .. math.random(0, count - 1) .. after)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%d\\n", summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    e.status))
end
"""


@dataclass(frozen=True)
class Figures:
    per_second: float
    p50_ms: float
    p95_ms: float


Rounds = dict[tuple[str, str], list[Figures]]  # (server, query): one Figures per round


def run(*, quick: bool = False) -> None:
    if shutil.which("wrk") is None:
        print("sparql: skipped, needs wrk (apt-get install wrk)")
        return
    datasets = workspace.QUICK_SIZES[0]
    path = workspace.catalogue_file(datasets)
    workspace.heading(f"sparql: {datasets:,} datasets, wrk {CONNECTIONS} connections, "
                      f"{ROUNDS} rounds of {SECONDS} s turns per query, servers interleaved")
    with ExitStack() as servers:
        reference = oxigraph_store(path, workspace.named("sparql-oxigraph"))
        ports = {"oxigraph": _start(servers, "oxigraph-sparql", [
            str(BIN / "oxigraph"), "serve-read-only", "--location", str(reference),
            "--union-default-graph"], "/query", bind=True)}
        for workers in WORKERS:
            ours = oxigraph_store(path, workspace.named(f"sparql-catalogue-{workers}"))
            os.environ["CATALOGUE_QUERY_WORKERS"] = str(workers)
            try:
                ports[f"{workers} fronts"] = _start(servers, f"catalogue-sparql-{workers}", [
                    str(BIN / "catalogue"), "serve", "--store", str(ours),
                    "--base-iri", workspace.BASE], "/sparql", bind=False)
            finally:
                del os.environ["CATALOGUE_QUERY_WORKERS"]
        if BASELINE:
            os.environ["PYTHONPATH"] = BASELINE
            try:
                ports["baseline"] = _start(servers, "catalogue-sparql-baseline", [
                    str(BIN / "python"), "-m", "catalogue", "serve", "--store",
                    str(oxigraph_store(path, workspace.named("sparql-baseline"))),
                    "--base-iri", workspace.BASE],
                    "/sparql", bind=False)
            finally:
                del os.environ["PYTHONPATH"]
        rounds: Rounds = {}
        order = list(ports)
        for name, query in QUERIES.items():
            if ONLY and name not in ONLY:
                continue
            for server in order:  # warm caches (and the fronts' choice of thread or loop)
                _wrk(ports[server], _path(server), query, datasets, seconds=1)
            for number in range(ROUNDS):
                turn = order[number % len(order):] + order[:number % len(order)]
                for server in turn:
                    rounds.setdefault((server, name), []).append(
                        _wrk(ports[server], _path(server), query, datasets, seconds=SECONDS))
    _report(rounds)


def _path(server: str) -> str:
    return "/query" if server == "oxigraph" else "/sparql"


def _report(rounds: Rounds) -> None:
    for server in [f"{workers} fronts" for workers in WORKERS] + (["baseline"] * bool(BASELINE)):
        workspace.row(f"/sparql, {server}", "req/s", "p95 ms", "req/s x oxi", "(range)",
                      "p95 x oxi", "goal")
        for name in QUERIES:
            if (server, name) not in rounds:
                continue
            mine, base = rounds[(server, name)], rounds[("oxigraph", name)]
            ratios = sorted(m.per_second / b.per_second for m, b in zip(mine, base, strict=True))
            p95s = [m.p95_ms / b.p95_ms for m, b in zip(mine, base, strict=True)]
            ratio = workspace.median(ratios)
            workspace.row(f"  {name}", f"{_median(mine, 'per_second'):,.0f}",
                          f"{_median(mine, 'p95_ms'):.1f}", f"{ratio:.2f}",
                          f"{ratios[0]:.2f}-{ratios[-1]:.2f}", f"{workspace.median(p95s):.2f}",
                          f">= {GOALS[name]} {'met' if ratio >= GOALS[name] else 'MISSED'}")
    workspace.row("oxigraph serve-read-only", "req/s", "p95 ms")
    for name in QUERIES:
        if ("oxigraph", name) not in rounds:
            continue
        base = rounds[("oxigraph", name)]
        workspace.row(f"  {name}", f"{_median(base, 'per_second'):,.0f}",
                      f"{_median(base, 'p95_ms'):.1f}")
    print("  goal: the median round's req/s as a share of oxigraph's")
    print("  load average after the run (other work on this machine skews ratios): "
          + " ".join(f"{value:.1f}" for value in os.getloadavg()))


def _median(figures: list[Figures], field: str) -> float:
    return workspace.median([getattr(figure, field) for figure in figures])


def _start(stack: ExitStack, name: str, command: list[str], path: str, *, bind: bool) -> int:
    port = workspace.free_port()
    where = ["--bind", f"127.0.0.1:{port}"] if bind else ["--port", str(port)]
    stack.enter_context(_server(name, command + where, port, f"{path}?query=ASK%7B%7D"))
    return port


def _wrk(port: int, path: str, query: str, datasets: int, *, seconds: int) -> Figures:
    before, placeholder, after = quote(query, safe="").partition(quote("{n}", safe=""))
    script = _SCRIPT % (f"{path}?query={before}", after, datasets if placeholder else 0)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", handle.name,
             f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True,
        ).stdout
    finally:
        Path(handle.name).unlink()
    result = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, micros, p50, p95, errors = result.split()[1:]
    if int(errors):
        raise RuntimeError(f"{path}: {errors} failed requests for {query}")
    return Figures(int(requests) / (int(micros) / 1e6), float(p50), float(p95))


