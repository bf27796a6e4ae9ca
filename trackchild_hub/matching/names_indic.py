"""Indic scripts to plain ASCII Latin, with the schwa deletion that Latin spellings of Indian names follow.

Unicode lays out Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada and Malayalam in 128-point
blocks with the same letter at the same offset (the ISCII layout), so one table keyed by offset serves all nine and the
scripts differ only in a few overrides. A word is parsed into syllables (consonant + vowel, where the vowel may be the
inherent schwa), the schwa is deleted where Hindi-belt spellings drop it (राहुल -> rahul, कमला -> kamla), and the
syllables are written out. Input is NFKC, so nukta letters arrive decomposed (क़ = क + ़).

The table is hand-written rather than taken from ``indic_transliteration`` at run time: that library keeps every schwa
(rahula), writes Bengali ব as v, mangles Tamil (கார்த்திக் -> ghārdhdhigh) and costs ~30 µs a word. The tests check
this table against it where the two should agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .names_tamil import tamil_consonants

DEVANAGARI, BENGALI, GURMUKHI, GUJARATI, ORIYA, TAMIL, TELUGU, KANNADA, MALAYALAM = range(9)
FIRST_CODE_POINT = 0x0900
INDIC_RUN = "[\u0900-\u0d7f\u200c\u200d]+"  # a regex character class; ZWJ/ZWNJ only shape glyphs, they are dropped

# Schwa deletion differs by language: Hindi, Punjabi and Gujarati drop it inside words too (Harjit, Kamlesh), Bengali
# and Odia only at the end of a word (Jagadish, Mamata), Dravidian scripts write the virama where they mean no vowel.
_DELETE_MEDIAL = frozenset({DEVANAGARI, GURMUKHI, GUJARATI})
_DELETE_FINAL = _DELETE_MEDIAL | {BENGALI, ORIYA}

_CONSONANTS = {
    0x15: "k", 0x16: "kh", 0x17: "g", 0x18: "gh", 0x19: "n", 0x1A: "ch", 0x1B: "chh", 0x1C: "j", 0x1D: "jh",
    0x1E: "n", 0x1F: "t", 0x20: "th", 0x21: "d", 0x22: "dh", 0x23: "n", 0x24: "t", 0x25: "th", 0x26: "d",
    0x27: "dh", 0x28: "n", 0x29: "n", 0x2A: "p", 0x2B: "ph", 0x2C: "b", 0x2D: "bh", 0x2E: "m", 0x2F: "y",
    0x30: "r", 0x31: "r", 0x32: "l", 0x33: "l", 0x34: "zh", 0x35: "v", 0x36: "sh", 0x37: "sh", 0x38: "s",
    0x39: "h", 0x58: "q", 0x59: "kh", 0x5A: "g", 0x5B: "z", 0x5C: "r", 0x5D: "rh", 0x5E: "f", 0x5F: "y",
}  # fmt: skip
# What a nukta makes of the consonant before it (offset of the base letter -> Latin).
_NUKTA = {
    0x15: "q", 0x16: "kh", 0x17: "g", 0x1C: "z", 0x21: "r", 0x22: "rh", 0x2B: "f", 0x2F: "y", 0x38: "sh",
    0x32: "l", 0x28: "n", 0x30: "r", 0x33: "l", 0x2C: "b",
}  # fmt: skip
_VOWELS = {
    0x04: "a", 0x05: "a", 0x06: "a", 0x07: "i", 0x08: "i", 0x09: "u", 0x0A: "u", 0x0B: "ri", 0x0C: "li",
    0x0D: "e", 0x0E: "e", 0x0F: "e", 0x10: "ai", 0x11: "o", 0x12: "o", 0x13: "o", 0x14: "au", 0x60: "ri",
    0x61: "li",
}  # fmt: skip
_VOWEL_SIGNS = {
    0x3E: "a", 0x3F: "i", 0x40: "i", 0x41: "u", 0x42: "u", 0x43: "ri", 0x44: "ri", 0x45: "e", 0x46: "e",
    0x47: "e", 0x48: "ai", 0x49: "o", 0x4A: "o", 0x4B: "o", 0x4C: "au", 0x62: "li", 0x63: "li",
}  # fmt: skip
_CANDRABINDU, _ANUSVARA, _VISARGA, _NUKTA_SIGN, _VIRAMA = 0x01, 0x02, 0x03, 0x3C, 0x4D
_SEPARATORS = frozenset({0x64, 0x65, *range(0x66, 0x70)})  # dandas and digits end a word
_NASALS = frozenset({0x19, 0x1E, 0x23, 0x28, 0x29, 0x2E})
_LABIALS = frozenset({0x2A, 0x2B, 0x2C, 0x2D, 0x2E})
_SEMIVOWELS = frozenset({0x2F, 0x30, 0x32, 0x35})
_R, _JA, _NYA = 0x30, 0x1C, 0x1E
_JNA = (("g", "y"), ("g", "n"))  # ज्ञ as north Indian and as Dravidian spellings write it

# Per-script letters: (script, offset) -> Latin consonant ("" for Gurmukhi's vowel bearers ੲ ੳ).
_SCRIPT_CONSONANTS = {
    (BENGALI, 0x2F): "j", (BENGALI, 0x70): "r", (BENGALI, 0x71): "w", (ORIYA, 0x2F): "j", (ORIYA, 0x71): "w",
    (GURMUKHI, 0x72): "", (GURMUKHI, 0x73): "", (TELUGU, 0x58): "ch", (TELUGU, 0x59): "j", (TELUGU, 0x5A): "r",
    (KANNADA, 0x5E): "l",
}  # fmt: skip
# Letters that carry no vowel of their own: Bengali khanda ta, Malayalam dot reph and chillus, Tamil aytham (ஃப = f).
_DEAD_CONSONANTS = {
    (TAMIL, 0x03): "",
    (BENGALI, 0x4E): "t", (MALAYALAM, 0x4E): "r", (MALAYALAM, 0x7A): "n", (MALAYALAM, 0x7B): "n",
    (MALAYALAM, 0x7C): "r", (MALAYALAM, 0x7D): "l", (MALAYALAM, 0x7E): "l", (MALAYALAM, 0x7F): "k",
}  # fmt: skip
# In Bengali and Odia a ব/ଯ that follows a virama is the w/y "phala" (বিশ্বাস Biswas, আদিত্য Aditya); after m or r
# the ব is a plain b (অম্বিকা Ambika, সর্বাণী Sarbani).
_AFTER_VIRAMA = {(BENGALI, 0x2C): "w", (ORIYA, 0x2C): "w", (BENGALI, 0x2F): "y", (ORIYA, 0x2F): "y"}
_PLAIN_B_AFTER = frozenset({0x2E, 0x30})
_GURMUKHI_TIPPI, _GURMUKHI_ADDAK = 0x70, 0x71


@dataclass(slots=True)
class _Syllable:
    offset: int  # of the consonant, -1 for an independent vowel
    consonant: str
    vowel: str = "a"
    inherent: bool = True  # the vowel is the consonant's own schwa, which may be deleted
    coda: int = 0  # candrabindu, anusvara or visarga after the vowel

    @property
    def is_open(self) -> bool:
        """Ends in a vowel, so the next consonant starts a syllable on its own."""
        return bool(self.vowel) and not self.coda


@lru_cache(maxsize=1 << 16)
def transliterate(run: str) -> str:
    """One run of Indic text (no Latin, no spaces) as ASCII Latin words separated by spaces."""
    words: list[str] = []
    syllables: list[_Syllable] = []
    script = -1
    for char in run:
        point = ord(char) - FIRST_CODE_POINT
        if not 0 <= point < 0x480:  # ZWJ, ZWNJ
            continue
        block, offset = divmod(point, 0x80)
        if offset in _SEPARATORS:
            words.append(_word(syllables, script))
            syllables, script = [], -1
            continue
        if script < 0:
            script = block
        _add(syllables, block, offset)
    words.append(_word(syllables, script))
    return " ".join(word for word in words if word)


def _add(syllables: list[_Syllable], block: int, offset: int) -> None:
    last = syllables[-1] if syllables else None
    consonant = _SCRIPT_CONSONANTS.get((block, offset), _CONSONANTS.get(offset))
    if consonant is not None:
        if last is not None and not last.vowel and last.offset >= 0 and (block, offset) in _AFTER_VIRAMA:
            if offset == 0x2F or last.offset not in _PLAIN_B_AFTER:
                consonant = _AFTER_VIRAMA[block, offset]
        elif offset == _NYA and last is not None and last.offset == _JA and not last.vowel:
            last.consonant, consonant = _JNA[block >= TAMIL]  # ज्ञान gyan, జ్ఞానేశ్వర్ gnaneshwar
        syllables.append(_Syllable(offset, consonant))
    elif (block, offset) in _DEAD_CONSONANTS:
        syllables.append(_Syllable(offset, _DEAD_CONSONANTS[block, offset], vowel="", inherent=False))
    elif offset in _VOWELS:
        syllables.append(_Syllable(-1, "", _VOWELS[offset], inherent=False))
    elif last is None:
        return
    elif offset in _VOWEL_SIGNS:
        last.vowel, last.inherent = _VOWEL_SIGNS[offset], False
    elif offset == _VIRAMA:
        last.vowel, last.inherent = "", False
    elif offset == _NUKTA_SIGN and last.offset in _NUKTA:
        last.consonant = _NUKTA[last.offset]
    elif offset in (_CANDRABINDU, _ANUSVARA, _VISARGA) or (block == GURMUKHI and offset == _GURMUKHI_TIPPI):
        last.coda = _ANUSVARA if offset == _GURMUKHI_TIPPI else offset
    elif block == GURMUKHI and offset == _GURMUKHI_ADDAK:
        # Addak doubles the next consonant: add a dead copy once that consonant is known (see _word).
        last.coda = _GURMUKHI_ADDAK


def _word(syllables: list[_Syllable], script: int) -> str:
    if not syllables:
        return ""
    for index in range(len(syllables) - 1, 0, -1):  # addak: ਪੱਪੂ = pa + (dead p) + pu
        if syllables[index - 1].coda == _GURMUKHI_ADDAK:
            syllables[index - 1].coda = 0
            following = syllables[index]
            syllables.insert(index, _Syllable(following.offset, following.consonant[:1], vowel="", inherent=False))
    if script in _DELETE_FINAL:
        _delete_final_schwa(syllables, medial_rules=script in _DELETE_MEDIAL)
    if script in _DELETE_MEDIAL:
        _delete_medial_schwas(syllables)
    if script == TAMIL:
        tamil_consonants(syllables)
    return "".join(_spell(syllables, index) for index in range(len(syllables)))


def _delete_final_schwa(syllables: list[_Syllable], *, medial_rules: bool) -> None:
    last = syllables[-1]
    if not (last.inherent and last.offset >= 0 and not last.coda):
        return
    if not any(syllable.vowel for syllable in syllables[:-1]):
        return  # a one-syllable word keeps its vowel
    before = syllables[-2]
    if before.is_open:
        last.vowel = ""  # राम ram, রাহুল rahul
    elif not medial_rules:
        return  # Bengali and Odia keep it after a cluster: সুকান্ত Sukanta
    elif last.offset in _SEMIVOWELS:
        return  # इन्द्र indra, आदित्य aditya
    elif before.coda in (_ANUSVARA, _CANDRABINDU) or (not before.vowel and before.offset in _NASALS | {_R}):
        last.vowel = ""  # अरविंद arvind, आनन्द anand, पार्थ parth
    # otherwise a cluster keeps it: कृष्ण krishna, गुप्त gupta, मिश्र mishra


def _delete_medial_schwas(syllables: list[_Syllable]) -> None:
    # Right to left, a schwa goes between a vowel-consonant and a consonant-vowel (Ohala's rule): कमला -> kamla,
    # हरजीत -> harjit, but not before a cluster (मोहम्मद mohammad) nor next to a deleted one (अमरनाथ amarnath).
    # A consonant + r cluster still counts as one onset (गुरप्रीत gurprit).
    for index in range(len(syllables) - 2, 0, -1):
        syllable = syllables[index]
        if not (syllable.inherent and syllable.vowel and syllable.offset >= 0 and not syllable.coda):
            continue
        if not syllables[index - 1].is_open:
            continue
        following = syllables[index + 1]
        if following.offset < 0:
            continue
        if following.vowel or (
            index + 2 < len(syllables) and syllables[index + 2].offset == _R and syllables[index + 2].vowel
        ):
            syllable.vowel = ""


def _spell(syllables: list[_Syllable], index: int) -> str:
    syllable = syllables[index]
    if not syllable.coda or syllable.coda == _GURMUKHI_ADDAK:
        return syllable.consonant + syllable.vowel
    following = syllables[index + 1] if index + 1 < len(syllables) else None
    if syllable.coda == _VISARGA:
        coda = "h"
    elif following is None:
        coda = "" if syllable.coda == _CANDRABINDU else "m"  # सुंदरं sundaram; माँ ma
    else:
        coda = "m" if following.offset in _LABIALS else "n"  # अंबिका ambika, संजय sanjay
    return syllable.consonant + syllable.vowel + coda
