"""Small argument checks shared by the public functions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .exceptions import InvalidParameterError

__all__ = ["check_option", "as_date"]


def check_option(name: str, value: Any, options: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``options``, else raise a helpful error.

    The one helper that writes every "bad option" message, as seaborn does.

    Examples
    --------
    >>> check_option("language", "fr", ["en", "fr"])
    'fr'
    >>> check_option("language", "de", ["en", "fr"])
    Traceback (most recent call last):
    ...
    iti_analytics.exceptions.InvalidParameterError: The value for `language` must be ...
    """
    options = list(options)
    if value not in options:
        raise InvalidParameterError(
            f"The value for `{name}` must be one of {options}, "
            f"but {value!r} was passed."
        )
    return value


def as_date(value: Any, name: str = "as_of") -> Any:
    """A user's date (text, ``date``, ``datetime``, Timestamp) as a day Timestamp.

    The one parser of reference dates such as ``as_of``: time of day and time
    zone are dropped. Anything that is not a date raises a helpful error.

    Examples
    --------
    >>> as_date("2024-06-30 17:45")
    Timestamp('2024-06-30 00:00:00')
    >>> as_date("soon")
    Traceback (most recent call last):
    ...
    iti_analytics.exceptions.InvalidParameterError: `as_of` must be a date such as ...
    """
    import pandas as pd

    message = f"`{name}` must be a date such as '2024-06-30', but {value!r} was passed."
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise InvalidParameterError(message) from err
    if ts is pd.NaT:
        raise InvalidParameterError(message)
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.floor("D")
