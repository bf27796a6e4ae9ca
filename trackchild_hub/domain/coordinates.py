"""Where a point may lie: India's bounding box, the one rule every door (case, directory entry, search) checks.

The box holds India's extremes with a margin: Indira Point (6.75 N) to the north of Ladakh (37.1 N), Guhar Moti
in Kutch (68.1 E) to Kibithu in Arunachal Pradesh (97.4 E); so every district centre in ``data/lgd.json``
(8.18-34.56 N, 70.98-93.33 E) and every demo station and institution around them falls inside. A point east of
97.5 E is in Myanmar.
"""

from __future__ import annotations

from .errors import BadUserInput

INDIA_LATITUDE = (6.0, 37.5)  # degrees north, WGS 84, inclusive
INDIA_LONGITUDE = (68.0, 97.5)  # degrees east, WGS 84, inclusive


def latitude_in_india(latitude: float) -> bool:
    return INDIA_LATITUDE[0] <= latitude <= INDIA_LATITUDE[1]


def longitude_in_india(longitude: float) -> bool:
    return INDIA_LONGITUDE[0] <= longitude <= INDIA_LONGITUDE[1]


def inside_india(latitude: float, longitude: float) -> bool:
    return latitude_in_india(latitude) and longitude_in_india(longitude)


def check_point(field: str, latitude: float | None, longitude: float | None, *, suggestion: str | None = None) -> None:
    """Both coordinates or neither, and inside India; a refusal names ``field`` (the latitude's)."""
    if (latitude is None) != (longitude is None):
        raise BadUserInput(field, "latitude and longitude go together")
    if latitude is not None and longitude is not None and not inside_india(latitude, longitude):
        raise BadUserInput(field, "coordinates are outside India", suggestion=suggestion)
