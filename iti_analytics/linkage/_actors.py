"""Actor names: spellings of the same actor, whatever accents, case or order."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .._text import strip_accents as _strip_accents
from ..dataset import actor_entities as _actor_entities
from ._common import _empty_links, _sigmoid

# actor names: the same once accents, case, dots and word order are ignored is
# 0.97; otherwise a logistic of the token_sort_ratio, 0.5 at 0.925 (one typo in a
# short name), 0.88 at 0.95
_ACTOR_MIDPOINT = 0.925
_ACTOR_SLOPE = 80.0


def _name_key(name: str) -> str:
    """Accent-free, case-folded name with its words sorted."""
    plain = _strip_accents(name).casefold()
    plain = plain.replace(".", "").replace("'", "").replace("\u2019", "")
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return " ".join(sorted(words))


def _actor_links(
    items: pd.DataFrame, actors: pd.DataFrame, *, threshold: float, max_block: int
) -> pd.DataFrame:
    ent = _actor_entities(items, actors)
    if len(ent) < 2:
        return _empty_links()
    names, inverse = np.unique(ent["name"].to_numpy(dtype=object), return_inverse=True)
    keys = np.array([_name_key(n) for n in names], dtype=object)
    ent["key"] = pd.array(keys[inverse], dtype="string")
    ent = ent[ent["key"] != ""].reset_index(drop=True)
    country = ent["country"].fillna("").to_numpy(dtype=object)
    key = ent["key"].to_numpy(dtype=object)
    # blocks: country + initial of each of the first three words
    words = ent["key"].str.split(" ", n=3, expand=True)
    blocks = []
    for k in range(min(3, words.shape[1])):
        initial = words[k].astype("string").str[:1]
        blocks.append(
            pd.DataFrame(
                {
                    "block": ent["country"].fillna("") + "|" + initial,
                    "e": np.arange(len(ent)),
                }
            )[initial.notna().to_numpy()]
        )
    block = pd.concat(blocks).drop_duplicates()
    ea_all, eb_all, sim_all = [], [], []
    for _, members in block.groupby("block", sort=False)["e"]:
        e = members.to_numpy()
        if len(e) < 2:
            continue
        if len(e) > max_block:  # split further by the first two letters
            sub = pd.Series(key[e]).str[:2].to_numpy()
            groups = [e[sub == s] for s in np.unique(sub)]
        else:
            groups = [e]
        for g in groups:
            if len(g) < 2 or len(g) > max_block:
                continue
            scores = process.cdist(
                key[g],
                key[g],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=threshold * 100,
                dtype=np.uint8,
                workers=-1,
            )
            i, j = np.nonzero(np.triu(scores, k=1))
            ea_all.append(g[i])
            eb_all.append(g[j])
            sim_all.append(scores[i, j])
    if not ea_all:
        return _empty_links()
    ea = np.concatenate(ea_all)
    eb = np.concatenate(eb_all)
    pairs = pd.DataFrame({"ea": np.minimum(ea, eb), "eb": np.maximum(ea, eb)})
    pairs = pairs.drop_duplicates().reset_index(drop=True)
    ea, eb = pairs["ea"].to_numpy(), pairs["eb"].to_numpy()
    same_country = country[ea] == country[eb]
    ea, eb = ea[same_country], eb[same_country]
    na = ent["name"].to_numpy(dtype=object)[ea]
    nb = ent["name"].to_numpy(dtype=object)[eb]
    raw_sim = (
        process.cpdist(
            [_strip_accents(x).casefold() for x in na],
            [_strip_accents(x).casefold() for x in nb],
            scorer=fuzz.token_sort_ratio,
            workers=-1,
        )
        / 100.0
    )
    shown_sim = (
        process.cpdist(
            [x.casefold() for x in na],
            [x.casefold() for x in nb],
            scorer=fuzz.token_sort_ratio,
            workers=-1,
        )
        / 100.0
    )
    same_key = key[ea] == key[eb]
    fuzzy_conf = np.minimum(_sigmoid(_ACTOR_SLOPE * (raw_sim - _ACTOR_MIDPOINT)), 0.95)
    confidence = np.where(same_key, 0.97, fuzzy_conf)
    idx = pd.RangeIndex(len(ea))
    sim_text = pd.Series(np.round(shown_sim, 2), index=idx).map("{:.2f}".format)
    left_name = pd.Series(na, index=idx, dtype="string")
    right_name = pd.Series(nb, index=idx, dtype="string")
    reason = (
        "actor names '"
        + left_name
        + "' and '"
        + right_name
        + "' (similarity "
        + sim_text.astype("string")
        + ")"
    )
    reason = reason.where(
        ~same_key, reason + "; the same once accents, case and word order are ignored"
    )
    where = ent["country"].to_numpy(dtype=object)[ea]
    reason = reason + pd.Series(
        np.where(pd.isna(where), "", ", both in " + where.astype(str)), index=idx
    )
    ids = ent["id"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "left": ids[ea],
            "right": ids[eb],
            "kind": "actor",
            "confidence": np.round(confidence, 3),
            "method": np.where(same_key, "actor_exact", "actor_fuzzy"),
            "reason": reason,
            "left_value": left_name,
            "right_value": right_name,
            "_order": ent["order"].to_numpy()[ea],
        }
    )
