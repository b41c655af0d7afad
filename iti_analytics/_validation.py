"""Small argument checks shared by the public functions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .exceptions import InvalidParameterError

__all__ = ["check_option"]


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
