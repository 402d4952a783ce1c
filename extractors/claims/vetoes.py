"""Vetoes: named reasons why a candidate a rule proposed is not a claim.

Each veto looks at one candidate (with the article index and what was accepted so far) and
returns True to reject it. ``VETOES`` is their order; the first that fires is recorded as the
reason (``mediamon extract --explain`` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from extractors.claims import lexicon as lx
from extractors.claims.candidate import Candidate
from extractors.claims.index import ArticleIndex
from extractors.claims.syntax import SUBJECT_DEPS, starts_with_wh


@dataclass
class Accepted:
    """What the engine has accepted so far (owned by the engine, read by the vetoes)."""

    cues: set[int] = field(default_factory=set)
    contents: set[tuple[int, int]] = field(default_factory=set)


def _cue(c: Candidate, ix: ArticleIndex) -> Token | None:
    return ix.doc[c.cue[-1]] if c.cue and c.cue_lemma != "according to" else None


def cue_already_used(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """The reporting verb already reports an accepted claim (or relays one); a continued
    quotation shares the cue of the quotation it continues."""
    return bool(c.cue) and not c.continuation and any(i in acc.cues for i in c.cue)


def content_already_claimed(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    return c.content in acc.contents


def too_short(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    return c.content[1] - c.content[0] < lx.MIN_CONTENT_CHARS


def title_line(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """Headlines and captions ("Trump says he will win") are no running text."""
    return ix.sent_of[c.anchor] in ix.title_sents


def writer_voice(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "I said", "we think": the writer's own words are not an attributed claim (inside
    someone's quotation, an I/we/you cue is that person's own words, not a new claim)."""
    if c.subj is None or c.parent is not None:
        return False
    low = ix.doc[c.subj].lower_
    if c.rule.startswith("cue_") or c.rule == "quote_continued":
        return low in lx.WRITER_PRONOUNS
    return low in lx.FIRST_SECOND


