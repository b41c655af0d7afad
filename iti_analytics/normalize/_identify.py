"""Identification across fields: patterns, importers, models, owners, contradictions.

:func:`identify_items` runs after the column normalisers of an ``items`` table
and reads fields together, as an arms identification expert would: a pattern
written as the make fills ``pattern`` (never a maker or a country), an
importer's mark fills ``importer`` and ``import_country``, the model table
fills the pattern and settles the country when the designation establishes
it, a blank-firing calibre on a weapon is a conversion signal, a "machine gun"
in a pistol calibre is a submachine gun, a registered owner becomes
``registered_owner`` and ``owner_type``, and contradictions between fields are
recorded as issues (never silently "fixed").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import arrow_text, series_array, single_array
from .._validation import check_option
from ..reference import load_reference
from ._calibres import calibre_kind
from ._makes import make_country, read_make
from ._models import model_info
from ._text import distinct_rows, fold
from ._weapon_common import _null_strings, _series

__all__ = ["identify_items", "weapon_class", "normalize_owner", "PISTOL_CALIBRES"]

#: rounds made for pistols and submachine guns: a "machine gun" (pt-BR
#: "metralhadora") in one of them is a submachine gun
PISTOL_CALIBRES = frozenset(
    {
        "9x19mm",
        "9mm",
        "9x18mm",
        "9x21mm",
        ".380 ACP",
        ".40 S&W",
        ".45 ACP",
        ".32 ACP",
        "7.62x25mm",
        "7.63x25mm",
        "5.7x28mm",
        "4.6x30mm",
        "10mm Auto",
        ".357 SIG",
    }
)
_HANDHELD_NOT_SHOTGUN = ("pistol", "rifle", "assault_rifle", "submachine_gun")
_SMALL_ARMS = (
    "revolver",
    "pistol",
    "rifle",
    "shotgun",
    "assault_rifle",
    "submachine_gun",
    "machine_gun",
)
#: ITI para 4(b) light weapons; mortars only below 100 mm
_LIGHT_ITI = (
    "heavy_machine_gun",
    "grenade_launcher",
    "rocket_launcher",
    "recoilless_rifle",
    "atgm",
    "manpads",
)
#: the limit on mortar calibre (mm) of each definition of light weapons
MORTAR_LIMIT = {"iti": 100.0, "un_register": 75.0}


def weapon_class(
    category: Any, calibre: Any = None, *, definition: str = "iti"
) -> pd.Series:
    """``small_arm`` or ``light_weapon``, by the ITI's definition or the UN Register's.

    ITI para 4 (A/60/88): *small arms* are man-portable lethal weapons made
    for individual use — revolvers and self-loading pistols, rifles and
    carbines, sub-machine guns, assault rifles and light machine guns; *light
    weapons* are made for use by two or three persons serving as a crew
    (some by one person) — heavy machine guns, hand-held under-barrel and
    mounted grenade launchers, portable anti-aircraft and anti-tank guns,
    recoilless rifles, portable launchers of anti-tank missile and rocket
    systems and of anti-aircraft missile systems, and **mortars of a calibre
    of less than 100 mm**. The UN Register of Conventional Arms' SALW
    categories (``definition="un_register"``) differ only in the mortar
    limit: **less than 75 mm**. A mortar at or above the limit, or one whose
    calibre is unknown, gets no class (it is not SALW, or cannot be told);
    ``other`` and unknown categories get none either. Shotguns are small
    arms (firearms of ITI para 4(a)).

    Parameters
    ----------
    category : Series or sequence
        Canonical categories.
    calibre : Series or sequence, optional
        Canonical calibres (``82mm``), to apply the mortar limit.
    definition : {"iti", "un_register"}

    Returns
    -------
    Series of string

    Examples
    --------
    >>> weapon_class(["pistol", "mortar", "mortar", "mortar", "other"],
    ...              ["9x19mm", "82mm", "60mm", "120mm", None]).tolist()
    ['small_arm', 'light_weapon', 'light_weapon', <NA>, <NA>]
    >>> weapon_class(["mortar", "mortar"], ["82mm", "60mm"],
    ...              definition="un_register").tolist()
    [<NA>, 'light_weapon']
    """
    check_option("definition", definition, MORTAR_LIMIT)
    category = _series(category, "category").astype("string")
    out = pd.Series(pd.NA, index=category.index, dtype="string")
    out[category.isin(_SMALL_ARMS).fillna(False).to_numpy()] = "small_arm"
    out[category.isin(_LIGHT_ITI).fillna(False).to_numpy()] = "light_weapon"
    mortar = (category == "mortar").fillna(False).to_numpy()
    if mortar.any() and calibre is not None:
        calibre = pd.Series(
            _series(calibre, "calibre").to_numpy(dtype=object), index=category.index
        ).astype("string")
        bore = pd.to_numeric(
            calibre.str.extract(r"^(\d+(?:\.\d+)?)mm$", expand=False), errors="coerce"
        ).to_numpy(dtype=float, na_value=np.nan)
        light = mortar & (bore < MORTAR_LIMIT[definition])
        out[light] = "light_weapon"
    return out


# --------------------------------------------------------------------------- owners


@lru_cache(maxsize=1)
def _owners() -> dict[str, tuple[str | None, str]]:
    ref = load_reference("owners")
    keys = fold(ref["term"].tolist()).tolist()
    return {
        k: (None if pd.isna(o) else o, t)
        for k, o, t in zip(
            keys, ref["registered_owner"], ref["owner_type"], strict=True
        )
    }


def normalize_owner(values: Any) -> pd.DataFrame:
    """Registered owner of a weapon → ``registered_owner`` and ``owner_type``.

    A weapon registered to a police force or the armed forces and then seized
    was diverted from a state stock (or is a service weapon logged for
    ballistics); one registered to a private holder was diverted from civilian
    hands. ``owner_type`` is ``police``, ``armed_forces``, ``other_state``,
    ``private``, ``security_company`` or ``none`` (not registered); an owner
    not in ``reference/owners.csv`` keeps its text with a null type. Each
    distinct value is read once.

    Examples
    --------
    >>> normalize_owner(["POLÍCIA MILITAR", "Polícia Militar", "Não Patrimoniada",
    ...                  "REGISTRO PARTICULAR", "Não Identificada"])
          registered_owner owner_type
    0      Polícia Militar     police
    1      Polícia Militar     police
    2                 <NA>       none
    3  Private registration    private
    4                 <NA>       <NA>
    """
    from .values import normalize_text

    values = _series(values, "values")
    text, _ = normalize_text(values)
    owners = _owners()
    codes, uniques = pd.factorize(text)
    keys = fold([str(u) for u in uniques]).tolist()
    owner = [owners.get(k, (u, None))[0] for k, u in zip(keys, uniques, strict=True)]
    kind = [owners.get(k, (None, None))[1] for k in keys]
    take = np.append(np.arange(len(uniques)), -1)[codes]

    def spread(per_value: list) -> pd.Series:
        arr = pd.array([*per_value, None], dtype="string")
        return pd.Series(arr[take], index=values.index)

    return pd.DataFrame(
        {"registered_owner": spread(owner), "owner_type": spread(kind)},
        index=values.index,
    )


# --------------------------------------------------------------------------- items


def _coalesce(values: pd.Series, other: pd.Series) -> pd.Series:
    """``values.fillna(other)``; with Arrow's coalesce for two string columns on
    one index (pandas' fillna of a Series costs several times more)."""
    arrow = arrow_text(values.dtype) and arrow_text(other.dtype)
    if not arrow or values.dtype != other.dtype or not values.index.equals(other.index):
        return values.fillna(other)
    filled = pc.coalesce(pa.array(values.array), pa.array(other.array))
    if isinstance(filled, pa.ChunkedArray):
        filled = single_array(filled)
    return pd.Series(
        pd.array(filled, dtype=values.dtype), index=values.index, name=values.name
    )


def _null(index: pd.Index) -> pd.Series:
    return pd.Series(pd.NA, index=index, dtype="string")


def _problem_rows(
    mask: np.ndarray, index: pd.Index, template: str, **columns
) -> pd.Series:
    """``template`` filled from ``columns`` on the masked rows, once per value set.

    A column is a Series on ``index``, or ``(values, codes)``: one value per
    group and the group of each row (values spread only where they are read).
    The result is an Arrow dictionary of the few texts (see ``_Issues``).
    """
    rows = np.flatnonzero(mask)
    if not len(rows):
        return _null(index)
    key = np.zeros(len(rows), dtype=np.int64)
    values = {}
    for name, column in columns.items():
        codes, uniques = _codes_at(column, rows)
        key = key * (len(uniques) + 1) + codes
        values[name] = (codes, uniques)
    # value sets numbered in order of appearance; a set's first row is where
    # the running maximum of the numbers grows
    inverse = np.asarray(pd.factorize(key)[0])
    top = np.maximum.accumulate(inverse)
    first = np.flatnonzero(np.concatenate([[True], top[1:] > top[:-1]]))
    texts = [
        template.format(
            **{
                name: ("" if pd.isna(u[c[i]]) else u[c[i]])
                for name, (c, u) in values.items()
            }
        )
        for i in first
    ]
    # an Arrow dictionary of the few texts: the issues decode it once, with
    # every other problem (a million long texts cost more than their codes)
    cells = np.full(len(index), -1, dtype=np.int32)
    cells[rows] = inverse
    text = pa.DictionaryArray.from_arrays(
        pa.array(cells, mask=cells < 0),
        pa.array(texts, type=pa.large_string()),
    )
    return pd.Series(pd.arrays.ArrowExtensionArray(text), index=index)


def _codes_at(column, rows: np.ndarray) -> tuple[np.ndarray, Any]:
    """Codes of ``column`` on ``rows`` and the values they number (null included).

    ``column`` is a Series or ``(values, codes)`` (see :func:`_problem_rows`).
    """
    if isinstance(column, tuple):
        values, groups = column
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return np.asarray(codes)[groups[rows]], uniques
    if arrow_text(column.dtype):
        # Arrow's dictionary of the whole column: no strings copied per row
        encoded = pc.dictionary_encode(series_array(column))
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        uniques = [*encoded.dictionary.to_pylist(), None]
        return codes.astype(np.int64)[rows] % len(uniques), uniques
    codes, uniques = pd.factorize(column.iloc[rows], use_na_sentinel=False)
    return np.asarray(codes), uniques


@lru_cache(maxsize=1)
def _successors() -> dict[str, str]:
    ref = load_reference("successor_states")
    return dict(zip(ref["code"], ref["successor"], strict=True))


#: the fields :func:`identify_items` reads: raw cells, then normalised columns
_RAW_KEYS = ("make", "model", "headstamp")
#: raw columns whose cells are only quoted in issues (``_raw`` tests for them)
_RAW_QUOTED = ("category", "calibre", "year_of_manufacture")
_OUT_KEYS = (
    "pattern",
    "importer",
    "import_country",
    "import_marked",
    "make",
    "category",
    "item_kind",
    "calibre",
    "production",
    "country_of_manufacture",
    "country_of_manufacture_inferred",
    "year_of_manufacture",
    "headstamp",
)


def identify_items(raw: pd.DataFrame, out: dict[str, pd.Series], issues) -> None:
    """Read the weapon fields together; fill derived fields, record contradictions.

    ``out`` holds the normalised columns so far (changed in place);
    ``issues.add(column, problems, raw_values=None)`` records problems
    (``raw_values=None``: the raw column of that name; ``problems`` is text,
    held as an Arrow dictionary of its few distinct texts). The fields are read
    once per distinct combination of the values they depend on (a few
    hundred in a police export of a million rows), and the answers spread
    back to the rows.
    """
    index = raw.index
    keys = [raw[c] for c in _RAW_KEYS if c in raw.columns]
    keys += [out[c] for c in _OUT_KEYS if c in out]
    codes, first = distinct_rows(keys, len(index), most=0.5)
    if codes is None:
        _identify(raw, out, issues)
    else:
        sub_raw = raw[[c for c in _RAW_KEYS if c in raw.columns]].take(first)
        # the columns _identify tests for, without their (unread) cells
        for column in _RAW_QUOTED:
            if column in raw.columns:
                sub_raw[column] = pd.NA
        sub_out = {c: v.take(first) for c, v in out.items() if c in _OUT_KEYS}
        before = dict(sub_out)
        found = _Collected()
        _identify(sub_raw, sub_out, found)
        for column, values in sub_out.items():
            if before.get(column) is not values:
                out[column] = _spread(values, codes, index)
        for column, problems, raw_values in found.parts:
            issues.add(
                column,
                _spread(problems, codes, index),
                raw_values=None
                if raw_values is None
                else _spread(raw_values, codes, index),
            )
    identify_owner(raw, out)


def identify_owner(raw: pd.DataFrame, out: dict[str, pd.Series]) -> None:
    """``registered_owner`` and ``owner_type`` (part of :func:`identify_items`).

    Read apart from the weapon fields: owners are nearly all distinct.
    """
    if "registered_owner" in raw.columns:
        owner = normalize_owner(raw["registered_owner"])
        out["registered_owner"] = owner["registered_owner"]
        if "owner_type" in raw.columns:
            from .values import normalize_text

            given, _ = normalize_text(raw["owner_type"])
            out["owner_type"] = given.fillna(owner["owner_type"])
        else:
            out["owner_type"] = owner["owner_type"]


class _Collected:
    """Issues of the distinct rows, kept to be spread back to every row."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, pd.Series, pd.Series | None]] = []

    def add(self, column: str, problems: pd.Series | None, raw_values=None) -> None:
        if problems is not None:
            self.parts.append((column, problems, raw_values))


def _spread(values: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Values found once per group spread back to the rows (``codes``)."""
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray) and not values.notna().any():
        # pandas keeps Arrow strings as large_string: the cached null array fits
        nulls = pd.arrays.ArrowStringArray(_null_strings(len(codes)))
        return pd.Series(nulls, index=index, name=values.name, copy=False)
    return pd.Series(array.take(codes), index=index, name=values.name)


