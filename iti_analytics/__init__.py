"""iti_analytics: analytics for tracing illicit small arms and light weapons.

Load messy seizure and trace records from several agencies into one canonical
dataset, link them into a network, choose what to trace under limited capacity,
measure trace operations and indicators (SDG 16.4.2), and write briefings.
"""

from __future__ import annotations

from . import schema
from .exceptions import (
    EmptyFileError,
    EncodingDetectionError,
    FileFormatError,
    InvalidParameterError,
    ITIError,
    MappingError,
    NotFittedError,
    SchemaError,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "__version__",
    "schema",
    "ITIError",
    "FileFormatError",
    "EmptyFileError",
    "EncodingDetectionError",
    "MappingError",
    "SchemaError",
    "InvalidParameterError",
    "NotFittedError",
]
