"""Bounds on the work one request or command may cause: the sizes a parser counts as it goes
(`Limits`), and a time `Budget` that a watcher can spend early (deadline passed, client gone).

Long work calls `checkpoint()` between steps. A step that is one opaque call into a library
(pyshacl's run) goes inside `interruptible()`: there a stop raises at once in the working thread.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType

from catalogue.errors import CatalogueError, TimeLimit

MEBIBYTE = 1024 * 1024
MAX_TRIPLES = 500_000
MAX_NESTING = 100
MAX_TERM_BYTES = 4 * MEBIBYTE
# The largest page, offset or version number a request may name (422 past it): no catalogue has
# more, and past 2**63 SQLite cannot even hold the number (a 500 the fuzz test found).
MAX_NUMBER = 1_000_000_000


@dataclass(frozen=True)
class Limits:
    """How much one source may hold; None is no limit. The defaults are the settings' defaults.

    >>> Limits(triples=None).nesting
    100
    """

    triples: int | None = MAX_TRIPLES
    nesting: int | None = MAX_NESTING
    term_bytes: int | None = MAX_TERM_BYTES

    @classmethod
    def none(cls) -> Limits:
        return cls(triples=None, nesting=None, term_bytes=None)


# Defaults for a request body, and for a file the operator names (no triple limit).
REQUEST_LIMITS = Limits()
FILE_LIMITS = Limits(triples=None)


class WorkStopped(BaseException):
    """Raised inside an interruptible step when its budget is stopped. A BaseException, so that
    a library's `except Exception` cannot swallow it; turned into the budget's reason on exit."""


_CURRENT: ContextVar[Budget | None] = ContextVar("catalogue_budget", default=None)


class Budget:
    """The time one piece of work may take, and whether it was stopped (from any thread)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.reason: CatalogueError | None = None
        self._mutex = threading.Lock()
        self._inside: int | None = None  # the thread in an interruptible step, if any
        self._injected = False

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def stop(self, reason: CatalogueError) -> None:
        """Stop the work: at its next checkpoint, or at once when it is in an interruptible step."""
        with self._mutex:
            if self.reason is None:
                self.reason = reason
            if self._inside is not None and not self._injected:
                self._injected = True  # at most once, so no stray exception lands later
                _raise_in(self._inside, WorkStopped)

    def check(self) -> None:
        if self.reason is None and self.expired():
            assert self.seconds is not None
            self.reason = TimeLimit.after(self.seconds)
        if self.reason is not None:
            raise self.reason

    @contextmanager
    def applied(self) -> Iterator[Budget]:
        """Make this the budget `checkpoint()` and `interruptible()` see in this context."""
        token = _CURRENT.set(self)
        try:
            yield self
        except WorkStopped:
            raise self._why() from None
        finally:
            _CURRENT.reset(token)

    def _why(self) -> CatalogueError:
        return self.reason or TimeLimit("the work was stopped")


class _Interruptible:
    """The working thread's side of `Budget.stop`: while inside, a stop raises WorkStopped in it.
    Leaving clears an exception not delivered yet, under the same mutex `stop` injects under."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget

    def __enter__(self) -> None:
        self.budget.check()
        with self.budget._mutex:
            self.budget._inside = threading.get_ident()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        budget = self.budget
        with budget._mutex:
            budget._inside = None
            if budget._injected:
                _raise_in(threading.get_ident(), None)
        if isinstance(exc, WorkStopped) or budget._injected:
            raise budget._why() from None


def checkpoint() -> None:
    """Raise the current budget's reason when it is spent or stopped; else nothing."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.check()


def interruptible() -> _Interruptible | _Nothing:
    """A context for one long opaque call that a stop may interrupt at any Python instruction.
    Only for calls whose partial state is thrown away when they are interrupted."""
    budget = _CURRENT.get()
    return _Nothing() if budget is None else _Interruptible(budget)


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _raise_in(thread: int, kind: type[BaseException] | None) -> None:
    """Ask CPython to raise `kind` in `thread` at its next instruction (None: forget the ask)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(kind) if kind is not None else None
    )
