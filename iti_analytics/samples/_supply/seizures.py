"""Receivers, how batches split among them, and the seizures of their items."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import (
    ARMED_GROUP_COUNTRIES,
    GROUP_WORDS,
    RECEIVER_CIVILIAN,
    RECEIVER_MILITARY,
    RECEIVER_TYPES,
    draw,
    draw_in_groups,
    draw_per_row,
    lomax,
    object_frame,
    rank_in_group,
)


class SeizuresMixin:
    """Receivers, how batches split among them, and the seizures of their items."""

    def _actors(self) -> None:
        rng = self.rng
        countries = self.place_countries
        weight = self.places.groupby("country")["weight"].sum().reindex(countries)
        n_groups = max(40, self.n_items // 60)
        group_country = countries[draw(rng, weight.to_numpy(float), n_groups)]
        kind = draw(rng, np.array([0.2, 0.55, 0.25]), n_groups)
        armed_ok = np.isin(group_country, ARMED_GROUP_COUNTRIES)
        kind = np.where((kind == 0) & ~armed_ok, 1, kind)
        # at least one group of each kind where it can exist
        for k, (country, kind_code) in enumerate(
            [(c, 1) for c in countries]
            + [(c, 2) for c in countries]
            + [(c, 0) for c in ARMED_GROUP_COUNTRIES]
        ):
            if k < n_groups:
                group_country[k], kind[k] = country, kind_code
        words = np.array(GROUP_WORDS, dtype=object)
        w1 = words[rng.integers(0, len(words), n_groups)]
        w2 = words[rng.integers(0, len(words), n_groups)]
        number = np.arange(1, n_groups + 1).astype(str)
        name = np.select(
            [kind == 0, kind == 1],
            ["Frente " + w1 + " " + number, "Banda " + w1 + " " + w2 + " " + number],
            "Red " + w1 + " " + number,
        )
        self.groups = object_frame(
            {
                "type": np.array(RECEIVER_TYPES[:3], dtype=object)[kind],
                "type_code": kind,
                "country": group_country,
                "name": name,
                "activity": rng.pareto(1.0, n_groups) + 1,
            }
        )

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
        military = np.isin(owner, ["armed_forces", "police"])
        receiver_weights = np.where(
            military[:, None], RECEIVER_MILITARY, RECEIVER_CIVILIAN
        )
        receiver_type = draw_per_row(rng, np.cumsum(receiver_weights, axis=1))
        # where it goes: mostly the point's country; US stock goes south
        countries = self.place_countries
        weight = (
            self.places.groupby("country")["weight"].sum().reindex(countries).to_numpy()
        )
        abroad = countries[draw(rng, weight, m)]
        southbound = np.array(["MEX", "MEX", "MEX", "JAM", "HTI", "DOM", "HND", "SLV"])
        abroad = np.where(
            point_country == "USA",
            southbound[rng.integers(0, len(southbound), m)],
            abroad,
        )
        stays = np.isin(point_country, countries) & (rng.random(m) < 0.7)
        receiver_country = np.where(stays, point_country, abroad)
        no_armed = (receiver_type == 0) & ~np.isin(
            receiver_country, ARMED_GROUP_COUNTRIES
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
            draw_in_groups(
                rng,
                group_key,
                groups["activity"].to_numpy(),
                np.where(receiver_type < 3, wanted, -1),
            ),
            -1,
        )
        # an individual is a new person for every fragment
        person = np.where(receiver_type == 3, np.cumsum(receiver_type == 3) - 1, -1)
        self.fragments = object_frame(
            {
                "batch": fragment_batch,
                "receiver_type": receiver_type,
                "country": receiver_country,
                "group": group,
                "person": person,
                "arrival_day": batches["diverted_day"].to_numpy()[fragment_batch]
                + lomax(rng, 1.3, 200.0, m).astype(np.int64),
            }
        )
        self.n_persons = int((receiver_type == 3).sum())
        # recovery day of each item
        diverted = batches["diverted_day"].to_numpy()[item_batch]
        recovered = self.fragments["arrival_day"].to_numpy()[item_fragment] + lomax(
            rng, 1.5, 90.0, n
        ).astype(np.int64)
        outside = (recovered > self.end_day) | (recovered < self.start_day)
        low = np.maximum(diverted, self.start_day)
        redraw = low + np.floor(
            rng.random(n) * np.maximum(self.end_day - low + 1, 1)
        ).astype(np.int64)
        recovered = np.where(outside, redraw, recovered)
        self.items = object_frame(
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
        place = draw_in_groups(rng, place_key, weight, wanted)
        fallback = draw_in_groups(rng, place_key // 2, weight, wanted // 2)
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
        return object_frame(
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
        rank = rank_in_group(batch[order])
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
        return object_frame(
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
