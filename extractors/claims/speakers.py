"""Speaker resolution, its own stage: a speaker phrase (mention) -> an actor (entity).

``resolve`` tries ``STEPS`` in order; the first that decides returns a ``SpeakerChain``
(surface -> antecedent -> entity, with the step's name). Pronouns are resolved by salience
(``salience``); apposition ("the minister, Anna Kovacs") and titles name the person; plural
people ("prosecutors", "union representatives", "the family") stay groups; descriptions of
an organisation named earlier ("the Russian intelligence service") resolve to it.
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.claims import descriptions as ds
from extractors.claims import lexicon as lx
from extractors.claims import salience as sal
from extractors.claims import speaker_steps as st
from extractors.claims.candidate import SpeakerChain
from extractors.claims.index import ArticleIndex


class SpeakerResolver:
    """Per article; remembers resolved speakers so that later pronouns can point at them."""

    def __init__(self, ix: ArticleIndex) -> None:
        self.ix = ix
        self.history: list[sal.Referent] = []
        self.genders = sal.Genders(ix)
        self.surnames = sal.person_surnames(ix)

    def resolve(self, subj: int, span: tuple[int, int]) -> SpeakerChain:
        head = self.ix.doc[subj]
        surface = self.ix.text[span[0] : span[1]]
        for step in STEPS:
            chain = step(self, head, span, surface)
            if chain is not None:
                return chain
        return SpeakerChain(surface, step="unresolved")

    def remember(self, chain: SpeakerChain, subj: int, span: tuple[int, int]) -> None:
        """An accepted claim's speaker: the most salient antecedent for the next pronouns."""
        if chain.kind is None or chain.kind == "anonymous":
            return
        plural = chain.kind != "person" or self.ix.doc[subj].lower_ == "they"
        self.history.append(sal.Referent(chain.antecedent or chain.surface or "", span[0],
                                         chain.canonical, chain.entity_id, chain.kind, plural,
                                         "speaker", self.ix.sent_of[subj]))  # fmt: skip

    # ---- referents for pronouns and descriptions -------------------------------------------
    def candidates(self, pos: int, back: int = lx.SALIENCE_SENTENCES) -> list[sal.Referent]:
        ix = self.ix
        at = ix.sent_of[ix.token_at(pos) or len(ix.doc) - 1]
        first = ix.first_sentence_back(at, back)
        refs = sal.entity_referents(ix, pos, first, self.surnames)
        refs += sal.noun_referents(ix, pos, first)
        refs += [r for r in self.history if r.start < pos and r.sentence >= first]
        return refs

    def best(self, pos: int, ok: Callable[[sal.Referent], bool], boost=None) -> sal.Referent | None:
        at = self.ix.sent_of[self.ix.token_at(pos) or len(self.ix.doc) - 1]
        ranked = sal.rank([r for r in self.candidates(pos) if ok(r)], at, self.ix, boost)
        if ranked:
            return ranked[0][1]
        # Nothing near: the latest fitting speaker or mention anywhere before.
        far = [r for r in self.history if r.start < pos and ok(r)]
        near = sal.entity_referents(self.ix, pos, 0, self.surnames)[: lx.RECENT_MENTIONS]
        far += [r for r in near if ok(r)]
        return max(far, key=lambda r: r.start) if far else None


# The order in which a speaker phrase is resolved: the first step that decides wins.
STEPS = (
    st.pronoun,
    st.apposition,
    st.alias,
    st.named,
    st.document_issuer,
    st.document,
    st.group,
    ds.description,
    ds.role,
    ds.bare_name,
)
