"""Span rules: spaCy's entity spans cleaned, split, retyped or vetoed before canonicalisation.

Each rule takes one ``Piece`` (contiguous tokens + label) and the article context and returns
the pieces that replace it (``[]`` = vetoed). ``SPAN_RULES`` lists them in the order they run;
every piece remembers the last rule that changed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Token

from extractors.entities.context import Piece, SpanContext
from extractors.entities.context import is_name_token as _is_name_token
from extractors.entities.orgs import clean_surface
from extractors.entities.words import (
    BARE_APOSTROPHES,
    GERUND_MIN_LEN,
    GERUND_SUFFIX,
    LEADING_DETERMINERS,
    MISSION_NOUNS,
    NAME_BREAKS,
    NAME_PARTICLES,
    NON_NAME_TAG_PREFIXES,
    ORG_HEAD_NOUNS,
    ORG_PLACE_MAX_WORDS,
    PERSON_SUBJECTS,
    PLACE_PREPOSITIONS,
    PLURAL_NOUN_TAGS,
    POSSESSIVES,
    POST_NOMINALS,
    PROPER_TAGS,
    is_address,
    is_title_word,
    norm_word,
)

# --- rules -----------------------------------------------------------------------------------


def trim_edges(p: Piece, ctx: SpanContext) -> list[Piece]:
    """A leading determiner or possessive and edge punctuation are not part of a name."""
    toks = p.toks
    while toks and (toks[0].lower_ in LEADING_DETERMINERS or toks[0].text in POSSESSIVES):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].text in POSSESSIVES):
        toks = toks[:-1]
    while toks and toks[0].is_punct:
        toks = toks[1:]
    if not toks:
        return []
    return [p if len(toks) == len(p.toks) else p.but(toks, rule="trim-edges")]


def _is_org_head(word: str) -> bool:
    w = norm_word(word)
    return w in ORG_HEAD_NOUNS or (w.endswith("s") and w[:-1] in ORG_HEAD_NOUNS)


def _members_genitive(p: Piece, k: int) -> bool:
    """ "Farmers' Unions", "People's Liberation Army", "Veterans' Association": a plural class
    before an organisation's head noun names its members, not an owner."""
    owner, mark = p.toks[k - 1], p.toks[k]
    plural = owner.tag_ in PLURAL_NOUN_TAGS or (mark.text in BARE_APOSTROPHES
                                                and owner.lower_.endswith("s"))  # fmt: skip
    return p.label == "ORG" and plural and _is_org_head(p.toks[-1].text)


def split_possessive(p: Piece, ctx: SpanContext) -> list[Piece]:
    """ "Jeff Bezos's Blue Origin" is two entities: the owner and the thing owned. What a person
    owns is not a person: a known place becomes GPE, anything else ORG. A members' genitive
    inside an organisation's name stays ("European Federation of Farmers' Unions")."""
    cut = [k for k, t in enumerate(p.toks) if t.text in POSSESSIVES and 0 < k < len(p.toks) - 1]
    if not cut or _members_genitive(p, cut[0]):
        return [p]
    k = cut[0]
    owned = p.toks[k + 1 :]
    label = p.label
    if label == "PERSON":
        entry = ctx.table.lookup(" ".join(t.text for t in owned))
        label = "GPE" if entry is not None and entry.kind == "place" else "ORG"
    return [p.but(p.toks[:k], rule="split-possessive"), p.but(owned, label, "split-possessive")]


def _joins_words(t: Token) -> bool:
    """A hyphen written without spaces joins a double-barrelled name ("Kovacs-Lind")."""
    return t.text == "-" and not t.whitespace_ and t.i > 0 and not t.doc[t.i - 1].whitespace_


def cut_person_at_break(p: Piece, ctx: SpanContext) -> list[Piece]:
    """A name holds no figures and no dash, colon or comma between words: "Aiden Haig 1 goal"
    -> "Aiden Haig", "Issam Abdallah - found" -> "Issam Abdallah", "Boulter, Burrage, Draper"
    -> three names."""
    if p.label != "PERSON":
        return [p]
    k = next((k for k, t in enumerate(p.toks) if any(c.isdigit() for c in t.text)), None)
    toks = p.toks[:k] if k is not None else p.toks
    parts: list[list[Token]] = [[]]
    for t in toks:
        if t.is_punct and t.text in NAME_BREAKS and not _joins_words(t):
            parts.append([])
        else:
            parts[-1].append(t)
    parts = [x for x in parts if x]
    if len(parts) == 1 and len(parts[0]) == len(p.toks):
        return [p]
    return [p.but(x, rule="cut-person-at-break") for x in parts]


