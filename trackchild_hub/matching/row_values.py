"""What the index keeps of a case in its columns: one typed value per numeric column and the texts the bulk score
compares. ``values`` is the one place a record becomes a row, for the index and for a record scored live."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..domain.enums import CaseKind, Gender
from .ages import YEAR
from .features import Features
from .places import Centroids, point
from .records import MatchRecord

UNKNOWN = int(np.iinfo(np.int32).min)
KINDS = {k: i for i, k in enumerate(CaseKind)}
GENDERS = {g: i for i, g in enumerate(Gender)}
HAS_NAME, HAS_GUARDIAN, HAS_MARKS, HAS_CLOTHING = 1, 2, 4, 8
YOUNG_YEARS = 6  # gender is soft below this age

NUMERIC: dict[str, type] = {
    "alive": np.int8,
    "kind": np.int8,
    "gender": np.int8,
    "birth": np.int32,  # day number of the (estimated) birth date
    "sd": np.int32,  # the sd of that estimate, days (``ages.py``)
    "young": np.bool_,
    "event": np.int32,
    "since": np.int32,  # FOUND: the day the child says they left home
    "state": np.int16,
    "district": np.int32,
    "lat": np.float32,  # the record's point, else its district's centre
    "lon": np.float32,
    "langs": np.int32,  # a bit per language (see MatchIndex._language_bits); 0: none recorded
    "height": np.int16,  # cm, 0 unknown
    "has": np.int8,  # HAS_* bits: which texts the row holds
}
TEXTS = ("name", "alias", "guardian", "guardian_skeleton", "marks", "clothing")


def values(
    record: MatchRecord,
    f: Features,
    *,
    today_day: int,
    place: Callable[[str | None], int],
    language_bits: int,
    centroids: Centroids,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The numeric values and the texts of ``record``'s row."""
    birth = UNKNOWN if f.birth_day is None else f.birth_day
    lat, lon = point(record, centroids)
    has = (
        (HAS_NAME if f.tokens or f.alias_tokens else 0)
        | (HAS_GUARDIAN if f.guardian_tokens else 0)
        | (HAS_MARKS if f.marks_text else 0)
        | (HAS_CLOTHING if f.clothing_text else 0)
    )
    numeric = {
        "alive": 1,
        "kind": KINDS[record.kind],
        "gender": GENDERS[record.gender],
        "birth": birth,
        "sd": f.birth_sd_days,
        "young": birth != UNKNOWN and today_day - birth < YOUNG_YEARS * YEAR,
        "event": UNKNOWN if f.event_day is None else f.event_day,
        "since": UNKNOWN if f.since_day is None else f.since_day,
        "state": place(record.state),
        "district": place(f"{record.state}/{record.district}" if record.district else None),
        "lat": lat,
        "lon": lon,
        "langs": language_bits,
        "height": 0 if record.height_cm is None else max(0, min(record.height_cm, 300)),
        "has": has,
    }
    texts = {
        "name": " ".join(f.tokens),
        "alias": " ".join(f.alias_tokens),
        "guardian": f.guardian_text,
        "guardian_skeleton": " ".join(s for s in f.guardian_skeletons if s),
        "marks": f.marks_text,
        "clothing": f.clothing_text,
    }
    return numeric, texts
