"""Texts read and split in bulk give what reading them one by one gives: ``PackedStrings.gather`` (bytes gathered by
numpy, decoded once) and ``text_levels._flatten`` (one split of all the texts), with the spellings that defeat the
fast paths (a NUL in a string, irregular whitespace) read the slow way."""

from __future__ import annotations

import mmap
import random
from pathlib import Path

import numpy as np
import pytest

from trackchild_hub.matching import packed
from trackchild_hub.matching.packed import PackedStrings, pack
from trackchild_hub.matching.text_levels import _flatten

WORDS = ["rahul", "kumar", "সুমিত", "पिंकी", "devi", "", "md", "ശ്രീ"]


def _texts(rng: random.Random, n: int, odd: float) -> list[str]:
    texts = [" ".join(rng.choice(WORDS[:-3] + WORDS[-2:]) for _ in range(rng.randint(0, 3))) for _ in range(n)]
    for i in range(n):
        if rng.random() < odd:
            texts[i] = rng.choice(["  two  spaces ", "tab\there", "nul\x00inside", " lead", "trail ", "\u00a0nbsp"])
    return texts


@pytest.mark.parametrize("odd", [0.0, 0.01])
def test_a_bulk_gather_reads_what_one_by_one_reads(tmp_path: Path, odd: float) -> None:
    rng = random.Random(3)
    strings = _texts(rng, 5000, odd)
    offsets, blob = pack(strings)
    path = tmp_path / "blob"
    path.write_bytes(blob)
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        for source in (blob, mapped):
            strings_of = PackedStrings(offsets, source)
            for n in (packed.GATHER_BULK - 1, packed.GATHER_BULK, 3000):
                rows = np.array([rng.randrange(len(strings)) for _ in range(n)], dtype=np.int64)
                assert strings_of.gather(rows) == [strings[r] for r in rows.tolist()]
            del strings_of


def test_a_pack_of_empty_strings_gathers_in_bulk() -> None:
    offsets, blob = pack([""] * 1000)
    assert PackedStrings(offsets, blob).gather(np.arange(1000, dtype=np.int64)) == [""] * 1000


@pytest.mark.parametrize("odd", [0.0, 0.02])
def test_texts_flattened_in_one_split_keep_each_words_owner(odd: float) -> None:
    rng = random.Random(5)
    for _ in range(50):
        texts = _texts(rng, rng.randint(0, 400), odd)
        words, owner = _flatten(texts)
        assert words == [w for t in texts for w in t.split()]
        assert owner.tolist() == [i for i, t in enumerate(texts) for _ in t.split()]