def cue_inside_quotation(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """A reporting verb inside a quotation reports only when its subject opens the quotation
    (“Director X has stated that …,” the statement said)."""
    cue = _cue(c, ix)
    if cue is None or c.subj is None or not ix.in_speech_quote(cue.i) or c.rule.startswith("cue_"):
        return False
    q = ix.quote_of(cue.i)
    subj = ix.doc[c.subj]
    # A title parsed as a second subject ("Chairman of the X Dana Ilieva") starts the phrase.
    left = min([subj.left_edge.idx] + [x.left_edge.idx for x in cue.children
                                       if x.dep_ in SUBJECT_DEPS and x.i < cue.i])  # fmt: skip
    return subj.idx < q.start or (left > q.start + 2 and not _title_opens(ix, q.start, subj))


def _title_opens(ix: ArticleIndex, start: int, subj: Token) -> bool:
    """Only a title stands between the quotation mark and the subject ("“Head of the press
    service of the Ministry X Nodira Karimova said …”"): a capitalised noun first, then no
    verb and no comma ("“With Trump saying …”" is no title)."""
    first = ix.token_at(start + 1)
    if first is None or first >= subj.i:
        return False
    between = ix.doc[first : subj.i]
    if between[0].pos_ not in ("NOUN", "PROPN") or not between[0].is_title:
        return False
    return not any(t.pos_ in ("VERB", "AUX") or t.text in (",", ";", ":") for t in between)


def negated_question(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "did not say whether …" reports no claim."""
    cue = _cue(c, ix)
    if cue is None or not any(x.dep_ == "neg" for x in cue.children):
        return False
    first = ix.token_at(c.content[0])
    return first is not None and starts_with_wh(ix.doc[first])


def _passive(v: Token) -> bool:
    return any(x.dep_ in ("auxpass", "nsubjpass") for x in v.children)


def indirect_question(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "Reporters asked whether the plant would close": a question asserts nothing."""
    cue = _cue(c, ix)
    if cue is None or cue.lemma_.lower() not in lx.QUESTION_CUES:
        return False
    first = ix.token_at(c.content[0])
    return first is not None and ix.doc[first].lower_ in lx.WH_WORDS


def addressee_as_subject(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "was told he had …", "was asked whether …", "Asked about it, Lee said …": the subject
    is the one addressed, not the speaker."""
    cue = _cue(c, ix)
    if cue is None:
        return False
    lemma = cue.lemma_.lower()
    if lemma == "tell":
        return cue.tag_ == "VBN" and not any(
            x.dep_ in ("dobj", "dative", "agent") for x in cue.children
        )
    if lemma not in lx.QUESTION_CUES:
        return False
    bare_participle = (
        cue.tag_ == "VBN"
        and cue.dep_ in ("advcl", "acl")
        and not any(x.dep_ == "aux" for x in cue.children)
    )
    return _passive(cue) or bare_participle


def passive_subject(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "Eriksson was called for tripping", "X was accused of fraud", "was diagnosed and told
    he had three months": the subject of a passive verb is its target, not the speaker
    ("was quoted as saying" excepted: the quoted person speaks)."""
    if c.subj is None or not c.cue or len(c.cue) == 3:
        return False
    subj = ix.doc[c.subj]
    return subj.dep_ == "nsubjpass" and subj.lower_ != "it"


def finding_by_a_person(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "He returned to find Jayme gone": "find"/"show" report a finding only of a study, a
    poll, a document or an organisation, not a person's experience."""
    if c.subj is None or c.cue_lemma not in lx.WEAK_VERBS:
        return False
    subj = ix.doc[c.subj]
    return subj.lower_ in lx.PERSON_PRONOUNS | {"i", "we", "you"} or subj.ent_type_ == "PERSON"


def refusal(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "declined to say why", "refused to comment"."""
    cue = _cue(c, ix)
    return cue is not None and cue.dep_ == "xcomp" and cue.head.lemma_.lower() in lx.REFUSAL_HEADS


def comparison(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "higher than city reports say it is": a comparison, not a report."""
    cue = _cue(c, ix)
    if cue is None or c.subj is None:
        return False
    subj = ix.doc[c.subj]
    lo = subj.left_edge.i
    return lo > 0 and ix.doc[lo - 1].lower_ == "than" and subj.i < cue.i


def object_is_what_was_said(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """ "…, organisers said nothing else" / "he said goodbye": the verb's own object is what
    was said, not the clause before it; a greeting or "nothing" is no claim."""
    cue = _cue(c, ix)
    if cue is None:
        return False
    objs = [x for x in cue.children if x.dep_ == "dobj" and x.i > cue.i]
    if not objs:
        return False
    if objs[0].lower_ in lx.NOT_CONTENT_OBJECTS and objs[0].idx >= c.content[0]:
        return True
    before = c.content[1] <= cue.idx
    return before and cue.lemma_.lower() not in lx.ADDRESSEE_CUES and c.rule == "reported_clause"


def not_a_speaker(c: Candidate, ix: ArticleIndex, acc: Accepted) -> bool:
    """Parser debris as the speaker: "old", "rounds", "'s" standing alone, or a dateline
    ("BUFFALO, N.Y. —")."""
    if c.subj is None or c.speaker is None:
        return False
    head = ix.doc[c.subj]
    nominal = (
        head.pos_ in lx.NOMINAL_POS
        or head.is_title
        or any(x.dep_ in ("det", "poss") for x in head.children)
    )  # "my two-year-old"
    if ix.in_dateline(head.idx) or not nominal:
        return True  # a dateline, or a preposition or verb taken for the subject
    cue_at = ix.doc[c.cue[-1]].idx if c.cue else -1
    for q in ix.quotes:
        if q.start < c.speaker[1] and c.speaker[0] < q.end and not q.start < cue_at < q.end:
            return True  # the quotation itself taken for its speaker
    words = [w.strip(".,;:'’").lower() for w in ix.text[c.speaker[0] : c.speaker[1]].split()]
    words = [w for w in words if w]
    return not words or all(w in lx.NEVER_SPEAKERS or w in ("'s", "’s", "s") for w in words)


VETOES = (
    cue_already_used,
    content_already_claimed,
    too_short,
    title_line,
    writer_voice,
    cue_inside_quotation,
    negated_question,
    indirect_question,
    addressee_as_subject,
    passive_subject,
    finding_by_a_person,
    refusal,
    comparison,
    object_is_what_was_said,
    not_a_speaker,
)


def first_veto(c: Candidate, ix: ArticleIndex, acc: Accepted) -> str | None:
    for veto in VETOES:
        if veto(c, ix, acc):
            return veto.__name__
    return None
