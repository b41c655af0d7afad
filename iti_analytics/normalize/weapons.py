"""Weapon fields: category, item kind, make, model, calibre, serial and production.

Each normaliser reads its vocabulary from the CSV tables in
``iti_analytics/reference`` (``categories``, ``makes``, ``calibres``,
``serial_terms``, ``production_terms``), works on the distinct values of a column
only and broadcasts the answers back, so a million rows cost about as much as
their few hundred distinct spellings. The serial column, which is nearly all
distinct, is cleaned with vectorised Arrow string kernels instead.

Every function returns the normalised values and a ``problems`` Series (same
index, text, null where there is no problem). A value that cannot be read
becomes null and its problem says why; explicit unknowns ("INDETERMINADO",
"inconnu", "N/A") become null without a problem.

Choices worth knowing (all of them are rows in the CSV tables, easy to change):

- ``fuzil`` (pt-BR) and ``fusil`` (fr/es) are ``rifle``; ``fusil d'assaut`` and
  model names (AK-47, FAL, M16, AR-15, G3, IMBEL IA2 …) are ``assault_rifle``.
  Pass ``model=`` to :func:`normalize_category` to refine a generic ``rifle``
  from the model column. Select-fire battle rifles (FAL, G3) count as assault
  rifles: the vocabulary has no separate class.
- A bare ``M72`` is the M72 LAW (``rocket_launcher``); Zastava's M72 is an
  RPK-pattern light machine gun: ``M72B1``/``M72AB1`` and, with ``make=``, a
  Zastava ``M72`` are ``machine_gun`` (make-qualified rows of the table,
  "Zastava Arms M72"). Without the make the bare model stays the LAW.
- ``garrucha`` (a small break-action pistol) is ``pistol``; ``garruchão`` (a long
  garrucha in shotgun gauges) is ``shotgun``; ``carabina``/``carbine`` is ``rifle``.
- ``OUTROS``/``autres``/``other`` as a weapon type is the category ``other`` (a
  weapon of another type), not an unknown. Craft-made weapons of unstated type
  (``ARMA DE FABRICAÇÃO CASEIRA``, ``arme artisanale``) are ``other``.
- Calibres: a bare ``9 mm`` is ``9x19mm``, ``.38`` is ``.38 Special``, ``.40`` is
  ``.40 S&W``, ``.45`` is ``.45 ACP``, ``7.65 mm`` is ``.32 ACP``; ``.223 Remington``
  is ``5.56x45mm`` and ``.308 Winchester`` is ``7.62x51mm``. Bores that name
  several common rounds stay bore-only: ``7.62`` → ``7.62mm``, ``.32`` → ``.32``,
  ``12.7`` → ``12.7mm``. Bare ``10``–``28`` are gauges and ``36`` is ``.410`` (the
  Brazilian name); pass ``category=`` to read a bare ``32`` as ``32ga`` for
  shotguns.
- Makes not in the table keep their text, title-cased, without a problem (an
  analyst still wants a brand the table lacks); :func:`make_country` gives them
  null. Only a make with no letter at all (``"123"``) becomes null with a
  problem. Typos are corrected only within one edit (two from eight letters)
  of a single make sharing the first letter.
- Serials: leftover text after a status word counts as a partial serial only
  when it holds a digit ("Removido por ação mecânica" is obliterated, "123
  (raspado parcialmente)" is partial ``123``); a comment after the number is
  dropped ("00849N (na face inferior)" → ``00849N``); prose without a digit
  is ``unknown`` with a problem.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..exceptions import InvalidParameterError
from ..reference import load_reference
from ..schema import VOCABULARIES
from ._text import as_text, factorize, fold, unknown_kind

__all__ = [
    "normalize_category",
    "infer_item_kind",
    "normalize_make",
    "make_country",
    "normalize_model",
    "normalize_calibre",
    "normalize_serial",
    "normalize_production",
]

# --------------------------------------------------------------------------- helpers
#
# Every normaliser follows one pattern: factorize the column, answer once per
# distinct value, turn the answers into small integer codes, combine columns
# with numpy on those codes, and decode the codes to strings once at the end
# (through an Arrow dictionary array, which costs a few milliseconds a million
# rows). Strings are never copied row by row.


def _series(values: Any, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        raise InvalidParameterError(
            f"`{name}` must be one column (a Series or a list), not a DataFrame; "
            f"pass df[{name!r}]."
        )
    return pd.Series(values)


def _aligned(values: Any, name: str, n: int) -> pd.Series:
    s = _series(values, name)
    if len(s) != n:
        raise InvalidParameterError(
            f"`{name}` has {len(s)} values but `values` has {n}; pass columns of "
            "the same table."
        )
    return s


class _Distinct:
    """Distinct values of a column: row codes, text, folded keys, explicit unknowns."""

    def __init__(self, values: pd.Series):
        self.codes, uniques = factorize(values)
        self.text = as_text(uniques.reset_index(drop=True))
        #: the text with HTML entities decoded ("S&amp;W" -> "S&W"), for look-ups
        self.clean: list[str] = [
            html.unescape(t) if "&" in t else t for t in self.text.tolist()
        ]
        folded = fold(self.clean)
        self.keys: list[str] = folded.tolist()
        kinds = unknown_kind(self.text, folded=folded)
        #: "unknown" (IGNORADO, inconnu), "other" (OUTROS, autres) or None
        self.unknown_kind: list[str | None] = [
            None if k is pd.NA else k for k in kinds.tolist()
        ]
        self.unknown: list[bool] = [k is not None for k in self.unknown_kind]

    def rows(self, per_unique: np.ndarray) -> np.ndarray:
        """Spread per-unique integer codes to the rows (null rows get ``-1``)."""
        return np.append(per_unique, -1).astype(np.int32)[self.codes]


def _arrow_text(values: pd.Series) -> pa.Array:
    """A text column as an Arrow string array (no copy when Arrow-backed)."""
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype("string")
    arr = pa.array(values.array, from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _true(mask: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, null -> False."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _encode(labels: Iterable, vocab: dict[str, int] | None = None) -> np.ndarray:
    """Integer code of each label in ``vocab`` (extended as needed); null -> -1."""
    vocab = {} if vocab is None else vocab
    out = [
        -1 if _blank(label) is None else vocab.setdefault(label, len(vocab))
        for label in labels
    ]
    return np.asarray(out, dtype=np.int32)


def _nulls(index: pd.Index) -> pd.Series:
    """An all-null string Series (much faster than ``pd.Series(pd.NA, ...)``)."""
    arr = pa.nulls(len(index), type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False)


def _decode(rows: np.ndarray, vocab: dict[str, int] | list[str], index) -> pd.Series:
    """String Series from integer codes (``-1`` -> null)."""
    names = list(vocab)
    if not names or not (rows >= 0).any():
        return _nulls(index)
    arr = pa.DictionaryArray.from_arrays(
        pa.array(rows, type=pa.int32(), mask=rows < 0),
        pa.array(names, type=pa.large_string()),
    ).dictionary_decode()
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False)


def _problems(
    distinct: _Distinct, bad: Iterable[bool], what: str
) -> tuple[np.ndarray, dict[str, int]]:
    """Row codes and vocabulary of "<what> '<text>'" for the distinct values flagged."""
    vocab: dict[str, int] = {}
    labels = [
        f"{what} '{text}'" if flag else None
        for text, flag in zip(distinct.text.tolist(), bad, strict=True)
    ]
    return distinct.rows(_encode(labels, vocab)), vocab


def _blank(value: Any) -> str | None:
    """Empty CSV cells become None; other values are kept."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _deplural(tok: str) -> str:
    if len(tok) >= 5 and tok.endswith("es") and not tok.endswith("ses"):
        return tok[:-2]
    if len(tok) >= 4 and tok.endswith("s") and not tok.endswith("ss"):
        return tok[:-1]
    return tok


