"""The comparisons the matcher makes between two records, each in discrete levels: one level a pair (Fellegi-Sunter).

A pair falls into exactly one level of each comparison, or into none (level ``-1``: a value missing on either side,
so nothing was compared). What a level says is ``log2(m / u)``: ``m`` the chance of that level for two records of the
same child, ``u`` for two different children (``weights.py``). The priors here are the hand-set weights the matcher
used before it learned any (``training.py`` starts from them): set by hand, except ``u`` of names, parents' names,
age, gender and place, as measured on random pairs of synthetic Indian records (``bench.matching``): how often two
different children share a district (one pair in 250) is a fact of the population that hand-set figures got wrong.
Where the measured ``u`` ranked worse on that benchmark (height, dates, languages, marks, clothing: the comparisons
most dependent on the others), the hand-set figures stay. ``m`` and ``u`` each sum to 1 over a comparison's levels.

Levels are labels for training and for people: the explanations (``explain.py``) put the measured value beside them
(how many years apart, how many kilometres), never an identifying value. Age and distance are binned here for
training but weighed smoothly (``vector_score.py`` interpolates between adjacent levels' weights).
"""

from __future__ import annotations

from dataclasses import dataclass

NULL = -1  # not comparable: a value missing on either side


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[str, ...]
    prior_m: tuple[float, ...]
    prior_u: tuple[float, ...]


# Name levels: the best agreement of the query's name words (name and aliases) with the candidate's.
NAME_ALL, NAME_WORD, NAME_PET, NAME_SIMILAR, NAME_SOMEWHAT, NAME_UNRECORDED_PET, NAME_NONE = range(7)
# Levels whose weight is adjusted by how common the agreeing words are (term frequency, as Splink does).
NAME_TF_LEVELS = (NAME_ALL, NAME_WORD, NAME_PET)
GUARDIAN_AGREE, GUARDIAN_SOUNDS, GUARDIAN_SOMEWHAT, GUARDIAN_DIFFER = range(4)
GUARDIAN_TF_LEVELS = (GUARDIAN_AGREE, GUARDIAN_SOUNDS)
GENDER_SAME, GENDER_DIFFERS_YOUNG, GENDER_DIFFERS = range(3)
(
    DATES_LEFT_14_DAYS,
    DATES_LEFT_60_DAYS,
    DATES_14_DAYS,
    DATES_60_DAYS,
    DATES_YEAR,
    DATES_LATER,
    DATES_LEFT_FAR,
    DATES_CARE_60_DAYS,
    DATES_CARE_YEAR,
    DATES_CARE_3_YEARS,
    DATES_CARE_LATER,
) = range(11)
DATES_LEFT_HOME = (DATES_LEFT_14_DAYS, DATES_LEFT_60_DAYS)  # the found child's own account of when they left
DATES_FOUND = (DATES_14_DAYS, DATES_60_DAYS, DATES_YEAR, DATES_LATER)  # how long until found, the quickest first
DATES_CARE = (DATES_CARE_60_DAYS, DATES_CARE_YEAR, DATES_CARE_3_YEARS, DATES_CARE_LATER)  # until taken into care
CARE_SHARE = 0.3  # of found and cared-for children, those in care: the priors of the two kinds' levels apart
# A child's account of when she left blurs with the time since: it disagrees with a report's date when it is further
# off than 60 days and than this many days plus this share of the time from the report's date to the find.
LEFT_FAR_DAYS, LEFT_FAR_SHARE = 30.0, 0.3
SAME_DISTRICT = 0
DATE_SLACK_DAYS = 60  # a found date this much before the missing date is still a pair (dates are often approximate)

# Upper edges of the age levels, in standard deviations of the two estimates' combined error (``ages.py``).
AGE_Z_EDGES = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
# Upper edges of the distance levels after "same district", in km.
PLACE_KM_EDGES = (50.0, 150.0, 400.0, 1000.0)
HEIGHT_CM_EDGES = (4.0, 8.0, 14.0, 20.0)
MARKS_EDGES = (0.9, 0.6)  # token-set similarity at or above: agree, similar; below: differ
CLOTHING_EDGES = (0.9, 0.7)
# Clothes are compared only between records dated at most this many days apart: a child found weeks after going
# missing wears other clothes, so differing clothes then say nothing (and agreeing ones little).
CLOTHES_DAYS = 7

