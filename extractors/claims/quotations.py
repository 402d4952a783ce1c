"""Candidate rules, family 1: quotations and their attribution.

Each quotation found in the raw text is attributed to a reporting clause right after it
(“…,” X said / “…,” said X: ``cue_after_quote``) or right before it (X said: “…”:
``cue_before_quote``). Quotations that follow an attributed one with nothing but punctuation
between take its speaker: in the same sentence they extend the claim (“A,” he said, “B.”), in a
later one they are claims of their own (``quote_continued``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.candidate import Candidate
from extractors.claims.index import ArticleIndex, is_cue
from extractors.claims.relays import chained_relays, quoted_as
from extractors.claims.syntax import (
    SUBJECT_DEPS,
    cue_lemma,
    cue_tokens,
    is_absolute,
    main_cue,
    speaker_span,
    subject,
)
from extractors.quotes import ALL_MARKS, DOUBLED, Quote

_SENT_END = (".", "!", "?")


@dataclass(frozen=True, slots=True)
class Attribution:
    rule: str
    cue: int  # token of the reporting verb
    subj: int  # head token of the speaker phrase
    loose: bool  # the speaker was found by position, not by the parse


def cue_after_quote(ix: ArticleIndex, q: Quote) -> int | None:
    """“…,” X said / “…,” said X: a reporting verb in the few tokens after the quotation."""
    doc = ix.doc
    i = ix.token_at(q.end)
    if i is None:
        return None
    for j in range(i, min(i + lx.TAIL_CUE_WINDOW, len(doc))):
        t = doc[j]
        if ix.tok_quote[j] >= 0 or ((t.text in ALL_MARKS or t.text in DOUBLED) and j > i):
            return None
        if (t.text in _SENT_END and j > i) or (t.is_space and "\n" in t.text):
            return None
        if is_cue(t):
            fits = _tail_cue_fits(ix, t, i) and not _reports_next_sentence(ix, q, t)
            return j if fits else None
    return None


def _reports_next_sentence(ix: ArticleIndex, q: Quote, t: Token) -> bool:
    """“….” He said that if “…”: the quotation closed its sentence and the cue, in the next
    one, reports a clause of its own."""
    j = q.end - 1
    while j > q.start and ix.text[j] in ALL_MARKS:
        j -= 1
    last = ix.token_at(j)
    if ix.text[j] not in ".!?" or last is None or ix.sent_of[last] == ix.sent_of[t.i]:
        return False
    return any(c.dep_ == "ccomp" and c.i > t.i for c in t.children)


def _tail_cue_fits(ix: ArticleIndex, t: Token, first: int) -> bool:
    # An own complement clause outside the quotation means an independent claim.
    if any(c.dep_ == "ccomp" and c.i > t.i and ix.tok_quote[c.i] < 0 and not is_absolute(c)
           for c in t.children):  # fmt: skip
        return False
    if t.i - first > lx.TAIL_CUE_FAR:
        # Far from the quotation only behind a long speaker phrase (“…,” X, the founder of
        # …, said): the subject must sit between quotation and verb.
        subj = subject(t)
        return subj is not None and first <= subj.i < t.i and subj.i - first <= 4
    return True


def cue_before_quote(ix: ArticleIndex, q: Quote) -> int | None:
    """X said: “…” / X told reporters, “…”: a reporting verb just before the quotation."""
    if not q.is_speech:
        return None
    doc = ix.doc
    i = ix.token_at(q.start)
    if i is None or i == 0:
        return None
    for j in range(i - 1, max(-1, i - 1 - lx.LEAD_CUE_WINDOW), -1):
        t = doc[j]
        if ix.tok_quote[j] >= 0 or (t.text in ALL_MARKS and t.idx + 1 != q.start):
            return None
        if t.text in _SENT_END or (t.is_space and "\n\n" in t.text):
            return None
        if is_cue(t):
            between = ix.text[t.idx + len(t.text) : q.start]
            # Only short bridges: punctuation, "that", a few adverbials; no other verb.
            mid = doc[t.i + 1 : i]
            if any(m.pos_ in ("VERB", "AUX") for m in mid):
                return None
            if not (":" in between or "," in between or len(mid) <= 1 or "that" in between):
                return None
            return j
    return None


QUOTE_ATTRIBUTIONS = (cue_after_quote, cue_before_quote)  # tried in this order


def _loose_subject(ix: ArticleIndex, cue: Token, q: Quote) -> Token | None:
    """Speaker when the parse gives none (names mis-tagged as verbs, e.g. "DeBoer said"):
    the words between the quotation and the cue, or right after the cue (said X)."""
    doc = ix.doc
    if cue.idx < q.end:
        return None
    start = ix.token_at(q.end) or cue.i
    between = [t for t in doc[start : cue.i] if not (t.is_punct or t.is_space)]
    if 1 <= len(between) <= 6 and (between[-1].is_title or between[-1].is_lower):
        return between[-1]
    after = []
    for t in doc[cue.i + 1 : cue.i + 9]:
        if t.is_punct or t.is_space:
            break
        after.append(t)
    if 1 <= len(after) <= 8 and any(t.is_title for t in after):
        return after[-1]
    return None


def attribute(ix: ArticleIndex, q: Quote) -> Attribution | None:
    """The first attribution rule that finds a cue with a speaker for ``q``."""
    if not q.is_speech and not q.inner_end_punct(ix.text):
        return None
    for rule in QUOTE_ATTRIBUTIONS:
        j = rule(ix, q)
        if j is None:
            continue
        cue = main_cue(ix.doc[j])
        speaker, _relay = quoted_as(cue)
        subj = speaker or subject(cue)
        if subj is not None:
            return Attribution(rule.__name__, cue.i, subj.i, False)
        loose = _loose_subject(ix, cue, q)
        if loose is not None:
            return Attribution(rule.__name__, j, loose.i, True)
        return None
    return None


def _loose_span(ix: ArticleIndex, subj: int, cue: int) -> tuple[int, int]:
    """The run of words ending at a subject found by position."""
    doc = ix.doc
    lo = subj
    while lo - 1 >= 0 and not (doc[lo - 1].is_punct or doc[lo - 1].is_space) and lo - 1 != cue:
        lo -= 1
    return doc[lo].idx, ix.end_of(doc[subj])


def quotations(ix: ArticleIndex, accepted: Sequence[Candidate]) -> Iterator[Candidate]:
    """Family entry: one candidate per attributed quotation, plus its continuations."""
    found = {n: a for n, q in enumerate(ix.quotes) if (a := attribute(ix, q)) is not None}
    cue_set = {a.cue for a in found.values()}
    merged: set[int] = set()
    for qn, a in found.items():
        if qn in merged:
            continue
        cue = ix.doc[a.cue]
        subj = ix.doc[a.subj]
        sspan = _loose_span(ix, a.subj, a.cue) if a.loose else speaker_span(subj)
        q = ix.quotes[qn]
        end, parts = _continuations(ix, qn, a, sspan, found, cue_set, merged)
        lemma = cue_lemma(cue)
        conf = lx.CONF_QUOTE if lemma in lx.SPEECH_VERBS else lx.CONF_QUOTE_WEAK
        relays, relay_cues = chained_relays(ix, cue)
        _speaker, quoting = quoted_as(cue)
        if quoting is not None:
            relays = (quoting.i, *relays)
        start = _fronted_start(ix, cue, subj, q) if a.rule == "cue_before_quote" else q.start
        base = Candidate(a.rule, (start, end), cue_tokens(cue)[0], conf, cue_tokens(cue), lemma,
                         a.subj, sspan, relays, relay_cues)  # fmt: skip
        yield base
        for cs, ce in parts:
            yield base.with_(rule="quote_continued", content=(cs, ce), continuation=True,
                             confidence=conf - lx.CONF_CONTINUED_DROP)  # fmt: skip


def _fronted_start(ix: ArticleIndex, cue: Token, subj: Token, q: Quote) -> int:
    """'The aid convoy, said Ingrid Dahl, "must be allowed through"': the words before an
    inverted cue set off by commas open what was said (a mixed claim)."""
    if subj.i < cue.i:
        return q.start
    fronted = [c for c in cue.children if c.dep_ in SUBJECT_DEPS and c.i < cue.i]
    if not fronted or ix.doc[cue.i - 1].text != "," or ix.tok_quote[fronted[0].i] >= 0:
        return q.start
    return ix.doc[fronted[0].left_edge.i].idx


def _continuations(ix, qn, a, sspan, found, cue_set, merged) -> tuple[int, list[tuple[int, int]]]:
    """Next quotations with no attribution of their own, directly after this one or after its
    attribution clause, up to the next unquoted sentence. One resuming in the same sentence
    (“A,” he said, “B.”) extends the claim; one in a later sentence is its own claim."""
    q = ix.quotes[qn]
    cue = ix.doc[a.cue]
    end = q.end
    parts: list[tuple[int, int]] = []
    k = qn + 1
    while k < len(ix.quotes) and ix.quotes[k].is_speech:
        if k in found and found[k].cue != a.cue:
            break
        qk = ix.quotes[k]
        gap_from = max(end, ix.end_of(cue), sspan[1])
        gap = ix.text[gap_from : qk.start]
        if len(gap) > lx.CONTINUATION_MAX_GAP or not _gap_is_bridge(
            ix, gap_from, qk.start, cue_set
        ):
            break
        if "." not in gap and "\n" not in gap and not parts:
            end = qk.end
        else:
            parts.append((qk.start, qk.end))
        merged.add(k)
        k += 1
    return end, parts


def _gap_is_bridge(ix: ArticleIndex, a: int, b: int, cue_set: set[int]) -> bool:
    """Text between two quotations holds only an attribution and punctuation: no token outside
    quotations that starts a new unquoted clause."""
    doc = ix.doc
    for i in ix.span_tokens(a, b):
        t = doc[i]
        if t.is_punct or t.is_space:
            continue
        if (t.i in cue_set or t.dep_ in ("nsubj", "det", "compound", "poss")) and (
            t.head.i in cue_set or t.i in cue_set
        ):
            continue
        return False
    return True
