"""Countries and sub-national places to ISO codes, from names in EN/FR/ES/PT.

The look-up is pycountry (ISO 3166-1 codes and English names) plus the shipped
aliases in ``reference/countries.csv`` (French, Spanish and Portuguese names,
abbreviations such as RCA, RDC, EUA, URSS, and the historic manufacturing
states SUN, YUG, CSK, DDR, SCG). Matching ignores case, accents and
punctuation; a value that still matches nothing gets a second try without
articles ("la République du Congo") and a last, strict fuzzy try for typos
("Mautitânia"), which is reported in ``problems`` so the reading can be
checked.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pycountry

from ..reference import load_reference
from ._text import (
    as_text,
    broadcast,
    clean_text,
    empty_problems,
    factorize,
    fold,
    loose_key,
    map_unique,
    unknown_kind,
)

__all__ = ["normalize_country", "normalize_country_list", "normalize_place"]

#: separators between the countries of a list (transit_countries)
_LIST_SEPARATORS = re.compile(r"\s*(?:[;,/|+]|\s-\s|->|→|>)\s*")
_CONJUNCTIONS = re.compile(r"\s+(?:and|et|y|e|&)\s+", re.IGNORECASE)
_SUBDIVISION_CODE = re.compile(r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$")
#: words too generic to name a place without its country ("Nord", "Centre"...)
_GENERIC_PLACE_WORDS = frozenset(
    "north south east west central centre center nord sud est ouest norte sul "
    "leste oeste centro far extreme extremo capital district region province "
    "state etat estado city ville cidade ciudad upper lower haut bas haute basse "
    "alto baixo bajo la le les el de du des do da lac lacs lake lakes littoral "
    "plateau plateaux savanes montagnes rivers sahel delta coast cote maritime "
    "islands iles mer sea".split()
)


@lru_cache(maxsize=1)
def _country_keys() -> tuple[pd.Index, np.ndarray, dict[str, str]]:
    """Folded key -> ISO3 (exact), and loose key -> ISO3."""
    ref = load_reference("countries")
    entries: list[tuple[str, str, int]] = []  # alias, iso3, priority
    for iso3, alias, origin in zip(
        ref["iso3"], ref["alias"], ref["origin"], strict=True
    ):
        entries.append((alias, iso3, 0 if origin == "curated" else 2))
    for c in pycountry.countries:
        for value in (c.alpha_2, c.alpha_3, c.name):
            entries.append((value, c.alpha_3, 1))
        for attr in ("official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                entries.append((value, c.alpha_3, 1))
    keys = fold([e[0] for e in entries])
    frame = pd.DataFrame(
        {
            "key": keys.to_numpy(dtype=object),
            "iso3": [e[1] for e in entries],
            "priority": [e[2] for e in entries],
        }
    )
    frame = frame[frame["key"] != ""]
    frame = frame.sort_values("priority", kind="stable").drop_duplicates("key")
    loose: dict[str, set[str]] = {}
    for key, iso3 in zip(frame["key"], frame["iso3"], strict=True):
        lk = loose_key(key)
        if lk:
            loose.setdefault(lk, set()).add(iso3)
    loose_unique = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1}
    return pd.Index(frame["key"].to_numpy()), frame["iso3"].to_numpy(), loose_unique


def _lookup_keys(keys: pd.Series) -> np.ndarray:
    """ISO3 (object array, None when unknown) for folded keys, exact then loose."""
    index, iso3, loose = _country_keys()
    pos = index.get_indexer(keys.to_numpy(dtype=object))
    out = np.where(pos >= 0, iso3[pos], None).astype(object)
    key_list = keys.tolist()
    for i in np.flatnonzero(pos < 0):
        lk = loose_key(key_list[i]) if isinstance(key_list[i], str) else ""
        if lk:
            out[i] = loose.get(lk)
    return out


@lru_cache(maxsize=1)
def _fuzzy_choices() -> tuple[list[str], list[str]]:
    index, iso3, _ = _country_keys()
    keep = [i for i, k in enumerate(index) if len(k) >= 4]
    return [index[i] for i in keep], [iso3[i] for i in keep]


def _fuzzy_country(key: str) -> str | None:
    """The one country whose name is within a typo or two of ``key``, else None."""
    if len(key) < 5:
        return None
    from rapidfuzz import fuzz, process

    choices, iso3 = _fuzzy_choices()
    hits = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=88, limit=5)
    if not hits:
        return None
    best = hits[0][1]
    found = {iso3[i] for _, score, i in hits if score >= best - 4}
    return found.pop() if len(found) == 1 else None


def _resolve_countries(
    text: pd.Series, *, fuzzy: bool = True
) -> tuple[np.ndarray, list[str | None], np.ndarray]:
    """Resolve distinct cleaned texts: (iso3, problems, is_explicit_unknown)."""
    keys = fold(text.array)
    kinds = unknown_kind(text, folded=keys)
    iso3 = _lookup_keys(keys)
    explicit = kinds.notna().to_numpy()
    iso3[explicit] = None
    problems: list[str | None] = [None] * len(text)
    words, key_list = text.tolist(), keys.tolist()
    for i in np.flatnonzero(pd.isna(iso3) & ~explicit):
        if not key_list[i]:
            continue
        guess = _fuzzy_country(key_list[i]) if fuzzy else None
        if guess is None:
            problems[i] = f"unknown country {words[i]!r}"
        else:
            iso3[i] = guess
            problems[i] = f"country {words[i]!r} read as {guess} (closest name)"
    return iso3, problems, explicit


def normalize_country(
    values: pd.Series, *, fuzzy: bool = True
) -> tuple[pd.Series, pd.Series]:
    """Country names, abbreviations and ISO codes → ISO 3166-1 alpha-3.

    Parameters
    ----------
    values : pandas.Series
        Raw cells: names in English, French, Spanish or Portuguese ("Tchad",
        "Estados Unidos", "RDC"), ISO alpha-2 or alpha-3 codes, historic states
        ("URSS" → ``SUN``). Case, accents and punctuation do not matter.
    fuzzy : bool, default True
        Accept a close spelling ("Mautitânia" → ``MRT``) when only one country
        is that close; the reading is reported in ``problems``.

    Returns
    -------
    iso3 : pandas.Series
        ISO3 codes (dtype ``string``), same index; null when unknown.
    problems : pandas.Series
        Why a cell could not be read ("unknown country 'Atlantis'"), or how a
        misspelling was read; null when fine. Explicit unknowns ("IGNORADO",
        "N/A", "OUTROS") are null without a problem.

    Examples
    --------
    >>> import pandas as pd
    >>> iso3, problems = normalize_country(
    ...     pd.Series(["Côte d'Ivoire", "RCA", "EUA", "URSS", "IGNORADO", "Atlantis"])
    ... )
    >>> iso3.tolist()
    ['CIV', 'CAF', 'USA', 'SUN', <NA>, <NA>]
    >>> problems.dropna().tolist()
    ["unknown country 'Atlantis'"]
    """

    def _fn(uniques):
        text = clean_text(as_text(uniques))
        iso3, problems, _ = _resolve_countries(text, fuzzy=fuzzy)
        return iso3, problems

    return map_unique(values, _fn, "string")


def _split_list(text: str) -> list[str]:
    parts = [p for p in _LIST_SEPARATORS.split(text) if p.strip()]
    return parts


def normalize_country_list(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Lists of countries (transit routes) → ``;``-separated ISO3 codes.

    Countries may be separated by ``;``, ``,``, ``/``, ``|``, ``" - "`` or
    arrows; a whole cell that is one country name with a comma ("Korea,
    Republic of") is read as that country. Order is kept and repeats dropped.
    Unknown names are dropped from the list and reported.

    Examples
    --------
    >>> import pandas as pd
    >>> codes, problems = normalize_country_list(
    ...     pd.Series(["Niger; Tchad", "Burkina Faso / Mali - Niger",
    ...                "Soudan, Atlantis"])
    ... )
    >>> codes.tolist()
    ['NER;TCD', 'BFA;MLI;NER', 'SDN']
    >>> problems.dropna().tolist()
    ["unknown country 'Atlantis'"]
    """

    def _fn(uniques):
        text = clean_text(as_text(uniques))
        whole, _, whole_unknown = _resolve_countries(text, fuzzy=False)
        cells: list[list[str]] = []
        for i, t in enumerate(text.tolist()):
            if whole[i] is not None or whole_unknown[i]:
                cells.append([])
                continue
            parts = []
            for part in _split_list(t):
                parts.append(part)
            cells.append(parts)
        flat = sorted({p for parts in cells for p in parts})
        resolved: dict[str, tuple[list[str], list[str]]] = {}
        if flat:
            flat_text = pd.Series(flat, dtype="string")
            iso3, problems, explicit = _resolve_countries(flat_text, fuzzy=False)
            for j, part in enumerate(flat):
                if iso3[j] is not None or explicit[j]:
                    resolved[part] = ([iso3[j]] if iso3[j] else [], [])
                    continue
                pieces = [p for p in _CONJUNCTIONS.split(part) if p.strip()]
                if len(pieces) > 1:
                    sub_text = pd.Series(pieces, dtype="string")
                    sub_iso, sub_prob, _ = _resolve_countries(sub_text)
                    resolved[part] = (
                        [c for c in sub_iso if c],
                        [p for p in sub_prob if p],
                    )
                else:
                    one_iso, one_prob, _ = _resolve_countries(flat_text[j : j + 1])
                    resolved[part] = (
                        [c for c in one_iso if c],
                        [p for p in one_prob if p],
                    )
        out: list[str | None] = []
        probs: list[str | None] = []
        for i, parts in enumerate(cells):
            if not parts:
                out.append(whole[i])
                probs.append(None)
                continue
            codes: list[str] = []
            messages: list[str] = []
            for part in parts:
                found, why = resolved[part]
                codes.extend(c for c in found if c not in codes)
                messages.extend(why)
            out.append(";".join(codes) if codes else None)
            probs.append("; ".join(messages) if messages else None)
        return out, probs

    return map_unique(values, _fn, "string")