def _marked(importer: pd.Series) -> pd.Series:
    """``import_marked`` from an importer read in the make column: True where
    one was named, unknown elsewhere (the make column says nothing there)."""
    return importer.notna().astype("boolean").mask(importer.isna())


def _identify(raw: pd.DataFrame, out: dict[str, pd.Series], issues) -> None:
    """:func:`identify_items` on rows of ``raw`` (all, or one per combination)."""
    index = raw.index
    if "make" in raw.columns:
        roles = read_make(raw["make"])
        _fill(out, "pattern", roles["pattern"])
        _fill(out, "importer", roles["importer"])
        _fill(out, "import_country", roles["import_country"])
        if roles["importer"].notna().any():
            _fill(out, "import_marked", _marked(roles["importer"]))
    if "model" in raw.columns:
        _from_model(raw, out, issues)
    if "headstamp" in raw.columns:
        _from_headstamp(raw, out)
    if "calibre" in out and "category" in out:
        _pistol_calibre_machine_guns(raw, out, issues)
        _category_against_calibre(raw, out, issues)
    if "calibre" in out:
        _blank_firing(raw, out, issues)
    if "make" in out and "country_of_manufacture" in out:
        if "make" in raw.columns:
            _importer_country(
                out, issues, index, roles["importer"], roles["import_country"]
            )
        _make_against_country(out, issues, index)


