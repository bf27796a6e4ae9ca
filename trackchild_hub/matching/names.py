"""Normalisation of Indian names and their phonetic skeletons, for blocking and scoring.

``normalise`` turns any spelling of a name into lower-case ASCII words: Indic scripts transliterated with schwa
deletion (राहुल -> rahul), titles and relation markers dropped (Smt, Kumari as a title, S/o), abbreviations expanded
to one form (Md, Mohd -> mohammad; Sk -> shaikh; Kr -> kumar), punctuation and digits gone. ``skeleton`` then keys one
word by its consonants, so that spellings of one name meet (Lakshmi, Laxmi, Luxmi -> lksmi) and different names stay
apart (Sunita snt, Sumita smt). Very common words (kumar, devi, …) are kept: the scorer weighs them by frequency.

Everything is computed from module constants; words are cached, so building an index of a million names pays for each
distinct word once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .names_indic import INDIC_RUN, transliterate
from .names_lexicon import (
    CANONICAL,
    COMMON_TOKENS,
    NICKNAMES,
    NOT_A_NAME_AFTER_BABY,
    SEPARATORS,
    TITLES,
    TRAILING_TITLES,
)

__all__ = ["COMMON_TOKENS", "NICKNAMES", "is_nickname", "name_skeletons", "normalise", "skeleton", "tokens"]

_INDIC = re.compile(INDIC_RUN)
_MARKER = "\x00"  # stands for a relation marker until the name is split into its parts
# S/o, D/o, W/o, C/o, B/o (baby of), H/o (husband of), F/N and M/N (father's, mother's name), "son of", aliases.
_MARKERS = re.compile(
    r"(?<![a-z])(?:[sdwcbh]\s*[/\\]\s*o|[fm]\s*[/\\]\s*n|(?:son|daughter|wife|husband|baby|care)\s+of)(?![a-z])\.?|@"
)
_RESIDENT_OF = re.compile(r"(?<![a-z])r\s*[/\\]\s*o(?![a-z]).*", re.DOTALL)  # "R/o <address>" is no part of a name
_BABY = frozenset({"baby", "bebi"})

# Latin letters with marks lose them; IAST and ISO 15919 letters become the spellings Indian names use.
_LATIN_SPECIAL = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ś": "sh",
    "ṣ": "sh", "ṛ": "ri", "ṝ": "ri", "ḷ": "li", "ḹ": "li", "ṃ": "n", "ṁ": "n", "ṅ": "n", "ñ": "n", "ṇ": "n",
    "ṉ": "n", "ṭ": "t", "ḍ": "d", "ḥ": "h", "ḻ": "zh", "ṟ": "r",
}  # fmt: skip
_JOINERS = frozenset("'`´ʹʻʼʽ‘’‛′")  # D'Souza is dsouza


def _fold(code_point: int) -> str:
    char = chr(code_point)
    if "a" <= char <= "z" or char == _MARKER:
        return char
    if char in _LATIN_SPECIAL:
        return _LATIN_SPECIAL[char]
    if char in _JOINERS:
        return ""
    category = unicodedata.category(char)
    if category[0] == "L":
        base = unicodedata.normalize("NFD", char)[0].lower()
        return base if "a" <= base <= "z" else ""  # letters of scripts without a transliteration are dropped
    if category in ("Mn", "Me", "Cf"):
        return ""
    return " "  # punctuation, digits, symbols, spaces


class _FoldTable(dict[int, str]):
    """A str.translate table that works out each character once, on first sight."""

    def __missing__(self, code_point: int) -> str:
        folded = self[code_point] = _fold(code_point)
        return folded


_FOLD = _FoldTable()
# The same for ASCII text, as a bytes table: letters stay, apostrophes go, everything else is a space.
_ASCII_FOLD = bytes(code if ord("a") <= code <= ord("z") or code == ord(_MARKER) else ord(" ") for code in range(256))
_ASCII_JOINERS = b"'`"
_ABBREVIATIONS = frozenset(CANONICAL)
_SPECIAL = TITLES | TRAILING_TITLES | SEPARATORS | _ABBREVIATIONS


def normalise(text: str | None) -> str:
    """The name as lower-case ASCII words separated by single spaces; "" for None or a name with no letters."""
    return " ".join(_words(text))


def tokens(text: str | None) -> tuple[str, ...]:
    """The words of ``normalise(text)``."""
    return tuple(_words(text))


def _words(text: str | None) -> list[str]:
    if not text:
        return []
    ascii_only = text.isascii()
    if ascii_only:
        text = text.lower()
    else:
        text = " ".join(map(_from_indic, unicodedata.normalize("NFKC", text).lower().split()))
        ascii_only = text.isascii()
    if "/" in text or "\\" in text or "@" in text or " of" in text:
        text = _MARKERS.sub(_MARKER, _RESIDENT_OF.sub("", text))
    if ascii_only:
        text = text.encode("ascii").translate(_ASCII_FOLD, _ASCII_JOINERS).decode("ascii")
    else:
        text = text.translate(_FOLD)
    if _MARKER in text:
        words = [word for part in text.split(_MARKER) for word in _tidy(part.split())]
    else:
        words = text.split()
        if _SPECIAL.isdisjoint(words):
            return words  # most names: nothing to drop or expand
    if not SEPARATORS.isdisjoint(words):
        words = _split_at_separators(words)
    words = _tidy(words)  # also a title left alone before a marker: "Smt W/o Ramesh"
    while len(words) > 1 and words[-1] in TRAILING_TITLES:
        del words[-1]
    return words


@lru_cache(maxsize=1 << 16)
def _from_indic(word: str) -> str:
    return _INDIC.sub(_transliterate, word)


def _transliterate(match: re.Match[str]) -> str:
    return f" {transliterate(match.group())} "


def _split_at_separators(words: list[str]) -> list[str]:
    tidied: list[str] = []
    part: list[str] = []
    for word in words:
        if word in SEPARATORS:
            tidied += _tidy(part)
            part = []
        else:
            part.append(word)
    return tidied + _tidy(part)


def _tidy(words: list[str]) -> list[str]:
    """Leading titles dropped while another word follows, then abbreviations expanded."""
    if len(words) > 1 and words[0] in TITLES:
        start = 0
        while len(words) - start > 1 and words[start] in TITLES:
            if words[start] in _BABY and words[start + 1] in NOT_A_NAME_AFTER_BABY:
                break
            start += 1
        words = words[start:]
    if not _ABBREVIATIONS.isdisjoint(words):
        words = [CANONICAL.get(word, word) for word in words]
    return words


# --- skeletons ---------------------------------------------------------------------------------------------------
# Spelling variation in Latin-script Indian names is mostly in the vowels (the schwa is written a, u, e or o: Mohammad,
# Muhammad, Mohammed, Luxmi; Hindi drops it where other languages keep it: Kamla, Kamala; Surender, Surendra), in
# aspiration (Sidharth, Siddharth), in s/sh (Srinivas, Shrinivas) and in letters that eastern scripts lack (Bengali and
# Odia have no v: Bijay, Rabi, Sabita; no z: Ajij). So the skeleton keeps the consonants with those merged, the class of
# an initial vowel (Asha, Isha, Usha differ) and the class of a final i, u or diphthong (Ravi rbi, Raju rju, Vijay
# bjy), and drops the other vowels.
_START = re.compile(r"^(?:hr|gn|jn|dny)")
_START_SPELLINGS = {"hr": "r", "gn": "gy", "jn": "gy", "dny": "gy"}  # Hrithik Rithik; Gnan Jnan Dnyan Gyan
_W_AS_VOWEL = re.compile(r"(?<=[aeo])w(?![aeiouy])")  # Gowri Gauri, Chowdhury Chaudhury
# Replacements are plain strings, never templates: re.sub(r"\1") parses the template on every call (4 µs a word).
_ASPIRATE = re.compile(r"(?<=[bcdfgjklmnpqrstvwxyz])h+")  # kh gh chh jh th dh bh sh: the h goes
_LETTERS = str.maketrans({"x": "ks", "q": "k", "z": "j", "w": "b", "v": "b"})
_Y_AS_VOWEL = re.compile(r"y(?![aeiou])")  # Pinky pinki, Vijay vijai
_GLIDE_Y = re.compile(r"(?<=[ie])y(?=[aeiou])|(?<=[aeiou])y(?=i)")  # Priya pria, Sayi sai
_DOUBLE = re.compile(r"(?<=(.))\1+")
_WORD = re.compile(r"[a-z]+")


def _spelling(word: str) -> str:
    """The word with consonant spellings merged and vowels only tidied (ee i, oo u): the key for pet names."""
    # Each step runs only when its letter is there: a million names have a few hundred thousand distinct words.
    if word[:1] in ("h", "g", "j", "d"):
        word = _START.sub(lambda match: _START_SPELLINGS[match.group()], word)
    word = word.replace("zh", "l").replace("ph", "f").replace("ck", "k")  # Azhagu Alagu, Phool Fool, Mallick Mallik
    if "w" in word:
        word = _W_AS_VOWEL.sub("u", word)
    if "h" in word:
        word = _ASPIRATE.sub("", word)
    word = word.translate(_LETTERS)
    if "y" in word:
        if word[0] == "y" and len(word) > 1 and word[1] in "aeiou":
            word = "j" + word[1:]  # Bengali and Odia য: Yamuna Jamuna, Yasmin Jasmin
        word = _GLIDE_Y.sub("", _Y_AS_VOWEL.sub("i", word))
    word = _DOUBLE.sub("", word.replace("ee", "i").replace("oo", "u"))
    if len(word) > 1 and word[-1] == "h" and word[-2] in "aeiou":
        word = word[:-1]  # Sarah Sara
    return word


@lru_cache(maxsize=1 << 17)
def skeleton(token: str) -> str:
    """The phonetic key of one normalised word (a word that is not normalised is normalised first)."""
    if not _WORD.fullmatch(token):
        token = "".join(_words(token))
    spelled = _spelling(CANONICAL.get(token, token))
    rest = spelled.lstrip("aeiou")
    middle = rest.rstrip("aeiou")
    first, last = spelled[: len(spelled) - len(rest)], rest[len(middle) :]
    middle = middle.encode("ascii").translate(None, b"aeiou").decode("ascii")
    return _initial_vowel(first) + middle + _final_vowel(last)


def _initial_vowel(run: str) -> str:
    """a for a (Asha), i for e i ai (Isha, Esha, Aisha), u for o u au (Usha, Umar, Omar)."""
    if not run:
        return ""
    if run[0] in "ou" or run.startswith("au"):
        return "u"
    return "i" if run[0] in "ei" or run.startswith(("ai", "ae")) else "a"


def _final_vowel(run: str) -> str:
    """i for a final i (Ravi), y for a diphthong (Vijai, Vijay, Bijoy, Roy), u for u; a e o go (Sunita, Subroto)."""
    if run.endswith("i"):
        return "y" if len(run) > 1 and run[-2] in "aeo" else "i"
    return "u" if run.endswith("u") else ""


def name_skeletons(text: str | None) -> tuple[str, ...]:
    """The skeleton of each word of the normalised name."""
    return tuple(map(skeleton, _words(text)))


_NICKNAME_SPELLINGS = frozenset(_spelling(nickname) for nickname in NICKNAMES)


@lru_cache(maxsize=1 << 16)
def is_nickname(token: str) -> bool:
    """Whether the word is a common pet name, in any of its spellings (Pinky, Pinki; Chotu, Chhotu)."""
    if not _WORD.fullmatch(token):
        token = "".join(_words(token))
    return token in NICKNAMES or _spelling(token) in _NICKNAME_SPELLINGS
