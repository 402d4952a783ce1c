"""Helpers over the dependency parse shared by the rules: subjects, spans, clause edges.

Tokens are compared by position (``.i``), never by identity: spaCy builds a new ``Token``
object on every access, so ``a is b`` is false even for the same token.
"""

from __future__ import annotations

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.index import is_cue
from extractors.quotes import ALL_MARKS, single_quoted_spans

FINITE_TAGS = ("VBD", "VBZ", "VBP", "MD")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Modifiers on the left that belong to a speaker phrase ("Director of the … Office Ivan
# Petrenko"); never a fronted prepositional phrase the parser hung on the name.
_LEFT_MODIFIERS = ("det", "compound", "amod", "poss", "nmod", "nummod", "quantmod", "predet")
_CLIMB_DEPS = ("conj", "advcl", "xcomp", "pcomp", "prep", "acl")
_MAX_CLIMB = 4


def subject(v: Token) -> Token | None:
    """Nominal subject of ``v``, climbing through conjunctions and participial clauses
    (X said … and added that …; …, saying that …; X was quoted as saying …)."""
    cur = v
    for _ in range(_MAX_CLIMB):
        has_subject, found = _own_subject(cur)
        if has_subject:
            return found
        if cur.dep_ == "xcomp" and (obj := _object(cur.head)) is not None and obj.i < cur.i:
            return obj  # object control: "led TNO to conclude …" -> TNO concludes
        if _participle_on_reported_clause(cur):
            # "X said S, insisting …": the parser hung the participle on the reported clause;
            # the reporter, not the clause's subject, does the insisting.
            cur = cur.head.head
        elif cur.dep_ in _CLIMB_DEPS and cur.head.i != cur.i:
            cur = cur.head
        else:
            return None
    return None


def _own_subject(cur: Token) -> tuple[bool, Token | None]:
    """(True, subject) when ``cur`` has its own subject slot; (True, None) for an expletive
    ("it was reported that" has no speaker here); (False, None) when it has none. Of two
    subjects ("The striker Tomas Kral added", a title parsed apart from its name) the one
    nearest the verb."""
    agent = _agent(cur)
    if agent is not None and is_cue(cur):
        return True, agent  # a passive cue's agent speaks: "was announced by X", "told by X"
    subjects = [c for c in cur.children if c.dep_ in SUBJECT_DEPS]
    if subjects:
        before = [c for c in subjects if c.i < cur.i]
        c = before[-1] if before else subjects[0]
        c = _inverted_after_comma(cur, subjects) or c
        if c.dep_ == "nsubjpass" and c.lower_ == "it":
            return True, None
        if c.lower_ in lx.RELATIVE_PRONOUNS and cur.dep_ == "relcl":
            return True, cur.head  # "officials who say …": the antecedent speaks
        return True, c
    return agent is not None, agent


def _inverted_after_comma(v: Token, subjects: list[Token]) -> Token | None:
    """'The aid convoy, said coordinator Ingrid Dahl, "must …"': a cue set off by commas with
    a subject before it and a name after it (parsed as subject or object); the one after it
    speaks, the one before opens what was said."""
    doc = v.doc
    if v.i == 0 or doc[v.i - 1].text != "," or not any(c.i < v.i for c in subjects):
        return None
    after = [c for c in v.children if c.i > v.i and (c.dep_ in SUBJECT_DEPS or _name_object(c))]
    if not after or after[0].right_edge.i + 1 >= len(doc):
        return None
    return after[0] if doc[after[0].right_edge.i + 1].text == "," else None


def _name_object(c: Token) -> bool:
    return c.dep_ == "dobj" and c.pos_ == "PROPN" and c.ent_type_ == "PERSON"


def _agent(v: Token) -> Token | None:
    """The object of a passive verb's "by": its logical subject."""
    for c in v.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _object(v: Token) -> Token | None:
    return next((c for c in v.children if c.dep_ == "dobj"), None)


def _participle_on_reported_clause(cur: Token) -> bool:
    return (
        cur.dep_ == "advcl"
        and cur.tag_ == "VBG"
        and cur.head.dep_ == "ccomp"
        and is_cue(cur.head.head)
        and cur.head.i > cur.head.head.i
        and not animate_subject(cur.head)
    )


def animate_subject(v: Token) -> bool:
    """``v`` has a subject that can speak itself (a name, a person pronoun, people)."""
    for c in v.children:
        if c.dep_ in SUBJECT_DEPS:
            return (
                c.pos_ == "PROPN"
                or c.lower_ in ("he", "she", "they", "i", "we", "you")
                or c.ent_type_ in ("PERSON", "ORG", "NORP")
                or c.lemma_.lower() in lx.ANIMATE_NOUNS
            )
    return False


def speaker_bounds(subj: Token) -> tuple[int, int]:
    """Token range [first, last] of the speaker phrase: the subject's subtree cut before
    relative clauses, appositions and parentheses ("Karlsson, who received …" -> "Karlsson")."""
    doc = subj.doc
    left = subj.i
    for c in subj.lefts:
        if c.dep_ in _LEFT_MODIFIERS:
            left = min(left, c.left_edge.i)
    if subj.dep_ in SUBJECT_DEPS:
        # A title parsed as a second subject right before the name ("The striker Tomas Kral
        # added", "Chairman of the X Dana Ilieva has announced") belongs to the phrase.
        for sib in subj.head.children:
            if (
                sib.dep_ in SUBJECT_DEPS
                and sib.i < subj.i
                and sib.right_edge.i + 1 == left
                and not doc[sib.right_edge.i].is_punct
            ):  # a dateline ends in a dash
                left = sib.left_edge.i
    while left < subj.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    right = subj.i
    for t in doc[subj.i + 1 : subj.right_edge.i + 1]:
        if t.dep_ in ("relcl", "acl", "appos", "advcl", "punct") or t.is_space:
            break
        if t.dep_ == "case" and t.head.i == subj.i:  # a possessor speaks: "Turkey's claim"
            break
        right = t.i
    name = named_apposition(subj)
    if name is not None:
        right = name.right_edge.i  # "the minister, Anna Kovacs": the name belongs to the phrase
    return left, max(right, _name_end(subj))


def _name_end(subj: Token) -> int:
    """Last token of the name the head belongs to: a name parsed with a verb inside it
    ("the Committee to Protect Journalists") is not cut at the verb."""
    doc, i = subj.doc, subj.i
    if subj.ent_iob_ not in ("B", "I"):
        return i
    while i + 1 < len(doc) and doc[i + 1].ent_iob_ == "I" and doc[i + 1].dep_ != "case":
        i += 1
    return i


def named_apposition(subj: Token) -> Token | None:
    """A name in apposition to a common noun: "the minister, Anna Kovacs", also when the
    parser hung it on the noun's complement ("the lead author of the study, Greta Nilsson")
    or the head is a quantity ("One of the protesters, Hayley Walsh,")."""
    named = subj.ent_type_ and subj.ent_type_ not in lx.QUANTITY_ENTS
    if subj.pos_ == "PRON" or named or subj.tag_ in ("NNS", "NNPS"):
        return None
    for c in subj.subtree:
        if c.dep_ != "appos" or c.i <= subj.i or c.ent_type_ not in ("PERSON", "ORG"):
            continue
        if c.head.i == subj.i or (
            c.doc[c.left_edge.i - 1].text == ","
            and _not_a_person(c.head)
            and (c.head.ent_type_ == "" or c.ent_type_ == "PERSON")
        ):
            return c  # a person is never the apposition of a place: "the mayor of Buffalo, X"
    return None


def _not_a_person(t: Token) -> bool:
    return t.ent_type_ != "PERSON"


def speaker_span(subj: Token) -> tuple[int, int]:
    """Char span of the speaker phrase (see ``speaker_bounds``)."""
    left, right = speaker_bounds(subj)
    doc = subj.doc
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip whitespace, leading/trailing , ; : and dashes, and a final full stop (never a
    closing quotation mark)."""
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:.—–-"):
        e -= 1
    return s, e


def clause_span(tok: Token) -> tuple[int, int]:
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def clause_left(t: Token) -> int:
    """First non-punctuation token of ``t``'s subtree."""
    i = t.left_edge.i
    while i < t.i and (t.doc[i].is_punct or t.doc[i].is_space):
        i += 1
    return i


def cue_tokens(v: Token) -> tuple[int, ...]:
    """The verb with its particle ("pointed out"), and "quoted as saying" as one cue."""
    if v.lemma_.lower() == "say" and v.head.lower_ == lx.QUOTED_AS[1]:
        q = v.head.head
        if q.lemma_.lower() == lx.QUOTED_AS[0]:
            return (q.i, v.head.i, v.i)
    toks = [v.i]
    for c in v.children:
        if _particle(v, c):
            toks.append(c.i)
    return tuple(toks)


def main_cue(v: Token) -> Token:
    """ "quoted … as saying": the reporting verb is "saying" (its cue spans all three)."""
    if v.lemma_.lower() == lx.QUOTED_AS[0]:
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ == lx.QUOTED_AS[1]:
                for g in c.children:
                    if g.dep_ in ("pcomp", "pobj") and g.lemma_.lower() == "say":
                        return g
    return v


def cue_lemma(v: Token) -> str:
    """The verb's lemma, with its particle ("point out"); "was quoted as saying" reports what
    was said: "say"."""
    parts = [v.lemma_.lower()]
    parts += [c.lower_ for c in v.children if _particle(v, c)]
    return " ".join(parts)


def _particle(v: Token, c: Token) -> bool:
    """The particle of a phrasal cue right after the verb ("pointed out"; "hit back", which
    the parser may call an adverb)."""
    if c.i != v.i + 1:
        return False
    return c.dep_ == "prt" or (
        c.dep_ == "advmod" and lx.PHRASAL_CUES.get(v.lemma_.lower()) == c.lower_
    )


def host_clause(t: Token) -> Token | None:
    """The clause a parenthetical cue interrupts: its head, or, when the parser hung the cue
    on a noun ("Macharia …, he said, but one person ran …"), the sentence's verb root."""
    if t.head.pos_ in ("VERB", "AUX"):
        return t.head
    root = t.sent.root
    if t.dep_ == "parataxis" and root.i != t.i and root.pos_ in ("VERB", "AUX") and root.i > t.i:
        return root
    return None


def comma_before(t: Token) -> bool:
    """The reporting clause is set off by a comma or dash: "…, the statement said"."""
    i = clause_left(t)
    return i > 0 and t.doc[i - 1].text in (",", "--", "—", "–")


_INVERTED_DEPS = ("dobj", "nsubj", "nsubjpass", "attr", "npadvmod", "dative", "appos")
_SET_OFF = (",", "—", "–", "--", ":", *ALL_MARKS)


def inverted_subject(v: Token) -> Token | None:
    """ "…, added the envoy, Marco Ruiz." / "…, said the spokeswoman.": a cue set off by a
    comma whose noun phrase after it closes the sentence is spoken by that noun phrase (the
    parser often makes it the object, or the cue a conjunct of the reported clause)."""
    doc = v.doc
    if v.i == 0 or doc[v.i - 1].text not in _SET_OFF:
        return None
    if any(c.dep_ in SUBJECT_DEPS and c.i < v.i for c in v.children):
        return None
    end = v.sent.end
    for c in v.children:
        if c.i <= v.i or c.dep_ not in _INVERTED_DEPS or c.pos_ not in ("NOUN", "PROPN"):
            continue
        rest = doc[c.right_edge.i + 1 : end]
        if all(x.is_punct or x.is_space for x in rest):
            return c
        return None
    return None


def adjacent_subject(v: Token) -> Token | None:
    """Parser missed the subject but a name or pronoun sits right before the verb
    ("… of the Washington Post Trump said that …")."""
    if v.i == 0:
        return None
    prev = v.doc[v.i - 1]
    if prev.pos_ == "PROPN" and prev.text[:1].isupper() and not prev.is_upper:
        return prev
    if prev.lower_ in ("he", "she", "they"):
        return prev
    return None


def starts_with_wh(comp: Token) -> bool:
    first = comp.doc[comp.left_edge.i]
    return first.lower_ in lx.WH_WORDS or any(
        c.lower_ in lx.WH_WORDS and c.i < comp.i for c in comp.children
    )


def is_agent_noun(t: Token) -> bool:
    """A noun for someone by what they do ("neurologist", "executives", "candidates")."""
    lemma = t.lemma_.lower()
    return t.pos_ == "NOUN" and len(lemma) > 4 and lemma.endswith((*lx.AGENT_SUFFIXES, "ate"))


def is_absolute(comp: Token) -> bool:
    """ "…, he said, eyes welling up with tears": a participle set off by a comma, with no
    auxiliary or complementiser, describes the speaker; it is not what was said."""
    doc = comp.doc
    lead = comp.left_edge.i
    return (
        comp.tag_ in ("VBG", "VBN")
        and lead > 0
        and doc[lead - 1].text == ","
        and not any(c.dep_ in ("aux", "auxpass", "mark") for c in comp.children)
    )


def has_finite_verb(tokens) -> bool:
    return any(x.tag_ in FINITE_TAGS for x in tokens)


def quote_type(text: str, s: int, e: int) -> str:
    """direct (the content is one quotation), mixed (it holds quoted words) or indirect."""
    seg = text[s:e]
    marks = [i for i, c in enumerate(seg) if c in ALL_MARKS]
    if marks:
        if marks[0] == 0 and seg.rstrip(" ,.")[-1:] in ALL_MARKS:
            return "direct"
        return "mixed"
    if single_quoted_spans(text, s, e):
        return "mixed"
    return "indirect"