#: raw columns :func:`identify_fields` cannot read (their rules also read the
#: year and country of manufacture): a table with them is not read in stages
_NOT_STAGED = ("headstamp",)


def identify_fields(raw: pd.DataFrame, out: dict[str, pd.Series], issues) -> dict:
    """The rules of :func:`identify_items` that read the weapon cells only.

    The first stage of the weapon pass read in two stages (``normalize``'s
    ``_weapons``): ``raw`` holds the raw weapon cells (``make``, ``model``,
    ``category``, ``calibre``…; no ``headstamp``, see ``_NOT_STAGED``) and
    ``out`` their normalised columns only, so it can run once per distinct
    combination of those cells. It fills ``make``, ``category`` and
    ``production`` in ``out``, records the contradictions between weapon
    fields, and returns what the second stage (:func:`identify_given`) needs:
    the pattern and importer columns to fill, the model's name and first year,
    and the country the model or its maker establishes (``inferred``).
    """
    later: dict[str, pd.Series] = {}
    if "make" in raw.columns:
        roles = read_make(raw["make"])
        for column in ("pattern", "importer", "import_country"):
            later[column] = roles[column]
        if roles["importer"].notna().any():
            later["import_marked"] = _marked(roles["importer"])
    if "model" in raw.columns:
        info = model_info(raw["model"], make=raw["make"] if "make" in raw else None)
        later["model_name"] = info["model_name"]
        later["first_year"] = info["first_year"]
        # _fill is a coalesce: the given pattern first, then make's, then model's
        pattern = later.get("pattern")
        later["pattern"] = (
            info["pattern"] if pattern is None else _coalesce(pattern, info["pattern"])
        )
        later["inferred"] = _model_fields(raw, out, info)
    if "calibre" in out and "category" in out:
        _pistol_calibre_machine_guns(raw, out, issues)
        _category_against_calibre(raw, out, issues)
    if "calibre" in out:
        _blank_firing(raw, out, issues)
    return later


