"""Marking compliance of recovered weapons: import marks, obliterated serials, craft."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..dataset import as_dataset
from ..exceptions import InvalidParameterError

__all__ = ["marking_compliance", "RECOVERED_STATUSES"]

#: item statuses that count as recovered (lost and stolen reports do not).
RECOVERED_STATUSES = ("seized", "found", "surrendered")


def marking_compliance(
    ds: Any, *, by: str | Sequence[str] = ("country", "year")
) -> pd.DataFrame:
    """Shares of recovered weapons import-marked, with obliterated serials, craft-made.

    The seed (UNIDIR, section "Absence de marquage à l'importation") names
    the lack of import marking (ITI para. 8 b) as a main obstacle to tracing;
    obliterated serials and craft or converted weapons put items beyond a
    trace. These shares tell a State how much of what it recovers can be
    traced at all.

    Parameters
    ----------
    ds : Dataset or DataFrame
        Its ``items``. Recovered weapons are ``item_kind == "weapon"`` with a
        status in :data:`RECOVERED_STATUSES` or no status.
    by : str or list of str, default ("country", "year")
        Items columns to group by; ``year`` is the year of ``seized_on``.
        ``("import_country", "import_year")`` gives the import-marked weapons
        by importing State and year of import.

    Returns
    -------
    DataFrame
        Key columns, then ``weapons``; ``import_marked``, ``import_known`` and
        ``import_marked_share``; ``serial_obliterated``, ``serial_known``,
        ``obliterated_share``; ``craft``, ``converted``, ``production_known``,
        ``craft_share``, ``converted_share``. The import-marking and serial
        shares are over the weapons whose value was recorded (``*_known``),
        NA when none was; the craft and converted shares are over all
        weapons, since sources note production only when it is unusual.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"record_id": list("abcd"), "item_kind": "weapon",
    ...     "status": "seized", "country": ["NER", "NER", "NER", "MLI"],
    ...     "seized_on": ["2023-01-05", "2023-02-01", "2023-03-01", "2023-01-01"],
    ...     "import_marked": [True, False, None, False],
    ...     "serial_status": ["intact", "obliterated", "unknown", "intact"],
    ...     "production": ["industrial", "industrial", "craft", None]})
    >>> marking_compliance(items)[["country", "year", "weapons",
    ...     "import_marked_share", "obliterated_share", "craft_share"]]
      country  year  weapons  import_marked_share  obliterated_share  craft_share
    0     MLI  2023        1                  0.0                0.0          0.0
    1     NER  2023        3                  0.5                0.5     0.333333
    """
    ds = as_dataset(ds)
    return _marking(ds.items, by)


def _marking(items: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    keys = [by] if isinstance(by, str) else list(by)
    status = items["status"].astype("string")
    weapons = items[
        (items["item_kind"] == "weapon").fillna(False)
        & (status.isin(RECOVERED_STATUSES) | status.isna()).fillna(False)
    ]
    frame = weapons.assign(year=weapons["seized_on"].dt.year.astype("Int64"))
    unknown = [k for k in keys if k not in frame.columns]
    if unknown:
        raise InvalidParameterError(
            f"`by` names columns that are not items columns: {unknown}; use items "
            "columns such as 'country', 'import_country', 'import_year' or 'year'."
        )
    serial = frame["serial_status"].astype("string")
    production = frame["production"].astype("string")
    marked = frame["import_marked"].astype("boolean")
    flags = pd.DataFrame(
        {
            "weapons": 1,
            "import_marked": marked.fillna(False).astype(int),
            "import_known": marked.notna().astype(int),
            "serial_obliterated": (serial == "obliterated").fillna(False).astype(int),
            "serial_known": (serial.notna() & (serial != "unknown")).astype(int),
            "craft": (production == "craft").fillna(False).astype(int),
            "converted": (production == "converted").fillna(False).astype(int),
            "production_known": (production.notna() & (production != "unknown")).astype(
                int
            ),
        },
        index=frame.index,
    )
    flags = pd.concat([frame[keys], flags], axis=1)
    out = (
        flags.groupby(keys, dropna=False, observed=True, sort=True).sum().reset_index()
    )
    for col in out.columns[len(keys) :]:
        out[col] = out[col].astype("Int64")

    def share(num: str, den: str) -> pd.Series:
        d = out[den].astype("Float64")
        return (out[num].astype("Float64") / d.where(d > 0)).astype("Float64")

    out["import_marked_share"] = share("import_marked", "import_known")
    out["obliterated_share"] = share("serial_obliterated", "serial_known")
    # sources note production when it is unusual (craft, converted): a weapon
    # without that note counts as industrial, so these shares are over all weapons
    out["craft_share"] = share("craft", "weapons")
    out["converted_share"] = share("converted", "weapons")
    return out
