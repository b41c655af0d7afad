"""Seizure events: items of one receiver recovered close together in time.

Each event has a day, a setting (conflict, border, crime, stockpile), a place
in the receiver's areas (a border post for border events), a status, the
agency that reports it and the actor the items were recovered from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._geo import frame_of, geo, sample_rows, to_cdf
from ._kinds import (
    ARMED_GROUP,
    CRIMINAL_GROUP,
    MAX_DAYS_BETWEEN_ITEMS,
    MEAN_ITEMS_PER_SEIZURE,
    SETTING_WEIGHTS,
    SETTINGS,
    TRAFFICKING,
)

CONFLICT, BORDER, CRIME, STOCKPILE_SETTING = range(len(SETTINGS))


def events(
    rng: np.random.Generator,
    items: pd.DataFrame,
    nets: pd.DataFrame,
    persons: pd.DataFrame,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Group items into seizure events; returns events and the event of each item."""
    atlas = geo()
    n = len(items)
    network = items["network"].to_numpy()
    day = items["seized_day"].to_numpy()
    order = np.lexsort((rng.random(n), day, network))
    network_sorted, day_sorted = network[order], day[order]
    network_type = nets["type_code"].to_numpy()
    type_sorted = network_type[network_sorted]
    # each network has its own habits around the mean size of its type
    mean_size = (
        MEAN_ITEMS_PER_SEIZURE[type_sorted]
        * np.exp(rng.normal(0, 0.4, len(nets)))[network_sorted]
    )
    new_event = np.r_[
        True,
        (network_sorted[1:] != network_sorted[:-1])
        | (day_sorted[1:] - day_sorted[:-1] > MAX_DAYS_BETWEEN_ITEMS[type_sorted[1:]])
        | (rng.random(n - 1) < 1.0 / mean_size[1:]),
    ]
    event_sorted = np.cumsum(new_event) - 1
    event = np.empty(n, dtype=np.int64)
    event[order] = event_sorted
    starts = np.flatnonzero(new_event)
    n_events = len(starts)
    event_day = np.maximum.reduceat(day_sorted, starts)
    event_network = network_sorted[starts]
    event_type = network_type[event_network]
    setting = sample_rows(rng, to_cdf(SETTING_WEIGHTS), event_type)
    admin1, country, locality, setting = _places(
        rng, atlas, nets, event_network, event_type, setting
    )
    lat = atlas.admin1["lat"].to_numpy()[admin1] + rng.normal(0, 0.25, n_events)
    lon = atlas.admin1["lon"].to_numpy()[admin1] + rng.normal(0, 0.25, n_events)
    u = rng.random(n_events)
    status = np.select(
        [setting == STOCKPILE_SETTING, setting == CONFLICT, setting == CRIME],
        [
            np.where(u < 0.9, "surrendered", "found"),
            np.where(u < 0.75, "seized", "found"),
            np.where(u < 0.9, "seized", np.where(u < 0.97, "found", "surrendered")),
        ],
        np.where(u < 0.95, "seized", "found"),
    )
    # the reporting agency
    u = rng.random(n_events)
    source = np.select(
        [setting == CONFLICT, setting == BORDER, setting == CRIME],
        [
            np.where(u < 0.7, "army", "police_fr"),
            np.where(u < 0.72, "customs_en", "police_fr"),
            np.full(n_events, "police_fr"),
        ],
        np.where(u < 0.4, "army", "police_fr"),
    ).astype(object)
    actor = _event_actors(rng, event_network, event_type, status, nets, persons)
    table = frame_of(
        {
            "network": event_network,
            "day": event_day,
            "setting": np.array(SETTINGS)[setting],
            "status": status,
            "admin1": admin1,
            "country": country,
            "locality": locality,
            "lat": lat,
            "lon": lon,
            "source": source,
            "actor": actor,
        }
    )
    return table, event


def _places(rng, atlas, nets, event_network, event_type, setting):
    """An area of the network's pool, a locality, or a border post of the country."""
    n_events = len(event_network)
    pools = nets["admin1_pool"].to_numpy()
    pick = rng.random(n_events)
    admin1 = np.array(
        [
            pool[int(u * len(pool))]
            for pool, u in zip(pools[event_network], pick, strict=True)
        ]
    )
    # now and then away from the usual areas (not armed groups)
    stray = (event_type != ARMED_GROUP) & (rng.random(n_events) < 0.1)
    if stray.any():
        stray_country = atlas.admin1["country"].to_numpy()[admin1[stray]]
        admin1[stray] = [
            atlas.admin1_of_country[c][rng.integers(len(atlas.admin1_of_country[c]))]
            for c in stray_country
        ]
    zone = atlas.admin1["zone"].to_numpy()[admin1]
    setting = np.where((setting == CONFLICT) & (zone == ""), CRIME, setting)
    country = atlas.admin1["country"].to_numpy()[admin1]
    localities = [atlas.localities[a] for a in admin1]
    locality = np.array(
        [
            names[int(u * len(names))]
            for names, u in zip(localities, rng.random(n_events), strict=True)
        ],
        dtype=object,
    )
    # border events happen at a post of the country (and in the post's area)
    border = np.flatnonzero(setting == BORDER)
    posts_of_country = [atlas.posts_of_country[c] for c in country[border]]
    post = np.array(
        [
            posts[int(u * len(posts))]
            for posts, u in zip(posts_of_country, rng.random(len(border)), strict=True)
        ],
        dtype=np.int64,
    )
    if len(border):
        locality[border] = atlas.posts["post"].to_numpy(dtype=object)[post]
        admin1[border] = atlas.posts["admin1"].to_numpy()[post]
    return admin1, country, locality, setting


def _event_actors(rng, event_network, event_type, status, nets, persons) -> np.ndarray:
    """Index into the true actors (networks first, then persons) or -1."""
    n_networks = len(nets)
    n_events = len(event_network)
    members_of = persons.groupby("network").indices
    first_member = np.array([members_of[i][0] for i in range(n_networks)])
    n_members = np.array([len(members_of[i]) for i in range(n_networks)])
    member = first_member[event_network] + (
        rng.random(n_events) * n_members[event_network]
    ).astype(np.int64)
    leader = first_member[event_network]
    u = rng.random(n_events)
    actor = np.where(
        event_type == ARMED_GROUP,
        np.where(u < 0.55, event_network, np.where(u < 0.80, n_networks + member, -1)),
        np.where(
            event_type == CRIMINAL_GROUP,
            np.where(
                u < 0.25, event_network, np.where(u < 0.85, n_networks + member, -1)
            ),
            np.where(
                event_type == TRAFFICKING,
                np.where(
                    u < 0.45,
                    n_networks + leader,
                    np.where(u < 0.85, n_networks + member, -1),
                ),
                np.where(u < 0.92, n_networks + leader, -1),
            ),
        ),
    )
    # items found in caches have nobody to be recovered from
    found = (status == "found") & (rng.random(n_events) < 0.85)
    return np.where(found, -1, actor)
