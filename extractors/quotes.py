"""Finding quotation spans in raw article text, before any parsing.

News copy mixes straight and typographic quotes, and a quotation that runs over several
paragraphs repeats the opening mark at each paragraph start without closing the previous one.
The scanner returns one span per quotation (marks included), merging such continuations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
ALL_MARKS = OPENERS + CLOSERS + STRAIGHT + "‟"
# Pairs of single marks standing for one double mark.
DOUBLED = ("''", "``", "’’", "‘‘", "‘’")

# Single-quoted scare quotes ('deeply flawed', ‘deeply flawed’): an opening mark not preceded by
# a letter (so not an apostrophe) and a closing one not followed by a letter.
_SINGLE_QUOTED = re.compile(r"(?<![\w’'])[‘'](?=\w)[^‘’'\n]{2,120}?(?<=[\w.,!?])[’'](?![\w’'])")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # index of the opening mark
    end: int  # index after the closing mark (or end of the paragraph if never closed)
    closed: bool
    paragraphs: int  # > 1 when the quotation continues over paragraphs
    words: int

    @property
    def is_speech(self) -> bool:
        """Long enough to be reported speech rather than a title or a scare quote."""
        return self.words >= 4 or self.paragraphs > 1

    def inner_end_punct(self, text: str) -> bool:
        """True if the quotation ends with punctuation inside the marks (“Goodbye,” she said)."""
        j = self.end - 1
        while j > self.start and text[j] in ALL_MARKS:
            j -= 1
        return text[j] in ",.!?…;:—-"


_PARA_SPLIT = re.compile(r"\n[ \t\r]*\n")


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Paragraphs are blocks separated by blank lines (single newlines are line wraps)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_SPLIT.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def find_quotes(text: str) -> list[Quote]:
    """All double-quoted spans, in text order, with paragraph continuations merged."""
    if any(d in text for d in DOUBLED):
        # Typewriter-style doubled apostrophes/backticks (''like this'', ’’like this’’) act as
        # double quotes; the second character becomes a filler so offsets stay those of the
        # original text.
        masked = text
        for d in DOUBLED:
            masked = masked.replace(d, '"\x00')
        return [
            Quote(
                q.start,
                q.end + (1 if q.end < len(text) and masked[q.end] == "\x00" else 0),
                q.closed,
                q.paragraphs,
                q.words,
            )
            for q in _find_quotes(masked)
        ]
    return _find_quotes(text)


def _find_quotes(text: str) -> list[Quote]:
    spans: list[tuple[int, int, bool, int]] = []  # (start, end, closed, paragraphs)
    carry: int | None = None  # start of a quotation left open at the end of the last paragraph
    carry_paras = 0
    prev_end = 0
    for p_start, p_end in _paragraph_bounds(text):
        para = text[p_start:p_end]
        stripped = para.lstrip()
        if not stripped:
            continue
        lead = p_end - len(stripped)
        open_at: int | None = None
        paras = 1
        i = p_start
        if carry is not None:
            if stripped[0] in OPENERS + STRAIGHT:
                # Continuation paragraph: its opening mark re-states the open quotation.
                open_at, paras, i = carry, carry_paras + 1, lead + 1
            else:
                # Never closed and not continued: it ends with its paragraph.
                spans.append((carry, prev_end, False, carry_paras))
            carry = None
        while i < p_end:
            ch = text[i]
            if open_at is None:
                if ch in OPENERS or (ch == STRAIGHT and _straight_can_open(text, i, p_end)):
                    open_at, paras = i, 1
            elif ch in CLOSERS or ch == STRAIGHT:
                spans.append((open_at, i + 1, True, paras))
                open_at = None
            i += 1
        if open_at is not None:
            carry, carry_paras = open_at, paras
        prev_end = len(text[:p_end].rstrip())
    if carry is not None:
        spans.append((carry, prev_end, False, carry_paras))
    return [Quote(s, e, c, n, len(_WORD.findall(text[s:e]))) for s, e, c, n in spans]


def _straight_can_open(text: str, i: int, p_end: int) -> bool:
    """A straight double quote after a digit (5'10") or glued between letters is not an opener."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < p_end else " "
    if prev.isdigit():
        return False
    return not nxt.isspace()


def single_quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Single-quoted phrases inside [start, end) (used to spot mixed quotes)."""
    return [(m.start(), m.end()) for m in _SINGLE_QUOTED.finditer(text, start, end)]


def has_double_marks(text: str, start: int, end: int) -> bool:
    return any(c in ALL_MARKS for c in text[start:end])
