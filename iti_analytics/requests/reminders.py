"""Reminders for overdue trace requests, in each request's language.

The thresholds are a local convention of the tracing unit, not an ITI
deadline.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .._validation import check_option
from ..dataset import as_dataset
from ..schema import columns
from .register import _requests_of
from .words import LANGUAGES, Words

__all__ = ["reminders"]


def reminders(
    ds: Any,
    *,
    as_of: Any = None,
    acknowledge_within: int = 30,
    answer_within: int = 90,
    language: str = "en",
) -> pd.DataFrame:
    """Reminders to send for overdue requests, each in its request's language.

    The thresholds are a *local convention* of the tracing unit, not an ITI
    deadline: the Instrument's paragraphs on responses to tracing requests
    (A/60/88, annex, section V, paras. 18 to 23) ask for acknowledgement and
    timely answers and set no number of days. Overdue requests are found by
    :func:`iti_analytics.indicators.overdue_requests`, so the register and
    the indicators agree on what is overdue.

    Parameters
    ----------
    ds : Dataset or DataFrame
        The register.
    as_of : date, optional
        The day of the review (default: the latest date in the data).
    acknowledge_within, answer_within : int, default 30 and 90
        Days after sending (local thresholds).
    language : {"en", "fr", "es"}, default "en"
        Language of a reminder when its request has none recorded.

    Returns
    -------
    DataFrame
        ``trace_id``, ``record_id``, ``requested_party``, ``channel``,
        ``sent_on``, ``days_open``, ``days_overdue``, ``language`` and
        ``reminder`` (the text to send), most overdue first.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"trace_id": ["T1", "T2"], "record_id": ["r1", "r2"],
    ...     "requested_party": ["BEL", "CHN"], "status": ["sent", "acknowledged"],
    ...     "sent_on": ["2024-01-01", "2024-05-01"],
    ...     "acknowledged_on": [None, "2024-05-10"], "language": ["fr", "en"]})
    >>> r = reminders(reg, as_of="2024-06-01")
    >>> r[["trace_id", "days_open", "language"]]
      trace_id  days_open language
    0       T1        152       fr
    >>> r.loc[0, "reminder"][:40]
    'Rappel : demande T1 du 1er janvier 2024 '
    """
    from ..indicators import overdue_requests

    ds = as_dataset(ds)
    check_option("language", language, LANGUAGES)
    reg = _requests_of(ds.traces)
    open_ = reg[reg["status"].isin(["sent", "acknowledged"]).fillna(False)]
    late = overdue_requests(
        open_[columns("traces")],
        as_of=as_of,
        acknowledge_within=acknowledge_within,
        answer_within=answer_within,
    )
    late = late[late["days_open"].notna()]
    info = reg.drop_duplicates("trace_id").set_index("trace_id")
    rows = info.loc[late["trace_id"]]
    langs = rows["language"].fillna(language).to_numpy(dtype=object)
    texts = []
    for k, (tid, days) in enumerate(
        zip(late["trace_id"], late["days_open"], strict=True)
    ):
        w = Words(langs[k])
        row = rows.iloc[k]
        parts = []
        if pd.isna(row["acknowledged_on"]) and days > acknowledge_within:
            parts.append(w("remind.ack", days=int(days), limit=acknowledge_within))
        if days > answer_within:
            parts.append(w("remind.answer", days=int(days), limit=answer_within))
        item = (
            w.vocab("category", row["category"])
            if pd.notna(row["category"])
            else (w("word.unknown"))
        )
        party = (
            row["addressee"]
            if pd.notna(row["addressee"])
            else w.country(row["requested_party"])
        )
        texts.append(
            w(
                "remind.text",
                ref=tid,
                date=w.date(row["sent_on"]),
                party=party,
                item=item,
                overdue=" ".join(parts),
            )
        )
    out = pd.DataFrame(
        {
            "trace_id": late["trace_id"].to_numpy(),
            "record_id": late["record_id"].to_numpy(),
            "requested_party": late["requested_party"].to_numpy(),
            "channel": late["channel"].to_numpy(),
            "sent_on": late["sent_on"].to_numpy(),
            "days_open": late["days_open"].to_numpy(),
            "days_overdue": late["days_overdue"].to_numpy(),
            "language": pd.array(langs, dtype="string"),
            "reminder": pd.array(texts, dtype="string"),
        }
    )
    out.attrs["thresholds"] = (
        f"acknowledge within {acknowledge_within} days, answer within "
        f"{answer_within} days: a local convention, not an ITI deadline"
    )
    return out