_DESIGNATOR = re.compile(r"([a-z]+\d+)[a-z]+\d*")


class _Lexicon:
    """Phrase look-up on folded words: longest non-overlapping matches first.

    A phrase is found by its folded words (``"fusil d assaut"``) or written
    solid (``"ak47"`` matches ``AK-47``, ``AK 47``, ``ak47``); plurals and model
    suffixes (``M16A2`` → ``m16``) are tried when the exact form is absent.
    """

    def __init__(self, terms: Iterable[str], payloads: list[Any]):
        keys = fold(list(terms)).tolist()
        self.spaced: dict[str, int] = {}
        self.compact: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key:
                self.spaced.setdefault(key, i)
                self.compact.setdefault(key.replace(" ", ""), i)
        self.payloads = payloads
        self.max_n = max((len(k.split()) for k in keys if k), default=1)

    def _lookup(self, toks: list[str]) -> int | None:
        for cand in (toks, [_deplural(t) for t in toks]):
            spaced = " ".join(cand)
            if spaced in self.spaced:
                return self.spaced[spaced]
            solid = "".join(cand)
            if solid in self.compact:
                return self.compact[solid]
        if len(toks) == 1:
            m = _DESIGNATOR.fullmatch(toks[0])
            if m and m.group(1) in self.compact:
                return self.compact[m.group(1)]
        return None

    def find(self, key: str) -> list[tuple[int, int, Any]]:
        """Matches ``(start, end, payload)`` in reading order."""
        toks = key.split()
        found = []
        for i in range(len(toks)):
            for j in range(i + 1, min(len(toks), i + self.max_n) + 1):
                hit = self._lookup(toks[i:j])
                if hit is not None:
                    found.append((i, j, hit))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        chosen = []
        for i, j, hit in found:
            if taken.isdisjoint(range(i, j)):
                taken.update(range(i, j))
                chosen.append((i, j, self.payloads[hit]))
        return sorted(chosen, key=lambda m: m[0])


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


# --------------------------------------------------------------------------- make


#: words joining two names in a firm's name ("Heckler und Koch", "Smith and
#: Wesson", "Verney-Carron et Cie"): ignored in look-ups, kept lower case
_CONNECTORS = frozenset({"and", "und", "et"})


