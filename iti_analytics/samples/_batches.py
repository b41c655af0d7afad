"""Batches: what left a diversion point together, and who received it.

A batch is one product line (make, model, calibre) and one production year,
with consecutive serial numbers; ammunition lots, parts and IED components ride
with batches (:mod:`._items`). Batches are drawn per kind of point until
enough of their items are recovered inside the period; each goes to a first
receiver near its point and, now and then, partly to a second one.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import _catalog as catalog
from ._geo import geo, sample_rows, to_cdf, years_of
from ._kinds import (
    ARMED_GROUP,
    BATCH_SIZE_SIGMA,
    CIVILIAN,
    COMMERCIAL,
    EXPORT,
    HISTORIC,
    KINDS,
    MEAN_BATCH_ITEMS,
    OVERSAMPLE,
    RECEIVER_WEIGHTS,
    STOCKPILE,
    WORKSHOP,
)
from ._recovery import days_to_recovery, recovery_days_in_period


def product_lines() -> pd.DataFrame:
    """Every kind of item a batch can hold, one row per product line.

    Industrial weapons, converted blank-firers, craft weapons (no make, made
    where the workshop is) and IED components, with a weight per kind of
    diversion point (columns ``w0`` … ``w5`` in :data:`._kinds.KINDS` order).
    """
    industrial = catalog.lines().copy()
    industrial["item_kind"] = "weapon"
    industrial["production"] = "industrial"
    industrial["w0"], industrial["w1"], industrial["w2"], industrial["w3"] = (
        industrial["w_stockpile"],
        industrial["w_export"],
        industrial["w_historic"],
        industrial["w_civilian"],
    )
    industrial["w4"] = 0.0
    industrial["w5"] = 0.0
    converted = catalog.frame(
        catalog.CONVERTED, ["line", "make", "country", "model", "letters", "digits"]
    )
    converted = converted.assign(
        item_kind="weapon",
        production="converted",
        category="pistol",
        calibre=None,
        first_year=2008,
        last_year=2024,
        year_prefix=0,
        w4=1.0,
    )
    craft = catalog.frame(catalog.CRAFT, ["category", "calibre", "w4"])
    craft = craft.assign(
        line=[f"craft_{i}" for i in range(len(craft))],
        make=None,
        country=None,
        model=None,
        item_kind="weapon",
        production="craft",
        letters=0,
        digits=0,
        first_year=2000,
        last_year=2024,
        year_prefix=0,
        calibre=craft["calibre"].replace("", None),
    )
    explosives = catalog.frame(catalog.EXPLOSIVES, ["model", "model_fr", "w5"])
    explosives = explosives.assign(
        line=[f"expl_{i}" for i in range(len(explosives))],
        make=None,
        country=None,
        category=None,
        calibre=None,
        item_kind="explosive_component",
        production="industrial",
        letters=0,
        digits=0,
        first_year=2000,
        last_year=2024,
        year_prefix=0,
    )
    out = pd.concat([industrial, converted, craft, explosives], ignore_index=True)
    for kind in range(len(KINDS)):
        out[f"w{kind}"] = out[f"w{kind}"].fillna(0.0).astype(float)
    # craft lines serve craft workshops only; conversions only conversion workshops
    out["craft"] = out["production"].eq("craft")
    return out


def batches(
    rng: np.random.Generator,
    points: pd.DataFrame,
    lines: pd.DataFrame,
    n_by_kind: np.ndarray,
    nets: pd.DataFrame,
    start_day: int,
    end_day: int,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Batches leaving each point, and the items of each recovered in the period.

    Batches are drawn in rounds until enough of their items are recovered
    between ``start`` and ``end`` (a diversion in 2011 shows up in 2015–2024
    only through its slowest items; one in the future not at all). Returns
    the batches, and the batch and recovery day of every kept weapon (or IED
    component), sorted by batch.
    """
    end_year = int(years_of(np.array([end_day]))[0])
    parts, kept_batch, kept_day = [], [], []
    offset = 0
    first_year = points["first_year"].to_numpy()
    last_year = points["last_year"].to_numpy()
    for kind in range(len(KINDS)):
        wanted = int(n_by_kind[kind])
        of_kind = np.flatnonzero(points["kind"].to_numpy() == kind)
        if wanted == 0 or len(of_kind) == 0:
            continue
        weight = points["weight"].to_numpy()[of_kind]
        round_batches, round_items, round_days, found = [], [], [], 0
        for _ in range(12):
            n_batches = max(1, math.ceil(wanted / MEAN_BATCH_ITEMS[kind]))
            point = of_kind[
                rng.choice(len(of_kind), n_batches, p=weight / weight.sum())
            ]
            proportion = rng.lognormal(0.0, BATCH_SIZE_SIGMA[kind], n_batches)
            size = rng.multinomial(
                math.ceil(wanted * OVERSAMPLE), proportion / proportion.sum()
            )
            # diversion date inside the point's window (possibly after ``end``)
            year = first_year[point] + np.floor(
                rng.random(n_batches) * (last_year[point] - first_year[point] + 1)
            ).astype(int)
            new_year_day = (
                np.asarray(year - 1970, dtype="datetime64[Y]")
                .astype("datetime64[D]")
                .astype(np.int64)
            )
            diverted = new_year_day + rng.integers(0, 365, n_batches)
            local_batch = np.repeat(np.arange(n_batches), size)
            day = diverted[local_batch] + days_to_recovery(
                rng, np.full(len(local_batch), kind)
            )
            in_period = (day >= start_day) & (day <= end_day)
            first_batch = offset + sum(len(x) for x in round_batches)
            round_batches.append(
                pd.DataFrame({"dp": point, "kind": kind, "diverted_day": diverted})
            )
            round_items.append(first_batch + local_batch[in_period])
            round_days.append(day[in_period])
            found += int(in_period.sum())
            if found >= wanted:
                break
        of_kind_batches = pd.concat(round_batches, ignore_index=True)
        item_batch = np.concatenate(round_items)
        item_day = np.concatenate(round_days)
        if len(item_batch) >= wanted:
            keep = rng.choice(len(item_batch), wanted, replace=False)
            item_batch, item_day = item_batch[keep], item_day[keep]
        else:  # pathological windows: the rest get a date inside the period
            usable = np.flatnonzero(
                of_kind_batches["diverted_day"].to_numpy() < end_day
            )
            if not len(usable):
                usable = np.arange(len(of_kind_batches))
                of_kind_batches["diverted_day"] = np.minimum(
                    of_kind_batches["diverted_day"], end_day - 30
                )
            extra = (
                offset + usable[rng.integers(0, len(usable), wanted - len(item_batch))]
            )
            diverted = of_kind_batches["diverted_day"].to_numpy()[extra - offset]
            item_batch = np.concatenate([item_batch, extra])
            item_day = np.concatenate(
                [
                    item_day,
                    recovery_days_in_period(
                        rng, diverted, np.full(len(diverted), kind), start_day, end_day
                    ),
                ]
            )
        parts.append(of_kind_batches)
        kept_batch.append(item_batch)
        kept_day.append(item_day)
        offset += len(of_kind_batches)
    table = pd.concat(parts, ignore_index=True)
    item_batch, item_day = np.concatenate(kept_batch), np.concatenate(kept_day)
    # drop the batches nothing was recovered from, renumber the rest
    used, item_batch = np.unique(item_batch, return_inverse=True)
    table = table.iloc[used].reset_index(drop=True)
    order = np.argsort(item_batch, kind="stable")
    item_batch, item_day = item_batch[order], item_day[order]
    table["line"] = _batch_lines(rng, table, points, lines)
    _production_years(rng, table, points, lines)
    _import_marks(rng, table, points, lines)
    table["network"], table["network2"], table["share2"] = _batch_receivers(
        rng, table, points, nets
    )
    table["end_year"] = end_year
    return table, item_batch, item_day


