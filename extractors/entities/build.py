"""From a parsed article to canonical entities: span rules, then kind rules, then names.

Order: spaCy's spans go through the span rules (``spans.SPAN_RULES``); the mentions left get
their kind settled across the article (``KIND_RULES``: the same name keeps one kind, a
person's surname typed ORG becomes the person); then canonical names: the alias table and
acronyms for organisations and places, ``persons.assign_person_canonicals`` for people.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from spacy.tokens import Doc

from extractors.aliases import AliasTable, alias_table
from extractors.entities.context import Piece, SpanContext, person_knowledge
from extractors.entities.model import ArticleEntities, EntMention, kind_for_label
from extractors.entities.orgs import (
    clean_surface,
    country_after_place,
    find_definitions,
    resolve_acronyms_by_initials,
    resolve_org,
)
from extractors.entities.persons import assign_person_canonicals, parse_name
from extractors.entities.recall import add_missed_persons
from extractors.entities.spans import apply_span_rules
from extractors.entities.words import ACTOR_LABELS, ORG_HEAD_NOUNS, OTHER_LABELS, is_title_word


def build_entities(doc: Doc, sent_index: dict[int, int] | None = None) -> ArticleEntities:
    """Canonicalised entity mentions of ``doc``; ``sent_index`` maps token i -> sentence number."""
    table = alias_table()
    text = doc.text
    ae = ArticleEntities()
    ae.acronyms = find_definitions(text) if "(" in text else {}
    raw = [
        Piece(list(ent), ent.label_)
        for ent in doc.ents
        if ent.label_ in ACTOR_LABELS or ent.label_ in OTHER_LABELS
    ]
    ctx = SpanContext(doc, table, text)
    person_knowledge(raw, ctx)
    for p in apply_span_rules(raw, ctx):
        first, last = p.toks[0], p.toks[-1]
        s, e = first.idx, last.idx + len(last.text)
        sent = sent_index[first.i] if sent_index is not None else 0
        ae.mentions.append(EntMention(s, e, text[s:e], p.label, sent, first.i, last.i + 1))
        ae.mentions[-1].span_rule = p.rule
        # Read for every actor: a kind rule may still make an ORG-tagged name a person.
        ae.mentions[-1].title = title_before(doc, first.i) if p.label in ACTOR_LABELS else ""
    ae.finish()
    for rule in KIND_RULES:
        rule(ae.mentions, table)
    ae.mentions.extend(add_missed_persons(doc, text, ae.mentions, sent_index))
    ae.finish()
    _canonicalise(ae, table, text)
    return ae


def title_before(doc: Doc, i: int) -> str:
    """Forms of address and offices written just before token ``i``: "Sir", "Prime Minister"."""
    k = i
    while k > 0 and i - k < 4 and is_title_word(doc[k - 1].text):
        k -= 1
    return doc[k:i].text if k < i else ""


def _key(m: EntMention) -> str:
    return clean_surface(m.text).casefold()


def vote_labels(mentions: list[EntMention], table: AliasTable) -> None:
    """One name, one label: mentions of the same surface take the label most of them have
    (the model tags "Fairmont Jasper" ORG once and FAC once). Names in the alias table keep
    the table's kind later, so they are left alone here."""
    groups: dict[str, list[EntMention]] = defaultdict(list)
    for m in mentions:
        if m.label in ACTOR_LABELS:
            groups[_key(m)].append(m)
    for key, ms in groups.items():
        labels = Counter(m.label for m in ms)
        if len(labels) < 2 or table.lookup(key) is not None:
            continue
        (top, n), (_second, n2) = labels.most_common(2)
        if n > n2:
            for m in ms:
                if m.label != top:
                    m.label, m.span_rule = top, "vote-label"


def retype_person_names(mentions: list[EntMention], table: AliasTable) -> None:
    """A non-person mention is the person when its words are a person's name the article gives:
    "Maxwell" (ORG) beside "Ghislaine Maxwell", "Kamala" (GPE) beside "Kamala Harris",
    "Yahya Sinwar" (GPE) beside the PERSON "Yahya Sinwar", "Nadia Petrescu" (ORG) beside the
    PERSON "Petrescu". Names the alias table knows stay what the table says."""
    fulls, singles = {}, set()
    for m in mentions:
        if m.label == "PERSON" and (p := parse_name(m.text)) is not None:
            if p.is_single:
                singles.add(p.surname.casefold())
            else:
                fulls[p.key] = p
    surnames = {p.surname.casefold() for p in fulls.values()}
    given = Counter(p.given[0].casefold() for p in fulls.values())
    for m in mentions:
        if m.label == "PERSON" or m.label not in ACTOR_LABELS:
            continue
        surface = clean_surface(m.text)
        if not surface or table.lookup(surface) is not None:
            continue
        low = surface.casefold()
        p = parse_name(surface)
        is_full = p is not None and not p.is_single and p.key in fulls
        named = p is not None and not p.is_single and p.surname.casefold() in singles
        if named and not all(w[:1].isupper() and w.casefold() not in ORG_HEAD_NOUNS
                             for w in surface.split()):  # fmt: skip
            named = False
        if is_full or named or low in surnames or (given.get(low) == 1 and low not in surnames):
            m.label, m.span_rule = "PERSON", "retype-person-name"


def retype_known_places(mentions: list[EntMention], table: AliasTable) -> None:
    """A place the alias table knows is a place even when tagged PERSON ("Australia's" split
    off a person span), unless it is the name of a person in the article ("Jordan" beside
    "Michael Jordan")."""
    words = set()
    for m in mentions:
        if m.label == "PERSON" and (p := parse_name(m.text)) is not None and not p.is_single:
            words.update(w.casefold() for w in (*p.given, p.surname))
    for m in mentions:
        if m.label != "PERSON" or _key(m) in words:
            continue
        entry = table.lookup(clean_surface(m.text))
        if entry is not None and entry.kind == "place":
            m.label, m.span_rule = "GPE", "retype-known-place"


KindRule = Callable[[list[EntMention], AliasTable], None]
KIND_RULES: tuple[KindRule, ...] = (vote_labels, retype_person_names, retype_known_places)


def _canonicalise(ae: ArticleEntities, table: AliasTable, text: str) -> None:
    persons = []
    for m in ae.mentions:
        if m.label not in ACTOR_LABELS:
            m.canonical, m.kind, m.rule = m.text, "misc", "surface"
            continue
        m.kind = kind_for_label(m.label)
        if m.label == "PERSON":
            persons.append(m)
            continue
        m.title = ""
        surface = clean_surface(m.text) or m.text
        dateline = m.span_rule == "dateline"
        m.canonical, m.rule = (surface.title(), "dateline") if dateline else (surface, "surface")
        resolve_org(m, surface, table, ae.acronyms)
    assign_person_canonicals(persons)
    resolve_acronyms_by_initials(ae.mentions, ae.acronyms)
    for m in ae.mentions:
        country_after_place(m, text, table)
