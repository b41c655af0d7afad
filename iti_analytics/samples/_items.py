"""Items: every physical weapon, ammunition lot, part and IED component.

Weapons and IED components come from their batch (one row per recovered item,
drawn in :mod:`._batches`); ammunition lots and parts are added to batches
whose calibre or production fits. Each item gets its receiver, recovery day,
the state of its markings and its import mark.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _catalog as catalog
from ._draws import pick
from ._geo import frame_of, obj, sample_rows, to_cdf, years_of
from ._kinds import CIVILIAN, CRIMINAL_GROUP, EXPORT, HISTORIC, INDIVIDUAL, STOCKPILE
from ._recovery import recovery_days_in_period


def items(
    rng: np.random.Generator,
    batches: pd.DataFrame,
    item_batch: np.ndarray,
    item_day: np.ndarray,
    lines: pd.DataFrame,
    nets: pd.DataFrame,
    n_ammunition: int,
    n_parts: int,
    start_day: int,
    end_day: int,
) -> pd.DataFrame:
    """One row per physical item (weapon, ammunition lot, part, IED component).

    ``item_batch`` and ``item_day`` are the batch and recovery day of each
    weapon or IED component (from :func:`._batches.batches`).
    """
    n_batches = len(batches)
    line = batches["line"].to_numpy()
    line_item_kind = lines["item_kind"].to_numpy()
    line_production = lines["production"].to_numpy()
    count = np.bincount(item_batch, minlength=n_batches)
    # ammunition: rides with batches whose calibre has ammunition
    ammunition = catalog.frame(
        catalog.AMMUNITION, ["make", "country", "calibre", "code", "w"]
    )
    line_calibre = lines["calibre"].to_numpy()
    ammunition_weight = np.zeros((len(lines), len(ammunition)))
    for a, (calibre, country, weight) in enumerate(
        zip(ammunition["calibre"], ammunition["country"], ammunition["w"], strict=True)
    ):
        ammunition_weight[:, a] = (
            weight
            * (line_calibre == calibre)
            * np.where(lines["country"].to_numpy() == country, 3, 1)
        )
    with_ammunition = (ammunition_weight[line].sum(axis=1) > 0) & np.isin(
        batches["kind"], [STOCKPILE, EXPORT, HISTORIC, CIVILIAN]
    )
    ammunition_line = np.full(n_batches, -1)
    eligible = np.flatnonzero(with_ammunition)
    if len(eligible):
        ammunition_line[eligible] = sample_rows(
            rng, to_cdf(ammunition_weight), line[eligible]
        )
    if len(eligible) and n_ammunition:
        p = count[eligible] ** 0.8
        ammunition_batch = eligible[
            rng.choice(len(eligible), n_ammunition, p=p / p.sum())
        ]
    else:
        ammunition_batch = np.zeros(0, dtype=np.int64)
    # parts: industrial weapon batches
    industrial_weapons = np.flatnonzero(
        (line_production[line] == "industrial") & (line_item_kind[line] == "weapon")
    )
    if len(industrial_weapons) and n_parts:
        part_batch = industrial_weapons[
            rng.choice(
                len(industrial_weapons),
                n_parts,
                p=count[industrial_weapons] / count[industrial_weapons].sum(),
            )
        ]
    else:
        part_batch = np.zeros(0, dtype=np.int64)
    batch = np.concatenate([item_batch, ammunition_batch, part_batch])
    n = len(batch)
    item_kind = np.concatenate(
        [
            line_item_kind[line[item_batch]],
            np.full(len(ammunition_batch), "ammunition", dtype=object),
            np.full(len(part_batch), "part", dtype=object),
        ]
    )
    table = frame_of({"batch": batch, "item_kind": item_kind})
    table["line"] = line[batch]
    table["kind"] = batches["kind"].to_numpy()[batch]
    table["dp"] = batches["dp"].to_numpy()[batch]
    table["production"] = obj(line_production[table["line"]])
    table["make"] = obj(lines["make"].to_numpy()[table["line"]])
    table["model"] = obj(lines["model"].to_numpy()[table["line"]])
    table["category"] = obj(lines["category"].to_numpy()[table["line"]])
    table["calibre"] = obj(lines["calibre"].to_numpy()[table["line"]])
    table["com"] = obj(lines["country"].to_numpy()[table["line"]])
    table["yom"] = batches["yom"].to_numpy()[batch]
    _ammunition_details(rng, table, batches, ammunition, ammunition_line)
    _quantities(rng, table)
    # the receiving network: part of some batches was passed on
    second = batches["network2"].to_numpy()[batch]
    passed = (second >= 0) & (rng.random(n) < batches["share2"].to_numpy()[batch])
    table["network"] = np.where(passed, second, batches["network"].to_numpy()[batch])
    # recovery date: ammunition and parts follow their batch's delay, in the period
    extra = np.arange(len(item_batch), n)
    diverted = batches["diverted_day"].to_numpy()[batch[extra]]
    extra_day = recovery_days_in_period(
        rng, diverted, table["kind"].to_numpy()[extra], start_day, end_day
    )
    table["seized_day"] = np.concatenate([item_day, extra_day])
    # physical state of the markings
    table["serial_status"] = obj(_serial_status(rng, table, nets))
    table["import_marked"] = batches["import_marked"].to_numpy()[batch] & (
        table["item_kind"].to_numpy() == "weapon"
    )
    return table


def _ammunition_details(rng, table, batches, ammunition, ammunition_line) -> None:
    """Make, country, year, lot and headstamp of ammunition; lots of IED parts."""
    n_batches = len(batches)
    batch = table["batch"].to_numpy()
    is_ammunition = table["item_kind"].to_numpy() == "ammunition"
    item_line = ammunition_line[batch]
    ammunition_make = np.where(
        item_line >= 0, ammunition["make"].to_numpy()[np.maximum(item_line, 0)], None
    )
    ammunition_country = np.where(
        item_line >= 0,
        ammunition["country"].to_numpy()[np.maximum(item_line, 0)],
        None,
    )
    safe_line = np.maximum(ammunition_line, 0)
    table.loc[is_ammunition, "make"] = ammunition_make[is_ammunition]
    table.loc[is_ammunition, "com"] = ammunition_country[is_ammunition]
    table.loc[is_ammunition, "model"] = None
    table.loc[is_ammunition, "category"] = None
    # ammunition year: recent resupply or old stock; lot shared by the batch
    diverted_year = years_of(batches["diverted_day"].to_numpy())
    year = np.maximum(diverted_year - rng.integers(0, 9, n_batches), 1965)
    soviet = np.isin(ammunition["country"].to_numpy()[safe_line], ["SUN"])
    year = np.where(soviet, np.minimum(year, 1991), year)
    code = np.where(ammunition_line >= 0, ammunition["code"].to_numpy()[safe_line], "")
    lot_number = rng.integers(1, 900, n_batches)
    two_digit_year = np.char.zfill((year % 100).astype(str), 2)
    lot = np.where(
        code != "",
        np.char.add(
            np.char.add(np.char.add(code.astype(str), "-"), two_digit_year),
            np.char.add("-", np.char.zfill(lot_number.astype(str), 4)),
        ),
        np.char.add(
            np.char.add("LOT ", two_digit_year),
            np.char.add("/", lot_number.astype(str)),
        ),
    )
    headstamp = np.where(
        code != "", np.char.add(np.char.add(code.astype(str), " "), two_digit_year), ""
    )
    table["lot"] = None
    table["headstamp"] = None
    table.loc[is_ammunition, "lot"] = lot[batch][is_ammunition]
    item_headstamp = headstamp[batch]
    stamped = is_ammunition & (item_headstamp != "")
    table.loc[stamped, "headstamp"] = item_headstamp[stamped]
    table.loc[is_ammunition, "yom"] = year[batch][is_ammunition]
    is_explosive = table["item_kind"].to_numpy() == "explosive_component"
    explosive_lot = np.char.add(
        np.char.add("L", two_digit_year),
        np.char.zfill(rng.integers(1, 9999, n_batches).astype(str), 4),
    )
    table.loc[is_explosive, "lot"] = explosive_lot[batch][is_explosive]


def _quantities(rng, table: pd.DataFrame) -> None:
    """Rounds per ammunition lot, units per IED component or part; 1 per weapon."""
    n = len(table)
    item_kind = table["item_kind"].to_numpy()
    is_ammunition = item_kind == "ammunition"
    quantity = np.ones(n, dtype=np.int64)
    large_calibre = np.isin(table["calibre"].to_numpy(), ["40mm", "60mm", "82mm"])
    rounds = np.maximum(1, np.round(rng.lognormal(np.log(120), 1.2, n))).astype(
        np.int64
    )
    quantity = np.where(is_ammunition & ~large_calibre, rounds, quantity)
    quantity = np.where(is_ammunition & large_calibre, rng.integers(1, 16, n), quantity)
    quantity = np.where(
        item_kind == "explosive_component", rng.integers(1, 120, n), quantity
    )
    quantity = np.where(item_kind == "part", rng.integers(1, 6, n), quantity)
    table["quantity"] = quantity
    table["part_name"] = None
    is_part = item_kind == "part"
    table.loc[is_part, "part_name"] = pick(
        rng, [p[0] for p in catalog.PARTS], int(is_part.sum()), [0.7, 0.15, 0.15]
    )


def _serial_status(rng: np.random.Generator, table: pd.DataFrame, nets: pd.DataFrame):
    """Intact, partial, obliterated or absent serials (gangs file them more)."""
    n = len(table)
    receiver_type = nets["type_code"].to_numpy()[table["network"].to_numpy()]
    street = np.isin(receiver_type, [CRIMINAL_GROUP, INDIVIDUAL])
    u = rng.random(n)
    p_obliterated = np.where(street, 0.15, 0.08)
    status = np.where(
        u < 0.02,
        "absent",
        np.where(
            u < 0.02 + p_obliterated,
            "obliterated",
            np.where(u < 0.08 + p_obliterated, "partial", "intact"),
        ),
    )
    production = table["production"].to_numpy()
    u_converted = rng.random(n)
    converted = np.where(
        u_converted < 0.35,
        "obliterated",
        np.where(u_converted < 0.45, "partial", "intact"),
    )
    status = np.where(production == "converted", converted, status)
    status = np.where(production == "craft", "absent", status)
    weapon = table["item_kind"].to_numpy() == "weapon"
    return np.where(weapon, status, None)
