"""RiskScorer, risk features and the dated reference data (issue 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from iti_analytics.exceptions import ITIError, NotFittedError
from iti_analytics.reference import load_reference
from iti_analytics.tracing import (
    LEARNED_SIGNALS,
    PRIOR_INTERCEPT,
    PRIOR_WEIGHTS,
    REASON_CODES,
    RISK_FEATURES,
    RiskScorer,
    conflict_area_status,
    conflict_areas,
    embargo_status,
    risk_features,
    trace_labels,
    un_arms_embargoes,
)


@parametrize_with_checks([RiskScorer()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def signals(**present) -> pd.DataFrame:
    """One row of risk features, all zero but ``present``."""
    row = pd.DataFrame(0.0, index=[0], columns=RISK_FEATURES)
    for name, value in present.items():
        row.loc[0, name] = value
    return row


def test_prior_rules_without_any_outcome():
    X = pd.concat(
        [
            signals(),
            signals(conflict_area=1, armed_group=1, military_pattern=1),
            signals(
                conflict_area=1,
                armed_group=1,
                military_pattern=1,
                embargo=1,
                batch_other_seizures=5,
                batch_other_countries=2,
            ),
        ],
        ignore_index=True,
    )
    scorer = RiskScorer().fit(X)
    risk = scorer.predict_proba(X)[:, 1]
    assert risk[0] == pytest.approx(1 / (1 + np.exp(-PRIOR_INTERCEPT)))
    assert risk[0] < risk[1] < risk[2]
    assert scorer.n_labels_ == 0 and scorer.model_ is None
    assert scorer.predict(X).tolist() == [0, 1, 1]


def test_reasons_in_words():
    X = signals(
        batch_other_seizures=3,
        batch_other_countries=1,
        recent_manufacture=1,
        year_of_manufacture=2019,
        conflict_area=1,
    )
    words = RiskScorer().fit(X).explain(X, top=3).iloc[0]
    assert words == (
        "batch also seen in 3 other seizures in 2 countries; seized in a "
        "conflict area; manufactured 2019"
    )
    assert RiskScorer().fit(signals()).explain(signals()).iloc[0] == (
        "no particular risk signal"
    )


def test_learns_from_outcomes_and_blends_with_the_prior():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(0.0, index=range(400), columns=RISK_FEATURES)
    X["border_area"] = rng.integers(0, 2, 400).astype(float)
    y = (rng.random(400) < np.where(X["border_area"] > 0, 0.8, 0.1)).astype(int)
    scorer = RiskScorer(prior_strength=100).fit(X, y)
    assert scorer.weight_ == pytest.approx(400 / 500)
    p = scorer.predict_proba(X)[:, 1]
    border, inland = p[X["border_area"] > 0].mean(), p[X["border_area"] == 0].mean()
    assert border > 0.6 and inland < 0.2
    learned_only = RiskScorer(prior_strength=0, max_weight=1).fit(X, y)
    p = learned_only.predict_proba(X)[:, 1]
    assert p[X["border_area"] > 0].mean() == pytest.approx(0.8, abs=0.05)


def test_learned_weight_is_capped_so_the_rules_keep_a_say():
    rng = np.random.default_rng(1)
    X = pd.DataFrame(0.0, index=range(2000), columns=RISK_FEATURES)
    X["border_area"] = rng.integers(0, 2, 2000).astype(float)
    y = rng.integers(0, 2, 2000)
    assert RiskScorer().fit(X, y).weight_ == 0.9  # 2000 / 2050 capped
    assert RiskScorer(max_weight=0.5).fit(X, y).weight_ == 0.5
    assert RiskScorer(prior_strength=2000).fit(X, y).weight_ == 0.5
    for bad in (-0.1, 1.5, None):
        with pytest.raises(ITIError, match="`max_weight` must be a share"):
            RiskScorer(max_weight=bad).fit(X, y)


def reversed_world(n: int = 600, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Risk signals whose items are *less* often revealed: conflict-area and
    armed-group items mostly fail, light weapons too, everything else is
    revealed half the time. A model free to learn would reverse the prior."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(0.0, index=range(n), columns=RISK_FEATURES)
    for name in ("conflict_area", "armed_group", "light_weapon", "border_area"):
        X[name] = (rng.random(n) < 0.4).astype(float)
    X["year_of_manufacture"] = rng.integers(1960, 2020, n).astype(float)
    bad = (X["conflict_area"] + X["armed_group"] + X["light_weapon"]) > 0
    y = (rng.random(n) < np.where(bad, 0.1, 0.5)).astype(int)
    return X, y


@pytest.mark.parametrize("model", ["logistic", "gradient_boosting"])
def test_learned_model_cannot_reverse_a_risk_signal(model):
    X, y = reversed_world()
    scorer = RiskScorer(model=model, random_state=0).fit(X, y)
    one = signals(conflict_area=1, armed_group=1)
    none = signals()
    # still riskier than the same item without the signals, never less
    assert scorer.predict_proba(one)[0, 1] >= scorer.predict_proba(none)[0, 1]
    c = scorer.contributions(one).iloc[0]
    assert c["conflict_area"] > 0 and c["armed_group"] > 0
    why = scorer.reasons(one).iloc[0]
    assert why["reason_codes"] == "conflict_area;armed_group"
    assert why["reasons"] == (
        "seized in a conflict area; recovered from an armed group"
    )


def test_logistic_weights_are_bounded_and_on_the_prior_scale():
    X, y = reversed_world()
    scorer = RiskScorer(calibration=None).fit(X, y)
    coef = pd.Series(scorer.model_.coef_[0], index=LEARNED_SIGNALS)
    assert (coef[[f for f in LEARNED_SIGNALS if PRIOR_WEIGHTS[f] > 0]] >= 0).all()
    # the learned part of a contribution is coefficient × strength
    row = signals(conflict_area=1, border_area=1)
    c = scorer.contributions(row).iloc[0]
    w = scorer.weight_
    assert c["border_area"] == pytest.approx(
        (1 - w) * PRIOR_WEIGHTS["border_area"] + w * coef["border_area"]
    )


def test_absent_signals_contribute_nothing_and_are_never_reasons():
    # light weapons are rarely revealed here: a standardised model would credit
    # *not* being a light weapon; the scorer credits only what an item has
    X, y = reversed_world()
    scorer = RiskScorer().fit(X, y)
    plain = X[(X[["conflict_area", "armed_group", "light_weapon"]] == 0).all(axis=1)]
    c = scorer.contributions(plain)
    for name in ("conflict_area", "armed_group", "light_weapon", "military_pattern"):
        assert (c[name] == 0).all()
    words = scorer.explain(plain)
    assert not words.str.contains("light weapon|conflict|armed group").any()


def test_traceability_and_age_are_not_learned_from():
    X, y = reversed_world()
    X["serial_intact"] = y.astype(float)  # a traceability column: perfect, banned
    scorer = RiskScorer(calibration=None).fit(X, y)
    assert scorer.model_.coef_.shape == (1, len(LEARNED_SIGNALS))
    assert "year_of_manufacture" not in LEARNED_SIGNALS
    flipped = X.assign(serial_intact=1 - X["serial_intact"], year_of_manufacture=0)
    np.testing.assert_allclose(
        scorer.predict_proba(X), scorer.predict_proba(flipped), atol=1e-12
    )


def test_reasons_codes_and_words_agree_with_explain():
    X = pd.concat(
        [
            signals(),
            signals(
                conflict_area=1,
                light_weapon=1,
                military_pattern=1,
                seizure_items=6,
                actor_other_seizures=2,
            ),
        ],
        ignore_index=True,
    )
    context = pd.DataFrame(
        {"category": ["pistol", "mortar"], "conflict_label": [None, "Borno"]}
    )
    scorer = RiskScorer().fit(X)
    why = scorer.reasons(X, top=5, context=context)
    assert why["reason_codes"].tolist() == [
        "",
        "conflict_area;light_weapon;military_pattern;actor_seen_elsewhere;"
        "large_seizure",
    ]
    assert why.loc[1, "reasons"] == (
        "seized in a conflict area (Borno); a light weapon (mortar); a "
        "military-pattern arm (mortar); actor also in 2 other seizures; part of a "
        "seizure of 6 items"
    )
    assert set(";".join(why["reason_codes"]).split(";")) - {""} <= set(REASON_CODES)
    pd.testing.assert_series_equal(
        scorer.explain(X, top=5, context=context), why["reasons"].rename(None)
    )
    # the context only adds labels: same codes without it
    assert scorer.reasons(X, top=5)["reason_codes"].tolist() == (
        why["reason_codes"].tolist()
    )
    with pytest.raises(ITIError, match="one row per row of `X`"):
        scorer.reasons(X, context=context.iloc[:1])
    with pytest.raises(ITIError, match="`top` must be"):
        scorer.reasons(X, top=0)


def test_one_class_only_says_how_to_proceed():
    X = signals()
    with pytest.raises(ValueError, match="both classes"):
        RiskScorer().fit(pd.concat([X] * 5), np.zeros(5))


def test_unfitted_error_is_both_ours_and_sklearns():
    with pytest.raises(NotFittedError, match="Call 'fit'") as err:
        RiskScorer().predict_proba(signals())
    assert isinstance(err.value, ITIError)
    assert isinstance(err.value, SklearnNotFittedError)


def test_bad_options_are_refused():
    with pytest.raises(ITIError, match="`model` must be one of"):
        RiskScorer(model="forest").fit(signals())
    with pytest.raises(ITIError, match="unknown features"):
        RiskScorer(prior_weights={"colour": 1.0}).fit(signals())


def items_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "seizure_id": ["s1", "s2", "s3", "s3"],
            "country": ["CAF", "GHA", "NGA", "NGA"],
            "admin1": [None, "GH-AA", "NG-BO", "NG-BO"],
            "setting": ["crime", "crime", None, None],
            "seized_on": pd.to_datetime(
                ["2020-03-01", "2020-05-01", "2021-01-01", "2021-01-01"]
            ),
            "item_kind": "weapon",
            "category": ["assault_rifle", "pistol", "mortar", "assault_rifle"],
            "make": "Norinco",
            "model": "Type 56",
            "serial": ["5601001", "P1", "5601004", "5601009"],
            "year_of_manufacture": [2017, 1990, 2017, 2017],
            "actor": ["Groupe X", None, "groupe  x", None],
            "actor_type": ["armed_group", None, "armed_group", None],
        }
    )


def test_risk_features_read_place_date_weapon_actor_and_batch():
    f = risk_features(items_frame())
    assert list(f.columns) == RISK_FEATURES
    assert f["embargo"].tolist() == [1.0, 0.0, 0.0, 0.0]  # CAF under embargo in 2020
    assert f["conflict_area"].tolist() == [1.0, 0.0, 1.0, 1.0]  # CAR; Borno (list)
    assert f["military_pattern"].tolist() == [1.0, 0.0, 1.0, 1.0]
    assert f["light_weapon"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert f["recent_manufacture"].tolist()[:2] == [1.0, 0.0]
    assert f["actor_other_seizures"].tolist() == [1.0, 0.0, 1.0, 0.0]  # spellings fold
    assert f["batch_other_seizures"].tolist() == [1.0, 0.0, 1.0, 1.0]  # 5601001-009
    assert f["batch_other_countries"].tolist() == [1.0, 0.0, 1.0, 1.0]
    assert f["seizure_items"].tolist() == [1.0, 1.0, 2.0, 2.0]


def test_trace_labels_from_past_outcomes():
    items = pd.DataFrame({"record_id": ["a", "b", "c", "d", "e", "f"]})
    traces = pd.DataFrame(
        {
            "trace_id": ["t1", "t2", "t3", "t4", "t5", "t6"],
            "record_id": ["a", "b", "c", "d", "e", "f"],
            "sent_on": pd.to_datetime(
                ["2020-01-01"] * 3 + ["2024-06-01"] * 2 + ["2020-01-01"]
            ),
            "status": ["responded", "responded", "responded", "sent", "closed", "sent"],
            "outcome": [
                "traced",
                "refused",
                "incomplete_request",
                "pending",
                "not_traced",
                "pending",
            ],
        }
    )
    ds = {"items": items, "traces": traces}
    # by default: did the trace reveal the point once the party searched?
    labels = trace_labels(ds, as_of="2024-07-01")
    assert labels.name == "revealed"
    assert labels.tolist()[0] == 1.0 and labels.tolist()[4] == 0.0
    # a refusal, an incomplete request, silence: traceability, not risk
    assert np.isnan([labels.tolist()[i] for i in (1, 2, 3, 5)]).all()
    # every mature request: refusals and long silences count as failures
    every = trace_labels(ds, as_of="2024-07-01", among="requests")
    assert every.tolist()[:2] == [1.0, 0.0] and every.tolist()[4:] == [0.0, 0.0]
    assert np.isnan(every.tolist()[2:4]).all()  # requester's fault; still young
    with pytest.raises(ITIError, match="`among` must be one of"):
        trace_labels(ds, among="everything")


def test_trace_labels_read_the_latest_answer():
    items = pd.DataFrame({"record_id": ["a"]})
    traces = pd.DataFrame(
        {
            "trace_id": ["t1", "t2"],
            "record_id": ["a", "a"],
            "sent_on": pd.to_datetime(["2020-01-01", "2023-01-01"]),
            "status": ["responded", "no_response"],
            "outcome": ["traced", "pending"],
        }
    )
    ds = {"items": items, "traces": traces}
    assert trace_labels(ds, as_of="2024-07-01").tolist() == [1.0]
    assert trace_labels(ds, as_of="2024-07-01", among="requests").tolist() == [0.0]


def test_un_arms_embargoes_are_dated_and_coded():
    emb = un_arms_embargoes()
    iso = set(load_reference("countries")["iso3"])
    assert set(emb["state"]) <= iso
    assert (emb["end"].isna() | (emb["end"] >= emb["start"])).all()
    civ = emb[emb["state"] == "CIV"].iloc[0]
    assert (str(civ["start"].date()), str(civ["end"].date())) == (
        "2004-11-15",
        "2016-04-28",
    )
    assert emb.loc[emb["state"] == "MLI", "scope"].tolist() == ["sanctions_only"]
    assert emb.loc[(emb["state"] == "CAF") & emb["end"].isna(), "scope"].item() == (
        "non_state_actors"
    )


@pytest.mark.parametrize(
    ("country", "admin1", "date", "expected"),
    [
        ("SDN", "SD-DN", "2010-01-01", 1.0),  # Darfur
        ("SDN", "SD-KH", "2010-01-01", 0.0),  # Khartoum: outside the area
        ("SDN", None, "2010-01-01", 0.5),  # area unknown
        ("LBR", None, "2012-01-01", 1.0),
        ("LBR", None, "2017-01-01", 0.0),  # lifted in 2016
        ("YEM", None, "2020-01-01", 0.5),  # targeted measures only
        ("MLI", None, "2020-01-01", 0.25),  # sanctions, no arms embargo
    ],
)
def test_embargo_status_by_place_and_date(country, admin1, date, expected):
    st = embargo_status(
        pd.Series([country]),
        pd.Series(pd.to_datetime([date])),
        pd.Series([admin1], dtype="string"),
    )
    assert st.loc[0, "embargo"] == expected


def test_conflict_areas_by_code_name_and_date():
    st = conflict_area_status(
        pd.Series(["NGA", "NGA", "CMR", "CIV", "CIV"]),
        pd.Series(
            pd.to_datetime(
                ["2020-01-01", "2020-01-01", "2020-01-01", "2005-01-01", "2015-01-01"]
            )
        ),
        pd.Series(["NG-BO", "Lagos", "Extrême-Nord", None, None], dtype="string"),
    )
    assert st["conflict_area"].tolist() == [True, False, True, True, False]
    assert conflict_areas()["country"].str.len().eq(3).all()