def identify_given(
    raw: pd.DataFrame,
    out: dict[str, pd.Series],
    issues,
    later: dict,
    codes: np.ndarray | None = None,
    *,
    fills: bool = True,
    rules: bool = True,
) -> None:
    """The rules of :func:`identify_items` that read fields outside the weapon cells.

    The second stage, on every row: ``out`` holds the table's normalised
    columns with the first stage's (:func:`identify_fields`) spread back, and
    ``later`` what it returned: on the rows, or once per group of the first
    stage when ``codes`` gives the group of each row. Fills the pattern and
    importer columns, checks the year of manufacture against the model's
    first year, fills the country of manufacture from the model or its
    maker, and records a make from another country than the stated one.
    Together the two stages give what :func:`identify_items` gives.
    ``fills=False`` leaves the pattern and importer columns, ``rules=False``
    the rest: the fills read more fields (each a coalesce on every row), the
    rules can run once per combination of the make, model, year and country.
    """
    index = raw.index
    if codes is None:
        codes = np.arange(len(index))
    if fills:
        for column in ("pattern", "importer", "import_country", "import_marked"):
            if column in later:
                _fill(out, column, _spread(later[column], codes, index))
    if not rules:
        return
    if "first_year" in later:
        year_check = _model_year_check(raw, out, later, codes)
        if year_check is not None:
            issues.add(*year_check)
        _model_country(raw, out, later["inferred"], codes)
    if "make" in out and "country_of_manufacture" in out:
        if "importer" in later:
            _importer_country(
                out,
                issues,
                index,
                (later["importer"], codes),
                (later["import_country"], codes),
            )
        _make_against_country(out, issues, index)


