"""Pronoun antecedents by grammatical role, recency and agreement.

Referents are the actors mentioned in the last few sentences (entity mentions, plural and
collective noun phrases used as subjects) plus the speakers of earlier claims. Each mention
scores by its role (an earlier claim's speaker > subject > object > oblique; see
``lexicon.SALIENCE_ROLE``), halved per sentence back and weakened inside quotations.
Agreement filters first: "he"/"she" only persons (of a compatible gender when the article
tells), "they" never one person, "it" an organisation, place or document.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.index import ArticleIndex
from extractors.entities import clean_surface

_KIND_OF_MENTION = {"person": "person", "org": "organisation", "agency": "organisation",
                    "group": "organisation", "place": "place"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Referent:
    surface: str
    start: int  # char offset of the mention
    canonical: str | None
    entity_id: str | None
    kind: str  # person | organisation | group | place | document | anonymous
    plural: bool
    role: str
    sentence: int

    @property
    def ident(self) -> str:
        return self.entity_id or self.surface.casefold()


def role_of(t: Token) -> str:
    """Grammatical role of the head token of a mention."""
    dep = t.dep_
    if dep == "appos":
        return "apposition"
    if dep in ("nsubj", "nsubjpass"):
        return "subject"
    if dep in ("dobj", "dative", "attr", "oprd"):
        return "object"
    if dep == "poss":
        return "possessive"
    if dep in ("compound", "amod", "nmod"):
        return "modifier"
    if dep == "pobj" and t.head.dep_ == "agent":
        return "subject"  # "was announced by X"
    return "oblique"


def mention_head(ix: ArticleIndex, tok_start: int, tok_end: int) -> Token:
    """The token of a mention whose head lies outside it."""
    doc = ix.doc
    for i in range(tok_end - 1, tok_start - 1, -1):
        h = doc[i].head.i
        if not (tok_start <= h < tok_end) or h == i:
            return doc[i]
    return doc[tok_end - 1]


def score(ref: Referent, at_sentence: int, ix: ArticleIndex) -> float:
    d = max(0, ix.narrative[at_sentence] - ix.narrative[ref.sentence])
    w = lx.SALIENCE_ROLE.get(ref.role, 10) * (lx.SALIENCE_DECAY**d)
    q = ix.token_at(ref.start)
    if q is not None and ix.in_speech_quote(q):
        w *= lx.SALIENCE_IN_QUOTE
    return w


def rank(
    refs: list[Referent], at_sentence: int, ix: ArticleIndex, boost=None
) -> list[tuple[float, Referent]]:
    """Referents grouped by identity (best mention + a share of the others, times ``boost`` of
    the referent when given), best first; ties go to the most recent mention."""
    groups: dict[str, list[tuple[float, Referent]]] = {}
    for r in refs:
        groups.setdefault(r.ident, []).append((score(r, at_sentence, ix), r))
    out = []
    for items in groups.values():
        items.sort(key=lambda x: (x[0], x[1].start), reverse=True)
        best, ref = items[0]
        extra = sum(s for s, _ in items[1:]) * lx.SALIENCE_REPEAT
        latest = max(items, key=lambda x: x[1].start)[1]
        chosen = latest if latest.canonical else ref
        out.append(((best + extra) * (boost(chosen) if boost else 1.0), chosen))
    out.sort(key=lambda x: (x[0], x[1].start), reverse=True)
    return out


class Genders:
    """Gender of a person entity when the article tells: a title or gendered role beside a
    mention ("Mrs", "spokeswoman", "his father, Patrick"), or he/she as a subject after the
    person was the main subject of a sentence (in a later clause of that sentence, or opening
    the next sentence when that one names no person)."""

    def __init__(self, ix: ArticleIndex) -> None:
        self.ix = ix
        self._known: dict[str, str] | None = None

    def of(self, entity_id: str | None) -> str | None:
        if entity_id is None:
            return None
        if self._known is None:
            self._known = self._estimate()
        return self._known.get(entity_id)

    def _estimate(self) -> dict[str, str]:
        counts: dict[str, list[int]] = {}
        main: dict[int, set[str]] = {}
        named: set[int] = set()
        for m in self.ix.ents.mentions:
            if m.kind != "person":
                continue
            named.add(m.sentence)
            c = counts.setdefault(m.entity_id, [0, 0])
            for w in self._titles(m.start, m.text):
                c[0] += lx.GENDER_TITLE_WEIGHT * (w in lx.MALE_ROLES)
                c[1] += lx.GENDER_TITLE_WEIGHT * (w in lx.FEMALE_ROLES)
            head = mention_head(self.ix, m.tok_start, m.tok_end)
            if head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ in ("ROOT", "conj"):
                main.setdefault(m.sentence, set()).add(m.entity_id)
            male, female = self._reported_pronouns(head)
            c[0] += lx.GENDER_CLAUSE_WEIGHT * male
            c[1] += lx.GENDER_CLAUSE_WEIGHT * female
        for n, ids in main.items():
            if len(ids) == 1:
                male, female = self._subject_pronouns(n, n + 1 not in named)
                c = counts[next(iter(ids))]
                c[0] += male
                c[1] += female
        return {eid: g for eid, (m, f) in counts.items() if (g := _call(m, f))}

    def _titles(self, start: int, text: str) -> list[str]:
        before = self.ix.text[max(0, start - 16) : start].lower().replace(",", " ").split()[-1:]
        return [w.strip(".") for w in before + text.lower().split()[:1]]

    def _subject_pronouns(self, n: int, next_too: bool) -> tuple[int, int]:
        """he/she as subjects in the sentence and (when it names nobody) the next one, never
        inside a quotation (where "he" is someone the speaker talks about)."""
        ix = self.ix
        a, b = ix.sent_bounds[n]
        toks = [t for t in ix.doc[a:b] if t.dep_ != "nsubj" or t.head.dep_ != "ROOT"]
        if next_too and n + 1 < len(ix.sent_bounds):
            a2, b2 = ix.sent_bounds[n + 1]
            toks += [t for t in ix.doc[a2:b2] if t.head.dep_ == "ROOT"]
        subj = [
            t.lower_ for t in toks if t.dep_ in ("nsubj", "nsubjpass") and ix.tok_quote[t.i] < 0
        ]
        return sum(w == "he" for w in subj), sum(w == "she" for w in subj)

    def _reported_pronouns(self, head: Token) -> tuple[int, int]:
        """ "Beth Ruffin said she …": the subject pronoun of what a person reports is most
        often the person."""
        v = head.head
        if head.dep_ != "nsubj" or v.lemma_.lower() not in lx.CUE_LEMMAS:
            return 0, 0
        subj = [s.lower_ for c in v.children if c.dep_ == "ccomp" and self.ix.tok_quote[c.i] < 0
                for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]  # fmt: skip
        return sum(w == "he" for w in subj), sum(w == "she" for w in subj)


def _call(male: int, female: int) -> str | None:
    if male > 0 and male >= lx.GENDER_MARGIN * female:
        return "m"
    if female > 0 and female >= lx.GENDER_MARGIN * male:
        return "f"
    return None


Surnames = dict[str, tuple[str, str]]


def person_surnames(ix: ArticleIndex) -> Surnames:
    """Surname -> (canonical, entity id) of the people the article names in full, for a
    surname the model typed as something else ("Telford" as an organisation after "Hamish
    Telford"); a surname two people share is left out."""
    out: dict[str, tuple[str, str] | None] = {}
    for m in ix.ents.mentions:
        words = m.canonical.split() if m.kind == "person" else []
        if len(words) >= 2:
            key = words[-1].casefold()
            known = out.get(key, (m.canonical, m.entity_id))
            out[key] = known if known and known[0] == m.canonical else None
    return {k: v for k, v in out.items() if v is not None}


def as_person(m, surnames: Surnames) -> tuple[str, str] | None:
    """(canonical, entity id) of the person a non-person mention names by surname."""
    if m.kind == "person":
        return None
    words = clean_surface(m.text).split()
    return surnames.get(words[0].casefold()) if len(words) == 1 else None


def entity_referents(
    ix: ArticleIndex, pos: int, first_sentence: int, surnames: Surnames | None = None
) -> list[Referent]:
    """Actor mentions before ``pos`` back to ``first_sentence``."""
    out = []
    for m in ix.ents.before(pos):
        if m.sentence < first_sentence:
            break
        kind = _KIND_OF_MENTION.get(m.kind)
        if kind is None or m.end > pos:
            continue
        canonical, eid = m.canonical, m.entity_id
        person = as_person(m, surnames) if surnames else None
        if person is not None:
            (canonical, eid), kind = person, "person"
        head = mention_head(ix, m.tok_start, m.tok_end)
        out.append(Referent(m.text, m.start, canonical, eid, kind, kind != "person",
                            role_of(head), m.sentence))  # fmt: skip
    return out


def noun_referents(ix: ArticleIndex, pos: int, first_sentence: int) -> list[Referent]:
    """Unnamed groups used as subjects ("Prosecutors argued …", "The family met …")."""
    out = []
    doc = ix.doc
    start_tok = ix.sent_bounds[first_sentence][0]
    end_tok = ix.token_at(pos) or len(doc)
    for i in range(start_tok, min(end_tok, len(doc))):
        t = doc[i]
        if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ != "NOUN" or t.ent_type_:
            continue
        if not is_group_noun(t):
            continue
        out.append(Referent(t.text, t.idx, None, None, "group", True, "subject", ix.sent_of[i]))
    return out


def is_group_noun(t: Token) -> bool:
    """A plural noun for people or a collective ("prosecutors", "the family", "union
    representatives"): a group that speaks as one, never one person."""
    lemma = t.lemma_.lower()
    if t.lower_ in lx.COLLECTIVE_NOUNS or lemma in lx.COLLECTIVE_NOUNS:
        return True
    if t.tag_ not in ("NNS", "NNPS"):
        return False
    return lemma in lx.PERSON_ROLES or lemma in lx.ANIMATE_NOUNS or lemma in lx.GROUP_NOUNS
