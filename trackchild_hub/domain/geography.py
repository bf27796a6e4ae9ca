"""States/UTs and districts by Local Government Directory (LGD) code: reference data, loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources


class StateKind(Enum):
    STATE = "STATE"
    UNION_TERRITORY = "UNION_TERRITORY"


@dataclass(frozen=True, slots=True)
class District:
    code: str
    state_code: str
    name: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True, slots=True)
class State:
    code: str
    name: str
    abbreviation: str
    kind: StateKind
    districts: tuple[District, ...]


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: the index caches below key on it cheaply
class Geography:
    """Lookup over the LGD reference data; codes are strings without leading zeros."""

    states: tuple[State, ...]

    def state(self, code: str) -> State | None:
        return _state_index(self).get(code)

    def district(self, code: str) -> District | None:
        return _district_index(self).get(code)

    def all_districts(self) -> tuple[District, ...]:
        return tuple(d for s in self.states for d in s.districts)


@cache
def _state_index(geo: Geography) -> dict[str, State]:
    return {s.code: s for s in geo.states}


@cache
def _district_index(geo: Geography) -> dict[str, District]:
    return {d.code: d for s in geo.states for d in s.districts}


def _parse(raw: dict[str, object]) -> Geography:
    states: list[State] = []
    for s in raw["states"]:  # type: ignore[attr-defined]
        districts = tuple(
            District(
                code=str(d["code"]),
                state_code=str(s["code"]),
                name=d["name"],
                latitude=d.get("lat"),
                longitude=d.get("lon"),
            )
            for d in s.get("districts", [])
        )
        states.append(
            State(
                code=str(s["code"]),
                name=s["name"],
                abbreviation=s["abbr"],
                kind=StateKind(s["kind"]),
                districts=districts,
            )
        )
    return Geography(states=tuple(states))


@cache
def load_geography() -> Geography:
    """The packaged LGD reference data (``domain/data/lgd.json``)."""
    text = resources.files("trackchild_hub.domain").joinpath("data/lgd.json").read_text("utf-8")
    return _parse(json.loads(text))