@lru_cache(maxsize=1)
def _subdivision_names() -> tuple[list, list[str], list[tuple[str, str, bool]]]:
    """pycountry's subdivisions, and every name and alias as (key, owner)."""
    subs = list(pycountry.subdivisions)
    names: list[str] = []
    owners: list[tuple[str, str, bool]] = []  # code, alpha2, top-level
    for s in subs:
        for name in {s.name, *[n.strip() for n in s.name.split(" / ")]}:
            names.append(name)
            owners.append((s.code, s.country_code, s.parent_code is None))
    for code, alias in zip(
        *load_reference("subdivisions")[["code", "alias"]].T.values, strict=True
    ):
        names.append(alias)
        owners.append((code, code.split("-")[0], True))
    return subs, fold(names).tolist(), owners


@lru_cache(maxsize=256)
def _country_subdivisions(alpha2: str) -> dict[str, str]:
    """Key -> code of one country's subdivisions (top-level names first)."""
    subs, keys, owners = _subdivision_names()
    mine = [i for i, owner in enumerate(owners) if owner[1] == alpha2]
    by_key: dict[str, str] = {}
    for i in sorted(mine, key=lambda i: not owners[i][2]):
        by_key.setdefault(keys[i], owners[i][0])
    for key, code in list(by_key.items()):
        # written solid or apart: "N'Zérékoré" / "Nzérékoré", "Ndjamena"
        by_key.setdefault(key.replace(" ", ""), code)
    for s in subs:
        if s.country_code == alpha2:
            by_key.setdefault(s.code.split("-", 1)[1].lower(), s.code)
            by_key.setdefault(s.code.lower().replace("-", " "), s.code)
    return by_key


