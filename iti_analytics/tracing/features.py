"""Risk features: the numeric signals of risk, built from a Dataset's items."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option
from ..dataset import Dataset, DatasetLike, as_dataset
from ..schema import LIGHT_WEAPON_CATEGORIES
from ._common import (
    actor_keys,
    group_codes,
    isin,
    resolve_as_of,
    seizure_keys,
)
from ._reference import conflict_area_status, embargo_status, sanctions_status

__all__ = [
    "risk_features",
    "trace_labels",
    "RISK_FEATURES",
    "MILITARY_CATEGORIES",
    "SEARCHED_OUTCOMES",
]

#: the numeric columns of :func:`risk_features`, in order.
RISK_FEATURES = [
    "conflict_area",
    "border_area",
    "embargo",
    "cross_border_route",
    "light_weapon",
    "military_pattern",
    "recent_manufacture",
    "unusual_type",
    "armed_group",
    "organised_group",
    "actor_other_seizures",
    "batch_other_seizures",
    "batch_other_countries",
    "seizure_items",
    "year_of_manufacture",
]

#: military-pattern arms: assault rifles, machine guns, submachine guns, light
#: weapons.
MILITARY_CATEGORIES = frozenset({"assault_rifle", "machine_gun", "submachine_gun"}) | (
    LIGHT_WEAPON_CATEGORIES
)


def risk_features(
    ds: DatasetLike,
    *,
    embargoes: pd.DataFrame | None = None,
    conflict_areas: pd.DataFrame | None = None,
    batch_members: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Turn a Dataset into the numeric risk signals :class:`RiskScorer` reads.

    Parameters
    ----------
    ds : Dataset
        Its ``items`` are used.
    embargoes, conflict_areas : DataFrame, optional
        Reference tables (default: the shipped
        :func:`~iti_analytics.tracing.un_arms_embargoes` and
        :func:`~iti_analytics.tracing.conflict_areas`).
    batch_members : DataFrame, optional
        ``batches(ds, return_members=True)[1]`` if you have it (computed
        otherwise; the slowest step on large data).

    Returns
    -------
    DataFrame
        Same index as ``ds.items``, float columns :data:`RISK_FEATURES`:

        ``conflict_area``
            1 if ``setting`` is "conflict" or the place is in a listed
            conflict area on the seizure date.
        ``border_area``
            1 if ``setting`` is "border".
        ``embargo``
            0–1: a UN arms embargo covering the seizure country (and area) on
            the seizure date (see :data:`EMBARGO_SCOPE_WEIGHTS`), or 1 for
            sanctions as written on suppliers and named groups
            (:func:`~iti_analytics.tracing.sanctions_status`).
        ``cross_border_route``
            1 if route evidence (origin or transit countries) crosses a border.
        ``light_weapon``, ``military_pattern``
            Light weapons; military-pattern arms (assault rifles, machine guns,
            submachine guns and light weapons).
        ``recent_manufacture``
            1 for an item made 5 years or less before its seizure, falling to 0
            at 20 years (0 when the year is unknown): recent weapons point to
            recent diversion.
        ``unusual_type``
            0–1: how rare the weapon's category is among the weapons seized in
            the same country (1 = none other, 0 = 5 % or more; needs 30
            weapons).
        ``armed_group``, ``organised_group``
            Recovered from an armed group; from a criminal group or dealer.
        ``actor_other_seizures``
            Other seizures involving the same actor (spellings folded).
        ``batch_other_seizures``, ``batch_other_countries``
            Other seizures, and other countries, where items of the item's
            batch were seen (serial run, lot or import mark; see
            :func:`~iti_analytics.network.batches`).
        ``seizure_items``
            Items in the item's seizure (caches are large).
        ``year_of_manufacture``
            The year (0 if unknown): for the words and the learned model.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({
    ...     "record_id": ["a", "b", "c"], "seizure_id": ["s1", "s2", "s3"],
    ...     "country": ["CAF", "GHA", "NER"], "setting": ["conflict", "crime", None],
    ...     "seized_on": pd.to_datetime(["2020-03-01", "2020-05-01", "2021-01-01"]),
    ...     "item_kind": "weapon", "category": ["assault_rifle", "pistol", "mortar"],
    ...     "make": "Norinco", "model": "Type 56",
    ...     "serial": ["5601001", "P1", "5601004"], "year_of_manufacture": 2017})
    >>> f = risk_features(items)
    >>> f[["conflict_area", "embargo", "military_pattern", "batch_other_seizures"]]
       conflict_area  embargo  military_pattern  batch_other_seizures
    0            1.0      1.0               1.0                   1.0
    1            0.0      0.0               0.0                   0.0
    2            0.0      0.0               1.0                   1.0
    """
    feats, _ = _features_and_context(
        as_dataset(ds),
        embargoes=embargoes,
        conflict_areas=conflict_areas,
        batch_members=batch_members,
    )
    return feats


