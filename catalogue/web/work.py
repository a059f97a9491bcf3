"""The heavy part of a request (parse, validate, write) in a worker thread, within a time budget,
and stopped when the client hangs up: the event loop watches both while the thread works."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from catalogue.errors import ClientGone, TimeLimit
from catalogue.limits import Budget

P = ParamSpec("P")
T = TypeVar("T")

_WATCH_EVERY = 0.2  # seconds between two looks at the clock and the connection


async def bounded(request: Request, seconds: float, func: Callable[P, T],
                  *args: P.args, **kwargs: P.kwargs) -> T:
    """func(*args, **kwargs) in a thread; TimeLimit (503) past `seconds`, ClientGone when the
    client disconnects. Either stops the work itself, not only the wait for it."""
    budget = Budget(seconds)

    def work() -> T:
        with budget.applied():
            return func(*args, **kwargs)

    task = asyncio.ensure_future(run_in_threadpool(work))
    while not task.done():
        await asyncio.wait({task}, timeout=_WATCH_EVERY)
        if task.done():
            break
        if await request.is_disconnected():
            budget.stop(ClientGone("the client closed the connection; its work was stopped"))
        elif budget.expired():
            budget.stop(TimeLimit.after(seconds))
    return task.result()
