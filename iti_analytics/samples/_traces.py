"""Trace requests: whom each record would be traced with, and what comes back.

For every record, the party a trace request goes to (the importing state,
the manufacturer, the state of manufacture or its successor, or INTERPOL) and
the outcome it would eventually get (the truth used to score selection
strategies); for the records actually traced, the requests sent before the
end date, their acknowledgements and answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _catalog as cat
from ._geo import geo, is_true, years_of


def _responsiveness():
    rows = {p: v for p, *v in [(r[0], *r[1:]) for r in cat.RESPONSIVENESS]}
    makers = {p: v for p, *v in [(r[0], *r[1:]) for r in cat.MAKER_RESPONSIVENESS]}
    return rows, makers


def traces(rng, w, r, items: pd.DataFrame, serial_error: np.ndarray, end_day: int):
    """Trace requests sent, their answers by the end date, and every record's
    eventual outcome if it were traced (the truth used to score strategies)."""
    g = geo()
    it, dps = w.items, w.points
    n = len(r)
    phys = r["phys"].to_numpy()
    weapon = items["item_kind"].to_numpy() == "weapon"
    prod = it["production"].to_numpy()[phys]
    dp = it["dp"].to_numpy()[phys]
    kind = dps["kind"].to_numpy()[dp]
    status = items["serial_status"].to_numpy()
    make = items["make"].to_numpy()
    com = items["country_of_manufacture"].to_numpy()
    imp = items["import_marked"].to_numpy()
    imp_c = items["import_country"].to_numpy()
    country = items["country"].to_numpy()
    dp_country = g.codes[dps["country"].to_numpy()[dp]]
    states, makers = _responsiveness()
    # whom to ask
    u = rng.random(n)
    party = np.full(n, None, dtype=object)
    ptype = np.full(n, None, dtype=object)
    known_maker = np.isin(make, list(makers))
    successor = pd.Series(com, dtype=object).replace(cat.SUCCESSOR).to_numpy()
    rules = [
        (prod == "craft", country, "state"),
        (is_true(imp) & pd.notna(imp_c) & (u < 0.5), imp_c, "state"),
        (known_maker & (u > 0.75), make, "manufacturer"),
        (pd.notna(successor), successor, "state"),
        (np.full(n, True), np.full(n, "INTERPOL", dtype=object), "interpol"),
    ]
    todo = np.ones(n, dtype=bool)
    for cond, value, t in rules:
        sel = todo & cond
        party[sel] = value[sel]
        ptype[sel] = t
        todo &= ~sel
    key = pd.Series(np.where(ptype == "manufacturer", "m:", "s:") + party.astype(str))
    table = {f"s:{k}": v for k, v in states.items()} | {
        f"m:{k}": v for k, v in makers.items()
    }
    codes, uniq = pd.factorize(key)
    resp = np.array(
        [table.get(u, (0.5, 0.3, 60, 200, 0.05)) for u in uniq], dtype=float
    )
    p_ack, p_ans, med_ack, med_ans, p_ref = resp[codes].T
    # eventual outcome
    answered = rng.random(n) < p_ans
    age = years_of(np.full(n, end_day)) - it["yom"].to_numpy()[phys]
    historic = np.isin(it["com"].to_numpy()[phys], list(cat.SUCCESSOR))
    holder_asked = party == dp_country
    u = rng.random((6, n))
    unusable = np.isin(status, ["obliterated", "absent", "unknown"]) | (
        ptype == "interpol"
    )
    p_unavail = np.where(
        age > 30, 0.55 + 0.25 * historic, np.where(age > 20, 0.15, 0.0)
    )
    table = np.array(
        [[0.60, 0.28], [0.85, 0.10], [0.45, 0.35], [0.72, 0.18], [0.0, 0.5], [0.0, 0.0]]
    )
    p_tr, p_part = table[kind].T
    p_tr = np.where(prod == "converted", 0.0, p_tr)
    p_part = np.where(prod == "converted", 0.5, p_part)
    outcome = np.select(
        [
            ~answered,
            unusable,
            u[0] < p_ref + 0.15 * holder_asked,
            prod == "craft",
            serial_error & (u[1] < 0.85),
            (status == "partial") & (u[2] < 0.7),
            u[3] < p_unavail,
            u[4] < p_tr,
            u[4] < p_tr + p_part,
        ],
        [
            "pending",
            "incomplete_request",
            "refused",
            "not_traced",
            "record_not_found",
            "record_not_found",
            "records_unavailable",
            "traced",
            "partially_traced",
        ],
        "not_traced",
    ).astype(object)
    outcome[~weapon] = None
    # which records were actually traced
    setting = items["setting"].to_numpy()
    base = (
        pd.Series(setting)
        .map({"conflict": 0.30, "border": 0.22, "crime": 0.14, "stockpile": 0.10})
        .fillna(0.1)
        .to_numpy()
    )
    fac = (
        pd.Series(status)
        .map(
            {
                "intact": 1.0,
                "partial": 0.35,
                "obliterated": 0.03,
                "absent": 0.02,
                "unknown": 0.08,
            }
        )
        .fillna(0.0)
        .to_numpy()
    )
    p_sel = (
        base
        * fac
        * np.where(prod == "craft", 0.2, 1.0)
        * np.where(ptype == "interpol", 0.3, 1.0)
    )
    sent = weapon & (rng.random(n) < p_sel)
    seized = items["seized_on"].to_numpy()
    seized = np.where(
        np.isnat(seized.astype("datetime64[D]")),
        end_day - 400,
        seized.astype("datetime64[D]").astype(np.int64),
    )
    delay = np.maximum(7, rng.lognormal(np.log(100), 0.8, n)).astype(np.int64)
    sent_day = seized + delay
    draft = sent & (sent_day > end_day)
    keep = sent & ((sent_day <= end_day) | (rng.random(n) < 0.3))
    idx = np.flatnonzero(keep)
    t = pd.DataFrame({"rec": idx})
    m = len(idx)
    d_sent = np.where(draft[idx], -1, sent_day[idx])
    fast = outcome[idx] == "incomplete_request"
    ack_d = d_sent + np.maximum(1, rng.lognormal(np.log(med_ack[idx]), 0.6, m)).astype(
        int
    )
    ans_d = d_sent + np.maximum(
        2, rng.lognormal(np.log(np.where(fast, med_ans[idx] / 3, med_ans[idx])), 0.6, m)
    ).astype(int)
    acknowledged = (rng.random(m) < p_ack[idx]) | answered[idx]
    ack_d = np.where(answered[idx], np.minimum(ack_d, ans_d), ack_d)
    is_draft = draft[idx]
    ack_done = acknowledged & (ack_d <= end_day) & ~is_draft
    ans_done = answered[idx] & (ans_d <= end_day) & ~is_draft
    st = np.where(
        ans_done,
        np.where(rng.random(m) < 0.6, "responded", "closed"),
        np.where(ack_done, "acknowledged", "sent"),
    ).astype(object)
    silent = ~answered[idx] & (end_day - d_sent > 365) & ~is_draft
    st[silent & (rng.random(m) < 0.7)] = "no_response"
    st[is_draft] = "draft"
    st[(rng.random(m) < 0.01) & ~ans_done & ~is_draft] = "withdrawn"
    out_now = np.where(ans_done, outcome[idx], "pending").astype(object)
    t["requesting_country"] = country[idx]
    t["requested_party"] = party[idx]
    t["party_type"] = ptype[idx]
    ch_u = rng.random(m)
    s_idx = setting[idx]
    channel = np.select(
        [s_idx == "conflict", s_idx == "crime", s_idx == "border"],
        [
            np.where(ch_u < 0.5, "un_panel", "bilateral"),
            np.where(ch_u < 0.6, "interpol", "bilateral"),
            np.where(
                ch_u < 0.35, "interpol", np.where(ch_u < 0.8, "bilateral", "regional")
            ),
        ],
        np.where(ch_u < 0.7, "bilateral", "regional"),
    ).astype(object)
    channel[ptype[idx] == "interpol"] = "interpol"
    t["channel"] = channel
    t["sent_on"] = np.where(is_draft, np.nan, d_sent)
    t["acknowledged_on"] = np.where(ack_done, ack_d, np.nan)
    t["responded_on"] = np.where(ans_done, ans_d, np.nan)
    t["status"] = st
    t["outcome"] = out_now
    # what an answer says
    holder = dps["holder"].to_numpy()[dp]
    div_year = years_of(
        w.batches["diverted_day"].to_numpy()[it["batch"].to_numpy()[phys]]
    )
    mode = dps["mode"].to_numpy()[dp]
    full = out_now == "traced"
    part = out_now == "partially_traced"
    known = full | part
    t["last_legal_holder"] = np.where(known, holder[idx], None)
    t["last_legal_country"] = np.where(known, dp_country[idx], None)
    t["diversion_country"] = np.where(full, dp_country[idx], None)
    t["diversion_year"] = np.where(full, div_year[idx], np.nan)
    t["diversion_mode"] = np.where(full, mode[idx], None)
    t = t.sort_values(["sent_on", "rec"], na_position="last", kind="stable")
    t = t.reset_index(drop=True)
    t["trace_id"] = "TR-" + pd.Series(np.arange(1, len(t) + 1)).astype(str).str.zfill(
        max(5, len(str(len(t))))
    )
    del rng
    return t, outcome, party, ptype