def split_known_places(p: Piece, ctx: SpanContext) -> list[Piece]:
    """ "Kharkiv and Odesa" tagged as one entity: two places when both parts are known."""
    if p.label not in ("ORG", "GPE", "LOC") or not any(t.lower_ in ("and", "&") for t in p.toks):
        return [p]
    parts: list[list[Token]] = [[]]
    for t in p.toks:
        if t.lower_ in ("and", "&") or t.text == ",":
            parts.append([])
        else:
            parts[-1].append(t)
    parts = [x for x in parts if x]
    if len(parts) < 2:
        return [p]
    for x in parts:
        e = ctx.table.lookup(" ".join(t.text for t in x))
        if e is None or e.kind != "place":
            return [p]
    return [p.but(x, "GPE", "split-places") for x in parts]


def _tail_is_name(tail: list[Token]) -> bool:
    return (
        1 <= len(tail) <= 4
        and all(
            _is_name_token(t) and not is_title_word(t.text) and t.lower_ not in ORG_HEAD_NOUNS
            for t in tail
        )
        and tail[0].lower_ not in NAME_PARTICLES
    )


def _person_boundary(toks: list[Token], ctx: SpanContext) -> int | None:
    """Index where a person's name starts inside an organisation span, if it does."""
    for b in range(1, len(toks)):
        tail = toks[b:]
        if not _tail_is_name(tail):
            continue
        surface = " ".join(t.text for t in tail).casefold()
        before = norm_word(toks[b - 1].text)
        if len(tail) >= 2 and surface in ctx.full_names:
            return b
        if before in ORG_HEAD_NOUNS or is_address(toks[b - 1].text) or _ends_name(toks, b, ctx):
            if len(tail) >= 2 and all(t.tag_ in PROPER_TAGS for t in tail):
                return b
            if len(tail) == 1 and surface in ctx.surnames:
                return b
    return None


def _ends_name(toks: list[Token], b: int, ctx: SpanContext) -> bool:
    """ "Bank of Albania | Ilir Doda", "Ministry of Foreign Affairs | Tariq Mahmood": an "of"
    name ends at a known place or a plural noun; a person's name may follow it. Also a place
    alone after a preposition: "envoy to Ukraine | Kurt Volker", "… of Kazakhstan | Bolat
    Serikov"."""
    last = toks[b - 1]
    lead = toks[0].i > 0 and toks[0].doc[toks[0].i - 1].lower_ in PLACE_PREPOSITIONS
    if not (any(t.lower_ == "of" for t in toks[: b - 1]) or (b == 1 and lead)):
        return False
    if any(t.tag_ in PLURAL_NOUN_TAGS for t in toks[b:]):
        return False  # "Ukraine International Airlines": a company, not a person
    entry = ctx.table.lookup(last.text)
    return last.tag_ in PLURAL_NOUN_TAGS or (entry is not None and entry.kind == "place")


def split_org_person(p: Piece, ctx: SpanContext) -> list[Piece]:
    """An organisation span does not swallow the person named after it: "Russian Foreign
    Intelligence Service Sergey Naryshkin", "SVR Director Sergey Naryshkin", "Interior
    Minister Jane Roe" -> organisation (if any is left once the office is removed) + person."""
    if p.label == "PERSON" or len(p.toks) < 2:
        return [p]
    b = _person_boundary(p.toks, ctx)
    if b is None:
        return [p]
    head = p.toks[:b]
    while head and is_title_word(head[-1].text):
        head = head[:-1]
    out = [p.but(head, rule="split-org-person")] if head else []
    return [*out, p.but(p.toks[b:], "PERSON", "split-org-person")]


def trim_person_title(p: Piece, ctx: SpanContext) -> list[Piece]:
    """Offices and forms of address before a name, honours after it, are not the name:
    "Foreign Minister Sergei Lavrov", "Councillor Afrasiab Anwar MBE"."""
    if p.label != "PERSON":
        return [p]
    toks = p.toks
    last_title = max((k for k, t in enumerate(toks[:-1]) if is_title_word(t.text)), default=-1)
    if last_title >= 0 and all(_is_name_token(t) for t in toks[last_title + 1 :]):
        toks = toks[last_title + 1 :]
    while len(toks) > 1 and norm_word(toks[-1].text) in POST_NOMINALS:
        toks = toks[:-1]
    return [p if len(toks) == len(p.toks) else p.but(toks, rule="trim-person-title")]


