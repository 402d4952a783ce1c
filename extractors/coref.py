"""Resolving a claim's speaker phrase to a canonical actor.

Deliberately simple and local (no coreference model): named phrases use the entity inside
them or the alias table; pronouns and descriptions ("he", "they", "the ministry", "the office")
go to the most recent compatible actor mentioned earlier in the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from extractors.aliases import alias_table
from extractors.entities import ArticleEntities, EntMention, clean_surface
from extractors.records import entity_id_for

PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "it", "we"}
ORG_NOUNS = {
    "ministry", "office", "agency", "government", "department", "committee", "council",
    "party", "army", "military", "police", "company", "group", "commission", "service",
    "administration", "authority", "authorities", "directorate", "bureau", "embassy",
    "organisation", "organization", "campaign", "court", "parliament", "cabinet", "kremlin",
    "presidency", "secretariat", "alliance", "bloc", "union", "force", "forces", "movement",
    "militia", "rebels", "insurgents", "militants", "watchdog", "regulator", "board",
    "network", "newspaper", "broadcaster", "outlet", "firm", "bank", "fund", "institute",
    "federation", "coalition", "team", "club", "league", "church", "center", "centre",
    "foundation", "association", "university", "school", "hospital", "staff",
}  # fmt: skip
PERSON_ROLES = {
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "director",
    "chief", "head", "leader", "secretary", "ambassador", "general", "commander",
    "governor", "mayor", "senator", "lawmaker", "chairman", "chairwoman", "chair",
    "premier", "chancellor", "envoy", "candidate", "nominee", "coach", "manager",
    "founder", "ceo", "executive", "prosecutor", "judge", "lawyer", "attorney", "official",
    "adviser", "advisor", "aide", "representative", "congressman", "congresswoman",
    "man", "woman", "father", "mother", "king", "queen", "prince", "pope", "player",
}  # fmt: skip
DOCUMENT_NOUNS = {
    "statement", "report", "communique", "communiqué", "letter", "document", "filing",
    "release", "memo", "memorandum", "study", "survey", "poll", "post", "tweet", "notice",
    "declaration", "resolution", "ruling", "order", "decree", "complaint", "lawsuit",
    "indictment", "affidavit", "transcript", "article", "analysis", "paper", "data",
    "figures", "records", "book", "email", "e-mail", "message", "video", "website",
    "account", "bulletin", "briefing", "assessment", "findings", "review", "audit",
}  # fmt: skip
ANON_NOUNS = {
    "source", "sources", "official", "officials", "people", "person", "diplomat",
    "diplomats", "witness", "witnesses", "resident", "residents", "analyst", "analysts",
    "expert", "experts", "observer", "observers", "insider", "insiders", "aide", "aides",
    "critic", "critics", "activist", "activists", "supporter", "supporters", "voter",
    "voters", "someone", "one", "many", "others", "some", "several", "lawmakers",
    "economists", "investigators", "researchers", "scientists", "doctors", "medics",
}  # fmt: skip
INDEFINITE = {"a", "an", "some", "several", "many", "two", "three", "one", "few", "other", "no"}


@dataclass(frozen=True, slots=True)
class Resolved:
    canonical: str | None
    entity_id: str | None
    kind: str | None  # person | organisation | place | document | anonymous | None


_KIND_MAP = {"person": "person", "org": "organisation", "agency": "organisation",
             "group": "organisation", "place": "place"}  # fmt: skip


def _from_mention(m: EntMention) -> Resolved:
    return Resolved(m.canonical, m.entity_id, _KIND_MAP.get(m.kind, "organisation"))


class SpeakerResolver:
    """Per-article resolver; remembers resolved speakers so later pronouns can point at them."""

    def __init__(self, ents: ArticleEntities, text: str) -> None:
        self.ents = ents
        self.text = text
        self.history: list[tuple[int, Resolved]] = []  # (char position, resolution)

    def remember(self, pos: int, r: Resolved) -> None:
        if r.canonical:
            self.history.append((pos, r))

    def _recent(self, pos: int, kinds: set[str], pred=None, limit: int = 60) -> Resolved | None:
        """Most recent actor before ``pos`` (NER mention or earlier resolved speaker)."""
        best_m: EntMention | None = None
        for n, m in enumerate(self.ents.before(pos)):
            if n > limit:
                break
            if _KIND_MAP.get(m.kind) in kinds and (pred is None or pred(m.canonical, m)):
                best_m = m
                break
        best_h: tuple[int, Resolved] | None = None
        for h in reversed(self.history):
            if h[0] < pos and h[1].kind in kinds and (pred is None or pred(h[1].canonical, None)):
                best_h = h
                break
        if best_h and (best_m is None or best_h[0] > best_m.start):
            return best_h[1]
        return _from_mention(best_m) if best_m else None

    def resolve(self, head: Token, start: int, end: int) -> Resolved:
        """Resolve the speaker phrase text[start:end] whose syntactic head is ``head``."""
        text = self.text  # not head.doc.text, which re-joins every token on each call
        low = head.lower_
        lemma = head.lemma_.lower()
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS | GROUP_PRONOUNS:
            if low in PERSON_PRONOUNS:
                r = self._recent(start, {"person"})
                return r or Resolved(None, None, "person")
            if low in GROUP_PRONOUNS:
                r = self._recent_group(start)
                return r or Resolved(None, None, None)
            return Resolved(None, None, None)
        # Named: whole phrase in the alias table, then entities inside the phrase.
        surface = clean_surface(text[start:end])
        entry = alias_table().lookup(surface)
        if entry is not None:
            kind = {"place": "place", "agency": "agency", "group": "group"}.get(entry.kind, "org")
            return Resolved(entry.canonical, entity_id_for(kind, entry.canonical), _KIND_MAP[kind])
        inside = self.ents.inside(start, end)
        if inside:
            persons = [m for m in inside if m.kind == "person"]
            pool = persons or inside
            # The mention nearest to the syntactic head wins ("Interfax" in "the Interfax agency").
            m = min(pool, key=lambda x: abs(x.tok_end - 1 - head.i))
            if persons or lemma not in DOCUMENT_NOUNS:
                return _from_mention(m)
        dets = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod", "amod")}
        if lemma in DOCUMENT_NOUNS:
            return Resolved(None, None, "document")
        if dets & INDEFINITE or (lemma in ANON_NOUNS and "the" not in dets):
            return Resolved(None, None, "anonymous")
        mods = [
            c.lower_
            for c in head.children
            if c.dep_ in ("compound", "amod") and c.i < head.i and c.is_alpha
        ]
        if lemma in ORG_NOUNS or low in ORG_NOUNS:
            r = self._description(start, lemma, mods)
            if r:
                return r
            return Resolved(None, None, "organisation")
        if lemma in PERSON_ROLES or low in PERSON_ROLES:
            r = self._role(start, lemma, mods)
            if r:
                return r
            return Resolved(None, None, "anonymous" if lemma in ANON_NOUNS else "person")
        if lemma in ANON_NOUNS:
            return Resolved(None, None, "anonymous")
        if head.pos_ == "PROPN" or (head.is_title and head.pos_ in ("AUX", "VERB", "NOUN", "ADJ")):
            # A name the model did not tag: keep it, kind unknown but most likely a person.
            names = [t.text for t in head.subtree if t.pos_ == "PROPN"] or [head.text]
            name = clean_surface(" ".join(names))
            if name:
                return Resolved(name, entity_id_for("person", name), "person")
        return Resolved(None, None, None)

    def _recent_group(self, pos: int) -> Resolved | None:
        # Prefer the latest non-news-agency organisation: "..., Interfax reported. They added"
        # still means the source Interfax quoted, not Interfax.
        for n, m in enumerate(self.ents.before(pos)):
            if n > 40:
                break
            if m.kind in ("org", "group"):
                cand = _from_mention(m)
                for hp, h in reversed(self.history):
                    if hp < pos and h.kind == "organisation" and hp > m.start:
                        return h
                return cand
        return self._recent(pos, {"organisation", "place"})

    def _description(self, pos: int, lemma: str, mods: list[str]) -> Resolved | None:
        noun = lemma.casefold()

        def strict(canonical: str, _m) -> bool:
            c = canonical.casefold()
            return noun in c and all(md in c for md in mods)

        def loose(canonical: str, _m) -> bool:
            return noun in canonical.casefold()

        for pred in (strict, loose):
            r = self._recent(pos, {"organisation"}, pred)
            if r:
                return r
        if noun in ("government", "authorities", "administration", "kremlin", "presidency"):
            r = self._recent(pos, {"place"})
            if r:
                return r
        if noun in ("agency", "newspaper", "broadcaster", "outlet", "network"):
            return self._recent(
                pos, {"organisation"}, lambda c, m: m is not None and m.kind == "agency"
            )
        if noun in ("group", "militants", "rebels", "insurgents", "movement", "militia"):
            return self._recent(
                pos, {"organisation"}, lambda c, m: m is not None and m.kind == "group"
            )
        return None

    def _role(self, pos: int, lemma: str, mods: list[str]) -> Resolved | None:
        """'the spokesman' -> the latest person introduced with that role nearby."""
        for n, m in enumerate(self.ents.before(pos)):
            if n > 40:
                break
            if m.kind == "person" and lemma in _window_text(m, self.text):
                return _from_mention(m)
        return None


def _window_text(m: EntMention, text: str) -> str:
    return text[max(0, m.start - 60) : m.end + 60].casefold()