def _fill(out: dict[str, pd.Series], column: str, values: pd.Series) -> None:
    current = out.get(column)
    out[column] = values if current is None else _coalesce(current, values)


def _from_model(raw: pd.DataFrame, out: dict[str, pd.Series], issues) -> None:
    """Pattern, category and (when the model establishes it) maker and country."""
    info = model_info(raw["model"], make=raw["make"] if "make" in raw else None)
    later = {"model_name": info["model_name"], "first_year": info["first_year"]}
    each = np.arange(len(raw))
    year_check = _model_year_check(raw, out, later, each)
    if year_check is not None:
        issues.add(*year_check)
    _fill(out, "pattern", info["pattern"])
    inferred = _model_fields(raw, out, info)
    _model_country(raw, out, inferred, each)


def _model_fields(raw: pd.DataFrame, out: dict[str, pd.Series], info) -> pd.Series:
    """Category and maker from the model; the country they establish (returned)."""
    if "category" in out:
        kind = out.get("item_kind")
        weapon = (
            np.ones(len(raw), bool)
            if kind is None
            else (kind.isna() | (kind == "weapon")).to_numpy(dtype=bool)
        )
        out["category"] = _coalesce(out["category"], info["category"].where(weapon))
    else:
        out["category"] = info["category"]
    make = out.get("make")
    fill_make = info["maker"].notna()
    if make is not None:
        fill_make &= make.isna()
        out["make"] = _coalesce(make, info["maker"])
    else:
        out["make"] = info["maker"]
    # a state's designation ("Type 56") establishes the country; a maker's
    # model establishes the maker, whose country make_country gives
    by_model = info["country"].where(info["maker"].isna())
    by_maker = make_country(out["make"].where(fill_make))
    return _coalesce(by_model, by_maker.set_axis(raw.index))


def _model_year_check(
    raw: pd.DataFrame, out: dict[str, pd.Series], later: dict, codes: np.ndarray
):
    """``issues.add`` arguments for years before the model was made (or None).

    ``later`` holds the model's name and first year of each group of rows
    (``codes``).
    """
    year = out.get("year_of_manufacture")
    if year is None:
        return None
    first_year = _spread(later["first_year"], codes, raw.index)
    early = (year < first_year).fillna(False).to_numpy(dtype=bool)
    problems = _problem_rows(
        early,
        raw.index,
        "year of manufacture {y} is before the {m} was made (from {f}): check "
        "the year or the model",
        y=year,
        m=(later["model_name"], codes),
        f=first_year,
    )
    return "year_of_manufacture", problems, _raw(raw, "year_of_manufacture", out)


