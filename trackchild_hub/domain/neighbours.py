"""Neighbouring districts. The LGD reference data has no adjacency, so a district's neighbours are the districts
whose headquarters (the reference data's centroid) lie within ``radius_km`` of its own, across state borders too."""

from __future__ import annotations

import math
from functools import cache

from .geography import Geography

NEIGHBOUR_RADIUS_KM = 100.0  # about one district across: Indian districts average ~4,000 km² (~65 km wide)
EARTH_RADIUS_KM = 6371.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def neighbouring_districts(geography: Geography, code: str, radius_km: float = NEIGHBOUR_RADIUS_KM) -> list[str]:
    """The codes of the districts whose centroid is within ``radius_km`` of district ``code``'s, nearest first
    (``code`` itself excluded; none when the district or its centroid is unknown). Computed once per geography and
    district (a scan of every district, ~1.6 ms, was made twice per new missing case), as ``geography``'s indexes."""
    return list(_neighbours(geography, code, radius_km))


@cache
def _neighbours(geography: Geography, code: str, radius_km: float) -> tuple[str, ...]:
    home = geography.district(code)
    if home is None or home.latitude is None or home.longitude is None:
        return ()
    centre = (home.latitude, home.longitude)
    near = []
    for district in geography.all_districts():
        if district.code == code or district.latitude is None or district.longitude is None:
            continue
        km = distance_km(centre, (district.latitude, district.longitude))
        if km <= radius_km:
            near.append((km, district.code))
    return tuple(c for _, c in sorted(near))
