"""Candidate rules, family 2: relays — who passed a claim on.

* ``chained_relays``: reporting clauses chained after a cue ("…,” the statement said, TASS
  reported": the statement speaks, TASS relays);
* ``cited_source``: "X reported, citing Y": Y speaks, X relays;
* ``nested_claims`` (a stage over accepted candidates): a claim whose content is mostly
  another claim is that claim's relay ("Ankara has accused Athens …, the Anadolu agency
  said": Ankara speaks, via Anadolu).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.candidate import Candidate, Rejection
from extractors.claims.index import ArticleIndex, is_cue
from extractors.claims.syntax import subject

_MAX_CHAIN = 3


def _next_in_chain(cur: Token, first: Token) -> Token | None:
    if cur.dep_ in ("parataxis", "ccomp", "conj") and is_cue(cur.head) and cur.head.i > first.i:
        return cur.head
    for c in cur.children:
        if c.dep_ in ("parataxis", "conj") and c.i > cur.i and is_cue(c):
            return c
    return None


def chained_relays(ix: ArticleIndex, cue: Token) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(relay subjects, their cues), nearest first, for the clauses chained after ``cue``."""
    subjects: list[int] = []
    cues: list[int] = [cue.i]
    cur = cue
    for _ in range(_MAX_CHAIN):
        nxt = _next_in_chain(cur, cue)
        if nxt is None or nxt.i in cues or ix.sent_of[nxt.i] != ix.sent_of[cue.i]:
            break
        subj = subject(nxt)
        if subj is None or subj.i in subjects:
            break
        cues.append(nxt.i)
        subjects.append(subj.i)
        cur = nxt
    return tuple(subjects), tuple(cues[1:])


def quoted_as(v: Token) -> tuple[Token | None, Token | None]:
    """(speaker, relay) of "Interfax quoted the minister as saying" (the minister, Interfax)
    and "the minister was quoted by Interfax as saying" (the minister, Interfax); (None, None)
    for any other cue."""
    if v.lemma_.lower() != "say" or v.head.lower_ != lx.QUOTED_AS[1]:
        return None, None
    q = v.head.head
    if q.lemma_.lower() != lx.QUOTED_AS[0]:
        return None, None
    obj = next((c for c in q.children if c.dep_ == "dobj"), None)
    subj = next((c for c in q.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    by = [c for c in q.children if c.dep_ == "agent"]  # "was quoted by X as saying"
    by += [c for c in v.children if c.dep_ == "prep" and c.lower_ == "by"]  # "… saying by X"
    agent = next((g for c in by for g in c.children if g.dep_ == "pobj"), None)
    if obj is not None:
        return obj, subj
    return subj, agent


def cited_source(v: Token) -> Token | None:
    """ "X reported, citing Y": the object of "citing" (Y), if any."""
    for c in v.children:
        if c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_.lower() == "cite":
            for g in c.children:
                if g.dep_ == "dobj":
                    return g
    return None


def _extent(c: Candidate, ix: ArticleIndex) -> tuple[int, int]:
    s_start = c.speaker[0] if c.speaker else c.content[0]
    cue_end = ix.doc[c.cue[-1]].idx if c.cue else c.content[1]
    return min(s_start, c.content[0]), max(c.content[1], cue_end)


def _relays(outer: Candidate, inner: Candidate) -> bool:
    """Who denies or rejects someone's claim does not pass it on ("The ministry rejected the
    union's claim that …"): both stand."""
    return inner.rule != "speech_noun" or outer.cue_lemma not in lx.DENIAL_CUES | lx.STANCE_CUES


def nested_claims(
    ix: ArticleIndex, accepted: Sequence[Candidate]
) -> tuple[list[Candidate], list[Rejection]]:
    """Outer claims whose content is mostly an inner claim become its relays."""
    order = sorted(
        range(len(accepted)), key=lambda n: accepted[n].content[1] - accepted[n].content[0]
    )
    out = list(accepted)
    dropped: set[int] = set()
    rejected: list[Rejection] = []
    for n in order:
        inner = out[n]
        if n in dropped or inner.subj is None or not inner.cue:
            continue
        s_start = inner.speaker[0] if inner.speaker else inner.content[0]
        lo, hi = _extent(inner, ix)
        cue_at = ix.doc[inner.cue[0]].idx
        for m in order:
            outer = out[m]
            if m == n or m in dropped or outer.subj is None or not _relays(outer, inner):
                continue
            os_, oe = outer.content
            if not (os_ <= cue_at < oe and os_ <= s_start < oe):
                continue
            if min(oe, hi) - max(os_, lo) >= lx.NEST_COVER * (oe - os_):
                # The outer claim relays the inner one (after the inner's own relays); what
                # relays the outer claim in turn now covers the outer claim too.
                inner = inner.with_(
                    relays=(*inner.relays, outer.subj, *outer.relays),
                    relay_cues=(*inner.relay_cues, *outer.cue),
                    confidence=min(inner.confidence, outer.confidence),
                )
                o_lo, o_hi = _extent(outer, ix)
                lo, hi = min(lo, o_lo), max(hi, o_hi)
                dropped.add(m)
                rejected.append(Rejection(outer, "nested_claims"))
        out[n] = inner
    return [c for k, c in enumerate(out) if k not in dropped], rejected