def trim_leading_non_name(p: Piece, ctx: SpanContext) -> list[Piece]:
    """A verb, adverb or function word glued before a name is not a first name: "Later Harriet
    Quill", "Wearing Alaïa again", "Hosting Cook at ..." (with "Tim Cook" in the article),
    "Questioning Vindman's". An -ing word the tagger reads as a name is dropped only when the
    rest is a name the article gives ("Sterling Moss" stays)."""
    if p.label != "PERSON" or len(p.toks) < 2:
        return [p]
    first, rest = p.toks[0], p.toks[1:]
    if first.tag_.startswith(NON_NAME_TAG_PREFIXES) and all(_is_name_token(t) for t in rest):
        return [p.but(rest, rule="trim-leading-non-name")]
    if not first.lower_.endswith(GERUND_SUFFIX) or len(first.text) < GERUND_MIN_LEN:
        return [p]
    rest_name = " ".join(t.text for t in rest).casefold()
    if first.is_sent_start and (rest_name in ctx.full_names or rest_name in ctx.surnames):
        return [p.but(rest, rule="trim-leading-non-name")]
    return [p]


def trim_to_known_name(p: Piece, ctx: SpanContext) -> list[Piece]:
    """Words glued before a name the article gave on its own earlier are dropped: "DL Myles
    Garrett", "Browns Greedy Williams" after "Myles Garrett", "Greedy Williams". A longer
    form written first is the person's introduction ("Kathleen Hawk Sawyer", later "Hawk
    Sawyer"): kept."""
    if p.label != "PERSON" or len(p.toks) < 3:
        return [p]
    for b in range(1, len(p.toks) - 1):
        known = " ".join(t.text for t in p.toks[b:]).casefold()
        if known in ctx.full_names and ctx.first_seen.get(known, 0) < p.toks[0].idx:
            return [p.but(p.toks[b:], rule="trim-to-known-name")]
    return [p]


# After the place: an optional ", State", then "(AP)", a dash, or a date ("ROME 1996-12-06");
# a bare figure is a score line ("DETROIT 4 Edmonton 2"), not a dateline.
_DATELINE_TAIL = re.compile(
    r"^\s*(?:,\s*[A-Za-z.]+(?:\s[A-Za-z.]+)?\s*)?(?:\(|—|–|--|-\s|\d{4}-\d\d-\d\d)"
)


def retype_dateline(p: Piece, ctx: SpanContext) -> list[Piece]:
    """An all-capital name opening a line before "(AP) —", "—" or a date is a place
    (the dateline "BUFFALO, N.Y. (AP) —"), whatever the model called it."""
    s = p.toks[0].idx
    e = p.toks[-1].idx + len(p.toks[-1].text)
    letters = [c for c in ctx.text[s:e] if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters) or p.label in ("GPE", "LOC"):
        return [p]
    line_start, _ = ctx.line_bounds(s)
    if ctx.text[line_start:s].strip() or not _DATELINE_TAIL.match(ctx.text[e : e + 40]):
        return [p]
    return [p.but(p.toks, "GPE", "dateline")]


def address_before(t: Token) -> bool:
    """A form of address or an office just before ``t`` ("Mr Moore", "Col. Okafor")."""
    i = t.i - 1
    if i >= 1 and t.doc[i].text == ".":
        i -= 1  # "Col" "." as two tokens
    return i >= 0 and is_address(t.doc[i].text)


def retype_honorific(p: Piece, ctx: SpanContext) -> list[Piece]:
    """A name after "Mr", "Dame", "Col.", "President" ... is a person even when tagged ORG:
    "Mr Moore", "Dame Ottilie", "Col. Ruben Okafor" (never "Foreign Ministry": a head noun)."""
    if p.label == "PERSON":
        return [p]
    toks = p.toks
    first = toks[0]
    k = 0
    while k < len(toks) - 1 and is_address(toks[k].text):
        k += 1
    if k == 0 and not address_before(first):
        return [p]
    name = toks[k:]
    if all(_is_name_token(t) and t.lower_ not in ORG_HEAD_NOUNS for t in name):
        return [p.but(name, "PERSON", "retype-honorific")]
    return [p]


def _taken_up_as_person(p: Piece, doc) -> bool:
    """ "X, who …" or "X said she …" (he/she the subject of what X says)."""
    end = p.toks[-1].i
    if end + 2 < len(doc) and doc[end + 1].text == "," and doc[end + 2].lower_ == "who":
        return True
    head = p.toks[-1]
    if head.dep_ != "nsubj":
        return False
    return any(c.dep_ == "ccomp" and any(s.dep_ == "nsubj" and s.lower_ in PERSON_SUBJECTS
                                         for s in c.children)
               for c in head.head.children)  # fmt: skip


