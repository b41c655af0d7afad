"""The world's tables: items, traces, actors, movements, truth and hidden entities."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import schema
from .common import (
    AGENCIES,
    DIVERSION_KINDS,
    KIND_ABBREVIATION,
    SOURCES,
    as_dates,
    as_integers,
    as_strings,
    coded_strings,
    labels_at,
    numbered,
    object_frame,
    typed,
    year_of,
)


class TablesMixin:
    """The world's tables: items, traces, actors, movements, truth, hidden entities."""

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
            "source": np.array(SOURCES, dtype=object)[source],
            "agency": np.array(AGENCIES, dtype=object)[source],
            "status": written_status,
            "setting": records["setting"],
            "seized_on": as_dates(records["day"].to_numpy()),
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
            "year_of_manufacture": as_integers(records["recorded_year"]),
            "import_marked": pd.array(records["import_marked"], dtype="boolean"),
            "import_country": records["import_country"],
            "import_year": as_integers(records["import_year"]),
            "production": records["production"],
            "quantity": 1,
            "actor": records["actor"],
            "actor_type": records["actor_type"],
            "notes": notes,
        }
        if self.has_owner:
            items["registered_owner"] = records["registered_owner"]
            items["owner_type"] = records["owner_type"]
        items = schema.conform(object_frame(items), "items")
        traces = schema.conform(
            traces.assign(diversion_year=as_integers(traces["diversion_year"])),
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
            np.array(KIND_ABBREVIATION, dtype=object)[points["kind"].to_numpy()]
            + "-"
            + points["country"].to_numpy(dtype=object)
        )
        number = key.groupby(key).cumcount() + 1
        point_label[:] = (
            "DP-" + key + "-" + number.astype(str).str.zfill(4)
        ).to_numpy()
        batch_label = np.where(
            batches["point"].to_numpy() >= 0,
            numbered("BATCH-", np.arange(1, len(batches) + 1), 6),
            numbered("LOT-", np.arange(1, len(batches) + 1), 6),
        )
        return {"point": point_label, "batch": batch_label}

    def _truth(self, records: pd.DataFrame, ids: dict) -> pd.DataFrame:
        points, batches, models = self.points, self.batches, self.models
        point = records["point"].to_numpy()
        batch = records["batch"].to_numpy()
        model = records["model"].to_numpy()
        diverted = point >= 0
        safe_batch = np.maximum(batch, 0)
        service = records["kind"].to_numpy() == "service"
        point_kind = np.where(
            diverted, points["kind"].to_numpy()[np.maximum(point, 0)], -1
        )
        # holders: the point's for diverted items, the lot's owner for service
        # weapons (lots are batches without a point)
        lot_owner = batches["owner"]
        owner_labels = np.concatenate(
            [points["holder"].to_numpy(dtype=object), lot_owner.to_numpy(dtype=object)]
        )
        owner_type_labels = np.concatenate(
            [
                points["owner_type"].to_numpy(dtype=object),
                batches["owner_type"].to_numpy(dtype=object),
            ]
        )
        holder_code = np.where(
            diverted, point, np.where(service, len(points) + batch, -1)
        )
        actor = as_strings(records["true_actor_id"].to_numpy(dtype=object))
        truth = pd.DataFrame(
            {
                "record_id": as_strings(records["record_id"].to_numpy(dtype=object)),
                "source": coded_strings(SOURCES, records["source"].to_numpy()),
                "true_weapon_id": as_strings(
                    numbered("SW", records["physical"] + 1, 7)
                ),
                "repeat_report": pd.array(np.zeros(len(records), bool), "boolean"),
                "batch_id": coded_strings(ids["batch"], batch),
                "diversion_point": coded_strings(ids["point"], point),
                "diversion_kind": coded_strings(DIVERSION_KINDS, point_kind),
                "diversion_country": coded_strings(points["country"], point),
                "diversion_year": as_integers(
                    np.where(
                        diverted,
                        year_of(batches["diverted_day"].to_numpy()[safe_batch]),
                        -1,
                    )
                ),
                "diversion_mode": coded_strings(points["mode"], point),
                "last_legal_holder": coded_strings(owner_labels, holder_code),
                "network_id": actor,
                "network_type": as_strings(
                    records["network_type"].to_numpy(dtype=object)
                ),
                "true_actor_id": actor.copy(),
                "true_make": coded_strings(models["make"], model),
                "true_model": coded_strings(models["model"], model),
                "true_serial": as_strings(
                    records["true_serial"].to_numpy(dtype=object)
                ),
                "true_country_of_manufacture": as_strings(
                    records["made_in"].to_numpy(dtype=object)
                ),
                "true_year_of_manufacture": as_integers(records["year"]),
                "serial_error": pd.array(
                    records["marking"].to_numpy() == "placeholder", "boolean"
                ),
                "true_status": as_strings(records["status"].to_numpy(dtype=object)),
                "registered_owner": coded_strings(
                    owner_labels, np.where(service, holder_code, -1)
                ),
                "owner_type": coded_strings(owner_type_labels, holder_code),
                "trace_party": as_strings(
                    records["trace_party"].to_numpy(dtype=object)
                ),
                "trace_party_type": as_strings(
                    records["trace_party_type"].to_numpy(dtype=object)
                ),
                "trace_outcome": as_strings(
                    records["trace_outcome"].to_numpy(dtype=object)
                ),
                "reveals_diversion_point": pd.array(
                    records["reveals_diversion_point"].to_numpy(dtype=bool), "boolean"
                ),
            }
        )
        return truth

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
                "first_diverted_on": as_dates(points["first_day"].to_numpy()),
                "last_diverted_on": as_dates(points["last_day"].to_numpy()),
                "size": points["size"],
                "n_batches": n_batches,
                "n_records": n_records,
            }
        )
        return typed(table)

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
                "diversion_point": labels_at(ids["point"], point),
                "make": models["make"].to_numpy(dtype=object)[model],
                "model": models["model"].to_numpy(dtype=object)[model],
                "category": models["category"].to_numpy(dtype=object)[model],
                "calibre": models["calibre"].to_numpy(dtype=object)[model],
                "year_of_manufacture": batches["year"],
                "country_of_manufacture": batches["country_of_manufacture"],
                "diverted_on": as_dates(batches["diverted_day"].to_numpy()),
                "import_marked": batches["import_marked"].astype(bool),
                "record_kept": batches["record_kept"].astype(bool),
                "chain_broken": batches["chain_broken"].astype(bool),
                "n_records": np.bincount(batch[in_batch], minlength=len(batches)),
                "serial_first": first.reindex(np.arange(len(batches))).to_numpy(),
                "serial_last": last.reindex(np.arange(len(batches))).to_numpy(),
            }
        )
        return typed(table[table["n_records"] > 0].reset_index(drop=True))

    def _actor_tables(self, records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The actors as named in the records, and every receiver (``networks``)."""
        actor_id = records["true_actor_id"].to_numpy(dtype=object)
        codes, _ = pd.factorize(actor_id)
        named = pd.notna(records["actor"].to_numpy(dtype=object))
        first_named = np.unique(np.where(named, codes, -1), return_index=True)[1]
        first_named = first_named[codes[first_named] >= 0]
        first_any = np.unique(codes, return_index=True)[1]
        first_any = first_any[codes[first_any] >= 0]

        def at(column: str, rows: np.ndarray) -> np.ndarray:
            return records[column].to_numpy(dtype=object)[rows]

        actors = schema.conform(
            object_frame(
                {
                    "actor_id": actor_id[first_named],
                    "name": at("actor", first_named),
                    "actor_type": at("actor_type", first_named),
                    "country": at("country", first_named),
                    "source": "investigations",
                }
            ).sort_values("actor_id", ignore_index=True),
            "actors",
        )
        group = records["group"].fillna(-1).to_numpy(dtype=np.int64)[first_any]
        person = records["person"].fillna(-1).to_numpy(dtype=np.int64)[first_any]
        networks = object_frame(
            {
                "network_id": actor_id[first_any],
                "network_type": at("network_type", first_any),
                "name": np.where(
                    group >= 0,
                    self.groups["name"].to_numpy(dtype=object)[np.maximum(group, 0)],
                    self.person_names[np.maximum(person, 0)],
                ),
                "home": np.where(
                    group >= 0,
                    self.groups["country"].to_numpy(dtype=object)[np.maximum(group, 0)],
                    at("country", first_any),
                ),
            }
        ).sort_values("network_id", ignore_index=True)
        return actors, typed(networks)

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
            0, "movement_id", numbered("MV-", np.arange(1, len(movements) + 1), 6)
        )
        return schema.conform(movements, "movements")
