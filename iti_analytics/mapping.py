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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ._text import strip_accents
from .exceptions import MappingError
from .schema import TABLES

__all__ = [
    "ColumnMapping",
    "MappingSpec",
    "MappingWarning",
    "read_mapping_items",
    "apply_constants_and_values",
    "sense_checks",
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
    s = strip_accents(s).casefold()
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


class MappingWarning(UserWarning):
    """A mapped column whose values do not look like the field it is mapped to."""


@dataclass
class MappingSpec:
    """An explicit mapping and the load settings that may travel with it.

    Attributes
    ----------
    columns : dict
        Source header -> canonical field (or ``x_*``, or None to keep as extra).
    constants : dict
        Canonical field -> one value for every row (``country="BRA"``,
        ``status="seized"``); where the field is also mapped from a column, the
        constant fills that column's empty cells.
    values : dict
        Source header (or the field it is mapped to) -> {value as written ->
        value to use}: code lists such as ISP's ``origem`` (1, 2, 88) or an
        offence column read as a status. The key ``"*"`` stands for any other
        non-empty value. The original column is kept as ``x_*``.
    """

    columns: dict[str, str | None] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    constants: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)


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
    unknown = sorted(set(doc) - {"columns", "constants", "values", *_TOML_SETTINGS})
    if unknown:
        raise MappingError(
            f"Mapping file {str(p)!r} has unknown keys {unknown}; allowed are "
            f"[columns], [constants], [values.<header>] and {list(_TOML_SETTINGS)}."
        )
    columns = {str(k): (None if v in ("", None) else str(v)) for k, v in cols.items()}
    settings = {k: doc[k] for k in _TOML_SETTINGS if k in doc}
    spec = MappingSpec(columns=columns, settings=settings, path=str(p))
    return _with_constants_and_values(
        spec, doc.get("constants", {}), doc.get("values", {}), f" in {str(p)!r}"
    )


def _with_constants_and_values(
    spec: MappingSpec, constants: Any, values: Any, where: str
) -> MappingSpec:
    """``spec`` with checked constants and value lists."""
    table = str(spec.settings.get("table", "items"))
    fields = TABLES.get(table, TABLES["items"])
    if not isinstance(constants, Mapping) or not isinstance(values, Mapping):
        raise MappingError(
            f"The mapping{where} must give constants as a table such as "
            '[constants]\ncountry = "BRA", and value lists as tables such as '
            '[values."origem"]\n"1" = "foreign".'
        )
    for name in constants:
        if name not in fields:
            raise _unknown_field(name, table, where)
    for header, codes in values.items():
        if not isinstance(codes, Mapping):
            raise MappingError(
                f"The value list for {header!r}{where} must be a table of "
                f'"value as written" = "value to use", not {codes!r}.'
            )
    spec.constants.update({str(k): v for k, v in constants.items()})
    for header, codes in values.items():
        spec.values[str(header)] = {
            _code_key(k): (None if v in ("", None) else v) for k, v in codes.items()
        }
    return spec


