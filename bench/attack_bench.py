"""Innocent clients under attack: the real `catalogue serve` on the 10k-dataset catalogue, 16
clients for 60 s doing a mix of dataset pages, the /datasets list, /search, /sparql point lookups
and PUTs of a small graph with a publisher's token; once alone, once beside one attacker sending
the hostile inputs of tests/web/test_hostile.py in a loop. Prints the innocents' errors and
p50/p95 of both runs and the ratio; the goal is 0 errors and p95 within 2x."""

from __future__ import annotations

import contextlib
import itertools
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import workspace
from bench.page_bench import BIN, _server, catalogue_store
from bench.workspace import heading, row
from catalogue.config import Settings
from catalogue.publish import Publishers
from catalogue.publish.service import publishing_dir

DATASETS = 10_000
CLIENTS = 16
SECONDS, QUICK_SECONDS = 60.0, 10.0
TIMEOUT = 120.0  # an innocent request slower than this is an error, not a latency
ORG = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
HOSTILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "hostile"

DATASET = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<{iri}> a dcat:Dataset ; dct:title "Bench dataset {n}"@nl ; dct:description "Een dataset."@nl ;
  dct:identifier "{iri}" ; dct:publisher <{org}> ; dct:creator <{org}> ;
  dcat:contactPoint [ a vcard:Kind ; vcard:hasEmail <mailto:info@example.nl> ] ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
