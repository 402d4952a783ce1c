"""The claims engine: one place to read its order.

1. ``build_index``: the read-only article index (sentences, quotations, paragraphs, titles,
   datelines, reporting verbs).
2. ``PROPOSERS``: candidate rules, family by family; every candidate passes the ``VETOES``
   (``vetoes.py``) in order, the first that fires rejects it.
3. ``nested_claims``: a claim whose content is mostly another claim becomes its relay.
4. ``LATE_PROPOSERS``: rules that read what was accepted (signed paragraphs, floating
   quotations taking the speaker of the claim before them), vetoed the same way.
5. Speaker resolution (``speakers.py``), in text order so that pronouns see earlier speakers.
6. Records: one ``Claim`` per accepted candidate, with the rule that made it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from extractors.claims import lexicon as lx
from extractors.claims.according import according_to
from extractors.claims.candidate import UNRESOLVED, Candidate, Key, Rejection, SpeakerChain
from extractors.claims.clauses import reporting_clauses
from extractors.claims.floating import floating_quotes, signed_paragraphs
from extractors.claims.index import ArticleIndex, build_index
from extractors.claims.nouns import speech_noun
from extractors.claims.quotations import quotations
from extractors.claims.relays import nested_claims
from extractors.claims.speakers import SpeakerResolver
from extractors.claims.syntax import quote_type, speaker_span
from extractors.claims.vetoes import Accepted, first_veto
from extractors.entities import ArticleEntities
from extractors.records import Claim, stable_id

Proposer = Callable[[ArticleIndex, Sequence[Candidate]], Iterable[Candidate]]
PROPOSERS: tuple[Proposer, ...] = (quotations, reporting_clauses, according_to, speech_noun)
LATE_PROPOSERS: tuple[Proposer, ...] = (signed_paragraphs, floating_quotes)


@dataclass
class EngineRun:
    """Everything the engine decided for one article (for records and for --explain)."""

    ix: ArticleIndex
    accepted: list[Candidate] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    chains: dict[Key, SpeakerChain] = field(default_factory=dict)
    via: dict[Key, tuple[str, ...]] = field(default_factory=dict)

    def ordered(self) -> list[Candidate]:
        return sorted(self.accepted, key=lambda c: (c.content[0], c.anchor))


def _propose(run: EngineRun, state: Accepted, rules: Sequence[Proposer]) -> None:
    for rule in rules:
        for c in rule(run.ix, tuple(run.accepted)):
            veto = first_veto(c, run.ix, state)
            if veto is not None:
                run.rejected.append(Rejection(c, veto))
                continue
            run.accepted.append(c)
            state.cues.update(c.cue)
            state.cues.update(c.relay_cues)
            state.contents.add(c.content)


def run_engine(doc: Doc, ents: ArticleEntities, sent_of: list[int] | None = None) -> EngineRun:
    run = EngineRun(build_index(doc, ents, sent_of))
    state = Accepted()
    _propose(run, state, PROPOSERS)
    run.accepted, folded = nested_claims(run.ix, run.accepted)
    run.rejected.extend(folded)
    _propose(run, state, LATE_PROPOSERS)
    _resolve(run)
    return run


def _resolve(run: EngineRun) -> None:
    ix = run.ix
    resolver = SpeakerResolver(ix)
    by_phrase: dict[tuple[int, tuple[int, int]], SpeakerChain] = {}
    for c in run.ordered():
        if c.parent is not None and c.parent in run.chains:
            run.chains[c.key] = run.chains[c.parent]
        elif c.subj is None or c.speaker is None:
            run.chains[c.key] = UNRESOLVED
        else:
            phrase = (c.subj, c.speaker)
            if phrase not in by_phrase:
                by_phrase[phrase] = resolver.resolve(c.subj, c.speaker)
                resolver.remember(by_phrase[phrase], c.subj, c.speaker)
            run.chains[c.key] = by_phrase[phrase]
        run.via[c.key] = tuple(_relay_name(resolver, ix, r) for r in c.relays)


def _relay_name(resolver: SpeakerResolver, ix: ArticleIndex, r: int) -> str:
    """Named relays by canonical name, others by their head noun ("statement")."""
    t = ix.doc[r]
    chain = resolver.resolve(r, speaker_span(t))
    return chain.canonical or (t.text if t.pos_ == "PROPN" else t.lemma_.lower())


def to_claims(run: EngineRun, article_id: str) -> list[Claim]:
    ix = run.ix
    out = []
    for c in run.ordered():
        chain = run.chains.get(c.key, UNRESOLVED)
        cs, ce = c.content
        ss, se = (None, None) if c.continuation or c.speaker is None else c.speaker
        conf = c.confidence - (lx.CONF_UNRESOLVED_DROP if chain.canonical is None else 0.0)
        cue = " ".join(ix.doc[i].text for i in c.cue) or None
        out.append(Claim(
            claim_id=stable_id(article_id, cs, ce, c.anchor, length=16),
            article_id=article_id,
            speaker=chain.surface,
            speaker_canonical=chain.canonical,
            speaker_entity_id=chain.entity_id,
            speaker_kind=chain.kind,
            cue=cue,
            cue_lemma=c.cue_lemma or None,
            content=ix.text[cs:ce],
            quote_type=quote_type(ix.text, cs, ce),
            via=run.via.get(c.key, ()),
            content_start=cs,
            content_end=ce,
            speaker_start=ss,
            speaker_end=se,
            sentence=ix.sent_of[c.anchor],
            confidence=round(max(0.05, min(conf, 1.0)), 2),
            rule=c.rule,
        ))  # fmt: skip
    return out


def extract_claims(
    doc: Doc, ents: ArticleEntities, article_id: str, sent_of: list[int] | None = None
) -> list[Claim]:
    """All attributed claims of one parsed article, in text order."""
    return to_claims(run_engine(doc, ents, sent_of), article_id)
