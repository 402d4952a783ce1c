"""Candidate rules, family 5: noun complements — "Turkey's claim that its jets …".

A speech noun ("claim", "warning", "denial" …) with a possessor and a that-clause is a claim
of the possessor: the clause is what was claimed, the noun the cue (its verb as the cue lemma:
"warning" -> "warn"). Without a possessor the noun names no speaker and no claim is made
("the claim that …"); "claimed responsibility" is the light-verb rule of the clause family.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.candidate import Candidate
from extractors.claims.index import ArticleIndex
from extractors.claims.syntax import clause_span, speaker_span, trim

_CLAUSE_DEPS = ("acl", "ccomp", "relcl")


def _that_clause(noun: Token) -> Token | None:
    """The noun's complement clause opened by "that" (a complementiser, not a relative
    pronoun: the clause has its own subject)."""
    for c in noun.children:
        if c.dep_ not in _CLAUSE_DEPS or c.i <= noun.i:
            continue
        mark = c.doc[c.left_edge.i]
        has_subject = any(x.dep_ in ("nsubj", "nsubjpass") and x.lower_ != "that"
                          for x in c.children)  # fmt: skip
        if mark.lower_ == "that" and mark.i == noun.i + 1 and has_subject:
            return c
    return None


def speech_noun(ix: ArticleIndex, accepted: Sequence[Candidate]) -> Iterator[Candidate]:
    """ "Anna Kovacs's claim that the contract had been forged …": possessor speaks."""
    for t in ix.doc:
        verb = lx.SPEECH_NOUN_VERBS.get(t.lemma_.lower())
        if verb is None or t.pos_ != "NOUN" or ix.in_speech_quote(t.i):
            continue
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        clause = _that_clause(t) if owner is not None else None
        if owner is None or clause is None:
            continue
        start = clause_span(clause)[0]
        cs, ce = trim(ix.text, start, clause_span(clause)[1])
        yield Candidate("speech_noun", (cs, ce), t.i, lx.CONF_CLAUSE_WEAK, (t.i,), verb,
                        owner.i, speaker_span(owner))  # fmt: skip
