"""Where children go: home districts by LGD code, and the railway corridors that carry them to the big cities.

Children who leave the state mostly ride the long-distance trains out of Bihar, Uttar Pradesh, Jharkhand, West
Bengal and Odisha and are found at the terminus cities (Delhi, Mumbai, Kolkata, Chennai, Bengaluru, Hyderabad) or at
the junctions on the way (Varanasi, Prayagraj, Lucknow, Kanpur, Patna, Ludhiana). Places come from the packaged LGD
data (``load_geography``); states with no districts there are never chosen.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum

from trackchild_hub.domain.geography import District, Geography, load_geography


class Distance(Enum):
    SAME_DISTRICT = "same district"
    SAME_STATE = "same state"
    OTHER_STATE = "other state"


# Destination hubs: (state abbreviation, district names).
HUBS: dict[str, tuple[str, tuple[str, ...]]] = {
    "delhi": ("DL", ("Central Delhi", "New Delhi", "North Delhi", "South Delhi", "East Delhi", "West Delhi")),
    "mumbai": ("MH", ("Mumbai City", "Mumbai Suburban", "Thane", "Pune")),
    "kolkata": ("WB", ("Kolkata", "Howrah", "North 24 Parganas", "South 24 Parganas")),
    "chennai": ("TN", ("Chennai", "Tiruvallur", "Chengalpattu")),
    "bengaluru": ("KA", ("Bengaluru Urban", "Bengaluru Rural")),
    "hyderabad": ("TG", ("Hyderabad", "Medchal-Malkajgiri", "Ranga Reddy")),
    "up-junctions": ("UP", ("Varanasi", "Prayagraj", "Lucknow", "Kanpur Nagar", "Chandauli", "Gorakhpur")),
    "patna": ("BR", ("Patna",)),
    "punjab": ("PB", ("Ludhiana", "Jalandhar", "Amritsar")),
    "uttarakhand": ("UK", ("Dehradun", "Haridwar")),
    "odisha": ("OD", ("Khordha", "Cuttack")),
    "kerala": ("KL", ("Ernakulam", "Thiruvananthapuram")),
}
# Per home state: where children leaving it end up (weights). Other states use DEFAULT_ROUTE.
ROUTES: dict[str, dict[str, float]] = {
    "BR": {"delhi": 0.3, "mumbai": 0.18, "kolkata": 0.15, "up-junctions": 0.12, "punjab": 0.1, "hyderabad": 0.05,
           "chennai": 0.05, "bengaluru": 0.05},
    "UP": {"delhi": 0.35, "mumbai": 0.25, "punjab": 0.1, "uttarakhand": 0.1, "bengaluru": 0.08, "hyderabad": 0.07,
           "kolkata": 0.05},
    "JH": {"kolkata": 0.3, "delhi": 0.25, "mumbai": 0.15, "patna": 0.1, "bengaluru": 0.1, "chennai": 0.05,
           "hyderabad": 0.05},
    "WB": {"delhi": 0.2, "chennai": 0.15, "mumbai": 0.15, "bengaluru": 0.15, "hyderabad": 0.1, "kerala": 0.1,
           "patna": 0.1, "odisha": 0.05},
    "OD": {"kolkata": 0.2, "chennai": 0.2, "hyderabad": 0.15, "bengaluru": 0.15, "mumbai": 0.1, "delhi": 0.1,
           "kerala": 0.1},
}  # fmt: skip
DEFAULT_ROUTE = {"delhi": 0.25, "mumbai": 0.25, "kolkata": 0.15, "bengaluru": 0.15, "chennai": 0.1, "hyderabad": 0.1}


@dataclass(frozen=True, slots=True)
class Atlas:
    """Districts by state abbreviation and the hub districts, resolved from the LGD data once."""

    geography: Geography
    by_state: dict[str, tuple[District, ...]]
    abbreviation: dict[str, str]  # state code -> abbreviation
    hubs: dict[str, tuple[District, ...]]

    @classmethod
    def load(cls) -> Atlas:
        geography = load_geography()
        by_state = {s.abbreviation: s.districts for s in geography.states if s.districts}
        hubs: dict[str, tuple[District, ...]] = {}
        for hub, (state, names) in HUBS.items():
            found = tuple(d for d in by_state.get(state, ()) if d.name in names)
            if len(found) != len(names):
                missing = set(names) - {d.name for d in found}
                raise LookupError(f"hub {hub}: no LGD district named {sorted(missing)} in {state}")
            hubs[hub] = found
        return cls(geography, by_state, {s.code: s.abbreviation for s in geography.states}, hubs)

    def state_of(self, district: District) -> str:
        return self.abbreviation[district.state_code]

    def move(self, home: District, distance: Distance, rng: random.Random) -> District:
        """Where a child from ``home`` is found, ``distance`` away."""
        state = self.state_of(home)
        if distance is Distance.SAME_DISTRICT:
            return home
        if distance is Distance.SAME_STATE:
            others = [d for d in self.by_state[state] if d.code != home.code]
            if not others:  # one-district territories: the nearest hub instead
                return self.move(home, Distance.OTHER_STATE, rng)
            own_hubs = [d for hub in self.hubs.values() for d in hub if d.state_code == home.state_code]
            own_hubs = [d for d in own_hubs if d.code != home.code]
            return rng.choice(own_hubs) if own_hubs and rng.random() < 0.5 else rng.choice(others)
        route = {hub: w for hub, w in ROUTES.get(state, DEFAULT_ROUTE).items() if HUBS[hub][0] != state}
        hub = rng.choices(list(route), weights=list(route.values()))[0]
        return rng.choice(self.hubs[hub])


def jitter(district: District, rng: random.Random) -> tuple[float | None, float | None]:
    """A point a few kilometres from the district's centre (None when the LGD data has no centre)."""
    if district.latitude is None or district.longitude is None:
        return None, None
    r = rng.random
    return round(district.latitude + (r() - 0.5) * 0.15, 4), round(district.longitude + (r() - 0.5) * 0.15, 4)
