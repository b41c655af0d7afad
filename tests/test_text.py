"""Shared text helpers: one folding and one meaning of an actor key."""

import pandas as pd

from iti_analytics._text import actor_keys, fold, fold_values, strip_accents


def test_fold_ignores_accents_case_hyphens_and_apostrophes():
    assert strip_accents("Traoré") == "Traore"
    assert fold("Côte d’Ivoire") == fold("COTE D'IVOIRE") == "cote d ivoire"
    assert fold("Jean-Pierre  KONÉ") == "jean pierre kone"


def test_fold_values_folds_each_value_and_keeps_nulls():
    out = fold_values(pd.Series(["Niamey", "NIAMEY", None], index=[5, 6, 7]))
    assert out.tolist() == ["niamey", "niamey", pd.NA]
    assert list(out.index) == [5, 6, 7]


def test_actor_keys_group_spellings_of_one_name_under_the_commonest():
    names = pd.Series(
        ["Moussa Traoré", "TRAORE Moussa", "Moussa Traoré", "moussa  traore", "Ali"]
    )
    assert actor_keys(names).tolist() == ["Moussa Traoré"] * 4 + ["Ali"]


def test_actor_keys_keep_different_people_apart_and_blank_null():
    names = pd.Series(["Moussa Traoré", "Moussa Traore Junior", " ", None])
    keys = actor_keys(names)
    assert keys[0] != keys[1]
    assert keys.isna().tolist() == [False, False, True, True]


def test_the_network_groups_actors_by_the_same_keys():
    import iti_analytics as iti

    items = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "seizure_id": ["s1", "s2", "s3"],
            "actor": ["Moussa Traoré", "TRAORE Moussa", "Ali Bako"],
        }
    )
    graph = iti.build_graph(items)
    actors = [n for n, kind in graph.nodes(data="kind") if kind == "actor"]
    assert sorted(actors) == ["actor:Ali Bako", "actor:Moussa Traoré"]
