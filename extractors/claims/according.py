"""Candidate rules, family 4: "according to X" attributes the rest of its clause to X."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.candidate import Candidate
from extractors.claims.index import ArticleIndex
from extractors.claims.syntax import speaker_span, trim

_ACCORDING = re.compile(r"(?i)\baccording\s+to\b")
_CLAUSE_HEADS = ("ROOT", "ccomp", "conj", "advcl")
_MAX_CLIMB = 50


def _source(t: Token) -> Token | None:
    to = t.doc[t.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in t.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.lemma_.lower() in lx.NOT_SOURCES:
        return None
    return pobj if pobj.pos_ in ("PROPN", "NOUN", "PRON") else None


def _host(t: Token) -> Token:
    """The clause the phrase modifies (climbing at most to the sentence root)."""
    head = t.head
    for _ in range(_MAX_CLIMB):
        if head.dep_ in _CLAUSE_HEADS or head.head.i == head.i:
            break
        head = head.head
    return head


def _content(ix: ArticleIndex, t: Token, src: Token) -> tuple[int, int] | None:
    doc, sent = ix.doc, t.sent
    head = _host(t)
    a_lo, a_hi = t.i, src.right_edge.i
    lo, hi = max(head.left_edge.i, sent.start), min(head.right_edge.i, sent.end - 1)
    if a_lo <= lo:  # phrase first: "According to X, S."
        if a_hi + 1 > hi:
            return None
        return doc[a_hi + 1].idx, ix.end_of(doc[hi])
    if a_hi >= hi - 1:  # phrase last: "S, according to X."
        return doc[lo].idx, doc[a_lo].idx
    return doc[lo].idx, ix.end_of(doc[hi])


def _opens_quote(ix: ArticleIndex, t: Token) -> bool:
    """ "“According to Director X, the group …,” the service said": the quoted statement names
    its own source first; the phrase is attributed like any other."""
    q = ix.quote_of(t.i)
    return q is not None and not ix.text[q.start + 1 : t.idx].strip()


def according_to(ix: ArticleIndex, accepted: Sequence[Candidate]) -> Iterator[Candidate]:
    """ "According to X, S." / "S, according to X." / "S, according to X, S'"."""
    doc = ix.doc
    for m in _ACCORDING.finditer(ix.text):
        i = ix.token_at(m.start())
        if i is None or i + 1 >= len(doc) or doc[i + 1].lower_ != "to":
            continue
        t = doc[i]
        if (ix.in_speech_quote(t.i) and not _opens_quote(ix, t)) or (src := _source(t)) is None:
            continue
        span = _content(ix, t, src)
        if span is None:
            continue
        cs, ce = trim(ix.text, *span)
        yield Candidate("according_to", (cs, ce), t.i, lx.CONF_ACCORDING, (t.i, t.i + 1),
                        "according to", src.i, speaker_span(src))  # fmt: skip
