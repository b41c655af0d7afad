"""Receivers: armed groups, criminal groups, trafficking networks, individuals.

Each receiver has a type (:data:`._kinds.RECEIVER_TYPES`), the areas where it
operates (``admin1_pool``), a home country, a Pareto weight (big groups
receive more) and members (persons: leaders, members, dealers, couriers). Armed
groups are named after their conflict zone, gangs after a city quarter,
trafficking networks after their leader.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _catalog as catalog
from ._draws import pareto, pick
from ._geo import geo
from ._kinds import RECEIVER_TYPES


def networks(
    rng: np.random.Generator, n_physical: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Armed groups, criminal groups, trafficking networks and lone individuals.

    Returns the networks and their persons (members, dealers, couriers).
    """
    atlas = geo()
    scale = max(n_physical, 300) / 3000
    n_armed_groups = max(4, round(9 * scale**0.35))
    n_criminal_groups = max(4, round(14 * scale**0.5))
    n_trafficking = max(3, round(8 * scale**0.5))
    n_individuals = max(10, round(220 * scale**0.8))
    rows = (
        _armed_groups(rng, atlas, n_armed_groups)
        + _criminal_groups(rng, atlas, n_criminal_groups)
        + _trafficking_networks(rng, atlas, n_trafficking)
        + _individuals(rng, atlas, n_individuals)
    )
    nets = pd.DataFrame(
        rows,
        columns=[
            "type",
            "zone",
            "name_fr",
            "name_en",
            "acronym",
            "admin1_pool",
            "countries",
        ],
    )
    nets["type_code"] = nets["type"].map({t: i for i, t in enumerate(RECEIVER_TYPES)})
    nets["home"] = [
        int(c[rng.integers(len(c))]) if len(c) > 1 else int(c[0])
        for c in nets["countries"]
    ]
    nets["weight"] = pareto(rng, 1.5, len(nets), 30.0)
    nets.loc[nets["type"] == "individual", "weight"] = 1.0
    nets["network_id"] = [
        f"NET-{t[:2].upper()}-{i:04d}" for i, t in enumerate(nets["type"])
    ]
    persons = _persons(rng, nets)
    # a trafficking network is known by its leader's name
    leaders = persons[persons["role"] == "leader"].set_index("network")
    trafficking = nets.index[nets["type"] == "trafficking"]
    nets.loc[trafficking, "name_fr"] = (
        "réseau " + leaders.loc[trafficking, "last"].to_numpy()
    )
    nets.loc[trafficking, "name_en"] = (
        leaders.loc[trafficking, "last"].to_numpy() + " network"
    )
    return nets, persons


def _armed_groups(rng, atlas, count: int) -> list[tuple]:
    """Armed groups: a conflict zone each, distinct names and acronyms."""
    zones = [zone for zone, _, _ in catalog.CONFLICT_ZONES]
    zone_weight = np.array([weight for _, weight, _ in catalog.CONFLICT_ZONES])
    zone_of = rng.choice(len(zones), count, p=zone_weight / zone_weight.sum())
    used: set[tuple] = set()
    acronyms: set[str] = set()
    rows = []
    for z in zone_of:
        zone = zones[z]
        for _ in range(200):
            prefix = rng.integers(len(catalog.GROUP_PREFIX))
            middle = rng.integers(len(catalog.GROUP_MIDDLE))
            places = catalog.GROUP_PLACE[zone]
            place = rng.integers(len(places))
            if (prefix, middle, zone, place) not in used:
                break
        used.add((prefix, middle, zone, place))
        prefix_fr, prefix_en = catalog.GROUP_PREFIX[prefix]
        middle_fr, middle_en, middle_letter = catalog.GROUP_MIDDLE[middle]
        place_fr, place_en, place_letter = places[place]
        name_fr = f"{prefix_fr} {middle_fr} {place_fr}"
        name_en = (
            f"{prefix_en} {middle_en} {place_en}"
            if middle_en.startswith(("for", "of"))
            else (f"{middle_en} {prefix_en} {place_en}")
        )
        acronym = f"{prefix_fr[0]}{middle_letter}{place_letter}"
        if acronym in acronyms:
            acronym = None
        else:
            acronyms.add(acronym)
        pool = atlas.zone_admin1[zone]
        countries = np.unique(atlas.admin1["country"].to_numpy()[pool])
        rows.append(("armed_group", zone, name_fr, name_en, acronym, pool, countries))
    return rows


