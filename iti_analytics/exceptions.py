"""Errors raised on purpose by iti_analytics, all rooted in :class:`ITIError`."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

__all__ = [
    "ITIError",
    "FileFormatError",
    "EmptyFileError",
    "MissingFileError",
    "EncodingDetectionError",
    "MappingError",
    "SchemaError",
    "InvalidParameterError",
    "NotFittedError",  # noqa: F822 (defined on first use, see __getattr__)
    "ITIWarning",
    "DataQualityWarning",
    "TracingWarning",
    "NoDataWarning",
    "warn",
]


class ITIError(Exception):
    """Base class of every error iti_analytics raises on purpose.

    Catch this to handle any user-facing problem (unusable file, bad option,
    invalid table) in one place. Messages name the input, the problem and the
    fix.
    """


class FileFormatError(ITIError, ValueError):
    """A file is not in a format the readers can use (binary, PDF, beyond repair)."""


class EmptyFileError(FileFormatError):
    """A file holds no data at all (zero bytes, or only blank lines)."""


class MissingFileError(ITIError, FileNotFoundError):
    """The path given to a reader does not exist (also a ``FileNotFoundError``)."""


class EncodingDetectionError(FileFormatError, UnicodeError):
    """A text file cannot be decoded as UTF-8, UTF-8 with BOM or cp1252/Latin-1."""


class MappingError(ITIError, ValueError):
    """Column mapping is wrong: unknown canonical field, missing header, bad TOML."""


class SchemaError(ITIError, ValueError):
    """A canonical table breaks the schema (unknown vocabulary, wrong dtype, bad id).

    Attributes
    ----------
    failure_cases : pandas.DataFrame or None
        One row per failing check: ``table``, ``column``, ``check``, ``value``,
        ``count`` (as pandera's ``failure_cases``).
    """

    def __init__(self, message: str, failure_cases=None):
        super().__init__(message)
        self.failure_cases = failure_cases


class InvalidParameterError(ITIError, ValueError):
    """A function argument has a value the function cannot use."""


class ITIWarning(UserWarning):
    """Base class of every warning iti_analytics gives.

    Silence them all with ``warnings.simplefilter("ignore", ITIWarning)``.
    """


class DataQualityWarning(ITIWarning):
    """Some records were left out of an indicator because their data are wrong.

    The warning gives the counts; ``result.attrs["issues"]`` (see
    :func:`iti_analytics.indicators.indicator_issues`) lists every record and
    the reason.
    """


class TracingWarning(ITIWarning):
    """A tracing function could not use part of the data (it says which and why).

    The same sentences are kept in the result's ``attrs["notes"]``.
    """


class NoDataWarning(ITIWarning):
    """A function had records but its options or the data left none to use.

    The message gives the counts by reason; the result is empty.
    """


_PACKAGE = str(Path(__file__).resolve().parent)


def _outside_package(filename: str) -> bool:
    return not str(Path(filename).resolve()).startswith(_PACKAGE)


def warn(message: str, category: type[Warning] = ITIWarning) -> None:
    """Warn with ``category``, pointing at the caller's line outside the package.

    The stack is walked up to the first frame whose file is not inside
    iti_analytics, so the warning names the user's line (a notebook cell, a
    script), however deep inside the package it was raised.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("3 records left out", DataQualityWarning)
    >>> caught[0].category.__name__, caught[0].filename.startswith("<doctest")
    ('DataQualityWarning', True)
    """
    level = 1
    frame = sys._getframe(1)
    while frame is not None and not _outside_package(frame.f_code.co_filename):
        level += 1
        frame = frame.f_back
    warnings.warn(message, category, stacklevel=level + 1)


def _not_fitted_error() -> type:
    # scikit-learn is imported only when NotFittedError is first used, so that
    # ``import iti_analytics`` does not pay for it.
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    class NotFittedError(ITIError, SklearnNotFittedError):
        """An estimator was used before ``fit``.

        Also a scikit-learn ``NotFittedError`` (so a ``ValueError`` and an
        ``AttributeError``), which is what scikit-learn's estimator checks expect.
        """

    NotFittedError.__module__ = __name__
    NotFittedError.__qualname__ = "NotFittedError"
    return NotFittedError


def __getattr__(name: str) -> type:
    if name == "NotFittedError":
        cls = _not_fitted_error()
        globals()["NotFittedError"] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