def _make_words(folded: str) -> list[str]:
    """The words of a folded make without connectors between two names."""
    toks = folded.split()
    return [
        t
        for i, t in enumerate(toks)
        if t not in _CONNECTORS or i == 0 or i == len(toks) - 1
    ]


def _make_key(folded: str) -> str:
    return "".join(_make_words(folded))


@lru_cache(maxsize=1)
def _make_tables() -> tuple[dict[str, str | None], pd.DataFrame]:
    ref = load_reference("makes")
    keys = fold(ref["alias"].tolist()).tolist()
    by_key: dict[str, str | None] = {}
    for key, make in zip(keys, ref["make"], strict=True):
        by_key.setdefault(_make_key(key), _blank(make))
    per_make = (
        ref.dropna(subset=["make"])
        .groupby("make", sort=False)[["country", "historic_country", "historic_until"]]
        .first()
    )
    return by_key, per_make


def _title(text: str) -> str:
    words = []
    for i, w in enumerate(text.split()):
        if i and w.lower() in _CONNECTORS:
            words.append(w.lower())
        elif len(w) <= 3 and w.isalpha():
            words.append(w.upper())
        else:
            words.append(w[:1].upper() + w[1:].lower())
    return " ".join(words)


def _fuzzy_make(key: str, by_key: dict[str, str | None]) -> str | None:
    """Nearest alias by edit distance (1 for short keys, 2 from 8 letters).

    Only aliases with the same first letter compete: a typo rarely hits the
    first letter, and a different first letter is usually a different firm
    ("American Arms" is not "N. American Arms"). A tie between two makes is
    no match.
    """
    if len(key) < 5:
        return None
    limit = 1 if len(key) < 8 else 2
    choices = [k for k in by_key if k[:1] == key[:1] and by_key[k] is not None]
    hits = process.extract(
        key, choices, scorer=OSA.distance, score_cutoff=limit, limit=5
    )
    if not hits:
        return None
    best = min(h[1] for h in hits)
    makes = {by_key[h[0]] for h in hits if h[1] == best}
    return makes.pop() if len(makes) == 1 else None


@lru_cache(maxsize=1 << 16)
def _make_of(key: str, raw: str) -> tuple[str | None, str | None]:
    """(make, problem) of one distinct make text, ``key`` being its folded form."""
    by_key, _ = _make_tables()
    solid = _make_key(key)
    if not solid:
        return None, None
    if solid in by_key:
        return by_key[solid], None
    words = _make_words(key)
    for n in range(len(words) - 1, 0, -1):  # "GLOCK 19", "WALTHER PPKS"
        if "".join(words[:n]) in by_key:
            return by_key["".join(words[:n])], None
    if not re.search(r"[^\W\d_]", raw):
        return None, f"make '{raw}' has no letters"
    make = _fuzzy_make(solid, by_key)
    return (make if make is not None else _title(raw)), None


def normalize_make(values: Any) -> tuple[pd.Series, pd.Series]:
    """Canonical manufacturer names from the ``makes`` reference table.

    Look-up ignores case, accents, spaces and punctuation ("S&W", "smith and
    wesson", "Sig-Sauer", "H.&.R."); a make followed by a model ("GLOCK 19",
    "WALTHER PPKS") is recognised by its first words; typos are matched to the
    nearest alias within one edit (two for names of eight letters or more),
    only when that nearest alias is unique. Makes not in the table keep their
    text, title-cased, without a problem. Explicit unknowns ("INDETERMINADO",
    "não identificada", "inconnue") and "no make" words ("S/MARCA", "fab.
    caseira") become null without a problem; a value with no letter at all
    becomes null with one.

    Parameters
    ----------
    values : Series or sequence
        Raw make / manufacturer / brand text.

    Returns
    -------
    make : Series of string
    problems : Series of string

    Examples
    --------
    >>> make, problems = normalize_make(
    ...     ["TAURUS", "Forjas Taurus", "China North Industries Corp", "H&K",
    ...      "GLOCK 19", "TAURAS", "não identificada", "ZORRO ARMS", "123"])
    >>> make.tolist()
    ['Taurus', 'Taurus', 'Norinco', 'Heckler & Koch', 'Glock', 'Taurus', <NA>,
     'Zorro Arms', <NA>]
    >>> problems.tolist()[-1]
    "make '123' has no letters"
    """
    values = _series(values, "values")
    d = _Distinct(values)
    answers = [
        (None, None) if unk else _make_of(key, " ".join(raw.split()))
        for raw, key, unk in zip(d.clean, d.keys, d.unknown, strict=True)
    ]
    makes: dict[str, int] = {}
    problems: dict[str, int] = {}
    make_rows = d.rows(_encode((a[0] for a in answers), makes))
    problem_rows = d.rows(_encode((a[1] for a in answers), problems))
    return (
        _decode(make_rows, makes, values.index).rename(values.name),
        _decode(problem_rows, problems, values.index),
    )


