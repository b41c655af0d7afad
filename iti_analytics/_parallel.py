"""Work on a second core while the loader goes on: one helper thread per task.

Loading a large table spends most of its time in Arrow and numpy kernels,
which release the GIL, yet runs them one after the other on one core. A few
steps depend on nothing the next steps produce (finding identical rows,
reading serials, loading reference tables), so the loader starts them in a
helper thread and collects the answer where it used to compute it: the
output and its order are the same, only the wall time changes.

Small inputs are computed at once, in the calling thread: a thread costs
about 0.1 ms to start and would only add noise to a short load. Work whose
answer is collected last can run at a lower priority (``low=True``), so that
the work the others wait for gets the cores first. Nothing here changes
global state; an exception in the helper is raised again, unchanged, where
the result is collected.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from threading import Thread
from typing import Any, TypeVar

__all__ = ["PARALLEL_ROWS", "in_background"]

T = TypeVar("T")

#: tables of at least this many rows are worked on by two threads at once
PARALLEL_ROWS = 100_000
#: the nice value added to a helper started with ``low=True``
LOW_PRIORITY = 10


def in_background(
    fn: Callable[..., T], *args: Any, rows: int, low: bool = False, **kwargs: Any
) -> Future[T]:
    """``fn(*args, **kwargs)`` in a helper thread when ``rows`` is large.

    Parameters
    ----------
    fn : callable
        The work; it must only read its arguments (they are shared with the
        calling thread) and should spend its time in code that releases the
        GIL (Arrow, numpy).
    *args, **kwargs
        Passed to ``fn``.
    rows : int
        Size of the input: below :data:`PARALLEL_ROWS`, ``fn`` runs at once in
        the calling thread.
    low : bool, default False
        Run the helper at a lower priority (Linux: :data:`LOW_PRIORITY` added
        to its thread's nice value; elsewhere no change), for work whose answer
        is needed after the others': the operating system then gives the cores
        to the work on the critical path first. On the 22-column messy file,
        the loader's columns that the weapon pass does not read: 2.75 s
        against 2.54 s a million rows (``benchmarks/RESULTS.md``).

    Returns
    -------
    concurrent.futures.Future
        Its ``result()`` is ``fn``'s answer, or raises ``fn``'s exception.

    Examples
    --------
    >>> in_background(sum, [1, 2, 3], rows=3).result()
    6
    >>> in_background(sum, range(200_000), rows=200_000).result()
    19999900000
    """
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # raised again by future.result()
            future.set_exception(err)

    def helper() -> None:
        if low:  # the helper's own thread only: never the caller's
            _lower_priority()
        run()

    if rows < PARALLEL_ROWS:
        run()
    else:
        Thread(target=helper, name=f"iti-{getattr(fn, '__name__', 'work')}").start()
    return future


def _lower_priority() -> None:
    """Add :data:`LOW_PRIORITY` to this thread's nice value (Linux only).

    On Linux the nice value belongs to each thread, and ``setpriority`` with a
    thread's id changes that thread alone (``man 2 setpriority``, "Bugs");
    elsewhere it would change the whole process, so nothing is done.
    """
    if not sys.platform.startswith("linux"):
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(
            os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + LOW_PRIORITY
        )
    except OSError:  # pragma: no cover - a sandbox that forbids it
        pass
