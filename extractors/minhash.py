"""MinHash LSH bands of article text, for finding the same story republished elsewhere.

Wire copies differ from the original by a headline, a standfirst or a credit line: their sets
of word 3-shingles overlap by far more than any two unrelated articles. Each text gets
BANDS band hashes (ROWS MinHash values each); two texts sharing at least MIN_SHARED_BANDS bands
have an estimated shingle Jaccard similarity of about (MIN_SHARED_BANDS / BANDS) ** (1 / ROWS)
or more (0.61 here), while unrelated texts share none. The warehouse finds candidates with an
equi-join on (band_no, band), which stays cheap at millions of articles."""

from __future__ import annotations

import hashlib
import re

import numpy as np

NAME = "mediamon.minhash"
VERSION = "1"
BANDS = 16
ROWS = 2
MIN_SHARED_BANDS = 6
MIN_WORDS = 50  # shorter texts share too many shingles by chance (briefs, boilerplate)

_WORD = re.compile(r"\w+", re.UNICODE)
_rng = np.random.default_rng(20261128)  # fixed: bands must be comparable across runs
_MASKS = _rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
_MULTS = _rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64) | np.uint64(1)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def minhash_bands(text: str) -> tuple[int, ...] | None:
    """BANDS 63-bit band hashes of the text's word 3-shingles; None for short texts."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")
            for s in shingles
        ),
        dtype=np.uint64,
        count=len(shingles),
    )
    with np.errstate(over="ignore"):  # multiplication modulo 2**64 is the point
        perms = (hashes[:, None] ^ _MASKS) * _MULTS
        mins = perms.min(axis=0).reshape(BANDS, ROWS)
        bands = mins[:, 0] * _MIX + mins[:, 1]
        bands ^= bands >> np.uint64(29)
    return tuple(int(b) >> 1 for b in bands)  # 63 bits: fits a signed BIGINT too


def shared_bands(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return sum(x == y for x, y in zip(a, b, strict=True))
