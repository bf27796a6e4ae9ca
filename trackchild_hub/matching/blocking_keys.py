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


# Letters a skeleton is written in (``names.skeleton``: consonants merged, vowels only at either end, as a, i, u, y).
SKELETON_LETTERS = "abcdfghijklmnprstuy"
NEIGHBOUR_MIN_LENGTH = 3  # a shorter skeleton is a letter away from too many other names (ram, raj, rai, ...)


def neighbour_keys(f: Features) -> list[str]:
    """Name keys one letter away from the query's own (a letter dropped, added or changed, two swapped): a name
    mistyped beyond its skeleton (Rajesh typed Rakesh, a consonant dropped) still meets its case. Every key that
    exists is another name, so the index looks them up only when the query's own keys found few candidates, and
    skips the large ones (``index``)."""
    own = {s for t, s in zip((*f.tokens, *f.alias_tokens), (*f.skeletons, *f.alias_skeletons), strict=True)
           if len(s) >= NEIGHBOUR_MIN_LENGTH and t not in names.COMMON_TOKENS}  # fmt: skip
    near = set().union(*map(one_edit, own)) - own if own else set()
    return [f"n:{s}" for s in sorted(near)]


def one_edit(word: str) -> set[str]:
    """Every word one edit from ``word`` over ``SKELETON_LETTERS`` (Damerau: adjacent letters swapped count one)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    dropped = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changed = {a + c + b[1:] for a, b in splits if b for c in SKELETON_LETTERS}
    added = {a + c + b for a, b in splits for c in SKELETON_LETTERS}
    return (dropped | swapped | changed | added) - {word, ""}


def mark_keys(f: Features) -> list[str]:
    """The words of the identifying marks: not blocking keys, but what tells the search which candidates hold a
    rare one (``vector_score.rare_marks``) and so may weigh more on marks than the levels do."""
    return [f"k:{word}" for word in dict.fromkeys(f.marks_text.split())]


def is_nameless(f: Features) -> bool:
    """No name, no parent's name: a child who gives only a pet name (Guddu, Munna) counts, since a report may never
    have recorded it."""
    named = [t for t in (*f.tokens, *f.alias_tokens) if not names.is_nickname(t)]
    return not named and not f.guardian_tokens
