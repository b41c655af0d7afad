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
    (1.15 by default: about half the points leak a single item, a few leak
    hundreds) — the first world draws a count of points per kind and log-normal
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
    world traces about one weapon in seven). Each requested party has its own
    behaviour drawn from the seed: a share ``never_answer_share`` never
    answers, the others answer a share of requests drawn from Beta(2, 2), refuse
    some batches, and take Lomax-distributed (heavy-tailed) delays around their
    own median.
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

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from .. import schema
from ..exceptions import InvalidParameterError

__all__ = ["generate_supply_world", "DIVERSION_KINDS"]

#: kinds of diversion point, in the order of the size-dependent weights below.
DIVERSION_KINDS = (
    "stockpile_leak",
    "embezzlement",
    "battlefield_capture",
    "dealer_theft",
    "civilian_loss",
)
_KIND_ABBREVIATION = ("STK", "EMB", "CAP", "DLR", "CIV")
#: kind weights for a point leaking one item, and for one leaking 50 or more.
_KIND_WEIGHT_SMALL = np.array([0.12, 0.03, 0.02, 0.33, 0.50])
_KIND_WEIGHT_LARGE = np.array([0.34, 0.28, 0.16, 0.20, 0.02])

#: shares of the records that are not seizures of diverted industrial weapons.
_REPORT_SHARE = 0.03
_SERVICE_SHARE = 0.04
_CRAFT_SHARE = 0.05
_CONVERTED_SHARE = 0.02
_AMNESTY_SHARE = 0.06
#: share of amnesty guns that were diverted before being handed in.
_AMNESTY_DIVERTED = 0.0

_RECEIVER_TYPES = ("armed_group", "criminal_group", "trafficking", "individual")
#: receiver type weights for military and for civilian stock.
_RECEIVER_MILITARY = np.array([0.35, 0.35, 0.2, 0.1])
_RECEIVER_CIVILIAN = np.array([0.02, 0.43, 0.25, 0.3])
#: countries where armed groups operate in this world.
_ARMED_GROUP_COUNTRIES = ("COL", "VEN", "MEX", "ECU", "HTI", "PER")
_PLACEHOLDER_SERIALS = ("0", "000000", "SN", "123456", "1", "00000000")
#: probability that a country marks the imports of its dealers and forces.
_IMPORT_MARKING = {"USA": 0.9, "BRA": 0.5, "COL": 0.5, "MEX": 0.3}
_SOURCES = ("police", "armed_forces", "customs", "firearms_registry", "amnesty")
_SOURCE_PREFIX = ("POL", "ARM", "CUS", "REG", "AMN")
_AGENCIES = (
    "National Police",
    "Armed Forces",
    "Customs",
    "Firearms Registry",
    "Amnesty programme",
)
_FIRST_NAMES = (
    "José João Carlos Luis Juan Miguel Pedro Jorge Andrés Diego Marcos Rafael "
    "Ana María Luz Carmen Rosa Paula Jean Marie Kevin Andre"
).split()
_LAST_NAMES = (
    "Silva Santos Oliveira Souza Pereira García Rodríguez Martínez López "
    "Hernández González Pérez Sánchez Ramírez Torres Flores Rivera Gómez Díaz "
    "Cruz Morales Ortiz Castillo Jiménez Vargas Ramos Pierre Joseph Brown Campbell"
).split()
_GROUP_WORDS = (
    "Norte Sur Leste Oeste Rojo Negro Azul Verde Costa Sierra Valle Frontera "
    "Puerto Nueva Real Alto Bajo Unido Central Libre"
).split()


# ---------------------------------------------------------------------------
# catalogues


@cache
def _data(name: str) -> pd.DataFrame:
    path = resources.files(__package__).joinpath("data", f"{name}.csv")
    with resources.as_file(path) as p:
        return pd.read_csv(p, keep_default_na=False, na_values=[""])


def _models() -> pd.DataFrame:
    return _data("supply_models").copy()


def _places() -> pd.DataFrame:
    return _data("supply_places").copy()


def _holders() -> pd.DataFrame:
    return _data("supply_holders").copy()


# ---------------------------------------------------------------------------
# small vectorised helpers


def _draw(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights``."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right").clip(
        0, len(cdf) - 1
    )


def _draw_rows(rng: np.random.Generator, cumulative: np.ndarray) -> np.ndarray:
    """One index per row of ``cumulative`` (rows of cumulative weights)."""
    u = rng.random(len(cumulative)) * cumulative[:, -1]
    return (cumulative < u[:, None]).sum(axis=1)


def _draw_in_groups(
    rng: np.random.Generator,
    candidate_group: np.ndarray,
    candidate_weight: np.ndarray,
    wanted_group: np.ndarray,
) -> np.ndarray:
    """For each wanted group, one candidate of that group drawn by weight (-1: none)."""
    order = np.argsort(candidate_group, kind="stable")
    group = candidate_group[order]
    cumulative = np.cumsum(candidate_weight[order].astype(float))
    first = np.searchsorted(group, wanted_group, side="left")
    last = np.searchsorted(group, wanted_group, side="right")
    present = last > first
    low = np.where(first > 0, cumulative[np.maximum(first - 1, 0)], 0.0)
    high = cumulative[np.maximum(last - 1, 0)]
    target = low + rng.random(len(wanted_group)) * (high - low)
    pick = np.searchsorted(cumulative, target, side="right")
    pick = np.clip(pick, first, np.maximum(last - 1, first))
    return np.where(present, order[np.minimum(pick, len(order) - 1)], -1)


def _lomax(rng: np.random.Generator, shape: float | np.ndarray, scale, size: int):
    """Heavy-tailed positive delays (Pareto II): ``scale * Lomax(shape)``."""
    return scale * rng.pareto(shape, size)