def _code_key(value: Any) -> str:
    """How a value-list entry and a cell are compared: trimmed, case-folded text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()).casefold()


def read_mapping_items(items: Sequence[str] | str) -> MappingSpec:
    """A mapping from command-line items: columns, constants and value lists.

    ``Header=field`` maps a column; ``field:=VALUE`` sets a constant;
    ``Header:VALUE=target`` adds an entry to the header's value list (``*`` for
    any other value). Items may be given as a list or one string separated by
    ``;``.

    Examples
    --------
    >>> spec = read_mapping_items(
    ...     "País=country_of_manufacture; country:=BRA; status:=seized; "
    ...     "origem=x_origin; origem:1=foreign; origem:2=domestic; origem:88=")
    >>> spec.columns
    {'País': 'country_of_manufacture', 'origem': 'x_origin'}
    >>> spec.constants, spec.values
    ({'country': 'BRA', 'status': 'seized'}, {'origem': {'1': 'foreign', '2': \
'domestic', '88': None}})
    """
    if isinstance(items, str):
        items = [i for i in items.split(";")]
    columns: dict[str, str | None] = {}
    constants: dict[str, Any] = {}
    values: dict[str, dict[str, Any]] = {}
    for item in items:
        item = item.strip()
        if not item:
            continue
        if ":=" in item:
            name, value = item.split(":=", 1)
            constants[name.strip()] = value.strip()
        elif "=" in item and ":" in item.split("=", 1)[0]:
            left, target = item.split("=", 1)
            header, value = left.split(":", 1)
            values.setdefault(header.strip(), {})[value.strip()] = target.strip()
        elif "=" in item:
            header, target = item.split("=", 1)
            columns[header.strip()] = target.strip() or None
        else:
            raise MappingError(
                f"Cannot read the mapping item {item!r}: write Header=field, "
                "field:=VALUE (a constant) or Header:VALUE=target (a value list)."
            )
    return _with_constants_and_values(
        MappingSpec(columns=columns), constants, values, " on the command line"
    )


def spec_from_dict(mapping: Mapping[str, Any]) -> MappingSpec:
    """A :class:`MappingSpec` from a Python dict.

    Either ``{header: field}`` (with ``field: "=VALUE"`` entries for
    constants, e.g. ``{"País": "country_of_manufacture", "country": "=BRA"}``)
    or the TOML layout ``{"columns": {...}, "constants": {...}, "values":
    {header: {value: target}}}`` plus any load settings.

    Examples
    --------
    >>> spec = spec_from_dict({"País": "country_of_manufacture", "country": "=BRA"})
    >>> spec.columns, spec.constants
    ({'País': 'country_of_manufacture'}, {'country': 'BRA'})
    """
    sections = {"columns", "constants", "values", *_TOML_SETTINGS}
    if (
        mapping
        and set(mapping) <= sections
        and (
            isinstance(mapping.get("columns"), Mapping)
            or "constants" in mapping
            or "values" in mapping
        )
    ):
        columns = {
            str(k): (None if v in ("", None) else str(v))
            for k, v in dict(mapping.get("columns", {})).items()
        }
        settings = {k: mapping[k] for k in _TOML_SETTINGS if k in mapping}
        spec = MappingSpec(columns=columns, settings=settings)
        return _with_constants_and_values(
            spec, mapping.get("constants", {}), mapping.get("values", {}), ""
        )
    columns, constants = {}, {}
    for k, v in mapping.items():
        if isinstance(v, str) and v.startswith("=") and len(v) > 1:
            constants[str(k)] = v[1:]
        else:
            columns[k] = v
    return _with_constants_and_values(MappingSpec(columns=columns), constants, {}, "")


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


def apply_constants_and_values(
    frame: Any, spec: MappingSpec, mapping: ColumnMapping
) -> Any:
    """The renamed raw frame with value lists applied and constants filled.

    A value list rewrites its column (each distinct value once; ``"*"`` for
    any other non-empty value; values not listed are kept as written) and,
    when the column went to a canonical field, keeps the original as ``x_*``.
    A constant fills its field where the source has no column or an empty
    cell. Returns a new frame; ``frame`` is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"x_origem": [1, 2, 88], "status": ["Roubo", "", None]})
    >>> spec = MappingSpec(constants={"country": "BRA", "status": "seized"},
    ...                    values={"origem": {"1": "foreign", "2": "domestic",
    ...                                       "88": None}})
    >>> m = map_columns(["origem", "status"], mapping={"origem": "x_origem"})
    >>> apply_constants_and_values(raw, spec, m)
       x_origem status country
    0   foreign  Roubo     BRA
    1  domestic seized     BRA
    2      <NA> seized     BRA
    """
    import pandas as pd

    from .normalize import as_text

    if not spec.constants and not spec.values:
        return frame
    out = frame.copy(deep=False)
    by_header = dict(zip(mapping.headers, mapping.names, strict=True))
    by_key = {header_key(h): n for h, n in by_header.items()}
    fields = TABLES[mapping.table]
    for header, codes in spec.values.items():
        column = by_header.get(header) or by_key.get(header_key(header))
        if column is None and header in out.columns:
            column = header  # keyed by the field it was mapped to
        if column is None or column not in out.columns:
            continue
        values = out[column]
        uniques = pd.Series(pd.unique(values.dropna()), dtype=object)
        text = as_text(uniques.reset_index(drop=True))
        table = {}
        for value, written in zip(uniques, text.tolist(), strict=True):
            key = _code_key(written)
            if key in codes:
                table[value] = codes[key]
            elif "*" in codes and key:
                table[value] = codes["*"]
            else:
                table[value] = value
        mapped = values.map(table)
        if column in fields:
            original = extra_name(header)
            if original not in out.columns:
                out[original] = values
        out[column] = mapped.astype("string") if len(table) else mapped
    for name, value in spec.constants.items():
        if name in out.columns:
            current = out[name]
            blank = current.isna() | (current.astype("string").str.strip() == "")
            out[name] = current.astype(object).mask(blank.fillna(True), value)
        else:
            out[name] = pd.Series(value, index=out.index, dtype="string")
    return out


#: share of rows, among those with a known make, naming the make's own country
#: above which a `country` column reads as a country of manufacture
MANUFACTURE_LIKE_SHARE = 0.5


def sense_checks(table: Any, mapping: ColumnMapping) -> list[str]:
    """Warnings about mapped columns whose values do not fit their field.

    A column mapped to ``country`` (where the item was seized or found) whose
    values vary like a country of manufacture — several countries, and most
    rows with a known make naming the make's own country (Rio's ``País``:
    Taurus → Brazil, Glock → Austria, Colt → USA) — is almost surely the
    country of manufacture. Each warning says the fix.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"make": ["Taurus", "Glock", "Colt", "Taurus"],
    ...                       "country": ["BRA", "AUT", "USA", "BRA"]})
    >>> m = map_columns(["Marca", "País"])
    >>> print(sense_checks(items, m)[0])  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    Column 'País' is mapped to `country` (where the item was seized), but its
    values vary like a country of manufacture: 3 countries, and 100% of the rows
    with a known make name the make's own country (1 rows would say seized in ...).
    If it is the country of manufacture, map it so: mapping={'País':
    'country_of_manufacture'}, and give the seizing country as a constant
    (country="...").
    """
    import pandas as pd

    from .normalize import make_country

    notes: list[str] = []
    header = next((h for h, f in mapping.fields.items() if f == "country"), None)
    if header is None or "country" not in table or "make" not in table:
        return notes
    # read once per distinct (make, country) pair, weighted by its rows: a
    # million-row table holds a few hundred pairs
    pairs = (
        pd.DataFrame(
            {
                "make": table["make"].astype("string"),
                "country": table["country"].astype("string"),
            }
        )
        .value_counts(dropna=False, sort=False)
        .reset_index()
    )
    counted = pairs[pairs["country"].notna()]
    top = counted.groupby("country")["count"].sum()
    top = top.sort_values(ascending=False, kind="stable")
    distinct = top.index
    if len(distinct) < 3:
        return notes
    made = make_country(counted["make"]).to_numpy()
    both = counted["make"].notna().to_numpy() & pd.notna(made)
    if not both.any():
        return notes
    rows = counted["count"].to_numpy()[both]
    same = made[both] == counted["country"].to_numpy()[both]
    agree = rows[same].sum() / rows.sum()
    if agree < MANUFACTURE_LIKE_SHARE:
        return notes
    second = 1 if len(top) > 1 else 0
    notes.append(
        f"Column {header!r} is mapped to `country` (where the item was seized), but "
        f"its values vary like a country of manufacture: {len(distinct)} countries, "
        f"and {agree:.0%} of the rows with a known make name the make's own country "
        f"({int(top.iloc[second]):,} rows would say seized in {top.index[second]}). "
        "If it is the country of "
        f"manufacture, map it so: mapping={{{header!r}: 'country_of_manufacture'}}, "
        'and give the seizing country as a constant (country="...").'
    )
    return notes