@lru_cache(maxsize=1)
def _world_subdivisions() -> tuple[dict[str, str], set[str]]:
    """Global key -> code of top-level names found once in the world; known codes."""
    subs, keys, owners = _subdivision_names()
    global_names: dict[str, set[str]] = {}
    for i, key in enumerate(keys):
        code, _, top = owners[i]
        if top and key and not set(key.split()) <= _GENERIC_PLACE_WORDS:
            global_names.setdefault(key, set()).add(code)
    unique = {k: next(iter(v)) for k, v in global_names.items() if len(v) == 1}
    return unique, {s.code for s in subs}


def _alpha2(iso3: str | None) -> str | None:
    if not iso3:
        return None
    c = pycountry.countries.get(alpha_3=iso3)
    return c.alpha_2 if c is not None else None


def _resolve_place(
    text: str, key: str, alpha2: str | None, *, allow_country: bool
) -> str | None:
    unique, known = _world_subdivisions()
    if _SUBDIVISION_CODE.match(text) and text.upper() in known:
        return text.upper()
    if alpha2 is not None:
        by_key = _country_subdivisions(alpha2)
        code = by_key.get(key) or by_key.get(key.replace(" ", ""))
        if code:
            return code
    if allow_country:
        iso3 = _lookup_keys(pd.Series([key], dtype="string"))[0]
        if iso3:
            return iso3
    if alpha2 is None:
        code = unique.get(key)
        if code:
            return code
    return None


