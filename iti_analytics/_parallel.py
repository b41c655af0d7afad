"""Work on a second core while the loader goes on: one helper thread per task.

Loading a large table spends most of its time in Arrow and numpy kernels,
which release the GIL, yet runs them one after the other on one core. A few
steps depend on nothing the next steps produce (finding identical rows,
reading serials, loading reference tables), so the loader starts them in a
helper thread and collects the answer where it used to compute it: the
output and its order are the same, only the wall time changes.

Small inputs are computed at once, in the calling thread: a thread costs
about 0.1 ms to start and would only add noise to a short load. Nothing here
changes global state; an exception in the helper is raised again, unchanged,
where the result is collected.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from threading import Thread
from typing import Any, TypeVar

__all__ = ["PARALLEL_ROWS", "in_background"]

T = TypeVar("T")

#: tables of at least this many rows are worked on by two threads at once
PARALLEL_ROWS = 100_000


def in_background(
    fn: Callable[..., T], *args: Any, rows: int, **kwargs: Any
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

    if rows < PARALLEL_ROWS:
        run()
    else:
        Thread(target=run, name=f"iti-{getattr(fn, '__name__', 'work')}").start()
    return future
