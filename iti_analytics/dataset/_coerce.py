"""The one way into every stage: anything that holds records, as a Dataset."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import pandas as pd

from .. import schema
from ..exceptions import InvalidParameterError
from ..io import LoadResult
from ._common import TABLE_KEYS
from ._dataset import Dataset

__all__ = ["as_dataset", "DatasetLike"]

#: What every public function accepts where it takes records.
DatasetLike: TypeAlias = (
    "Dataset | LoadResult | pd.DataFrame | Mapping[str, pd.DataFrame | LoadResult]"
)

_EXPECTED = (
    "a Dataset, a LoadResult (from read_items, read_traces...), a DataFrame (an "
    "items table, or a traces/actors/movements table recognised by its id column) "
    "or a mapping of table name to DataFrame"
)


def _table_of_frame(frame: pd.DataFrame) -> str:
    """The canonical table a bare DataFrame holds.

    Told by its id column (``trace_id``, ``actor_id``, ``movement_id``; items
    otherwise); a frame with no id column at all is the table whose canonical
    columns it shares most, items on a tie.
    """
    for table in ("traces", "actors", "movements"):
        if TABLE_KEYS[table] in frame.columns:
            return table
    if TABLE_KEYS["items"] in frame.columns:
        return "items"
    names = set(map(str, frame.columns))
    shared = {t: len(names & set(schema.TABLES[t])) for t in schema.TABLES}
    return max(schema.TABLES, key=lambda t: (shared[t], t == "items"))


def as_dataset(obj: Any, *, name: str = "ds") -> Dataset:
    """Turn anything that holds records into a :class:`Dataset`; the one way in.

    Every public function that takes records runs its argument through this
    function once, so the same input works the same everywhere.

    Parameters
    ----------
    obj : Dataset, LoadResult, DataFrame or mapping
        - a :class:`Dataset` is returned as it is (no copy, no validation);
        - a :class:`~iti_analytics.io.LoadResult` becomes the table it was read as;
        - a DataFrame is taken as the ``traces``, ``actors`` or ``movements``
          table when it has that table's id column (``trace_id``, ``actor_id``,
          ``movement_id``), and as the ``items`` table otherwise; a frame
          without any id column is the table whose canonical columns it
          shares most (``sent_on`` and ``requested_party`` make a traces
          table), items on a tie;
        - a mapping of table name (``items``, ``traces``, ``actors``,
          ``movements``) to a DataFrame, a LoadResult or a list of them.
    name : str, default "ds"
        The argument's name, used in error messages.

    Returns
    -------
    Dataset
        Validated canonical tables with unique ids (see :class:`Dataset` for the
        rules on ids, missing columns and bad values).

    Raises
    ------
    InvalidParameterError
        ``obj`` is none of the above, or a mapping names an unknown table.
    SchemaError
        A DataFrame holds values outside the schema's vocabularies.

    Examples
    --------
    >>> import pandas as pd
    >>> import iti_analytics as iti
    >>> ds = iti.as_dataset(pd.DataFrame({"record_id": ["a", "b"], "make": "Glock"}))
    >>> len(ds.items), len(ds.traces)
    (2, 0)
    >>> iti.as_dataset({"traces": pd.DataFrame({"trace_id": ["t1"]})}).traces.shape[0]
    1
    >>> iti.as_dataset([1, 2])
    Traceback (most recent call last):
    ...
    iti_analytics.exceptions.InvalidParameterError: `ds` must be a Dataset, ...
    """
    if isinstance(obj, Dataset):
        return obj
    if isinstance(obj, LoadResult):
        return Dataset(**{obj.report.table: obj})
    if isinstance(obj, pd.DataFrame):
        return Dataset(**{_table_of_frame(obj): obj})
    if isinstance(obj, Mapping):
        unknown = sorted(str(k) for k in obj if k not in TABLE_KEYS)
        if unknown:
            raise InvalidParameterError(
                f"`{name}` maps unknown table names {unknown}; use any of "
                f"{list(TABLE_KEYS)}."
            )
        return Dataset(**dict(obj))
    raise InvalidParameterError(
        f"`{name}` must be {_EXPECTED}, but a {type(obj).__name__} was passed. "
        "Build one with iti_analytics.Dataset(items=..., traces=...)."
    )
