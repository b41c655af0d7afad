"""Read origin x destination tables as agencies publish them into movements."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from .._text import fold
from .._validation import check_option
from ..exceptions import (
    FileFormatError,
    InvalidParameterError,
    ITIWarning,
    warn,
)
from ..io import read_grid
from ..reference import load_reference

__all__ = ["read_flow_matrix", "flow_matrix_totals"]

_TOTAL = re.compile(
    r"^\s*(grand\s+)?(totals?|total\s+g[ée]n[ée]ral|sum|all|todos|tous|ensemble)\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _direction_words() -> tuple[re.Pattern, re.Pattern]:
    """Title words that name the origin side and the destination side.

    The header synonyms of ``movements.origin`` and ``movements.destination``
    in ``reference/headers.csv`` (the words ``read_movements`` maps), each a
    whole phrase, case-insensitive.
    """
    headers = load_reference("headers")
    moves = headers[headers["table"] == "movements"]

    def words(field: str) -> re.Pattern:
        found = moves.loc[moves["field"] == field, "synonym"].astype(str)
        longest = sorted(set(found), key=len, reverse=True)
        return re.compile(
            r"(?<!\w)(" + "|".join(re.escape(w) for w in longest) + r")(?!\w)",
            re.IGNORECASE,
        )

    return words("origin"), words("destination")


_COMBINED = re.compile(r"\s+(?:&|AND|ET|Y|E)\s+")


def read_flow_matrix(
    path: Any,
    *,
    rows: str = "origin",
    year: int | None = None,
    sheet: str | int | None = None,
    country: str | None = None,
    keep_zeros: bool = False,
    source: str | None = None,
) -> pd.DataFrame:
    """Read an origin x destination table, as agencies publish them, into movements.

    Published flow tables (ATF "source and recovery" state tables, UN panel
    annexes, customs statistics) put one place per row and one per column,
    with titles above, TOTAL rows and columns, and footnotes below. This
    reader finds the header row by itself (the last mostly-text row above the
    first row of numbers), takes the labels from the column left of the
    numbers, drops total rows and columns, and turns every cell into one
    movement row.

    Parameters
    ----------
    path : str, Path or DataFrame
        An Excel workbook (``.xlsx``, ``.xls``, ``.ods``), a CSV/TSV file, or a
        DataFrame holding the sheet as read with ``header=None``.
    rows : {"origin", "destination", "auto"}, default "origin"
        What the rows are. Tables change orientation between editions (ATF's
        2012 and 2013 tables have recovery states as rows: pass
        ``rows="destination"``). ``"auto"`` reads it from the titles
        ("Source State" / "Recovery State" over the columns or beside the
        rows); when ``rows`` is given and the titles say otherwise, a
        ``UserWarning`` says so.
    year : int, optional
        Year of the flows. Default: the one year in the file name
        (``..._cy_2016.xlsx``), else the commonest year in the titles and
        footnotes, else null.
    sheet : str or int, optional
        Sheet name or position (default: the first).
    country : str, optional
        ISO3 code of the country whose subdivisions the labels name ("USA").
        Default: guessed from the labels (when most are subdivisions of one
        country). It decides "GEORGIA" (US-GA, not the country GEO) and turns
        territories listed among states into subdivisions (Puerto Rico ->
        US-PR).
    keep_zeros : bool, default False
        Keep cells with 0 (they say no flow was recorded).
    source : str, optional
        Value of the ``source`` column (default: the file name without
        extension).

    Returns
    -------
    DataFrame
        A canonical ``movements`` table: ``movement_id``
        (``<source>:<row>:<col>``, sheet positions), ``origin``,
        ``destination`` (ISO3, or ISO 3166-2 such as ``US-VA``), ``year``,
        ``count``, ``evidence="published_table"``, ``source``, plus
        ``x_origin_label`` and ``x_destination_label`` (the labels as
        printed). A label naming two places together (ATF's "GUAM & NORTHERN
        MARIANA ISLANDS") takes the code of the first (``US-GU``), so flows
        within it count as in-state. A label that cannot be matched keeps
        its row with a null code (its count still adds up) and is named in a
        ``UserWarning``.
        ``.attrs["published_totals"]`` holds the printed totals: ``grand``,
        ``by_origin`` and ``by_destination`` (dicts keyed by code, or by
        label when unmatched).

    Raises
    ------
    FileFormatError
        If no block of numbers with labels can be found.

    See Also
    --------
    flow_matrix_totals : check a matrix against its printed totals.
    corridors : shares of each destination, from these movements.

    Examples
    --------
    >>> import pandas as pd
    >>> sheet = pd.DataFrame([
    ...     ["Guns traced, 2016", None, None, None],
    ...     ["Source State", "VIRGINIA", "GEORGIA", "TOTAL"],
    ...     ["VIRGINIA", 900, 12, 912],
    ...     ["GEORGIA", 40, 1500, 1540],
    ...     ["TOTAL", 940, 1512, 2452]])
    >>> mv = read_flow_matrix(sheet, rows="origin", year=2016)
    >>> mv[["origin", "destination", "count", "year"]]
      origin destination  count  year
    0  US-VA       US-VA    900  2016
    1  US-VA       US-GA     12  2016
    2  US-GA       US-VA     40  2016
    3  US-GA       US-GA   1500  2016
    >>> mv.attrs["published_totals"]["grand"]
    2452
    """
    check_option("rows", rows, ("origin", "destination", "auto"))
    grid, name = _read_grid(path, sheet)
    values, is_text = _cells(grid)
    block = _find_block(values, is_text, name)
    detected = _detect_orientation(grid, is_text, block)
    if rows == "auto":
        if detected is None:
            raise InvalidParameterError(
                f"{name}: cannot tell from the titles whether rows are origins or "
                "destinations; pass rows='origin' or rows='destination'."
            )
        rows = detected
    elif detected is not None and detected != rows:
        warn(
            f"{name}: the titles say the rows are {detected}s, but rows={rows!r} was "
            f"passed; check the orientation (rows={detected!r}?).",
            ITIWarning,
        )
    row_labels = [str(grid.iat[r, block["label_col"]]).strip() for r in block["rows"]]
    col_labels = [_label_text(grid.iat[block["header"], c]) for c in block["cols"]]
    matrix = values[np.ix_(block["rows"], block["cols"])].astype(float)
    # totals
    row_total = np.array([bool(_TOTAL.match(x)) for x in row_labels])
    col_total = np.array([bool(_TOTAL.match(x)) for x in col_labels])
    labels = sorted(
        set(np.array(row_labels, dtype=object)[~row_total])
        | set(np.array(col_labels, dtype=object)[~col_total])
    )
    codes = _resolve_labels(labels, country)
    unknown = [lab for lab in labels if codes.get(lab) is None]
    if unknown:
        warn(
            f"{name}: no ISO code for {unknown}; their rows are kept with a null "
            "code (the raw label is in x_origin_label / x_destination_label).",
            ITIWarning,
        )
    inner = matrix[np.ix_(~row_total, ~col_total)]
    r_idx = np.flatnonzero(~row_total)
    c_idx = np.flatnonzero(~col_total)
    rr, cc = np.meshgrid(np.arange(len(r_idx)), np.arange(len(c_idx)), indexing="ij")
    rr, cc = rr.ravel(), cc.ravel()
    count = inner.ravel()
    keep = ~np.isnan(count)
    if not keep_zeros:
        keep &= count != 0
    rr, cc, count = rr[keep], cc[keep], count[keep]
    row_lab = np.array(row_labels, dtype=object)[r_idx][rr]
    col_lab = np.array(col_labels, dtype=object)[c_idx][cc]
    if rows == "origin":
        o_lab, d_lab = row_lab, col_lab
    else:
        o_lab, d_lab = col_lab, row_lab
    src = source or name_stem(name)
    year = year if year is not None else _guess_year(name, grid, is_text)
    sheet_rows = np.array(block["rows"])[r_idx][rr]
    sheet_cols = np.array(block["cols"])[c_idx][cc]
    out = pd.DataFrame(
        {
            "movement_id": [
                f"{src}:{r + 1}:{c + 1}"
                for r, c in zip(sheet_rows, sheet_cols, strict=False)
            ],
            "origin": [codes.get(x) for x in o_lab],
            "destination": [codes.get(x) for x in d_lab],
            "year": year,
            "count": np.round(count).astype(np.int64),
            "evidence": "published_table",
            "source": src,
            "x_origin_label": o_lab,
            "x_destination_label": d_lab,
        }
    )
    out = schema.conform(out, "movements")
    out["x_origin_label"] = out["x_origin_label"].astype("string")
    out["x_destination_label"] = out["x_destination_label"].astype("string")
    out.attrs["published_totals"] = _printed_totals(
        matrix, row_labels, col_labels, row_total, col_total, codes, rows
    )
    return out


def flow_matrix_totals(movements: pd.DataFrame) -> pd.DataFrame:
    """Compare a flow matrix read by :func:`read_flow_matrix` with its printed totals.

    Returns one row per origin and per destination (and the grand total):
    ``side`` (``origin``/``destination``/``grand``), ``place``, ``computed``
    (sum of the cells), ``published`` (the TOTAL row or column), ``difference``.

    Examples
    --------
    >>> import pandas as pd
    >>> sheet = pd.DataFrame([["", "A", "TOTAL"], ["FRANCE", 5, 5], ["TOTAL", 5, 5]])
    >>> t = flow_matrix_totals(read_flow_matrix(sheet.replace("A", "SPAIN")))
    >>> t[["side", "place", "computed", "published", "difference"]]
              side place  computed  published  difference
    0        grand  <NA>         5          5           0
    1       origin   FRA         5          5           0
    2  destination   ESP         5          5           0
    """
    printed = movements.attrs.get("published_totals") or {}
    rows = []
    key_o = movements["origin"].fillna(movements.get("x_origin_label"))
    key_d = movements["destination"].fillna(movements.get("x_destination_label"))
    count = movements["count"].astype("Int64")
    rows.append(("grand", pd.NA, int(count.sum()), printed.get("grand")))
    for side, key in (("origin", key_o), ("destination", key_d)):
        sums = count.groupby(key.to_numpy()).sum()
        pub = printed.get(f"by_{side}", {})
        for place in sorted(set(sums.index) | set(pub)):
            rows.append((side, place, int(sums.get(place, 0)), pub.get(place)))
    out = pd.DataFrame(rows, columns=["side", "place", "computed", "published"])
    out["side"] = out["side"].astype("string")
    out["place"] = out["place"].astype("string")
    out["computed"] = out["computed"].astype("Int64")
    out["published"] = pd.array(out["published"], dtype="Int64")
    out["difference"] = out["computed"] - out["published"]
    return out


def name_stem(name: str) -> str:
    return Path(str(name)).stem if name else "table"


# --------------------------------------------------------------------------- reading


def _read_grid(path: Any, sheet: str | int | None) -> tuple[pd.DataFrame, str]:
    """The sheet as a grid of cells: a DataFrame as given, a file through ``io``."""
    if isinstance(path, pd.DataFrame):
        grid = path.copy()
        if not isinstance(grid.columns, pd.RangeIndex):
            grid = pd.concat(
                [pd.DataFrame([list(grid.columns)], columns=grid.columns), grid],
                ignore_index=True,
            )
        grid.columns = range(grid.shape[1])
        return grid.reset_index(drop=True), "table"
    return read_grid(path, sheet=sheet)


def _to_number(v: Any) -> float:
    if v is None or isinstance(v, bool):
        return np.nan
    if isinstance(v, int | float | np.integer | np.floating):
        return float(v)
    s = str(v).strip().replace("\u00a0", "").replace(" ", "")
    if not s or not re.fullmatch(r"[-+]?[\d.,]+", s):
        return np.nan
    if re.fullmatch(r"[-+]?\d{1,3}([,.]\d{3})+", s):  # thousands separators
        s = re.sub(r"[,.]", "", s)
    else:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return np.nan


def _cells(grid: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    obj = grid.to_numpy(dtype=object)
    values = np.array([[_to_number(v) for v in row] for row in obj], dtype=float)
    is_text = np.array(
        [
            [
                isinstance(v, str) and bool(v.strip()) and np.isnan(_to_number(v))
                for v in row
            ]
            for row in obj
        ],
        dtype=bool,
    ).reshape(obj.shape)
    return values.reshape(obj.shape), is_text


def _find_block(values: np.ndarray, is_text: np.ndarray, name: str) -> dict:
    n_rows, n_cols = values.shape
    numeric = ~np.isnan(values)
    data_row = None
    for r in range(n_rows):
        nums = np.flatnonzero(numeric[r])
        texts = np.flatnonzero(is_text[r])
        if len(nums) >= 2 and len(texts) and texts.min() < nums.min():
            data_row = r
            break
    if data_row is None:
        raise FileFormatError(
            f"{name}: no table of numbers with place labels found (a row with a "
            "label followed by at least two numbers). Is this an origin x "
            "destination table?"
        )
    first_num = int(np.flatnonzero(numeric[data_row]).min())
    header = None
    for r in range(data_row - 1, -1, -1):
        if is_text[r, first_num:].sum() >= 2 or (
            is_text[r, first_num:].sum() >= 1
            and numeric[r, first_num:].sum() == 0
            and r == data_row - 1
        ):
            header = r
            break
    if header is None:
        raise FileFormatError(
            f"{name}: no header row with column labels above the numbers."
        )
    cols = [
        c
        for c in range(first_num, n_cols)
        if is_text[header, c] or (numeric[header, c] and numeric[data_row:, c].any())
    ]
    cols = [c for c in cols if numeric[data_row:, c].any()]
    label_candidates = range(0, first_num)
    label_col = max(label_candidates, key=lambda c: (is_text[data_row:, c].sum(), c))
    rows = [
        r
        for r in range(header + 1, n_rows)
        if is_text[r, label_col] and numeric[r, cols].any()
    ]
    return {"header": header, "rows": rows, "cols": cols, "label_col": label_col}


def _label_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _detect_orientation(
    grid: pd.DataFrame, is_text: np.ndarray, block: dict
) -> str | None:
    """Read which side is the origin from the title cells around the table."""
    header, label_col = block["header"], block["label_col"]
    first_col = min(block["cols"]) if block["cols"] else label_col + 1
    votes: list[str] = []
    n_rows, n_cols = is_text.shape
    for r in range(min(n_rows, max(block["rows"], default=header) + 1)):
        for c in range(n_cols):
            if not is_text[r, c]:
                continue
            if r > header and c == label_col:
                continue  # a row label
            if r == header and c >= first_col:
                continue  # a column label
            text = " ".join(str(grid.iat[r, c]).split())
            origin_words, dest_words = _direction_words()
            origin = bool(origin_words.search(text))
            dest = bool(dest_words.search(text))
            if origin == dest:
                continue
            # above the header: describes the columns; beside the rows (the
            # corner or the label column, from the header down): the rows
            describes_rows = r >= header and c < first_col
            if describes_rows:
                votes.append("origin" if origin else "destination")
            else:
                votes.append("destination" if origin else "origin")
    if not votes:
        return None
    top = Counter(votes).most_common()
    if len(top) > 1 and top[0][1] == top[1][1]:
        return None
    return top[0][0]


def _guess_year(name: str, grid: pd.DataFrame, is_text: np.ndarray) -> int | None:
    years = set(re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", name or ""))
    if len(years) == 1:
        return int(years.pop())
    found: Counter = Counter()
    obj = grid.to_numpy(dtype=object)
    for v in obj[is_text]:
        found.update(re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", str(v)))
    if not found:
        return None
    return int(found.most_common(1)[0][0])


def _printed_totals(
    matrix, row_labels, col_labels, row_total, col_total, codes, rows
) -> dict:
    def key(label):
        return codes.get(label) or label

    out: dict[str, Any] = {"grand": None, "by_origin": {}, "by_destination": {}}
    row_side = "by_origin" if rows == "origin" else "by_destination"
    col_side = "by_destination" if rows == "origin" else "by_origin"
    if col_total.any():
        t = np.flatnonzero(col_total)[0]
        for i, lab in enumerate(row_labels):
            v = matrix[i, t]
            if not row_total[i] and not np.isnan(v):
                out[row_side][key(lab)] = int(round(v))
    if row_total.any():
        t = np.flatnonzero(row_total)[0]
        for j, lab in enumerate(col_labels):
            v = matrix[t, j]
            if not col_total[j] and not np.isnan(v):
                out[col_side][key(lab)] = int(round(v))
        if col_total.any():
            v = matrix[t, np.flatnonzero(col_total)[0]]
            out["grand"] = None if np.isnan(v) else int(round(v))
    return out


# --------------------------------------------------------------------------- labels


def _clean_label(label: str) -> str:
    s = unicodedata.normalize("NFKC", str(label)).upper()
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\bDST\b\.?", "DISTRICT", s)
    s = re.sub(r"\bISLND\b", "ISLANDS", s)
    return s


@lru_cache(maxsize=32)
def _subdivision_aliases(iso3: str) -> dict[str, str]:
    """Folded names of the subdivisions of one country -> ISO 3166-2 code."""
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return {}
    out: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country.alpha_2) or []:
        names = {sub.name}
        if "," in sub.name:  # "Virgin Islands, U.S." -> "U.S. Virgin Islands"
            base, qual = (x.strip() for x in sub.name.split(",", 1))
            names |= {base, f"{qual} {base}"}
        for n in names:
            out.setdefault(fold(n, alnum=True), sub.code)
        out.setdefault(sub.code.split("-", 1)[1], sub.code)
    return out


def _territory_code(iso3: str, context: str) -> str | None:
    """ISO3 of a territory that is also a subdivision of ``context`` (PRI -> US-PR)."""
    import pycountry

    ctx = pycountry.countries.get(alpha_3=context)
    c = pycountry.countries.get(alpha_3=iso3)
    if ctx is None or c is None:
        return None
    sub = pycountry.subdivisions.get(code=f"{ctx.alpha_2}-{c.alpha_2}")
    if sub is None:
        return None
    names = {
        fold(getattr(c, a), alnum=True)
        for a in ("name", "common_name", "official_name")
        if getattr(c, a, None)
    }
    return sub.code if fold(sub.name, alnum=True) in names else None


def _normalize_places(labels: list[str], context: str | None) -> list[str | None]:
    from ..normalize.countries import normalize_place

    series = pd.Series(labels, dtype="string")
    ctx = None if context is None else pd.Series(context, index=series.index)
    codes, _ = normalize_place(series, country=ctx)
    return [None if pd.isna(c) else str(c) for c in codes]


def _resolve_labels(labels: list[str], country: str | None) -> dict[str, str | None]:
    if not labels:
        return {}
    clean = [_clean_label(x) for x in labels]
    context = country
    if context is None:
        # the country most labels are subdivisions of, if any ("USA" for a
        # table of states): it decides GEORGIA = US-GA rather than GEO
        import pycountry

        first = _normalize_places(clean, None)
        prefixes = {c.split("-")[0] for c in first if c and "-" in c}
        best, score = None, 0
        for alpha2 in sorted(prefixes):
            found = pycountry.countries.get(alpha_2=alpha2)
            if found is None:
                continue
            aliases = _subdivision_aliases(found.alpha_3)
            n = sum(1 for c in clean if fold(c, alnum=True) in aliases)
            if n > score:
                best, score = found.alpha_3, n
        if best is not None and score * 2 >= len(clean):
            context = best
    aliases = _subdivision_aliases(context) if context else {}
    codes: list[str | None] = [aliases.get(fold(c, alnum=True)) for c in clean]
    todo = [i for i, c in enumerate(codes) if c is None]
    if todo:
        got = _normalize_places([clean[i] for i in todo], context)
        for i, c in zip(todo, got, strict=False):
            if c and context and "-" not in c:
                c = _territory_code(c, context) or c
            codes[i] = c
    # a row for two places together ("GUAM & NORTHERN MARIANA ISLANDS") takes
    # the code of the first, when every part is a known place
    for i, c in enumerate(codes):
        parts = _COMBINED.split(clean[i])
        if c is None and len(parts) >= 2:
            got = _resolve_labels(parts, context) if context else {}
            if got and all(got.values()):
                codes[i] = got[parts[0]]
    return dict(zip(labels, codes, strict=False))
