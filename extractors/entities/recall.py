"""Person mentions the model missed, added from evidence in the same article.

The small model often tags a person's full name once and then misses the surname alone
("Farrant denied ...") or a name after a form of address ("Dame Ottilie Marsh opened ...").
Both are added as PERSON mentions; every added mention names its rule in ``span_rule``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from extractors.entities.model import EntMention
from extractors.entities.persons import parse_name
from extractors.entities.words import (
    COMMON_NOUN_TAGS,
    HONORIFICS,
    MAX_NAME_WORDS,
    PROPER_TAGS,
    is_title_word,
)


def _name_like(t: Token) -> bool:
    return t.is_alpha and t.text[:1].isupper() and not t.is_upper and t.tag_ in PROPER_TAGS


def _unknown_noun(t: Token, text: str) -> bool:
    """A known name the tagger calls a common noun ("Starmer" NN opening a sentence): still the
    name, unless the article also uses the word in lower case ("Price" beside "the price")."""
    if not (t.is_alpha and t.text[:1].isupper() and t.tag_ in COMMON_NOUN_TAGS):
        return False
    return re.search(rf"\b{re.escape(t.lower_)}\b", text) is None


def _new(doc: Doc, i: int, j: int, sent_of: dict[int, int] | None, rule: str) -> EntMention:
    s, e = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    # doc.text re-joins every token: slice the text once per article through the Span instead.
    m = EntMention(s, e, doc[i:j].text, "PERSON", sent_of[i] if sent_of else 0, i, j)
    m.span_rule = rule
    m.title = doc[i - 1].text if i > 0 and is_title_word(doc[i - 1].text) else ""
    return m


_HONORIFIC_RE = re.compile(
    r"\b(?:" + "|".join(sorted(HONORIFICS)) + r")\b(?=\.?\s+[A-Z])", re.IGNORECASE
)


def _tokens_matching(doc: Doc, text: str, pattern: re.Pattern) -> Iterator[Token]:
    """Tokens whose text a regex finds: a scan of the string, not of every spaCy token."""
    for mm in pattern.finditer(text):
        span = doc.char_span(mm.start(), mm.end())
        if span is not None and len(span) == 1:
            yield span[0]


def names_after_honorifics(
    doc: Doc, text: str, covered: set[int], sent_of: dict[int, int] | None
) -> list[EntMention]:
    """Rule ``add-honorific-name``: "Mr", "Dame", "Dr" ... followed by capitalised proper
    nouns no entity covers: those words are a person's name."""
    out = []
    for t in _tokens_matching(doc, text, _HONORIFIC_RE):
        if t.i + 1 >= len(doc):
            continue
        j = t.i + 1
        while j < len(doc) and j - t.i <= MAX_NAME_WORDS and _name_like(doc[j]):
            j += 1
        if j > t.i + 1 and not any(k in covered for k in range(t.i + 1, j)):
            out.append(_new(doc, t.i + 1, j, sent_of, "add-honorific-name"))
            covered.update(range(t.i + 1, j))
    return out


def known_name_words(persons: list[EntMention]) -> dict[str, str]:
    """Words that stand for one person on their own: surnames of full names, and given names
    no other full name shares and no full name uses as a surname (word -> rule)."""
    fulls = {p.key: p for m in persons if (p := parse_name(m.text)) and not p.is_single}
    surnames = {p.surname for p in fulls.values() if " " not in p.surname}
    surnames |= {m.text for m in persons if " " not in m.text and m.text[:1].isupper()}
    givens: dict[str, int] = {}
    for p in fulls.values():
        givens[p.given[0]] = givens.get(p.given[0], 0) + 1
    out = {s: "add-surname" for s in surnames}
    for g, n in givens.items():
        if n == 1 and g not in surnames and len(g) > 1 and g[0].isupper() and not g.endswith("."):
            out.setdefault(g, "add-given-name")
    return out


def lone_known_names(
    doc: Doc,
    text: str,
    covered: set[int],
    persons: list[EntMention],
    sent_of: dict[int, int] | None,
) -> list[EntMention]:
    """Rules ``add-surname`` / ``add-given-name`` / ``add-full-name``: a proper noun no entity
    covers that is the surname (or unique given name) of a person named in the article; with
    the capitalised words just before it ("Alden Pryce" after "Mr Pryce") it is a full name.
    Never part of a longer run after it ("Farrant Road")."""
    words = known_name_words(persons)
    if not words:
        return []
    out = []
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(words))) + r")\b")
    for t in _tokens_matching(doc, text, pattern):
        rule = words.get(t.text)
        if rule is None or t.i in covered or not (_name_like(t) or _unknown_noun(t, text)):
            continue
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if nxt is not None and _name_like(nxt):
            continue
        i = t.i
        while i > 0 and t.i - i < MAX_NAME_WORDS - 1 and _given_before(doc[i - 1], covered):
            i -= 1
        if i < t.i and rule == "add-given-name":
            continue  # "Tom Kwame": the known word is not a surname here
        out.append(_new(doc, i, t.i + 1, sent_of, rule if i == t.i else "add-full-name"))
        covered.update(range(i, t.i + 1))
    return out


def _given_before(t: Token, covered: set[int]) -> bool:
    return t.i not in covered and _name_like(t) and not is_title_word(t.text)


def add_missed_persons(
    doc: Doc, text: str, mentions: list[EntMention], sent_of: dict[int, int] | None
) -> list[EntMention]:
    """Both recall rules; returns the new mentions (the caller merges and re-sorts)."""
    covered = {i for m in mentions for i in range(m.tok_start, m.tok_end)}
    added = names_after_honorifics(doc, text, covered, sent_of)
    persons = [m for m in mentions if m.label == "PERSON"] + added
    return added + lone_known_names(doc, text, covered, persons, sent_of)
