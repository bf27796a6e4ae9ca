"""WHO growth z-scores against WHO's own published numbers (both sexes, both references, the 60/61 seam)."""

from __future__ import annotations

import pytest

from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.growth import Growth, assess, reference

# WHO monthly LMS tables (WHO Child Growth Standards 2006, 0-5 years; WHO Growth Reference 2007, 5-19 years), as
# printed by WHO: (indicator, sex, months, L, M, S).
WHO_MONTHLY_LMS = [
    ("weight_for_age", "MALE", 0, 0.3487, 3.3464, 0.14602),
    ("weight_for_age", "FEMALE", 0, 0.3809, 3.2322, 0.14171),
    ("weight_for_age", "MALE", 12, 0.0644, 9.6479, 0.10925),
    ("weight_for_age", "MALE", 24, -0.0137, 12.1515, 0.11426),
    ("weight_for_age", "MALE", 60, -0.1506, 18.3366, 0.13517),
    ("height_for_age", "MALE", 0, 1, 49.8842, 0.03795),
    ("height_for_age", "FEMALE", 0, 1, 49.1477, 0.03790),
    ("height_for_age", "MALE", 12, 1, 75.7488, 0.03137),
    ("height_for_age", "FEMALE", 12, 1, 74.0150, 0.03479),
    ("height_for_age", "MALE", 24, 1, 87.1161, 0.03507),  # standing height from 24 months (length - 0.7 cm)
    ("height_for_age", "MALE", 60, 1, 109.9638, 0.04214),
    ("height_for_age", "FEMALE", 60, 1, 109.4233, 0.04346),
    ("height_for_age", "MALE", 61, 1, 110.2647, 0.04164),  # WHO 2007 starts
    ("bmi_for_age", "MALE", 61, -0.7387, 15.2641, 0.08390),
]

# WHO expanded (daily) z-score tables at days 487, 974, 1461 = exactly 16, 32, 48 months: -3 SD, -2 SD, median, +3 SD.
WHO_SD_LINES = [
    ("weight_for_age", "MALE", 16, 7.541, 8.431, 10.523, 14.628),
    ("weight_for_age", "FEMALE", 32, 9.140, 10.257, 13.093, 19.634),
    ("weight_for_age", "MALE", 48, 11.240, 12.713, 16.349, 24.178),
    ("weight_for_age", "FEMALE", 0, 2.033, 2.395, 3.232, 4.793),
    ("height_for_age", "MALE", 16, 72.458, 75.042, 80.211, 87.965),
    ("height_for_age", "FEMALE", 48, 89.809, 94.116, 102.731, 115.654),
]


@pytest.mark.parametrize(("indicator", "sex", "months", "lms_l", "lms_m", "lms_s"), WHO_MONTHLY_LMS)
def test_the_shipped_tables_hold_whos_monthly_lms(
    indicator: str, sex: str, months: int, lms_l: float, lms_m: float, lms_s: float
) -> None:
    lms = reference(indicator, sex, months)
    assert lms is not None
    assert pytest.approx(lms_l, abs=2e-4) == lms.L
    assert pytest.approx(lms_m, abs=2e-4) == lms.M
    assert pytest.approx(lms_s, abs=2e-5) == lms.S


@pytest.mark.parametrize(("indicator", "sex", "months", "sd3neg", "sd2neg", "median", "sd3"), WHO_SD_LINES)
def test_whos_sd_lines_have_their_z(
    indicator: str, sex: str, months: int, sd3neg: float, sd2neg: float, median: float, sd3: float
) -> None:
    def z(value: float) -> float | None:
        g = assess(sex, months, value, None) if indicator == "height_for_age" else assess(sex, months, None, value)
        return g.height_for_age_z if indicator == "height_for_age" else g.weight_for_age_z

    # WHO prints three decimals: 0.001 kg is up to ~0.006 SD at the low weights of month 0.
    assert z(median) == pytest.approx(0, abs=0.005)
    assert z(sd2neg) == pytest.approx(-2, abs=0.01)
    assert z(sd3neg) == pytest.approx(-3, abs=0.01)
    assert z(sd3) == pytest.approx(3, abs=0.01)


