"""The data-quality summary of a Dataset, as a table and for display."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from ._common import _TABLE_NAMES, KEY_COLUMNS

__all__ = ["summarize", "text_summary", "html_summary"]

_SUMMARY_COUNTS = ["table", "source", "rows", "duplicates", "issues", "rejects"]


def summarize(ds: Any, table: str | None = None) -> pd.DataFrame:
    """The summary table of ``ds`` (see :meth:`Dataset.summary`)."""
    from .._validation import check_option

    if table is not None:
        check_option("table", table, _TABLE_NAMES)
    names = [table] if table is not None else list(_TABLE_NAMES)
    blocks = [summary_of(ds, name, keep_empty=table is not None) for name in names]
    blocks = [b for b in blocks if b is not None]
    if not blocks:
        blocks = [summary_of(ds, "items", keep_empty=True)]
    out = pd.concat(blocks, ignore_index=True) if len(blocks) > 1 else blocks[0]
    pct = [c for c in out.columns if c.endswith("_pct")]
    keep = [c for c in pct if out[c].notna().any()] if len(out) else pct
    return out[[*_SUMMARY_COUNTS, *keep]]


def summary_of(ds: Any, table: str, keep_empty: bool) -> pd.DataFrame | None:
    """Summary rows of one table, or None when it is empty and has no rejects."""
    frame = getattr(ds, table)
    keys = list(KEY_COLUMNS[table])
    iss_src = _source_key(ds.issues["source"][ds.issues["table"] == table])
    rej_src = _source_key(ds.rejects["source"][ds.rejects["table"] == table])
    if len(frame) == 0 and len(rej_src) == 0 and not keep_empty:
        return None
    src = _source_key(frame["source"])
    flags = frame[keys].notna()
    flags["duplicates"] = frame["duplicate_of"].notna()
    order = list(dict.fromkeys([*src.unique(), *iss_src.unique(), *rej_src.unique()]))
    by = flags.groupby(src.to_numpy(), sort=False)
    out = pd.DataFrame(index=pd.Index(order, dtype="str", name="source"))
    out["rows"] = by.size().reindex(order).fillna(0)
    out["duplicates"] = by["duplicates"].sum().reindex(order).fillna(0)
    out["issues"] = iss_src.value_counts().reindex(order).fillna(0)
    out["rejects"] = rej_src.value_counts().reindex(order).fillna(0)
    pct = (by[keys].mean() * 100).reindex(order)
    if len(order) > 1:
        out.loc["all"] = [
            len(frame),
            flags["duplicates"].sum(),
            len(iss_src),
            len(rej_src),
        ]
        pct.loc["all"] = flags[keys].mean() * 100
    for c in keys:
        out[f"{c}_pct"] = pct[c].astype("float64").round(1).to_numpy()
    out = out.reset_index()
    out.insert(0, "table", table)
    return out.astype(
        {
            "table": "str",
            "source": "str",
            **dict.fromkeys(_SUMMARY_COUNTS[2:], "int64"),
        }
    )


def headline(ds: Any) -> str:
    """One line: rows per table, issues and rejects."""
    parts = []
    for table, frame in ds.tables().items():
        n = len(frame)
        noun = table if n != 1 else table[:-1]
        parts.append(f"{n:,} {noun}")
    n_src = len(ds.sources.get("items", []))
    if n_src > 1:
        parts[0] += f" from {n_src} sources"
    return (
        "Dataset: "
        + ", ".join(parts)
        + f"; {len(ds.issues):,} issue{'s' if len(ds.issues) != 1 else ''}"
        + f", {len(ds.rejects):,} reject{'s' if len(ds.rejects) != 1 else ''}"
    )


def summary_blocks(ds: Any) -> list[pd.DataFrame]:
    """One summary per table present, with short display headers."""
    blocks = []
    for table in _TABLE_NAMES:
        block = summary_of(ds, table, keep_empty=False)
        if block is None:
            continue
        block = block.drop(columns="table").rename(
            columns={c: c[:-4] + " %" for c in block.columns if c.endswith("_pct")}
        )
        blocks.append(block.rename(columns={"source": table}))
    return blocks


def text_summary(ds: Any) -> str:
    """The ``repr`` of a Dataset: the headline and a block per table."""
    lines = [headline(ds)]
    for block in summary_blocks(ds):
        lines.append(block.to_string(index=False, na_rep=""))
    return "\n".join(lines)


def html_summary(ds: Any) -> str:
    """The Jupyter view of a Dataset."""
    tables = "".join(
        block.to_html(
            index=False, na_rep="", float_format=lambda x: f"{x:.1f}", border=0
        )
        for block in summary_blocks(ds)
    )
    return (
        "<div class='iti-dataset'>"
        f"<p><b>iti_analytics.{html.escape(headline(ds))}</b></p>"
        f"{tables}"
        "<p style='font-size:smaller'>rows per source; % = share of rows where "
        "the column is known. Details in <code>.issues</code> and "
        "<code>.rejects</code>.</p>"
        "</div>"
    )


def _source_key(source: pd.Series) -> pd.Series:
    return source.astype("string").fillna("(none)")
