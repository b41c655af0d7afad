"""The other records, and what every record says.

Lost and stolen reports, service weapons, craft and converted weapons and
amnesty surrenders; then the markings, ids and actors of every record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import (
    FIRST_NAMES,
    LAST_NAMES,
    PLACEHOLDER_SERIALS,
    SOURCE_PREFIX,
    assign_objects,
    draw,
    draw_in_groups,
    numbered,
    object_frame,
    rank_in_group,
)


class RecordsMixin:
    """Records other than diverted seizures, and what every record says."""

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
        missing_batch = np.sort(draw(rng, batch_weight, n_missing))
        last_number = (
            diverted.groupby("batch")["serial_number"]
            .max()
            .reindex(np.arange(len(batches)))
        ).to_numpy()
        missing = object_frame(
            {
                "batch": missing_batch,
                "serial_number": last_number[missing_batch]
                + 1
                + rank_in_group(missing_batch),
                "physical": self._new_physical(n_missing),
            }
        )
        reports = pd.concat([recovered, missing], ignore_index=True)
        batch = reports["batch"].to_numpy()
        point = point_of_batch[batch]
        owner = points["owner_type"].to_numpy(dtype=object)[point]
        mode = points["mode"].to_numpy(dtype=object)[point]
        return assign_objects(
            reports,
            kind="report",
            event=-1,
            day=batches["diverted_day"].to_numpy()[batch],
            place=-1,
            country=points["country"].to_numpy(dtype=object)[point],
            setting=np.where(
                np.isin(owner, ["armed_forces", "police"]), "stockpile", "other"
            ),
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
        return draw_in_groups(
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
        frame = object_frame(
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
        return assign_objects(frame, **columns)

    def _service_records(self) -> pd.DataFrame:
        """Police and army service weapons logged after interventions."""
        rng, n = self.rng, self.n_service
        holders = self.holders
        forces = holders[
            holders["owner_type"].isin(["police", "armed_forces"])
            & holders["country"].isin(self.place_countries)
        ].drop_duplicates(["country", "holder"])
        forces = forces.reset_index(drop=True)
        # procurement lots: consecutive serials of one model and year
        n_lots = max(5, n // 15)
        lot_force = draw(rng, forces["weight"].to_numpy(float), n_lots)
        lot_country = forces["country"].to_numpy(dtype=object)[lot_force]
        models = self.models
        use = np.where(
            forces["owner_type"].to_numpy(dtype=object)[lot_force] == "armed_forces",
            "military",
            "police",
        )
        lot_model = self._draw_models(use, lot_country, home_weight=6.0)
        first_year = models["first_year"].to_numpy()[lot_model]
        last_year = np.minimum(models["last_year"].to_numpy()[lot_model], 2023)
        year = first_year + np.floor(
            rng.random(n_lots) * np.maximum(last_year - first_year + 1, 1)
        ).astype(np.int64)
        digits = models["serial_digits"].to_numpy()[lot_model]
        lots = object_frame(
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
        number = lots["first_number"].to_numpy()[lot] + 3 * rank_in_group(lot)
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
        group = draw_in_groups(
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
                draw(rng, weight.to_numpy(float), n)
            ]
            group, person = self._street_actor(country)
            if kind == "converted":
                blank = np.flatnonzero(self.models["use"].to_numpy() == "blank")
                model = blank[
                    draw(rng, self.models["weight"].to_numpy(float)[blank], n)
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
            draw(rng, weight.to_numpy(float), n)
        ]
        civilian = np.flatnonzero(models["use"].to_numpy() == "civilian")
        model = civilian[draw(rng, models["weight"].to_numpy(float)[civilian], n)]
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
        return assign_objects(
            records,
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
        placeholder = np.array(PLACEHOLDER_SERIALS, dtype=object)[
            rng.integers(0, len(PLACEHOLDER_SERIALS), n)
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
        return assign_objects(
            records,
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
        for code, prefix in enumerate(SOURCE_PREFIX):
            rows = source == code
            record_id[rows] = numbered(prefix + "-", by_source[rows], 7)
        # seizure ids in order of first appearance
        has_event = event >= 0
        codes, _ = pd.factorize(np.where(has_event, event, -1))
        seizure_number = np.where(has_event, codes, -1)
        first_code = int(seizure_number[has_event].min()) if has_event.any() else 0
        seizure_id = np.where(
            has_event,
            numbered("SZ-", np.maximum(seizure_number - first_code + 1, 0), 6),
            None,
        )
        # actors as written: groups 60 %, individuals 40 % of the time
        group = records["group"].fillna(-1).to_numpy(dtype=np.int64)
        person = records["person"].fillna(-1).to_numpy(dtype=np.int64)
        self._person_names()
        groups = self.groups
        true_actor = np.where(
            group >= 0,
            numbered("GRP-", group + 1, 5),
            np.where(person >= 0, numbered("IND-", person + 1, 6), None),
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
        return assign_objects(
            records,
            record_id=record_id,
            seizure_id=seizure_id,
            true_actor_id=true_actor,
            network_type=actor_type,
            actor=np.where(known, actor_name, None),
            actor_type=np.where(known, written_type.to_numpy(dtype=object), None),
        )

    def _person_names(self) -> None:
        rng, n = self.rng, self.n_persons
        first = np.array(FIRST_NAMES, dtype=object)[
            rng.integers(0, len(FIRST_NAMES), n)
        ]
        last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
        self.person_names = np.asarray(first + " " + last, dtype=object)
