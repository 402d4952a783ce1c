"""What the stages pass along: candidates (immutable), rejections and speaker chains.

A rule proposes a ``Candidate``; vetoes may reject it (a ``Rejection`` names the veto); the
relay stage may fold an accepted candidate into another (its speaker becomes a relay); the
speaker stage turns each accepted candidate's speaker phrase into a ``SpeakerChain``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Key = tuple[int, int, int]  # (content start, content end, anchor token): unique per candidate


@dataclass(frozen=True, slots=True)
class Candidate:
    rule: str  # the candidate rule that proposed it
    content: tuple[int, int]  # char span
    anchor: int  # the cue's first token, or the content's first token when there is no cue
    confidence: float
    cue: tuple[int, ...] = ()  # cue tokens ("pointed out", "quoted as saying")
    cue_lemma: str = ""
    subj: int | None = None  # head token of the speaker phrase
    speaker: tuple[int, int] | None = None  # char span of the speaker phrase
    relays: tuple[int, ...] = ()  # head tokens of relaying speakers, nearest first
    relay_cues: tuple[int, ...] = ()  # their reporting verbs (spent with this claim)
    continuation: bool = False  # a later quotation of the same speaker, not named beside it
    parent: Key | None = None  # takes the speaker of this earlier claim (floating quotation)

    @property
    def key(self) -> Key:
        return (self.content[0], self.content[1], self.anchor)

    def with_(self, **changes) -> Candidate:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Rejection:
    candidate: Candidate
    veto: str  # name of the veto (or of the stage) that dropped it


@dataclass(frozen=True, slots=True)
class SpeakerChain:
    """How a speaker phrase became an actor: surface -> antecedent -> entity."""

    surface: str | None  # the phrase as written ("he", "the minister, Anna Kovacs")
    antecedent: str | None = None  # the mention it stands for, when not itself a name
    canonical: str | None = None
    entity_id: str | None = None
    kind: str | None = None  # person | organisation | group | place | document | anonymous
    step: str = ""  # which resolution step decided ("pronoun", "apposition", "alias", …)
    antecedent_at: int | None = None  # char offset of the antecedent mention

    def steps(self) -> str:
        parts = [repr(self.surface) if self.surface else "(no speaker)"]
        if self.antecedent:
            parts.append(repr(self.antecedent))
        if self.canonical:
            parts.append(self.canonical)
        tail = f" [{self.step}]" if self.step else ""
        return " -> ".join(parts) + f" ({self.kind or 'unknown'}){tail}"


UNRESOLVED = SpeakerChain(None)
