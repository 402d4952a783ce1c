"""The read-only article index every rule reads: built once per parsed document.

Holds what the rules would otherwise recompute: sentence bounds per token, token offsets (for
char -> token lookups by bisection), quotation spans and the quotation of each token, paragraph
starts, the lines that are no running text (headlines, captions, datelines), and the tokens
that are reporting verbs. Nothing in it changes after ``build_index``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extractors.claims import lexicon as lx
from extractors.entities import ArticleEntities
from extractors.quotes import ALL_MARKS, Quote, find_quotes

# "BUFFALO, N.Y. —", "LONDON (Reuters) -", "KYIV, Ukraine (AP) —" opening a paragraph.
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+){0,3})"
    r"(?:,[ \t]+[A-Z][\w.'’ -]{1,30}?)?(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*[—–-]{1,2}[ \t]+"
)


@dataclass(frozen=True, slots=True)
class ArticleIndex:
    doc: Doc
    text: str
    ents: ArticleEntities
    sent_of: list[int]  # token -> sentence number
    sent_bounds: list[tuple[int, int]]  # sentence -> (first token, end token)
    tok_idx: list[int]  # token -> char offset
    quotes: list[Quote]
    tok_quote: list[int]  # token -> index of the quotation holding it (marks excluded), else -1
    para_starts: list[int]  # char offset of each paragraph (lines holding a letter or digit)
    title_sents: frozenset[int]  # sentences on headline/caption lines
    datelines: tuple[tuple[int, int], ...]  # char spans of datelines
    cues: tuple[int, ...]  # tokens that are reporting verbs
    narrative: list[int]  # sentence -> number of narrative sentences up to it (sentences wholly
    # inside a quotation do not count: a long quotation keeps its speaker near)

    # ---- lookups -------------------------------------------------------------------------
    def token_at(self, char: int) -> int | None:
        """The token covering ``char``, or the first token after it (None past the end)."""
        i = bisect_right(self.tok_idx, char) - 1
        if i >= 0:
            t = self.doc[i]
            if char < t.idx + len(t.text):
                return i
        i += 1
        return i if i < len(self.tok_idx) else None

    def span_tokens(self, start: int, end: int) -> range:
        """Tokens starting inside [start, end)."""
        return range(bisect_left(self.tok_idx, start), bisect_left(self.tok_idx, end))

    def paragraph_of(self, pos: int) -> int:
        return max(0, bisect_right(self.para_starts, pos) - 1)

    def sentence(self, i: int) -> Span:
        a, b = self.sent_bounds[self.sent_of[i]]
        return self.doc[a:b]

    def quote_of(self, i: int) -> Quote | None:
        q = self.tok_quote[i]
        return self.quotes[q] if q >= 0 else None

    def in_speech_quote(self, i: int) -> bool:
        q = self.tok_quote[i]
        return q >= 0 and self.quotes[q].is_speech

    def in_dateline(self, char: int) -> bool:
        return any(a <= char < b for a, b in self.datelines)

    def end_of(self, t: Token) -> int:
        return t.idx + len(t.text)

    def first_sentence_back(self, at: int, back: int) -> int:
        """The earliest sentence at most ``back`` narrative sentences before sentence ``at``."""
        return bisect_left(self.narrative, self.narrative[at] - back)


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token."""
    out = [0] * len(doc)
    for n, s in enumerate(doc.sents):
        out[s.start : s.end] = [n] * (s.end - s.start)
    return out


def is_cue(t: Token) -> bool:
    """A reporting verb (not a modal), or a phrasal one ("went on", "hit back")."""
    if t.pos_ not in ("VERB", "AUX") or t.tag_ == "MD":
        return False
    lemma = t.lemma_.lower()
    if lemma in lx.CUE_LEMMAS:
        return True
    particle = lx.PHRASAL_CUES.get(lemma)
    return particle is not None and any(
        c.dep_ in ("prt", "advmod") and c.lower_ == particle and c.i == t.i + 1 for c in t.children
    )


def build_index(doc: Doc, ents: ArticleEntities, sent_of: list[int] | None = None) -> ArticleIndex:
    text = doc.text
    sent_of = sent_of if sent_of is not None else sentence_index(doc)
    bounds = [(s.start, s.end) for s in doc.sents]
    quotes = find_quotes(text)
    tok_idx = [t.idx for t in doc]
    tok_quote = _token_quotes(tok_idx, quotes)
    return ArticleIndex(
        doc=doc,
        text=text,
        ents=ents,
        sent_of=sent_of,
        sent_bounds=bounds,
        tok_idx=tok_idx,
        quotes=quotes,
        tok_quote=tok_quote,
        para_starts=_paragraph_starts(text),
        title_sents=_title_sentences(text, doc, bounds),
        datelines=tuple((m.start(), m.end()) for m in _DATELINE.finditer(text)),
        cues=tuple(t.i for t in doc if is_cue(t)),
        narrative=_narrative(doc, bounds, tok_quote),
    )


def _narrative(doc: Doc, bounds: list[tuple[int, int]], tok_quote: list[int]) -> list[int]:
    out, n = [], 0
    for a, b in bounds:
        if any(tok_quote[i] < 0 and doc[i].is_alpha for i in range(a, b)):
            n += 1
        out.append(n)
    return out


def _token_quotes(tok_idx: list[int], quotes: list[Quote]) -> list[int]:
    out = [-1] * len(tok_idx)
    for n, q in enumerate(quotes):
        inner_end = q.end - (1 if q.closed else 0)
        for i in range(bisect_right(tok_idx, q.start), bisect_left(tok_idx, inner_end)):
            out[i] = n
    return out


def _paragraph_starts(text: str) -> list[int]:
    """Start of every line holding a letter or digit: lines of mere punctuation (" ."
    separators of some copy) do not start a paragraph."""
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        if any(ch.isalnum() for ch in line):
            out.append(pos)
        pos += len(line) + 1
    return out


def _is_title_line(line: str) -> bool:
    """A headline or caption: a short single line that does not end like a sentence."""
    st = line.strip()
    return bool(
        st
        and st[-1] not in ".!?…:;)"
        and st[-1] not in ALL_MARKS + "’'"
        and len(st.split()) <= lx.TITLE_LINE_MAX_WORDS
        and ". " not in st
        and st[0] not in ALL_MARKS
    )


def _title_sentences(text: str, doc: Doc, bounds: list[tuple[int, int]]) -> frozenset[int]:
    ranges: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if _is_title_line(line):
            ranges.append((pos, pos + len(line)))
        pos += len(line) + 1
    if not ranges:
        return frozenset()
    out: set[int] = set()
    ri = 0
    for n, (a, _b) in enumerate(bounds):
        c = doc[a].idx
        while ri < len(ranges) and ranges[ri][1] <= c:
            ri += 1
        if ri < len(ranges) and ranges[ri][0] <= c < ranges[ri][1]:
            out.add(n)
    return frozenset(out)
