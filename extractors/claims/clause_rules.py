"""Candidate rules, family 3: what a reporting verb reports (its content).

Each rule gets the cue token and its subject and returns the content span (or None); the
family (``clauses.reporting_clauses``) tries them in the order of ``CLAUSE_RULES`` and keeps
the first that matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.index import ArticleIndex, is_cue
from extractors.claims.syntax import (
    SUBJECT_DEPS,
    clause_left,
    clause_span,
    comma_before,
    has_finite_verb,
    host_clause,
    is_absolute,
    is_agent_noun,
)
from extractors.quotes import ALL_MARKS, single_quoted_spans


@dataclass(frozen=True, slots=True)
class Found:
    content: tuple[int, int]
    subj: Token | None = None  # replaces the cue's subject (the rule found a better one)


def complements(ix: ArticleIndex, t: Token) -> tuple[list[Token], list[Token]]:
    """Clausal complements of ``t`` after and before it (never one inside a quotation before
    it: that quotation is attributed by the quotation rules)."""
    comps = [
        c
        for c in t.children
        if c.dep_ == "ccomp" and not (c.i < t.i and ix.tok_quote[c.i] >= 0) and not is_absolute(c)
    ]
    return [c for c in comps if c.i > t.i], [c for c in comps if c.i < t.i]


def reported_clause(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """X said (that) S / S, X said: the verb's clausal complement."""
    after, before = complements(ix, t)
    comp = after[0] if after else (before[0] if before else None)
    if comp is None:
        return None
    cs, ce = clause_span(comp)
    lemma = t.lemma_.lower()
    if comp.i > t.i and lemma not in lx.DIRECTIVE_CUES:
        # "said Thursday one of the suggestions, …, could save money": the clause's subject
        # was parsed as the verb's object.
        o = next((c for c in t.children if c.dep_ == "dobj" and t.i < c.i < comp.i), None)
        if o is not None and not any(x.dep_ in SUBJECT_DEPS for x in comp.children):
            cs = min(cs, clause_span(o)[0])
    if comp.i > t.i and len(after) > 1:
        # "said the reasons landlords have all the power is that …": one clause split into
        # sibling complements.
        ce = max(ce, clause_span(after[-1])[1])
    before_subj = [c for c in before if not (c.left_edge.i <= subj.i <= c.right_edge.i)]
    sl = subj.left_edge.i
    if comp.i > t.i and before_subj and sl > 0 and ix.doc[sl - 1].text in (",", "—", "--"):
        cs = min(cs, clause_span(before_subj[0])[0])  # "A, Mr. Obama noted, that B"
    return Found((cs, _cut_participle(comp, subj, ce)))


def _cut_participle(comp: Token, subj: Token, ce: int) -> int:
    """End the reported clause before a trailing ", insisting …" / ", telling X that …": a
    claim of its own (the parser hangs it on the reported clause)."""
    for t in comp.subtree:
        if (
            t.dep_ == "advcl"
            and t.tag_ == "VBG"
            and t.i > comp.i
            and is_cue(t)
            and t.doc[t.i - 1].text == ","
        ):
            return min(ce, t.doc[t.i - 1].idx)
    return ce


