"""Candidate rules, family 3 (entry): reporting clauses — X said (that) …, S, X said, ….

For every reporting verb of the article (``ArticleIndex.cues``) the speaker is the verb's
subject; the content is found by the first rule of ``clause_rules.CLAUSE_RULES`` that matches.
"X reported, citing Y": X speaks (``cited_source``); "Y quoted X as saying": X speaks via Y.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.candidate import Candidate
from extractors.claims.clause_rules import CLAUSE_RULES
from extractors.claims.index import ArticleIndex
from extractors.claims.relays import cited_source, quoted_as
from extractors.claims.syntax import (
    adjacent_subject,
    cue_lemma,
    cue_tokens,
    inverted_subject,
    main_cue,
    speaker_span,
    subject,
    trim,
)


def clause_subject(ix: ArticleIndex, t: Token) -> Token | None:
    """The speaker of a reporting verb: the noun phrase after it when inverted ("…, added the
    envoy"), else its subject, or a name right before it."""
    subj = inverted_subject(t) or subject(t) or adjacent_subject(t)
    return after_dateline(ix, subj) if subj is not None else None


def after_dateline(ix: ArticleIndex, subj: Token) -> Token:
    """ "NAIROBI, Kenya — Interior Minister Joseph Kamau said …": the parser made the dateline
    the subject and the speaker its apposition; the speaker is the apposition after it."""
    if not ix.in_dateline(subj.idx):
        return subj
    end = next(b for a, b in ix.datelines if a <= subj.idx < b)
    after = [c for c in subj.children if c.dep_ == "appos" and c.left_edge.idx >= end]
    return after[0] if after else subj


def reporting_clauses(ix: ArticleIndex, accepted: Sequence[Candidate]) -> Iterator[Candidate]:
    """Family entry: one candidate per reporting verb whose content a clause rule finds."""
    doc = ix.doc
    seen: set[int] = set()
    for i in ix.cues:
        t = main_cue(doc[i])
        if t.i in seen:
            continue
        seen.add(t.i)
        speaker, relay = quoted_as(t)
        subj = speaker or clause_subject(ix, t)
        if subj is None:
            continue
        for rule in CLAUSE_RULES:
            found = rule(ix, t, subj)
            if found is not None:
                break
        else:
            continue
        c = _candidate(ix, t, found.subj or subj, found.content, rule.__name__)
        yield c.with_(relays=(relay.i,)) if relay is not None else c


def _candidate(ix: ArticleIndex, t: Token, subj: Token, content: tuple[int, int], rule: str):
    cs, ce = trim(ix.text, *content)
    lemma = cue_lemma(t)
    conf = lx.CONF_CLAUSE if lemma.split()[0] in lx.SPEECH_VERBS else lx.CONF_CLAUSE_WEAK
    toks = cue_tokens(t)
    c = Candidate(rule, (cs, ce), toks[0], conf, toks, lemma, subj.i, speaker_span(subj))
    if cited_source(t) is not None:
        # "the newspaper reported, citing people familiar with the matter": the newspaper
        # speaks (its cue); the cited source is neither speaker nor relay.
        c = c.with_(rule="cited_source")
    return c
