"""Text helpers shared by every stage: accent and case folding, actor keys.

The one home of "compare two spellings without accents or case": every
stage that matches names, headers, phrases or labels folds them here, so two
stages never disagree on whether "Traoré" and "TRAORE" are the same word.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

__all__ = ["strip_accents", "fold", "fold_values", "actor_keys"]


def strip_accents(text: str) -> str:
    """``text`` without diacritics (compatibility-decomposed, marks removed).

    Examples
    --------
    >>> strip_accents("Traoré, Ñuñoa")
    'Traore, Nunoa'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str, *, alnum: bool = False) -> str:
    """The comparison key of a phrase: no accents, case, hyphens, apostrophes.

    Hyphens and apostrophes count as spaces and runs of spaces as one.

    Parameters
    ----------
    text : str
    alnum : bool, default False
        Keep letters and digits only, for labels written with abbreviations
        ("St. John's", "D.C."): dots and apostrophes are dropped and every
        other mark counts as a space.

    Examples
    --------
    >>> fold("  Côte d’Ivoire ")
    'cote d ivoire'
    >>> fold("TRAORE-Moussa") == fold("Traoré moussa")
    True
    >>> fold("ST. JOHN'S (Parish)", alnum=True)
    'st johns parish'
    """
    plain = strip_accents(text).casefold()
    if alnum:
        plain = "".join("" if c in ".'’" else c if c.isalnum() else " " for c in plain)
    else:
        for mark in "-'’":
            plain = plain.replace(mark, " ")
    return " ".join(plain.split())


def fold_values(values: pd.Series) -> pd.Series:
    """:func:`fold` of every value (each distinct value folded once); null stays null.

    Examples
    --------
    >>> fold_values(pd.Series(["Traoré", "TRAORE", None])).tolist()
    ['traore', 'traore', <NA>]
    """
    s = values.astype("string")
    codes, uniques = pd.factorize(s)
    if len(uniques) == 0:
        return s
    arr = np.asarray([fold(u) for u in uniques], dtype=object)[codes]
    arr[codes < 0] = None
    return pd.Series(arr, index=values.index, dtype="string")


def actor_keys(names: pd.Series) -> pd.Series:
    """One spelling per actor: the commonest spelling of each family of names.

    Names are of one family when they are equal once accents, case, hyphens,
    apostrophes, spacing and word order are ignored ("TRAORE Moussa",
    "Moussa Traoré", "moussa  traore"). Each row gets the most frequent
    spelling (whitespace collapsed) of its family, ties going to the first
    seen, so the key is readable and the same in the network and in tracing.
    Real spelling variants ("Traore" / "Trawore") are the linkage's job
    (:func:`iti_analytics.link_records`). Blank names are null.

    Examples
    --------
    >>> actor_keys(pd.Series(["Moussa Traoré", "TRAORE Moussa", "Moussa Traoré",
    ...                       "  ", None])).tolist()
    ['Moussa Traoré', 'Moussa Traoré', 'Moussa Traoré', <NA>, <NA>]
    """
    s = names.astype("string").str.split().str.join(" ")
    s = s.where(s != "")
    counts = s.value_counts(sort=True)  # stable: ties keep first-seen order
    if counts.empty:
        return s.astype("string")
    spellings = pd.Series(counts.index, dtype="string")
    family = [" ".join(sorted(fold(v).split())) for v in spellings]
    commonest = spellings.groupby(family, sort=False).transform("first")
    table = dict(zip(spellings, commonest, strict=True))
    return s.map(table).astype("string")
