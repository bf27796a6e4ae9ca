"""Blocking keys: what puts a record in the same bucket as the query without scanning everything."""

from __future__ import annotations

from collections.abc import Iterable

from . import names
from .features import Features


def distinctive_languages(languages: Iterable[str]) -> tuple[str, ...]:
    """Languages that narrow a nationwide search: none when Hindi (or English) is among them, since a child far from
    home is often recorded as speaking the language of the place where they were found."""
    spoken = tuple(language.strip().casefold() for language in languages)
    return () if any(s in {"hi", "hin", "hindi", "en", "eng", "english"} for s in spoken) else spoken


def name_keys(f: Features) -> list[str]:
    """Blocking keys from names: skeletons of name and alias words (a nickname meets the aliases recorded for it),
    and of parents' names; and a recorded date of birth, which survives a name mistyped beyond its skeleton. Very
    common words (Kumar, Devi) are no key: they would block everyone together."""
    keys = [
        f"n:{s}"
        for t, s in zip((*f.tokens, *f.alias_tokens), (*f.skeletons, *f.alias_skeletons), strict=True)
        if s and t not in names.COMMON_TOKENS
    ]
    keys += [
        f"g:{s}"
        for t, s in zip(f.guardian_tokens, f.guardian_skeletons, strict=True)
        if s and t not in names.COMMON_TOKENS
    ]
    if f.recorded_birth_day is not None:
        keys.append(f"b:{f.recorded_birth_day}")
    return keys


def is_nameless(f: Features) -> bool:
    """No name, no parent's name: a child who gives only a pet name (Guddu, Munna) counts, since a report may never
    have recorded it."""
    named = [t for t in (*f.tokens, *f.alias_tokens) if not names.is_nickname(t)]
    return not named and not f.guardian_tokens