"""
KINDS = ("page", "list", "search", "sparql", "put")
WORDS = ("parkeren", "water", "afval", "verkeer", "bodem", "wonen", "energie", "data")


@dataclass
class Run:
    name: str
    seconds: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    attacks: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, started: float, problem: str | None) -> None:
        with self.lock:
            if problem is None:
                took = time.perf_counter() - started
                self.seconds.append(took)
                self.by_kind.setdefault(kind, []).append(took)
            else:
                self.errors.append(problem)

    def p(self, fraction: float, kind: str | None = None) -> float:
        values = self.seconds if kind is None else self.by_kind.get(kind, [])
        return workspace.percentile(values, fraction) * 1000 if values else 0.0


def run(*, quick: bool = False) -> None:
    seconds = QUICK_SECONDS if quick else SECONDS
    source = workspace.catalogue_file(DATASETS)
    heading(f"attack: {DATASETS:,} datasets, {CLIENTS} innocent clients for {seconds:.0f} s "
            "(pages, list, search, /sparql, PUT), without and with one attacker")
    calm = _measure("without attacker", catalogue_store(source, DATASETS), seconds, False)
    attacked = _measure("with attacker", catalogue_store(source, DATASETS), seconds, True)
    row("", "requests", "errors", "p50 ms", "p95 ms", "attacks")
    for result in (calm, attacked):
        row(result.name, f"{len(result.seconds):,}", str(len(result.errors)),
            f"{result.p(0.5):.0f}", f"{result.p(0.95):.0f}", str(result.attacks))
    row("p95 ms per kind", *(f"{kind}" for kind in KINDS))
    for result in (calm, attacked):
        row(result.name, *(f"{result.p(0.95, kind):.0f}" for kind in KINDS))
    ratio = attacked.p(0.95) / calm.p(0.95) if calm.p(0.95) else float("inf")
    row("p95 with / without attacker", f"{ratio:.2f}x", "", "", "goal: 0 errors, <= 2x")
    for problem in sorted(set(calm.errors + attacked.errors))[:10]:
        print(f"  error: {problem}", flush=True)


def _measure(name: str, loaded: Path, seconds: float, attack: bool) -> Run:
    """One run on a fresh copy of the loaded store (PUTs write to it)."""
    store = _copy(loaded, workspace.named(f"attack-{DATASETS}"))
    token = Publishers(publishing_dir(Settings(store=store))).add(ORG)
    port = workspace.free_port()
    command = [str(BIN / "catalogue"), "serve", "--store", str(store), "--port", str(port),
               "--base-iri", workspace.BASE]
    result = Run(name)
    with _server("catalogue-attack", command, port, "/datasets"):
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=_innocent, args=(url, token, n, deadline, result))
                   for n in range(CLIENTS)]
        if attack:
            threads.append(threading.Thread(target=_attacker, args=(url, token, deadline,
                                                                     result)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return result


def _copy(loaded: Path, name: str) -> Path:
    target = workspace.fresh_dir(name)
    shutil.rmtree(target)
    shutil.copytree(loaded, target)
    shutil.rmtree(target.with_name(target.name + "-publishing"), ignore_errors=True)
    for index in loaded.parent.glob(f"{loaded.name}.search.sqlite*"):
        shutil.copy(index, target.parent / index.name.replace(loaded.name, name, 1))
    return target


def _innocent(url: str, token: str, number: int, deadline: float, result: Run) -> None:
    rng = random.Random(number)
    with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        for turn in itertools.count():
            if time.monotonic() > deadline:
                return
            kind = KINDS[turn % len(KINDS)]
            started = time.perf_counter()
            try:
                answer = _innocent_request(client, token, number, kind, turn, rng)
                problem = (None if answer.status_code in (200, 201)
                           else f"{answer.request.method} {answer.request.url.path} "
                                f"{answer.status_code}: {answer.text[:120]}")
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            result.record(kind, started, problem)


def _innocent_request(client: httpx.Client, token: str, number: int, kind: str, turn: int,
                      rng: random.Random) -> httpx.Response:
    """A request of the kind for client `number` (its `turn`-th)."""
    pick = rng.randrange(DATASETS)
    if kind == "page":
        return client.get(f"/doc/dataset/{pick}", headers={"Accept": "text/html"})
    if kind == "list":
        return client.get("/datasets", params={"page": str(1 + pick % 50)})
    if kind == "search":
        return client.get("/search", params={"q": rng.choice(WORDS)})
    if kind == "sparql":
        iri = f"{workspace.BASE}/id/dataset/{pick}"
        return client.get("/sparql", headers={"Accept": "application/sparql-results+json"},
                          params={"query": f"SELECT ?t WHERE {{ <{iri}> "
                                           "<http://purl.org/dc/terms/title> ?t }"})
    dataset = f"{workspace.BASE}/id/dataset/bench-attack-{number}"
    return client.put(
        "/store", params={"graph": f"{workspace.BASE}/id/graph/bench-attack-{number}"},
        content=DATASET.format(iri=dataset, n=turn, org=ORG).encode(),
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"})


def _attacker(url: str, token: str, deadline: float, result: Run) -> None:
    """The hostile inputs in a loop, one at a time, until the innocents are done."""
    attacks = _attacks(token)
    with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        for attack in itertools.cycle(attacks):
            if time.monotonic() > deadline:
                return
            with contextlib.suppress(httpx.HTTPError):  # the attacker's are not measured
                attack(client)
            result.attacks += 1


def _attacks(token: str) -> list[Callable[[httpx.Client], object]]:
    laughs = (HOSTILE / "billion-laughs.rdf").read_bytes()
    blanks = b"<http://example.org/s> <http://example.org/p> (" + b"[]" * 1_000_000 + b") ."
    deep = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns:ex="http://example.org/">'
            + b'<rdf:Description><ex:p rdf:parseType="Resource">' * 20_000
            + b"</ex:p></rdf:Description>" * 20_000 + b"</rdf:RDF>")
    literal = b'<http://example.org/s> <http://example.org/p> "' + b"a" * (17 << 20) + b'" .'
    auth = {"Authorization": f"Bearer {token}"}
    turtle, xml = {"Content-Type": "text/turtle"}, {"Content-Type": "application/rdf+xml"}
    graph = {"graph": f"{workspace.BASE}/id/graph/attack"}
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    attacks: list[Callable[[httpx.Client], object]] = []
    for body, headers in ((laughs, xml), (blanks, turtle), (deep, xml), (literal, turtle)):
        attacks.append(lambda c, b=body, h=headers: c.post("/api/validate", content=b,
                                                           headers=h))
        attacks.append(lambda c, b=body, h=headers: c.put("/store", params=graph, content=b,
                                                          headers={**h, **auth}))
    attacks += [
        lambda c: c.get("/resource?uri=%FF"),
        lambda c: c.get("/resource", params={"uri": "http://x/a b"}),
        lambda c: c.get("/sparql", params={
            "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"}),
        lambda c: c.get("/sparql", params={
            "query": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE#x\n<http://[::1]/> "
                     "{ ?s ?p ?o } } }"}),
        *[lambda c, h=host: c.post("/validate", data={"url": f"http://{h}:1/x.ttl"})
          for host in ("127.0.0.1", "localhost", "[::1]", "2130706433", "0.0.0.0", "127.1")],
        *[lambda c, g=name: c.put("/store", params={"graph": g}, content=b"", headers={
            **turtle, **auth}) for name in ("urn:catalogue:graph:system/", "urn:", "http://")],
        lambda c: c.post("/validate", files={"text": (None, b"a" * (21 << 20))}),
        lambda c: c.get("/sparql", params={"query": runaway}),
    ]
    return attacks
