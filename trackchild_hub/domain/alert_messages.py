"""Alert texts per language: a reference and a link, never a child's name. Hindi and English now; a body whose
languages include neither is written to in English (the state languages' texts are still to come)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .alerts import AlertRule

DEFAULT_LANGUAGE = "en"

# rule -> language -> (subject, text); fields: reference, place, missing, other, link
TEXTS: Mapping[AlertRule, Mapping[str, tuple[str, str]]] = {
    AlertRule.NEW_MISSING_CASE: {
        "en": (
            "TrackChild: missing child case {reference}",
            "TrackChild: a child is reported missing, case {reference} ({place}). Please check and watch out. {link}",
        ),
        "hi": (
            "TrackChild: लापता बच्चे का मामला {reference}",
            "TrackChild: एक बच्चा लापता है, मामला {reference} ({place})। कृपया जाँच करें और सतर्क रहें। {link}",
        ),
    },
    AlertRule.LIKELY_MATCH: {
        "en": (
            "TrackChild: likely match for case {missing}",
            "TrackChild: likely match between missing case {missing} and case {other}. Please review. {link}",
        ),
        "hi": (
            "TrackChild: मामला {missing} का संभावित मिलान",
            "TrackChild: लापता मामला {missing} और मामला {other} में संभावित मिलान। कृपया समीक्षा करें। {link}",
        ),
    },
}


def language_for(languages: Iterable[str]) -> str:
    """The first of a body's languages the texts are written in, else English."""
    return next((code for code in languages if code in TEXTS[AlertRule.NEW_MISSING_CASE]), DEFAULT_LANGUAGE)


def render(rule: AlertRule, language: str, **fields: str) -> tuple[str, str]:
    """(subject, text) of ``rule`` in ``language``."""
    subject, text = TEXTS[rule][language]
    return subject.format(**fields), text.format(**fields)
