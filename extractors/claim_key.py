"""A key under which near-identical wordings of one claim meet, so its spread across outlets
can be counted: quote marks, punctuation, case, short function words and trailing words are
ignored ("The deliveries had doubled since March," vs "deliveries have doubled since March")."""

from __future__ import annotations

import hashlib
import re

VERSION = "1"
KEY_WORDS = 16  # leading content words compared; copies often trim or extend the end

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SKIP = frozenset(
    "a an the that this these those is are was were be been has have had will would "
    "shall should can could may might must do does did of to in on at by for with "
    "from and or but it its they their he his she her we our you your i".split()
)


def claim_key(content: str) -> str:
    words = [w for w in _WORD.findall(content.casefold()) if w not in _SKIP]
    basis = " ".join(words[:KEY_WORDS])
    return hashlib.blake2b(basis.encode(), digest_size=8).hexdigest()
