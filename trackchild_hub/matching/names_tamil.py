"""Tamil's stops, read by position the way Latin spellings of Tamil names read them.

Tamil writes one letter for k/g, ch/s/j, t/d, th/d and p/b; the sound, and the usual Latin spelling, follow from where
the letter stands: முருகன் Murugan (g between vowels), கார்த்திக் Karthik (doubled), செந்தில் Senthil (after a nasal),
மஞ்சுளா Manjula. Initial க and ச are read k and s, the commoner spellings (Kannan, Selvi); names that Latin spells
with G or Ch (கீதா Geetha, சித்ரா Chitra) therefore come out as kita, sithra.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .names_indic import _Syllable

_KA, _NYA, _CA, _TTA, _TA, _PA, _MA, _RRA, _AYTHAM = 0x15, 0x1E, 0x1A, 0x1F, 0x24, 0x2A, 0x2E, 0x31, 0x03
_NASALS = frozenset({0x19, 0x1E, 0x23, 0x28, 0x29, 0x2E})
# offset -> (initial, first of a double, second of a double, after a nasal, after another consonant, between vowels)
_STOPS = {
    _KA: ("k", "k", "k", "g", "k", "g"),
    _CA: ("s", "", "ch", "j", "ch", "s"),
    _TTA: ("t", "t", "t", "d", "t", "d"),
    _TA: ("th", "", "th", "th", "th", "th"),
    _PA: ("p", "p", "p", "b", "p", "p"),
    _RRA: ("r", "t", "r", "dr", "r", "r"),
}


def tamil_consonants(syllables: Sequence[_Syllable]) -> None:
    """Spell each stop of a Tamil word by its position; the syllables are changed in place."""
    fricative = False
    for index, syllable in enumerate(syllables):
        before = syllables[index - 1] if index else None
        after = syllables[index + 1] if index + 1 < len(syllables) else None
        if syllable.offset == _AYTHAM:
            fricative = True
            continue
        if fricative:
            fricative = False
            if syllable.offset == _PA:
                syllable.consonant = "f"  # ஃப, as in ஃபாத்திமா Fathima
                continue
        if syllable.offset == _NYA:
            if before is None:
                syllable.consonant = "gn"  # ஞானம் Gnanam
            elif not (not syllable.vowel and after is not None and after.offset == _CA):
                syllable.consonant = "ny"
            continue
        spellings = _STOPS.get(syllable.offset)
        if spellings is None:
            continue
        initial, double_first, double_second, after_nasal, after_consonant, between_vowels = spellings
        if before is None:
            spelling = initial
        elif not syllable.vowel and after is not None and after.offset == syllable.offset:
            spelling = double_first
        elif not before.vowel and before.offset == syllable.offset:
            spelling = double_second
        elif not before.vowel and before.offset in _NASALS:
            spelling = after_nasal
        elif not before.vowel or not syllable.vowel:
            spelling = after_consonant  # a consonant closing a syllable is voiceless: லக்ஷ்மி Lakshmi
        elif syllable.offset == _KA and syllable.vowel == "u" and after is not None and after.offset == _MA:
            spelling = "k"  # the compounds with kumar: சிவகுமார் Sivakumar, not Sivagumar
        else:
            spelling = between_vowels
        syllable.consonant = spelling
