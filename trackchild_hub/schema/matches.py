"""Search and match: ``findMatches``, ``matchCandidates``, ``reviewMatch`` and their types."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import Annotated

import strawberry

from ..auth.scopes import Scope
from ..domain.age import years_between
from ..domain.coordinates import latitude_in_india, longitude_in_india
from ..domain.enums import CaseKind, Gender
from ..domain.errors import BadUserInput
from ..domain.languages import language_codes
from ..domain.validation import check_counts
from ..matching.ages import MAX_ESTIMATED_AGE
from ..matching.records import Band, MatchRecord
from ..resolvers import live_matches
from ..resolvers.context import Info
from ..services import matches as service
from ..services import record_rule as rule
from .access import any_of, operation, public_type
from .case_kinds import case_of
from .cases import Case
from .geography import State

# A description's age is an estimate: people often guess a teenager older than they are. A child is under 18
# (domain.age), but a found child estimated at up to 21 is still searched for (issue 16: 37 of 500 were refused);
# the matcher's age error model reaches as far (matching.ages.MAX_ESTIMATED_AGE).
# Each listed name widens the search: 1,000 common words as pet and parents' names held the matcher thread (every
# other search behind it) for 1.8 s at 100,000 cases; at 1,000,000, 10 common pet names and 10 parents' names took
# 0.42 s, 5 and 4 0.24 s (a usual search: 15-50 ms). More than a child is ever described with is refused.
MAX_ALIASES = 5
MAX_GUARDIANS = 4
MAX_LISTED = 10  # identifying marks, languages
OLDEST_EVENT = timedelta(days=365 * 30)  # as for a case's event date (domain.validation)
# What the access log says of a candidate listed masked. Its reasons are levels (``matching/banded.py``), but a caller
# outside its jurisdiction who varies the description from search to search can find where a level changes (the day
# "found within 14 days" ends, the height where "within 4 cm" does): who was shown it, and when, is on record for its
# state's auditors (``auditTrail`` of the case).
MASKED = "masked"

strawberry.enum(Band, name="MatchBand", description="LIKELY: review first. POSSIBLE: worth a look.")


@strawberry.enum(description="What a reviewer decided about a proposed match.")
class MatchDecision(Enum):
    CONFIRM = "CONFIRM"
    REJECT = "REJECT"


@public_type
@strawberry.type(description="One piece of evidence and its signed weight; details never quote identifying values.")
class MatchFactor:
    field: str = strawberry.field(description="What was compared (name, guardians, age, place, ...).")
    weight: float = strawberry.field(description="Its contribution: positive for agreement, negative against.")
    detail: str = strawberry.field(description="How they compare, in words.")


@public_type
@strawberry.type(description="A candidate for the child described or for a case, with why.")
class MatchCandidate:
    id: strawberry.ID = strawberry.field(description="The pair: send it to reviewMatch.")
    case: Case | None = strawberry.field(
        description="The candidate case; null when it is outside your jurisdiction (ask its state) or for the public."
    )
    reference: str | None = strawberry.field(description="The candidate's case reference (agencies only).")
    state: State = strawberry.field(description="Where the candidate case is held.")
    score: float = strawberry.field(description="0..1: how likely the same child.")
    band: Band | None = strawberry.field(description="LIKELY, POSSIBLE, or null below both.")
    factors: list[MatchFactor] = strawberry.field(
        description="The evidence, factor by factor. For a candidate outside your jurisdiction, each factor is "
        "weighed and described by its level alone (e.g. 'height fits growth within 4 cm'), never a measured age gap, "
        "height, distance or number of days."
    )
    status: str | None = strawberry.field(description="PROPOSED, CONFIRMED or REJECTED once stored.")
    source: str = strawberry.field(
        description="Where it was found: 'local' (the hub's store) or the id of the live system that sent it."
    )

    @classmethod
    def of(cls, view: service.MatchView, info: Info) -> MatchCandidate:
        state = info.context.geography.state(view.record.state or "")
        assert state is not None  # validated on write
        if view.row is None:  # masked: into the access log (``audit_reads``), under the candidate's own case id
            info.context.reads.record(cls.__name__, view.record.case_id, MASKED)
        return cls(
            id=strawberry.ID(view.pair_id),
            case=case_of(view.row) if view.row is not None else None,
            reference=view.reference,
            state=State.of(state),
            score=view.match.score,
            band=view.match.band,
            factors=[MatchFactor(field=f.field, weight=f.weight, detail=f.detail) for f in view.match.factors],
            status=view.status,
            source=view.source,
        )


@strawberry.input(description="What is known of a child, to search before creating a record.")
class ChildDescriptionInput:
    name: str | None = strawberry.field(default=None, description="Name or part of it, any script.")
    aliases: list[str] = strawberry.field(
        default_factory=list, description=f"Nicknames and other names (at most {MAX_ALIASES})."
    )
    gender: Gender = strawberry.field(default=Gender.UNKNOWN, description="Gender, if known.")
    age_years: int | None = strawberry.field(
        default=None,
        description=f"Age on eventDate, 0-{MAX_ESTIMATED_AGE}: an estimate (a found child of 17 may look 19).",
    )
    date_of_birth: date | None = strawberry.field(default=None, description="Date of birth, if known.")
    height_cm: int | None = strawberry.field(default=None, description="Height in cm.")
    complexion: str | None = strawberry.field(default=None, description="Complexion as described.")
    identifying_marks: list[str] = strawberry.field(
        default_factory=list, description=f"Scars, moles, birthmarks (at most {MAX_LISTED})."
    )
    languages: list[str] = strawberry.field(
        default_factory=list, description=f"Languages spoken, ISO 639 codes (at most {MAX_LISTED})."
    )
    clothing: str | None = strawberry.field(default=None, description="Clothing.")
    guardian_names: list[str] = strawberry.field(
        default_factory=list, description=f"Parents' or guardians' names (at most {MAX_GUARDIANS})."
    )
    state: str | None = strawberry.field(default=None, description="LGD state code of the place.")
    district: str | None = strawberry.field(default=None, description="LGD district code of the place.")
    latitude: float | None = strawberry.field(default=None, description="WGS 84 latitude of the place.")
    longitude: float | None = strawberry.field(default=None, description="WGS 84 longitude of the place.")
    event_date: date | None = strawberry.field(default=None, description="When the child was seen or found.")
    search_kinds: list[CaseKind] = strawberry.field(
        default_factory=lambda: [CaseKind.MISSING], description="Which cases to search (default MISSING)."
    )

    def to_domain(self, info: Info) -> tuple[MatchRecord, frozenset[CaseKind]]:
        geography, today = info.context.geography, info.context.today
        if not self.search_kinds:
            raise BadUserInput("description.searchKinds", "name at least one kind")
        if self.state is not None and geography.state(self.state) is None:
            raise BadUserInput("description.state", f"{self.state!r} is not an LGD state code")
        if self.district is not None:
            district = geography.district(self.district)
            if district is None or (self.state is not None and district.state_code != self.state):
                raise BadUserInput("description.district", f"{self.district!r} is not a district of the state")
        if self.age_years is not None and not 0 <= self.age_years <= MAX_ESTIMATED_AGE:
            raise BadUserInput("description.ageYears", f"{self.age_years} is outside 0-{MAX_ESTIMATED_AGE}")
        check_counts(
            ("description.aliases", self.aliases, MAX_ALIASES),
            ("description.guardianNames", self.guardian_names, MAX_GUARDIANS),
            ("description.identifyingMarks", self.identifying_marks, MAX_LISTED),
            ("description.languages", self.languages, MAX_LISTED),
        )
        if self.height_cm is not None and not 30 <= self.height_cm <= 220:
            raise BadUserInput("description.heightCm", f"{self.height_cm} cm is not a child's height")
        for name, value in (("eventDate", self.event_date), ("dateOfBirth", self.date_of_birth)):
            if value is not None and value > today:
                raise BadUserInput(f"description.{name}", "is in the future")
            if value is not None and value < today - OLDEST_EVENT:
                raise BadUserInput(f"description.{name}", "is more than 30 years ago")
        if self.date_of_birth is not None:
            age = years_between(self.date_of_birth, self.event_date or today)
            if not 0 <= age <= MAX_ESTIMATED_AGE:
                raise BadUserInput("description.dateOfBirth", f"makes the child {age} on the event date")
        if self.latitude is not None and not latitude_in_india(self.latitude):
            raise BadUserInput("description.latitude", "is outside India")
        if self.longitude is not None and not longitude_in_india(self.longitude):
            raise BadUserInput("description.longitude", "is outside India")
        kinds = frozenset(self.search_kinds)
        record = MatchRecord(
            kind=CaseKind.FOUND if CaseKind.MISSING in kinds else CaseKind.MISSING,
            gender=self.gender,
            name=(self.name or "").strip()[:200] or None,
            aliases=tuple(a.strip()[:100] for a in self.aliases if a.strip()),
            guardian_names=tuple(g.strip()[:200] for g in self.guardian_names if g.strip()),
            age_years=self.age_years,
            date_of_birth=self.date_of_birth,
            event_date=self.event_date or today,
            state=self.state,
            district=self.district,
            latitude=self.latitude,
            longitude=self.longitude,
            height_cm=self.height_cm,
            identifying_marks=tuple(m.strip()[:200] for m in self.identifying_marks if m.strip()),
            clothing=(self.clothing or "").strip()[:500] or None,
            languages=tuple(language_codes("description.languages", self.languages)),
        )
        return record, kinds


async def find_matches(
    info: Info,
    description: ChildDescriptionInput,
    first: int = 10,
    sources: Annotated[
        list[str] | None,
        strawberry.argument(
            description="Where to look: 'local' (the hub's store), connector ids (see `sources`), or 'all'; as "
            "for `cases`. Default: local. Live systems are searched concurrently under one deadline and their "
            "records scored like stored ones; one that fails is reported in `errors` (UPSTREAM_TIMEOUT, "
            "UPSTREAM_UNAVAILABLE, with its `source`) and the rest is served."
        ),
    ] = None,
) -> list[MatchCandidate]:
    record, kinds = description.to_domain(info)
    found = await live_matches.find_matches(info.context, record, kinds, first, sources)
    info.context.upstream_errors += [(info.path.as_list(), e) for e in found.errors]
    return [MatchCandidate.of(v, info) for v in found.views]


async def match_candidates(info: Info, case_id: strawberry.ID, first: int = 10) -> list[MatchCandidate]:
    views = await service.match_candidates(info.context, str(case_id), first)
    return [MatchCandidate.of(v, info) for v in views]


async def review_match(
    info: Info, id: strawberry.ID, decision: MatchDecision, note: str | None = None
) -> MatchCandidate:
    view = await service.review_match(info.context, str(id), decision is MatchDecision.CONFIRM, note)
    return MatchCandidate.of(view, info)


# Matching answers whether a described child (and a named parent) is on record: agencies only. The public searches
# published notices (CONTRACT.md).
FIND_MATCHES = operation(
    any_of(Scope.MATCHES_READ),
    "Candidates for a described child, nationally, best first (matches:read): in the hub's store and, with "
    "`sources`, in live state systems. Candidates outside your jurisdiction are listed masked (state, reference, "
    "score and reasons, not the case).",
    resolver=find_matches,
)
MATCH_CANDIDATES = operation(
    any_of(Scope.MATCHES_READ),
    "Candidates for a case, best first (matches:read).",
    resolver=match_candidates,
    records={"caseId": rule.case_named},
)
REVIEW_MATCH = operation(
    any_of(Scope.MATCHES_REVIEW),
    "Confirm (both cases resolved, a REUNIFIED event on each) or reject (never proposed again) a match "
    "(matches:review; both cases must be yours to see).",
    resolver=review_match,
    records={"id": rule.match_named},
)
