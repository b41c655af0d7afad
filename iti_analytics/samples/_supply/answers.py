"""The truth model of trace answers, per party, and the few past requests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import (
    DOMESTIC_ANSWER_RATE,
    as_dates,
    assign_objects,
    lomax,
    numbered,
    object_frame,
    year_of,
)


class AnswersMixin:
    """The truth model of trace answers, per party, and the few past requests."""

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
        # a state checking its own registers (a domestic record check) answers
        # nine times in ten, quickly, and never refuses
        domestic = pd.notna(party) & (
            party == records["country"].to_numpy(dtype=object)
        )
        never = behaviour["never_answers"].fillna(True).to_numpy(dtype=bool) & ~domestic
        answer_rate = np.where(
            domestic,
            DOMESTIC_ANSWER_RATE,
            behaviour["answer_rate"].fillna(0).to_numpy(),
        )
        answers = rng.random(n) < answer_rate
        behaviour["refusal_rate"] = np.where(domestic, 0.0, behaviour["refusal_rate"])
        behaviour["median_days"] = np.where(domestic, 20.0, behaviour["median_days"])
        behaviour["tail"] = np.where(domestic, 2.0, behaviour["tail"])
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
        return assign_objects(
            records,
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
            seized + 5 + lomax(rng, 1.2, 60.0, count).astype(np.int64),
            self.end_day - 1,
        )
        delay = (
            t["party_median_days"].to_numpy()
            * lomax(rng, t["party_tail"].to_numpy(), 1.0, count)
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
        return object_frame(
            {
                "trace_id": numbered("TR-", np.arange(1, count + 1), 6),
                "record_id": t["record_id"].to_numpy(dtype=object),
                "source": "traces",
                "requesting_country": t["country"].to_numpy(dtype=object),
                "requested_party": t["trace_party"].to_numpy(dtype=object),
                "party_type": "state",
                "channel": np.where(rng.random(count) < 0.5, "interpol", "bilateral"),
                "sent_on": as_dates(sent),
                "acknowledged_on": as_dates(acknowledged),
                "responded_on": as_dates(np.where(answered, responded, -1)),
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
                "diversion_year": np.where(is_diverted, year_of(batch_day), -1),
                "diversion_mode": np.where(
                    is_diverted, points["mode"].to_numpy(dtype=object)[safe], None
                ),
            }
        )
