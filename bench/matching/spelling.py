"""How one name gets written differently: transliteration variants, abbreviations, and other scripts.

Variants are the substitutions clerks and families actually make when writing Indian names in Latin letters
(Lakshmi/Laxmi, Srinivas/Sreenivas, Pooja/Puja, Vikas/Bikash, aspirates dropped, vowel length). Script switches
turn the Latin form into a rough ITRANS form (long vowels from doubled letters, the inherent vowel written where a
Devanagari, Bengali or Gurmukhi clerk would leave it implicit) and then into the script with indic_transliteration,
so the result is what a clerk who heard the name would write, not a scholarly spelling.
"""

from __future__ import annotations

import importlib
import random
from typing import Any

# indic_transliteration has no type information; held as Any rather than silenced per line.
_sanscript: Any = importlib.import_module("indic_transliteration.sanscript")

SCRIPTS = ("Devanagari", "Bengali", "Gurmukhi", "Tamil", "Telugu")
_SCHEME = {
    "Devanagari": _sanscript.DEVANAGARI,
    "Bengali": _sanscript.BENGALI,
    "Gurmukhi": _sanscript.GURMUKHI,
    "Tamil": _sanscript.TAMIL,
    "Telugu": _sanscript.TELUGU,
}
_IMPLICIT_SCHWA = {"Devanagari", "Bengali", "Gurmukhi"}  # a final consonant is written bare, not with a virama

# Substitutions in both directions (left <-> right), on lower-case tokens. Order does not matter: one is drawn.
VARIANT_PAIRS: tuple[tuple[str, str], ...] = (
    ("ee", "i"), ("oo", "u"), ("aa", "a"), ("ksh", "x"), ("sri", "sree"), ("shri", "sri"), ("v", "b"),
    ("v", "w"), ("bh", "b"), ("dh", "d"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("ph", "p"), ("jh", "j"),
    ("chh", "ch"), ("sh", "s"), ("z", "j"), ("q", "k"), ("ai", "e"), ("au", "o"), ("iya", "ia"),
    ("u", "oo"), ("i", "ee"), ("kr", "kri"), ("sw", "sv"), ("ph", "f"), ("x", "ksh"), ("b", "v"), ("w", "v"),
)  # fmt: skip

# Abbreviations as records write them: each token's family of forms (the first is a canonical spelling).
ABBREVIATIONS: tuple[tuple[str, ...], ...] = (
    ("Mohammed", "Md", "Md.", "Mohd", "Mohd.", "Mohammad", "Muhammad", "Mohamad"),
    ("Kumar", "Kr", "Kr."),
    ("Kumari", "Km", "Ku", "Ku."),
    ("Sheikh", "Sk", "Sk.", "Shaikh", "Shaik"),
)
_ABBREVIATION_FAMILY = {form.lower(): family for family in ABBREVIATIONS for form in family}

_VOWELS = frozenset("aeiou")

HONORIFICS_MALE = ("Master", "Shri", "Sri")
HONORIFICS_FEMALE = ("Baby", "Kumari", "Km.")


def variant_token(token: str, rng: random.Random, rounds: int = 1) -> str:
    """``token`` with ``rounds`` transliteration substitutions (fewer when no rule applies); case kept as title."""
    word = token.lower()
    for _ in range(rounds):
        options: list[tuple[str, str]] = []
        for left, right in VARIANT_PAIRS:
            if left in word:
                options.append((left, right))
            if right in word and len(right) > 1:  # single letters only left-to-right: "i" -> "ee", never "a" -> ...
                options.append((right, left))
        rng.shuffle(options)
        for old, new in options:
            changed = _replace_one(word, old, new, rng)
            if changed != word and len(changed) >= 2:
                word = changed
                break
    return word[:1].upper() + word[1:] if token[:1].isupper() else word


def _replace_one(word: str, old: str, new: str, rng: random.Random) -> str:
    positions = [i for i in range(len(word)) if word.startswith(old, i) and _stands_alone(word, i, old)]
    if not positions:
        return word
    at = rng.choice(positions)
    return word[:at] + new + word[at + len(old) :]


def _stands_alone(word: str, at: int, old: str) -> bool:
    """A one-letter rule must not split a digraph: the "b" of "bh", the "i" of "ai"."""
    if len(old) > 1:
        return True
    before, after = word[at - 1 : at] if at else "", word[at + 1 : at + 2]
    if old in _VOWELS:
        return before not in _VOWELS and after not in _VOWELS
    return after != "h"


def abbreviable(name: str) -> bool:
    return any(token.lower() in _ABBREVIATION_FAMILY for token in name.split())


def abbreviate(name: str, rng: random.Random) -> str:
    """Every token with an abbreviation family replaced by another form of it (Mohammed -> Md, Kumar -> Kr)."""
    out: list[str] = []
    for token in name.split():
        family = _ABBREVIATION_FAMILY.get(token.lower())
        if family is None:
            out.append(token)
        else:
            out.append(rng.choice([form for form in family if form.lower() != token.lower()]))
    return " ".join(out)


# Tokens every clerk knows how to write: vowel length and anusvara as in the script, not as heard.
_KNOWN_ITRANS = {
    "kumar": "kumAra", "kumari": "kumArI", "singh": "si.nha", "kaur": "kaura", "devi": "devI", "khatun": "khAtUna",
    "begum": "begama", "bibi": "bIbI", "mohammed": "mohammada", "md": "mohammada", "mohd": "mohammada",
    "yadav": "yAdava", "sharma": "sharmA", "ram": "rAma", "prasad": "prasAda", "sheikh": "shekha",
    "shaikh": "shekha", "khan": "khAna", "ansari": "a.nsArI", "reddy": "reDDI", "rao": "rAva", "das": "dAsa",
    "lakshmi": "lakShmI", "pooja": "pUjA", "sri": "shrI", "shri": "shrI", "sree": "shrI", "krishna": "kRiShNa",
}  # fmt: skip


def to_itrans(name: str, *, female: bool, implicit_schwa: bool) -> str:
    """A rough ITRANS reading of a Latin-letter name, as a clerk hearing it would spell it."""
    words: list[str] = []
    for raw in name.lower().replace(".", " ").split():
        if raw in _KNOWN_ITRANS:
            words.append(_KNOWN_ITRANS[raw])
            continue
        if raw.startswith(("sri", "shri")):
            raw = "shrI" + raw.removeprefix("shri").removeprefix("sri")
        if raw.endswith("y"):
            raw = raw[:-1] + "i"
        word = raw.replace("ksh", "kSh").replace("x", "kSh").replace("ee", "I").replace("oo", "U").replace("aa", "A")
        word = word.replace("chh", "Ch").replace("w", "v")
        if word.endswith("a") and female:
            word = word[:-1] + "A"
        elif word.endswith("i"):
            word = word[:-1] + "I"
        elif word.endswith("u"):
            word = word[:-1] + "U"
        elif implicit_schwa and word[-1:] not in ("A", "I", "U", "e", "o", "a"):
            word += "a"
        words.append(word)
    return " ".join(words)


def in_script(name: str, script: str, *, female: bool) -> str:
    """``name`` (Latin letters) written in ``script``, one of ``SCRIPTS``."""
    itrans = to_itrans(name, female=female, implicit_schwa=script in _IMPLICIT_SCHWA)
    if script in ("Tamil", "Telugu"):  # no nukta letters in these schemes: z, f, q would stay Latin
        itrans = itrans.replace("z", "j").replace("f", "ph").replace("q", "k")
    return str(_sanscript.transliterate(itrans, _sanscript.ITRANS, _SCHEME[script]))