def _rank_in_group(group: np.ndarray) -> np.ndarray:
    """0, 1, 2 … within each run of equal values of a sorted array."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.r_[True, group[1:] != group[:-1]]
    first_position = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    return np.arange(n) - first_position


def _day(date: str) -> int:
    return int(pd.Timestamp(date).to_datetime64().astype("datetime64[D]").astype(int))


def _year(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _year_start(year: np.ndarray) -> np.ndarray:
    return (
        (np.asarray(year) - 1970)
        .astype("datetime64[Y]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def _numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return (
        prefix + pd.Series(numbers, dtype="int64").astype(str).str.zfill(width)
    ).to_numpy(dtype=object)


def _text(labels, codes: np.ndarray) -> np.ndarray:
    """``labels[codes]`` as objects, None where ``codes`` is negative."""
    labels = np.asarray(list(labels) + [None], dtype=object)
    codes = np.asarray(codes)
    return labels[np.where(codes >= 0, codes, len(labels) - 1)]


# ---------------------------------------------------------------------------
# the world


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
    pareto_alpha: float = 1.15,
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
    pareto_alpha : float, default 1.15
        Tail index of the sizes of diversion points: smaller means a few
        points supply more of the items.
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

    tables = _SupplyWorld(
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


class _SupplyWorld:
    """Builds the tables step by step; each method adds one entity."""

    def __init__(self, n_items, seed, *, start, end, **options) -> None:
        self.rng = np.random.default_rng([seed, 2])
        self.n_items = n_items
        self.start_day, self.end_day = _day(start), _day(end)
        self.options = options
        self.models = _models()
        self.places = _places()
        self.holders = _holders()
        self.place_countries = np.array(sorted(self.places["country"].unique()))
        statuses = schema.VOCABULARIES[("items", "status")]
        self.has_captured = "captured" in statuses
        item_columns = schema.columns("items")
        self.has_owner = {"registered_owner", "owner_type"} <= set(item_columns)

    # -- budget --------------------------------------------------------------

    def build(self) -> dict:
        n = self.n_items
        self.n_reports = round(_REPORT_SHARE * n)
        self.n_service = round(_SERVICE_SHARE * n)
        self.n_craft = round(_CRAFT_SHARE * n)
        self.n_converted = round(_CONVERTED_SHARE * n)
        self.n_amnesty = round(_AMNESTY_SHARE * n)
        self.n_diverted = (
            n
            - self.n_reports
            - self.n_service
            - self.n_craft
            - self.n_converted
            - self.n_amnesty
        )
        self._diversion_points()
        self._batches()
        self._actors()
        self._diverted_items()
        self._seizures()
        self._diverted = self._diverted_records()
        self._next_physical = len(self._diverted)
        self._next_event = len(self.events)
        records = pd.concat(
            [
                self._diverted,
                self._report_records(),
                self._service_records(),
                self._craft_and_converted_records(),
                self._amnesty_records(),
            ],
            ignore_index=True,
        )
        records = self._markings(records)
        records = self._identify(records)
        records = self._trace_truth(records)
        traces = self._past_traces(records)
        return self._tables(records, traces)

    # -- diversion points ----------------------------------------------------

    def _diversion_points(self) -> None:
        rng, n = self.rng, self.n_diverted
        cap = max(20, int(0.04 * n))
        sizes = np.minimum(
            np.floor(rng.pareto(self.options["pareto_alpha"], n) + 1), cap
        )
        total = np.cumsum(sizes)
        count = int(np.searchsorted(total, n)) + 1
        sizes = sizes[:count].astype(np.int64)
        sizes[-1] -= int(total[count - 1]) - n
        # the kind depends on the size: large points are state stocks
        t = np.clip(np.log(sizes) / np.log(50), 0, 1)[:, None]
        weights = (1 - t) * _KIND_WEIGHT_SMALL + t * _KIND_WEIGHT_LARGE
        kind = _draw_rows(rng, np.cumsum(weights, axis=1))
        # holder and country from the holders catalogue of that kind
        holders = self.holders
        holder_kind = holders["kind"].map({k: i for i, k in enumerate(DIVERSION_KINDS)})
        holder = _draw_in_groups(
            rng,
            holder_kind.to_numpy(),
            holders["weight"].to_numpy(float),
            kind,
        )
        country = holders["country"].to_numpy(dtype=object)[holder]
        owner_type = holders["owner_type"].to_numpy(dtype=object)[holder]
        name = holders["holder"].to_numpy(dtype=object)[holder]
        # dealers and private owners get a number of their own
        private = np.isin(owner_type, ["dealer", "civilian"])
        number = pd.Series(np.where(private, 1, 0)).groupby(country).cumsum().to_numpy()
        label = np.where(
            private,
            name + " " + country + "-" + pd.Series(number).astype(str).str.zfill(4),
            name + " (" + country + ")",
        )
        # when: a start day, and how long the point leaks
        first_day = rng.integers(self.start_day - 8 * 365, self.end_day - 60, count)
        long_leak = np.isin(kind, [0, 1]) | ((kind == 3) & (sizes >= 10))
        duration = np.where(
            long_leak, np.minimum(_lomax(rng, 1.5, 300.0, count), 6 * 365), 1
        ).astype(np.int64)
        last_day = np.minimum(first_day + duration, self.end_day - 30)
        mode_draw = rng.random(count)
        mode = np.select(
            [
                kind == 1,
                kind == 2,
                (kind == 3) & (mode_draw < 0.25),
                (kind == 4) & (mode_draw < 0.4),
                (kind == 0) & (mode_draw < 0.35),
            ],
            ["embezzlement", "battlefield_capture", "other", "loss", "loss"],
            "theft",
        )
        self.points = pd.DataFrame(
            {
                "kind": kind,
                "size": sizes,
                "country": country,
                "holder": label,
                "owner_type": owner_type,
                "mode": mode,
                "first_day": first_day,
                "last_day": last_day,
            }
        )

    # -- batches -------------------------------------------------------------

    def _model_pool(self, owner_type: np.ndarray) -> np.ndarray:
        """Which catalogue ``use`` a holder's batch comes from (per batch)."""
        u = self.rng.random(len(owner_type))
        return np.select(
            [
                (owner_type == "army") & (u < 0.85),
                owner_type == "army",
                (owner_type == "police") & (u < 0.7),
                owner_type == "police",
            ],
            ["military", "police", "police", "military"],
            "civilian",
        )

    def _batches(self) -> None:
        rng, points, models = self.rng, self.points, self.models
        count = len(points)
        sizes = points["size"].to_numpy()
        n_batches = np.maximum(
            1,
            np.minimum(sizes, np.round(sizes**0.45 * rng.uniform(0.5, 1.5, count))),
        ).astype(np.int64)
        # items of each point, spread unevenly over its batches
        item_point = np.repeat(np.arange(count), sizes)
        local = np.floor(n_batches[item_point] * rng.random(len(item_point)) ** 1.6)
        offset = np.r_[0, np.cumsum(n_batches)[:-1]]
        raw_batch = offset[item_point] + local.astype(np.int64)
        used, item_batch = np.unique(raw_batch, return_inverse=True)
        batch_point = np.repeat(np.arange(count), n_batches)[used]
        n = len(used)
        owner = points["owner_type"].to_numpy(dtype=object)[batch_point]
        country = points["country"].to_numpy(dtype=object)[batch_point]
        pool = self._model_pool(owner)
        # candidates: the model's use; makes of the holder's country weigh 4x
        key = pd.Series(pool + "|" + country)
        model_use = models["use"].to_numpy(dtype=object)
        model_country = models["country"].to_numpy(dtype=object)
        model_weight = models["weight"].to_numpy(float)
        model = np.empty(n, dtype=np.int64)
        for combination, rows in key.groupby(key).groups.items():
            use, holder_country = combination.split("|")
            weights = np.where(model_use == use, model_weight, 0.0)
            weights = weights * np.where(model_country == holder_country, 4.0, 1.0)
            model[rows.to_numpy()] = _draw(rng, weights, len(rows))
        # half the batches of a point repeat its main model
        main = pd.Series(model).groupby(batch_point).transform("first").to_numpy()
        model = np.where(rng.random(n) < 0.5, main, model)
        # when the batch left legal hands
        first_day = points["first_day"].to_numpy()[batch_point]
        last_day = points["last_day"].to_numpy()[batch_point]
        diverted = first_day + np.floor(
            rng.random(n) * (last_day - first_day + 1)
        ).astype(np.int64)
        first_year = models["first_year"].to_numpy()[model]
        last_year = models["last_year"].to_numpy()[model]
        too_early = _year(diverted) < first_year
        diverted = np.where(
            too_early,
            np.minimum(
                _year_start(first_year) + rng.integers(0, 365, n), self.end_day - 30
            ),
            diverted,
        )
        diverted_year = _year(diverted)
        newest = np.minimum(last_year, diverted_year)
        # dealers sell new guns; state stocks are of any age
        fresh = np.isin(owner, ["dealer"])
        age = np.where(
            fresh,
            rng.geometric(0.5, n) - 1,
            np.floor(rng.random(n) * (newest - first_year + 1)).astype(np.int64),
        )
        year = np.maximum(newest - age, first_year)
        # serial numbers: a prefix, a batch letter for some makes, digits
        digits = models["serial_digits"].to_numpy()[model]
        prefix = models["serial_prefix"].fillna("").to_numpy(dtype=object)[model]
        letter = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"), dtype=object)[
            rng.integers(0, 23, n)
        ]
        prefix = np.where(rng.random(n) < 0.4, prefix + letter, prefix)
        items_in_batch = np.bincount(item_batch, minlength=n)
        room = 10 ** digits.astype(float) - 10 ** (digits - 1.0) - 4 * items_in_batch
        first_number = (
            10 ** (digits - 1.0) + np.floor(rng.random(n) * np.maximum(room, 1))
        ).astype(np.int64)
        # records of the batch at the exporter or the holder: the truth model
        made_in = self._country_of_manufacture(model, year)
        record_kept_p = np.where(year < 1990, 0.45, 0.88)
        record_kept_p = np.where(
            np.isin(made_in, ["SUN", "YUG", "CSK", "DDR"]), 0.3, record_kept_p
        )
        foreign = models["country"].to_numpy(dtype=object)[model] != country
        import_p = pd.Series(country).map(_IMPORT_MARKING).fillna(0.2).to_numpy()
        self.batches = pd.DataFrame(
            {
                "point": batch_point,
                "model": model,
                "year": year,
                "diverted_day": diverted,
                "country_of_manufacture": made_in,
                "serial_prefix": prefix,
                "serial_digits": digits,
                "first_number": first_number,
                "import_marked": foreign & (rng.random(n) < import_p),
                "record_kept": rng.random(n) < record_kept_p,
                # exported through a third state that does not answer for it
                "chain_broken": foreign & (rng.random(n) < 0.15),
                "refusal_draw": rng.random(n),
                "n_split": 1
                + rng.poisson(0.8 * np.log1p(items_in_batch)).clip(
                    0, np.maximum(items_in_batch - 1, 0)
                ),
            }
        )
        self.item_batch = item_batch

    def _country_of_manufacture(self, model: np.ndarray, year: np.ndarray):
        models = self.models
        historic = models["historic_country"].to_numpy(dtype=object)[model]
        until = models["historic_until"].fillna(0).to_numpy()[model]
        modern = models["country"].to_numpy(dtype=object)[model]
        return np.where(pd.notna(historic) & (year < until), historic, modern)

    # -- receivers -----------------------------------------------------------

    def _actors(self) -> None:
        rng = self.rng
        countries = self.place_countries
        weight = self.places.groupby("country")["weight"].sum().reindex(countries)
        n_groups = max(40, self.n_items // 60)
        group_country = countries[_draw(rng, weight.to_numpy(float), n_groups)]
        kind = _draw(rng, np.array([0.2, 0.55, 0.25]), n_groups)
        armed_ok = np.isin(group_country, _ARMED_GROUP_COUNTRIES)
        kind = np.where((kind == 0) & ~armed_ok, 1, kind)
        # at least one group of each kind where it can exist
        for k, (country, kind_code) in enumerate(
            [(c, 1) for c in countries]
            + [(c, 2) for c in countries]
            + [(c, 0) for c in _ARMED_GROUP_COUNTRIES]
        ):
            if k < n_groups:
                group_country[k], kind[k] = country, kind_code
        words = np.array(_GROUP_WORDS, dtype=object)
        w1 = words[rng.integers(0, len(words), n_groups)]
        w2 = words[rng.integers(0, len(words), n_groups)]
        number = np.arange(1, n_groups + 1).astype(str)
        name = np.select(
            [kind == 0, kind == 1],
            ["Frente " + w1 + " " + number, "Banda " + w1 + " " + w2 + " " + number],
            "Red " + w1 + " " + number,
        )
        self.groups = pd.DataFrame(
            {
                "type": np.array(_RECEIVER_TYPES[:3], dtype=object)[kind],
                "type_code": kind,
                "country": group_country,
                "name": name,
                "activity": rng.pareto(1.0, n_groups) + 1,
            }
        )

    # -- items and seizures ----------------------------------------------------

    def _diverted_items(self) -> None:
        rng, batches, points = self.rng, self.batches, self.points
        item_batch = self.item_batch
        n = len(item_batch)
        # receivers: split each batch into fragments, one receiver each
        split = batches["n_split"].to_numpy()
        fragment_local = np.floor(split[item_batch] * rng.random(n)).astype(np.int64)
        offset = np.r_[0, np.cumsum(split)[:-1]]
        used, item_fragment = np.unique(
            offset[item_batch] + fragment_local, return_inverse=True
        )
        fragment_batch = np.searchsorted(offset, used, side="right") - 1
        m = len(used)
        point = batches["point"].to_numpy()[fragment_batch]
        point_country = points["country"].to_numpy(dtype=object)[point]
        owner = points["owner_type"].to_numpy(dtype=object)[point]
        military = np.isin(owner, ["army", "police"])
        receiver_weights = np.where(
            military[:, None], _RECEIVER_MILITARY, _RECEIVER_CIVILIAN
        )
        receiver_type = _draw_rows(rng, np.cumsum(receiver_weights, axis=1))
        # where it goes: mostly the point's country; US stock goes south
        countries = self.place_countries
        weight = (
            self.places.groupby("country")["weight"].sum().reindex(countries).to_numpy()
        )
        abroad = countries[_draw(rng, weight, m)]
        southbound = np.array(["MEX", "MEX", "MEX", "JAM", "HTI", "DOM", "HND", "SLV"])
        abroad = np.where(
            point_country == "USA",
            southbound[rng.integers(0, len(southbound), m)],
            abroad,
        )
        stays = np.isin(point_country, countries) & (rng.random(m) < 0.7)
        receiver_country = np.where(stays, point_country, abroad)
        no_armed = (receiver_type == 0) & ~np.isin(
            receiver_country, _ARMED_GROUP_COUNTRIES
        )
        receiver_type = np.where(no_armed, 1, receiver_type)
        # pick the group of that type in that country, by activity
        groups = self.groups
        country_code = {c: i for i, c in enumerate(countries)}
        group_key = (
            groups["type_code"].to_numpy() * 100
            + groups["country"].map(country_code).to_numpy()
        )
        wanted = (
            receiver_type * 100
            + pd.Series(receiver_country).map(country_code).to_numpy()
        )
        group = np.where(
            receiver_type < 3,
            _draw_in_groups(
                rng,
                group_key,
                groups["activity"].to_numpy(),
                np.where(receiver_type < 3, wanted, -1),
            ),
            -1,
        )
        # an individual is a new person for every fragment
        person = np.where(receiver_type == 3, np.cumsum(receiver_type == 3) - 1, -1)
        self.fragments = pd.DataFrame(
            {
                "batch": fragment_batch,
                "receiver_type": receiver_type,
                "country": receiver_country,
                "group": group,
                "person": person,
                "arrival_day": batches["diverted_day"].to_numpy()[fragment_batch]
                + _lomax(rng, 1.3, 200.0, m).astype(np.int64),
            }
        )
        self.n_persons = int((receiver_type == 3).sum())
        # recovery day of each item
        diverted = batches["diverted_day"].to_numpy()[item_batch]
        recovered = self.fragments["arrival_day"].to_numpy()[item_fragment] + _lomax(
            rng, 1.5, 90.0, n
        ).astype(np.int64)
        outside = (recovered > self.end_day) | (recovered < self.start_day)
        low = np.maximum(diverted, self.start_day)
        redraw = low + np.floor(
            rng.random(n) * np.maximum(self.end_day - low + 1, 1)
        ).astype(np.int64)
        recovered = np.where(outside, redraw, recovered)
        self.items = pd.DataFrame(
            {
                "batch": item_batch,
                "fragment": item_fragment,
                "recovered_day": recovered,
            }
        )

    def _seizures(self) -> None:
        """Group each receiver's items by time into seizure events."""
        rng, items, fragments = self.rng, self.items, self.fragments
        receiver_type = fragments["receiver_type"].to_numpy()[items["fragment"]]
        receiver = np.where(
            receiver_type == 3,
            1_000_000_000 + fragments["person"].to_numpy()[items["fragment"]],
            fragments["group"].to_numpy()[items["fragment"]],
        )
        day = items["recovered_day"].to_numpy()
        order = np.lexsort((day, receiver))
        r_sorted, d_sorted, t_sorted = receiver[order], day[order], receiver_type[order]
        break_p = np.array([0.15, 0.35, 0.25, 0.6])[t_sorted]
        new_event = np.r_[
            True,
            (r_sorted[1:] != r_sorted[:-1])
            | (d_sorted[1:] - d_sorted[:-1] > 30)
            | (rng.random(len(order) - 1) < break_p[1:]),
        ]
        event_sorted = np.cumsum(new_event) - 1
        event = np.empty(len(order), dtype=np.int64)
        event[order] = event_sorted
        n_events = int(event_sorted[-1]) + 1 if len(order) else 0
        first = np.flatnonzero(new_event)
        event_type = t_sorted[first]
        event_country = fragments["country"].to_numpy(dtype=object)[
            items["fragment"].to_numpy()[order[first]]
        ]
        self.items["event"] = event
        self.items["receiver_type"] = receiver_type
        self.events = self._place_events(
            event_country, event_type, d_sorted[first], n_events
        )
        self.items["recovered_day"] = self.events["day"].to_numpy()[event]

    def _place_events(self, country, receiver_type, day, n_events) -> pd.DataFrame:
        """Place, setting, status and source of each seizure event."""
        rng, places = self.rng, self.places
        country_code = {c: i for i, c in enumerate(self.place_countries)}
        border = places["border"].astype(str).str.lower().eq("true").to_numpy()
        weight = places["weight"].to_numpy(float)
        trafficking = receiver_type == 2
        # trafficking rings are caught at border places ten times more often
        place_key = places["country"].map(country_code).to_numpy() * 2 + border
        wanted = pd.Series(country).map(country_code).to_numpy() * 2
        wanted = wanted + (trafficking & (rng.random(n_events) < 0.7))
        place = _draw_in_groups(rng, place_key, weight, wanted)
        fallback = _draw_in_groups(rng, place_key // 2, weight, wanted // 2)
        place = np.where(place < 0, fallback, place)
        at_border = border[place]
        setting = np.select(
            [receiver_type == 0, trafficking & at_border],
            ["conflict", "border"],
            "crime",
        )
        u = rng.random(n_events)
        status = np.select(
            [
                (receiver_type == 0) & (u < 0.6),
                (receiver_type == 0) & (u < 0.85),
                u < 0.12,
            ],
            ["captured", "found", "found"],
            "seized",
        )
        source = np.select(
            [
                setting == "conflict",
                (setting == "border") & (rng.random(n_events) < 0.65),
            ],
            [1, 2],
            0,
        )
        jitter = rng.normal(0, 0.05, (n_events, 2))
        return pd.DataFrame(
            {
                "day": day,
                "place": place,
                "setting": setting,
                "status": status,
                "source": source,
                "lat": places["lat"].to_numpy()[place] + jitter[:, 0],
                "lon": places["lon"].to_numpy()[place] + jitter[:, 1],
            }
        )

    # -- records ---------------------------------------------------------------

    def _diverted_records(self) -> pd.DataFrame:
        items, batches, events, fragments = (
            self.items,
            self.batches,
            self.events,
            self.fragments,
        )
        event = items["event"].to_numpy()
        batch = items["batch"].to_numpy()
        # serial numbers: consecutive within the batch, small gaps where an
        # item of the batch was never recovered
        rng = self.rng
        order = np.lexsort((rng.random(len(items)), batch))
        gap = 1 + (rng.random(len(items)) < 0.25) * rng.geometric(0.5, len(items))
        rank = _rank_in_group(batch[order])
        running = np.cumsum(gap[order])
        first_of_batch = np.maximum.accumulate(
            np.where(rank == 0, np.arange(len(order)), 0)
        )
        number = np.empty(len(items), dtype=np.int64)
        number[order] = (
            batches["first_number"].to_numpy()[batch[order]]
            + running
            - running[first_of_batch]
        )
        fragment = items["fragment"].to_numpy()
        group = fragments["group"].to_numpy()[fragment]
        person = fragments["person"].to_numpy()[fragment]
        return pd.DataFrame(
            {
                "kind": "diverted",
                "batch": batch,
                "serial_number": number,
                "event": event,
                "day": events["day"].to_numpy()[event],
                "place": events["place"].to_numpy()[event],
                "country": self.places["country"].to_numpy(dtype=object)[
                    events["place"].to_numpy()[event]
                ],
                "setting": events["setting"].to_numpy(dtype=object)[event],
                "status": events["status"].to_numpy(dtype=object)[event],
                "source": events["source"].to_numpy()[event],
                "lat": events["lat"].to_numpy()[event],
                "lon": events["lon"].to_numpy()[event],
                "receiver_type": items["receiver_type"].to_numpy(),
                "group": group,
                "person": person,
                "physical": np.arange(len(items)),
            }
        )

    def _report_records(self) -> pd.DataFrame:
        """Lost and stolen reports filed by the legal holder on the day of loss."""
        rng, points, batches = self.rng, self.points, self.batches
        diverted = self._diverted
        point_of_batch = batches["point"].to_numpy()
        item_point = point_of_batch[diverted["batch"].to_numpy()]
        reportable_point = np.isin(points["kind"].to_numpy(), [0, 3, 4]) & np.isin(
            points["mode"].to_numpy(), ["theft", "loss"]
        )
        eligible = np.flatnonzero(reportable_point[item_point])
        n_recovered = min(len(eligible), self.n_reports // 2)
        chosen = rng.choice(eligible, n_recovered, replace=False)
        recovered = diverted.iloc[chosen][["batch", "serial_number", "physical"]]
        # the other reports are for items of the same batches never recovered
        n_missing = self.n_reports - n_recovered
        batch_weight = np.bincount(
            diverted["batch"].to_numpy()[eligible], minlength=len(batches)
        )
        if batch_weight.sum() == 0:
            batch_weight = np.ones(len(batches))
        missing_batch = np.sort(_draw(rng, batch_weight, n_missing))
        last_number = (
            diverted.groupby("batch")["serial_number"]
            .max()
            .reindex(np.arange(len(batches)))
        ).to_numpy()
        missing = pd.DataFrame(
            {
                "batch": missing_batch,
                "serial_number": last_number[missing_batch]
                + 1
                + _rank_in_group(missing_batch),
                "physical": self._new_physical(n_missing),
            }
        )
        reports = pd.concat([recovered, missing], ignore_index=True)
        batch = reports["batch"].to_numpy()
        point = point_of_batch[batch]
        owner = points["owner_type"].to_numpy(dtype=object)[point]
        mode = points["mode"].to_numpy(dtype=object)[point]
        return reports.assign(
            kind="report",
            event=-1,
            day=batches["diverted_day"].to_numpy()[batch],
            place=-1,
            country=points["country"].to_numpy(dtype=object)[point],
            setting=np.where(np.isin(owner, ["army", "police"]), "stockpile", "other"),
            status=np.where(mode == "loss", "lost", "stolen"),
            source=3,
            lat=np.nan,
            lon=np.nan,
            receiver_type=-1,
            group=-1,
            person=-1,
            registered_owner=points["holder"].to_numpy(dtype=object)[point],
            owner_type=owner,
        )

    def _new_physical(self, count: int) -> np.ndarray:
        first = self._next_physical
        self._next_physical += count
        return np.arange(first, first + count)

    def _new_events(self, count: int) -> np.ndarray:
        first = self._next_event
        self._next_event += count
        return np.arange(first, first + count)

    def _random_places(self, country: np.ndarray) -> np.ndarray:
        places = self.places
        code = {c: i for i, c in enumerate(self.place_countries)}
        return _draw_in_groups(
            self.rng,
            places["country"].map(code).to_numpy(),
            places["weight"].to_numpy(float),
            pd.Series(country).map(code).to_numpy(),
        )

    def _standalone(self, kind: str, country: np.ndarray, **columns) -> pd.DataFrame:
        """Records that are their own seizure event, in a place of ``country``."""
        rng, n = self.rng, len(country)
        place = self._random_places(country)
        day = rng.integers(self.start_day, self.end_day + 1, n)
        frame = pd.DataFrame(
            {
                "kind": kind,
                "event": self._new_events(n),
                "day": day,
                "place": place,
                "country": country,
                "lat": self.places["lat"].to_numpy()[place] + rng.normal(0, 0.05, n),
                "lon": self.places["lon"].to_numpy()[place] + rng.normal(0, 0.05, n),
                "physical": self._new_physical(n),
            }
        )
        for name, values in columns.items():
            frame[name] = values
        return frame

    def _service_records(self) -> pd.DataFrame:
        """Police and army service weapons logged after interventions."""
        rng, n = self.rng, self.n_service
        holders = self.holders
        forces = holders[
            holders["owner_type"].isin(["police", "army"])
            & holders["country"].isin(self.place_countries)
        ].drop_duplicates(["country", "holder"])
        forces = forces.reset_index(drop=True)
        # procurement lots: consecutive serials of one model and year
        n_lots = max(5, n // 15)
        lot_force = _draw(rng, forces["weight"].to_numpy(float), n_lots)
        lot_country = forces["country"].to_numpy(dtype=object)[lot_force]
        models = self.models
        use = np.where(
            forces["owner_type"].to_numpy(dtype=object)[lot_force] == "army",
            "military",
            "police",
        )
        lot_model = np.empty(n_lots, dtype=np.int64)
        for i in range(n_lots):
            weights = np.where(models["use"] == use[i], models["weight"], 0.0)
            weights = weights * np.where(models["country"] == lot_country[i], 6.0, 1.0)
            lot_model[i] = _draw(rng, weights, 1)[0]
        first_year = models["first_year"].to_numpy()[lot_model]
        last_year = np.minimum(models["last_year"].to_numpy()[lot_model], 2023)
        year = first_year + np.floor(
            rng.random(n_lots) * np.maximum(last_year - first_year + 1, 1)
        ).astype(np.int64)
        digits = models["serial_digits"].to_numpy()[lot_model]
        lots = pd.DataFrame(
            {
                "point": -1,
                "model": lot_model,
                "year": year,
                "diverted_day": -1,
                "country_of_manufacture": self._country_of_manufacture(lot_model, year),
                "serial_prefix": models["serial_prefix"]
                .fillna("")
                .to_numpy(dtype=object)[lot_model],
                "serial_digits": digits,
                "first_number": (
                    10 ** (digits - 1.0)
                    + np.floor(rng.random(n_lots) * 10 ** (digits - 1.0) * 8)
                ).astype(np.int64),
                "import_marked": False,
                "record_kept": True,
                "chain_broken": False,
                "refusal_draw": 1.0,
                "n_split": 1,
                "owner": forces["holder"].to_numpy(dtype=object)[lot_force]
                + " ("
                + lot_country
                + ")",
                "owner_type": forces["owner_type"].to_numpy(dtype=object)[lot_force],
                "lot_country": lot_country,
            }
        )
        first_lot = len(self.batches)
        self.batches = pd.concat([self.batches, lots], ignore_index=True)
        lot = np.sort(rng.integers(0, n_lots, n))
        number = lots["first_number"].to_numpy()[lot] + 3 * _rank_in_group(lot)
        return self._standalone(
            "service",
            lot_country[lot],
            batch=first_lot + lot,
            serial_number=number,
            setting="crime",
            status="seized",
            source=0,
            receiver_type=-1,
            group=-1,
            person=-1,
            registered_owner=lots["owner"].to_numpy(dtype=object)[lot],
            owner_type=lots["owner_type"].to_numpy(dtype=object)[lot],
        )

    def _street_actor(self, country: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A criminal group of ``country`` (60 %) or a new individual."""
        rng, n = self.rng, len(country)
        groups = self.groups
        code = {c: i for i, c in enumerate(self.place_countries)}
        key = groups["type_code"].to_numpy() * 100 + groups["country"].map(code)
        group = _draw_in_groups(
            rng,
            key.to_numpy(),
            groups["activity"].to_numpy(),
            100 + pd.Series(country).map(code).to_numpy(),
        )
        individual = (rng.random(n) < 0.4) | (group < 0)
        person = np.where(individual, self.n_persons + np.cumsum(individual) - 1, -1)
        self.n_persons += int(individual.sum())
        return np.where(individual, -1, group), person

    def _craft_and_converted_records(self) -> pd.DataFrame:
        rng = self.rng
        weight = self.places.groupby("country")["weight"].sum()
        frames = []
        for kind, n in (("craft", self.n_craft), ("converted", self.n_converted)):
            country = weight.index.to_numpy(dtype=object)[
                _draw(rng, weight.to_numpy(float), n)
            ]
            group, person = self._street_actor(country)
            if kind == "converted":
                blank = np.flatnonzero(self.models["use"].to_numpy() == "blank")
                model = blank[
                    _draw(rng, self.models["weight"].to_numpy(float)[blank], n)
                ]
                digits = self.models["serial_digits"].to_numpy()[model]
                number = (10 ** (digits - 1.0) * (1 + 8 * rng.random(n))).astype(
                    np.int64
                )
            else:
                model = np.full(n, -1)
                number = np.full(n, -1)
            frames.append(
                self._standalone(
                    kind,
                    country,
                    batch=-1,
                    model=model,
                    serial_number=number,
                    setting="crime",
                    status=np.where(rng.random(n) < 0.15, "found", "seized"),
                    source=0,
                    receiver_type=np.where(person >= 0, 3, 1),
                    group=group,
                    person=person,
                    craft_type=rng.integers(0, 3, n),
                )
            )
        return pd.concat(frames, ignore_index=True)

    def _amnesty_records(self) -> pd.DataFrame:
        """Civilian guns handed in under amnesty; most were never diverted."""
        rng, n, models = self.rng, self.n_amnesty, self.models
        weight = self.places.groupby("country")["weight"].sum()
        country = weight.index.to_numpy(dtype=object)[
            _draw(rng, weight.to_numpy(float), n)
        ]
        civilian = np.flatnonzero(models["use"].to_numpy() == "civilian")
        model = civilian[_draw(rng, models["weight"].to_numpy(float)[civilian], n)]
        digits = models["serial_digits"].to_numpy()[model]
        return self._standalone(
            "amnesty",
            country,
            batch=-1,
            model=model,
            serial_number=(10 ** (digits - 1.0) * (1 + 8 * rng.random(n))).astype(
                np.int64
            ),
            setting="other",
            status="surrendered",
            source=4,
            receiver_type=-1,
            group=-1,
            person=-1,
        )

    # -- what the records say --------------------------------------------------

    def _models_of(self, records: pd.DataFrame) -> pd.DataFrame:
        """Model, production year and true country of manufacture of each record."""
        rng, batches, models = self.rng, self.batches, self.models
        batch = records["batch"].fillna(-1).to_numpy(dtype=np.int64)
        in_batch = batch >= 0
        safe_batch = np.maximum(batch, 0)
        model = np.where(
            in_batch,
            batches["model"].to_numpy()[safe_batch],
            records["model"].fillna(-1).to_numpy(dtype=np.int64),
        )
        safe_model = np.maximum(model, 0)
        first_year = models["first_year"].to_numpy()[safe_model]
        last_year = models["last_year"].to_numpy()[safe_model]
        # amnesty guns are old; converted pistols recent
        newest = np.where(
            records["kind"].to_numpy() == "amnesty",
            np.maximum(np.minimum(last_year, 2012), first_year),
            last_year,
        )
        loose_year = first_year + np.floor(
            rng.random(len(records)) * (newest - first_year + 1)
        ).astype(np.int64)
        year = np.where(in_batch, batches["year"].to_numpy()[safe_batch], loose_year)
        made_in = np.where(
            in_batch,
            batches["country_of_manufacture"].to_numpy(dtype=object)[safe_batch],
            self._country_of_manufacture(safe_model, year),
        )
        has_model = model >= 0
        prefix = np.where(
            in_batch,
            batches["serial_prefix"].to_numpy(dtype=object)[safe_batch],
            models["serial_prefix"].fillna("").to_numpy(dtype=object)[safe_model],
        )
        digits = models["serial_digits"].to_numpy()[safe_model]
        number = records["serial_number"].fillna(-1).to_numpy(dtype=np.int64)
        serial = np.full(len(records), None, dtype=object)
        for width in np.unique(digits[has_model & (number >= 0)]):
            rows = np.flatnonzero(has_model & (number >= 0) & (digits == width))
            serial[rows] = prefix[rows] + pd.Series(number[rows]).astype(str).str.zfill(
                int(width)
            ).to_numpy(dtype=object)
        return records.assign(
            batch=batch,
            model=model,
            year=np.where(has_model, year, -1),
            made_in=np.where(has_model, made_in, None),
            true_serial=serial,
        )

    def _markings(self, records: pd.DataFrame) -> pd.DataFrame:
        """Serial status, recorded serial and the other fields as written."""
        rng, models = self.rng, self.models
        records = self._models_of(records)
        n = len(records)
        kind = records["kind"].to_numpy()
        receiver = records["receiver_type"].fillna(-1).to_numpy(dtype=np.int64)
        obliterated_p = np.select(
            [
                (kind == "diverted") & np.isin(receiver, [1, 2]),
                (kind == "diverted") & (receiver == 0),
                kind == "diverted",
                kind == "amnesty",
                kind == "converted",
            ],
            [0.12, 0.05, 0.08, 0.04, 0.2],
            0.0,
        )
        partial_p = np.select(
            [kind == "diverted", kind == "converted", kind == "amnesty"],
            [0.05, 0.3, 0.03],
            0.0,
        )
        placeholder_p = np.select(
            [kind == "diverted", kind == "service", kind == "amnesty"],
            [0.03, 0.03, 0.08],
            0.0,
        )
        u = rng.random(n)
        marking = np.select(
            [
                kind == "craft",
                u < obliterated_p,
                u < obliterated_p + partial_p,
                u < obliterated_p + partial_p + placeholder_p,
            ],
            ["absent", "obliterated", "partial", "placeholder"],
            "intact",
        )
        true_serial = records["true_serial"].to_numpy(dtype=object)
        placeholder = np.array(_PLACEHOLDER_SERIALS, dtype=object)[
            rng.integers(0, len(_PLACEHOLDER_SERIALS), n)
        ]
        partial = (pd.Series(true_serial, dtype=object).str[:-2] + "??").to_numpy(
            dtype=object
        )
        serial = np.select(
            [marking == "intact", marking == "partial", marking == "placeholder"],
            [true_serial, partial, placeholder],
            None,
        )
        serial_status = np.where(
            marking == "placeholder",
            np.where(rng.random(n) < 0.5, "intact", None),
            marking,
        )
        model = records["model"].to_numpy()
        has_model = model >= 0
        safe = np.maximum(model, 0)

        def of_model(column: str) -> np.ndarray:
            values = models[column].to_numpy(dtype=object)[safe]
            return np.where(has_model, values, None)

        craft_type = records["craft_type"].fillna(0).to_numpy(dtype=np.int64)
        craft = kind == "craft"
        category = np.where(
            craft,
            np.array(["shotgun", "pistol", "submachine_gun"], dtype=object)[craft_type],
            of_model("category"),
        )
        calibre = np.where(
            craft,
            np.array(["12ga", ".38 Special", "9x19mm"], dtype=object)[craft_type],
            of_model("calibre"),
        )
        make = np.where(rng.random(n) < 0.95, of_model("make"), None)
        model_name = np.where(rng.random(n) < 0.85, of_model("model"), None)
        # country of manufacture: often left out, now and then the seizing state
        made_in = records["made_in"].to_numpy(dtype=object)
        written = rng.random(n)
        recorded_made_in = np.select(
            [written < 0.04, written < 0.75],
            [records["country"].to_numpy(dtype=object), made_in],
            None,
        )
        recorded_made_in = np.where(has_model, recorded_made_in, None)
        year = records["year"].to_numpy()
        recorded_year = np.where(has_model & (rng.random(n) < 0.35), year, -1)
        # import marks are read from the batch
        batch = records["batch"].to_numpy()
        safe_batch = np.maximum(batch, 0)
        marked = (batch >= 0) & self.batches["import_marked"].to_numpy(dtype=bool)[
            safe_batch
        ]
        point = np.where(batch >= 0, self.batches["point"].to_numpy()[safe_batch], -1)
        import_country = np.where(
            marked,
            self.points["country"].to_numpy(dtype=object)[np.maximum(point, 0)],
            None,
        )
        noted = rng.random(n) < 0.8
        import_marked = np.where(
            marked & noted, True, np.where(rng.random(n) < 0.3, False, None)
        )
        import_marked = np.where(marked & ~noted, None, import_marked)
        import_year = np.where(
            marked & noted,
            year + rng.integers(0, 3, n),
            -1,
        )
        production = np.select(
            [craft, kind == "converted"], ["craft", "converted"], "industrial"
        )
        return records.assign(
            marking=marking,
            serial=serial,
            serial_status=serial_status,
            category=category,
            calibre=calibre,
            make=make,
            model_name=model_name,
            recorded_made_in=recorded_made_in,
            recorded_year=recorded_year,
            import_marked=import_marked,
            import_country=np.where(marked & noted, import_country, None),
            true_import_country=import_country,
            import_year=import_year,
            production=production,
            point=point,
        )

    # -- ids -------------------------------------------------------------------

    def _identify(self, records: pd.DataFrame) -> pd.DataFrame:
        rng = self.rng
        source = records["source"].to_numpy(dtype=np.int64)
        day = records["day"].to_numpy(dtype=np.int64)
        event = records["event"].to_numpy(dtype=np.int64)
        order = np.lexsort((event, source, day))
        records = records.iloc[order].reset_index(drop=True)
        source, event = source[order], event[order]
        # record ids: the source's prefix and a running number
        by_source = pd.Series(source).groupby(source).cumcount().to_numpy() + 1
        record_id = np.empty(len(records), dtype=object)
        for code, prefix in enumerate(_SOURCE_PREFIX):
            rows = source == code
            record_id[rows] = _numbered(prefix + "-", by_source[rows], 7)
        # seizure ids in order of first appearance
        has_event = event >= 0
        codes, _ = pd.factorize(np.where(has_event, event, -1))
        seizure_number = np.where(has_event, codes, -1)
        first_code = int(seizure_number[has_event].min()) if has_event.any() else 0
        seizure_id = np.where(
            has_event,
            _numbered("SZ-", np.maximum(seizure_number - first_code + 1, 0), 6),
            None,
        )
        # actors as written: groups 60 %, individuals 40 % of the time
        group = records["group"].fillna(-1).to_numpy(dtype=np.int64)
        person = records["person"].fillna(-1).to_numpy(dtype=np.int64)
        self._person_names()
        groups = self.groups
        true_actor = np.where(
            group >= 0,
            _numbered("GRP-", group + 1, 5),
            np.where(person >= 0, _numbered("IND-", person + 1, 6), None),
        )
        true_actor = np.where((group >= 0) | (person >= 0), true_actor, None)
        actor_name = np.where(
            group >= 0,
            groups["name"].to_numpy(dtype=object)[np.maximum(group, 0)],
            self.person_names[np.maximum(person, 0)],
        )
        known = np.where(group >= 0, rng.random(len(records)) < 0.6, False) | (
            (person >= 0) & (rng.random(len(records)) < 0.4)
        )
        group_type = groups["type"].to_numpy(dtype=object)[np.maximum(group, 0)]
        actor_type = np.select(
            [group >= 0, person >= 0], [group_type, "individual"], None
        )
        written_type = pd.Series(actor_type).map(
            {
                "armed_group": "armed_group",
                "criminal_group": "criminal_group",
                "trafficking": "criminal_group",
                "individual": "person",
            }
        )
        return records.assign(
            record_id=record_id,
            seizure_id=seizure_id,
            true_actor_id=true_actor,
            network_type=actor_type,
            actor=np.where(known, actor_name, None),
            actor_type=np.where(known, written_type.to_numpy(dtype=object), None),
        )

    def _person_names(self) -> None:
        rng, n = self.rng, self.n_persons
        first = np.array(_FIRST_NAMES, dtype=object)[
            rng.integers(0, len(_FIRST_NAMES), n)
        ]
        last = np.array(_LAST_NAMES, dtype=object)[rng.integers(0, len(_LAST_NAMES), n)]
        self.person_names = np.asarray(first + " " + last, dtype=object)

    # -- the truth model of tracing ----------------------------------------------

    def _parties(self, parties: np.ndarray) -> pd.DataFrame:
        """Each party's own behaviour, drawn from the seed."""
        rng, n = self.rng, len(parties)
        return pd.DataFrame(
            {
                "never_answers": rng.random(n) < self.options["never_answer_share"],
                "answer_rate": rng.beta(2.0, 2.0, n),
                "refusal_rate": rng.beta(1.0, 9.0, n),
                "median_days": np.exp(rng.normal(np.log(60), 0.8, n)),
                "tail": rng.uniform(1.1, 2.0, n),
            },
            index=pd.Index(parties, name="party"),
        )

    def _trace_truth(self, records: pd.DataFrame) -> pd.DataFrame:
        """Whom a trace request would go to and what it would eventually return."""
        rng, batches = self.rng, self.batches
        n = len(records)
        kind = records["kind"].to_numpy()
        successor = {"SUN": "RUS", "YUG": "SRB", "CSK": "CZE", "DDR": "DEU"}
        made_in = pd.Series(records["made_in"].to_numpy(dtype=object))
        answering_state = made_in.replace(successor).to_numpy(dtype=object)
        import_country = records["true_import_country"].to_numpy(dtype=object)
        party = np.where(pd.notna(import_country), import_country, answering_state)
        party = np.where(
            (kind == "report") | (kind == "craft") | pd.isna(party), None, party
        )
        names = np.unique(party[pd.notna(party)].astype(str))
        behaviour = self._parties(names).reindex(party)
        never = behaviour["never_answers"].fillna(True).to_numpy(dtype=bool)
        answers = rng.random(n) < behaviour["answer_rate"].fillna(0).to_numpy()
        batch = records["batch"].to_numpy()
        safe = np.maximum(batch, 0)
        in_batch = batch >= 0
        refused = (
            np.where(
                in_batch,
                batches["refusal_draw"].to_numpy()[safe],
                rng.random(n),
            )
            < behaviour["refusal_rate"].fillna(0).to_numpy()
        )
        year = records["year"].to_numpy()
        kept = np.where(
            in_batch,
            batches["record_kept"].to_numpy(dtype=bool)[safe],
            rng.random(n) < np.where(year < 1990, 0.45, 0.85),
        )
        broken = in_batch & batches["chain_broken"].to_numpy(dtype=bool)[safe]
        marking = records["marking"].to_numpy()
        partial_lost = (marking == "partial") & (rng.random(n) < 0.7)
        outcome = np.select(
            [
                kind == "report",
                kind == "craft",
                np.isin(marking, ["obliterated", "absent"]),
                marking == "placeholder",
                partial_lost,
                never | ~answers,
                refused,
                ~kept & (year < 1990),
                ~kept,
                kind == "converted",
                broken,
            ],
            [
                None,
                "incomplete_request",
                "incomplete_request",
                "record_not_found",
                "record_not_found",
                "pending",
                "refused",
                "records_unavailable",
                "record_not_found",
                "not_traced",
                "partially_traced",
            ],
            "traced",
        )
        diverted = records["point"].to_numpy() >= 0
        reveals = (outcome == "traced") & diverted & (kind != "report")
        return records.assign(
            trace_party=party,
            trace_party_type=np.where(pd.notna(party), "state", None),
            trace_outcome=outcome,
            reveals_diversion_point=reveals,
            party_median_days=behaviour["median_days"].to_numpy(),
            party_tail=behaviour["tail"].to_numpy(),
        )

    def _past_traces(self, records: pd.DataFrame) -> pd.DataFrame:
        """The few trace requests sent before the world's end, and their answers."""
        rng, n = self.rng, len(records)
        count = int(round(self.options["past_trace_share"] * n))
        kind = records["kind"].to_numpy()
        weight = (
            np.where(records["serial_status"].to_numpy() == "intact", 3.0, 0.3)
            * np.where(pd.notna(records["make"].to_numpy()), 1.0, 0.2)
            * np.where(
                np.isin(records["category"], ["assault_rifle", "rifle", "machine_gun"]),
                2.0,
                1.0,
            )
            * np.where(records["setting"].to_numpy() == "conflict", 1.5, 1.0)
            * np.where(kind == "amnesty", 0.3, 1.0)
            * np.where(np.isin(kind, ["report", "craft"]), 0.0, 1.0)
            * pd.notna(records["trace_party"].to_numpy())
        )
        eligible = np.flatnonzero(weight > 0)
        count = min(count, len(eligible))
        # weighted sampling without replacement (Gumbel top-k)
        keys = np.log(weight[eligible]) + rng.gumbel(size=len(eligible))
        chosen = np.sort(eligible[np.argsort(-keys)[:count]])
        t = records.iloc[chosen].reset_index(drop=True)
        seized = t["day"].to_numpy()
        sent = np.minimum(
            seized + 5 + _lomax(rng, 1.2, 60.0, count).astype(np.int64),
            self.end_day - 1,
        )
        delay = (
            t["party_median_days"].to_numpy()
            * _lomax(rng, t["party_tail"].to_numpy(), 1.0, count)
            / (2 ** (1 / t["party_tail"].to_numpy()) - 1)
        )
        responded = sent + 1 + delay.astype(np.int64)
        outcome = t["trace_outcome"].to_numpy(dtype=object)
        answered = (outcome != "pending") & (responded <= self.end_day)
        acknowledged = np.where(
            rng.random(count) < 0.5,
            sent + 1 + (delay * rng.uniform(0.05, 0.3, count)).astype(np.int64),
            -1,
        )
        acknowledged = np.where(
            (acknowledged >= 0) & (acknowledged <= self.end_day), acknowledged, -1
        )
        old = (self.end_day - sent) > 365
        status = np.select(
            [answered, old & (rng.random(count) < 0.6), acknowledged >= 0],
            ["responded", "no_response", "acknowledged"],
            "sent",
        )
        traced = answered & (outcome == "traced")
        point = t["point"].to_numpy()
        safe = np.maximum(point, 0)
        points = self.points
        owner = t["registered_owner"].to_numpy(dtype=object)
        holder = np.where(
            point >= 0, points["holder"].to_numpy(dtype=object)[safe], owner
        )
        legal_country = np.where(
            point >= 0,
            points["country"].to_numpy(dtype=object)[safe],
            t["country"].to_numpy(dtype=object),
        )
        partial = answered & (outcome == "partially_traced")
        batch_day = self.batches["diverted_day"].to_numpy()[
            np.maximum(t["batch"].to_numpy(), 0)
        ]
        is_diverted = (point >= 0) & traced
        return pd.DataFrame(
            {
                "trace_id": _numbered("TR-", np.arange(1, count + 1), 6),
                "record_id": t["record_id"].to_numpy(dtype=object),
                "source": "traces",
                "requesting_country": t["country"].to_numpy(dtype=object),
                "requested_party": t["trace_party"].to_numpy(dtype=object),
                "party_type": "state",
                "channel": np.where(rng.random(count) < 0.5, "interpol", "bilateral"),
                "sent_on": _dates(sent),
                "acknowledged_on": _dates(acknowledged),
                "responded_on": _dates(np.where(answered, responded, -1)),
                "status": status,
                "outcome": np.where(answered, outcome, "pending"),
                "last_legal_holder": np.where(traced, holder, None),
                "last_legal_country": np.where(
                    traced,
                    legal_country,
                    np.where(partial, t["made_in"].to_numpy(dtype=object), None),
                ),
                "diversion_country": np.where(
                    is_diverted, points["country"].to_numpy(dtype=object)[safe], None
                ),
                "diversion_year": np.where(is_diverted, _year(batch_day), -1),
                "diversion_mode": np.where(
                    is_diverted, points["mode"].to_numpy(dtype=object)[safe], None
                ),
            }
        )

    # -- the tables ------------------------------------------------------------

    def _tables(self, records: pd.DataFrame, traces: pd.DataFrame) -> dict:
        places = self.places
        n = len(records)
        place = records["place"].fillna(-1).to_numpy(dtype=np.int64)
        has_place = place >= 0
        safe_place = np.maximum(place, 0)
        source = records["source"].to_numpy(dtype=np.int64)
        status = records["status"].to_numpy(dtype=object)
        written_status = (
            status
            if self.has_captured
            else np.where(status == "captured", "seized", status)
        )
        kind = records["kind"].to_numpy()
        notes = np.where(
            (kind == "service") & (self.rng.random(n) < 0.5),
            "service weapon, logged after an intervention",
            None,
        )
        items = {
            "record_id": records["record_id"],
            "seizure_id": records["seizure_id"],
            "source": np.array(_SOURCES, dtype=object)[source],
            "agency": np.array(_AGENCIES, dtype=object)[source],
            "status": written_status,
            "setting": records["setting"],
            "seized_on": _dates(records["day"].to_numpy()),
            "country": records["country"],
            "admin1": np.where(
                has_place, places["admin1"].to_numpy(dtype=object)[safe_place], None
            ),
            "locality": np.where(
                has_place, places["locality"].to_numpy(dtype=object)[safe_place], None
            ),
            "lat": records["lat"].round(4),
            "lon": records["lon"].round(4),
            "item_kind": "weapon",
            "category": records["category"],
            "make": records["make"],
            "model": records["model_name"],
            "calibre": records["calibre"],
            "serial": records["serial"],
            "serial_raw": records["serial"],
            "serial_status": records["serial_status"],
            "country_of_manufacture": records["recorded_made_in"],
            "year_of_manufacture": _integers(records["recorded_year"]),
            "import_marked": pd.array(records["import_marked"], dtype="boolean"),
            "import_country": records["import_country"],
            "import_year": _integers(records["import_year"]),
            "production": records["production"],
            "quantity": 1,
            "actor": records["actor"],
            "actor_type": records["actor_type"],
            "notes": notes,
        }
        if self.has_owner:
            items["registered_owner"] = records["registered_owner"]
            items["owner_type"] = records["owner_type"]
        items = schema.conform(pd.DataFrame(items), "items")
        traces = schema.conform(
            traces.assign(diversion_year=_integers(traces["diversion_year"])),
            "traces",
        )
        ids = self._entity_ids(records)
        truth = self._truth(records, ids)
        actors, networks = self._actor_tables(records)
        return {
            "items": items,
            "traces": traces,
            "actors": actors,
            "movements": self._movements(traces, items),
            "truth": truth,
            "diversion_points": self._point_table(records, ids),
            "batches": self._batch_table(records, ids),
            "networks": networks,
            "actor_truth": pd.DataFrame(
                {
                    "actor_id": actors["actor_id"].to_numpy(),
                    "true_actor_id": actors["actor_id"].to_numpy(),
                }
            ).astype("string"),
        }

    def _entity_ids(self, records: pd.DataFrame) -> dict:
        points, batches = self.points, self.batches
        point_label = np.empty(len(points), dtype=object)
        key = pd.Series(
            np.array(_KIND_ABBREVIATION, dtype=object)[points["kind"].to_numpy()]
            + "-"
            + points["country"].to_numpy(dtype=object)
        )
        number = key.groupby(key).cumcount() + 1
        point_label[:] = (
            "DP-" + key + "-" + number.astype(str).str.zfill(4)
        ).to_numpy()
        batch_label = np.where(
            batches["point"].to_numpy() >= 0,
            _numbered("BATCH-", np.arange(1, len(batches) + 1), 6),
            _numbered("LOT-", np.arange(1, len(batches) + 1), 6),
        )
        return {"point": point_label, "batch": batch_label}

    def _truth(self, records: pd.DataFrame, ids: dict) -> pd.DataFrame:
        points, batches, models = self.points, self.batches, self.models
        point = records["point"].to_numpy()
        batch = records["batch"].to_numpy()
        model = records["model"].to_numpy()
        diverted = point >= 0
        safe_point = np.maximum(point, 0)
        safe_batch = np.maximum(batch, 0)
        kind = records["kind"].to_numpy()
        owner = records["registered_owner"].to_numpy(dtype=object)
        owner_type = records["owner_type"].to_numpy(dtype=object)
        truth = pd.DataFrame(
            {
                "record_id": records["record_id"],
                "source": np.array(_SOURCES, dtype=object)[records["source"]],
                "true_weapon_id": _numbered("SW", records["physical"] + 1, 7),
                "repeat_report": False,
                "batch_id": _text(ids["batch"], batch),
                "diversion_point": _text(ids["point"], point),
                "diversion_kind": np.where(
                    diverted,
                    np.array(DIVERSION_KINDS, dtype=object)[
                        points["kind"].to_numpy()[safe_point]
                    ],
                    None,
                ),
                "diversion_country": np.where(
                    diverted, points["country"].to_numpy(dtype=object)[safe_point], None
                ),
                "diversion_year": _integers(
                    np.where(
                        diverted,
                        _year(batches["diverted_day"].to_numpy()[safe_batch]),
                        -1,
                    )
                ),
                "diversion_mode": np.where(
                    diverted, points["mode"].to_numpy(dtype=object)[safe_point], None
                ),
                "last_legal_holder": np.where(
                    diverted, points["holder"].to_numpy(dtype=object)[safe_point], owner
                ),
                "network_id": records["true_actor_id"],
                "network_type": records["network_type"],
                "true_actor_id": records["true_actor_id"],
                "true_make": _text(models["make"], model),
                "true_model": _text(models["model"], model),
                "true_serial": records["true_serial"],
                "true_country_of_manufacture": records["made_in"],
                "true_year_of_manufacture": _integers(records["year"]),
                "serial_error": records["marking"] == "placeholder",
                "true_status": records["status"],
                "registered_owner": np.where(kind == "service", owner, None),
                "owner_type": np.where(
                    kind == "service",
                    owner_type,
                    np.where(
                        diverted,
                        points["owner_type"].to_numpy(dtype=object)[safe_point],
                        None,
                    ),
                ),
                "trace_party": records["trace_party"],
                "trace_party_type": records["trace_party_type"],
                "trace_outcome": records["trace_outcome"],
                "reveals_diversion_point": records["reveals_diversion_point"],
            }
        )
        return _typed(truth)

    def _point_table(self, records: pd.DataFrame, ids: dict) -> pd.DataFrame:
        points = self.points
        point = records["point"].to_numpy()
        n_records = np.bincount(point[point >= 0], minlength=len(points))
        n_batches = np.bincount(
            self.batches["point"].to_numpy()[self.batches["point"].to_numpy() >= 0],
            minlength=len(points),
        )
        table = pd.DataFrame(
            {
                "diversion_point": ids["point"],
                "kind": np.array(DIVERSION_KINDS, dtype=object)[points["kind"]],
                "country": points["country"],
                "holder": points["holder"],
                "owner_type": points["owner_type"],
                "mode": points["mode"],
                "first_diverted_on": _dates(points["first_day"].to_numpy()),
                "last_diverted_on": _dates(points["last_day"].to_numpy()),
                "size": points["size"],
                "n_batches": n_batches,
                "n_records": n_records,
            }
        )
        return _typed(table)

    def _batch_table(self, records: pd.DataFrame, ids: dict) -> pd.DataFrame:
        batches, models = self.batches, self.models
        batch = records["batch"].to_numpy()
        weapon_serial = pd.Series(records["true_serial"].to_numpy(dtype=object))
        in_batch = batch >= 0
        first = weapon_serial[in_batch].groupby(batch[in_batch]).min()
        last = weapon_serial[in_batch].groupby(batch[in_batch]).max()
        model = batches["model"].to_numpy()
        point = batches["point"].to_numpy()
        table = pd.DataFrame(
            {
                "batch_id": ids["batch"],
                "diversion_point": _text(ids["point"], point),
                "make": models["make"].to_numpy(dtype=object)[model],
                "model": models["model"].to_numpy(dtype=object)[model],
                "category": models["category"].to_numpy(dtype=object)[model],
                "calibre": models["calibre"].to_numpy(dtype=object)[model],
                "year_of_manufacture": batches["year"],
                "country_of_manufacture": batches["country_of_manufacture"],
                "diverted_on": _dates(batches["diverted_day"].to_numpy()),
                "import_marked": batches["import_marked"].astype(bool),
                "record_kept": batches["record_kept"].astype(bool),
                "chain_broken": batches["chain_broken"].astype(bool),
                "n_records": np.bincount(batch[in_batch], minlength=len(batches)),
                "serial_first": first.reindex(np.arange(len(batches))).to_numpy(),
                "serial_last": last.reindex(np.arange(len(batches))).to_numpy(),
            }
        )
        return _typed(table[table["n_records"] > 0].reset_index(drop=True))

    def _actor_tables(self, records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        named = records.dropna(subset=["actor"]).drop_duplicates("true_actor_id")
        actors = schema.conform(
            pd.DataFrame(
                {
                    "actor_id": named["true_actor_id"].to_numpy(dtype=object),
                    "name": named["actor"].to_numpy(dtype=object),
                    "actor_type": named["actor_type"].to_numpy(dtype=object),
                    "country": named["country"].to_numpy(dtype=object),
                    "source": "investigations",
                }
            ).sort_values("actor_id", ignore_index=True),
            "actors",
        )
        received = records.dropna(subset=["true_actor_id"]).drop_duplicates(
            "true_actor_id"
        )
        group = received["group"].fillna(-1).to_numpy(dtype=np.int64)
        person = received["person"].fillna(-1).to_numpy(dtype=np.int64)
        networks = pd.DataFrame(
            {
                "network_id": received["true_actor_id"].to_numpy(dtype=object),
                "network_type": received["network_type"].to_numpy(dtype=object),
                "name": np.where(
                    group >= 0,
                    self.groups["name"].to_numpy(dtype=object)[np.maximum(group, 0)],
                    self.person_names[np.maximum(person, 0)],
                ),
                "home": np.where(
                    group >= 0,
                    self.groups["country"].to_numpy(dtype=object)[np.maximum(group, 0)],
                    received["country"].to_numpy(dtype=object),
                ),
            }
        ).sort_values("network_id", ignore_index=True)
        return actors, _typed(networks)

    def _movements(self, traces: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
        """Routes learnt from the answered traces: diversion state -> seizure state."""
        traced = traces[
            traces["outcome"].eq("traced") & traces["diversion_country"].notna()
        ]
        traced = traced[traced["diversion_country"] != traced["requesting_country"]]
        seizure = items.set_index("record_id")["seizure_id"]
        movements = pd.DataFrame(
            {
                "origin": traced["diversion_country"].to_numpy(),
                "destination": traced["requesting_country"].to_numpy(),
                "year": traced["diversion_year"].to_numpy(),
                "count": 1,
                "record_id": traced["record_id"].to_numpy(),
                "seizure_id": seizure.reindex(traced["record_id"]).to_numpy(),
                "mode": "illicit transfer",
                "evidence": "trace",
                "source": "traces",
            }
        )
        movements.insert(
            0, "movement_id", _numbered("MV-", np.arange(1, len(movements) + 1), 6)
        )
        return schema.conform(movements, "movements")


def _dates(day) -> pd.Series:
    """Day numbers as dates; negative numbers are missing."""
    day = np.asarray(day, dtype=np.int64)
    out = day.astype("datetime64[D]").astype("datetime64[s]")
    out[day < 0] = np.datetime64("NaT")
    return pd.Series(out)


def _integers(values) -> pd.Series:
    """Integers with -1 for missing, as nullable ``Int64``."""
    values = np.asarray(values, dtype=np.int64)
    return pd.Series(pd.array(values, dtype="Int64").astype("Int64")).mask(values < 0)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as ``string``, flags as ``boolean``, ints kept."""
    out = frame.copy()
    for column in out.columns:
        s = out[column]
        if s.dtype == object or str(s.dtype) == "str":
            out[column] = s.astype("string")
        elif s.dtype.kind == "b":
            out[column] = s.astype("boolean")
    return out
