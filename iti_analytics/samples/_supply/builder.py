"""The supply world's builder: one class assembling the entity steps."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import schema
from .answers import AnswersMixin
from .common import (
    AMNESTY_SHARE,
    CONVERTED_SHARE,
    CRAFT_SHARE,
    REPORT_SHARE,
    SERVICE_SHARE,
    day_number,
    holder_catalogue,
    model_catalogue,
    place_catalogue,
)
from .records import RecordsMixin
from .seizures import SeizuresMixin
from .stocks import StocksMixin
from .tables import TablesMixin


class SupplyWorld(StocksMixin, SeizuresMixin, RecordsMixin, AnswersMixin, TablesMixin):
    """Builds the tables step by step; each step (a mixin) adds one entity."""

    def __init__(self, n_items, seed, *, start, end, **options) -> None:
        self.rng = np.random.default_rng([seed, 2])
        self.n_items = n_items
        self.start_day, self.end_day = day_number(start), day_number(end)
        self.options = options
        self.models = model_catalogue()
        self.places = place_catalogue()
        self.holders = holder_catalogue()
        self.place_countries = np.array(sorted(self.places["country"].unique()))
        statuses = schema.VOCABULARIES[("items", "status")]
        self.has_captured = "captured" in statuses
        item_columns = schema.columns("items")
        self.has_owner = {"registered_owner", "owner_type"} <= set(item_columns)

    def build(self) -> dict:
        n = self.n_items
        self.n_reports = round(REPORT_SHARE * n)
        self.n_service = round(SERVICE_SHARE * n)
        self.n_craft = round(CRAFT_SHARE * n)
        self.n_converted = round(CONVERTED_SHARE * n)
        self.n_amnesty = round(AMNESTY_SHARE * n)
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
