"""The best any matcher can do for nameless children on this generator: rank by the generator's own likelihood.

A nameless found child carries no name and no parent's name, so what identifies her is what ``sightings.sighting``
draws from her missing report: the date found, where, the age as estimated, the gender, height, marks, clothes,
languages and her own account of when she left. ``NamelessOracle.log_likelihood`` is log P(found record | missing
report) for every report at once, computed from the noise model's exact draws (``NoiseModel``, ``travel.Atlas.move``,
``sightings._found_on`` and ``_estimate``), with what a report does not say integrated out: the birth date within
the reported year of age (on a grid), the child's height centile (on a grid), the languages of a report that names
none (as its state's reports name them). With the prior of a nameless child (the young are picked more often,
``generator._suits``) it ranks the reports as a Bayes-optimal matcher would: no ranking of these records finds more
true reports in its first k. It reads the generator's truth about how records are made, never which report a found
child is: a diagnostic of the data (how much of recall@10 is out of reach), not a matcher.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.domain.geography import District
from trackchild_hub.matching.ages import YEAR
from trackchild_hub.matching.records import MatchRecord

from .children import HEIGHT_BOYS, HEIGHT_GIRLS
from .model import NoiseModel
from .people import BOTTOMS, COLOURS, TOPS
from .travel import DEFAULT_ROUTE, HUBS, ROUTES, Atlas, Distance

BIRTH_POINTS = 8  # birth dates tried within a reported year of age
Z = np.linspace(-4.0, 4.0, 81)  # height centiles (standard deviations), weighed by the normal density
Z_PRIOR = np.exp(-0.5 * Z**2) / np.exp(-0.5 * Z**2).sum()
_CURVES = (np.array(HEIGHT_GIRLS, float), np.array(HEIGHT_BOYS, float))
OUTFIT = 1 / (len(COLOURS) ** 2 * len(TOPS) * len(BOTTOMS))  # a new outfit: one draw of each part


def ndtr(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The standard normal CDF (Abramowitz and Stegun 7.1.26: error below 2e-7), for arrays."""
    z = np.abs(x) / math.sqrt(2)
    t = 1 / (1 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1 - poly * np.exp(-z * z)
    out: NDArray[np.float64] = 0.5 * (1 + np.sign(x) * erf)
    return out


def median_height(age: NDArray[np.float64], female: NDArray[np.bool_]) -> NDArray[np.float64]:
    """``children.height`` at z = 0, for arrays."""
    age = np.minimum(age, 17.0)
    whole = np.minimum(age.astype(np.int64), 17)
    upper = np.minimum(whole + 1, 17)
    out = np.empty_like(age)
    for curve, rows in zip(_CURVES, (female, ~female), strict=True):
        base = curve[whole]
        out = np.where(rows, base + (curve[upper] - base) * (age - whole), out)
    return out


_EPOCH = date(1970, 1, 1).toordinal()


def _calendar(ordinal: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(months since 1970-01, day of the month - 1) of day ordinals."""
    days = (ordinal - _EPOCH).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    return months.astype(np.int64), (days - months.astype("datetime64[D]")).astype(np.int64)


def years_between(birth: NDArray[np.int64] | int, on: NDArray[np.int64] | int) -> NDArray[np.int64]:
    """``domain.age.years_between`` for day ordinals, element by element (either side may be one day)."""
    b_month, b_day = _calendar(np.asarray(birth))
    o_month, o_day = _calendar(np.asarray(on))
    out: NDArray[np.int64] = (o_month - b_month - (o_day < b_day)) // 12
    return out


def adult_on(birth: NDArray[np.int64]) -> NDArray[np.int64]:
    """The day before the 18th birthday (``sightings._found_on``), as ordinals."""
    month, day = _calendar(birth)
    first = (month + 18 * 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + _EPOCH
    out: NDArray[np.int64] = first + day - 1
    return out


def estimate_table(model: NoiseModel) -> NDArray[np.float64]:
    """P(estimate e | true age A), A in 0..18, e in 0..estimate_max (``sightings._estimate``)."""
    table = np.zeros((19, model.estimate_max + 1))
    for age in range(19):  # 18: a report dated on the 18th birthday
        sd = model.age_error_sd[0 if age <= 5 else 1 if age <= 11 else 2]
        base = np.zeros(2 * model.age_error_max + 1)
        steps = np.arange(-40.0, 41.0)  # round(N(0, sd)) = k, clamped to the maximum error
        chance: NDArray[np.float64] = ndtr((steps + 0.5) / sd) - ndtr((steps - 0.5) / sd)
        at = np.clip(steps, -model.age_error_max, model.age_error_max).astype(np.int64) + model.age_error_max
        np.add.at(base, at, chance)
        errors: dict[int, float] = {k - model.age_error_max: float(p) for k, p in enumerate(base)}
        if age <= 5:
            wild = dict.fromkeys(range(2, model.age_error_max + 1), 0.5 / (model.age_error_max - 1))
            errors = {e: (1 - model.young_misjudged) * p for e, p in errors.items()}
            for e, p in wild.items():
                errors[e] = errors.get(e, 0.0) + model.young_misjudged * p
                errors[-e] = errors.get(-e, 0.0) + model.young_misjudged * p
        adult = 14 <= age <= 17
        for error, p in errors.items():
            table[age, max(0, min(model.estimate_max, age + error))] += (1 - model.adult_looking if adult else 1) * p
        if adult:
            top = min(model.estimate_max, age + model.age_error_max)
            table[age, 18 : top + 1] += model.adult_looking / (top - 17)
    return table


def delay_pmf(care: bool, span: int) -> NDArray[np.float64]:
    """P(days from going missing to found = d), d in 0..span, before the generator keeps the finds by today and
    before 18 (``sightings._found_on``)."""
    pmf = np.zeros(span + 1)
    quick = np.arange(span + 1)
    pmf += 0.55 * np.exp(-quick / 15) * (1 - math.exp(-1 / 15))  # int(expovariate(1/15))
    pmf[60:731] += 0.3 / 671
    pmf[730:2921] += 0.15 / 2191
    if care:
        pmf = np.convolve(pmf, np.r_[np.zeros(30), np.full(671, 1 / 671)])[: span + 1]
    return pmf


def _codes(values: Sequence[object], empty: object) -> tuple[NDArray[np.int64], dict[object, int]]:
    """Each value's number (-1 for ``empty``) and the numbering."""
    numbering: dict[object, int] = {}
    codes = [-1 if v == empty else numbering.setdefault(v, len(numbering)) for v in values]
    return np.array(codes, dtype=np.int64), numbering


@dataclass(frozen=True)
class Reports:
    """The missing reports as arrays (codes: -1 where a report says nothing)."""

    female: NDArray[np.bool_]
    gender: NDArray[np.int64]
    age: NDArray[np.int64]  # -1 unknown
    dob: NDArray[np.int64]  # ordinal, 0 unknown
    missing: NDArray[np.int64]  # ordinal
    district: NDArray[np.int64]  # index into ``districts``
    districts: list[str]
    state: NDArray[np.int64]  # index into ``states``
    states: list[str]  # abbreviations
    height: NDArray[np.float64]  # NaN unknown
    mark: NDArray[np.int64]  # the one identifying mark's number
    marks: dict[object, int]
    clothing: NDArray[np.int64]
    outfits: dict[object, int]
    languages: NDArray[np.int64]
    spoken: dict[object, int]
    pet: NDArray[np.int64]  # the pet name recorded (one at most), casefolded
    pets: dict[object, int]

    @classmethod
    def of(cls, records: Sequence[MatchRecord], atlas: Atlas) -> Reports:
        districts, district = _codes([r.district or "" for r in records], None)
        states, state = _codes([atlas.abbreviation.get(r.state or "", "") for r in records], None)
        mark, marks = _codes([tuple(r.identifying_marks) for r in records], ())
        clothing, outfits = _codes([r.clothing for r in records], None)
        languages, spoken = _codes([tuple(r.languages) for r in records], ())
        pet, pets = _codes([r.aliases[0].casefold() if r.aliases else "" for r in records], "")
        return cls(
            np.array([r.gender is Gender.FEMALE for r in records]),
            np.array([_GENDERS.index(r.gender) for r in records]),
            np.array([r.age_years if r.age_years is not None else -1 for r in records]),
            np.array([r.date_of_birth.toordinal() if r.date_of_birth else 0 for r in records]),
            np.array([(r.event_date or date.min).toordinal() for r in records]),
            districts,
            [str(d) for d in sorted(district, key=district.__getitem__)],
            states,
            [str(s) for s in sorted(state, key=state.__getitem__)],
            np.array([r.height_cm if r.height_cm is not None else np.nan for r in records], float),
            mark,
            marks,
            clothing,
            outfits,
            languages,
            spoken,
            pet,
            pets,
        )


_GENDERS = list(Gender)
EVIDENCE = frozenset({"place", "dates", "age", "height", "told", "marks", "clothing", "languages", "prior"})


class NamelessOracle:
    def __init__(
        self,
        reports: Sequence[MatchRecord],
        today: date,
        model: NoiseModel | None = None,
        without: frozenset[str] = frozenset(),
    ) -> None:
        """``without``: evidence left out (``EVIDENCE``), to see what each part is worth."""
        if unknown := without - EVIDENCE:
            raise ValueError(f"no such evidence: {sorted(unknown)}")
        self.without = without
        self.model = model = model or NoiseModel()
        self.atlas = atlas = Atlas.load()
        self.r = r = Reports.of(reports, atlas)
        self.today = today.toordinal()
        self.estimates = estimate_table(model)
        span = self.today - int(r.missing.min()) + 1
        self.delays = {care: delay_pmf(care, span) for care in (False, True)}
        self._place: dict[str, NDArray[np.float64]] = {}
        self.district_of = {d.code: d for ds in atlas.by_state.values() for d in ds}
        # A report naming no language: the child speaks what her state's reports name, as often.
        said = np.zeros((len(r.states), len(r.spoken) + 1))
        np.add.at(said, (r.state, r.languages), 1.0)
        said[:, -1] = 0.0
        self.said = said / np.maximum(said.sum(axis=1, keepdims=True), 1.0)
        self.prior = self._prior()

    def _prior(self) -> NDArray[np.float64]:
        """log of each report's chance to be picked for a nameless child (``generator._suits``: the young more)."""
        prior: NDArray[np.float64] = np.log(np.where(self.r.age <= 6, 1.0, 0.3))
        return prior

    def place(self, found_in: str) -> NDArray[np.float64]:
        """P(found in ``found_in`` | home district), for every district the reports hold (``Atlas.move``)."""
        held = self._place.get(found_in)
        if held is None:
            homes = [self.district_of.get(code) for code in self.r.districts]
            held = np.array([self._moved(h, found_in) if h is not None else 0.0 for h in homes])
            self._place[found_in] = held
        return held

    def _moved(self, home: District, found_in: str) -> float:
        atlas, moves = self.atlas, self.model.moves
        state = atlas.state_of(home)
        p = moves[Distance.SAME_DISTRICT] if found_in == home.code else 0.0
        others = [d.code for d in atlas.by_state[state] if d.code != home.code]
        away = moves[Distance.OTHER_STATE]
        if others:
            own = [d.code for h in atlas.hubs.values() for d in h if d.state_code == home.state_code]
            own = [code for code in own if code != home.code]
            if found_in in others:
                to_hub = 0.5 / len(own) if found_in in own else 0.0
                p += moves[Distance.SAME_STATE] * (to_hub + (0.5 if own else 1.0) / len(others))
        else:  # one-district territories: the nearest hub instead
            away += moves[Distance.SAME_STATE]
        route = {hub: w for hub, w in ROUTES.get(state, DEFAULT_ROUTE).items() if HUBS[hub][0] != state}
        total = sum(route.values())
        for hub, w in route.items():
            codes = [d.code for d in atlas.hubs[hub]]
            if found_in in codes:
                p += away * w / total / len(codes)
        return p

    def log_likelihood(self, q: MatchRecord) -> NDArray[np.float64]:
        """log P(q | report) + log of the report's prior, for every report (-inf: impossible)."""
        out = np.full(len(self.r.age), -np.inf)
        rows = self._possible(q)
        with np.errstate(divide="ignore"):
            out[rows] = np.log(self._likelihood(q, rows)) + (0.0 if "prior" in self.without else self.prior[rows])
        return out

    def _possible(self, q: MatchRecord) -> NDArray[np.int64]:
        """The reports that could be ``q``'s at all (gender, dates, age, marks): the rest are impossible."""
        r = self.r
        found = (q.event_date or date.min).toordinal()
        keep = (r.missing <= found) & (r.age >= 0)
        if q.gender is not Gender.UNKNOWN:
            keep &= r.gender == _GENDERS.index(q.gender)
        if q.age_years is not None and "age" not in self.without:
            now = r.age + (found - r.missing) / YEAR
            keep &= (np.abs(q.age_years - now) <= self.model.age_error_max + 2) | (q.age_years >= 18)
        if q.identifying_marks and "marks" not in self.without:
            keep &= np.isin(r.mark, list(self._mark_chances(q)))
        return np.flatnonzero(keep)

    def _likelihood(self, q: MatchRecord, rows: NDArray[np.int64]) -> NDArray[np.float64]:
        r, model = self.r, self.model
        found = (q.event_date or date.min).toordinal()
        missing, age_told, dob = r.missing[rows], r.age[rows], r.dob[rows]
        n = len(rows)
        # Birth dates: the report's, or a grid over its year of age (the found record's, when it tells one).
        offsets = (np.arange(BIRTH_POINTS) + 0.5) / BIRTH_POINTS
        grid = missing[:, None] - np.floor((age_told[:, None] + offsets[None, :]) * YEAR).astype(np.int64)
        birth = np.where(dob[:, None] > 0, dob[:, None], grid)
        ok = np.ones((n, BIRTH_POINTS), bool)
        if q.date_of_birth is not None:
            told = q.date_of_birth.toordinal()
            ok &= np.where(dob > 0, dob == told, years_between(told, missing) == age_told)[:, None]
            birth = np.full_like(birth, told)
        age_days = found - birth
        age = years_between(birth.ravel(), found).reshape(birth.shape)
        ok &= (age >= 0) & (age <= 18)
        like = ok.astype(float)
        # Found date: the delay's chance. Only finds by today and before 18 are kept (``sightings.found_in_time``):
        # a report's chance to be kept and the delay's given that multiply back to the delay's own.
        pmf = self.delays[q.kind is CaseKind.CARE]
        top = len(pmf) - 1
        cap = np.minimum(self.today, adult_on(birth.ravel()).reshape(birth.shape))
        elapsed = found - missing
        p_date = 1.0 if "dates" in self.without else pmf[np.clip(elapsed, 0, top)][:, None]
        like *= np.where(found > cap, 0.0, p_date)
        # Gender: a small child's is now and then recorded unknown.
        young = age <= 5
        unknown = model.unknown_gender_young
        like *= np.where(young, unknown, 0.0) if q.gender is Gender.UNKNOWN else np.where(young, 1 - unknown, 1.0)
        if q.age_years is not None and "age" not in self.without:
            like *= self.estimates[np.clip(age, 0, 18), min(q.age_years, model.estimate_max)]
        if q.height_cm is not None and "height" not in self.without:
            like *= self._height(q.height_cm, age_days / YEAR, rows)
        if (
            q.missing_since is not None and "told" not in self.without
        ):  # when she says she left: around the report's date, capped at the find
            said = q.missing_since.toordinal()
            sd = 10 + elapsed * 0.1
            k = said - missing
            p = np.where(said >= found, 1 - ndtr((elapsed - 0.5) / sd), ndtr((k + 0.5) / sd) - ndtr((k - 0.5) / sd))
            like *= p[:, None]
        total = like.mean(axis=1)
        parts: dict[str, Callable[[], NDArray[np.float64]]] = {
            "place": lambda: self.place(q.district or "")[r.district[rows]],
            "marks": lambda: self._marks(q, rows),
            "clothing": lambda: self._clothing(q, rows, elapsed),
            "languages": lambda: self._languages(q, rows),
        }
        for name, part in parts.items():
            if name not in self.without:
                total = total * part()
        out: NDArray[np.float64] = total
        return out

    def _height(self, found_cm: int, age_years: NDArray[np.float64], rows: NDArray[np.int64]) -> NDArray[np.float64]:
        """P(the found height | the report's height, if any), through the child's centile."""
        r = self.r
        female = r.female[rows]
        med = median_height(age_years.ravel(), np.repeat(female, BIRTH_POINTS)).reshape(age_years.shape)
        mu = med[:, :, None] * (1 + 0.045 * Z[None, None, :])
        p_found = ndtr((found_cm + 0.5 - mu) / 1.5) - ndtr((found_cm - 0.5 - mu) / 1.5)
        weight = np.broadcast_to(Z_PRIOR, (len(rows), len(Z))).copy()
        reported = r.height[rows]
        known = ~np.isnan(reported)
        if known.any():  # the report's height: its median at the reported age, +-5 cm, rounded
            rep = median_height(r.age[rows][known].astype(float), female[known])[:, None] * (1 + 0.045 * Z[None, :])
            h = reported[known][:, None]
            overlap = np.clip(np.minimum(h + 0.5 - rep, 5.0) - np.maximum(h - 0.5 - rep, -5.0), 0.0, None) / 10
            w = overlap * Z_PRIOR[None, :]
            weight[known] = w / np.maximum(w.sum(axis=1, keepdims=True), 1e-300)
        out: NDArray[np.float64] = (p_found * weight[:, None, :]).sum(axis=2)
        return out

    def _marks(self, q: MatchRecord, rows: NDArray[np.int64]) -> NDArray[np.float64]:
        """A report's mark is the child's; the found record notes it (half the time shortened) or not."""
        mark = self.r.mark[rows]
        if not q.identifying_marks:
            return np.where(mark >= 0, 1 - self.model.marks_noticed, 1.0)
        chance = self._mark_chances(q)
        return np.array([chance.get(int(c), 0.0) for c in mark])

    def _mark_chances(self, q: MatchRecord) -> dict[int, float]:
        """P(the found record's marks | the report's mark), by the reports' mark numbers, where not 0."""
        told, noticed = tuple(q.identifying_marks), self.model.marks_noticed
        out: dict[int, float] = {}
        for marks, code in self.r.marks.items():
            assert isinstance(marks, tuple)
            (mark,) = marks
            short = mark.replace(" on ", " ")
            if told in ((mark,), (short,)):
                out[code] = noticed * (1.0 if short == mark else 0.5)
        return out

    def _clothing(self, q: MatchRecord, rows: NDArray[np.int64], elapsed: NDArray[np.int64]) -> NDArray[np.float64]:
        """Relative to a new outfit's chance (the same for every report): the clothes kept, within days."""
        if q.clothing is None:
            return np.ones(len(rows))
        clothing = self.r.clothing[rows]
        same = clothing == self.r.outfits.get(q.clothing, -2)
        kept = (clothing >= 0) & (elapsed <= self.model.clothing_changed_after_days)
        return np.where(kept, 0.3 + 0.7 * same / OUTFIT, 1.0)

    def _languages(self, q: MatchRecord, rows: NDArray[np.int64]) -> NDArray[np.float64]:
        told = tuple(q.languages)
        kept = self.model.languages_kept
        other = (1 - kept) * (0.3 if told == ("Hindi",) else 0.7 if not told else 0.0)
        code = self.r.spoken.get(told, -2) if told else -2
        spoken = self.r.languages[rows]
        said = self.said[self.r.state[rows], code] if code >= 0 else np.zeros(len(rows))
        p = np.where(spoken >= 0, spoken == code, said)
        return kept * p + other


def rank_of(scores: NDArray[np.float64], truth: int) -> tuple[int, int]:
    """(best, worst) 1-based rank of ``truth``: ties either way."""
    s = scores[truth]
    return int((scores > s).sum()) + 1, int((scores >= s).sum())


class AnyChildOracle(NamelessOracle):
    """``NamelessOracle`` with no prior: any child may be described so (``generator._suits`` favours the young only
    for nameless children)."""

    def _prior(self) -> NDArray[np.float64]:
        return np.zeros(len(self.r.age))


class NicknameOracle(AnyChildOracle):
    """``NamelessOracle`` for a found child known only by a pet name, with no parent's name (70% of them): the same
    evidence, with no prior (any child may be known by a pet name, ``generator._suits``), and the name as the
    generator makes it (``generator._see``): her report records her pet name as its alias (``nickname_alias``) or
    records none; a report recording another alias is another child's. How likely a child's pet name is comes from
    the reports' aliases of her gender (pet names are drawn by gender, Zipf-skewed), smoothed."""

    @cached_property
    def shares(self) -> NDArray[np.float64]:
        """P(pet name | gender): gender by the reports' pet name numbers, one more column for a name none records."""
        r = self.r
        shares = np.zeros((len(_GENDERS), len(r.pets) + 1))
        held = r.pet >= 0
        np.add.at(shares, (r.gender[held], r.pet[held]), 1.0)
        shares += 0.5  # a pet name no report records is still some child's (Jeffreys' smoothing)
        out: NDArray[np.float64] = shares / shares.sum(axis=1, keepdims=True)
        return out

    def log_likelihood(self, q: MatchRecord) -> NDArray[np.float64]:
        r, recorded = self.r, self.model.nickname_alias
        code = r.pets.get((q.name or "").casefold(), len(r.pets))
        share = self.shares[r.gender, code]
        name = np.where(r.pet == code, recorded, np.where(r.pet < 0, (1 - recorded) * share, 0.0))
        with np.errstate(divide="ignore"):
            out: NDArray[np.float64] = super().log_likelihood(q) + np.log(name)
        return out
