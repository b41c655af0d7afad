"""Weapon category and item kind: type words and model names."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import InvalidParameterError
from ..reference import load_reference
from ..schema import VOCABULARIES
from ._makes import normalize_make
from ._text import fold
from ._weapon_common import (
    _aligned,
    _blank,
    _decode,
    _Distinct,
    _Lexicon,
    _problems,
    _series,
)

# --------------------------------------------------------------------------- types

_CATEGORIES = list(VOCABULARIES[("items", "category")])
_KINDS = list(VOCABULARIES[("items", "item_kind")])
_PRODUCTIONS = list(VOCABULARIES[("items", "production")])
_CAT = {c: i for i, c in enumerate(_CATEGORIES)}
_KIND = {k: i for i, k in enumerate(_KINDS)}
_PROD = {p: i for i, p in enumerate(_PRODUCTIONS)}
#: a generic category -> the finer ones a model name may turn it into
_REFINE = {"rifle": ("assault_rifle",), "machine_gun": ("heavy_machine_gun",)}
_NON_WEAPON = ("ammunition", "part", "explosive_component", "other")
_MATCHED, _UNKNOWN, _UNMATCHED = 0, 1, 2


@lru_cache(maxsize=1)
def _category_lexicon() -> _Lexicon:
    ref = load_reference("categories")
    payloads = [
        (_blank(c), _blank(k), _blank(p))
        for c, k, p in zip(
            ref["category"], ref["item_kind"], ref["production"], strict=True
        )
    ]
    return _Lexicon(ref["term"], payloads)


@lru_cache(maxsize=1)
def _production_lexicons() -> tuple[_Lexicon, dict[str, str]]:
    """(phrases found inside any text, whole-value look-up for a production column)."""
    ref = load_reference("production_terms")
    inside = ref[ref["scope"] == "any"]
    cats = load_reference("categories").dropna(subset=["production"])
    lexicon = _Lexicon(
        list(inside["term"]) + list(cats["term"]),
        list(inside["production"]) + list(cats["production"]),
    )
    keys = fold(ref["term"].tolist()).tolist()
    return lexicon, dict(zip(keys, ref["production"], strict=True))


def _first_special(productions: list[str]) -> str | None:
    """The telling production among several ("craft" beats "industrial")."""
    special = [p for p in productions if p != "industrial"]
    return (special or productions or [None])[0]


@lru_cache(maxsize=1 << 16)
def _type_of(key: str) -> tuple[str | None, str | None, str | None, bool]:
    """(category, item_kind, production, understood) of one folded type text."""
    plex, _ = _production_lexicons()
    production = _first_special([m[2] for m in plex.find(key)])
    crafted = production not in (None, "industrial")
    found = _category_lexicon().find(key)
    if not found:
        if crafted:  # "artisanal", "fabricação caseira": a craft weapon
            return "other", "weapon", production, True
        return None, None, production, False
    other_kinds = [m[2][1] for m in found if m[2][1] in _NON_WEAPON]
    if other_kinds:  # "munitions pour fusil", "chargeur AK": not a weapon
        return None, other_kinds[0], production, True
    typed = sorted(
        (m for m in found if m[2][0] is not None),
        key=lambda m: (-(m[1] - m[0]), m[0]),
    )
    category = typed[0][2][0] if typed else ("other" if crafted else None)
    return category, "weapon", production, True


class _Types:
    """Per-unique reading of a weapon-type column, as integer codes."""

    def __init__(self, values: pd.Series):
        self.distinct = d = _Distinct(values)
        info = []
        for key, unk in zip(d.keys, d.unknown_kind, strict=True):
            # "OUTROS"/"autres" go on to the lexicon: a weapon of another type
            if unk == "unknown" or not key:
                info.append((None, None, None, _UNKNOWN))
            else:
                category, kind, production, understood = _type_of(key)
                info.append(
                    (category, kind, production, _MATCHED if understood else _UNMATCHED)
                )
        self.category = np.array([_CAT.get(i[0], -1) for i in info], dtype=np.int32)
        self.kind = np.array([_KIND.get(i[1], -1) for i in info], dtype=np.int32)
        self.production = np.array([_PROD.get(i[2], -1) for i in info], dtype=np.int32)
        self.status = np.array([i[3] for i in info], dtype=np.int8)


def normalize_category(
    values: Any, model: Any = None, *, make: Any = None, kind: Any = None
) -> tuple[pd.Series, pd.Series]:
    """Map weapon-type terms and model names to the ``category`` vocabulary.

    Understands type words in English, French, Spanish and Portuguese
    ("fusil d'assaut", "pistolet-mitrailleur", "FUZIL", "REVÓLVER", "escopeta"),
    model names ("AK-47", "Type 56", "RPG-7", "PKM", "Glock 17", "9M14 Malyutka")
    and phrases mixing both. Ammunition, parts and explosive components
    ("CARTUCHO (INTACTO)", "munitions", "chargeur") have no weapon category:
    null without a problem (:func:`infer_item_kind` says what they are).

    Parameters
    ----------
    values : Series or sequence
        Raw weapon-type text.
    model : Series or sequence, optional
        The model column, aligned with ``values``. When given, a model name
        fills a missing category and sharpens a generic one (``rifle`` →
        ``assault_rifle`` for an FAL, ``machine_gun`` → ``heavy_machine_gun``
        for a DShK).
    make : Series or sequence, optional
        The make column (raw or canonical), aligned with ``values``. Some
        model names mean different weapons from different makers: an ``M72``
        is the American M72 LAW rocket launcher, but a Zastava ``M72`` is a
        light machine gun. With the make, the pair is looked up first (the
        ``categories`` table lists such pairs as "<make> <model>", e.g.
        "Zastava Arms M72"); without it a bare ``M72`` is read as the LAW.
    kind : Series or sequence, optional
        The raw item-kind column ("Nature", "Item Type"), aligned with
        ``values``. A row it names as ammunition, a part or an explosive
        component gets no category from its model (a Type 56 magazine is not
        an assault rifle).

    Returns
    -------
    category : Series of string
        One of ``revolver``, ``pistol``, ``rifle``, ``shotgun``, ``assault_rifle``,
        ``submachine_gun``, ``machine_gun``, ``heavy_machine_gun``,
        ``grenade_launcher``, ``rocket_launcher``, ``recoilless_rifle``, ``mortar``,
        ``atgm``, ``manpads``, ``other``, or null.
    problems : Series of string
        "unknown weapon category '…'" where the text was not understood.

    Examples
    --------
    >>> cat, problems = normalize_category(
    ...     ["fusil d'assaut", "REVÓLVER", "AK-47", "Strela-2", "CARTUCHO (INTACTO)",
    ...      "INDETERMINADO", "zorglub"])
    >>> cat.tolist()
    ['assault_rifle', 'revolver', 'assault_rifle', 'manpads', <NA>, <NA>, <NA>]
    >>> problems.tolist()[-1]
    "unknown weapon category 'zorglub'"
    >>> normalize_category(["FUZIL", "FUZIL"], model=["M 964 FAL", None])[0].tolist()
    ['assault_rifle', 'rifle']
    >>> normalize_category(
    ...     [None, None, None], model=["M72", "M72", "Type 56"],
    ...     make=["Zastava", None, "Norinco"], kind=["arme", "arme", "chargeur"],
    ... )[0].tolist()
    ['machine_gun', 'rocket_launcher', <NA>]
    """
    values = _series(values, "values")
    types = _Types(values)
    d = types.distinct
    category = d.rows(types.category)
    problems, vocab = _problems(
        d, types.status == _UNMATCHED, "unknown weapon category"
    )
    if model is not None:
        model = _aligned(model, "model", len(values))
        from_model = _Types(model)
        model_cat = from_model.distinct.rows(from_model.category)
        if make is not None:
            paired = _make_model_categories(
                _aligned(make, "make", len(values)), from_model.distinct
            )
            model_cat = np.where(paired >= 0, paired, model_cat)
        # look-up tables indexed by a code (the extra last cell is code -1)
        non_weapon = np.zeros(len(_KINDS) + 1, dtype=bool)
        non_weapon[[_KIND[k] for k in _NON_WEAPON]] = True
        finer = np.zeros((len(_CATEGORIES) + 1, len(_CATEGORIES) + 1), dtype=bool)
        for generic, targets in _REFINE.items():
            finer[_CAT[generic], [_CAT[t] for t in targets]] = True
        blocked = non_weapon[d.rows(types.kind)]
        if kind is not None:
            kinds = _Types(_aligned(kind, "kind", len(values)))
            blocked |= non_weapon[kinds.distinct.rows(kinds.kind)]
        use = (category < 0) & (model_cat >= 0) & ~blocked
        use |= finer[category, model_cat] & ~blocked
        category = np.where(use, model_cat, category)
        problems = np.where(use, -1, problems)
    return (
        _decode(category, _CATEGORIES, values.index).rename(values.name),
        _decode(problems, vocab, values.index),
    )


@lru_cache(maxsize=1 << 16)
def _paired_category(make_key: str, model_key: str) -> int:
    """Category code of a "<make> <model>" phrase of the table, or -1.

    Only a phrase that takes in the end of the make and the start of the
    model counts ("zastava arms m72"); a make that is itself a type word
    ("Kalashnikov") does not decide the category of its models.
    """
    if not make_key or not model_key:
        return -1
    n_make = len(make_key.split())
    for start, end, payload in _category_lexicon().find(f"{make_key} {model_key}"):
        if start < n_make < end and payload[0] is not None:
            return _CAT.get(payload[0], -1)
    return -1


def _make_model_categories(make: pd.Series, models: _Distinct) -> np.ndarray:
    """Per row, the category of its (canonical make, model) pair, or -1."""
    makes = _Distinct(make)
    canonical, _ = normalize_make(pd.Series(makes.text.array, dtype="string"))
    make_keys = fold(canonical.fillna("").array).tolist()
    n_model = len(models.keys)
    pair = np.where(
        (makes.codes >= 0) & (models.codes >= 0),
        makes.codes.astype(np.int64) * n_model + models.codes,
        -1,
    )
    codes, uniques = pd.factorize(pair, use_na_sentinel=True)
    per_pair = np.array(
        [
            -1
            if p < 0
            else _paired_category(make_keys[p // n_model], models.keys[p % n_model])
            for p in uniques.tolist()
        ],
        dtype=np.int32,
    )
    return np.append(per_pair, -1).astype(np.int32)[codes]


# --------------------------------------------------------------------------- item kind


def infer_item_kind(
    kind_values: Any = None, category_values: Any = None, category_raw: Any = None
) -> tuple[pd.Series, pd.Series]:
    """Decide ``item_kind`` (weapon, ammunition, part, explosive_component, other).

    An explicit kind column wins ("ARMA DE FOGO" → weapon, "MUNIÇÃO",
    "munitions" → ammunition, "pièce", "chargeur" → part, "détonateur",
    "IED component" → explosive_component). Where it is absent, null or not
    understood, the raw type text decides ("CARTUCHO (INTACTO)" → ammunition),
    and a row with a known weapon category is a weapon.

    Parameters
    ----------
    kind_values : Series or sequence, optional
        Raw item-kind column ("Classe", "Nature", "Item Type").
    category_values : Series or sequence, optional
        The normalised ``category`` column.
    category_raw : Series or sequence, optional
        The raw weapon-type text.

    Returns
    -------
    item_kind : Series of string
    problems : Series of string
        "unknown item kind '…'" for kind values that were not understood.

    Raises
    ------
    InvalidParameterError
        If no column is given, or the columns differ in length.

    Examples
    --------
    >>> kind, problems = infer_item_kind(
    ...     ["ARMA DE FOGO", "MUNIÇÃO", None, None, "pièce", "zzz"],
    ...     ["pistol", None, None, "rifle", None, None],
    ...     ["PISTOLA", "CARTUCHO (INTACTO)", "cartouches", "FUZIL", None, None])
    >>> kind.tolist()
    ['weapon', 'ammunition', 'ammunition', 'weapon', 'part', <NA>]
    >>> problems.tolist()[-1]
    "unknown item kind 'zzz'"
    """
    given = [
        (name, _series(v, name))
        for name, v in (
            ("kind_values", kind_values),
            ("category_values", category_values),
            ("category_raw", category_raw),
        )
        if v is not None
    ]
    if not given:
        raise InvalidParameterError(
            "infer_item_kind needs at least one of `kind_values`, `category_values` "
            "or `category_raw`."
        )
    index, n = given[0][1].index, len(given[0][1])
    cols = {name: _aligned(s, name, n) for name, s in given}
    kind = np.full(n, -1, dtype=np.int32)
    problems, vocab = kind, {}
    if "kind_values" in cols:
        types = _Types(cols["kind_values"])
        kind = types.distinct.rows(types.kind)
        problems, vocab = _problems(
            types.distinct, types.status == _UNMATCHED, "unknown item kind"
        )
    if "category_raw" in cols:
        raw = _Types(cols["category_raw"])
        kind = np.where(kind < 0, raw.distinct.rows(raw.kind), kind)
    if "category_values" in cols:
        has_category = cols["category_values"].notna().to_numpy(dtype=bool)
        kind = np.where((kind < 0) & has_category, _KIND["weapon"], kind)
    return _decode(kind, _KINDS, index), _decode(problems, vocab, index)
