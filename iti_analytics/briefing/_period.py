"""The period a briefing reports on, and the one it is compared with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..exceptions import InvalidParameterError
from ._i18n import Strings

__all__ = ["Period", "resolve_period"]

_KINDS = {"Y": "year", "Q": "quarter", "M": "month"}


@dataclass(frozen=True)
class Period:
    """A span of days (both ends included) and how to name it.

    ``kind`` is ``"year"``, ``"quarter"``, ``"month"``, ``"twelve_months"``
    (the 12 months to a date) or ``"range"``.

    Examples
    --------
    >>> p = resolve_period(2024, last=pd.Timestamp("2024-12-31"))
    >>> p.label(Strings("fr")), p.previous().label(Strings("fr"))
    ('2024', '2023')
    """

    start: pd.Timestamp
    end: pd.Timestamp
    kind: str

    def contains(self, dates: pd.Series) -> pd.Series:
        """Boolean mask of ``dates`` within the period (null dates: False)."""
        dates = pd.to_datetime(dates)
        return ((dates >= self.start) & (dates <= self.end)).fillna(False).astype(bool)

    def bounds(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """``(start, end)``."""
        return self.start, self.end

    def previous(self) -> Period:
        """The period just before, of the same kind and length."""
        if self.kind in ("year", "twelve_months"):
            return Period(
                self.start - pd.DateOffset(years=1),
                self.start - pd.Timedelta(days=1),
                self.kind,
            )
        if self.kind == "quarter":
            p = pd.Period(self.start, freq="Q") - 1
            return Period(p.start_time.normalize(), p.end_time.normalize(), self.kind)
        if self.kind == "month":
            p = pd.Period(self.start, freq="M") - 1
            return Period(p.start_time.normalize(), p.end_time.normalize(), self.kind)
        days = self.end - self.start
        end = self.start - pd.Timedelta(days=1)
        return Period(end - days, end, "range")

    def label(self, s: Strings) -> str:
        """The period in words: ``2024``, ``Q3 2024``, ``June 2024``..."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return s("period.quarter", q=self.start.quarter, year=self.start.year)
        if self.kind == "month":
            return s.month(self.start)
        if self.kind == "twelve_months":
            return s("period.twelve_months", end=s.date(self.end))
        return s("period.range", start=s.date(self.start), end=s.date(self.end))


def resolve_period(period: Any, last: pd.Timestamp | None) -> Period:
    """The reporting period from the ``period`` argument of ``write_briefing``.

    Parameters
    ----------
    period : None, int, str, pandas.Period or (start, end)
        None: the 12 months to the last recovery in the data (a calendar year
        when the data end on 31 December). A year (``2024``), a quarter
        (``"2024Q3"``) or a month (``"2024-06"``); or two dates.
    last : Timestamp or None
        The last recovery date in the data.

    Examples
    --------
    >>> resolve_period(None, pd.Timestamp("2024-06-30"))
    Period(start=Timestamp('2023-07-01 00:00:00'), end=Timestamp('2024-06-30 00:00:00'), kind='twelve_months')
    >>> resolve_period("2024Q3", None).previous().start
    Timestamp('2024-04-01 00:00:00')
    >>> resolve_period(("2024-01-01", "2024-03-31"), None).previous().end
    Timestamp('2023-12-31 00:00:00')
    """  # noqa: E501
    if period is None:
        end = (last if last is not None else pd.Timestamp.today()).normalize()
        start = end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
        if end.month == 12 and end.day == 31:
            return Period(start, end, "year")
        return Period(start, end, "twelve_months")
    if isinstance(period, tuple | list) and len(period) == 2:
        try:
            start, end = (pd.Timestamp(v).normalize() for v in period)
        except (TypeError, ValueError) as err:
            raise _bad(period) from err
        if end < start:
            raise _bad(period)
        return Period(start, end, "range")
    if isinstance(period, bool):
        raise _bad(period)
    if isinstance(period, int):
        period = str(period)
    if isinstance(period, str):
        text = period.strip()
        freq = "Y" if text.isdigit() else "Q" if "Q" in text.upper() else "M"
        try:
            period = pd.Period(text, freq=freq)
        except (TypeError, ValueError) as err:
            raise _bad(period) from err
    if isinstance(period, pd.Period):
        code = period.freqstr[0].upper()
        code = "Y" if code == "A" else code
        if code not in _KINDS:
            raise _bad(period)
        return Period(
            period.start_time.normalize(), period.end_time.normalize(), _KINDS[code]
        )
    raise _bad(period)


def _bad(period: Any) -> InvalidParameterError:
    return InvalidParameterError(
        f"`period` must be a year (2024), a quarter ('2024Q3'), a month "
        f"('2024-06') or a (start, end) pair of dates, but {period!r} was passed."
    )
