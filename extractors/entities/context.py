"""What the span rules work on: a ``Piece`` (contiguous tokens + label) and the article
context (text, lines, headlines, the person names the article gives in full)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property

from spacy.tokens import Doc, Token

from extractors.aliases import AliasTable
from extractors.entities.orgs import clean_surface
from extractors.entities.persons import parse_name
from extractors.entities.words import (
    HEADLINE_CAPS_SHARE,
    HEADLINE_MAX_CHARS,
    HEADLINE_MIN_WORDS,
    HEADLINE_SMALL_WORDS,
    NAME_PARTICLES,
)


@dataclass(slots=True)
class Piece:
    toks: list[Token]
    label: str
    rule: str = "ner"

    @property
    def text(self) -> str:
        return "".join(t.text_with_ws for t in self.toks).strip()

    def but(self, toks: list[Token], label: str | None = None, rule: str = "") -> Piece:
        return replace(self, toks=toks, label=label or self.label, rule=rule or self.rule)


@dataclass
class SpanContext:
    """What the span rules may know about the article: its text, lines and person names."""

    doc: Doc
    table: AliasTable
    text: str = ""
    # Person names written in full outside headlines (case-folded) and their words.
    full_names: set[str] = field(default_factory=set)
    first_seen: dict[str, int] = field(default_factory=dict)  # full name -> first char offset
    name_words: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    # Case-folded surfaces of every entity outside headlines.
    body_surfaces: set[str] = field(default_factory=set)
    _headline: dict[int, bool] = field(default_factory=dict)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_bounds(self, char: int) -> tuple[int, int]:
        starts = self._line_starts
        k = bisect_right(starts, char) - 1
        end = self.text.find("\n", starts[k])
        return starts[k], len(self.text) if end == -1 else end

    def is_headline(self, char: int) -> bool:
        s, e = self.line_bounds(char)
        if s not in self._headline:
            line = self.text[s:e]
            # The tags are only read for lines shaped like a headline (most lines are not).
            self._headline[s] = headline_shape(line) and is_headline_line(
                line, _line_tags(self.doc, s, e)
            )
        return self._headline[s]


def _line_tags(doc: Doc, start: int, end: int) -> list[str]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return [t.tag_ for t in span] if span is not None else []


def headline_shape(line: str) -> bool:
    """Title Case, no final punctuation, no figures, not all capitals, short enough."""
    line = line.strip()
    if not line or len(line) > HEADLINE_MAX_CHARS or line[-1] in '.!?:;,"”’)':
        return False
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    if len(words) < HEADLINE_MIN_WORDS or line.isupper() or any(c.isdigit() for c in line):
        return False
    content = [w for w in words if w.casefold() not in HEADLINE_SMALL_WORDS]
    caps = sum(1 for w in content if w[0].isupper())
    return bool(content) and caps / len(content) >= HEADLINE_CAPS_SHARE


def is_headline_line(line: str, tags: list[str]) -> bool:
    """A Title Case line with a verb and no final punctuation or figures ("Trump's Lawyers
    Argue He Is Immune"); all-capital lines and result tables are not headlines."""
    return headline_shape(line) and any(t.startswith("VB") for t in tags)


def is_name_token(t: Token) -> bool:
    return (
        (t.text[:1].isupper() and t.is_alpha)
        or t.lower_ in NAME_PARTICLES
        or (t.text[:1].isupper() and "-" in t.text)
    )


def person_knowledge(ents: list[Piece], ctx: SpanContext) -> None:
    """Fill the context with the article's full person names and entity surfaces, read from
    spans outside headlines (first pass, before any rule)."""
    for p in ents:
        if ctx.is_headline(p.toks[0].idx):
            continue
        ctx.body_surfaces.add(clean_surface(p.text).casefold())
        if p.label != "PERSON":
            continue
        name = parse_name(p.text)
        if name is None or name.is_single:
            continue
        ctx.full_names.add(name.full.casefold())
        ctx.first_seen.setdefault(name.full.casefold(), p.toks[0].idx)
        ctx.surnames.add(name.surname.casefold())
        ctx.name_words.update(w.casefold() for w in (*name.given, *name.surname.split()))
