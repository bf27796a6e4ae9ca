"""Alert texts in every language, and how an SMS of each travels (``domain.alert_messages``, ``domain.sms``)."""

from __future__ import annotations

import re
import string

import pytest

from trackchild_hub.domain.alert_messages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    STATE_LANGUAGES,
    TEXTS,
    language_for,
    render,
)
from trackchild_hub.domain.alerts import AlertRule
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.domain.sms import sms_shape

REQUIRED = {"en", "hi", "bn", "ta", "te", "mr", "gu", "kn", "ml", "pa", "or", "as", "ur"}
# Unique values per field, so a text that drops one is caught.
FIELDS = {
    AlertRule.NEW_MISSING_CASE: {"reference": "WB-2026-000042", "place": "Howrah, West Bengal"},
    AlertRule.LIKELY_MATCH: {"missing": "WB-2026-000042", "other": "BR-2026-000007"},
    AlertRule.CITIZEN_REPORT_OVERDUE: {"reference": "CR-7K2M9Q4XWD", "hours": "13"},
    AlertRule.DISTRICT_DIGEST: {
        "district": "Howrah",
        "date": "2026-11-29",
        "new": "101",
        "traced": "202",
        "pending": "303",
        "overdue": "404",
    },
    AlertRule.ESCALATED_TO_AHTU: {"reference": "WB-2026-000042"},
    AlertRule.AHTU_REPORT_OVERDUE: {"reference": "WB-2026-000042", "date": "2027-03-01"},
}
LINK = "https://trackchild.wb.gov.in/cases/WB-2026-000042"
# The script each language is written in (a text in the wrong script is a wrong text).
SCRIPTS = {
    "hi": "\u0900-\u097f",
    "mr": "\u0900-\u097f",
    "bn": "\u0980-\u09ff",
    "as": "\u0980-\u09ff",
    "pa": "\u0a00-\u0a7f",
    "gu": "\u0a80-\u0aff",
    "or": "\u0b00-\u0b7f",
    "ta": "\u0b80-\u0bff",
    "te": "\u0c00-\u0c7f",
    "kn": "\u0c80-\u0cff",
    "ml": "\u0d00-\u0d7f",
    "ur": "\u0600-\u06ff",
}


def test_english_hindi_and_the_state_languages_have_every_rule() -> None:
    assert set(LANGUAGES) >= REQUIRED
    assert set(AlertRule) == set(TEXTS)
    for rule in AlertRule:
        assert set(TEXTS[rule]) == set(LANGUAGES), rule


@pytest.mark.parametrize("language", sorted(REQUIRED))
@pytest.mark.parametrize("rule", list(AlertRule))
def test_every_language_renders_every_rule_with_all_its_fields(rule: AlertRule, language: str) -> None:
    fields = FIELDS[rule] | {"link": LINK}
    subject, text = render(rule, language, **fields)
    for name, value in fields.items():
        if name != "link":
            assert value in text, (rule, language, name)
    assert text.endswith(LINK)
    for rendered in (subject, text):
        assert not re.search(r"[{}]", rendered), rendered  # no placeholder left, none misspelt
        assert rendered.startswith("TrackChild")
    # each placeholder named in a text is a field of the rule: format() would have raised otherwise, and no field
    # of another rule hides in it
    names = {n for _, n, _, _ in string.Formatter().parse(TEXTS[rule][language][1]) if n}
    assert names == set(fields)
    if language in SCRIPTS:
        assert re.search(f"[{SCRIPTS[language]}]", text), "written in the language's own script"
        letters = [c for c in text.replace(LINK, "") if c.isalpha() and not c.isascii()]
        assert all(re.match(f"[{SCRIPTS[language]}]", c) for c in letters), (language, text)
    else:
        assert text.isascii()


@pytest.mark.parametrize("language", sorted(REQUIRED))
@pytest.mark.parametrize("rule", list(AlertRule))
def test_each_sms_is_unicode_outside_english_and_takes_at_most_four_parts(rule: AlertRule, language: str) -> None:
    _, text = render(rule, language, **FIELDS[rule], link=LINK)
    shape = sms_shape(text)
    assert shape.encoding == ("GSM7" if language == "en" else "UCS2")
    assert 1 <= shape.segments <= 4, (rule, language, shape)


def test_a_body_is_written_to_in_its_recorded_language_else_its_states_else_english() -> None:
    assert language_for(["ta", "en"], "19") == "ta"
    assert language_for(["sat", "BN"], "33") == "bn"  # Santali has no texts: the next recorded language
    assert language_for([], "19") == "bn"  # West Bengal
    assert language_for([], "33") == "ta"  # Tamil Nadu
    assert language_for([], "27") == "mr"
    assert language_for([], "9") == "hi"  # Uttar Pradesh
    assert language_for([], "13") == DEFAULT_LANGUAGE  # Nagaland (English official)
    assert language_for([], None) == DEFAULT_LANGUAGE
    states = {s.code for s in load_geography().states}
    assert set(STATE_LANGUAGES) <= states
    assert set(STATE_LANGUAGES.values()) <= set(LANGUAGES)


def test_a_language_without_texts_renders_in_english() -> None:
    subject, _ = render(AlertRule.NEW_MISSING_CASE, "sat", **FIELDS[AlertRule.NEW_MISSING_CASE], link=LINK)
    assert subject == "TrackChild: missing child case WB-2026-000042"


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("a" * 160, "GSM7", 160, 1),
        ("a" * 161, "GSM7", 161, 2),
        ("a" * 306, "GSM7", 306, 2),
        ("a" * 307, "GSM7", 307, 3),
        ("{" * 80, "GSM7", 160, 1),  # extension characters take two septets
        ("{" * 81, "GSM7", 162, 2),
        ("Café £5 @ Köln", "GSM7", 14, 1),  # not ASCII, still GSM-7
        ("`quoted`", "UCS2", 8, 1),  # ASCII, not GSM-7
        ("ক" * 70, "UCS2", 70, 1),
        ("ক" * 71, "UCS2", 71, 2),
        ("ক" * 134, "UCS2", 134, 2),
        ("ক" * 135, "UCS2", 135, 3),
        ("😀" * 35, "UCS2", 70, 1),  # outside the BMP: two UTF-16 units each
    ],
)
def test_sms_encoding_and_parts(text: str, encoding: str, units: int, segments: int) -> None:
    shape = sms_shape(text)
    assert (shape.encoding, shape.units, shape.segments) == (encoding, units, segments)
