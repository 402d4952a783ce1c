"""Candidate rules, family 5: claims with no reporting verb beside them.

* ``signed_paragraphs``: pull quotes and embedded posts signed at the end of their paragraph
  ("… no family (here). Fouzia Al Hashish", "… pic.twitter.com/x — BC Hydro (@bchydro) date");
* ``floating_quotes``: a quotation standing as a sentence of its own takes the speaker of the
  latest claim in the same or the previous paragraph (“…,” said X, who …. “Next quotation.”),
  or, when nobody is quoted nearby, the person named last (a longer quotation only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from extractors.claims import lexicon as lx
from extractors.claims.candidate import Candidate
from extractors.claims.index import ArticleIndex
from extractors.claims.syntax import trim
from extractors.quotes import ALL_MARKS, Quote

# "… text. pic.twitter.com/abc — Name (@handle) December 22, 2018"
_POST_SIGNATURE = re.compile(
    r"(?:\s*#\w+)*\s*(?:pic\.twitter\.com/\S+)?\s+[—–]\s+(?P<name>[^()\n—–]{2,60}?)\s+\(@\w+\)"
)


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def signed_paragraphs(ix: ArticleIndex, accepted: Sequence[Candidate]) -> Iterator[Candidate]:
    covered = [c.content for c in accepted]
    lines = ix.text.split("\n")
    pos = 0
    for n, line in enumerate(lines):
        start, pos = pos, pos + len(line) + 1
        body = line.rstrip()
        if len(body.split()) < lx.SIGNED_MIN_WORDS or body.lstrip()[:1] in "<[":
            continue
        # A paragraph of its own: a blank (or mere punctuation) line or the end follows.
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        if any(ch.isalnum() for ch in nxt) or (found := _signature(ix, line, start)) is None:
            continue
        (cs, ce), (ss, se) = found
        cs, ce = trim(ix.text, cs, ce)
        if len(ix.text[cs:ce].split()) < lx.SIGNED_MIN_CONTENT_WORDS or _overlaps(covered, cs, ce):
            continue
        head = ix.token_at(se - 1)
        first = ix.token_at(cs)
        if head is None or first is None:
            continue
        covered.append((cs, ce))
        yield Candidate("signed_paragraph", (cs, ce), first, lx.CONF_SIGNED, subj=head,
                        speaker=(ss, se))  # fmt: skip


def _signature(ix: ArticleIndex, line: str, start: int):
    """((content span), (name span)) of a paragraph closed by a name, else None."""
    m = _POST_SIGNATURE.search(line)
    if m is not None:
        return (start, start + m.start()), (start + m.start("name"), start + m.end("name"))
    # ". Name Surname" or ". Name Surname, role" closing the paragraph.
    body = line.rstrip().rstrip(".").rstrip()
    cut = max(body.rfind(". "), body.rfind(".\u201d "), body.rfind('." '), body.rfind(") "))
    if cut < 0 or body[cut] == ")":
        return None
    tail_at = cut + (1 if body[cut] == "." else 2)
    while tail_at < len(body) and body[tail_at] == " ":
        tail_at += 1
    tail = body[tail_at:]
    name = tail.split(",")[0].strip()
    if not name or len(tail.split()) > 8 or not 2 <= len(name.split()) <= 4:
        return None
    words = body[:cut].split()
    prev_word = words[-1] if words else ""
    abbrev = (prev_word[:1].isupper() and len(prev_word) <= 4) or "." in prev_word
    if body[cut] == "." and abbrev:
        return None  # "Gov. Mike Huckabee", "Mrs. Clinton": an abbreviation, not a sentence end
    ns = start + tail_at
    ms = [x for x in ix.ents.inside(ns, ns + len(name))
          if x.label in ("PERSON", "ORG") and x.start == ns]  # fmt: skip
    if not ms or ms[0].end < ns + len(name) - 1:
        return None
    return (start, start + cut + 1), (ms[0].start, ms[0].end)


def _sentence_like(ix: ArticleIndex, q: Quote) -> bool:
    """The quotation is a sentence of its own: it opens a sentence (or follows a colon) and
    ends it (closing punctuation inside the marks, then end of sentence)."""
    before = ix.text[max(0, q.start - 3) : q.start].rstrip()
    if before and before[-1] not in ".!?:\n" + ALL_MARKS + "’":
        return False
    if not q.inner_end_punct(ix.text):
        return False
    after = ix.text[q.end : q.end + 2].lstrip(" ")
    return not after or after[0] in ".\n" or after[0].isupper() or after[0] in ALL_MARKS


def floating_quotes(ix: ArticleIndex, accepted: Sequence[Candidate]) -> Iterator[Candidate]:
    covered = [c.content for c in accepted]
    live = sorted((c for c in accepted if c.subj is not None), key=lambda c: c.content[0])
    for q in ix.quotes:
        if q.words < lx.FLOATING_MIN_WORDS or (not q.closed and q.paragraphs < 2):
            continue
        if _overlaps(covered, q.start, q.end) or not _sentence_like(ix, q):
            continue
        first = ix.token_at(q.start)
        if first is None:
            continue
        qp = ix.paragraph_of(q.start)
        parent = None
        for c in live:
            if c.content[0] >= q.start:
                break
            if ix.paragraph_of(c.content[0]) >= qp - 1:
                parent = c
        if parent is not None:
            cand = Candidate("floating_quote", (q.start, q.end), first, lx.CONF_FLOATING,
                             subj=parent.subj, speaker=parent.speaker, continuation=True,
                             parent=parent.key)  # fmt: skip
        else:
            cand = _orphan(ix, q, qp, first)
            if cand is None:
                continue
        covered.append((q.start, q.end))
        yield cand


def _orphan(ix: ArticleIndex, q: Quote, qp: int, first: int) -> Candidate | None:
    """Nobody quoted nearby: the person the paragraph (or the one before) names last, for a
    quotation long enough to be someone's words."""
    if q.words < lx.FLOATING_ORPHAN_MIN_WORDS:
        return None
    m = None
    for x in ix.ents.before(q.start):
        if ix.paragraph_of(x.start) < qp - 1:
            break
        if x.label == "PERSON":
            m = x
            break
    if m is None:
        return None
    return Candidate("floating_orphan", (q.start, q.end), first, lx.CONF_FLOATING_ORPHAN,
                     subj=m.tok_end - 1, speaker=(m.start, m.end), continuation=True)  # fmt: skip
