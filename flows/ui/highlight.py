"""An article's clean text with its claims marked up, displaCy-style: claim contents, speakers,
cues and entity mentions as nested <mark> elements.

Offsets come from the warehouse and are trusted only after clipping (a span outside the text
or empty is dropped). Overlapping spans are nested properly: a span that crosses the end of an
enclosing one is split at that boundary and reopened after it. Every piece of text goes
through markupsafe's escaping; tags are built with `Markup.format`, which escapes its
arguments, so nothing from an article can become markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Nesting order when two spans start at the same place and are equally long: outer first.
LAYER = {"content": 0, "speaker": 1, "cue": 2, "entity": 3}
# How far around a claim's speaker and content to look for its cue word (characters).
CUE_WINDOW = 120


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # content | speaker | cue | entity
    title: str  # the tooltip
    tag: str | None = None  # a small label after the span (entity types)
    href: str | None = None  # internal link only (entity pages); never an article's URL
    claim_no: int | None = None


def find_cue(
    text: str, cue: str | None, anchors: Sequence[tuple[int, int]], taken: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """The cue's own offsets are not stored: the occurrence of the cue words (whole words)
    nearest to the claim's speaker and content spans, outside the content itself."""
    if not cue or not anchors:
        return None
    lo = max(0, min(a for a, _ in anchors) - CUE_WINDOW)
    hi = min(len(text), max(b for _, b in anchors) + CUE_WINDOW)
    pattern = re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", re.IGNORECASE)
    best: tuple[int, int, int] | None = None
    for m in pattern.finditer(text, lo, hi):
        if any(m.start() < b and a < m.end() for a, b in taken):
            continue
        distance = min(
            abs(m.start() - b) if m.start() >= b else abs(a - m.end()) for a, b in anchors
        )
        if best is None or distance < best[0]:
            best = (distance, m.start(), m.end())
    return (best[1], best[2]) if best else None


def _valid(spans: Iterable[Span], n: int) -> list[Span]:
    out = []
    for s in spans:
        start, end = max(0, s.start), min(n, s.end)
        if start < end:
            out.append(Span(start, end, s.kind, s.title, s.tag, s.href, s.claim_no))
    return out


def _open(s: Span) -> Markup:
    attrs = Markup(' class="hl hl-{}" title="{}"').format(s.kind, s.title)
    if s.claim_no is not None and s.kind == "content":
        attrs += Markup(' data-claim="{}"').format(s.claim_no)
    if s.href:
        return Markup('<a href="{}"{}>').format(s.href, attrs)
    return Markup("<mark{}>").format(attrs)


def _close(s: Span) -> Markup:
    tag = Markup('<span class="hl-tag">{}</span>').format(s.tag) if s.tag else Markup("")
    if s.kind == "content" and s.claim_no is not None:
        tag += Markup('<sup class="hl-no">{}</sup>').format(s.claim_no)
    return tag + _suspend(s)


def render(text: str, spans: Iterable[Span]) -> Markup:
    """The text as HTML with the spans as properly nested marks."""
    items = sorted(_valid(spans, len(text)), key=lambda s: (s.start, -s.end, LAYER[s.kind]))
    bounds = sorted({0, len(text)} | {s.start for s in items} | {s.end for s in items})
    out: list[Markup] = []
    stack: list[Span] = []
    i = 0
    prev = 0
    for pos in bounds:
        # Paragraphs are single newlines in the clean text; a blank line shows them.
        out.append(escape(text[prev:pos]).replace("\n", "\n\n"))
        prev = pos
        ending = [k for k, s in enumerate(stack) if s.end == pos]
        if ending:
            # Close everything from the lowest span ending here; spans above it that go on
            # are closed too (markup must nest) and reopened right away.
            cut = ending[0]
            for s in reversed(stack[cut:]):
                out.append(_close(s) if s.end == pos else _suspend(s))
            going_on = [s for s in stack[cut:] if s.end > pos]
            stack = stack[:cut]
            for s in going_on:
                out.append(_reopen(s))
                stack.append(s)
        while i < len(items) and items[i].start == pos:
            out.append(_open(items[i]))
            stack.append(items[i])
            i += 1
    return Markup("").join(out)


def _suspend(s: Span) -> Markup:
    return Markup("</a>" if s.href else "</mark>")


def _reopen(s: Span) -> Markup:
    # A continuation of a split span: same look, no second label or claim number.
    return Markup('<{} class="hl hl-{} hl-cont" title="{}"{}>').format(
        "a" if s.href else "mark",
        s.kind,
        s.title,
        Markup(' href="{}"').format(s.href) if s.href else "",
    )