class _PlacePairs:
    """Places resolved once per distinct (value, country) pair.

    ``rows`` maps each row to its pair (``-1`` for null cells); ``code``,
    ``problem`` and ``text`` (the cleaned cell, None for explicit unknowns)
    are per pair.
    """

    def __init__(
        self, values: pd.Series, country: pd.Series | None, *, allow_country: bool
    ):
        codes_v, uniques_v = factorize(values)
        if country is None:
            alpha2_u = np.array([None], dtype=object)
            codes_c = np.full(len(values), -1, dtype=np.int64)
        else:
            if not country.index.equals(values.index):
                country = country.reindex(values.index)
            codes_c, uniques_c = factorize(country)
            iso3_u, _ = normalize_country(uniques_c, fuzzy=False)
            alpha2_u = np.array(
                [_alpha2(c) if isinstance(c, str) else None for c in iso3_u.tolist()]
                + [None],
                dtype=object,
            )
        n_c = len(alpha2_u)
        if country is None:  # one pair per value: the value's codes already
            pair = codes_v.astype(np.int64)
            pair_codes, pair_uniques = pair, np.arange(len(uniques_v))
        else:
            pair = np.where(
                codes_v >= 0, codes_v.astype(np.int64) * n_c + codes_c % n_c, -1
            )
            pair_codes, pair_uniques = pd.factorize(pair, use_na_sentinel=True)
        self.rows = np.where(pair < 0, -1, pair_codes)
        self.index = values.index
        text_u = clean_text(as_text(uniques_v.reset_index(drop=True)))
        keys_u = fold(text_u.array)
        skip = unknown_kind(text_u, folded=keys_u).notna().tolist()
        words, key_list = text_u.tolist(), keys_u.tolist()
        self.code: list[str | None] = []
        self.problem: list[str | None] = []
        self.text: list[str | None] = []
        for p in pair_uniques.tolist():
            vi, ci = (p // n_c, p % n_c) if p >= 0 else (-1, -1)
            if vi < 0 or skip[vi] or not key_list[vi]:
                self.code.append(None)
                self.problem.append(None)
                self.text.append(None)
                continue
            text, alpha2 = words[vi], alpha2_u[ci]
            code = _resolve_place(
                text, key_list[vi], alpha2, allow_country=allow_country
            )
            if code is None:
                code = _resolve_compound(text, alpha2, allow_country=allow_country)
            self.code.append(code)
            self.problem.append(None if code else f"unknown place {text!r}")
            self.text.append(text)

    def broadcast(self, per_pair: list[str | None]) -> pd.Series:
        return broadcast(pd.array(per_pair, dtype="string"), self.rows, self.index)


def _resolve_compound(
    text: str, alpha2: str | None, *, allow_country: bool
) -> str | None:
    """'Richmond, Virginia', 'Rio de Janeiro (Brasil)': the most specific known part."""
    parts = [p for p in re.split(r"\s*[,()]\s*|\s+-\s+", text) if p.strip()]
    if len(parts) < 2:
        return None
    keys = fold(parts).tolist()
    context = alpha2
    outer = None
    for part, key in zip(reversed(parts), reversed(keys), strict=True):
        iso3 = _lookup_keys(pd.Series([key], dtype="string"))[0]
        if iso3 and context is None:
            context = _alpha2(iso3)
            outer = outer or (iso3 if allow_country else None)
            continue
        code = _resolve_place(part, key, context, allow_country=False)
        if code:
            return code
    return outer


def normalize_place(
    values: pd.Series, country: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """Places → ISO 3166-2 subdivision codes, or ISO3 when the place is a country.

    Parameters
    ----------
    values : pandas.Series
        Raw cells: country names or codes, subdivision names ("Virginia",
        "Rio de Janeiro"), subdivision codes ("US-VA", or "VA" when the country
        is known), or "place, country" ("Richmond, Virginia").
    country : pandas.Series, optional
        The country of each row (ISO3 or any name :func:`normalize_country`
        reads), aligned on the index. It lets short codes ("RJ") and names
        shared between countries resolve. Without it a subdivision name is
        accepted only when one top-level subdivision in the world has it.

    Returns
    -------
    codes : pandas.Series
        ``US-VA``-style codes or ISO3 codes (dtype ``string``); null when unknown.
    problems : pandas.Series
        "unknown place 'X'" where nothing matched; null otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> codes, _ = normalize_place(
    ...     pd.Series(["Virginia", "US-VA", "Brasil", "Atlantis"]))
    >>> codes.tolist()
    ['US-VA', 'US-VA', 'BRA', <NA>]
    >>> codes, _ = normalize_place(pd.Series(["RJ", "Rio de Janeiro", "VA"]),
    ...                            country=pd.Series(["BRA", "Brasil", "USA"]))
    >>> codes.tolist()
    ['BR-RJ', 'BR-RJ', 'US-VA']
    """
    values = values if isinstance(values, pd.Series) else pd.Series(values)
    if country is not None and not isinstance(country, pd.Series):
        country = pd.Series(country, index=values.index)
    if len(values) == 0:
        return pd.Series([], dtype="string", index=values.index), empty_problems(
            values.index
        )
    pairs = _PlacePairs(values, country, allow_country=True)
    return pairs.broadcast(pairs.code), pairs.broadcast(pairs.problem)
