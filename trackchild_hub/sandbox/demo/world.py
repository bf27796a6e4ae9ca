"""What case generation draws on: where cases happen, who can take them in, and the date window.

Built by the generator once the directory exists, so every case points only at stations and homes that are
really in the directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from random import Random
from typing import Any

from trackchild_hub.sandbox.demo.directory import Station
from trackchild_hub.sandbox.demo.places import Locale

IST = timezone(timedelta(hours=5, minutes=30))
WINDOW_DAYS = 4 * 365  # cases reach back about four years


@dataclass(frozen=True, slots=True)
class World:
    today: date
    states: tuple[str, ...]  # chosen state codes, in the caller's order
    locales: dict[str, Locale]  # every district of the chosen states
    case_districts: tuple[str, ...]  # where cases happen: districts with police stations
    weights: tuple[int, ...]  # per case district: busier districts have more stations
    stations: dict[str, list[Station]]
    institutions: tuple[dict[str, Any], ...]

    def district(self, rng: Random, *, hub_bias: int = 1, state: str | None = None) -> Locale:
        """A case district, optionally in ``state`` and favouring rail hubs ``hub_bias`` times over."""
        pairs = [
            (code, w * (hub_bias if self.locales[code].hub else 1))
            for code, w in zip(self.case_districts, self.weights, strict=True)
            if state is None or self.locales[code].state.code == state
        ]
        if not pairs:
            pairs = [(code, 1) for code, loc in self.locales.items() if state is None or loc.state.code == state]
        codes, weights = zip(*pairs, strict=True)
        return self.locales[rng.choices(codes, weights)[0]]

    def station(self, rng: Random, district: str) -> Station | None:
        choices = self.stations.get(district)
        return rng.choice(choices) if choices else None

    def past_day(self, rng: Random) -> date:
        # Triangular with the mode at today: recent cases outnumber old ones, as open caseloads do.
        return self.today - timedelta(days=int(rng.triangular(0, WINDOW_DAYS, 0)))

    def later(self, day: date, days: int) -> date:
        """``days`` after ``day``, but never after today."""
        return min(day + timedelta(days=days), self.today)


CONFLICT_WITH_LAW_HOMES = ("OBSERVATION_HOME", "SPECIAL_HOME", "PLACE_OF_SAFETY")


def suits(home: dict[str, Any], age: int, gender: str, care_and_protection: bool = False) -> bool:
    """Whether a home would take this child: by the gender it serves and the age group its type is for.

    A child in need of care and protection (every found or traced child) never goes to a home for children
    in conflict with law."""
    served = home["gender_served"]
    if served != "ANY" and gender in ("MALE", "FEMALE") and served != gender:
        return False
    kind = home["type"]
    if care_and_protection and kind in CONFLICT_WITH_LAW_HOMES:
        return False
    if kind == "SPECIALISED_ADOPTION_AGENCY":
        return age <= 6
    if kind in CONFLICT_WITH_LAW_HOMES:
        return age >= 12
    if kind == "OPEN_SHELTER":
        return age >= 8
    return age >= 3


def pick_home(
    rng: Random,
    world: World,
    age: int,
    gender: str,
    *,
    state: str | None = None,
    district: str | None = None,
    care_and_protection: bool = False,
) -> dict[str, Any] | None:
    """A suitable home: in the district, else the state, else anywhere; None if none would take the child."""
    fit = [h for h in world.institutions if suits(h, age, gender, care_and_protection)]
    for key, scope in (("district", district), ("state", state)):
        near = [h for h in fit if h[key] == scope] if scope is not None else []
        if near:
            return rng.choice(near)
    return rng.choice(fit) if fit else None


def stamp(rng: Random, day: date, earliest_hour: int = 8) -> str:
    """An office-hours timestamp on ``day`` in IST, ISO 8601 with the +05:30 offset."""
    clock = time(rng.randint(earliest_hour, 21), rng.randrange(60), rng.randrange(60))
    return datetime.combine(day, clock, IST).isoformat()
