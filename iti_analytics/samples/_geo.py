"""Lookup tables of the synthetic world built once from :mod:`._catalog`."""

from __future__ import annotations

from collections import deque
from functools import cache

import numpy as np
import pandas as pd

from .._text import fold
from . import _catalog as cat

#: extra places for the neighbour states (no seizures there, only depots).
NEIGHBOUR_PLACES = {
    "SDN": ("Khartoum", "El Fasher", "Nyala", "El Geneina"),
    "DZA": ("Tamanrasset", "Adrar", "Djanet"),
    "LBR": ("Monrovia", "Gbarnga", "Zwedru"),
    "SLE": ("Freetown", "Makeni", "Kenema"),
    "GNB": ("Bissau", "Gabú"),
}

#: French-speaking states (French labels for depots, dealers and workshops).
FRANCOPHONE = frozenset(
    "MLI BFA NER TCD CMR CAF CIV SEN GIN BEN TGO MRT DZA GNB".split()
)


class Geo:
    """Countries, hops between them, admin1 areas, localities and border posts."""

    def __init__(self) -> None:
        countries = cat.frame(
            cat.COUNTRIES, ["iso3", "name_en", "name_fr", "role", "crime", "population"]
        )
        self.countries = countries
        self.codes = countries["iso3"].to_numpy(dtype=object)
        self.index = {c: i for i, c in enumerate(self.codes)}
        self.n = len(self.codes)
        self.region = np.flatnonzero(countries["role"].to_numpy() == "region")
        self.hops = self._hops()
        admin1 = cat.frame(
            cat.ADMIN1,
            [
                "iso3",
                "admin1_fr",
                "admin1_en",
                "lat",
                "lon",
                "zone",
                "urban",
                "localities",
            ],
        )
        admin1["country"] = admin1["iso3"].map(self.index).astype(int)
        admin1["code"] = _subdivision_codes(admin1)
        self.admin1 = admin1
        self.localities = [tuple(s.split("|")) for s in admin1["localities"]]
        self.admin1_of_country = [
            np.flatnonzero(admin1["country"].to_numpy() == i) for i in range(self.n)
        ]
        posts = cat.frame(cat.BORDER_POSTS, ["iso3", "post", "neighbour", "admin1_fr"])
        key = dict(
            zip(
                zip(admin1["iso3"], admin1["admin1_fr"], strict=True),
                admin1.index,
                strict=True,
            )
        )
        posts["admin1"] = [
            key[(c, a)] for c, a in zip(posts["iso3"], posts["admin1_fr"], strict=True)
        ]
        self.posts = posts
        self.posts_of_country = [
            np.flatnonzero(posts["iso3"].to_numpy() == c) for c in self.codes
        ]
        self.zone_admin1 = {
            z: np.flatnonzero(admin1["zone"].to_numpy() == z)
            for z, _, _ in cat.CONFLICT_ZONES
        }

    def _hops(self) -> np.ndarray:
        adj: dict[int, list[int]] = {i: [] for i in range(self.n)}
        for a, b in cat.BORDERS:
            adj[self.index[a]].append(self.index[b])
            adj[self.index[b]].append(self.index[a])
        self._adj = adj
        hops = np.full((self.n, self.n), 9, dtype=np.int64)
        for s in range(self.n):
            hops[s, s] = 0
            queue = deque([s])
            while queue:
                u = queue.popleft()
                for v in adj[u]:
                    if hops[s, v] > hops[s, u] + 1:
                        hops[s, v] = hops[s, u] + 1
                        queue.append(v)
        return hops

    @cache  # noqa: B019 - one Geo per process, see geo()
    def path(self, a: int, b: int) -> tuple[int, ...]:
        """Shortest land route from country ``a`` to ``b`` (indices, both ends)."""
        if a == b:
            return (a,)
        route = [a]
        u = a
        while u != b:
            u = min(
                (v for v in self._adj[u] if self.hops[v, b] == self.hops[u, b] - 1),
                key=lambda v: self.codes[v],
            )
            route.append(u)
        return tuple(route)

    def place_names(self, country: int) -> tuple[str, ...]:
        """Localities of a country (for depot and workshop names)."""
        code = self.codes[country]
        if code in NEIGHBOUR_PLACES:
            return NEIGHBOUR_PLACES[code]
        rows = self.admin1_of_country[country]
        return tuple(loc for r in rows for loc in self.localities[r])


