"""The per-article entity records: mentions in text order with lookups for speaker resolution."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from extractors.entities.words import ACTOR_LABELS
from extractors.records import Entity, Mention, entity_id_for


def kind_for_label(label: str) -> str:
    if label == "PERSON":
        return "person"
    if label in ("GPE", "LOC", "FAC"):
        return "place"
    if label == "NORP":
        return "group"
    if label == "ORG":
        return "org"
    return "misc"


@dataclass(slots=True)
class EntMention:
    """One entity mention: its span in the text, spaCy's (possibly corrected) label, and the
    canonical actor it resolves to. ``span_rule`` names the span or kind rule that last shaped
    the span or label (``ner`` = spaCy's own), ``rule`` the rule that set ``canonical``;
    ``title`` is the form of address or office written before a person ("Sir", "President")."""

    start: int
    end: int
    text: str
    label: str
    sentence: int
    tok_start: int
    tok_end: int
    canonical: str = ""
    kind: str = "misc"
    country_code: str | None = None
    rule: str = ""
    span_rule: str = "ner"
    title: str = ""

    @property
    def entity_id(self) -> str:
        return entity_id_for(self.kind, self.canonical)


@dataclass
class ArticleEntities:
    """Mentions of one article in text order, with lookups used by speaker resolution."""

    mentions: list[EntMention] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    def finish(self) -> None:
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]

    def inside(self, start: int, end: int) -> list[EntMention]:
        """Actor mentions lying within [start, end)."""
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end and m.label in ACTOR_LABELS:
                out.append(m)
            i += 1
        return out

    def before(self, pos: int) -> Iterable[EntMention]:
        """Actor mentions starting before ``pos``, nearest first."""
        i = bisect_left(self._starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.label in ACTOR_LABELS:
                yield m
            i -= 1

    def all_canonicals(self, kinds: set[str]) -> list[EntMention]:
        return [m for m in self.mentions if m.kind in kinds]

    def to_entities(self) -> tuple[Entity, ...]:
        by_id: dict[str, tuple[EntMention, set[str]]] = {}
        for m in self.mentions:
            if m.label not in ACTOR_LABELS:
                continue
            _first, aliases = by_id.setdefault(m.entity_id, (m, set()))
            if m.text != m.canonical:
                aliases.add(m.text)
        return tuple(
            Entity(eid, m.canonical, m.kind, tuple(sorted(al)), m.country_code)
            for eid, (m, al) in by_id.items()
        )

    def to_mentions(self, article_id: str) -> tuple[Mention, ...]:
        return tuple(
            Mention(article_id, m.entity_id, m.text, m.start, m.end, m.sentence, m.label)
            for m in self.mentions
            if m.label in ACTOR_LABELS
        )
