"""E-files for the demo's children in care: what a CCI records over a stay, drawn from each CARE record.

Per child: the admission order (the record's own), a Social Investigation Report within a fortnight, an Individual
Care Plan within a month, health check-ups every few months (a sixth of the children small for their age, so the
WHO flags show), schooling or vocational progress, counselling sessions, CWC/JJB reviews every four months (a few
not held: the overdue list has something to show), and for a child who left: the restoration, repatriation or
transfer and the follow-ups done so far (some missed). A few entries are corrected once, so histories show too.
Long stays keep only their last year and a half of routine entries. Plain domain sections, deterministic per seed;
``sandbox.care_seed`` writes them. Imports only domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from random import Random
from typing import Any

from ...domain import care_entries as c
from ...domain.care_entries import FOLLOW_UP_MONTHS
from ...domain.care_schedule import add_months

ROUTINE_WINDOW = timedelta(days=540)
COUNSELLORS = ("Ms. R. Sen", "Mr. A. Khan", "Ms. P. Iyer", "Ms. S. Das", "Mr. V. Patil")
CONDITIONS = ("anaemia", "scabies", "dental caries", "worm infestation", "myopia", "vitamin A deficiency")
VACCINES = ("MR-2", "DPT booster", "Td", "OPV booster", "Typhoid conjugate", "HPV")


@dataclass(frozen=True, slots=True)
class DemoEntry:
    """One version to write: ``corrects`` = the index (in the child's list) of the entry this one supersedes."""

    section: c.Section
    recorded_on: date
    recorded_by: str
    corrects: int | None = None


def care_files(records: Iterable[dict[str, Any]], *, seed: int, today: date) -> Iterator[tuple[str, list[DemoEntry]]]:
    """(the record's external id, its entries in the order written) for each CARE record."""
    for record in records:
        if record.get("kind") != "CARE" or not record.get("external_id"):
            continue
        rng = Random(f"{seed}:care:{record['external_id']}")
        yield record["external_id"], _file(rng, record, today)


def _file(rng: Random, record: dict[str, Any], today: date) -> list[DemoEntry]:
    care = record["care"]
    admitted = date.fromisoformat(care["admission_date"])
    left = date.fromisoformat(care["exit_date"]) if care.get("exit_date") else None
    until = min(left or today, today)
    child = record["child"]
    home = care["institution"]
    cci = f"cci:{home}"
    out: list[DemoEntry] = []

    def add(section: c.Section, on: date, by: str = cci, corrects: int | None = None) -> None:
        if on <= today:
            out.append(DemoEntry(section, on, by, corrects))

    order = care.get("admission_order") or {}
    add(
        c.Admission(
            order_number=order.get("number") or f"CWC/{home}/{admitted.year}/{rng.randint(1, 900)}",
            order_date=date.fromisoformat(order["date"]) if order.get("date") else admitted,
            ordered_by=c.CareBody.CWC,
            admitted_on=admitted,
            production_report=rng.choice(
                (
                    "Produced by RPF after being found alone on the platform.",
                    "Produced by Childline; found begging near the bus stand.",
                    "Produced by the SJPU after rescue from a roadside eatery.",
                    "Brought by a relative unable to care for the child.",
                )
            ),
        ),
        admitted,
    )
    add(
        c.SocialInvestigation(
            prepared_on=admitted + timedelta(days=rng.randint(7, 15)),
            prepared_by="DCPU case worker",
            findings=rng.choice(
                (
                    "Family traced; parents are daily wage labourers; the child left after a quarrel.",
                    "Single mother, seasonal migrant; no other adult at home.",
                    "Family not yet traced; the child names a village but not the district.",
                    "Father deceased; grandmother willing to care, needs support.",
                )
            ),
            recommendation=rng.choice(("Restoration after family counselling.", "Sponsorship and restoration.", None)),
        ),
        admitted + timedelta(days=15),
        "dcpu:demo",
    )
    options = [c.CareOption.FAMILY, c.CareOption.KINSHIP, c.CareOption.FOSTER_CARE, c.CareOption.INSTITUTION]
    if rng.random() < 0.2:
        options.insert(2, c.CareOption.ADOPTION)
    needs = [
        c.Need(c.NeedArea.HEALTH, "Quarterly check-ups; treat what is found."),
        c.Need(c.NeedArea.EDUCATION_AND_TRAINING, "Enrol in the nearest school or a bridge course."),
        c.Need(c.NeedArea.EMOTIONAL, "Fortnightly counselling for the first three months."),
        c.Need(c.NeedArea.ATTACHMENTS, "Weekly phone call with the family once traced."),
        c.Need(c.NeedArea.FOLLOW_UP, "Follow-up at 1, 3 and 6 months after restoration."),
    ]
    plan_day = admitted + timedelta(days=rng.randint(20, 30))
    add(c.CarePlan(plan_day, options, needs[: rng.randint(3, 5)]), plan_day)
    routine_from = max(admitted, until - ROUTINE_WINDOW)
    _checkups(rng, child, admitted, routine_from, until, add, record)
    _education(rng, child, routine_from, until, add)
    for n in range(rng.randint(1, 4)):
        day = routine_from + timedelta(days=rng.randint(5, max(6, (until - routine_from).days)))
        note = rng.choice(
            (
                "Settling in; sleeps poorly; misses younger siblings.",
                "Talked about the journey; anxious about going home.",
                "More open; plays cricket with the others.",
                "Family session by phone; mother tearful, child calm.",
            )
        )
        mode = (
            c.CounsellingMode.FAMILY if n == 3 else rng.choice((c.CounsellingMode.INDIVIDUAL, c.CounsellingMode.GROUP))
        )
        add(c.Counselling(min(day, until), rng.choice(COUNSELLORS), mode, note), min(day, until))
    _reviews(rng, admitted, routine_from, until, left, today, add, len(out))
    if left is not None:
        _release(rng, record, left, today, add)
    out.sort(key=lambda e: e.recorded_on)
    return _with_a_correction(rng, out)


def _checkups(
    rng: Random, child: dict[str, Any], admitted: date, start: date, until: date, add: Any, record: dict[str, Any]
) -> None:
    reported = date.fromisoformat(record["event_date"])
    age = child.get("age_years")
    height_then = child.get("height_cm")
    if age is None:
        return
    small = rng.random() < 0.17  # stunted and underweight: what the CWC looks for first
    build = rng.uniform(0.72, 0.8) if small else rng.uniform(0.9, 1.12)  # the child's own, check-up after check-up
    day = start if start > admitted else admitted + timedelta(days=rng.randint(1, 5))
    while day <= until:
        years = age + (day - reported).days / 365.25
        if years >= 18:
            break
        height = (height_then or _median_height(age)) + 5.5 * (years - age) - (12 if small else 0)
        height = max(45.0, min(195.0, height + rng.uniform(-2, 2)))
        bmi = _median_bmi(years) * build * rng.uniform(0.98, 1.02)
        weight = max(2.5, min(140.0, bmi * (height / 100) ** 2))
        conditions = [rng.choice(CONDITIONS)] if rng.random() < 0.3 else []
        vaccines = [rng.choice(VACCINES)] if rng.random() < 0.25 else []
        add(c.HealthCheckup(day, round(height, 1), round(weight, 1), vaccines, conditions), day)
        day += timedelta(days=rng.randint(85, 120))


def _education(rng: Random, child: dict[str, Any], start: date, until: date, add: Any) -> None:
    age = child.get("age_years") or 10
    track = (
        c.LearningTrack.VOCATIONAL if age >= 15 else rng.choice((c.LearningTrack.SCHOOL, c.LearningTrack.BRIDGE_COURSE))
    )
    provider = "ITI, tailoring" if track is c.LearningTrack.VOCATIONAL else "Government Primary School"
    day = start + timedelta(days=rng.randint(30, 60))
    while day <= until:
        level = None if track is c.LearningTrack.VOCATIONAL else f"Class {min(10, max(1, age - 5))}"
        progress = rng.choice(
            ("Attends regularly; reading at grade level.", "Catching up in arithmetic.", "Irregular.")
        )
        add(c.Education(day, track, provider, level, progress), day)
        day += timedelta(days=rng.randint(150, 200))


def _reviews(
    rng: Random, admitted: date, start: date, until: date, left: date | None, today: date, add: Any, first: int
) -> None:
    day = add_months(admitted, 4)
    while day < start:
        day = add_months(day, 4)
    end = left or add_months(today, 4)  # a child still in care has their next review on the calendar
    while day <= end:
        scheduled = c.Review(c.CareBody.CWC, scheduled_on=day)
        add(scheduled, min(day - timedelta(days=30), today), "cwc:demo")
        if day < min(until, today) and rng.random() < 0.85:  # held (a new version of the same entry)
            held_on = min(day + timedelta(days=rng.randint(0, 3)), today)
            held = replace(scheduled, held_on=held_on, outcome="Continue care plan.")
            add(held, held.held_on or day, "cwc:demo", corrects=-1)
        day = add_months(day, 4)
    del first


def _release(rng: Random, record: dict[str, Any], left: date, today: date, add: Any) -> None:
    kind = rng.choices(list(c.ReleaseKind), (70, 15, 15))[0]
    state = record["place"]["state"]
    release = c.Release(kind=kind, released_on=left, order_number=f"CWC/REL/{left.year}/{rng.randint(1, 999)}")
    if kind is c.ReleaseKind.RESTORATION:
        release = replace(release, restored_to=rng.choice(("mother", "father", "grandmother", "uncle")))
    else:
        destination = "10" if state != "10" else "20"  # Bihar, or Jharkhand for a Bihari home
        release = replace(
            release,
            destination_state=destination,
            destination_cwc="CWC Patna" if destination == "10" else "CWC Ranchi",
            interpreter_needed=rng.random() < 0.3,
            escort="Police escort and a CCI caseworker",
        )
        if release.interpreter_needed:
            release = replace(release, interpreter_language="hi")
    add(release, left)
    if kind in c.FOLLOWED_UP:
        for month in FOLLOW_UP_MONTHS:
            due = add_months(left, month)
            if due <= today and rng.random() < 0.65:
                visit = due + timedelta(days=rng.randint(-3, 10))
                add(
                    c.FollowUp(month, min(visit, today), "DCPU outreach worker", rng.random() < 0.85), min(visit, today)
                )


def _with_a_correction(rng: Random, entries: list[DemoEntry]) -> list[DemoEntry]:
    """Resolve ``corrects=-1`` (the latest earlier entry of the same section and day) and add one typo fixed."""
    out: list[DemoEntry] = []
    for e in entries:
        if e.corrects == -1:
            target = next(
                i
                for i in range(len(out) - 1, -1, -1)
                if isinstance(out[i].section, c.Review) and out[i].section.scheduled_on == e.section.scheduled_on  # type: ignore[union-attr]
            )
            e = replace(e, corrects=target)
        out.append(e)
    checkups = [i for i, e in enumerate(out) if isinstance(e.section, c.HealthCheckup) and e.section.weight_kg]
    if checkups and rng.random() < 0.3:
        i = rng.choice(checkups)
        first = out[i]
        assert isinstance(first.section, c.HealthCheckup)
        assert first.section.weight_kg is not None
        fixed = replace(first.section, weight_kg=round(first.section.weight_kg + rng.choice((-1.0, 1.0)), 1))
        out.append(DemoEntry(fixed, first.recorded_on + timedelta(days=1), first.recorded_by, corrects=i))
    return out


def _median_height(age: int) -> float:
    return 76.0 + 6.2 * age if age < 13 else 156.0 + 2.0 * (age - 13)


def _median_bmi(years: float) -> float:
    return 15.5 + max(0.0, years - 6) * 0.55