def retype_relative_who(p: Piece, ctx: SpanContext) -> list[Piece]:
    """ "Montell Figgins, who represents Thomas, said …", "Ilse Marten said she would …": a
    name of two or three words taken up by "who" or by he/she is a person, whatever the model
    called it (never a known organisation or a name ending in an organisation's head noun)."""
    if p.label not in ("ORG", "GPE") or not 2 <= len(p.toks) <= 3:
        return [p]
    if not _taken_up_as_person(p, ctx.doc):
        return [p]
    if not all(_is_name_token(t) and not _is_org_head(t.text) for t in p.toks):
        return [p]
    if ctx.table.lookup(clean_surface(p.text)) is not None:
        return [p]
    return [p.but(p.toks, "PERSON", "retype-relative-who")]


def veto_headline_fragment(p: Piece, ctx: SpanContext) -> list[Piece]:
    """In a Title Case headline the model tags phrases ("Lawyers Argue", "Man Shot"); keep
    only what the article also names outside headlines or the alias table knows."""
    if not ctx.is_headline(p.toks[0].idx):
        return [p]
    surface = clean_surface(p.text)
    if surface.casefold() in ctx.body_surfaces or ctx.table.lookup(surface) is not None:
        return [p]
    if all(t.lower_ in ctx.name_words for t in p.toks):
        return [p]  # a person's name ("Trump" with "Donald Trump" in the text), whatever label
    return []


def veto_common_word(p: Piece, ctx: SpanContext) -> list[Piece]:
    """No capital letter at all ("rounds", "old", "'s"), or a lone "person" the tagger reads
    as a common word ("Studies", "Broken") and the article never uses in a full name."""
    if not any(c.isupper() for c in p.text):
        return []
    if p.label == "PERSON" and len(p.toks) == 1:
        t = p.toks[0]
        if t.tag_ not in PROPER_TAGS and t.lower_ not in ctx.name_words:
            return []
    return [p]


SpanRule = Callable[[Piece, SpanContext], list[Piece]]
SPAN_RULES: tuple[SpanRule, ...] = (
    trim_edges,
    split_possessive,
    trim_edges,
    split_known_places,
    cut_person_at_break,
    retype_honorific,
    retype_relative_who,
    split_org_person,
    trim_person_title,
    trim_leading_non_name,
    trim_to_known_name,
    retype_dateline,
    veto_headline_fragment,
    veto_common_word,
)


def _joins_place(org: Piece, place: Piece) -> bool:
    """ "Foreign Intelligence Service" + "of" + "Russia": the place completes the name when the
    name ends in an organisation's head noun or already holds "of" ("National Association of
    Fruit Exporters of Chile"); "in" only after a diplomatic mission ("US Embassy in Baku")."""
    if org.label != "ORG" or place.label != "GPE" or len(place.toks) > ORG_PLACE_MAX_WORDS:
        return False
    last, nxt = org.toks[-1], place.toks[0]
    if last.lower_ == "of" and nxt.i == last.i + 1:
        return True  # the model took the "of" and left the place: "Safety Authority of" Kenya
    if nxt.i != last.i + 2 or not last.text[:1].isupper():
        return False
    prep = last.doc[last.i + 1].lower_
    head = _is_org_head(last.text) or any(t.lower_ == "of" for t in org.toks)
    return (prep == "of" and head) or (prep == "in" and norm_word(last.text) in MISSION_NOUNS)


def join_org_place(pieces: list[Piece], ctx: SpanContext) -> list[Piece]:
    """Rule ``join-org-place``: an organisation's name runs on through "of <country>" (see
    ``_joins_place``); the model stops it before the place."""
    out: list[Piece] = []
    for p in pieces:
        prev = out[-1] if out else None
        if prev is not None and _joins_place(prev, p):
            last = prev.toks[-1]
            gap = [last.doc[last.i + 1]] if p.toks[0].i == last.i + 2 else []
            out[-1] = prev.but([*prev.toks, *gap, *p.toks], rule="join-org-place")
        else:
            out.append(p)
    return out


def apply_span_rules(pieces: list[Piece], ctx: SpanContext) -> list[Piece]:
    pieces = join_org_place(pieces, ctx)
    for rule in SPAN_RULES:
        pieces = [q for p in pieces for q in rule(p, ctx) if q.toks]
    return pieces
