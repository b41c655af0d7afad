"""Factory codes, arsenal marks and ammunition headstamps → maker, country, year."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd

from ..reference import load_reference
from ._text import fold
from ._weapon_common import _blank, _series

__all__ = ["decode_marking", "decode_headstamp"]

_SHAPE_WORDS = {
    "triangle": ("triangle", "triangulo", "triangolo", "dreieck"),
    "double circle": ("double circle", "double cercle", "doble circulo", "2 circles"),
    "oval": ("oval", "ovale", "ellipse"),
    "circle": ("circle", "cercle", "circulo"),
    "star": ("star", "etoile", "estrella", "estrela", "zvezda"),
}
_COLUMNS = ["maker", "country", "year", "note"]


def _country(row: pd.Series, year: int | None) -> str | None:
    until = pd.to_numeric(row.get("historic_until"), errors="coerce")
    historic = _blank(row.get("historic_country"))
    if historic is not None and year is not None and year <= until:
        return historic
    return _blank(row["country"])


@lru_cache(maxsize=1)
def _factory_codes() -> pd.DataFrame:
    return load_reference("factory_codes")


def _shape_of(text: str) -> str | None:
    for shape in ("double circle", "triangle", "oval", "circle", "star"):
        if any(word in text for word in _SHAPE_WORDS[shape]):
            return shape
    return None


@lru_cache(maxsize=4096)
def _decode_marking(text: str) -> tuple[str | None, str | None, str | None]:
    ref = _factory_codes()
    folded = " ".join(fold([text]).tolist()[0].split())
    shape = _shape_of(folded)
    numbers = re.findall(r"\d+", folded)
    for _, row in ref.iterrows():
        code = row["code"]
        row_shape = _blank(row["shape"]) or ""
        if code.isdigit():
            if code in numbers and (shape is None or row_shape.startswith(shape)):
                return _blank(row["maker"]), _country(row, None), row["note"]
        elif code == "arrow":
            if "arrow" in folded and shape == "triangle":
                izhevsk = "izh" in folded or "izhevsk" in folded
                if izhevsk == row_shape.endswith("Izhevsk"):
                    return _blank(row["maker"]), _country(row, None), row["note"]
        elif code == "star":
            if shape == "star" and not numbers:
                return _blank(row["maker"]), _country(row, None), row["note"]
        elif re.search(rf"\b{re.escape(code)}\b", folded):
            return _blank(row["maker"]), _country(row, None), row["note"]
    return None, None, None


def decode_marking(values: Any) -> pd.DataFrame:
    """Factory codes and arsenal marks as recorded → maker and country.

    A recorder writes what is stamped: "66 in a triangle" (Chinese state
    factory 66), "10 in double circle" (Bulgaria, Arsenal Kazanlak), "11 in
    oval" (Poland, Radom), "arrow in triangle" (Romania, Cugir; with
    "Izhevsk" or "IZH", the Izhevsk plant), "star" (Tula), or a name mark
    (ZASTAVA, FEG, WIESA). Rows come from ``reference/factory_codes.csv``.
    Each distinct text is read once.

    Returns
    -------
    DataFrame
        ``maker``, ``country`` and ``note`` (strings), null when unknown.

    Examples
    --------
    >>> decode_marking(["66 in a triangle", "10 (double circle)", "11 in oval",
    ...                 "arrow in triangle", "ZASTAVA KRAGUJEVAC", "??"])[
    ...     ["maker", "country"]]
              maker country
    0          <NA>     CHN
    1       Arsenal     BGR
    2  Fabryka Broni     POL
    3         Cugir     ROU
    4  Zastava Arms     SRB
    5          <NA>    <NA>
    """
    values = _series(values, "values")
    text = values.astype("string")
    codes, uniques = pd.factorize(text)
    answers = [_decode_marking(str(u)) for u in uniques]
    frame = pd.DataFrame(
        answers + [(None, None, None)], columns=_COLUMNS[:2] + ["note"]
    )
    out = frame.take(pd.Series(codes).where(codes >= 0, len(answers))).astype("string")
    return out.set_axis(values.index)


@lru_cache(maxsize=1)
def _headstamps() -> dict[str, pd.Series]:
    ref = load_reference("headstamps")
    return {
        fold([c]).tolist()[0].replace(" ", ""): row
        for c, (_, row) in zip(ref["code"], ref.iterrows(), strict=True)
    }


@lru_cache(maxsize=4096)
def _decode_headstamp(text: str) -> tuple[str | None, str | None, int | None]:
    table = _headstamps()
    tokens = [t for t in re.split(r"[\s/|*,;:]+", fold([text]).tolist()[0]) if t]
    if not tokens:
        return None, None, None
    row = None
    for token in tokens:
        key = token.replace(" ", "")
        if key in table and not (row is not None and key.isdigit()):
            row = table[key]
            code = key
            if not key.isdigit():
                break
    if row is None:
        return None, None, None
    year = None
    for token in tokens:
        if token != code and re.fullmatch(r"\d{2}|\d{4}", token):
            value = int(token)
            if value >= 1900:
                year = value
            else:
                this_year = date.today().year % 100
                year = 2000 + value if value <= this_year else 1900 + value
            break
    return _blank(row["maker"]), _country(row, year), year


def decode_headstamp(values: Any) -> pd.DataFrame:
    """Ammunition headstamps → maker, country and year where the stamp gives it.

    Reads the factory code ("539", "17", "LC", "PPU", "CBC", "S&B") and a two-
    or four-digit year ("539 78", "LC 15", "PPU 2019"). Soviet factory codes
    give ``SUN`` up to 1991. A two-digit year is read in the last hundred
    years. Codes come from ``reference/headstamps.csv``.

    Returns
    -------
    DataFrame
        ``maker``, ``country`` (strings) and ``year`` (Int64).

    Examples
    --------
    >>> decode_headstamp(["539 78", "LC 15", "CBC 9MM LUGER", "PPU 2019", "?"])
                     maker country  year
    0  Tula Cartridge Works     SUN  1978
    1            Lake City     USA  2015
    2                   CBC     BRA  <NA>
    3          Prvi Partizan     SRB  2019
    4                  <NA>    <NA>  <NA>
    """
    values = _series(values, "values")
    text = values.astype("string")
    codes, uniques = pd.factorize(text)
    answers = [_decode_headstamp(str(u)) for u in uniques]
    frame = pd.DataFrame(answers + [(None, None, None)], columns=_COLUMNS[:3])
    take = pd.Series(codes).where(codes >= 0, len(answers))
    out = frame.take(take).reset_index(drop=True)
    return pd.DataFrame(
        {
            "maker": out["maker"].astype("string"),
            "country": out["country"].astype("string"),
            "year": pd.to_numeric(out["year"]).astype("Int64"),
        }
    ).set_axis(values.index)