def _features_and_context(
    ds: Dataset,
    *,
    embargoes: pd.DataFrame | None = None,
    conflict_areas: pd.DataFrame | None = None,
    batch_members: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The numeric features and, for the words, their context per item."""
    from ..network import batches

    items = ds.items
    setting = items["setting"].astype("string")
    country = items["country"].astype("string")
    seized = items["seized_on"]
    conflict = conflict_area_status(
        country, seized, items["admin1"], table=conflict_areas
    )
    embargo = embargo_status(country, seized, items["admin1"], table=embargoes)
    sanction = sanctions_status(items)
    stronger = sanction["sanction"].to_numpy() > embargo["embargo"].to_numpy()
    embargo = pd.DataFrame(
        {
            "embargo": np.maximum(embargo["embargo"], sanction["sanction"]),
            "embargo_label": embargo["embargo_label"].mask(
                pd.Series(stronger, index=items.index), sanction["sanction_label"]
            ),
        },
        index=items.index,
    )
    category = items["category"].astype("string")
    origin = items["origin_country"].astype("string")
    route = (
        (origin.notna() & (origin != country).fillna(True))
        | items["transit_countries"].notna()
    ).to_numpy(dtype=bool)
    year = pd.to_numeric(items["year_of_manufacture"], errors="coerce").astype(
        "Float64"
    )
    seized_year = seized.dt.year.astype("Float64")
    age = (seized_year - year).to_numpy(dtype=float, na_value=np.nan)
    recent = np.clip((20.0 - age) / 15.0, 0.0, 1.0)
    recent = np.where(np.isnan(recent), 0.0, recent)
    share = _category_share(items)
    unusual = np.clip(1.0 - share / 0.05, 0.0, 1.0)
    unusual = np.where(np.isnan(unusual), 0.0, unusual)
    actor_type = items["actor_type"].astype("string")
    seizure = group_codes(seizure_keys(items))
    actor = group_codes(actor_keys(items["actor"]))
    actor_other = _other_groups(actor, seizure)
    seizure_size = np.bincount(seizure, minlength=1)[seizure].astype(float)
    if batch_members is None:
        _, batch_members = batches(
            ds, kinds=["serial_run", "lot", "import_mark"], return_members=True
        )
    batch = _item_batches(items, seizure, batch_members)
    feats = pd.DataFrame(
        {
            "conflict_area": (
                isin(setting, ["conflict"]) | conflict["conflict_area"].to_numpy()
            ).astype(float),
            "border_area": isin(setting, ["border"]).astype(float),
            "embargo": embargo["embargo"].to_numpy(dtype=float),
            "cross_border_route": route.astype(float),
            "light_weapon": isin(category, LIGHT_WEAPON_CATEGORIES).astype(float),
            "military_pattern": isin(category, MILITARY_CATEGORIES).astype(float),
            "recent_manufacture": recent,
            "unusual_type": unusual,
            "armed_group": isin(actor_type, ["armed_group"]).astype(float),
            "organised_group": isin(actor_type, ["criminal_group", "dealer"]).astype(
                float
            ),
            "actor_other_seizures": actor_other,
            "batch_other_seizures": batch["other_seizures"],
            "batch_other_countries": batch["other_countries"],
            "seizure_items": seizure_size,
            "year_of_manufacture": year.fillna(0.0).to_numpy(dtype=float),
        },
        index=items.index,
    )
    context = pd.DataFrame(
        {
            "record_id": items["record_id"],
            "country": country,
            "category": category,
            "conflict_label": conflict["conflict_label"],
            "embargo_label": embargo["embargo_label"],
            "category_share": share,
            "seizure": seizure,
            "actor": actor,
            "batch_id": batch["batch_id"],
            "strong_batch": batch["strong_batch"],
            "import_batch": batch["import_batch"],
        },
        index=items.index,
    )
    return feats, context


def _other_groups(actor: np.ndarray, seizure: np.ndarray) -> np.ndarray:
    """Per item: other seizures involving its actor (0 when no actor)."""
    out = np.zeros(len(actor))
    known = actor >= 0
    if not known.any():
        return out
    pairs = np.unique(
        actor[known].astype(np.int64) * (int(seizure.max()) + 1) + seizure[known]
    )
    per_actor = np.bincount(
        pairs // (int(seizure.max()) + 1), minlength=int(actor.max()) + 1
    )
    out[known] = per_actor[actor[known]] - 1.0
    return out


def _category_share(items: pd.DataFrame) -> np.ndarray:
    """Share of the item's category among weapons seized in its country."""
    cat = items["category"].astype("string")
    country = items["country"].astype("string")
    known = cat.notna() & country.notna() & (cat != "other")
    frame = pd.DataFrame({"c": country[known], "k": cat[known]})
    if frame.empty:
        return np.full(len(items), np.nan)
    per = frame.value_counts()
    total = frame["c"].value_counts()
    share = per / total.reindex(per.index.get_level_values(0)).to_numpy()
    share = share[total.reindex(per.index.get_level_values(0)).to_numpy() >= 30]
    key = pd.MultiIndex.from_arrays([country, cat])
    out = share.reindex(key).to_numpy(dtype=float)
    return np.where(known.to_numpy(dtype=bool), out, np.nan)


def _item_batches(
    items: pd.DataFrame, seizure: np.ndarray, members: pd.DataFrame | None
) -> dict[str, Any]:
    """Per item: its best batch (strong first, most seizures), how widely seen.

    Batch ids come back as categoricals (cheap to build and to slice); the
    strong (serial run, lot) and import-mark batches also as integer codes.
    """
    n = len(items)
    out: dict[str, Any] = {
        "other_seizures": np.zeros(n),
        "other_countries": np.zeros(n),
        "strong_batch": np.full(n, -1, dtype=np.int64),
        "import_batch": np.full(n, -1, dtype=np.int64),
    }
    if members is None or len(members) == 0:
        out["batch_id"] = pd.Categorical.from_codes(np.full(n, -1), categories=[])
        return out
    rid = items["record_id"].astype("string")
    pos = pd.Index(rid).get_indexer(members["record_id"].astype("string"))
    ok = pos >= 0
    pos = pos[ok]
    b_code, names = pd.factorize(members["batch_id"].astype("string")[ok])
    strong = (
        members["kind"]
        .astype("string")[ok]
        .isin(["serial_run", "lot"])
        .to_numpy(dtype=bool)
    )
    nb = len(names)
    s_code = seizure[pos]
    c_code = group_codes(items["country"].astype("string")).take(pos)
    seizures = _distinct_per_group(b_code, s_code, nb)
    countries = _distinct_per_group(b_code, c_code, nb)
    # best batch per item: strong first, then most seizures, then most countries
    rank = np.lexsort((-countries[b_code], -seizures[b_code], ~strong, pos))
    first = np.ones(len(rank), dtype=bool)
    first[1:] = pos[rank][1:] != pos[rank][:-1]
    best = rank[first]
    batch_codes = np.full(n, -1, dtype=np.int64)
    batch_codes[pos[best]] = b_code[best]
    out["batch_id"] = pd.Categorical.from_codes(batch_codes, categories=names)
    widest_s = np.zeros(n)
    widest_c = np.zeros(n)
    np.maximum.at(widest_s, pos, seizures[b_code] - 1.0)
    np.maximum.at(widest_c, pos, countries[b_code] - 1.0)
    out["other_seizures"], out["other_countries"] = widest_s, widest_c
    out["strong_batch"][pos[strong]] = b_code[strong]
    out["import_batch"][pos[~strong]] = b_code[~strong]
    return out


def _distinct_per_group(group: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Number of distinct non-negative ``value`` per ``group`` code."""
    keep = value >= 0
    pairs = (
        np.unique(group[keep].astype(np.int64) * (int(value.max()) + 1) + value[keep])
        if keep.any()
        else np.array([], dtype=np.int64)
    )
    width = int(value.max()) + 1 if keep.any() else 1
    return np.bincount(pairs // width, minlength=n).astype(float)


#: answers that mean the requested party searched its records: the outcomes
#: :func:`trace_labels` learns from by default.
SEARCHED_OUTCOMES = ("traced", "partially_traced", "not_traced")


def trace_labels(
    ds: DatasetLike,
    *,
    as_of: Any = None,
    mature_days: int = 365,
    among: str = "answered",
) -> pd.Series:
    """Past trace outcomes as labels: did the trace reveal the diversion point?

    The label of an item is read from its latest request with such an answer
    (``among="answered"``) or its latest request (``among="requests"``);
    draft, withdrawn and duplicate requests, and requests sent after
    ``as_of``, are left out.

    ``among="answered"`` (the default): whether a trace reveals the diversion
    point *once the requested party has searched its records* — 1.0 when the
    answer came back ``traced`` (diversion point identified), 0.0 when it came
    back ``partially_traced`` or ``not_traced``, NaN otherwise: refusals,
    silence, records not found or no longer kept, incomplete requests and
    unanswered requests say how easy an item is to trace (``p_success`` of
    :func:`traceability`), not how much its trace matters. These are the
    labels :class:`RiskScorer` learns from, so that the risk (which
    :func:`plan_tracing` uses to order requests of equal promise) does not
    count traceability a second time.

    ``among="requests"``: every mature request — 1.0 when answered
    ``traced``, 0.0 when answered otherwise or left unanswered for
    ``mature_days`` (or marked ``no_response``); incomplete requests (the
    requester's fault) and young requests NaN. This is the overall chance a
    request reveals the point, traceability included.

    Parameters
    ----------
    ds : Dataset
    as_of : date, optional
        Date of the labels (default: the latest date in the data).
    mature_days : int, default 365
        With ``among="requests"``: days after which silence counts as a
        failure.
    among : {"answered", "requests"}, default "answered"

    Returns
    -------
    Series
        Float labels named ``revealed``, same index as ``ds.items`` (NaN for
        items never traced or without a usable outcome).

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"record_id": ["a", "b", "c", "d"]})
    >>> traces = pd.DataFrame({"trace_id": ["t1", "t2", "t3"],
    ...     "record_id": ["a", "b", "c"],
    ...     "sent_on": pd.to_datetime(["2020-01-01"] * 3),
    ...     "status": ["responded", "no_response", "responded"],
    ...     "outcome": ["traced", "pending", "not_traced"]})
    >>> ds = {"items": items, "traces": traces}
    >>> trace_labels(ds, as_of="2022-01-01").tolist()
    [1.0, nan, 0.0, nan]
    >>> trace_labels(ds, as_of="2022-01-01", among="requests").tolist()
    [1.0, 0.0, 0.0, nan]
    """
    check_option("among", among, ["answered", "requests"])
    return _trace_labels(
        as_dataset(ds), as_of=as_of, mature_days=mature_days, among=among
    )


def _trace_labels(
    ds: Dataset, *, as_of: Any = None, mature_days: int = 365, among: str = "answered"
) -> pd.Series:
    """:func:`trace_labels` on a Dataset already through ``as_dataset``."""
    as_of = resolve_as_of(as_of, ds.items, ds.traces)
    tr = ds.traces
    tr = tr[
        ~isin(tr["status"], ["draft", "withdrawn"])
        & tr["duplicate_of"].isna().to_numpy()
        & ~(tr["sent_on"] > as_of).fillna(False).to_numpy(dtype=bool)
    ]
    outcome = tr["outcome"].astype("string")
    answered = (
        (outcome.notna() & (outcome != "pending")).to_numpy(dtype=bool)
        | isin(tr["status"], ["responded", "closed"])
    ) & ~(tr["responded_on"] > as_of).fillna(False).to_numpy(dtype=bool)
    traced = (outcome == "traced").fillna(False).to_numpy(dtype=bool)
    label = np.where(answered & traced, 1.0, 0.0)
    if among == "answered":
        label = np.where(answered & isin(outcome, SEARCHED_OUTCOMES), label, np.nan)
    else:
        old = ((as_of - tr["sent_on"]).dt.days >= mature_days).fillna(False)
        mature = (
            answered | isin(tr["status"], ["no_response"]) | old.to_numpy(dtype=bool)
        )
        label = np.where(mature, label, np.nan)
        label = np.where(
            answered & (outcome == "incomplete_request").fillna(False).to_numpy(),
            np.nan,
            label,
        )
    frame = pd.DataFrame(
        {
            "record_id": tr["record_id"].astype("string"),
            "sent": tr["sent_on"],
            "label": label,
        }
    ).sort_values("sent", na_position="first", kind="stable")
    if among == "answered":  # the latest answer from a search of the records
        frame = frame[frame["label"].notna()]
    latest = frame.drop_duplicates("record_id", keep="last").set_index("record_id")
    rid = ds.items["record_id"].astype("string")
    return pd.Series(
        latest["label"].reindex(rid).to_numpy(dtype=float),
        index=ds.items.index,
        name="revealed",
    )