def _criminal_groups(rng, atlas, count: int) -> list[tuple]:
    """Gangs: a city quarter each."""
    urban = atlas.admin1["urban"].to_numpy()
    city_rows = np.flatnonzero(urban >= 1.0)
    city_weight = urban[city_rows]
    used: set[tuple] = set()
    rows = []
    for area in rng.choice(city_rows, count, p=city_weight / city_weight.sum()):
        localities = atlas.localities[area]
        for _ in range(200):
            word = rng.integers(len(catalog.GANG_WORDS))
            locality = localities[rng.integers(len(localities))]
            if (word, locality) not in used:
                break
        used.add((word, locality))
        word_fr, word_en = catalog.GANG_WORDS[word]
        rows.append(
            (
                "criminal_group",
                "",
                f"Gang des {word_fr} de {locality}",
                f"{locality} {word_en} gang",
                None,
                np.array([area]),
                np.array([atlas.admin1["country"].iloc[area]]),
            )
        )
    return rows


def _trafficking_networks(rng, atlas, count: int) -> list[tuple]:
    """Trafficking networks: a corridor each (named after their leader later)."""
    corridor_weight = np.array([weight for _, weight in catalog.CORRIDORS])
    rows = []
    for corridor in rng.choice(
        len(catalog.CORRIDORS), count, p=corridor_weight / corridor_weight.sum()
    ):
        countries = np.array([atlas.index[x] for x in catalog.CORRIDORS[corridor][0]])
        pool = np.concatenate([atlas.admin1_of_country[i] for i in countries])
        rows.append(("trafficking", "", None, None, None, pool, countries))
    return rows


def _individuals(rng, atlas, count: int) -> list[tuple]:
    """Lone individuals: one person in one area, more where crime is."""
    urban = atlas.admin1["urban"].to_numpy()
    crime = atlas.countries["crime"].to_numpy()
    rows = []
    for country in rng.choice(atlas.n, count, p=crime / crime.sum()):
        pool = atlas.admin1_of_country[country]
        area = pool[rng.choice(len(pool), p=urban[pool] / urban[pool].sum())]
        rows.append(
            ("individual", "", None, None, None, np.array([area]), np.array([country]))
        )
    return rows


def _persons(rng: np.random.Generator, nets: pd.DataFrame) -> pd.DataFrame:
    """Members of each network: its leader first, then members or dealers."""
    n_members = np.where(
        nets["type"].eq("individual"),
        1,
        np.where(
            nets["type"].eq("armed_group"),
            3 + rng.poisson(3, len(nets)),
            2 + rng.poisson(2, len(nets)),
        ),
    )
    network = np.repeat(np.arange(len(nets)), n_members)
    first_in_network = np.r_[True, network[1:] != network[:-1]]
    network_type = nets["type"].to_numpy()[network]
    role = np.where(
        network_type == "individual",
        "self",
        np.where(
            network_type == "trafficking",
            np.where(
                first_in_network,
                "leader",
                pick(rng, ["dealer", "courier"], len(network), [0.5, 0.5]),
            ),
            np.where(first_in_network, "leader", "member"),
        ),
    )
    count = len(network)
    first = pick(rng, catalog.FIRST_NAMES, count)
    last = pick(rng, catalog.LAST_NAMES, count)
    actor_type = np.where(
        np.isin(role, ["dealer"])
        | ((network_type == "trafficking") & (role == "leader")),
        "dealer",
        "person",
    )
    return pd.DataFrame(
        {
            "network": network,
            "role": role,
            "first": first,
            "last": last,
            "actor_type": actor_type,
        }
    )