def _production_years(rng, table: pd.DataFrame, points, lines) -> None:
    """Year of manufacture of each batch (``yom``), by kind of point."""
    count = len(table)
    diverted_year = years_of(table["diverted_day"].to_numpy())
    line_first = lines["first_year"].to_numpy()[table["line"]]
    line_last = lines["last_year"].to_numpy()[table["line"]]
    kind = table["kind"].to_numpy()
    low = np.where(
        kind == CIVILIAN,
        np.maximum(line_first, diverted_year - 25),
        np.maximum(line_first, 1985),
    )
    low = np.where(kind == HISTORIC, line_first, low)
    high = np.minimum(line_last, diverted_year)
    high = np.where(kind == HISTORIC, np.minimum(line_last, 1991), high)
    low = np.minimum(low, high)
    year = low + np.floor(rng.random(count) * (high - low + 1)).astype(int)
    export_year = points["export_year"].to_numpy()[table["dp"]]
    year = np.where(
        kind == EXPORT,
        np.clip(export_year - rng.integers(0, 3, count), line_first, line_last),
        year,
    )
    year = np.where(kind == WORKSHOP, diverted_year - rng.integers(0, 2, count), year)
    converted = lines["production"].to_numpy()[table["line"]] == "converted"
    year = np.where(converted, diverted_year - rng.integers(0, 4, count), year)
    year = np.where(kind == COMMERCIAL, diverted_year - rng.integers(0, 2, count), year)
    table["yom"] = np.minimum(year, diverted_year)


