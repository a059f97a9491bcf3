"""The time budget: a stop ends the work at a checkpoint, or at once inside an interruptible
step, and never lands in the thread after it has left that step."""

from __future__ import annotations

import threading
import time

import pytest

from catalogue.errors import ClientGone, TimeLimit
from catalogue.ingest.rdf import parse_source
from catalogue.limits import Budget, checkpoint, interruptible
from catalogue.validation import find_profile, validate
from tests.web.test_bounds import CONCEPTS, SLOW_PROFILES


def in_thread(work: object, budget: Budget) -> tuple[threading.Thread, list[BaseException]]:
    caught: list[BaseException] = []

    def run() -> None:
        try:
            with budget.applied():
                work()  # type: ignore[operator]
        except BaseException as exc:  # the test looks at what arrived
            caught.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, caught


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_deadline_is_seen_at_a_checkpoint() -> None:
    with Budget(0.01).applied():
        time.sleep(0.05)
        with pytest.raises(TimeLimit, match=r"longer than 0\.01 s"):
            checkpoint()
    checkpoint()  # outside a budget: nothing to spend


def test_a_stop_interrupts_an_opaque_step_at_once() -> None:
    budget = Budget(None)

    def work() -> None:
        with interruptible():
            spin(60.0)

    thread, caught = in_thread(work, budget)
    time.sleep(0.2)
    budget.stop(ClientGone("gone"))
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert [type(exc) for exc in caught] == [ClientGone]


def test_a_stop_after_the_step_does_not_land_later() -> None:
    budget = Budget(None)
    left = threading.Event()

    def work() -> None:
        with interruptible():
            pass
        left.set()
        spin(0.5)  # a stop now may only show at the next checkpoint, not in here

    thread, caught = in_thread(work, budget)
    left.wait(timeout=30)
    budget.stop(ClientGone("gone"))
    thread.join(timeout=30)
    assert caught == []


def test_a_validation_stopped_inside_pyshacl_ends_and_the_next_one_works() -> None:
    profile = find_profile("slow-sparql", SLOW_PROFILES)
    graphs = parse_source(CONCEPTS, name="c.ttl", uri="urn:c", graph="c").graphs
    budget = Budget(1.0)

    def work() -> None:
        validate(graphs, profile)

    thread, caught = in_thread(work, budget)
    time.sleep(2.0)  # past the deadline: no checkpoint comes before pyshacl is done
    budget.stop(TimeLimit.after(1.0))
    thread.join(timeout=60)  # the whole validation takes minutes
    assert not thread.is_alive()
    assert [type(exc) for exc in caught] == [TimeLimit]
    same_label = b":c9 a skos:Concept ; skos:prefLabel 'B1'@nl ; skos:inScheme :s ."
    small = parse_source(b"\n".join([*CONCEPTS.splitlines()[:4], same_label]),
                         name="s.ttl", uri="urn:s", graph="s").graphs
    report = validate(small, profile)
    assert report.triples == 11
    assert sorted(r.focus for r in report.results) == [
        "http://example.org/c1", "http://example.org/c9"]