def _subdivision_codes(admin1: pd.DataFrame) -> list:
    """ISO 3166-2 code of each area (by its French or English name), or None.

    From pycountry's subdivision names and the package's reference aliases.
    """
    import pycountry

    try:
        from ..reference import load_reference

        aliases = load_reference("subdivisions")
        extra = {
            (c[:2], fold(a)): c
            for c, a in zip(aliases["code"], aliases["alias"], strict=True)
        }
    except Exception:  # noqa: BLE001 - reference table optional here
        extra = {}
    codes = []
    for iso3, fr, en in zip(
        admin1["iso3"], admin1["admin1_fr"], admin1["admin1_en"], strict=True
    ):
        a2 = pycountry.countries.get(alpha_3=iso3).alpha_2
        # top-level areas first, then by code: a region wins over a prefecture
        # of the same name whatever order pycountry returns them in
        subs = sorted(
            pycountry.subdivisions.get(country_code=a2) or [],
            key=lambda sub: (getattr(sub, "parent_code", None) is not None, sub.code),
        )
        names = dict(extra)
        for sub in subs:
            names.setdefault((a2, fold(sub.name)), sub.code)
        codes.append(names.get((a2, fold(fr))) or names.get((a2, fold(en))))
    return codes


@cache
def geo() -> Geo:
    """The shared :class:`Geo` (built once per process)."""
    return Geo()


def country_weights(weights: dict[str, float]) -> np.ndarray:
    """A probability vector over :attr:`Geo.codes` from ``{iso3: weight}``."""
    g = geo()
    w = np.array([weights.get(c, 0.0) for c in g.codes], dtype=float)
    return w / w.sum()


def sample_rows(
    rng: np.random.Generator, cdf: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Draw one column per entry of ``rows`` from the row-wise CDF matrix ``cdf``.

    Fully vectorised: the rows are laid end to end (row ``r`` spans ``[r, r+1]``)
    and one ``searchsorted`` finds every draw.
    """
    n_rows, m = cdf.shape
    flat = (cdf + np.arange(n_rows)[:, None]).ravel()
    u = rows + rng.random(len(rows))
    idx = np.searchsorted(flat, u, side="right") - rows * m
    return np.clip(idx, 0, m - 1)


def to_cdf(weights: np.ndarray) -> np.ndarray:
    """Row-normalised cumulative sums (rows of zeros stay at zero but end at 1)."""
    w = np.asarray(weights, dtype=float)
    total = w.sum(axis=1, keepdims=True)
    safe = np.where(total > 0, total, 1.0)
    cdf = np.cumsum(w, axis=1) / safe
    cdf[:, -1] = 1.0
    return cdf


def obj(values) -> pd.Series:
    """An object-dtype Series (no conversion to pandas' Arrow-backed ``str``)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def frame_of(columns: dict) -> pd.DataFrame:
    """A DataFrame whose text columns stay plain Python objects (fast to work on)."""
    return pd.DataFrame(
        {
            k: obj(v) if np.asarray(v).dtype.kind in "OU" else v
            for k, v in columns.items()
        }
    )


def coded(labels, codes) -> pd.Series:
    """A ``string`` Series ``labels[codes]`` built without Python objects per row.

    ``codes`` below zero and null labels give null. Much lighter than indexing
    an object array for a million rows and converting it.
    """
    import pyarrow as pa

    labels = pd.Series(np.asarray(labels, dtype=object), dtype=object)
    codes = np.asarray(codes, dtype=np.int64)
    null_label = labels.isna().to_numpy()
    safe = np.where(codes >= 0, codes, 0)
    mask = (codes < 0) | (null_label[safe] if len(labels) else True)
    dictionary = pa.array(labels.where(~null_label, "").tolist(), type=pa.string())
    indices = pa.array(safe.astype(np.int32), mask=mask)
    text = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())
    return pd.Series(pd.array(text, dtype="string"))


def is_true(values) -> np.ndarray:
    """Elementwise ``value is True`` for an array holding True, False and None."""
    return pd.Series(values, dtype="boolean").fillna(False).to_numpy(dtype=bool)


def is_false(values) -> np.ndarray:
    """Elementwise ``value is False`` for an array holding True, False and None."""
    return (~pd.Series(values, dtype="boolean")).fillna(False).to_numpy(dtype=bool)


def days(date: str | pd.Timestamp) -> int:
    """Days since 1970-01-01 of a date."""
    return int(
        pd.Timestamp(date).to_datetime64().astype("datetime64[D]").astype(np.int64)
    )


def years_of(day: np.ndarray) -> np.ndarray:
    """Calendar years of day numbers."""
    return day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