def _import_marks(rng, table: pd.DataFrame, points, lines) -> None:
    """Import marks (ITI section III) on the batch, and the import year."""
    count = len(table)
    kind = table["kind"].to_numpy()
    diverted_year = years_of(table["diverted_day"].to_numpy())
    export_year = points["export_year"].to_numpy()[table["dp"]]
    p_mark = np.select(
        [kind == EXPORT, kind == STOCKPILE, kind == HISTORIC, kind == CIVILIAN],
        [np.where(export_year >= 2006, 0.30, 0.05), 0.15, 0.02, 0.30],
        0.0,
    )
    industrial = lines["production"].to_numpy()[table["line"]] == "industrial"
    weapon = lines["item_kind"].to_numpy()[table["line"]] == "weapon"
    table["import_marked"] = (rng.random(count) < p_mark) & industrial & weapon
    table["import_year"] = np.where(
        kind == EXPORT,
        export_year,
        np.minimum(table["yom"] + rng.integers(0, 3, count), diverted_year),
    )


def _batch_lines(
    rng: np.random.Generator,
    table: pd.DataFrame,
    points: pd.DataFrame,
    lines: pd.DataFrame,
) -> np.ndarray:
    """The product line of each batch, from its point's kind and country."""
    atlas = geo()
    n_lines = len(lines)
    out = np.zeros(len(table), dtype=np.int64)
    line_country = lines["country"].to_numpy()
    kind = table["kind"].to_numpy()
    point_country = points["country"].to_numpy()[table["dp"]]
    for k in (STOCKPILE, HISTORIC, CIVILIAN):
        chosen = np.flatnonzero(kind == k)
        if not len(chosen):
            continue
        weights = np.tile(lines[f"w{k}"].to_numpy(), (atlas.n, 1))
        for country, affinity in catalog.AFFINITY.items():
            multiplier = np.array([affinity.get(x, 1.0) for x in line_country])
            weights[atlas.index[country]] *= multiplier
        out[chosen] = sample_rows(rng, to_cdf(weights), point_country[chosen])
    chosen = np.flatnonzero(kind == EXPORT)
    if len(chosen):
        point = table["dp"].to_numpy()[chosen]
        exporter = points["exporter"].to_numpy()[point]
        year = points["export_year"].to_numpy()[point]
        keys, consignment = np.unique(
            np.char.add(exporter.astype(str), year.astype(str)), return_inverse=True
        )
        weights = np.zeros((len(keys), n_lines))
        export_weight = lines["w1"].to_numpy()
        for i, key in enumerate(keys):
            exporter_code, export_year = key[:3], int(key[3:])
            own = (line_country == exporter_code) & (export_weight > 0)
            made_then = (
                own
                & (lines["first_year"].to_numpy() <= export_year)
                & (lines["last_year"].to_numpy() + 2 >= export_year)
            )
            weights[i] = export_weight * (made_then if made_then.any() else own)
        out[chosen] = sample_rows(rng, to_cdf(weights), consignment)
    chosen = np.flatnonzero(kind == WORKSHOP)
    if len(chosen):
        converts = (
            points["production"].to_numpy()[table["dp"].to_numpy()[chosen]]
            == "converted"
        )
        production = lines["production"].to_numpy()
        weights = np.vstack(
            [
                lines["w4"].to_numpy() * (production == "craft"),
                lines["w4"].to_numpy() * (production == "converted"),
            ]
        )
        out[chosen] = sample_rows(rng, to_cdf(weights), converts.astype(np.int64))
    chosen = np.flatnonzero(kind == COMMERCIAL)
    if len(chosen):
        weights = lines["w5"].to_numpy()[None, :]
        out[chosen] = sample_rows(
            rng, to_cdf(weights), np.zeros(len(chosen), dtype=np.int64)
        )
    return out


