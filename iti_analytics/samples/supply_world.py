"""A second synthetic world, built on other assumptions than :func:`generate_world`.

:func:`generate_supply_world` returns the same :class:`World` as
:func:`~iti_analytics.samples.generate_world` (``world.dataset``, ``world.truth``
and the hidden entities), so that selection strategies, linkage and indicators
can be checked on a world they were not tuned on. Every assumption below was
chosen on purpose to differ from the first generator; none of the package's
tracing heuristics is used to decide what is traceable.

How this world differs from :func:`generate_world`
--------------------------------------------------
Region
    Latin America and the Caribbean (Brazil, Mexico, Colombia, Venezuela,
    Ecuador, Peru, Paraguay, Honduras, El Salvador, Haiti, Jamaica, Dominican
    Republic), with the United States as a source of stolen dealer stock; the
    first world is West Africa and the Sahel. Places are read from
    ``samples/data/supply_places.csv``, makes and models from
    ``supply_models.csv``, legal holders from ``supply_holders.csv``.
Diversion points (``truth.diversion_point``)
    Five kinds: ``stockpile_leak`` (an army or police armoury losing weapons to
    theft or loss), ``embezzlement`` (state stocks sold off from the inside),
    ``battlefield_capture`` (an armed group taking a unit's weapons),
    ``dealer_theft`` (burglaries and straw purchases at licensed dealers) and
    ``civilian_loss`` (a private owner's gun lost or stolen). Their sizes (the
    items later recorded) follow a Pareto law of tail index ``pareto_alpha``
    (1.0 by default, Zipf-like: about half the points leak a single item, a
    few leak hundreds; at most 4 % of the records come from one point) — the
    first world draws a count of points per kind and log-normal
    batch sizes. The kind depends on the size: single items are mostly private
    and dealer losses, large points mostly state stocks.
Batches (``truth.batch_id``)
    Each point leaks about ``size ** 0.45`` batches of very uneven size; a
    batch is one make, model and production year with consecutive serial
    numbers (gaps where an item was never recovered). Half the batches of a
    point repeat its main model (one army, one rifle). Armies hold military
    models, police forces service pistols and sub-machine guns, dealers and
    private owners civilian models; makes of the holder's own country are
    favoured (IMBEL and Taurus in Brazil, Indumil in Colombia).
Receivers and seizures
    A batch is split among ``1 + Poisson(0.8 log(1 + size))`` receivers
    (armed groups, criminal groups, trafficking rings, or a new individual
    each time); most stay in the point's country, dealer stock from the United
    States goes mostly to Mexico and the Caribbean. Each receiver's items are
    recovered after Lomax (Pareto II) delays and grouped into seizures by
    receiver and time, so one batch ends in several seizures, places and years
    — the first world sends a batch to one or two receivers and draws
    log-normal delays.
Statuses and records
    ``seized``; ``found`` (caches); ``captured`` by the armed forces (written
    ``seized`` with ``setting == "conflict"`` when the schema has no
    ``captured`` status; ``truth.true_status`` always says which);
    ``surrendered`` under amnesty (civilian guns, most never diverted);
    ``lost`` and ``stolen`` reports filed by the legal holder on the day of
    diversion (about half of them for items later recovered, the same
    ``true_weapon_id``); police and army service weapons logged after
    interventions (a known registered owner, never diverted: their trace is a
    domestic record check that reveals no diversion point); craft weapons (no
    make, no serial) and converted blank-firing pistols. Serials are intact,
    obliterated (more often with criminal groups), partial (``??``) or
    placeholders entered by a clerk (``0``, ``000000``, ``SN``, ``123456``).
    About 4 % of recorded countries of manufacture are the seizing country
    instead of the make's.
Past traces (``world.dataset.traces``)
    Few: ``past_trace_share`` of the item records (3 % by default; the first
    world traces about one weapon in seven). Each requested foreign party has
    its own behaviour drawn from the seed (the first world reads fixed rates
    per party from a table): a share ``never_answer_share`` never answers, the
    others answer a share of requests drawn from Beta(2, 2), refuse some
    batches, and take Lomax-distributed (heavy-tailed) delays around their own
    median. A request to the seizing state itself (a domestic record check, e.g.
    a Brazilian make seized in Brazil) is answered nine times in ten.
Truth model
    What a trace request would return is decided here, from the item's
    markings (no usable serial: ``incomplete_request``; placeholder:
    ``record_not_found``), the party (``pending`` if it never answers the
    request, ``refused``), the batch (records kept or not — old and Cold War
    production less often —, an export chain broken at a third state:
    ``partially_traced``) and the kind of item (converted pistols:
    ``not_traced``). ``reveals_diversion_point`` is true only for a ``traced``
    answer about an item that was really diverted: a service weapon or an
    amnesty gun traced to its lawful owner reveals nothing.

The truth table
---------------
One row per record, in the order of ``world.dataset.items``: ``record_id``,
``source``, ``true_weapon_id``, ``repeat_report`` (always false here),
``batch_id``, ``diversion_point``, ``diversion_kind``, ``diversion_country``,
``diversion_year``, ``diversion_mode``, ``last_legal_holder``, ``network_id``,
``network_type`` (``armed_group``, ``criminal_group``, ``trafficking``,
``individual``), ``true_actor_id``, ``true_make``, ``true_model``,
``true_serial``, ``true_country_of_manufacture``, ``true_year_of_manufacture``,
``serial_error`` (the recorded serial is a placeholder), ``true_status``,
``registered_owner`` and ``owner_type`` (service weapons and the holders of
lost and stolen reports), ``trace_party``, ``trace_party_type``,
``trace_outcome`` and ``reveals_diversion_point``.

Examples
--------
>>> from iti_analytics.samples import generate_supply_world
>>> w = generate_supply_world(2000, seed=1)
>>> len(w.dataset.items), w.truth["record_id"].equals(w.dataset.items["record_id"])
(2000, True)
>>> sorted(w.diversion_points["kind"].unique())  # doctest: +NORMALIZE_WHITESPACE
['battlefield_capture', 'civilian_loss', 'dealer_theft', 'embezzlement',
 'stockpile_leak']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import InvalidParameterError
from ._supply.common import DIVERSION_KINDS

__all__ = ["generate_supply_world", "DIVERSION_KINDS"]


def _check(n_items, seed, past_trace_share, pareto_alpha, never_answer_share, period):
    if isinstance(n_items, bool) or not isinstance(n_items, int) or n_items < 100:
        raise InvalidParameterError(
            f"`n_items` must be an integer of at least 100, but {n_items!r} was passed."
        )
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int) or seed < 0
    ):
        raise InvalidParameterError(
            f"`seed` must be None or a non-negative integer, but {seed!r} was passed."
        )
    for name, value, low, high in (
        ("past_trace_share", past_trace_share, 0.0, 0.5),
        ("never_answer_share", never_answer_share, 0.0, 1.0),
        ("pareto_alpha", pareto_alpha, 0.5, 5.0),
    ):
        if not isinstance(value, int | float) or not low <= value <= high:
            raise InvalidParameterError(
                f"`{name}` must be a number between {low} and {high}, but "
                f"{value!r} was passed."
            )
    try:
        start, end = (pd.Timestamp(d) for d in period)
    except (TypeError, ValueError) as err:
        raise InvalidParameterError(
            f"`start` and `end` must be dates such as '2015-01-01', but "
            f"{period[0]!r} and {period[1]!r} were passed."
        ) from err
    if not pd.Timestamp("1990-01-01") <= start < end or (end - start).days < 365:
        raise InvalidParameterError(
            f"The period from `start` {period[0]!r} to `end` {period[1]!r} must run "
            "forwards, last at least a year and start after 1990."
        )
    return start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")


def generate_supply_world(
    n_items: int = 20_000,
    *,
    seed: int | None = None,
    past_trace_share: float = 0.03,
    pareto_alpha: float = 1.0,
    never_answer_share: float = 0.25,
    start: str = "2015-01-01",
    end: str = "2024-12-31",
):
    """Build a world of leaking stocks, split batches, seizures and few traces.

    Parameters
    ----------
    n_items : int, default 20000
        Number of item records (at least 100).
    seed : int, optional
        Seed of the random generator: the same seed gives the same world. None
        draws one; it is kept in ``world.seed``.
    past_trace_share : float, default 0.03
        Share of the item records with a past trace request (0 to 0.5).
    pareto_alpha : float, default 1.0
        Tail index of the sizes of diversion points: smaller means fewer
        points, a few of which supply more of the items (0.8 gives about half
        as many points as 1.15, and more items per revealed point).
    never_answer_share : float, default 0.25
        Share of the requested parties that never answer a trace request.
    start, end : str, default "2015-01-01", "2024-12-31"
        Recovery period (at least a year).

    Returns
    -------
    World
        The same shape as :func:`~iti_analytics.samples.generate_world`'s:
        ``world.dataset`` with items, traces, actors and movements,
        ``world.truth`` (see the module documentation) and the hidden tables
        ``diversion_points``, ``batches``, ``networks``, ``actor_truth``.
        (:meth:`World.write_sources` renders the West Africa agencies' files
        and writes nothing useful for this world.)

    Raises
    ------
    InvalidParameterError
        ``n_items`` below 100, a negative seed, a share or tail index out of
        range, or an unusable period.

    Notes
    -----
    Vectorised: 20,000 items take about a second, 1,000,000 well under a
    minute.

    Examples
    --------
    >>> w = generate_supply_world(3000, seed=4)
    >>> t = w.truth
    >>> # every batch is one make and model
    >>> int(t.dropna(subset=["batch_id"]).groupby("batch_id")["true_model"]
    ...     .nunique().max())
    1
    >>> # service weapons have a registered owner and no diversion point
    >>> service = t["registered_owner"].notna()
    >>> bool(t.loc[service, "diversion_point"].isna().all())
    True
    """
    start, end = _check(
        n_items, seed, past_trace_share, pareto_alpha, never_answer_share, (start, end)
    )
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**32))
    from ..dataset import Dataset
    from . import World
    from ._supply.builder import SupplyWorld

    tables = SupplyWorld(
        n_items,
        seed,
        start=start,
        end=end,
        past_trace_share=float(past_trace_share),
        pareto_alpha=float(pareto_alpha),
        never_answer_share=float(never_answer_share),
    ).build()
    dataset = Dataset(
        items=tables["items"],
        traces=tables["traces"],
        actors=tables["actors"],
        movements=tables["movements"],
        validate=n_items <= 50_000,
    )
    return World(
        dataset=dataset,
        truth=tables["truth"],
        diversion_points=tables["diversion_points"],
        batches=tables["batches"],
        networks=tables["networks"],
        actor_truth=tables["actor_truth"],
        seed=seed,
        n_items=n_items,
        start=start,
        end=end,
    )