def _model_country(
    raw: pd.DataFrame, out: dict[str, pd.Series], inferred: pd.Series, codes
) -> None:
    """Fill a missing country of manufacture with the one the model establishes
    (``inferred``, one per group of rows: ``codes``)."""
    com = out.get("country_of_manufacture")
    if com is None:
        com = _null(raw.index)
    known = inferred.notna().to_numpy(dtype=bool)[codes]
    new = com.isna().to_numpy(dtype=bool) & known
    if new.any():
        out["country_of_manufacture"] = _put(com, new, inferred.take(codes[new]))
        flag = out.get("country_of_manufacture_inferred")
        if flag is None:
            flag = pd.Series(pd.NA, index=raw.index, dtype="boolean")
            flag[com.notna().to_numpy()] = False
        flag = flag.copy()
        flag[new] = True
        out["country_of_manufacture_inferred"] = flag


def _put(values: pd.Series, mask: np.ndarray, new: pd.Series) -> pd.Series:
    """``values`` with the ``mask`` rows set to ``new`` (one value per such row)."""
    if arrow_text(values.dtype):
        arr = series_array(values)
        replaced = pc.replace_with_mask(
            arr, pa.array(mask), pa.array(new.array, type=arr.type, from_pandas=True)
        )
        return pd.Series(
            pd.array(replaced, dtype=values.dtype), index=values.index, name=values.name
        )
    values = values.copy()
    values[mask] = new.to_numpy()
    return values


def _from_headstamp(raw: pd.DataFrame, out: dict[str, pd.Series]) -> None:
    """Ammunition: maker, country and year of manufacture from the headstamp."""
    from ._markings import decode_headstamp

    stamp = decode_headstamp(out.get("headstamp", raw["headstamp"]))
    kind = out.get("item_kind")
    ammo = (
        pd.Series(True, index=raw.index)
        if kind is None
        else (kind.isna() | (kind == "ammunition"))
    )
    not_ammo = ~ammo.fillna(True).to_numpy(dtype=bool)
    stamp = stamp.copy()
    stamp.loc[not_ammo, :] = pd.NA
    make = out.get("make")
    out["make"] = stamp["maker"] if make is None else make.fillna(stamp["maker"])
    year = out.get("year_of_manufacture")
    out["year_of_manufacture"] = (
        stamp["year"] if year is None else year.fillna(stamp["year"])
    )
    com = out.get("country_of_manufacture")
    if com is None:
        com = _null(raw.index)
    new = com.isna() & stamp["country"].notna()
    if new.any():
        out["country_of_manufacture"] = com.fillna(stamp["country"])
        flag = out.get("country_of_manufacture_inferred")
        if flag is None:
            flag = pd.Series(pd.NA, index=raw.index, dtype="boolean")
            flag[com.notna().to_numpy()] = False
        flag = flag.copy()
        flag[new.to_numpy()] = True
        out["country_of_manufacture_inferred"] = flag


def _pistol_calibre_machine_guns(raw, out, issues) -> None:
    cat, cal = out["category"], out["calibre"]
    mask = ((cat == "machine_gun") & cal.isin(PISTOL_CALIBRES)).fillna(False)
    mask = mask.to_numpy(dtype=bool)
    if not mask.any():
        return
    out["category"] = cat.mask(mask, "submachine_gun")
    problems = _problem_rows(
        mask,
        raw.index,
        "machine gun in a pistol calibre ({c}): read as a submachine gun",
        c=cal,
    )
    issues.add("category", problems, raw_values=_raw(raw, "category", out))


def _category_against_calibre(raw, out, issues) -> None:
    cat, cal = out["category"], out["calibre"].astype("string")
    gauge = cal.str.endswith("ga").fillna(False)
    shotgun = (cat == "shotgun").fillna(False)
    known = cal.notna() & (cal != ".410") & ~cal.isin(["9mm P.A.K.", "8mm blank"])
    bad = (shotgun & known & ~gauge) | (cat.isin(_HANDHELD_NOT_SHOTGUN) & gauge)
    bad = bad.fillna(False).to_numpy(dtype=bool)
    if not bad.any():
        return
    problems = _problem_rows(
        bad,
        raw.index,
        "category {c} contradicts the calibre {k}: check both",
        c=cat,
        k=cal,
    )
    issues.add("category", problems, raw_values=_raw(raw, "category", out))