def _batch_receivers(
    rng: np.random.Generator,
    table: pd.DataFrame,
    points: pd.DataFrame,
    nets: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Primary and secondary receiver of each batch, and the share passed on."""
    atlas = geo()
    kind = table["kind"].to_numpy()
    count = len(table)
    country = points["country"].to_numpy()[table["dp"]]
    receiver_type = sample_rows(rng, to_cdf(RECEIVER_WEIGHTS), kind)
    local = np.isin(kind, [CIVILIAN, WORKSHOP]).astype(np.int64)
    net_type = nets["type_code"].to_numpy()
    home = nets["home"].to_numpy()
    weight = nets["weight"].to_numpy()
    # matrix rows: (type, local, country) -> network; local receivers are
    # closer (faster decay with the number of border crossings)
    decay = np.array([0.6, 1.5])
    n_types = len(RECEIVER_WEIGHTS[0])
    weights = np.zeros((n_types * 2 * atlas.n, len(nets)))
    for t in range(n_types):
        for is_local in range(2):
            for c in range(atlas.n):
                row = (t * 2 + is_local) * atlas.n + c
                weights[row] = (
                    (net_type == t)
                    * weight
                    * np.exp(-decay[is_local] * atlas.hops[c, home])
                )
    cdf = to_cdf(weights)

    def draw(types: np.ndarray, countries: np.ndarray) -> np.ndarray:
        # a type with no network at all falls back to armed groups
        present = np.bincount(net_type, minlength=n_types) > 0
        types = np.where(present[types], types, ARMED_GROUP)
        return sample_rows(rng, cdf, (types * 2 + local) * atlas.n + countries)

    first = draw(receiver_type, country)
    p_second = np.where(np.isin(kind, [CIVILIAN, WORKSHOP]), 0.10, 0.35)
    has_second = rng.random(count) < p_second
    second_type = sample_rows(rng, to_cdf(RECEIVER_WEIGHTS), kind)
    second = draw(second_type, home[first])
    second = np.where(has_second & (second != first), second, -1)
    share = np.where(second >= 0, rng.uniform(0.2, 0.6, count), 0.0)
    return first, second, share


def serials(
    rng: np.random.Generator, items: pd.DataFrame, lines: pd.DataFrame
) -> np.ndarray:
    """True serials: consecutive within a batch, unique across the batches of a line."""
    n = len(items)
    out = np.full(n, None, dtype=object)
    has_serial = (items["item_kind"].to_numpy() == "weapon") & (
        items["production"].to_numpy() != "craft"
    )
    marked = np.flatnonzero(has_serial)
    if not len(marked):
        return out
    order = marked[
        np.lexsort((rng.random(len(marked)), items["batch"].to_numpy()[marked]))
    ]
    batch = items["batch"].to_numpy()[order]
    # small gaps between consecutive recovered items (the others were not found)
    gaps = rng.geometric(0.75, len(order))
    running = np.cumsum(gaps)
    starts_batch = np.r_[True, batch[1:] != batch[:-1]]
    first_position = np.flatnonzero(starts_batch)
    segment = np.cumsum(starts_batch) - 1
    offset = (
        running - running[first_position][segment] + gaps[first_position][segment] - 1
    )
    n_batches = batch.max() + 1
    span = np.zeros(n_batches, dtype=np.int64)
    np.maximum.at(span, batch, offset + 1)
    line_of_batch = np.full(n_batches, -1)
    line_of_batch[batch] = items["line"].to_numpy()[order]
    year_of_batch = np.zeros(n_batches, dtype=np.int64)
    year_of_batch[batch] = items["yom"].to_numpy()[order]
    base = np.zeros(n_batches, dtype=np.int64)
    letters = lines["letters"].to_numpy()
    digits = lines["digits"].to_numpy()
    # batches of a line take successive, non-overlapping ranges, oldest first
    for line in np.unique(line_of_batch[line_of_batch >= 0]):
        of_line = np.flatnonzero(line_of_batch == line)
        of_line = of_line[
            np.lexsort((rng.random(len(of_line)), year_of_batch[of_line]))
        ]
        space = (26 ** int(letters[line])) * (10 ** int(digits[line]))
        spans = span[of_line]
        free = int(space * 0.85) - int(spans.sum())
        if free < 0:  # pragma: no cover - the catalog has room for ~10^7 items a line
            raise RuntimeError(f"serial space of line {line} exhausted")
        spacing = rng.random(len(of_line))
        spacing = np.floor(spacing / spacing.sum() * free).astype(np.int64)
        base[of_line] = int(space * 0.05) + np.cumsum(spacing + spans) - spans
    number = base[batch] + offset
    line = items["line"].to_numpy()[order]
    year = items["yom"].to_numpy()[order]
    text = np.empty(len(order), dtype=object)
    alphabet = np.array([chr(65 + v) for v in range(26)])
    for line_number in np.unique(line):
        of_line = line == line_number
        n_letters, n_digits = int(letters[line_number]), int(digits[line_number])
        value = number[of_line]
        body = np.char.zfill((value % 10**n_digits).astype(str), n_digits)
        rest = value // 10**n_digits
        prefix = np.full(len(value), "", dtype=f"<U{max(n_letters, 1)}")
        for _ in range(n_letters):
            prefix = np.char.add(alphabet[rest % 26], prefix)
            rest = rest // 26
        serial = np.char.add(prefix, body)
        if lines["year_prefix"].iloc[line_number]:
            serial = np.char.add(
                np.char.zfill((year[of_line] % 100).astype(str), 2), serial
            )
        text[of_line] = serial
    out[order] = text
    return out
