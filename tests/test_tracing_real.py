"""Selective tracing on the real Rio de Janeiro seizure records (issue 12).

Skipped when ``../shared/data/real`` is absent. The registered owner column
(``Patrimoniada``) is mapped here by hand; the loader's own mapping may add it.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from iti_analytics.dataset import as_dataset
from iti_analytics.io import read_items
from iti_analytics.tracing import TracingWarning, plan_tracing, traceability

RIO = "rj_seized_firearms_isdp"
FILE = "24648_APREENS_ARMA_FOGO_2022_02_BASE_APREENSAO.xlsx"
#: values of Patrimoniada that do not name an owner.
NO_OWNER = {"não patrimoniada", "não identificada"}
POLICE = {"polícia militar", "polícia civil", "forças armadas"}


@pytest.fixture
def rio(real_data):
    res = read_items(
        real_data / RIO / FILE,
        mapping={"País": "country_of_manufacture", "controle": "seizure_id"},
    )
    items = res.table.copy()
    owner = items["x_patrimoniada"].astype("string").str.strip()
    named = ~owner.str.lower().isin(NO_OWNER).fillna(True)
    items["registered_owner"] = owner.where(named)
    items["country"] = "BRA"  # seized in the State of Rio de Janeiro
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return as_dataset(items)


def owner_of(ds, record_ids) -> pd.Series:
    items = ds.items.set_index("record_id")
    col = next(c for c in ("registered_owner", "x_registered_owner") if c in items)
    return items.loc[list(record_ids), col].astype("string").str.lower()


def test_no_registered_police_weapon_is_an_international_trace_request(rio):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracingWarning)
        plan = plan_tracing(rio, capacity=None, domestic_capacity=None)
        t = traceability(rio)
    requests = plan[plan["request_kind"] == "trace_request"]
    checks = plan[plan["request_kind"] == "domestic_check"]
    assert len(requests) > 0 and len(checks) > 0
    police = owner_of(rio, requests["record_id"]).isin(POLICE)
    assert not police.any()
    # every police weapon that can be checked is a domestic check, asked of its owner
    police_items = owner_of(rio, t["record_id"]).isin(POLICE).to_numpy()
    assert police_items.sum() > 300
    kinds = t.loc[police_items & t["traceable"].to_numpy(), "request_kind"]
    assert kinds.eq("domestic_check").all()
    # a Brazilian seizure never asks Brazil through an international request
    assert not requests["ask"].eq("BRA").any()
    assert not requests["ask"].isin(["Taurus", "IMBEL", "CBC", "Rossi"]).any()
