"""Reads that go ahead beside a page's other reads. On a remote store each query is a request
that mostly waits for the server: a dataset page's requests, made one after another, added up
to about four times the embedded store's page on Virtuoso (issue 15). Made at once they
overlap. The embedded store is read in place, where threads would only add switching, so
there everything runs in the caller's thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from catalogue.store.base import Store
from catalogue.store.embedded import EmbeddedStore

A = TypeVar("A")

# Two pools, so that no thread waits for work queued behind it: work that goes ahead (a relation
# picture) may itself make reads at once; a read is one request and waits for no pool. Bounded:
# past these, work waits its turn.
_AHEAD = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ahead")
_READS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="reads")


def overlaps(store: Store) -> bool:
    """Whether reads of `store` gain from going at once (a remote store's do)."""
    return not isinstance(store, EmbeddedStore)


def soon(store: Store, work: Callable[[], A]) -> Callable[[], A]:
    """`work` started now in a thread of its own (on a store whose reads overlap), or later in
    the caller's (embedded); call the result for its value, or its exception."""
    if not overlaps(store):
        return work
    future: Future[A] = _AHEAD.submit(work)
    return future.result


def at_once(store: Store, reads: Sequence[Callable[[], A]]) -> list[A]:
    """Every read's result, in order; on a store whose reads overlap all but the first go
    ahead in threads while the first is made."""
    if not overlaps(store):
        return [read() for read in reads]
    later = [_READS.submit(read) for read in reads[1:]]
    return [read() for read in reads[:1]] + [future.result() for future in later]
