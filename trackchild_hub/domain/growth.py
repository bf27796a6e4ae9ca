"""A child's growth against the WHO references: the first thing a CWC looks at in a health check-up.

Three indicators, each a z-score by the WHO LMS method, ``z = ((X/M)^L - 1) / (L*S)``, with L, M, S read for the
child's sex and age in completed months from the tables the package ships (``domain/data/who_*.csv``, built by
``tools/who_growth_tables.py``, which says where the numbers come from):

- 0-60 months: WHO Child Growth Standards (2006); length below 24 months, height from 24 months, as WHO measures;
- 61-228 months: WHO Growth Reference for 5-19 years (2007); weight-for-age there stops at 120 months, because WHO
  does not publish it beyond 10 years (BMI-for-age is the indicator for older children).

For the weight-based indicators (weight-for-age, BMI-for-age) WHO does not extrapolate the LMS curve beyond +/-3 SD
(the distribution's tail is unreliable there): it measures the distance past the 3 SD line in units of the 2-3 SD
interval, and so does :func:`assess`. Height is normally distributed (L=1), so its z is used as it is.

A z-score below -2 is WHO's cut-off: underweight (weight-for-age), stunted (height-for-age), thin (BMI-for-age,
"thinness" in WHO 2007; "wasted" is weight-for-height, which is not computed here). Every value is ``None`` when it
cannot be computed: the measure is missing, the reference does not cover the age (below 0 or above 228 months, or
weight-for-age beyond 120), or the sex is neither MALE nor FEMALE, because the WHO references are sex-specific and
have no table for a transgender child or one whose sex is unknown; guessing one would mislabel the child.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .errors import BadUserInput

_SEXES = ("MALE", "FEMALE")
CUTOFF = -2.0


@dataclass(frozen=True, slots=True)
class Lms:
    """WHO's Box-Cox power (L), median (M) and coefficient of variation (S) at one age."""

    L: float
    M: float
    S: float

    def z(self, value: float, *, weight_based: bool) -> float:
        z: float = ((value / self.M) ** self.L - 1) / (self.L * self.S)
        if not weight_based or abs(z) <= 3:
            return z
        if z > 3:
            sd2, sd3 = self.at(2), self.at(3)
            return 3 + (value - sd3) / (sd3 - sd2)
        sd2, sd3 = self.at(-2), self.at(-3)
        return -3 + (value - sd3) / (sd2 - sd3)

    def at(self, z: float) -> float:
        """The measure at z-score ``z`` (the inverse of :meth:`z` inside +/-3 SD)."""
        measure: float = self.M * (1 + self.L * self.S * z) ** (1 / self.L)
        return measure


@dataclass(frozen=True, slots=True)
class Growth:
    """The WHO z-scores of one measurement and what they mean; ``None`` where not computable (see the module)."""

    weight_for_age_z: float | None
    height_for_age_z: float | None
    bmi_for_age_z: float | None
    underweight: bool | None
    stunted: bool | None
    thin: bool | None


@cache
def _table(indicator: str) -> dict[tuple[str, int], Lms]:
    text = resources.files("trackchild_hub.domain").joinpath(f"data/who_{indicator}.csv").read_text("utf-8")
    rows: dict[tuple[str, int], Lms] = {}
    for line in text.splitlines()[1:]:
        sex, months, lms_l, lms_m, lms_s = line.split(",")
        rows[(sex, int(months))] = Lms(float(lms_l), float(lms_m), float(lms_s))
    return rows


def reference(indicator: str, sex: str, age_months: int) -> Lms | None:
    """The LMS of ``indicator`` (weight_for_age, height_for_age, bmi_for_age) or ``None`` where WHO has none."""
    return _table(indicator).get((sex, age_months))


def _check(field: str, value: float | None, low: float, high: float) -> None:
    # Far outside a child's range is a typing error (grams for kilograms, metres for centimetres), not a z-score.
    if value is not None and not (math.isfinite(value) and low <= value <= high):
        raise BadUserInput(field, f"{value} is outside {low:g}-{high:g}")


def _below(z: float | None) -> bool | None:
    return None if z is None else z < CUTOFF


def assess(sex: str, age_months: int, height_cm: float | None, weight_kg: float | None) -> Growth:
    """The child's WHO growth z-scores at ``age_months`` (completed months) from a height and weight.

    Raises :class:`BadUserInput` (fields ``heightCm``, ``weightKg``) for a measure no child can have.
    """
    _check("heightCm", height_cm, 20, 250)
    _check("weightKg", weight_kg, 0.5, 250)
    sex = sex.upper()
    if sex not in _SEXES:
        return Growth(None, None, None, None, None, None)
    wfa = hfa = bmi = None
    if weight_kg is not None and (lms := reference("weight_for_age", sex, age_months)) is not None:
        wfa = lms.z(weight_kg, weight_based=True)
    if height_cm is not None and (lms := reference("height_for_age", sex, age_months)) is not None:
        hfa = lms.z(height_cm, weight_based=False)
    if height_cm is not None and weight_kg is not None and (lms := reference("bmi_for_age", sex, age_months)):
        bmi = lms.z(weight_kg / (height_cm / 100) ** 2, weight_based=True)
    return Growth(wfa, hfa, bmi, _below(wfa), _below(hfa), _below(bmi))
