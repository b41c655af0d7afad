"""Dates in any common form → ``datetime64[s]`` at day precision.

Read: ISO dates and timestamps (``2019-03-04``, ``2019-03-04 13:45:00``, the
time is dropped), numeric day/month/year in either order, month names in
English, French, Spanish and Portuguese ("15 mars 2020", "3 de março de 2019",
"March 5, 2020", "févr.", "set."), compact ``20200315``, Excel serial numbers,
Unix timestamps (seconds to nanoseconds) and Python/pandas datetimes.

Day-first or month-first, for ``dd/mm/yyyy``-like cells only (year-first cells
are always year-month-day):

1. ``dayfirst=True`` / ``False`` from the caller wins;
2. otherwise the column decides: a first field above 12 (``15/03/2020``)
   proves day-first, a second field above 12 (``03/15/2020``) proves
   month-first; if a column holds both, the side with more rows wins and the
   other cells become impossible dates (reported);
3. with no proof at all, month-first (``dayfirst=False``, as pandas does).

Impossible dates (``31/02/2020``) and implausible ones (before 1900, or more
than a year after today) become null with a problem.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..reference import load_reference
from ._text import _to_arrow, clean_text, empty_problems, factorize, fold, unknown_kind

__all__ = ["normalize_date", "infer_dayfirst", "EARLIEST_DATE"]

#: dates before this are implausible for seizure and trace records
EARLIEST_DATE = np.datetime64("1900-01-01", "D")
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_DTYPE = "datetime64[s]"

_TIME = (
    r"(?:(?:[ t]+|,\s*)(?:a\s+|as\s+|à\s+|at\s+)?"
    r"\d{1,2}(?:[:h]\d{2})(?::\d{2}(?:[.,]\d+)?)?"
    r"\s*(?:am|pm|h)?\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?)?"
)
_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|"
    r"thu|fri|sat|sun|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|"
    r"martes|miercoles|jueves|viernes|sabado|domingo|segunda|terca|quarta|quinta|"
    r"sexta|feira|-)+[.,]?\s+)?"
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.\s](\d{1,2})[-/.\s](\d{4}|\d{2})" + _TIME + "$")
_DAY_MONTH = re.compile(
    "^" + _WEEKDAY + r"(\d{1,2})(?:er|re|st|nd|rd|th|o|a)?[\s\-/.]*(?:de\s+)?"
    r"([a-z]+)\.?[\s\-/.,]*(?:de\s+)?(\d{4}|\d{2})" + _TIME + "$"
)
_MONTH_DAY = re.compile(
    "^"
    + _WEEKDAY
    + r"([a-z]+)\.?[\s\-/]*(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
    + _TIME
    + "$"
)
_DIGITS = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    ref = load_reference("months")
    keys = fold(ref["term"].astype("string")).tolist()
    return dict(zip(keys, ref["month"].astype(int).tolist(), strict=True))


def _today() -> np.datetime64:
    return np.datetime64(_dt.date.today(), "D")


def _latest() -> np.datetime64:
    return _today() + np.timedelta64(366, "D")


def _pivot_year(y: np.ndarray) -> np.ndarray:
    """Two-digit years: up to next year's two digits → 20xx, else 19xx."""
    limit = (_dt.date.today().year + 1) % 100
    return np.where(y < 100, np.where(y <= limit, 2000 + y, 1900 + y), y)


