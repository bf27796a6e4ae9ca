"""Great-circle distance and the latitude/longitude box that holds every point within a radius."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class Box:
    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float


def box_around(latitude: float, longitude: float, radius_km: float) -> Box:
    """A box containing every point within ``radius_km`` of the centre (larger than the circle, never smaller).

    The longitude span is widened for the box's edge nearest a pole, where a degree of longitude is shortest.
    """
    dlat = radius_km / KM_PER_DEGREE
    lat_min, lat_max = max(-90.0, latitude - dlat), min(90.0, latitude + dlat)
    widest = max(abs(lat_min), abs(lat_max))
    cos_edge = math.cos(math.radians(widest))
    dlon = 180.0 if cos_edge < 1e-6 else min(180.0, radius_km / (KM_PER_DEGREE * cos_edge))
    return Box(lat_min, lat_max, longitude - dlon, longitude + dlon)
