"""Diversion points: where items leave legal hands, when, how and from whom.

Six kinds (:data:`._kinds.KINDS`): state stockpiles, diverted export
consignments, Cold War (historic) stocks, civilian holders, craft and
conversion workshops, and commercial explosives stores. Each point has a
country, a window of years during which it leaks, a mode of diversion, a
Pareto weight (a few points supply most batches), a last legal holder and a
readable label.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _catalog as catalog
from ._draws import pareto, pick
from ._geo import FRANCOPHONE, country_weights, geo
from ._kinds import (
    CIVILIAN,
    EXPORT,
    HISTORIC,
    STOCKPILE,
    WORKSHOP,
    country_weights_of,
)
from ._kinds import KINDS as _KINDS


def diversion_points(
    rng: np.random.Generator, n_physical: int, end_year: int
) -> pd.DataFrame:
    """Stockpiles, diverted exports, historic stocks, civilian holders, workshops."""
    atlas = geo()
    scale = max(n_physical, 300) / 3000
    counts = [
        max(3, round(25 * scale**0.5)),
        max(3, round(20 * scale**0.5)),
        max(2, round(10 * scale**0.45)),
        max(5, round(180 * scale**0.8)),
        max(3, round(25 * scale**0.55)),
        max(2, round(6 * scale**0.5)),
    ]
    product_lines = catalog.lines()
    exporters = product_lines.groupby("country")["w_export"].sum()
    exporters = exporters[exporters > 0]
    parts = []
    for kind, count in enumerate(counts):
        if kind == WORKSHOP:
            converted = rng.random(count) < 0.3
            country = np.where(
                converted,
                rng.choice(
                    atlas.n,
                    count,
                    p=country_weights(country_weights_of("conversion_workshop")),
                ),
                rng.choice(
                    atlas.n, count, p=country_weights(country_weights_of("workshop"))
                ),
            )
        else:
            converted = np.zeros(count, dtype=bool)
            country = rng.choice(
                atlas.n, count, p=country_weights(country_weights_of(_KINDS[kind]))
            )
        alpha, cap = (2.5, 10.0) if kind == CIVILIAN else (1.3, 200.0)
        points = pd.DataFrame(
            {
                "kind": kind,
                "country": country,
                "weight": pareto(rng, alpha, count, cap),
                "production": np.where(
                    converted,
                    "converted",
                    "craft" if kind == WORKSHOP else "industrial",
                ),
            }
        )
        first_year = rng.integers(2002, 2024, count)
        years_open = rng.integers(0, 7, count)
        points["exporter"] = None
        points["export_year"] = -1
        if kind == HISTORIC:
            first_year, years_open, mode = _historic_windows(
                rng, atlas.codes[country], first_year, years_open
            )
        elif kind == STOCKPILE:
            # losses from stockpiles grew with the Sahel conflicts
            first_year = 2002 + np.floor(23 * np.sqrt(rng.random(count))).astype(int)
            mode = pick(
                rng,
                ["theft", "embezzlement", "battlefield_capture", "loss"],
                count,
                [0.3, 0.35, 0.25, 0.1],
            )
        elif kind == EXPORT:
            points["exporter"] = pick(rng, exporters.index, count, exporters.to_numpy())
            earliest = product_lines.groupby("country")["first_year"].min()
            latest = product_lines.groupby("country")["last_year"].max()
            low = np.maximum(2000, earliest.reindex(points["exporter"]).to_numpy())
            high = np.minimum(
                end_year - 1, latest.reindex(points["exporter"]).to_numpy()
            )
            year = low + np.floor(rng.random(count) * (high - low + 1)).astype(int)
            points["export_year"] = year
            first_year = year
            years_open = rng.integers(0, 5, count)
            mode = pick(
                rng,
                ["unauthorised_retransfer", "embezzlement", "theft"],
                count,
                [0.5, 0.3, 0.2],
            )
        elif kind == CIVILIAN:
            first_year = rng.integers(2002, 2025, count)
            points["holder_kind"] = pick(
                rng, ["dealer", "security", "owner"], count, [0.45, 0.2, 0.35]
            )
            mode = _civilian_modes(rng, points["holder_kind"].to_numpy())
        elif kind == WORKSHOP:
            first_year = rng.integers(2005, 2023, count)
            years_open = rng.integers(2, 10, count)
            mode = np.full(count, "other", dtype=object)
        else:
            mode = pick(rng, ["theft", "embezzlement"], count, [0.6, 0.4])
        points["first_year"] = first_year
        points["last_year"] = first_year + years_open
        points["mode"] = mode
        parts.append(points)
    points = pd.concat(parts, ignore_index=True)
    if "holder_kind" not in points:
        points["holder_kind"] = None
    _name_points(rng, points)
    return points


def _historic_windows(rng, codes, first_year, years_open):
    """Cold War stocks leak in the crises of their country (or are embezzled)."""
    count = len(codes)
    looting = np.zeros(count, dtype=bool)
    for i, code in enumerate(codes):
        years = catalog.LOOTING_YEARS.get(code)
        if years and rng.random() < 0.7:
            first_year[i] = years[rng.integers(len(years))]
            years_open[i] = rng.integers(0, 2)
            looting[i] = True
    first_year = np.where(looting, first_year, rng.integers(2005, 2023, count))
    capture = looting & (first_year >= 2014)
    mode = np.where(
        capture,
        pick(rng, ["battlefield_capture", "theft"], count, [0.6, 0.4]),
        np.where(
            looting,
            "theft",
            pick(rng, ["embezzlement", "theft", "loss"], count, [0.6, 0.3, 0.1]),
        ),
    )
    return first_year, years_open, mode


def _civilian_modes(rng, holder_kind: np.ndarray) -> np.ndarray:
    """How dealers, security companies and private owners lose weapons."""
    mode = np.empty(len(holder_kind), dtype=object)
    for kind, options, p in (
        (
            "dealer",
            ["unauthorised_retransfer", "theft", "embezzlement"],
            [0.5, 0.35, 0.15],
        ),
        ("security", ["embezzlement", "theft", "loss"], [0.5, 0.3, 0.2]),
        ("owner", ["theft", "loss"], [0.7, 0.3]),
    ):
        chosen = holder_kind == kind
        mode[chosen] = pick(rng, options, int(chosen.sum()), p)
    return mode


def _name_points(rng: np.random.Generator, points: pd.DataFrame) -> None:
    """Holder (last legal holder) and a human label of each point."""
    atlas = geo()
    holders, labels = [], []
    last_names = catalog.LAST_NAMES
    names_en = atlas.countries["name_en"].to_numpy(dtype=object)
    forces_of = {c: f.split("|") for c, f in catalog.FORCES.items()}
    places_of = [atlas.place_names(c) for c in range(atlas.n)]
    draws = rng.random((len(points), 4))
    rows = zip(
        points["kind"],
        points["country"],
        points["exporter"],
        points["export_year"],
        points["holder_kind"],
        points["production"],
        strict=True,
    )
    for (kind, country, exporter, year, holder_kind, production), (
        place_draw,
        name_draw,
        force_draw,
        consignment_draw,
    ) in zip(rows, draws, strict=True):
        code = atlas.codes[country]
        french = code in FRANCOPHONE
        places = places_of[country]
        place = places[int(place_draw * len(places))]
        last = last_names[int(name_draw * len(last_names))]
        if kind in (STOCKPILE, HISTORIC):
            forces = forces_of[code]
            holder = forces[int(force_draw * len(forces))]
            label = (
                f"{holder}, dépôt de {place}" if french else f"{holder}, {place} depot"
            )
            if kind == HISTORIC:
                label += " (Cold War stocks)"
        elif kind == EXPORT:
            holder = f"Ministry of Defence, {names_en[country]}"
            consignment = 1 + int(consignment_draw * 98)
            label = f"export {exporter} to {code} {year}, consignment {consignment}"
        elif kind == CIVILIAN:
            if holder_kind == "dealer":
                holder = f"Armurerie {last}" if french else f"{last} Arms Dealers Ltd"
            elif holder_kind == "security":
                holder = (
                    f"{last} Sécurité SARL" if french else f"{last} Security Services"
                )
            else:
                holder = (
                    f"particulier ({place})" if french else f"private owner ({place})"
                )
            label = f"{holder}, {place}"
        elif kind == WORKSHOP:
            if production == "converted":
                holder = "atelier de conversion" if french else "conversion workshop"
            else:
                holder = "atelier artisanal" if french else "craft workshop"
            label = f"{holder}, {place}"
        else:
            holder = f"Société minière {last}" if french else f"{last} Mining Ltd"
            label = f"{holder}, explosives store near {place}"
        holders.append(holder)
        labels.append(label)
    points["holder"] = holders
    points["label"] = labels