def make_country(make: Any, year: Any = None) -> pd.Series:
    """ISO 3166-1 alpha-3 country of a canonical make (null when not in the table).

    Makers in states that no longer exist carry the historic code for the
    years before the change when ``year`` (of manufacture) is given: Izhmash /
    Kalashnikov Concern is ``SUN`` up to 1991, Zastava ``YUG`` up to 1991, Česká
    zbrojovka ``CSK`` up to 1992; East German works (Wiesa) are ``DDR``.

    Parameters
    ----------
    make : Series or sequence
        Canonical make names, as returned by :func:`normalize_make`.
    year : Series, sequence or int, optional
        Year of manufacture, aligned with ``make``.

    Returns
    -------
    Series of string

    Examples
    --------
    >>> make_country(["Taurus", "Glock", "Zastava Arms", "Zorro Arms", None]).tolist()
    ['BRA', 'AUT', 'SRB', <NA>, <NA>]
    >>> make_country(["Zastava Arms", "Kalashnikov Concern"], year=[1985, 2015])
    0    YUG
    1    RUS
    dtype: string
    """
    make = _series(make, "make")
    _, per_make = _make_tables()
    codes, uniques = factorize(make)
    table = per_make.reindex(pd.Index(uniques.astype(str).tolist()))
    countries: dict[str, int] = {}
    rows = np.append(_encode(table["country"], countries), -1)[codes]
    if year is not None:
        if np.isscalar(year):
            year = [year] * len(make)
        years = pd.to_numeric(_aligned(year, "year", len(make)), errors="coerce")
        years = years.to_numpy(dtype=float, na_value=np.nan)
        until = pd.to_numeric(table["historic_until"], errors="coerce").to_numpy(float)
        historic = np.append(_encode(table["historic_country"], countries), -1)[codes]
        old = (years <= np.append(until, np.nan)[codes]) & (historic >= 0)
        rows = np.where(old, historic, rows)
    return _decode(rows, countries, make.index).rename(make.name)


# --------------------------------------------------------------------------- model


def normalize_model(values: Any) -> tuple[pd.Series, pd.Series]:
    """Tidy model designations: trimmed, single-spaced, upper case.

    Model designators carry no meaning in their case ("ak-47" is "AK-47"), so
    the whole text is upper-cased; typographic dashes become ``-``. Explicit
    unknowns ("NÃO IDENTIFICADO", "INDETERMINADO", "OUTROS") become null.

    Returns
    -------
    model : Series of string
    problems : Series of string (always null)

    Examples
    --------
    >>> normalize_model([" ak–47 ", "M 16  A2", "NÃO IDENTIFICADO", 1911])[0].tolist()
    ['AK-47', 'M 16 A2', <NA>, '1911']
    """
    values = _series(values, "values")
    d = _Distinct(values)
    arr = pa.array(d.text.array, type=pa.large_string(), from_pandas=True)
    arr = pc.replace_substring_regex(arr, r"[\x{2010}-\x{2015}\x{2212}]", "-")
    arr = pc.replace_substring_regex(arr, r"\s+", " ")
    tidy = pc.utf8_upper(pc.utf8_trim_whitespace(arr)).to_pylist()
    models: dict[str, int] = {}
    labels = [
        None if unk or not t else t for t, unk in zip(tidy, d.unknown, strict=True)
    ]
    rows = d.rows(_encode(labels, models))
    return (
        _decode(rows, models, values.index).rename(values.name),
        _nulls(values.index),
    )


# --------------------------------------------------------------------------- calibre


_GAUGES = {
    10: "10ga",
    12: "12ga",
    16: "16ga",
    20: "20ga",
    24: "24ga",
    28: "28ga",
    32: "32ga",
    36: ".410",
}
#: shotshell lengths in mm: "28 x 70 mm", "32/63,5" are gauges, not metric rounds
_SHELL_LENGTHS = {63.5, 65.0, 67.5, 70.0, 76.0, 76.2, 89.0}
_HANDGUN_OR_RIFLE = [
    "revolver",
    "pistol",
    "rifle",
    "assault_rifle",
    "submachine_gun",
    "machine_gun",
]


def _calibre_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&amp;", "&").replace("×", "x").replace("´", "'")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    text = re.sub(r"\s+", "", text)
    text = text.replace("otan", "nato")  # French, Spanish, Portuguese
    return text.strip(",;:")


@lru_cache(maxsize=1)
def _calibre_table() -> dict[str, str | None]:
    ref = load_reference("calibres")
    table: dict[str, str | None] = {}
    for alias, canonical in zip(ref["alias"], ref["calibre"], strict=True):
        table.setdefault(_calibre_key(alias), _blank(canonical))
    return table


