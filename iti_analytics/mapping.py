"""Map source column headers to canonical fields (explicit, TOML or by synonyms).

Headers are matched against ``reference/headers.csv`` (English, French, Spanish
and Portuguese synonyms of every canonical field), case-, accent-, punctuation-
and whitespace-insensitively. An explicit mapping may name only some columns:
the rest are mapped automatically. Headers that match nothing are kept as
``x_<slug>`` columns, never dropped.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .exceptions import MappingError
from .schema import TABLES

__all__ = [
    "ColumnMapping",
    "MappingSpec",
    "header_key",
    "extra_name",
    "synonyms",
    "map_columns",
    "read_mapping_file",
]

#: articles and prepositions ignored when comparing headers ("Date de saisie").
_STOPWORDS = frozenset(
    "de du des d l la le les of the do da dos das del el los las".split()
)
_ORDINALS = str.maketrans({"°": " ", "º": " ", "ª": " ", "№": " "})
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"[^\W_]+")
#: settings a TOML mapping file may hold besides ``[columns]``.
_TOML_SETTINGS = ("dayfirst", "source", "encoding", "sheet", "delimiter", "table")


def _tokens(text: Any) -> list[str]:
    s = str(text)[:300].translate(_ORDINALS)
    s = _CAMEL.sub(" ", s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    return _WORD.findall(s)


def header_key(text: Any) -> str:
    """Comparison key of a header: no case, accents, punctuation, spaces or articles.

    Examples
    --------
    >>> header_key("N° de Série"), header_key("numero_de_serie"), header_key("SerialNo")
    ('nserie', 'numeroserie', 'serialno')
    >>> header_key("Date de saisie") == header_key("DATE  SAISIE")
    True
    """
    words = _tokens(text)
    kept = [w for w in words if w not in _STOPWORDS]
    return "".join(kept or words)


def extra_name(text: Any, position: int | None = None) -> str:
    """The ``x_<slug>`` name under which an unmapped column is kept.

    Examples
    --------
    >>> extra_name("Circunscrição"), extra_name("Controle Interno SCO")
    ('x_circunscricao', 'x_controle_interno_sco')
    >>> extra_name("", position=4)
    'x_column_5'
    """
    text = "" if text is None else str(text)
    if text.startswith("x_") and re.fullmatch(r"x_\w+", text):
        return text
    words = [w.encode("ascii", "ignore").decode() or w for w in _tokens(text)]
    slug = "_".join(w for w in words if w)
    if not slug:
        slug = f"column_{(position or 0) + 1}"
    return f"x_{slug}"


@cache
def _index(table: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """(key -> field, keys) for ``table``: canonical names first, then synonyms."""
    from .reference import load_reference

    fields = TABLES[table]
    index: dict[str, str] = {}
    for name in fields:
        index.setdefault(header_key(name), name)
    ref = load_reference("headers")
    ref = ref[ref["table"] == table]
    for fld, syn in zip(ref["field"], ref["synonym"], strict=True):
        if fld in fields:
            index.setdefault(header_key(syn), fld)
    return index, tuple(index)


def synonyms(table: str = "items") -> dict[str, list[str]]:
    """Canonical field -> the header synonyms shipped for it (as written).

    Examples
    --------
    >>> "Número de Série".lower() in [s.lower() for s in synonyms()["serial"]]
    True
    """
    from .reference import load_reference

    _check_table(table)
    ref = load_reference("headers")
    ref = ref[ref["table"] == table]
    out: dict[str, list[str]] = {f: [] for f in TABLES[table]}
    for fld, syn in zip(ref["field"], ref["synonym"], strict=True):
        out.setdefault(fld, []).append(syn)
    return out


def _check_table(table: str) -> None:
    if table not in TABLES:
        from ._validation import check_option

        check_option("table", table, TABLES)


def match_header(
    header: Any, table: str = "items", *, fuzzy: bool = True
) -> str | None:
    """The canonical field a header means, or None.

    Exact synonym match first; then, if ``fuzzy``, a close spelling (RapidFuzz
    ratio >= 90 on keys of 6 letters or more) to catch typos such as "Calibr".

    Examples
    --------
    >>> match_header("Marque"), match_header("País"), match_header("Colour")
    ('make', 'country', None)
    >>> match_header("Numero de serei")
    'serial'
    """
    index, keys = _index(table)
    key = header_key(header)
    if not key:
        return None
    found = index.get(key)
    if found is not None or not fuzzy or len(key) < 6:
        return found
    from rapidfuzz import fuzz, process

    best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=90)
    return index[best[0]] if best else None


@dataclass
class MappingSpec:
    """An explicit mapping and the load settings that may travel with it."""

    columns: dict[str, str | None] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    path: str | None = None


def read_mapping_file(path: str | os.PathLike) -> MappingSpec:
    """Read a TOML mapping file: ``[columns]`` plus optional load settings.

    The ``[columns]`` table maps source headers to canonical fields (or fields
    to headers); top-level keys ``dayfirst``, ``source``, ``encoding``,
    ``sheet``, ``delimiter`` and ``table`` set the matching ``read_*`` options.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rio.toml"
    >>> text = 'dayfirst = true\\n[columns]\\n"País" = "country_of_manufacture"\\n'
    >>> _ = p.write_text(text, encoding="utf-8")
    >>> spec = read_mapping_file(p)
    >>> spec.columns, spec.settings
    ({'País': 'country_of_manufacture'}, {'dayfirst': True})
    """
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError as err:
        raise MappingError(
            f"Mapping file {str(p)!r} does not exist; pass the path of a TOML file "
            "with a [columns] table, or a dict."
        ) from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise MappingError(
            f"Mapping file {str(p)!r} is not valid TOML ({err}); write it as "
            '[columns] then lines like "Número de Série" = "serial".'
        ) from err
    cols = doc.get("columns", {})
    if not isinstance(cols, dict):
        raise MappingError(
            f"In mapping file {str(p)!r}, `columns` must be a table such as "
            '[columns]\\n"Marque" = "make".'
        )
    unknown = sorted(set(doc) - {"columns", *_TOML_SETTINGS})
    if unknown:
        raise MappingError(
            f"Mapping file {str(p)!r} has unknown keys {unknown}; allowed are "
            f"[columns] and {list(_TOML_SETTINGS)}."
        )
    columns = {str(k): (None if v in ("", None) else str(v)) for k, v in cols.items()}
    settings = {k: doc[k] for k in _TOML_SETTINGS if k in doc}
    return MappingSpec(columns=columns, settings=settings, path=str(p))


@dataclass
class ColumnMapping:
    """How the headers of one source map to the columns of a canonical table.

    Attributes
    ----------
    headers : list of str
        The source headers, in file order (duplicates allowed).
    names : list of str
        The output column name for each header: a canonical field or ``x_*``.
    how : list of str
        ``"explicit"``, ``"synonym"`` or ``"fuzzy"`` for mapped headers,
        ``"unmapped"`` for the others.
    notes : list of str
        Headers that also matched an already taken field, and similar remarks.
    """

    table: str
    headers: list[str]
    names: list[str]
    how: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, str]:
        """Source header -> canonical field, for the mapped headers."""
        fields = TABLES[self.table]
        out: dict[str, str] = {}
        for h, n in zip(self.headers, self.names, strict=True):
            if n in fields and h not in out:
                out[h] = n
        return out

    @property
    def unmapped(self) -> list[str]:
        """Source headers kept as ``x_*`` columns."""
        fields = TABLES[self.table]
        return [
            h for h, n in zip(self.headers, self.names, strict=True) if n not in fields
        ]

    @property
    def extras(self) -> dict[str, str]:
        """Unmapped source header -> its ``x_*`` column name."""
        fields = TABLES[self.table]
        return {
            h: n
            for h, n in zip(self.headers, self.names, strict=True)
            if n not in fields
        }


def _explicit_pairs(
    mapping: Mapping[str, Any], headers: Sequence[str], table: str, where: str
) -> dict[str, str | None]:
    """Orient an explicit mapping as {source header -> field or None}."""
    fields = TABLES[table]

    def is_target(v: Any) -> bool:
        return (
            v is None
            or v == ""
            or v in fields
            or (isinstance(v, str) and v.startswith("x_"))
        )

    keys = [str(k) for k in mapping]
    values = list(mapping.values())
    header_keys = {header_key(h) for h in headers}
    forward = sum(is_target(v) for v in values)  # header -> field
    backward = sum(k in fields for k in keys)  # field -> header
    if forward == backward == 0:
        # neither side canonical: decide by which side names the file's headers.
        forward = sum(header_key(k) in header_keys for k in keys)
        backward = sum(header_key(str(v)) in header_keys for v in values)
    if backward > forward:
        pairs = {}
        for k, v in mapping.items():
            if k not in fields:
                raise _unknown_field(k, table, where)
            if v is None or v == "":
                continue
            pairs[str(v)] = str(k)
        return pairs
    pairs = {}
    for k, v in mapping.items():
        if not is_target(v):
            raise _unknown_field(v, table, where)
        pairs[str(k)] = None if v in (None, "") else str(v)
    return pairs


def _unknown_field(name: Any, table: str, where: str) -> MappingError:
    import difflib

    valid = list(TABLES[table])
    close = difflib.get_close_matches(str(name), valid, n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return MappingError(
        f"The mapping{where} names {name!r}, which is not a field of the "
        f"{table!r} table.{hint} Valid fields: {valid}."
    )


def map_columns(
    headers: Sequence[Any],
    table: str = "items",
    mapping: Mapping[str, Any] | None = None,
    *,
    where: str = "",
    fuzzy: bool = True,
) -> ColumnMapping:
    """Decide the output column of every source header.

    Explicit pairs first (matched to the headers exactly, else by
    :func:`header_key`); the remaining headers by synonym. When two headers
    would map to one field, the first (explicit ones first, then in file order)
    wins and the other is kept as ``x_*`` with a note.

    Parameters
    ----------
    headers : sequence of str
        Source column headers in file order.
    table : str
        Canonical table: ``items``, ``traces``, ``actors`` or ``movements``.
    mapping : dict, optional
        {source header -> field} or {field -> source header}; the orientation
        is detected from which side holds canonical field names. A value of
        ``None`` keeps that header as an ``x_*`` column.
    where : str
        Text naming the input in error messages (e.g. `` for 'a.csv'``).
    fuzzy : bool
        Also match close misspellings of known headers.

    Returns
    -------
    ColumnMapping

    Raises
    ------
    MappingError
        Unknown field, or none of the mapped headers is in the source (a
        mapping shared by several files may name headers that only some of
        them have: those are noted, not errors).

    Examples
    --------
    >>> m = map_columns(["Marca", "Calibre", "Cor", "País"],
    ...                 mapping={"País": "country_of_manufacture"})
    >>> m.fields
    {'Marca': 'make', 'Calibre': 'calibre', 'País': 'country_of_manufacture'}
    >>> m.extras
    {'Cor': 'x_cor'}
    """
    _check_table(table)
    fields = TABLES[table]
    headers = ["" if h is None else str(h) for h in headers]
    names: list[str | None] = [None] * len(headers)
    how = ["unmapped"] * len(headers)
    notes: list[str] = []
    taken: dict[str, str] = {}

    if mapping:
        pairs = _explicit_pairs(mapping, headers, table, where)
        keys = [header_key(h) for h in headers]
        missing = []
        for src, target in pairs.items():
            pos = [i for i, h in enumerate(headers) if h == src]
            if not pos:
                pos = [i for i, k in enumerate(keys) if k and k == header_key(src)]
            if not pos:
                missing.append(src)
                continue
            i = pos[0]
            if target is None:
                how[i] = "explicit"
                names[i] = ""  # placeholder: kept as x_ below
                continue
            if target in taken:
                notes.append(
                    f"{src!r} and {taken[target]!r} are both mapped to {target!r}; "
                    f"{src!r} kept as an extra column."
                )
                continue
            names[i] = target
            how[i] = "explicit"
            taken[target] = src
        if missing and len(missing) == len(pairs):
            shown = [h if len(h) <= 60 else h[:57] + "..." for h in headers[:30]]
            raise MappingError(
                f"The mapping{where} names the column(s) {missing}, but the source "
                f"has none of them; its headers are {shown}. Fix the header names "
                "in the mapping (case and accents do not matter)."
            )
        if missing:
            notes.append(
                f"mapped column(s) {missing} not in this source; ignored (the other "
                "mapped columns were found)."
            )

    for i, h in enumerate(headers):
        if names[i] is not None:
            continue
        target = match_header(h, table, fuzzy=False)
        if target is None and "." in h.strip("."):  # nested JSON: "location.lat"
            target = match_header(h.rsplit(".", 1)[1], table, fuzzy=False)
        kind = "synonym"
        if target is None and fuzzy:
            target = match_header(h, table, fuzzy=True)
            kind = "fuzzy"
        if target is None:
            continue
        if target in taken:
            notes.append(
                f"{h!r} also matches {target!r}, already taken by {taken[target]!r}; "
                f"kept as an extra column."
            )
            continue
        names[i] = target
        how[i] = kind
        taken[target] = h

    used = set(fields)
    next_number: dict[str, int] = {}  # per base name, so 50,000 repeats stay linear
    out: list[str] = []
    for i, h in enumerate(headers):
        n = names[i]
        if n and n in fields:
            out.append(n)
            continue
        base = n if n and n.startswith("x_") else extra_name(h, position=i)
        name, k = base, next_number.get(base, 2)
        while name in used:
            name, k = f"{base}_{k}", k + 1
        next_number[base] = k
        used.add(name)
        out.append(name)
    return ColumnMapping(table=table, headers=headers, names=out, how=how, notes=notes)