def _assemble(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days from year/month/day float arrays; NaT where any is NaN or impossible."""
    ok = ~(np.isnan(y) | np.isnan(m) | np.isnan(d))
    ok &= (m >= 1) & (m <= 12) & (d >= 1) & (y >= 1) & (y <= 9999)
    out = np.full(len(y), np.datetime64("NaT"), dtype="datetime64[D]")
    if not ok.any():
        return out
    yi = y[ok].astype(np.int64)
    mi = m[ok].astype(np.int64)
    di = d[ok].astype(np.int64)
    month = (yi - 1970) * 12 + (mi - 1)
    start = month.astype("datetime64[M]").astype("datetime64[D]")
    length = (
        (month + 1).astype("datetime64[M]").astype("datetime64[D]") - start
    ).astype(np.int64)
    valid = di <= length
    days = start + (di - 1).astype("timedelta64[D]")
    idx = np.flatnonzero(ok)
    out[idx[valid]] = days[valid]
    return out


def _from_numbers(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numbers → (days, parsed?): yyyymmdd, Excel serial or Unix timestamp."""
    x = np.asarray(x, dtype=float)
    out = np.full(len(x), np.datetime64("NaT"), dtype="datetime64[D]")
    parsed = np.zeros(len(x), dtype=bool)
    finite = np.isfinite(x)
    # compact yyyymmdd
    compact = finite & (x >= 19000101) & (x <= 21001231) & (x == np.floor(x))
    if compact.any():
        v = x[compact]
        out[compact] = _assemble(np.floor(v / 10000), np.floor(v / 100) % 100, v % 100)
        parsed |= compact
    # Excel serial days (1910 .. a year from now)
    latest_serial = (_latest() - _EXCEL_EPOCH).astype(np.int64)
    serial = finite & (x >= 3654) & (x <= latest_serial)
    if serial.any():
        out[serial] = _EXCEL_EPOCH + np.floor(x[serial]).astype("timedelta64[D]")
        parsed |= serial
    # Unix timestamps: seconds, milliseconds, microseconds, nanoseconds
    for low, high, per_day in (
        (1e8, 1e11, 86_400),
        (1e11, 1e14, 86_400e3),
        (1e14, 1e17, 86_400e6),
        (1e17, 1e20, 86_400e9),
    ):
        unix = finite & ~parsed & (np.abs(x) >= low) & (np.abs(x) < high)
        if unix.any():
            out[unix] = np.floor(x[unix] / per_day).astype(
                "timedelta64[D]"
            ) + np.datetime64("1970-01-01", "D")
            parsed |= unix
    return out, parsed


def _year(text: str) -> float:
    """A year field as written: two digits pivot (``"12"`` → 2012), four never do.

    ``"0012"`` stays year 12 so that the date is judged implausible, instead of
    silently becoming 2012.
    """
    year = float(text)
    return float(_pivot_year(np.array([year]))[0]) if len(text) <= 2 else year


def _fields(text: str, months: dict[str, int]) -> tuple[str, float, float, float]:
    """Classify one lower-cased date text: (kind, f1, f2, year)."""
    m = _ISO.match(text)
    if m:
        return "ymd", float(m[2]), float(m[3]), _year(m[1])
    m = _NUMERIC.match(text)
    if m:
        return "ab", float(m[1]), float(m[2]), _year(m[3])
    m = _DAY_MONTH.match(text)
    if m:
        month = months.get(m[2])
        if month:
            return "ymd", float(month), float(m[1]), _year(m[3])
    m = _MONTH_DAY.match(text)
    if m:
        month = months.get(m[1])
        if month:
            return "ymd", float(month), float(m[2]), _year(m[3])
    return "", np.nan, np.nan, np.nan


def _ascii_lower(text: pd.Series) -> list[str]:
    arr = _to_arrow(text.array)
    arr = pc.utf8_normalize(arr, "NFKD")
    arr = pc.replace_substring_regex(arr, r"\p{Mn}+", "")
    arr = pc.utf8_lower(arr)
    return arr.to_pylist()


class _Parsed:
    """Per distinct value: days, whether fields were found, the a/b fields."""

    def __init__(self, n: int):
        self.days = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        self.parsed = np.zeros(n, dtype=bool)  # a date shape was recognised
        self.a = np.full(n, np.nan)  # dd/mm-or-mm/dd fields, resolved later
        self.b = np.full(n, np.nan)
        self.y = np.full(n, np.nan)
        self.explicit_unknown = np.zeros(n, dtype=bool)
        self.text: list[str | None] = [None] * n


def _parse_uniques(uniques: pd.Series) -> _Parsed:
    n = len(uniques)
    res = _Parsed(n)
    values = uniques.to_numpy(dtype=object)
    kinds = np.array([_kind_of(v) for v in values], dtype=object)
    # datetimes
    idx = np.flatnonzero(kinds == "datetime")
    for i in idx:
        ts = pd.Timestamp(values[i])
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        res.days[i] = np.datetime64(ts.date(), "D")
        res.parsed[i] = True
        res.text[i] = str(values[i])
    # numbers
    idx = np.flatnonzero(kinds == "number")
    if len(idx):
        nums = np.array([float(values[i]) for i in idx])
        days, ok = _from_numbers(nums)
        res.days[idx] = days
        res.parsed[idx] = ok
        for i in idx:
            res.text[i] = _num_text(values[i])
    # strings
    idx = np.flatnonzero(kinds == "str")
    if len(idx):
        text = clean_text(pd.Series(values[idx], dtype="string"))
        unknown = unknown_kind(text).notna().to_numpy()
        lowered = _ascii_lower(text)
        months = _months()
        y = np.full(len(idx), np.nan)
        f1 = np.full(len(idx), np.nan)
        f2 = np.full(len(idx), np.nan)
        kind = np.empty(len(idx), dtype=object)
        digits = np.zeros(len(idx), dtype=bool)
        for j, low in enumerate(lowered):
            if unknown[j]:
                kind[j] = ""
                continue
            if _DIGITS.match(low):
                digits[j] = True
                kind[j] = "num"
                continue
            kind[j], f1[j], f2[j], y[j] = _fields(low, months)
        ymd = kind == "ymd"
        res.days[idx[ymd]] = _assemble(y[ymd], f1[ymd], f2[ymd])
        res.parsed[idx[ymd]] = True
        ab = kind == "ab"
        res.a[idx[ab]] = f1[ab]
        res.b[idx[ab]] = f2[ab]
        res.y[idx[ab]] = y[ab]
        res.parsed[idx[ab]] = True
        if digits.any():
            nums = np.array(
                [float(t.replace(",", ".")) for t in np.array(lowered)[digits]]
            )
            days, ok = _from_numbers(nums)
            res.days[idx[digits]] = days
            res.parsed[idx[digits]] = ok
        res.explicit_unknown[idx[unknown]] = True
        for j, t in zip(idx.tolist(), text.tolist(), strict=True):
            res.text[j] = t
    for i in np.flatnonzero(kinds == "other"):
        res.text[i] = str(values[i])
    return res


def _num_text(v) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() else repr(f)


def _kind_of(v) -> str:
    if isinstance(v, str):
        return "str"
    if isinstance(v, (bool, np.bool_)):
        return "other"
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        return "datetime" if not pd.isna(v) else "other"
    if isinstance(v, numbers.Real):
        return "number"
    return "other"


def _evidence(a: np.ndarray, b: np.ndarray, weights: np.ndarray) -> tuple[int, int]:
    """Rows proving day-first, rows proving month-first."""
    ok = ~np.isnan(a)
    day = ok & (a > 12) & (a <= 31) & (b <= 12)
    month = ok & (b > 12) & (b <= 31) & (a <= 12)
    return int(weights[day].sum()), int(weights[month].sum())


def _decide(day_rows: int, month_rows: int) -> bool | None:
    if day_rows == 0 and month_rows == 0:
        return None
    return day_rows >= month_rows


class _DateColumn:
    """A date column parsed once: codes, per-distinct-value fields, row weights."""

    def __init__(self, values: pd.Series):
        self.index = values.index
        self.direct = None
        if pd.api.types.is_datetime64_any_dtype(values):
            self.direct = values
            return
        if pd.api.types.is_bool_dtype(values):
            values = values.astype(object)
        self.codes, uniques = factorize(_strip_times(values))
        self.parsed = _parse_uniques(uniques)
        self.n_uniques = len(uniques)

    def evidence(self) -> tuple[int, int]:
        if self.direct is not None or self.n_uniques == 0:
            return 0, 0
        weights = np.bincount(self.codes[self.codes >= 0], minlength=self.n_uniques)
        return _evidence(self.parsed.a, self.parsed.b, weights)

    def finish(self, dayfirst: bool | None) -> tuple[pd.Series, pd.Series]:
        if self.direct is not None:
            return _from_datetimes(self.direct)
        index = self.index
        if self.n_uniques == 0:
            return pd.Series(pd.NaT, dtype=_DTYPE, index=index), empty_problems(index)
        parsed = self.parsed
        ab = ~np.isnan(parsed.a)
        if ab.any():
            if dayfirst is None:
                dayfirst = bool(_decide(*self.evidence()))
            day, month = (parsed.a, parsed.b) if dayfirst else (parsed.b, parsed.a)
            y = parsed.y[ab]
            parsed.days[ab] = _assemble(y, month[ab], day[ab])
            # say which order was used where the other order would have worked
            swapped = np.full(len(ab), np.datetime64("NaT"), dtype="datetime64[D]")
            swapped[ab] = _assemble(y, day[ab], month[ab])
            order = " (read day-first)" if dayfirst else " (read month-first)"
            for i in np.flatnonzero(ab & np.isnat(parsed.days) & ~np.isnat(swapped)):
                parsed.text[i] = f"{parsed.text[i]}{order}"
        days, problems = _judge(parsed)
        dates = pd.api.extensions.take(days.astype(_DTYPE), self.codes, allow_fill=True)
        probs = pd.api.extensions.take(
            pd.array(problems, dtype="string"), self.codes, allow_fill=True
        )
        return (
            pd.Series(dates, index=index, dtype=_DTYPE),
            pd.Series(probs, index=index, dtype="string"),
        )


def infer_dayfirst(*columns: pd.Series) -> bool | None:
    """Whether ``dd/mm/yyyy``-like cells are day-first, from the data alone.

    A first field above 12 proves day-first, a second field above 12 proves
    month-first; with proof on both sides the side with more rows wins.

    Returns
    -------
    bool or None
        ``True`` (day-first), ``False`` (month-first), or ``None`` when no
        cell proves either.

    Examples
    --------
    >>> import pandas as pd
    >>> infer_dayfirst(pd.Series(["01/02/2020", "15/03/2020"]))
    True
    >>> infer_dayfirst(pd.Series(["03/15/2020"]))
    False
    >>> infer_dayfirst(pd.Series(["01/02/2020"])) is None
    True
    """
    return _infer([_DateColumn(_as_series(c)) for c in columns])


def _infer(parsed_columns: list[_DateColumn]) -> bool | None:
    day_rows = month_rows = 0
    for column in parsed_columns:
        d, m = column.evidence()
        day_rows += d
        month_rows += m
    return _decide(day_rows, month_rows)


def _as_series(values) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(values)


def _strip_times(values: pd.Series) -> pd.Series:
    """Drop a trailing time of day from text cells when the column has times.

    Many distinct timestamps share few dates; cutting the time first keeps the
    per-distinct-value work small.
    """
    if not (isinstance(values.dtype, pd.StringDtype) or values.dtype == object):
        return values
    head = values.iloc[:200].dropna()
    if not any(isinstance(v, str) and ":" in v for v in head.tolist()):
        return values
    if values.dtype == object and pd.api.types.infer_dtype(values) != "string":
        return values
    arr = _to_arrow(values.astype("string").array)
    cut = pc.replace_substring_regex(
        arr,
        r"(?i)(?:[ T]|,\s*)\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:am|pm|h)?\s*"
        r"(?:z|utc|gmt|[+-]\d{2}:?\d{2})?\s*$",
        "",
    )
    return pd.Series(
        pd.arrays.ArrowStringArray(cut), index=values.index, dtype="string"
    )


def normalize_date(
    values: pd.Series, dayfirst: bool | None = None
) -> tuple[pd.Series, pd.Series]:
    """Read dates in any common form; return day-precision dates and problems.

    Parameters
    ----------
    values : pandas.Series
        Raw cells: text, numbers (Excel serials, Unix timestamps, ``yyyymmdd``)
        or datetimes.
    dayfirst : bool, optional
        Whether ``01/02/2020`` is 1 February. ``None`` lets the column decide
        (see the module notes); ambiguous columns without proof are read
        month-first.

    Returns
    -------
    dates : pandas.Series
        ``datetime64[s]`` at midnight, same index; NaT when unknown.
    problems : pandas.Series
        "impossible date 31/02/2020", "implausible date 1850-01-01 (before
        1900)", "unparseable date 'hier'"; null when fine or explicitly
        unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> dates, problems = normalize_date(
    ...     pd.Series(["15 mars 2020", "3 de março de 2019", "March 5, 2020",
    ...                "2019-03-04 13:45:00", 43831, "31/02/2020", "inconnu"]),
    ...     dayfirst=True)
    >>> dates.dt.strftime("%Y-%m-%d").tolist()
    ['2020-03-15', '2019-03-03', '2020-03-05', '2019-03-04', '2020-01-01', nan, nan]
    >>> problems.dropna().tolist()
    ['impossible date 31/02/2020']
    """
    values = _as_series(values)
    if len(values) == 0:
        return pd.Series([], dtype=_DTYPE, index=values.index), empty_problems(
            values.index
        )
    return _DateColumn(values).finish(dayfirst)


def _judge(parsed: _Parsed) -> tuple[np.ndarray, list[str | None]]:
    """Null the impossible and implausible dates and say why."""
    days = parsed.days.copy()
    problems: list[str | None] = [None] * len(days)
    early, late = EARLIEST_DATE, _latest()
    for i in range(len(days)):
        if parsed.explicit_unknown[i]:
            continue
        text = parsed.text[i]
        if np.isnat(days[i]):
            if parsed.parsed[i] and text is not None:
                problems[i] = f"impossible date {text}"
            elif text is not None and text != "":
                problems[i] = f"unparseable date {text!r}"
            continue
        if days[i] < early:
            problems[i] = (
                f"implausible date {text} (before {early.astype(object).year})"
            )
            days[i] = np.datetime64("NaT")
        elif days[i] > late:
            problems[i] = f"implausible date {text} (more than a year from today)"
            days[i] = np.datetime64("NaT")
    return days, problems


def _from_datetimes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)
    days = values.dt.floor("D").astype(_DTYPE)
    bad = (days < pd.Timestamp(EARLIEST_DATE)) | (days > pd.Timestamp(_latest()))
    problems = empty_problems(values.index)
    if bad.any():
        text = days[bad].dt.strftime("%Y-%m-%d")
        early = days[bad] < pd.Timestamp(EARLIEST_DATE)
        why = np.where(early, " (before 1900)", " (more than a year from today)")
        problems[bad] = ("implausible date " + text + why).to_numpy()
        days = days.mask(bad)
    return days, problems
