"""Synthetic worlds with ground truth: diversion, trafficking, seizures and traces.

:func:`generate_world` builds a world of illicit small arms and light weapons in
West and Central Africa and the Sahel, the records several agencies keep about
it, and the truth behind those records, so that linkage, batch finding and
selective tracing can be measured against what really happened.
:func:`load_sample` returns the small world bundled with the package.
:func:`generate_supply_world` builds a second, independent world (Latin
America and the Caribbean, Pareto-sized leaking stocks, batches split across
receivers and seizures, few past traces) with the same :class:`World` shape,
to check methods on a world they were not tuned on (see
:mod:`iti_analytics.samples.supply_world`).

The West Africa world is built entity by entity: diversion points
(``_points``), receivers (``_receivers``), batches and serials (``_batches``),
items (``_items``), seizure events (``_seizures``), agency records
(``_records``), trace requests (``_traces``) and the agencies' files
(``_render``); its catalogues and weights are CSV files under
``samples/data/west_africa/``, each row with its source.

The world
---------
Places
    Fifteen states where weapons are recovered (Mali, Burkina Faso, Niger, Chad,
    Nigeria, Cameroon, Central African Republic, Côte d'Ivoire, Ghana, Senegal,
    Guinea, Benin, Togo, Mauritania, Libya) and five neighbours where weapons
    only leave legal hands or pass through (Sudan, Algeria, Liberia, Sierra
    Leone, Guinea-Bissau); their first-level areas, towns and border posts;
    land borders give the routes. Seven conflict zones (central Sahel, Lake Chad
    basin, north-west Nigeria, Central African Republic, southern Libya,
    anglophone Cameroon, Casamance) host the armed groups.
Diversion points (``truth.diversion_point``) — where an item left legal hands
    * ``stockpile``: an armoury of a regional army, gendarmerie or police,
      losing weapons by theft, embezzlement, battlefield capture or loss, more
      often in recent years;
    * ``export``: a consignment from a manufacturing state (China, Bulgaria,
      Serbia, Russia, Belgium, United States, Romania, Turkey …) to a state of
      the region, retransferred without authorisation, embezzled or stolen;
      its weapons are factory-fresh and of one or two production years;
    * ``historic``: Cold War stocks (made in the USSR, Yugoslavia,
      Czechoslovakia, East Germany, China, Romania, Belgium, West Germany
      before 1991) looted in the crises of Libya 2011, Mali 2012, Côte d'Ivoire
      2011, Central African Republic 2013 … or embezzled;
    * ``civilian``: licensed dealers, security companies and private owners
      (pistols, revolvers, shotguns from Turkey, Italy, Brazil, Russia …);
    * ``workshop``: craft workshops (shotguns, single-shot pistols, no make,
      no serial) and workshops converting Turkish blank-firing pistols;
    * ``commercial``: explosives stores of mines and quarries (detonators,
      detonating cord, ammonium nitrate: IED components).

    The size of points is heavy-tailed (a few looted depots supply thousands of
    items; most dealers leak a handful).
Batches (``truth.batch_id``)
    What left a point together: one make, model and year with consecutive
    serial numbers (small gaps where items were never recovered), and the
    ammunition lot (shared lot number and headstamp) that travelled with it.
Receivers (``truth.network_id``)
    Armed groups (by conflict zone), criminal groups (by city quarter),
    trafficking networks (along corridors such as Libya–Niger–Mali or
    Sudan–Chad–CAR, named after their leading dealer) and lone individuals.
    Military materiel goes mostly to armed groups and traffickers, civilian and
    craft guns mostly to gangs and individuals, always preferring receivers
    close to the point; about a third of the military batches are partly
    passed on to a second receiver.
Recoveries
    Items are recovered after a log-normal delay (median 1–3.5 years, longer for
    Cold War stocks); only those recovered between ``start`` and ``end``
    become records, so old diversions show up through their slowest items.
    Items of a receiver recovered close together form one seizure event
    (arms caches are larger than gang seizures) in a place of the receiver's
    area: ``conflict``, ``border`` (at a border post), ``crime`` or
    ``stockpile`` (weapons handed in), with status ``seized``, ``found`` or
    ``surrendered``. Markings: most serials intact; obliterated more often by
    gangs; craft weapons carry none; converted pistols often filed.
Agencies and their records (``world.dataset``)
    The army reports conflict and collection events, customs border seizures,
    the police everything else plus weapons handed over by the army or customs
    (registered again, days later, under a police number) and a few weapons
    entered twice. Records leave fields blank at each agency's own rate,
    transpose two serial digits now and then (often in the repeat reports),
    write partial serials with ``?``, spell actors their own way ("Moussa
    Traoré", "TRAORE Moussa", "Moussa Traore", acronyms of armed groups).
    Only customs record ammunition lots, headstamps and routes in columns;
    the police mention headstamps and lots in their notes; the army's form
    has no notes.
Trace requests (``world.dataset.traces``)
    About one weapon in seven, more in conflict areas and with intact serials,
    is traced: to the state that imported them (import mark), to the
    manufacturer, or to the state of manufacture (successor states answer for
    the USSR, Yugoslavia, Czechoslovakia, East Germany). Each party has its own
    chance and speed of answering (several almost never answer; requests sent
    late in the period are still open). The answer depends on the markings
    (no usable serial: incomplete request; a transposed digit: record not
    found), on age (records of weapons made more than 30 years earlier are
    often unavailable), on the party (refusals), and on the kind of point
    (exports are traced to the end user most often, Cold War stocks least).
    ``traced`` answers give the last legal holder, the diversion country, year
    and mode, consistent with the truth; ``partially_traced`` answers give the
    last legal holder only.

The truth table
---------------
One row per record of ``world.dataset.items``:

``record_id``, ``source``
    The record, as in the dataset.
``true_weapon_id``
    The physical item: two records with the same id are the same weapon (or the
    same ammunition lot) reported twice — use it for linkage precision/recall.
``repeat_report``
    True for the second report of an item.
``batch_id``, ``diversion_point``, ``diversion_kind``, ``diversion_country``,
``diversion_year``, ``diversion_mode``, ``last_legal_holder``
    Where, when and how the item left legal hands.
``network_id``, ``network_type``
    Who received it (``armed_group``, ``criminal_group``, ``trafficking``,
    ``individual``); a supply line is a (diversion point, armed group) pair.
``true_actor_id``
    The real actor behind the record's ``actor`` spelling (null when none).
``true_make``, ``true_model``, ``true_serial``, ``true_country_of_manufacture``,
``true_year_of_manufacture``, ``serial_error``
    What is really marked on the item, and whether the record's serial is wrong.
``trace_party``, ``trace_party_type``, ``trace_outcome``, ``reveals_diversion_point``
    Whom a trace request for this record goes to and what it eventually
    returns (``pending`` if never answered; null for items that are not
    weapons). For records traced in the dataset it is the outcome of that
    request once answered. ``reveals_diversion_point`` is ``trace_outcome ==
    "traced"``: what tracing strategies are scored on.

``world.actor_truth`` maps each ``actors.actor_id`` (one per agency spelling) to
its ``true_actor_id``; ``world.diversion_points``, ``world.batches`` and
``world.networks`` describe the hidden entities.

Examples
--------
>>> from iti_analytics.samples import generate_world
>>> w = generate_world(400, seed=1)
>>> len(w.dataset.items), w.truth["record_id"].is_unique
(400, True)
>>> sorted(w.truth["diversion_kind"].unique())[:3]
['civilian', 'commercial', 'export']
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..exceptions import InvalidParameterError
from .supply_world import generate_supply_world

if TYPE_CHECKING:  # pragma: no cover
    from ..dataset import Dataset

__all__ = [
    "World",
    "generate_world",
    "generate_supply_world",
    "load_sample",
    "load_sample_world",
    "sample_files",
    "SAMPLE_SEED",
    "SAMPLE_ITEMS",
]

#: the bundled world: ``generate_world(SAMPLE_ITEMS, seed=SAMPLE_SEED)``.
SAMPLE_SEED = 0
SAMPLE_ITEMS = 3000

_TABLES = ("items", "traces", "actors", "movements")
_HIDDEN = ("truth", "diversion_points", "batches", "networks", "actor_truth")
_SOURCE_FILES = {
    "police_fr": "police_fr.csv",
    "customs_en": "customs_en.xlsx",
    "army": "army.json",
    "traces": "traces.csv",
}


@dataclass
class World:
    """A synthetic world: the agencies' dataset and the truth behind it.

    Attributes
    ----------
    dataset : Dataset
        Canonical ``items``, ``traces``, ``actors`` and ``movements`` as the
        agencies' records amount to: the files of :meth:`write_sources` read
        perfectly, plus what each form leaves implicit (every row's
        ``agency``, the ``status`` of army and customs rows, ``setting`` of
        customs rows: ``"border"``). Areas (``admin1``) are ISO 3166-2 codes
        where they have one; ``model`` is upper case; ``production`` is only
        set for craft and converted weapons.
    truth : DataFrame
        One row per item record (see the module documentation).
    diversion_points, batches, networks : DataFrame
        The hidden entities: where items left legal hands, what left together,
        who received it.
    actor_truth : DataFrame
        ``actor_id`` (an agency's spelling) -> ``true_actor_id``.
    seed, n_items, start, end
        How the world was made.
    """

    dataset: Dataset
    truth: pd.DataFrame
    diversion_points: pd.DataFrame
    batches: pd.DataFrame
    networks: pd.DataFrame
    actor_truth: pd.DataFrame
    seed: int = 0
    n_items: int = 0
    start: str = "2015-01-01"
    end: str = "2024-12-31"

    def write_sources(self, directory: str | os.PathLike[str]) -> dict[str, Path]:
        """Write the agencies' messy files into ``directory`` (created if needed).

        ``police_fr.csv`` (French, ``;``, cp1252, dd/mm/yyyy, a blank and a
        separator line), ``customs_en.xlsx`` (two title rows above the header),
        ``army.json`` (records) and ``traces.csv``. Every row carries its
        record id; what differs from :attr:`dataset` is only how values are
        written (language, format, a misspelt make or country now and then).
        The same world always writes the same files.

        Returns
        -------
        dict
            ``{"police_fr": path, "customs_en": path, "army": path,
            "traces": path}``.

        Examples
        --------
        >>> import tempfile
        >>> w = generate_world(300, seed=2)
        >>> paths = w.write_sources(tempfile.mkdtemp())
        >>> sorted(p.name for p in paths.values())
        ['army.json', 'customs_en.xlsx', 'police_fr.csv', 'traces.csv']
        """
        from ._render import write_sources

        return write_sources(
            self.dataset.items, self.dataset.traces, directory, self.seed
        )

    def __repr__(self) -> str:
        ds = self.dataset
        return (
            f"World(n_items={len(ds.items)}, traces={len(ds.traces)}, "
            f"diversion_points={len(self.diversion_points)}, "
            f"batches={len(self.batches)}, seed={self.seed}, "
            f"period={self.start}..{self.end})"
        )


def _check(n_items, seed, start, end) -> tuple[int, int, str, str]:
    if isinstance(n_items, bool) or not isinstance(n_items, int) or n_items < 10:
        raise InvalidParameterError(
            f"`n_items` must be an integer of at least 10, but {n_items!r} was passed."
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidParameterError(
            f"`seed` must be a non-negative integer, but {seed!r} was passed."
        )
    try:
        t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    except (TypeError, ValueError) as err:
        raise InvalidParameterError(
            f"`start` and `end` must be dates such as '2015-01-01', but {start!r} and "
            f"{end!r} were passed."
        ) from err
    if (
        not (pd.Timestamp("1990-01-01") <= t0 < t1 <= pd.Timestamp("2100-01-01"))
        or (t1 - t0).days < 90
    ):
        raise InvalidParameterError(
            f"The period from `start` {start!r} to `end` {end!r} must run forwards, "
            "last at least 90 days and lie between 1990 and 2100."
        )
    return n_items, seed, t0.strftime("%Y-%m-%d"), t1.strftime("%Y-%m-%d")


def generate_world(
    n_items: int = 3000,
    seed: int = 0,
    *,
    start: str = "2015-01-01",
    end: str = "2024-12-31",
) -> World:
    """Build a synthetic world of diverted weapons, seizures and trace requests.

    Parameters
    ----------
    n_items : int, default 3000
        Number of item records (seizure rows) across the three agencies,
        repeat reports of the same weapon included (about 3.5 %).
    seed : int, default 0
        Seed of the random generator: the same seed gives the same world.
    start, end : str, default "2015-01-01", "2024-12-31"
        Recovery period (at least 90 days).

    Returns
    -------
    World
        ``world.dataset`` (a :class:`~iti_analytics.dataset.Dataset`),
        ``world.truth`` and the hidden entities; see the module documentation
        for what they hold.

    Raises
    ------
    InvalidParameterError
        ``n_items`` below 10, a negative seed, or an unusable period.

    Notes
    -----
    Vectorised: 20,000 items take a few seconds, 1,000,000 well under a
    minute on one core.

    Examples
    --------
    >>> w = generate_world(500, seed=3)
    >>> items, truth = w.dataset.items, w.truth
    >>> bool((truth["trace_outcome"] == "traced").any())
    True
    >>> # repeat reports share the weapon id of the first report
    >>> repeats = truth[truth["repeat_report"]]
    >>> bool(repeats["true_weapon_id"].isin(truth.loc[~truth["repeat_report"],
    ...      "true_weapon_id"]).all())
    True
    """
    n_items, seed, start, end = _check(n_items, seed, start, end)
    from ..dataset import Dataset
    from ._generate import build

    t = build(n_items, seed, start, end)
    ds = Dataset(
        items=t["items"],
        traces=t["traces"],
        actors=t["actors"],
        movements=t["movements"],
        validate=n_items <= 50_000,
    )
    return World(
        dataset=ds,
        truth=t["truth"],
        diversion_points=t["diversion_points"],
        batches=t["batches"],
        networks=t["networks"],
        actor_truth=t["actor_truth"],
        seed=seed,
        n_items=n_items,
        start=start,
        end=end,
    )


def _sample_dir():
    return resources.files("iti_analytics").joinpath("sample_data")


def _read_sample(name: str) -> pd.DataFrame:
    from ..exceptions import FileFormatError

    res = _sample_dir().joinpath(f"{name}.parquet")
    try:
        with resources.as_file(res) as path:
            return pd.read_parquet(path)
    except (FileNotFoundError, OSError) as err:
        raise FileFormatError(
            f"The bundled sample table {name}.parquet is missing from "
            f"{_sample_dir()}: the installation is incomplete. Reinstall "
            "iti-analytics, or rebuild it with `python tools/make_sample.py`."
        ) from err


def load_sample() -> Dataset:
    """The bundled small world (about 3,000 item records) as a Dataset.

    Read from the Parquet files shipped in ``iti_analytics/sample_data``
    (works after a regular ``pip install``). The truth is in
    :func:`load_sample_world`; the agencies' messy files of the same world are
    listed by :func:`sample_files`.

    Examples
    --------
    >>> ds = load_sample()
    >>> len(ds.items), sorted(ds.items["source"].unique())
    (3000, ['army', 'customs_en', 'police_fr'])
    """
    from ..dataset import Dataset

    tables = {name: _read_sample(name) for name in _TABLES}
    return Dataset(**tables)


def load_sample_world() -> World:
    """The bundled small world with its truth (see :func:`load_sample`).

    Examples
    --------
    >>> w = load_sample_world()
    >>> w.truth["record_id"].equals(w.dataset.items["record_id"])
    True
    """
    ds = load_sample()
    hidden = {name: _read_sample(name) for name in _HIDDEN}
    return World(dataset=ds, seed=SAMPLE_SEED, n_items=len(ds.items), **hidden)


def sample_files() -> dict[str, Path]:
    """Paths of the bundled messy source files (for ``iti load`` demos).

    Examples
    --------
    >>> sorted(sample_files())
    ['army', 'customs_en', 'police_fr', 'traces']
    >>> sample_files()["police_fr"].name
    'police_fr.csv'
    """
    root = _sample_dir()
    out = {}
    for name, filename in _SOURCE_FILES.items():
        res = root.joinpath(filename)
        # regular installs keep package data as files on disk
        out[name] = Path(str(res))
    return out