def _num(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else f"{value:g}"


_LABEL = re.compile(r"^(?:calibre|caliber|calibro|cal)\.?")
_NOISE = re.compile(
    r"\+p\+?|\(?subsonic\)?|hyper|expo|-?sv$|\(\)|caliber$|calibre$|cal$"
)
_EXCEL_DATE = re.compile(r"(\d{4})-(\d{2})-01(?:t?00:00:00)?")
_METRIC = re.compile(r"(\d{1,3}(?:\.\d+)?)x(\d{1,3}(?:\.\d+)?)(?:mm)?(r)?")
_GAUGE = re.compile(r"(\d{1,2})(?:ga|gauge|gauges|g|bore|ga\.)?(?:[/(].*)?")


def _calibre_one(raw: str, table: dict[str, str | None]) -> tuple:
    """(canonical, problem, bare number or None) of one distinct calibre text."""
    key = _calibre_key(raw)
    if not key:
        return None, None, None
    if key in table:
        bare = int(key) if key.isdigit() else None
        return table[key], None, bare
    m = _EXCEL_DATE.fullmatch(key)
    if m:  # "12/70" turned into 1970-12-01 by a spreadsheet
        key = f"{int(m.group(2))}/{m.group(1)[2:]}"
    key = _LABEL.sub("", key)
    clean = _NOISE.sub("", key)
    for cand in (key, clean, re.sub(r"\(.*?\)", "", clean), clean.rstrip(".")):
        if cand in table:
            return table[cand], None, int(cand) if cand.isdigit() else None
    m = _GAUGE.fullmatch(clean)
    if m and int(m.group(1)) in _GAUGES:
        return _GAUGES[int(m.group(1))], None, None
    for m in _METRIC.finditer(clean):
        a, b, rimmed = float(m.group(1)), float(m.group(2)), m.group(3)
        if int(a) in _GAUGES and a.is_integer() and b in _SHELL_LENGTHS:
            return _GAUGES[int(a)], None, None
        metric = f"{_num(m.group(1))}x{_num(m.group(2))}"
        for cand in (metric + "mm", metric, metric + "r"):
            if cand in table:
                return table[cand], None, None
        if 4 <= a <= 40 and 10 <= b <= 130:
            return f"{metric}mm{'R' if rimmed else ''}", None, None
    m = re.fullmatch(r"(\.?\d{2,3})(\D.*)", clean)
    if m:
        bore = m.group(1) if m.group(1).startswith(".") else "." + m.group(1)
        for cand in (bore + m.group(2), bore):
            if cand in table and m.group(2).strip("-./") in ("", "mm", "cal"):
                return table[cand], None, None
            if cand in table and cand != bore:
                return table[cand], None, None
    m = re.fullmatch(r"(\d{1,3}(?:\.\d+)?)mm(.*)", clean)
    if m:
        bore = _num(m.group(1))
        for cand in (f"{bore}mm{m.group(2)}", f"{bore}{m.group(2)}", f"{bore}mm"):
            if cand in table:
                return table[cand], None, None
        if not m.group(2):
            return f"{bore}mm", None, None
    return None, f"unknown calibre '{raw}'", None


def normalize_calibre(values: Any, category: Any = None) -> tuple[pd.Series, pd.Series]:
    """Canonical calibres: ``7.62x39mm``, ``9x19mm``, ``.38 Special``, ``12ga`` …

    Reads decimal commas, "×"/"x"/" X ", spaces, "mm", ``R`` for rimmed rounds,
    NATO (or OTAN)/Parabellum/Luger/Makarov suffixes, metric equivalents in brackets
    ("9 MM LUGER (9X19MM)", ".38 SPECIAL (9 X 29,5 MM)", ".40 S&W (10 X 22)"),
    "+P" loads, gauges ("cal. 12", "12 GA", "12/70", "28 x 70 mm", "32/63,5
    BAGOS") and "12/70" that a spreadsheet turned into the date 1970-12-01.
    See the module docstring for how bare numbers are read.

    Parameters
    ----------
    values : Series or sequence
        Raw calibre text (numbers from Excel are accepted).
    category : Series or sequence, optional
        The normalised category of each row. A bare number on a shotgun is read
        as a gauge ("32" → ``32ga``), on a handgun or rifle as inches
        ("32" → ``.32``).

    Returns
    -------
    calibre : Series of string
    problems : Series of string
        "unknown calibre '…'" where the text was not understood.

    Examples
    --------
    >>> cal, problems = normalize_calibre(
    ...     ["7,62 x 39 mm", "9 MM LUGER (9X19MM)", ".38 SPL", ".40 s&w (10 x 22)",
    ...      "cal. 12", "7,62 mm russian (7,62 x 54 r )", "7.62", "INDETERMINADO",
    ...      "xyz"])
    >>> cal.tolist()
    ['7.62x39mm', '9x19mm', '.38 Special', '.40 S&W', '12ga', '7.62x54mmR', '7.62mm',
     <NA>, <NA>]
    >>> problems.tolist()[-1]
    "unknown calibre 'xyz'"
    >>> normalize_calibre(["32", "32"], category=["shotgun", "revolver"])[0].tolist()
    ['32ga', '.32']
    """
    values = _series(values, "values")
    table = _calibre_table()
    d = _Distinct(values)
    answers = []
    for raw, unk in zip(d.text.tolist(), d.unknown, strict=True):
        if unk:
            answers.append((None, None, None, None))
            continue
        canonical, problem, bare = _calibre_one(raw, table)
        gauge = _GAUGES.get(bare) if bare is not None else None
        inch = table.get(f".{bare}") if bare is not None else None
        if inch is not None and (inch.endswith("ga") or inch == ".410"):
            inch = None
        answers.append((canonical, problem, gauge, inch))
    calibres: dict[str, int] = {}
    problems: dict[str, int] = {}
    rows = d.rows(_encode((a[0] for a in answers), calibres))
    problem_rows = d.rows(_encode((a[1] for a in answers), problems))
    if category is not None:
        cat = _arrow_text(_aligned(category, "category", len(values)))
        gauge = d.rows(_encode((a[2] for a in answers), calibres))
        inch = d.rows(_encode((a[3] for a in answers), calibres))
        shotgun = _true(pc.equal(cat, "shotgun"))
        other = _true(pc.is_in(cat, pa.array(_HANDGUN_OR_RIFLE)))
        rows = np.where(shotgun & (gauge >= 0), gauge, rows)
        rows = np.where(other & (inch >= 0), inch, rows)
    return (
        _decode(rows, calibres, values.index).rename(values.name),
        _decode(problem_rows, problems, values.index),
    )


# --------------------------------------------------------------------------- serial

_ACCENTS = {
    "A": "AÀÁÂÃÄ",
    "E": "EÉÈÊË",
    "I": "IÍÌÎÏ",
    "O": "OÓÒÔÕÖ",
    "U": "UÚÙÛÜ",
    "C": "CÇ",
    "N": "NÑ",
}
_SEPARATORS = r"[\s\-./_,:;#'\"()\[\]\\|°º]+"
_PLAIN_SERIAL = r"^[A-Z0-9]*[0-9][A-Z0-9]*$"
_SERIAL_THEN_COMMENT = r"^([^;,(]*\d[^;,(]*)[;,(].*$"
_SEVERAL_SERIALS = r"^[^;,(]*\d[^;,(]*[;,]\s*[\p{L}]{0,3}[\s\-./]*\d"
_LABEL_PREFIX = (
    r"^(?:S/N|N[°º]|(?:SN|NO|NUM|N[UÚ]M[EÉ]RO|SERIAL(?: NO| NUMBER)?|S[EÉ]RIE)"
    r"(?:[.:#]|\s))[\s.:#]*"
)


def _term_pattern(term: str) -> str:
    plain = unicodedata.normalize("NFKD", term.upper())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    out = []
    for ch in plain:
        if ch in _ACCENTS:
            out.append(f"[{_ACCENTS[ch]}]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=1)
def _serial_patterns() -> dict[str, str]:
    """RE2 patterns from ``serial_terms.csv``: per status, words and whole values."""
    ref = load_reference("serial_terms")
    edge = r"[^\p{L}\p{N}?*]"

    def alternation(terms) -> str:
        terms = sorted(terms, key=len, reverse=True)
        return "|".join(_term_pattern(t) for t in terms)

    pats = {}
    for status, group in ref.groupby("status"):
        words = group.loc[group["match"] == "word", "term"]
        whole = group.loc[group["match"] == "whole", "term"]
        parts = []
        if len(words):
            parts.append(rf"(?:^|{edge})(?:{alternation(words)})(?:$|{edge})")
        if len(whole):
            parts.append(rf"^{edge}*(?:{alternation(whole)}){edge}*$")
        pats[status] = "|".join(parts) or "^$"
    for status in ("obliterated", "partial", "absent", "unknown", "filler"):
        pats.setdefault(status, "^$")
    words = ref.loc[ref["match"] == "word", "term"]
    pats["any_word"] = rf"(?:^|{edge})(?:{alternation(words)})(?:$|{edge})"
    return pats


def _serial_text(values: pd.Series) -> pa.Array:
    """Serials as an Arrow string array; numbers from Excel lose their ``.0``."""
    if pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    ):
        text = values.astype("Int64").astype("string")
    elif pd.api.types.is_float_dtype(values.dtype):
        whole = values.dropna()
        if (whole == np.floor(whole)).all() and (whole.abs() < 2**53).all():
            text = values.astype("Int64").astype("string")
        else:
            text = as_text(values.astype(object).reset_index(drop=True))
    elif isinstance(values.dtype, pd.StringDtype) or pd.api.types.infer_dtype(
        values, skipna=True
    ) in ("string", "empty"):
        text = values.astype("string")
    else:
        text = as_text(values.astype(object).reset_index(drop=True))
    arr = pa.array(text.array, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def _replace_rows(arr: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """``arr`` with the positions ``rows`` (sorted) replaced by ``values``."""
    mask = np.zeros(len(arr), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(arr, pa.array(mask), values)


def _serial_candidates(
    text: pa.Array, pats: dict[str, str], problem_vocab: dict[str, int]
) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """Status codes, serials and problem codes of the cells that are not plain.

    ``text`` holds the trimmed cells with separators, words, wildcards or
    masks. Word look-ups run only on the cells that contain one of the terms.
    """
    up = pc.utf8_upper(text)
    m = len(up)

    def has(arr: pa.Array, pattern: str) -> np.ndarray:
        hit = pc.match_substring_regex(arr, pattern)
        return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)

    rest = pc.replace_substring_regex(up, _LABEL_PREFIX, "")
    # "00849N (na face inferior)", "058, encontrado na base do cano": the number
    # comes first and a comment follows; "21345; 713483" holds two numbers
    several = np.zeros(m, dtype=bool)
    commented = np.flatnonzero(has(rest, r"[;,(]"))
    if len(commented):
        part = rest.take(pa.array(commented))
        several[commented] = has(part, _SEVERAL_SERIALS)
        part = pc.replace_substring_regex(part, _SERIAL_THEN_COMMENT, r"\1")
        rest = _replace_rows(rest, commented, part)
    # one pattern per status: RE2 is much slower on their union
    flags = {
        k: has(up, pats[k]) for k in ("obliterated", "partial", "absent", "unknown")
    }
    termy = np.flatnonzero(np.logical_or.reduce(list(flags.values())))
    if len(termy):
        stripped = pc.replace_substring_regex(
            rest.take(pa.array(termy)), pats["any_word"], " "
        )
        stripped = pc.replace_substring_regex(stripped, pats["any_word"], " ")
        rest = _replace_rows(rest, termy, stripped)
    rest = pc.replace_substring(
        pc.replace_substring_regex(rest, _SEPARATORS, ""), "*", "?"
    )
    empty = pc.utf8_length(rest).to_numpy(zero_copy_only=False) == 0
    digits = has(rest, r"\d")
    masked = has(up, r"^[X*#?]{3,}$")
    wildcard = has(up, r"[?*]") & has(rest, r"[\p{L}\p{N}]")
    no_chars = ~has(up, r"[\p{L}\p{N}]")
    prose = ~has(up, r"\d") & has(up, r"\p{L}{2,}[^\p{L}\p{N}]+\p{L}{2,}")
    prose &= ~flags["obliterated"] & ~flags["partial"] & ~flags["absent"]
    prose &= ~flags["unknown"]
    # 0 intact, 1 partial, 2 obliterated, 3 absent, 4 unknown; later rules win
    status = np.where(empty, 4, 0).astype(np.int8)
    status[wildcard & ~empty] = 1
    status[prose] = 4
    status[(flags["unknown"] | no_chars) & ~digits] = 4
    status[flags["obliterated"] & ~digits] = 2
    status[flags["obliterated"] & digits] = 1
    status[flags["partial"]] = 1
    status[masked] = 2
    status[flags["absent"]] = 3
    keep = ((status == 0) | ((status == 1) & (digits | wildcard))) & ~empty
    serial = pc.if_else(pa.array(keep), rest, pa.scalar(None, pa.large_string()))
    problems = np.full(m, -1, dtype=np.int32)
    several &= keep
    if several.any():
        texts = text.filter(pa.array(several)).to_pylist()
        kept = serial.filter(pa.array(several)).to_pylist()
        problems[several] = _encode(
            (
                f"several serial numbers in '{t}': the first, {k}, is kept"
                for t, k in zip(texts, kept, strict=True)
            ),
            problem_vocab,
        )
    if prose.any():
        texts = text.filter(pa.array(prose)).to_pylist()
        problems[prose] = _encode(
            (f"serial '{t}' is text, not a serial number" for t in texts), problem_vocab
        )
    return status, serial, problems


def normalize_serial(values: Any) -> tuple[pd.DataFrame, pd.Series]:
    """Clean serials; say whether they are intact, partial, obliterated or absent.

    Serials are upper-cased and stripped of separators (spaces, dashes, dots,
    slashes) and of labels ("S/N:", "N°"). Words for obliterated numbers
    ("effacé", "limé", "raspado", "ilegível", "filed off"), masks ("XXXX",
    "****"), partial numbers ("parcial", "12??56" with ``?`` wildcards) and
    absent numbers ("sans numéro", "sem número", "sin número", "S/N", "none")
    in English, French, Spanish and Portuguese set ``serial_status``; an empty
    cell or an explicit unknown is ``unknown``. A partial serial keeps its
    readable characters with ``?`` for the missing ones. Vectorised with Arrow
    string kernels: only cells that are not plain letters-and-digits get the
    full treatment.

    Parameters
    ----------
    values : Series or sequence
        Raw serial numbers.

    Returns
    -------
    frame : DataFrame
        Columns ``serial``, ``serial_status`` and ``problems`` (strings, same
        index as ``values``).
    problems : Series of string
        The ``problems`` column again, so that the function unpacks like the
        other normalisers (``frame, problems = normalize_serial(s)``).

    Examples
    --------
    >>> out, problems = normalize_serial(
    ...     ["ab-123 456", "Effacé", "12??56", "sans numéro", None,
    ...                         "XXXX", "RASPADO PARCIAL 4471", "S/N: 99 01"])
    >>> out["serial"].tolist()
    ['AB123456', <NA>, '12??56', <NA>, <NA>, <NA>, '4471', '9901']
    >>> out["serial_status"].tolist()
    ['intact', 'obliterated', 'partial', 'absent', 'unknown', 'obliterated', 'partial',
     'intact']
    """
    values = _series(values, "values")
    pats = _serial_patterns()
    raw = _serial_text(values)
    n = len(raw)
    # status codes: 0 intact, 1 partial, 2 obliterated, 3 absent, 4 unknown
    statuses = ["intact", "partial", "obliterated", "absent", "unknown"]
    # the bulk: plain ASCII letters and digits, with at least one digit
    plain = pc.and_(pc.ascii_is_alnum(raw), pc.invert(pc.ascii_is_alpha(raw)))
    plain_np = pc.fill_null(plain, False).to_numpy(zero_copy_only=False)
    serial = pc.ascii_upper(raw)
    status = np.where(plain_np, 0, 4).astype(np.int8)
    null_np = pc.is_null(raw).to_numpy(zero_copy_only=False)
    cand_idx = np.flatnonzero(~plain_np & ~null_np)
    problems = np.full(n, -1, dtype=np.int32)
    problem_vocab: dict[str, int] = {}
    if len(cand_idx):
        # messy cells repeat ("ELIMINADO", "S/N"): read each distinct one once
        encoded = pc.dictionary_encode(raw.take(pa.array(cand_idx)))
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        distinct = pc.utf8_trim_whitespace(encoded.dictionary)
        sub_status, sub_serial, sub_problem = _serial_candidates(
            distinct, pats, problem_vocab
        )
        status[cand_idx] = sub_status[codes]
        problems[cand_idx] = sub_problem[codes]
        serial = _replace_rows(serial, cand_idx, sub_serial.take(encoded.indices))
    problems = _decode(problems, problem_vocab, values.index)
    frame = pd.DataFrame(
        {
            "serial": pd.Series(
                pd.arrays.ArrowStringArray(serial), index=values.index, copy=False
            ),
            "serial_status": _decode(status.astype(np.int32), statuses, values.index),
            "problems": problems,
        },
        index=values.index,
    )
    return frame, problems


# --------------------------------------------------------------------------- production


def normalize_production(
    values: Any = None, category_raw: Any = None
) -> tuple[pd.Series, pd.Series]:
    """Map production terms to industrial, craft, 3d_printed, converted, reactivated.

    Reads a production column in four languages ("artisanal", "fabrication
    locale", "fait main", "hechiza", "fabricação caseira", "imprimée 3D",
    "pistola de alarma convertida", "réactivée"); an explicit unknown
    ("inconnu", "IGNORADO") is ``unknown``. Where the source has no production
    column, or a cell is empty, the raw weapon-type text is read for the same
    clues ("ARMA DE FABRICAÇÃO CASEIRA" → ``craft``); otherwise the production
    stays null.

    Parameters
    ----------
    values : Series or sequence, optional
        Raw production column.
    category_raw : Series or sequence, optional
        Raw weapon-type text, aligned with ``values``.

    Returns
    -------
    production : Series of string
    problems : Series of string
        "unknown production '…'" for production values not understood.

    Raises
    ------
    InvalidParameterError
        If neither column is given, or they differ in length.

    Examples
    --------
    >>> normalize_production(["artisanal", "Impresa 3D", "arme d'alarme modifiée",
    ...                       "réactivée", "industrial", "inconnu", None])[0].tolist()
    ['craft', '3d_printed', 'converted', 'reactivated', 'industrial', 'unknown', <NA>]
    >>> normalize_production(None, ["ARMA DE FABRICAÇÃO CASEIRA", "PISTOLA"])[0].tolist(
    ... )
    ['craft', <NA>]
    """
    if values is None and category_raw is None:
        raise InvalidParameterError(
            "normalize_production needs `values` (a production column) or "
            "`category_raw` (the raw weapon type)."
        )
    lexicon, whole = _production_lexicons()
    problems: dict[str, int] = {}
    if values is not None:
        values = _series(values, "values")
        index, n = values.index, len(values)
        d = _Distinct(values)
        labels, bad = [], []
        for key, unk in zip(d.keys, d.unknown, strict=True):
            found = None
            if unk:
                found = "unknown"
            elif key:
                found = whole.get(key) or _first_special(
                    [m[2] for m in lexicon.find(key)]
                )
            labels.append(found)
            bad.append(bool(key) and found is None)
        rows = d.rows(_encode(labels, dict(_PROD)))
        problem_rows, problems = _problems(d, bad, "unknown production")
    else:
        category_raw = _series(category_raw, "category_raw")
        index, n = category_raw.index, len(category_raw)
        rows = problem_rows = np.full(n, -1, dtype=np.int32)
    if category_raw is not None:
        types = _Types(_aligned(category_raw, "category_raw", n))
        rows = np.where(rows < 0, types.distinct.rows(types.production), rows)
    name = values.name if isinstance(values, pd.Series) else None
    return (
        _decode(rows, _PRODUCTIONS, index).rename(name),
        _decode(problem_rows, problems, index),
    )
