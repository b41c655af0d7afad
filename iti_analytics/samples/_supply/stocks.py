"""Diversion points and the batches that leave them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import (
    DIVERSION_KINDS,
    IMPORT_MARKING,
    KIND_WEIGHT_LARGE,
    KIND_WEIGHT_SMALL,
    draw,
    draw_in_groups,
    draw_per_row,
    first_day_of_year,
    lomax,
    object_frame,
    year_of,
)


class StocksMixin:
    """Diversion points and the batches that leave them."""

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
        weights = (1 - t) * KIND_WEIGHT_SMALL + t * KIND_WEIGHT_LARGE
        kind = draw_per_row(rng, np.cumsum(weights, axis=1))
        # holder and country from the holders catalogue of that kind
        holders = self.holders
        holder_kind = holders["kind"].map({k: i for i, k in enumerate(DIVERSION_KINDS)})
        holder = draw_in_groups(
            rng,
            holder_kind.to_numpy(),
            holders["weight"].to_numpy(float),
            kind,
        )
        country = holders["country"].to_numpy(dtype=object)[holder]
        owner_type = holders["owner_type"].to_numpy(dtype=object)[holder]
        name = holders["holder"].to_numpy(dtype=object)[holder]
        # dealers and private owners get a number of their own
        private = np.isin(owner_type, ["dealer", "private"])
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
            long_leak, np.minimum(lomax(rng, 1.5, 300.0, count), 6 * 365), 1
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
        self.points = object_frame(
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

    def _model_pool(self, owner_type: np.ndarray) -> np.ndarray:
        """Which catalogue ``use`` a holder's batch comes from (per batch)."""
        u = self.rng.random(len(owner_type))
        return np.select(
            [
                (owner_type == "armed_forces") & (u < 0.85),
                owner_type == "armed_forces",
                (owner_type == "police") & (u < 0.7),
                owner_type == "police",
            ],
            ["military", "police", "police", "military"],
            "civilian",
        )

    def _draw_models(
        self, use: np.ndarray, country: np.ndarray, *, home_weight: float
    ) -> np.ndarray:
        """A catalogue model of the given ``use`` per row; home makes weigh more."""
        models = self.models
        model_use = models["use"].to_numpy(dtype=object)
        model_country = models["country"].to_numpy(dtype=object)
        model_weight = models["weight"].to_numpy(float)
        key = pd.Series(np.asarray(use, dtype=object) + "|" + country)
        model = np.empty(len(key), dtype=np.int64)
        for combination, rows in key.groupby(key).indices.items():
            wanted_use, home = combination.split("|")
            weights = np.where(model_use == wanted_use, model_weight, 0.0)
            weights = weights * np.where(model_country == home, home_weight, 1.0)
            model[rows] = draw(self.rng, weights, len(rows))
        return model

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
        # the holder's kind of models; makes of its own country weigh 4x
        model = self._draw_models(pool, country, home_weight=4.0)
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
        too_early = year_of(diverted) < first_year
        diverted = np.where(
            too_early,
            np.minimum(
                first_day_of_year(first_year) + rng.integers(0, 365, n),
                self.end_day - 30,
            ),
            diverted,
        )
        diverted_year = year_of(diverted)
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
        import_p = pd.Series(country).map(IMPORT_MARKING).fillna(0.2).to_numpy()
        self.batches = object_frame(
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