def test_weight_beyond_3_sd_is_measured_in_2_to_3_sd_intervals() -> None:
    # WHO: z = -3 + (y - SD3neg) / (SD2neg - SD3neg); one more interval below -3 SD is exactly -4.
    sd3neg, sd2neg = 7.541, 8.431  # boys, 16 months
    far = assess("MALE", 16, None, sd3neg - (sd2neg - sd3neg))
    assert far.weight_for_age_z == pytest.approx(-4, abs=0.02)
    lms = reference("weight_for_age", "MALE", 16)
    assert lms is not None
    plain = ((far_weight := sd3neg - (sd2neg - sd3neg)) / lms.M) ** lms.L - 1
    assert plain / (lms.L * lms.S) != pytest.approx(-4, abs=0.05), f"the LMS curve alone would differ at {far_weight}"
    # Height is not adjusted: 4 SD of a normal curve is M * (1 - 4S).
    hfa = reference("height_for_age", "MALE", 16)
    assert hfa is not None
    assert assess("MALE", 16, hfa.M * (1 - 4 * hfa.S), None).height_for_age_z == pytest.approx(-4)


def test_classification_at_the_minus_2_cut_off() -> None:
    thin_stunted_light = assess("FEMALE", 32, 84.0, 10.0)
    assert thin_stunted_light.stunted is True  # -2 SD is 84.939
    assert thin_stunted_light.underweight is True  # -2 SD is 10.257
    healthy = assess("FEMALE", 32, 92.2, 13.1)
    assert (healthy.stunted, healthy.underweight, healthy.thin) == (False, False, False)
    assert healthy.bmi_for_age_z is not None
    assert -1 < healthy.bmi_for_age_z < 1


def test_bmi_for_age_in_the_2007_reference() -> None:
    # WHO 2007, boys 5 years 1 month: BMI median 15.3, -2 SD 13.0, -3 SD 12.1 (WHO's printed chart table).
    height = 110.0
    at_median = assess("MALE", 61, height, 15.2641 * (height / 100) ** 2)
    assert at_median.bmi_for_age_z == pytest.approx(0, abs=1e-3)
    thin = assess("MALE", 61, height, 12.9 * (height / 100) ** 2)
    assert thin.bmi_for_age_z is not None
    assert -3 < thin.bmi_for_age_z < -2
    assert thin.thin is True


def test_the_60_61_month_seam_switches_reference() -> None:
    at_60 = reference("height_for_age", "FEMALE", 60)
    at_61 = reference("height_for_age", "FEMALE", 61)
    assert at_60 is not None
    assert at_61 is not None
    # WHO 2006 girls 60 months (rcpchgrowth's daily table once had the boys' row at day 1827, giving 109.56 here)
    assert pytest.approx(109.4233, abs=2e-4) == at_60.M
    assert pytest.approx(109.6016, abs=2e-4) == at_61.M  # WHO 2007 girls 61 months
    assert assess("FEMALE", 60, at_60.M, None).height_for_age_z == pytest.approx(0, abs=1e-4)
    assert assess("FEMALE", 61, at_61.M, None).height_for_age_z == pytest.approx(0, abs=1e-4)


def test_where_the_references_stop() -> None:
    # Weight-for-age: WHO 2007 publishes it only to 10 years (120 months); height and BMI go on to 19 years.
    at_120 = assess("FEMALE", 120, 138.0, 31.0)
    assert at_120.weight_for_age_z is not None
    at_121 = assess("FEMALE", 121, 138.0, 31.0)
    assert at_121.weight_for_age_z is None
    assert at_121.underweight is None
    assert at_121.height_for_age_z is not None
    assert at_121.bmi_for_age_z is not None
    assert assess("MALE", 228, 176.5432, 68.8).height_for_age_z == pytest.approx(0, abs=1e-4)
    assert assess("MALE", 229, 176.0, 68.0) == Growth(None, None, None, None, None, None)
    assert assess("MALE", -1, 50.0, 3.0) == Growth(None, None, None, None, None, None)


@pytest.mark.parametrize("sex", ["TRANSGENDER", "UNKNOWN", ""])
def test_no_sex_specific_reference_means_no_score(sex: str) -> None:
    # The WHO references are per sex; a transgender child or one of unknown sex gets no z-score, not a guessed one.
    assert assess(sex, 36, 95.0, 14.0) == Growth(None, None, None, None, None, None)


def test_a_missing_measure_leaves_its_indicators_unknown() -> None:
    only_height = assess("male", 36, 95.0, None)  # the sex is read case-insensitively
    assert only_height.height_for_age_z is not None
    assert (only_height.weight_for_age_z, only_height.bmi_for_age_z) == (None, None)
    assert (only_height.underweight, only_height.thin) == (None, None)


@pytest.mark.parametrize(
    ("height", "weight", "field"), [(0.0, 10.0, "heightCm"), (95.0, -1.0, "weightKg"), (9500.0, 14.0, "heightCm")]
)
def test_impossible_measures_are_bad_input(height: float, weight: float, field: str) -> None:
    with pytest.raises(BadUserInput) as raised:
        assess("MALE", 36, height, weight)
    assert raised.value.field == field
