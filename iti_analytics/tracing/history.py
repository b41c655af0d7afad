"""Party history: how each requested party answers trace requests, shrunk."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..dataset import Dataset, as_dataset
from ..exceptions import InvalidParameterError
from ..indicators.survival import product_limit
from ..reference import load_reference
from ._common import fold, isin, resolve_as_of

__all__ = ["party_history"]

_NOT_SENT = ("draft", "withdrawn")
_ANSWERED_STATUS = ("responded", "closed")
#: assumed when the dataset holds no trace request at all.
_DEFAULT_ANSWER_RATE = 0.5
_DEFAULT_TRACE_RATE = 0.5
#: below this shrunk answer rate a party is flagged as rarely answering.
_UNRESPONSIVE = 0.3


#: suffix of the key of a party's answers to its own State's record checks.
DOMESTIC_SUFFIX = "@domestic"


def _party_key(kind: str, name: pd.Series) -> pd.Series:
    if kind == "state":
        return "state:" + name.astype("string").str.strip().str.upper()
    return "manufacturer:" + fold(name)


def maker_home() -> pd.Series:
    """Canonical make -> its (first listed) country, from the makes table."""
    t = load_reference("makes").dropna(subset=["country"])
    t = t[t["country"].astype("string").str.len() == 3].drop_duplicates("make")
    return t.set_index("make")["country"].astype("string")


def domestic_request(
    party: pd.Series, party_type: np.ndarray, country: pd.Series
) -> np.ndarray:
    """Whether asking ``party`` from ``country`` is a check of its own records.

    A State asked by itself, or a maker of that State, answers a domestic
    record check, not an international trace request.
    """
    home = maker_home()
    party = party.astype("string").str.strip()
    country = country.astype("string").str.strip().str.upper()
    codes, uniques = pd.factorize(party)
    u = pd.Series(uniques, dtype="string")
    u_home = u.map(home).astype("string").str.upper().to_numpy(dtype=object)
    u_upper = u.str.upper().to_numpy(dtype=object)
    ok = codes >= 0
    safe = np.maximum(codes, 0)
    upper = np.where(ok, u_upper[safe] if len(u) else None, None)
    maker_state = np.where(ok, u_home[safe] if len(u) else None, None)
    target = np.where(party_type == "manufacturer", maker_state, upper)
    here = country.to_numpy(dtype=object, na_value=None)
    same = pd.Series(target, dtype="string") == pd.Series(here, dtype="string")
    return same.fillna(False).to_numpy(dtype=bool)


def _check_strength(prior_strength: Any) -> Any:
    if isinstance(prior_strength, str):
        if prior_strength != "auto":
            raise InvalidParameterError(
                "`prior_strength` must be a number of requests (such as 10) or "
                f"'auto', but {prior_strength!r} was passed."
            )
        return prior_strength
    if (
        isinstance(prior_strength, bool)
        or not isinstance(prior_strength, int | float)
        or not np.isfinite(prior_strength)
        or prior_strength < 0
    ):
        raise InvalidParameterError(
            "`prior_strength` must be a number of requests, 0 or more (such as "
            f"10), or 'auto', but {prior_strength!r} was passed."
        )
    return float(prior_strength)


def _late_answers(
    days: np.ndarray,
    age: np.ndarray,
    answered: np.ndarray,
    young: np.ndarray,
    domestic: np.ndarray,
    horizon: float,
) -> np.ndarray:
    """Chance each young open request is answered by ``horizon`` days.

    Open requests are right-censored: "no answer after ``age`` days". With
    the pooled Kaplan–Meier curve of the time to answer (international
    requests and checks of a State's own records apart), a request open for
    ``a`` days is answered by the horizon with probability
    ``1 − S(horizon) / S(a)``; it counts as that fraction of an answer
    instead of being dropped (or counted as a failure). 0 elsewhere.
    """
    out = np.zeros(len(days))
    if not young.any():
        return out
    duration = np.where(answered, days, age)
    known = ~np.isnan(duration) & (duration >= 0)
    for scope in (False, True):
        rows = known & (domestic == scope)
        want = young & (domestic == scope)
        if not want.any() or not (rows & answered).any():
            continue
        km = product_limit(duration[rows], answered[rows])
        times = km["time"].to_numpy(dtype=float)
        surv = km["survival"].to_numpy(dtype=float)
        s_age = _step(times, surv, age[want])
        s_end = _step(times, surv, np.full(int(want.sum()), float(horizon)))
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(s_age > 0, 1.0 - s_end / s_age, 0.0)
        out[want] = np.clip(np.nan_to_num(share), 0.0, 1.0)
    return out


def _step(times: np.ndarray, surv: np.ndarray, at: np.ndarray) -> np.ndarray:
    """A Kaplan–Meier curve read just after each time of ``at`` (1 before)."""
    pos = np.searchsorted(times, at, side="right") - 1
    return np.where(pos >= 0, surv[np.maximum(pos, 0)], 1.0)


def _auto_strength_of(
    h: pd.DataFrame, rows: np.ndarray, hits: str, trials: str, pooled: float
) -> float:
    """:func:`_auto_strength` of the rate ``hits / trials`` over ``rows``."""
    n = h[trials].to_numpy(dtype=float)[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = h[hits].to_numpy(dtype=float)[rows] / n
    ok = n > 0
    return _auto_strength(rates[ok], n[ok], pooled)


def _auto_strength(rates: np.ndarray, n: np.ndarray, pooled: float) -> float:
    """Method-of-moments strength of the beta prior (Beta(m r, m (1 - r)))."""
    keep = n >= 5
    if keep.sum() < 3 or not 0 < pooled < 1:
        return 10.0
    r, nn = rates[keep], n[keep]
    between = np.var(r) - np.mean(pooled * (1 - pooled) / nn)
    if between <= 0:
        return 500.0
    return float(np.clip(pooled * (1 - pooled) / between - 1, 1.0, 500.0))


def party_history(
    ds: Any,
    *,
    as_of: Any = None,
    prior_strength: float | str = 10,
    mature_days: int = 365,
) -> pd.DataFrame:
    """How each requested party has answered trace requests, with shrunk rates.

    A party with few requests says little about itself, so its rates are
    shrunk toward the pooled rate of parties of its kind (states,
    manufacturers) by empirical-Bayes beta-binomial shrinkage: a party with
    ``a`` answers to ``n`` requests gets ``(a + m·ā) / (n + m)``, the mean of
    the posterior under a Beta(m·ā, m·(1 − ā)) prior, where ``ā`` is the
    pooled rate estimated from all parties of its kind and ``m`` =
    ``prior_strength`` counts as ``m`` requests' worth of evidence. With
    ``m = 10``, a party with 2 answers out of 2 requests gets
    ``(2 + 10·0.5) / 12 ≈ 0.58`` when the pool answers half its requests; one
    with 180 out of 200 keeps 0.88. ``prior_strength="auto"`` estimates ``m``
    from the spread of the parties' rates (method of moments), one for the
    answer rate and one for the trace rate.

    A State's answers to checks of its own records (a request from the State
    itself, or to one of its makers) say little of how it answers other
    States: they are counted apart (``scope`` "domestic", key suffix
    ``@domestic``) and pooled apart. Requests still open but younger than
    ``mature_days`` are right-censored — "no answer after *d* days": each
    counts as the chance it is answered within ``mature_days``,
    ``1 − S(mature_days) / S(d)`` under the pooled Kaplan–Meier curve of the
    time to answer (:func:`~iti_analytics.indicators.survival.product_limit`),
    instead of being dropped.

    Parameters
    ----------
    ds : Dataset
        Its ``traces`` are used.
    as_of : date, optional
        Reference date (default: the latest date in the data). Requests sent
        later, drafts, withdrawn and duplicate requests are not counted.
    prior_strength : float or "auto", default 10
        ``m`` above, in requests.
    mature_days : int, default 365
        An unanswered request counts as not answered once this old (or marked
        ``no_response``); a younger open request counts as the chance it is
        answered by then (above).

    Returns
    -------
    DataFrame
        One row per party: ``party_key`` (``state:RUS``,
        ``manufacturer:norinco``, ``state:BRA@domestic``), ``requested_party``,
        ``party_type``, ``scope`` (``international`` or ``domestic``),
        ``requests`` (sent), ``mature`` (answered or old enough),
        ``answered``, ``informative`` (answers other than "incomplete
        request", which is the requester's fault), ``traced``,
        ``median_days`` (sent to answer), ``answer_rate`` and ``trace_rate``
        (traced share of informative answers), both shrunk, and
        ``expected_days`` (geometric mean of the days to answer, shrunk on
        the log scale the same way). ``attrs["pooled"]`` holds the pooled
        rates per kind and ``attrs["prior_strength"]`` the ``m`` used.

    Examples
    --------
    >>> import pandas as pd
    >>> traces = pd.DataFrame({
    ...     "trace_id": ["t1", "t2", "t3", "t4"],
    ...     "record_id": ["a", "b", "c", "d"],
    ...     "requested_party": ["BEL", "BEL", "RUS", "RUS"],
    ...     "party_type": "state",
    ...     "sent_on": pd.to_datetime(["2020-01-01"] * 4),
    ...     "responded_on": pd.to_datetime(["2020-02-01", "2020-03-01", None, None]),
    ...     "status": ["responded", "responded", "no_response", "no_response"],
    ...     "outcome": ["traced", "traced", "pending", "pending"]})
    >>> h = party_history({"traces": traces}, as_of="2022-01-01")
    >>> h[["requested_party", "requests", "answered", "answer_rate"]].round(2)
      requested_party  requests  answered  answer_rate
    0             BEL         2         2         0.58
    1             RUS         2         0         0.42
    """
    strength = _check_strength(prior_strength)
    ds = as_dataset(ds)
    return _party_history(ds, as_of=as_of, strength=strength, mature_days=mature_days)


def _party_history(
    ds: Dataset, *, as_of: Any, strength: Any, mature_days: int
) -> pd.DataFrame:
    """:func:`party_history` on a Dataset already through ``as_dataset``."""
    as_of = resolve_as_of(as_of, ds.items, ds.traces)
    tr = ds.traces
    sent = tr["sent_on"]
    keep = ~(
        isin(tr["status"], _NOT_SENT)
        | tr["duplicate_of"].notna().to_numpy()
        | (sent > as_of).fillna(False).to_numpy(dtype=bool)
        | tr["requested_party"].isna().to_numpy()
    )
    tr = tr[keep]
    ptype = tr["party_type"].astype("string")
    is_maker = (ptype == "manufacturer").fillna(False).to_numpy(dtype=bool)
    # untyped requests are taken as requests to states (most are)
    is_state = (ptype == "state").fillna(True).to_numpy(dtype=bool)
    party = tr["requested_party"].astype("string")
    other_key = ("other:" + fold(party)).to_numpy(dtype=object)
    key = pd.Series(
        np.select(
            [is_maker, is_state],
            [
                _party_key("manufacturer", party).to_numpy(dtype=object),
                _party_key("state", party).to_numpy(dtype=object),
            ],
            other_key,
        ),
        index=tr.index,
        dtype="string",
    )
    domestic = domestic_request(
        party,
        np.where(is_maker, "manufacturer", np.where(is_state, "state", "other")),
        tr["requesting_country"],
    )
    key = key.mask(domestic, key + DOMESTIC_SUFFIX)
    kind = np.select(
        [domestic, is_maker, is_state], ["domestic", "manufacturer", "state"], "other"
    )
    outcome = tr["outcome"].astype("string")
    responded = tr["responded_on"].where(tr["responded_on"] <= as_of)
    answered = (
        (outcome.notna() & (outcome != "pending")).to_numpy(dtype=bool)
        | isin(tr["status"], _ANSWERED_STATUS)
    ) & ~(tr["responded_on"] > as_of).fillna(False).to_numpy(dtype=bool)
    old = ((as_of - tr["sent_on"]).dt.days >= mature_days).fillna(False)
    mature = answered | isin(tr["status"], ["no_response"]) | old.to_numpy(dtype=bool)
    informative = answered & (outcome != "incomplete_request").fillna(True).to_numpy(
        dtype=bool
    )
    traced = answered & (outcome == "traced").fillna(False).to_numpy(dtype=bool)
    days = (responded - tr["sent_on"]).dt.days.to_numpy(dtype=float, na_value=np.nan)
    days = np.where(answered & (days >= 0), days, np.nan)
    age = (as_of - tr["sent_on"]).dt.days.to_numpy(dtype=float, na_value=np.nan)
    young = ~mature & ~np.isnan(age)
    late = _late_answers(days, age, answered, young, domestic, mature_days)
    frame = pd.DataFrame(
        {
            "party_key": key.to_numpy(dtype=object),
            "requested_party": party.to_numpy(dtype=object),
            "party_type": ptype.fillna("state").to_numpy(dtype=object),
            "kind": kind,
            "scope": np.where(domestic, "domestic", "international"),
            "requests": 1,
            "mature": mature.astype(int),
            "young": young.astype(int),
            "expected_answers": answered + late,
            "answered": answered.astype(int),
            "informative": informative.astype(int),
            "traced": traced.astype(int),
            "days": days,
            "log_days": np.log(np.maximum(days, 1.0)),
            "has_days": (~np.isnan(days)).astype(int),
        }
    )
    g = frame.groupby("party_key", sort=True)
    h = g.agg(
        requested_party=("requested_party", "first"),
        party_type=("party_type", "first"),
        kind=("kind", "first"),
        scope=("scope", "first"),
        requests=("requests", "sum"),
        mature=("mature", "sum"),
        young=("young", "sum"),
        expected_answers=("expected_answers", "sum"),
        answered=("answered", "sum"),
        informative=("informative", "sum"),
        traced=("traced", "sum"),
        median_days=("days", "median"),
        log_days=("log_days", lambda s: np.nansum(s.to_numpy())),
        has_days=("has_days", "sum"),
    ).reset_index()
    h["log_days"] = np.where(
        h["has_days"] > 0,
        frame.assign(ld=np.where(np.isnan(days), 0.0, frame["log_days"]))
        .groupby("party_key", sort=True)["ld"]
        .sum()
        .to_numpy(),
        0.0,
    )
    pooled = _pooled(h)
    intl = (h["kind"] != "domestic").to_numpy(dtype=bool)
    if strength == "auto":
        m = _auto_strength_of(h, intl, "answered", "mature", pooled["all"]["answer"])
        m_trace = _auto_strength_of(
            h, intl, "traced", "informative", pooled["all"]["trace"]
        )
    else:
        m = m_trace = float(strength)
    prior_a = h["kind"].map(lambda k: pooled[k]["answer"]).to_numpy(dtype=float)
    prior_t = h["kind"].map(lambda k: pooled[k]["trace"]).to_numpy(dtype=float)
    prior_d = h["kind"].map(lambda k: pooled[k]["log_days"]).to_numpy(dtype=float)
    h["answer_rate"] = (h["expected_answers"] + m * prior_a) / (
        h["mature"] + h["young"] + m
    )
    h["trace_rate"] = (h["traced"] + m_trace * prior_t) / (h["informative"] + m_trace)
    h["answer_rate"] = h["answer_rate"].fillna(pd.Series(prior_a))
    h["trace_rate"] = h["trace_rate"].fillna(pd.Series(prior_t))
    with np.errstate(invalid="ignore"):
        log_mean = np.where(
            np.isnan(prior_d),
            h["log_days"] / h["has_days"].where(h["has_days"] > 0),
            (h["log_days"] + m * np.nan_to_num(prior_d)) / (h["has_days"] + m),
        )
    h["expected_days"] = np.round(np.exp(log_mean))
    out = h[
        [
            "party_key",
            "requested_party",
            "party_type",
            "scope",
            "requests",
            "mature",
            "answered",
            "informative",
            "traced",
            "median_days",
            "answer_rate",
            "trace_rate",
            "expected_days",
        ]
    ].copy()
    for c in ("requests", "mature", "answered", "informative", "traced"):
        out[c] = out[c].astype("Int64")
    for c in ("median_days", "answer_rate", "trace_rate", "expected_days"):
        out[c] = out[c].astype("Float64")
    for c in ("party_key", "requested_party", "party_type", "scope"):
        out[c] = out[c].astype("string")
    out.attrs["pooled"] = pooled
    out.attrs["prior_strength"] = m
    out.attrs["as_of"] = as_of
    return out


def _pooled(h: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Pooled answer and trace rates, and mean log days, per kind and overall."""

    def rates(part: pd.DataFrame, fallback: dict[str, float] | None) -> dict:
        informative = part["informative"].sum()
        mature = part["mature"].sum() + part["young"].sum()
        n_days = part["has_days"].sum()
        out = {
            "answer": part["expected_answers"].sum() / mature if mature else np.nan,
            "trace": part["traced"].sum() / informative if informative else np.nan,
            "log_days": part["log_days"].sum() / n_days if n_days else np.nan,
        }
        if fallback is not None:
            out = {k: fallback[k] if np.isnan(v) else v for k, v in out.items()}
        return out

    # a State's answers to its own record checks say little of how it answers
    # other States: the overall rate is the international one when known
    international = h[h["kind"] != "domestic"]
    overall = rates(international if international["mature"].sum() else h, None)
    overall["answer"] = (
        _DEFAULT_ANSWER_RATE if np.isnan(overall["answer"]) else overall["answer"]
    )
    overall["trace"] = (
        _DEFAULT_TRACE_RATE if np.isnan(overall["trace"]) else overall["trace"]
    )
    return {
        "all": overall,
        "state": rates(h[h["kind"] == "state"], overall),
        "manufacturer": rates(h[h["kind"] == "manufacturer"], overall),
        "other": rates(h[h["kind"] == "other"], overall),
        "domestic": rates(h[h["kind"] == "domestic"], overall),
    }


_EMPTY_HISTORY = pd.DataFrame(
    columns=[
        "kind",
        "mature",
        "young",
        "expected_answers",
        "answered",
        "informative",
        "traced",
        "has_days",
        "log_days",
    ]
)
