"""Entity mentions from spaCy NER, merged into canonical entities per article.

Every mention keeps spaCy's span (so entity accuracy is never worse than the plain model's,
apart from two deliberate fixes: a leading "the" is left out of the span, and "Kharkiv and Odesa"
tagged as one entity is split when both parts are known places). Canonical names come from, in
order: the curated alias table, acronyms defined in the text ("Long Name (ACR)"), acronyms matching
the initials of an organisation named in the same article, the longest full name sharing a
person's surname, and finally the cleaned surface.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from extractors.aliases import AliasEntry, alias_table
from extractors.records import Entity, Mention, entity_id_for

# spaCy labels that become canonical actors/places.
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
# Kept as plain mentions (canonical = surface) so the CLI output covers CoNLL's MISC too.
OTHER_LABELS = {"EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}

_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "gen", "col", "lt",
    "sgt", "capt", "rev", "president", "minister", "senator", "sen", "rep", "gov", "governor",
    "mayor", "judge", "justice", "king", "queen", "prince", "princess", "pope", "sheikh",
}  # fmt: skip
_ACR_STOP = {"of", "for", "and", "the", "on", "in", "de", "du", "des", "la", "le", "&", "to", "at"}
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")
_DEFINITION = re.compile(
    r"((?:[A-Z][\w'’.-]*|of|for|and|the|on|in|de|du|des|to|&)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|the|on|in|de|du|des|to|&)){1,9})"
    r"\s*\(\s*([A-Z][A-Za-z&]{1,9})\s*\)"
)


def _kind_for_label(label: str) -> str:
    if label == "PERSON":
        return "person"
    if label in ("GPE", "LOC", "FAC"):
        return "place"
    if label == "NORP":
        return "group"
    if label == "ORG":
        return "org"
    return "misc"


def initials(name: str) -> str:
    words = [w for w in name.split() if w and w.casefold() not in _ACR_STOP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def clean_surface(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^(?:the|The|THE)\s+", "", s)
    s = re.sub(r"(?:'s|’s|'|’)$", "", s)
    return s.strip(" ,.;:")


@dataclass(slots=True)
class EntMention:
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


def _apply_entry(m: EntMention, e: AliasEntry) -> None:
    m.canonical, m.country_code = e.canonical, e.country_code
    m.kind = {"place": "place", "agency": "agency", "group": "group"}.get(e.kind, "org")
    if e.kind == "place" and m.label not in ("GPE", "LOC", "FAC", "NORP"):
        m.label = "GPE"  # a known place tagged ORG/PERSON by the model (e.g. "Kharkiv")


def find_definitions(text: str) -> dict[str, str]:
    """Acronyms defined in the text: "National Security Office (NSO)" -> {"NSO": "National ..."}."""
    out: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        long_name, acr = m.group(1), m.group(2)
        words = long_name.split()
        # Keep only the trailing words whose initials spell the acronym.
        for k in range(len(words)):
            cand = " ".join(words[k:])
            if cand.split()[0].casefold() in _ACR_STOP:
                continue
            if initials(cand) == acr.upper().replace("&", ""):
                out[acr] = clean_surface(cand)
                break
    return out


def build_entities(doc: Doc, sent_index: dict[int, int] | None = None) -> ArticleEntities:
    """Canonicalised entity mentions of ``doc``; ``sent_index`` maps token i -> sentence number."""
    table = alias_table()
    text = doc.text
    ae = ArticleEntities()
    ae.acronyms = find_definitions(text) if "(" in text else {}

    def sent_of(i: int) -> int:
        return sent_index[i] if sent_index is not None else 0

    for ent in doc.ents:
        label = ent.label_
        if label not in ACTOR_LABELS and label not in OTHER_LABELS:
            continue
        toks = list(ent)
        # A leading determiner is not part of the name (CoNLL convention, cleaner canonicals).
        while toks and toks[0].lower_ in ("the", "a", "an"):
            toks = toks[1:]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if not toks:
            continue
        pieces = [toks]
        if label in ("ORG", "GPE", "LOC") and any(t.lower_ in ("and", "&") for t in toks):
            pieces = _split_known_places(toks, table) or pieces
        for ptoks in pieces:
            s, e = ptoks[0].idx, ptoks[-1].idx + len(ptoks[-1].text)
            m = EntMention(s, e, text[s:e], label, sent_of(ptoks[0].i), ptoks[0].i, ptoks[-1].i + 1)
            if len(pieces) > 1:
                m.label = "GPE"
            ae.mentions.append(m)
    ae.finish()
    _canonicalise(ae, table, text)
    return ae


def _split_known_places(toks: list, table) -> list[list] | None:
    parts: list[list] = [[]]
    for t in toks:
        if t.lower_ in ("and", "&") or t.text == ",":
            parts.append([])
        else:
            parts[-1].append(t)
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    for p in parts:
        e = table.lookup(" ".join(t.text for t in p))
        if e is None or e.kind != "place":
            return None
    return parts


def _canonicalise(ae: ArticleEntities, table, text: str) -> None:
    persons_by_last: dict[str, str] = {}
    for m in ae.mentions:
        if m.label not in ACTOR_LABELS:
            m.canonical, m.kind = m.text, "misc"
            continue
        surface = clean_surface(m.text)
        m.canonical, m.kind = surface or m.text, _kind_for_label(m.label)
        if m.label == "PERSON":
            words = surface.split()
            while len(words) > 1 and words[0].casefold().rstrip(".") in _TITLES:
                words = words[1:]
            m.canonical = " ".join(words)
            if len(words) >= 2:
                last = words[-1].casefold()
                if len(m.canonical) > len(persons_by_last.get(last, "")):
                    persons_by_last[last] = m.canonical
            continue
        entry = table.lookup(surface)
        if entry is None and surface in ae.acronyms:
            long_name = ae.acronyms[surface]
            entry = table.lookup(long_name)
            if entry is None:
                m.canonical, m.kind = long_name, "org"
                continue
        if entry is not None:
            _apply_entry(m, entry)
            continue
        if m.label == "NORP":
            m.kind = "group"
    # Second pass: surnames -> full names, undefined acronyms -> an org with those initials,
    # unknown places written "City, Country" -> that country's code.
    orgs = {m.canonical for m in ae.mentions if m.kind in ("org", "agency", "group")}
    by_initials: dict[str, str] = {}
    for name in orgs:
        if " " in name:
            by_initials.setdefault(initials(name), name)
    for m in ae.mentions:
        if m.label == "PERSON":
            words = m.canonical.split()
            full = persons_by_last.get(words[-1].casefold()) if words else None
            if full and len(words) == 1:
                m.canonical = full
        elif m.kind in ("org", "misc", "group") and _ACRONYM.match(m.canonical):
            long_name = ae.acronyms.get(m.canonical) or by_initials.get(m.canonical)
            if long_name:
                m.canonical, m.kind = long_name, "org"
        elif m.kind == "place" and m.country_code is None:
            tail = text[m.end : m.end + 40]
            mm = re.match(r",\s+([A-Z][\w .'-]{2,30}?)(?=[,.;)\n]|\s+(?:on|in|said)\b|$)", tail)
            if mm:
                e = table.lookup(mm.group(1))
                if e is not None and e.kind == "place" and e.country_code:
                    m.country_code = e.country_code