def that_clause_in_phrase(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "said during a news conference that he may wait …": the parser hung the reported
    clause on the noun before it as a relative clause; "that" is its complementiser (the
    clause has its own subject), so it is what was said. Also after a passive's agent ("were
    warned by the board that …")."""
    for prep in (c for c in t.children if c.dep_ in ("prep", "agent") and c.i > t.i):
        for x in prep.subtree:
            if x.dep_ not in ("relcl", "acl") or x.i <= prep.i:
                continue
            mark = next((m for m in x.children if _complementiser(m)), None)
            own_subject = any(m.dep_ in SUBJECT_DEPS and m.lower_ != "that" for m in x.children)
            if mark is not None and own_subject and mark.i == x.left_edge.i:
                if _answered_claim(x.head, mark):
                    continue
                return Found((mark.idx, ix.end_of(x.doc[x.right_edge.i])))
    return None


def _answered_claim(noun: Token, mark: Token) -> bool:
    """ "fired back at accusations that he lied": the clause right after someone else's claim
    is that claim's content, not what the subject said."""
    return mark.i == noun.i + 1 and noun.lemma_.lower() in lx.ANSWERED_CLAIM_NOUNS


_COMPLEMENTS = ("dobj", "acomp", "attr", "ccomp", "xcomp", "oprd")


def _complementiser(m: Token) -> bool:
    """ "that" opening the clause: a complementiser, also when parsed as the object of a verb
    that has its own complement ("that Pakistan remained committed to …")."""
    if m.lower_ != "that":
        return False
    if m.dep_ == "mark":
        return True
    own = [c for c in m.head.children if c.dep_ in _COMPLEMENTS and c.i != m.i]
    return m.dep_ == "dobj" and bool(own)


def parenthetical_clause(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "The rebels are armed, the statement said." / "The museum, Mr. Bush said, celebrated
    …": the clause the reporting clause interrupts or closes."""
    inverted = subj.i > t.i  # "…, added the envoy": the parser may make the cue a conjunct
    deps = ("parataxis", "ccomp", "conj") if inverted else ("parataxis", "ccomp")
    if t.dep_ not in deps or t.lemma_.lower() not in lx.PARENTHETICAL_CUES:
        return None
    objects = [c for c in t.children if c.i > t.i and c.dep_ in ("dobj", "ccomp") and c.i != subj.i]
    if not comma_before(t) or objects:
        return None
    h = host_clause(t)
    if h is None or ix.tok_quote[h.i] >= 0:
        return None
    sent = t.sent
    lo, hi = max(h.left_edge.i, sent.start), min(h.right_edge.i, sent.end - 1)
    if hi <= t.right_edge.i + 1:
        hi = clause_left(t) - 1
    if hi < lo:
        return None
    return Found((ix.doc[lo].idx, ix.end_of(ix.doc[hi])))


_FLAT_DEPS = ("advmod", "amod", "compound", "nsubj", "npadvmod", "advcl", "dep")


def flat_clause(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """The parser hung the verb on the reported clause ("McNeely said disease can complicate
    …" with "said" as a modifier): the rest of the sentence, when it holds a finite verb."""
    if t.lemma_.lower() not in lx.SPEECH_VERBS or t.dep_ not in _FLAT_DEPS:
        return None
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in t.children):
        return None
    doc, sent = ix.doc, t.sent
    i = t.i + 1
    while i < sent.end and (doc[i].dep_ == "prt" or doc[i].lower_ == "that" or doc[i].is_space):
        i += 1
    hi = sent.end - 1
    while hi > i and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    if hi - i < 2 or ix.in_speech_quote(i):
        return None
    span = doc[i : hi + 1]
    if span[0].is_punct or span[0].pos_ in ("ADP", "CCONJ") or not has_finite_verb(span):
        return None
    return Found((span[0].idx, ix.end_of(span[-1])))


def gerund_clause(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "DeBoer said having Karlsson back was a big boost": the reported clause parsed as a
    gerund complement; taken when it holds a finite verb."""
    lemma = t.lemma_.lower()
    if lemma not in lx.SPEECH_VERBS or lemma in lx.OBJECT_CUES or t.i + 1 >= len(t.doc):
        return None
    nxt = t.doc[t.i + 1]
    if nxt.dep_ != "xcomp" or nxt.head.i != t.i or nxt.tag_ != "VBG" or ix.tok_quote[nxt.i] >= 0:
        return None
    if not any(x.tag_ in ("VBD", "VBZ", "VBP", "MD") and x.dep_ == "ccomp" for x in nxt.subtree):
        return None
    return Found(clause_span(nxt))


def trailing_clause(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "The people who stand by … tend to be …, he said." parsed with "said" as the root:
    a reporting clause closing its sentence after a comma reports what precedes the comma."""
    if t.lemma_.lower() not in lx.PARENTHETICAL_CUES:
        return None
    doc, sent = ix.doc, t.sent
    tail = [x for x in doc[t.i + 1 : sent.end] if not (x.is_punct or x.is_space)]
    if len(tail) > 3 or any(x.pos_ in ("VERB", "AUX") for x in tail):
        return None
    if any(x.text in ALL_MARKS for x in doc[t.i + 1 : sent.end]):
        return None
    k = t.i - 1
    while k > sent.start and doc[k].text != "," and t.i - k <= 10:
        if doc[k].is_punct or doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return None
        k -= 1
    if doc[k].text != "," or k - sent.start < 4 or k + 1 >= t.i:
        return None
    own = [x for x in doc[k + 1 : t.i] if x.dep_ in SUBJECT_DEPS and x.head.i == t.i]
    if not own:
        return None
    lo = sent.start
    while lo < k and (doc[lo].is_space or doc[lo].is_punct):
        lo += 1
    if ix.tok_quote[lo] >= 0 or ix.tok_quote[k - 1] >= 0 or not has_finite_verb(doc[lo:k]):
        return None  # quotations are attributed by the quotation rules
    return Found((doc[lo].idx, ix.end_of(doc[k - 1])), own[-1])


_OBJECT_DEPS = ("dobj", "prep", "oprd", "xcomp", "attr", "advcl")


def _objects_span(ix: ArticleIndex, t: Token) -> tuple[int, int] | None:
    objs = [c for c in t.children if c.i > t.i and c.dep_ in _OBJECT_DEPS]
    if not objs:
        return None
    return clause_span(objs[0])[0], clause_span(objs[-1])[1]


def quoted_object(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "described the plan as 'deeply flawed'": an object holding quoted words."""
    lemma = t.lemma_.lower()
    span = _objects_span(ix, t)
    if span is None or not (lemma in lx.OBJECT_CUES or lemma in lx.SPEECH_VERBS):
        return None
    if lemma in lx.ADDRESSEE_CUES | lx.QUESTION_CUES:
        return None  # "tell stories about 'firsts'": telling is not quoting
    cs, ce = span
    if ce < len(ix.text) and ix.text[ce] in "'’\"”":
        ce += 1  # the closing mark of 'deeply flawed' hangs on the verb
    if not (any(ch in ALL_MARKS for ch in ix.text[cs:ce]) or single_quoted_spans(ix.text, cs, ce)):
        return None
    return Found((cs, ce))


def commitment(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "promised to cut taxes", "vowed to fight on", "proposed barring …": the infinitive (or
    gerund) after a verb of commitment is the claim."""
    if t.lemma_.lower() not in lx.COMMISSIVE_CUES:
        return None
    for c in t.children:
        to = any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        if c.dep_ == "xcomp" and c.i > t.i and ((c.tag_ == "VB" and to) or c.tag_ == "VBG"):
            return Found(clause_span(c))
    return None


def speech_object(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "announced his candidacy", "described the plan as reckless": the noun phrase a
    reporting verb takes as its object (with "as …" or a predicate after it)."""
    lemma = t.lemma_.lower()
    if lemma not in lx.OBJECT_CLAIM_CUES or not can_take_a_stance(subj):
        return None
    obj = next((c for c in t.children if c.dep_ == "dobj" and c.i > t.i), None)
    if obj is None or obj.pos_ in ("PRON", "NUM") or obj.lower_ in lx.NOT_CONTENT_OBJECTS:
        return None
    cs, ce = clause_span(obj)
    predicate = False
    for c in t.children:
        if c.i > obj.i and (c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")):
            ce = max(ce, clause_span(c)[1])
            predicate = True
    if lemma in lx.PREDICATE_CUES and not predicate:
        return None  # "described the scene" says nothing; "described it as chaos" does
    return Found((cs, ce))


def can_take_a_stance(subj: Token) -> bool:
    """Someone who can speak or hold a position: a name, a person pronoun, a person, group
    or organisation noun ("these actions support …" is no stance)."""
    lemma = subj.lemma_.lower()
    return (
        subj.pos_ == "PROPN"
        or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or subj.lower_ in lx.ACTOR_PRONOUNS
        or lemma in lx.ORG_NOUNS | lx.PERSON_ROLES | lx.GROUP_NOUNS | lx.COLLECTIVE_NOUNS
        or lemma in lx.ANON_NOUNS | lx.DOCUMENT_NOUNS
        or is_agent_noun(subj)
    )


def stance_object(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "The union endorsed Clinton", "the senator criticised the ruling": a public stance;
    its object is the content."""
    if t.lemma_.lower() not in lx.STANCE_CUES or not can_take_a_stance(subj):
        return None
    obj = next((c for c in t.children if c.dep_ == "dobj" and c.i > t.i), None)
    if obj is None or obj.pos_ in ("PRON", "NUM"):
        return None
    return Found(clause_span(obj))


def directive_appeal(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "urged residents to conserve water": the infinitive after the addressee."""
    if t.lemma_.lower() not in lx.DIRECTIVE_CUES:
        return None
    obj = next((c for c in t.children if c.dep_ in ("dobj", "dative") and c.i > t.i), None)
    if obj is None:
        return None
    for c in t.children:
        if (
            c.dep_ in ("xcomp", "ccomp")
            and c.i > obj.i
            and c.tag_ == "VB"
            and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        ):
            return Found(clause_span(c))
    return None


def call_for_appeal(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "X called for …": the object of "for" is the claim (an appeal)."""
    if t.lemma_.lower() != "call" or ix.in_speech_quote(t.i):
        return None
    p = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "for"), None)
    if p is None or p.i != t.i + 1:
        return None
    pobj = next((c for c in p.children if c.dep_ in ("pobj", "pcomp")), None)
    return Found(clause_span(pobj)) if pobj is not None else None


def light_verb_claim(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "The group claimed responsibility for the blast": verb + noun whose complement (or the
    noun phrase itself) is the claim."""
    obj = next((c for c in t.children if c.dep_ == "dobj" and c.i > t.i), None)
    if obj is None or (t.lemma_.lower(), obj.lemma_.lower()) not in lx.LIGHT_VERB_CLAIMS:
        return None
    return Found((obj.idx, clause_span(obj)[1]))


def accusation(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "Ankara has accused Athens of violating the airspace": the object and what it is
    accused of (blamed for, praised for …) is the claim."""
    prep = lx.ACCUSATION_CUES.get(t.lemma_.lower())
    obj = next((c for c in t.children if c.dep_ == "dobj" and c.i > t.i), None)
    if prep is None or obj is None:
        return None
    pp = next(
        (c for c in t.children if c.dep_ == "prep" and c.lower_ == prep and c.i > obj.i), None
    )
    if pp is None:
        pp = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == prep), None)
    if pp is None or not any(c.dep_ in ("pobj", "pcomp") for c in pp.children):
        return None
    return Found((clause_span(obj)[0], clause_span(pp)[1]))


def denied_object(ix: ArticleIndex, t: Token, subj: Token) -> Found | None:
    """ "The company denied any wrongdoing", "The ministry dismissed reports that …": the
    object is what is denied (for verbs other than "deny", only a speech noun: reports,
    claims, allegations)."""
    lemma = t.lemma_.lower()
    if lemma not in lx.DENIAL_CUES:
        return None
    obj = next((c for c in t.children if c.dep_ == "dobj" and c.i > t.i), None)
    if obj is None or obj.pos_ in ("PRON", "PROPN") or obj.ent_type_ in ("PERSON", "NORP"):
        return None  # "denied him a visa", "denied Republicans a vote": not what is denied
    if lemma != "deny" and obj.lemma_.lower() not in lx.SPEECH_NOUNS:
        return None
    return Found(clause_span(obj))


CLAUSE_RULES = (
    reported_clause,
    that_clause_in_phrase,
    parenthetical_clause,
    flat_clause,
    gerund_clause,
    trailing_clause,
    light_verb_claim,
    accusation,
    quoted_object,
    denied_object,
    directive_appeal,
    commitment,
    call_for_appeal,
    speech_object,
    stance_object,
)
