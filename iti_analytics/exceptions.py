"""Errors raised on purpose by iti_analytics, all rooted in :class:`ITIError`."""

from __future__ import annotations

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

__all__ = [
    "ITIError",
    "FileFormatError",
    "EmptyFileError",
    "MissingFileError",
    "EncodingDetectionError",
    "MappingError",
    "SchemaError",
    "InvalidParameterError",
    "NotFittedError",
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


class NotFittedError(ITIError, _SklearnNotFittedError):
    """An estimator was used before ``fit``.

    Also a scikit-learn ``NotFittedError`` (so a ``ValueError`` and an
    ``AttributeError``), which is what scikit-learn's estimator checks expect.
    """