def _blank_firing(raw, out, issues) -> None:
    kinds = calibre_kind(out["calibre"])
    blank = (kinds == "blank").fillna(False)
    kind = out.get("item_kind")
    if kind is not None:
        blank &= (kind == "weapon").fillna(True)
    blank = blank.to_numpy(dtype=bool)
    if not blank.any():
        return
    production = out.get("production")
    if production is None:
        production = _null(raw.index)
    keep = production.isin(["craft", "3d_printed", "reactivated"]).fillna(False)
    convert = blank & ~keep.to_numpy(dtype=bool)
    out["production"] = production.mask(convert, "converted")
    problems = _problem_rows(
        blank,
        raw.index,
        "blank-firing calibre {c}: a weapon that fires live rounds in it is a "
        "converted blank-firing or alarm weapon (production 'converted'); the "
        "maker's and seller's records still trace it",
        c=out["calibre"],
    )
    issues.add("calibre", problems, raw_values=_raw(raw, "calibre", out))


def _importer_country(out, issues, index, importer, import_country) -> None:
    """A stated country of manufacture that is the country of the only company
    named, an importer.

    When the make column holds an importer's mark alone (Century Arms on a
    Yugoslav M70 rifle in the Rio files), a clerk copying the markings often
    writes the importer's country as the country of manufacture. It is kept
    (a weapon made in a State can be re-imported there: US surplus rifles
    brought back by US importers), with an issue. ``importer`` and
    ``import_country`` are Series on ``index``, or ``(values, codes)``.
    """
    values = import_country[0] if isinstance(import_country, tuple) else import_country
    if not values.notna().any():
        return
    com = out["country_of_manufacture"]
    flag = out.get("country_of_manufacture_inferred")
    stated = com.notna() & out["make"].isna()
    if flag is not None:
        stated &= ~flag.fillna(False)
    rows = np.flatnonzero(stated.to_numpy(dtype=bool))
    if not len(rows):
        return
    codes, uniques = _codes_at(import_country, rows)
    country = np.array([None if pd.isna(u) else u for u in uniques], dtype=object)
    same = country[codes] == com.to_numpy(dtype=object)[rows]
    if not same.any():
        return
    bad = np.zeros(len(index), dtype=bool)
    bad[rows[same]] = True
    problems = _problem_rows(
        bad,
        index,
        "the make names only the importer {i}; a country of manufacture of {c} "
        "is then most likely the importer's: check the markings for the maker "
        "(or a re-import of an item made in {c})",
        i=importer,
        c=com,
    )
    issues.add("country_of_manufacture", problems, raw_values=com)


def _make_against_country(out, issues, index) -> None:
    """A stated country of manufacture that is not the make's country."""
    com = out["country_of_manufacture"]
    flag = out.get("country_of_manufacture_inferred")
    stated = com.notna()
    if flag is not None:
        stated &= ~flag.fillna(False)
    years = out.get("year_of_manufacture")
    made = make_country(out["make"], year=years).set_axis(index)
    successors = _successors()

    numbers: dict[str, int] = {}  # the same successor state, the same number

    def successor(codes: pd.Series) -> np.ndarray:
        codes_, uniques = pd.factorize(codes, use_na_sentinel=False)
        mapped = np.array(
            [
                numbers.setdefault(
                    "" if pd.isna(u) else successors.get(u, u), len(numbers)
                )
                for u in uniques
            ],
            dtype=np.int64,
        )
        return mapped[codes_]

    same = successor(made) == successor(com)
    bad = (stated & made.notna()).to_numpy(dtype=bool) & ~same
    if not bad.any():
        return
    problems = _problem_rows(
        bad,
        index,
        "make {m} is from {mc}, but the country of manufacture says {c}: check "
        "the markings (a subsidiary, licensed production or a wrong column)",
        m=out["make"],
        mc=made,
        c=com,
    )
    issues.add("country_of_manufacture", problems, raw_values=com)


def _raw(raw: pd.DataFrame, column: str, out: dict[str, pd.Series]) -> pd.Series | None:
    """The raw cells of ``column``: ``None`` (the issues' own raw column), or the
    normalised ones if the source lacks it."""
    if column in raw.columns:
        return None
    return out[column]
