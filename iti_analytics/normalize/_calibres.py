"""Weapon calibres."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._text import strip_accents
from ..reference import load_reference
from ._weapon_common import (
    _aligned,
    _arrow_text,
    _blank,
    _decode,
    _Distinct,
    _encode,
    _series,
    _true,
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
    text = strip_accents(text).lower()
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
        digits = key.lstrip(".")  # ".32" on a shotgun is 32 gauge
        bare = int(digits) if digits.isdigit() else None
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


def normalize_calibre(
    values: Any, category: Any = None, *, model: Any = None, make: Any = None
) -> tuple[pd.Series, pd.Series]:
    """Canonical calibres: ``7.62x39mm``, ``9x19mm``, ``.38 Special``, ``12ga`` …

    Reads decimal commas, "×"/"x"/" X ", spaces, "mm", ``R`` for rimmed rounds,
    NATO (or OTAN)/Parabellum/Luger/Makarov suffixes, metric equivalents in brackets
    ("9 MM LUGER (9X19MM)", ".38 SPECIAL (9 X 29,5 MM)", ".40 S&W (10 X 22)"),
    "+P" loads, gauges ("cal. 12", "12 GA", "12/70", "28 x 70 mm", "32/63,5
    BAGOS") and "12/70" that a spreadsheet turned into the date 1970-12-01.
    See :mod:`iti_analytics.normalize.weapons` for how bare numbers are read.

    Parameters
    ----------
    values : Series or sequence
        Raw calibre text (numbers from Excel are accepted).
    category : Series or sequence, optional
        The normalised category of each row. A bare number on a shotgun is read
        as a gauge ("32" → ``32ga``), on a handgun or rifle as inches
        ("32" → ``.32``). A bare "9 mm" on a pistol or submachine gun is
        ``9x19mm``.
    model, make : Series or sequence, optional
        Raw model and make of each row: a bore that names several rounds
        ("9 mm", "7.62", "12.7", "40 mm") is resolved from the model table
        (``models.csv``: a FAL in "7.62" is ``7.62x51mm``, a Type 56 is
        ``7.62x39mm``). Unresolved, it stays bore-only with a problem.

    Returns
    -------
    calibre : Series of string
    problems : Series of string
        "unknown calibre '…'" where the text was not understood; "ambiguous
        calibre '…'" where a bore names several rounds and neither the model
        nor the category settles it.

    Examples
    --------
    >>> cal, problems = normalize_calibre(
    ...     ["7,62 x 39 mm", "9 MM LUGER (9X19MM)", ".38 SPL", ".40 s&w (10 x 22)",
    ...      "cal. 12", "7,62 mm russian (7,62 x 54 r )", "7.62", "INDETERMINADO",
    ...      "xyz"])
    >>> cal.tolist()
    ['7.62x39mm', '9x19mm', '.38 Special', '.40 S&W', '12ga', '7.62x54mmR', '7.62mm',
     <NA>, <NA>]
    >>> problems.tolist()[-3]
    "ambiguous calibre '7.62': 7.62mm could be 7.62x39mm, 7.62x51mm, .308 Winchester,
     7.62x54mmR, 7.62x25mm or 7.62x38mmR; the model settles it"
    >>> normalize_calibre(["32", "32"], category=["shotgun", "revolver"])[0].tolist()
    ['32ga', '.32']
    >>> normalize_calibre(["7.62", "7.62", "9 mm", "9mm PAK"],
    ...                   model=["FAL", "Type 56", "Makarov PM", None])[0].tolist()
    ['7.62x51mm', '7.62x39mm', '9x18mm', '9mm P.A.K.']
    """
    calibre, problems = _read_calibre(values, category)
    if not calibre.isin(list(_ambiguous())).any():
        return calibre, problems
    return _resolve(calibre, problems, values, category, model, make)


def _read_calibre(values: Any, category: Any) -> tuple[pd.Series, pd.Series]:
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


# --------------------------------------------------------------------------- chambers


@lru_cache(maxsize=1)
def _chambers() -> pd.DataFrame:
    return load_reference("calibre_chambers").set_index("calibre")


@lru_cache(maxsize=1)
def _ambiguous() -> dict[str, tuple[list[str], dict[str, str]]]:
    """Bore-only calibre -> (the rounds it may be, {category: round})."""
    ref = _chambers()
    out = {}
    for calibre, row in ref[ref["kind"] == "ambiguous"].iterrows():
        by_category = dict(
            pair.split("=", 1)
            for pair in (_blank(row["by_category"]) or "").split(";")
            if pair
        )
        out[calibre] = (row["candidates"].split(";"), by_category)
    return out


def _resolve(calibre, problems, values, category, model, make):
    """Settle bore-only calibres from the model table, then the category."""
    from ._models import model_info
    from ._text import distinct_rows

    index = calibre.index
    ambiguous = _ambiguous()
    rows = np.flatnonzero(calibre.isin(list(ambiguous)).to_numpy(dtype=bool))
    fields = {"bore": calibre, "values": _series(values, "values")}
    if model is not None:
        fields["model"] = _aligned(model, "model", len(index))
        if make is not None:
            fields["make"] = _aligned(make, "make", len(index))
    if category is not None:
        fields["category"] = _aligned(category, "category", len(index))
    fields = {k: v.iloc[rows] for k, v in fields.items()}
    # each distinct (bore, text, model, make, category) is settled once
    codes, first = distinct_rows(list(fields.values()), len(rows))
    if codes is None:  # cells that cannot be hashed: each row on its own
        codes, first = np.arange(len(rows)), np.arange(len(rows))
    sub = {k: v.iloc[first] for k, v in fields.items()}
    by_model = [None] * len(first)
    if "model" in sub:
        info = model_info(sub["model"], make=sub.get("make"))
        by_model = info["calibre"].astype(object).where(info["calibre"].notna(), None)
        by_model = by_model.tolist()
    cats = (
        [None] * len(first)
        if "category" not in sub
        else sub["category"].astype(object).where(sub["category"].notna()).tolist()
    )
    raws = _as_text(sub["values"])
    answers = []
    for bore, from_model, cat, raw in zip(
        sub["bore"].tolist(), by_model, cats, raws, strict=True
    ):
        candidates, by_category = ambiguous[bore]
        if from_model in candidates:
            answers.append((from_model, None))
        elif cat in by_category:
            answers.append((by_category[cat], None))
        else:
            how = "model or category" if by_category else "model"
            listed = ", ".join(candidates[:-1]) + f" or {candidates[-1]}"
            answers.append(
                (
                    bore,
                    f"ambiguous calibre '{raw.strip()}': {bore} could be {listed}; "
                    f"the {how} settles it",
                )
            )
    new_cal = calibre.copy()
    new_problems = problems.copy()
    new_cal.iloc[rows] = pd.array([a[0] for a in answers], dtype="string")[codes]
    new_problems.iloc[rows] = pd.array([a[1] for a in answers], dtype="string")[codes]
    return new_cal, new_problems


def _as_text(values: pd.Series) -> list[str]:
    from ._text import as_text

    codes, uniques = pd.factorize(values)
    text = as_text(pd.Series(uniques, dtype=object)).tolist() + [""]
    return [text[c] for c in codes]


def calibre_kind(calibre: Any) -> pd.Series:
    """``military``, ``civilian``, ``blank`` or ``ambiguous`` for known calibres.

    Examples
    --------
    >>> calibre_kind(["7.62x51mm", ".308 Winchester", "9mm P.A.K.", "9mm", ".22 LR"])
    0     military
    1     civilian
    2        blank
    3    ambiguous
    4         <NA>
    dtype: string
    """
    calibre = _series(calibre, "calibre").astype("string")
    kinds = _chambers()["kind"].to_dict()
    # each distinct calibre looked up once
    codes, uniques = pd.factorize(calibre, use_na_sentinel=True)
    per_value = pd.array([kinds.get(u) for u in uniques], dtype="string")
    return pd.Series(
        per_value.take(codes, allow_fill=True),
        index=calibre.index,
        name=calibre.name,
        dtype="string",
    )


def same_chamber(a: Any, b: Any) -> Any:
    """Whether two canonical calibres fit the same chamber (for matching records).

    Civilian and military designations are kept apart in the data (``.308
    Winchester`` is not ``7.62x51mm``), but a weapon recorded in one by one
    agency and in the other by another is the same weapon: this relation lets
    matching treat them as one. ``40x46mm`` and ``40x53mm`` are not the same
    chamber; a bore-only calibre (``9mm``) fits no chamber for sure. Works on
    scalars or aligned sequences (then returns a boolean Series).

    Examples
    --------
    >>> same_chamber(".308 Winchester", "7.62x51mm"), same_chamber("40x46mm", "40x53mm")
    (True, False)
    >>> same_chamber(["5.56x45mm", "9mm", ".38 Special"], [".223 Remington", "9x19mm",
    ...                                                    ".38 Special"]).tolist()
    [True, False, True]
    """
    chamber = _chambers()["chamber"].to_dict()
    ambiguous = set(_ambiguous())

    def key(values: pd.Series) -> pd.Series:
        values = values.astype("string")
        out = values.map(chamber).astype("string").fillna(values)
        return out.mask(values.isin(ambiguous))

    if a is None or b is None or (isinstance(a, str) and isinstance(b, str)):
        if not isinstance(a, str) or not isinstance(b, str):
            return False
        both = key(pd.Series([a, b]))
        return bool(both.notna().all() and both.iloc[0] == both.iloc[1])
    left, right = _series(a, "a"), _series(b, "b")
    # unknown on either side never matches: different fillers on each side
    left_key = key(left).fillna("\x00left").to_numpy(dtype=object)
    right_key = key(right).fillna("\x00right").to_numpy(dtype=object)
    return pd.Series(left_key == right_key, index=left.index, dtype="boolean")