# How long until a child is in care (a children's home's record is made on admission, often months after the child
# was found), for the same child and by chance: as the found levels sum to (0.89 and 0.7275), spread later.
_CARE_M = (0.178, 0.4005, 0.2225, 0.089)
_CARE_U = (0.04, 0.19, 0.30, 0.1975)


def _share(probabilities: tuple[float, ...], share: float) -> tuple[float, ...]:
    return tuple(p * share for p in probabilities)


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        (
            "every word agrees with the reported name",
            "a word agrees with the reported name",
            "a word agrees with a recorded pet name",
            "similar spelling",
            "somewhat similar spelling",
            "only a pet name the report does not record",
            "no word agrees",
        ),
        (0.62, 0.10, 0.08, 0.05, 0.02, 0.07, 0.06),
        (0.0013, 0.0155, 0.0008, 0.0084, 0.009, 0.092, 0.873),
    ),
    Comparison(
        "guardians",
        ("a parent's name agrees", "a parent's name sounds alike", "parents' names somewhat similar", "differ"),
        (0.58, 0.20, 0.005, 0.215),
        (0.001, 0.035, 0.0001, 0.9639),
    ),
    Comparison(
        "age",
        (
            "within 0.5 sd",
            "0.5-1 sd",
            "1-1.5 sd",
            "1.5-2 sd",
            "2-2.5 sd",
            "2.5-3 sd",
            "3-4 sd",
            "more than 4 sd",
        ),
        (0.372, 0.290, 0.178, 0.085, 0.032, 0.011, 0.010, 0.022),  # far off: a wrong year typed, a wild guess
        (0.086, 0.080, 0.077, 0.076, 0.074, 0.069, 0.123, 0.415),
    ),
    Comparison(
        "gender",
        ("same", "differs, a young child", "differs"),
        (0.966, 0.03, 0.004),
        (0.504, 0.052, 0.444),
    ),
    Comparison(
        "place",
        ("same district", "within 50 km", "50-150 km", "150-400 km", "400-1,000 km", "over 1,000 km"),
        (0.30, 0.10, 0.12, 0.17, 0.16, 0.15),
        (0.0041, 0.0178, 0.0269, 0.122, 0.2858, 0.5434),
    ),
    Comparison("identifyingMarks", ("agree", "similar", "differ"), (0.40, 0.25, 0.35), (0.03, 0.035, 0.935)),
    Comparison("clothing", ("agree", "similar", "differ"), (0.55, 0.20, 0.25), (0.15, 0.14, 0.71)),
    Comparison("languages", ("a language in common", "none in common"), (0.85, 0.15), (0.42, 0.58)),
    Comparison(
        "height",
        ("fits growth within 4 cm", "within 8 cm", "within 14 cm", "within 20 cm", "more than 20 cm off"),
        (0.53, 0.27, 0.12, 0.04, 0.04),
        (0.22, 0.15, 0.12, 0.06, 0.45),
    ),
    # Most missing children are found within weeks, while a register's reports spread over years: a report from the
    # fortnight before a found date is rare by chance (about 1 in 100), common for the same child; so is a child's
    # own account of leaving home within days of a report's date, while an account far from it (``LEFT_FAR_DAYS``)
    # speaks against the pair: most random pairs with an account fall there, few of the same child. A found date
    # before the recorded date of going missing (the slack blocking allows for approximate dates) is no sign of a
    # quick find: it falls with "later".
    Comparison(
        "dates",
        (
            "left home within 2 weeks of the report's date",
            "left home within 60 days of the report's date",
            "found within 2 weeks",
            "found within 60 days",
            "found within a year",
            "found later, or dated before going missing",
            "left home far from the report's date",
            "in care within 60 days",
            "in care within a year",
            "in care within 3 years",
            "in care later, or dated before going missing",
        ),
        (0.055, 0.045, *_share((0.17, 0.13, 0.25, 0.34), 1 - CARE_SHARE), 0.01, *_share(_CARE_M, CARE_SHARE)),
        (0.003, 0.0095, *_share((0.01, 0.03, 0.23, 0.4575), 1 - CARE_SHARE), 0.26, *_share(_CARE_U, CARE_SHARE)),
    ),
)
BY_NAME: dict[str, Comparison] = {c.name: c for c in COMPARISONS}
