"""Progress over the named steps of a long job, shown only on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

__all__ = ["steps"]


@contextmanager
def steps(
    names: Sequence[str], *, desc: str, enabled: bool | None = None
) -> Iterator[Callable[[str], None]]:
    """A tqdm bar over ``names``; call the yielded function as each step starts.

    Parameters
    ----------
    names : sequence of str
        The steps, in order (the bar's length).
    desc : str
        What the job is, shown before the bar.
    enabled : bool, optional
        Show the bar; by default only when standard error is a terminal (never
        in a log file, a pipe or a notebook cell's captured output).

    Yields
    ------
    callable
        ``step(name)``: the previous step is done, ``name`` starts.

    Examples
    --------
    >>> with steps(["read", "rank"], desc="Ranking", enabled=False) as step:
    ...     step("read")
    ...     step("rank")
    """
    if enabled is None:
        enabled = bool(getattr(sys.stderr, "isatty", lambda: False)())
    if not enabled:
        yield lambda name: None
        return
    from tqdm.auto import tqdm

    bar = tqdm(
        total=len(names),
        desc=desc,
        unit="step",
        leave=False,
        file=sys.stderr,
        bar_format="{desc}: {n_fmt}/{total_fmt}{postfix} [{elapsed}]",
    )
    started = [False]

    def step(name: str) -> None:
        if started[0]:
            bar.update(1)
        started[0] = True
        bar.set_postfix_str(name)

    try:
        yield step
    finally:
        bar.close()
