"""Attributed claims from a parsed article: who said what, with which cue, relayed by whom.

Rule-based over the dependency parse plus quotation marks found in the raw text:

1. Quotations (``quotes.find_quotes``) are attributed to a reporting clause right after them
   (“…,” X said / “…,” said X), right before them (X said: “…”), or, when they follow an
   attributed quotation with nothing in between, to the same speaker (split and multi-sentence
   quotes are merged into one claim).
2. Reporting verbs with a clausal complement give indirect claims (X said (that) …); verbs such
   as "describe"/"call" whose object holds a quotation give mixed claims.
3. "according to X" attributes the rest of its clause to X.
4. A claim whose content is mostly another claim is a relay: the inner claim keeps the content
   and gets the outer speakers, nearest first, in ``via``; reporting clauses chained after a
   quotation ("…, the statement said, TASS reported") are relays of the first one.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from extractors.coref import Resolved, SpeakerResolver
from extractors.entities import ArticleEntities
from extractors.quotes import ALL_MARKS, DOUBLED, Quote, find_quotes, single_quoted_spans
from extractors.records import Claim, stable_id

log = logging.getLogger(__name__)

# Reporting verbs (lemmas). Strong ones report speech; weak ones report a stance or finding and
# get a lower confidence.
SPEECH_VERBS = {
    "say", "state", "tell", "add", "note", "warn", "claim", "insist", "deny", "argue",
    "announce", "explain", "report", "confirm", "stress", "emphasise", "emphasize", "declare",
    "write", "tweet", "post", "acknowledge", "admit", "assert", "allege", "maintain",
    "contend", "reply", "respond", "answer", "remark", "comment", "observe", "predict",
    "promise", "vow", "pledge", "threaten", "urge", "accuse", "reiterate", "caution",
    "complain", "concede", "testify", "inform", "assure", "boast", "quip", "joke", "recall",
    "reveal", "disclose", "mention", "indicate", "suggest", "ask", "demand", "charge",
    "counter", "retort", "continue", "conclude", "underline", "underscore", "point",
    "describe", "call", "brand", "label", "dub", "term", "quote", "cite", "signal", "hint",
    "estimate", "forecast", "advise", "propose", "question", "wonder", "lament", "concur",
    "affirm", "proclaim", "specify", "clarify", "elaborate", "publish", "release", "recount",
    "speculate", "surmise", "read", "confess", "blurt", "crow", "sniff", "scold", "stutter",
    "shout", "yell", "scream", "whisper", "mutter", "exclaim", "plead", "muse", "gush", "chide",
    "snap", "grumble", "sigh", "interject", "repeat", "echo", "recommend", "remind", "reason",
    "opine", "posit", "swear", "laugh", "cry", "gripe", "rave", "rant", "marvel", "summarize",
    "summarise",
}  # fmt: skip
WEAK_VERBS = {
    "believe", "think", "fear", "expect", "hope", "show", "find", "worry", "doubt",
    "suspect", "reckon",
}  # fmt: skip
# Cues that can follow or interrupt their content: "The museum, Mr. Bush said, celebrated …".
PARENTHETICAL_CUES = {
    "say", "tell", "add", "note", "write", "report", "state", "claim", "insist", "warn",
    "explain", "argue", "confirm", "acknowledge", "announce", "allege", "predict", "believe",
    "think", "suggest", "estimate", "admit", "stress", "contend", "continue", "reckon",
}  # fmt: skip
WH_WORDS = {"whether", "why", "how", "if", "what", "when", "where", "who", "which"}
CUE_LEMMAS = SPEECH_VERBS | WEAK_VERBS
# Cues whose object (not a clause) can carry a quotation: described it as 'deeply flawed'.
OBJECT_CUES = {
    "describe", "call", "brand", "label", "dub", "term", "characterize", "characterise",
    "praise", "criticize", "criticise", "slam", "blast", "dismiss",
}  # fmt: skip
# "according to plan" and friends: the object is not a source.
NOT_SOURCES = {
    "plan", "schedule", "script", "tradition", "custom", "design", "expectation", "form",
    "rule", "procedure", "protocol", "instruction", "standard", "law", "need", "ability",
    "merit", "size", "age", "order", "priority", "type", "category", "taste", "wish",
    "preference", "principle", "guideline", "formula", "pattern", "season", "calendar",
}  # fmt: skip
ANIMATE_NOUNS = {
    "official", "people", "source", "member", "leader", "lawmaker", "critic", "supporter",
    "voter", "expert", "analyst", "spokesman", "spokeswoman", "spokesperson", "resident",
    "president", "minister", "senator", "candidate", "aide", "adviser", "advisor", "police",
}  # fmt: skip
FIRST_SECOND = {"i", "we", "you", "me", "us", "my", "our"}
_SENT_END = {".", "!", "?"}
# A quotation standing alone (no reporting verb) must be this long to be taken as speech.
FLOATING_MIN_WORDS = 4  # as Quote.is_speech
_WS = re.compile(r"\s+")
# "… text. pic.twitter.com/abc — Name (@handle) December 22, 2018"
_POST_SIGNATURE = re.compile(
    r"(?:\s*#\w+)*\s*(?:pic\.twitter\.com/\S+)?\s+[—–]\s+(?P<name>[^()\n—–]{2,60}?)\s+\(@\w+\)"
)


@dataclass
class _Draft:
    """A claim under construction (token-level), turned into a ``Claim`` at the end."""

    cue_toks: list[Token]
    subj: Token | None  # syntactic head of the speaker phrase
    speaker_span: tuple[int, int] | None  # char offsets
    content: tuple[int, int]
    kind: str  # quote | clause | object | according
    confidence: float
    cue_lemma: str
    via: list[str] = field(default_factory=list)
    relay_tokens: list[Token] = field(default_factory=list)  # subjects of chained relays
    dropped: bool = False
    continuation: bool = False  # a later quotation of the same speaker (no cue of its own)
    parent: _Draft | None = None  # floating quotation: speaker taken over from this claim
    anchor_i: int = 0  # first token of the content, for claims without a cue

    @property
    def cue_i(self) -> int:
        return self.cue_toks[0].i if self.cue_toks else self.anchor_i


def _is_cue(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in CUE_LEMMAS and t.tag_ != "MD"


def _subject(v: Token) -> Token | None:
    """Nominal subject of ``v``, climbing through conjunctions and participial clauses
    (X said … and added that …; …, saying that …; X was quoted as saying …)."""
    cur = v
    for _ in range(4):
        for c in cur.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                if c.dep_ == "nsubjpass" and c.lower_ == "it":
                    break  # expletive: "it was reported that" has no speaker here
                if c.lower_ in ("who", "which", "that") and cur.dep_ == "relcl":
                    return cur.head  # "officials who say …": the antecedent speaks
                return c
            if c.dep_ == "agent":  # passive with an explicit agent: "was announced by X"
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if (
            cur.dep_ == "advcl"
            and cur.tag_ == "VBG"
            and cur.head.dep_ == "ccomp"
            and _is_cue(cur.head.head)
            and cur.head.i > cur.head.head.i
            and not _animate_subject(cur.head)
        ):
            # "X said S, insisting …": the parser hung the participle on the reported clause;
            # the reporter, not the clause's subject, does the insisting.
            cur = cur.head.head
        elif cur.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep", "acl") and cur.head is not cur:
            cur = cur.head
        else:
            return None
    return None


def _animate_subject(v: Token) -> bool:
    """``v`` has a subject that can speak itself (a name, a person pronoun, people)."""
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return (
                c.pos_ == "PROPN"
                or c.lower_ in ("he", "she", "they", "i", "we", "you")
                or c.ent_type_ in ("PERSON", "ORG", "NORP")
                or c.lemma_.lower() in ANIMATE_NOUNS
            )
    return False


def _speaker_span(subj: Token) -> tuple[int, int]:
    """Char span of the speaker phrase: the subject's subtree cut before relative clauses,
    appositions and parentheses ("Karlsson, who received …" -> "Karlsson")."""
    doc = subj.doc
    # Only nominal modifiers on the left ("Director of the … Office Ivan Petrenko"), never a
    # fronted prepositional phrase the parser hung on the name ("In an interview Trump").
    left = subj.i
    for c in subj.lefts:
        if c.dep_ in ("det", "compound", "amod", "poss", "nmod", "nummod", "quantmod", "predet"):
            left = min(left, c.left_edge.i)
    while left < subj.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    right = subj.i
    for t in doc[subj.i + 1 : subj.right_edge.i + 1]:
        if t.dep_ in ("relcl", "acl", "appos", "advcl", "punct") or t.is_space:
            break
        right = t.i
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def _trim(text: str, s: int, e: int, keep_marks: bool = True) -> tuple[int, int]:
    """Strip whitespace and trailing sentence punctuation (not closing quotation marks)."""
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:.—–-"):
        e -= 1
    return s, e


def _clause_span(tok: Token) -> tuple[int, int]:
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _cue_tokens(v: Token) -> list[Token]:
    """The verb with its particle ("pointed out"), and "quoted as saying" as one cue."""
    toks = [v]
    for c in v.children:
        if c.dep_ == "prt" and c.i == v.i + 1:
            toks.append(c)
    return toks


class _Extractor:
    def __init__(self, doc: Doc, ents: ArticleEntities, sent_of: list[int]) -> None:
        self.doc = doc
        self.text = doc.text
        self.ents = ents
        self.sent_of = sent_of
        self.quotes = find_quotes(self.text)
        self.tok_quote = self._token_quotes()
        self.used_cues: set[int] = set()
        self.drafts: list[_Draft] = []
        self.title_sents = self._title_sentences()

    # ---- setup -----------------------------------------------------------------------
    def _token_quotes(self) -> list[int]:
        """For each token, index of the quotation containing it (marks excluded), else -1."""
        out = [-1] * len(self.doc)
        qi = 0
        qs = self.quotes
        for t in self.doc:
            while qi < len(qs) and qs[qi].end <= t.idx:
                qi += 1
            if qi < len(qs) and qs[qi].start < t.idx < qs[qi].end - (1 if qs[qi].closed else 0):
                out[t.i] = qi
        return out

    def _title_sentences(self) -> set[int]:
        """Sentences in headline/caption lines: a line that does not end like a sentence."""
        ranges: list[tuple[int, int]] = []
        pos = 0
        for line in self.text.split("\n"):
            st = line.strip()
            if (
                st
                and st[-1] not in ".!?…:;)"
                and st[-1] not in ALL_MARKS + "’'"
                # Short, single sentence: a paragraph merely missing its full stop is no title.
                and len(st.split()) <= 20
                and ". " not in st
                and st[0] not in ALL_MARKS
            ):
                ranges.append((pos, pos + len(line)))
            pos += len(line) + 1
        out: set[int] = set()
        if not ranges:
            return out
        ri = 0
        for n, sent in enumerate(self.doc.sents):
            c = sent[0].idx
            while ri < len(ranges) and ranges[ri][1] <= c:
                ri += 1
            if ri < len(ranges) and ranges[ri][0] <= c < ranges[ri][1]:
                out.add(n)
        return out

    def in_speech_quote(self, t: Token) -> bool:
        q = self.tok_quote[t.i]
        return q >= 0 and self.quotes[q].is_speech

    # ---- pass 1: quotations ------------------------------------------------------------
    def _tail_cue(self, q: Quote) -> Token | None:
        """“…,” X said / “…,” said X: a reporting verb in the few tokens after the quotation."""
        doc = self.doc
        i = self._first_token_at(q.end)
        if i is None:
            return None
        for j in range(i, min(i + 30, len(doc))):
            t = doc[j]
            is_mark = t.text in ALL_MARKS or t.text in DOUBLED
            if self.tok_quote[j] >= 0 or (is_mark and j > i):
                return None
            if t.text in _SENT_END and j > i:
                return None
            if t.is_space and "\n" in t.text:
                return None
            if _is_cue(t) and self.tok_quote[j] < 0:
                # An own complement clause outside the quotation means an independent claim.
                for c in t.children:
                    if c.dep_ == "ccomp" and c.i > j and self.tok_quote[c.i] < 0:
                        return None
                if j - i > 12:
                    # Far from the quotation only behind a long speaker phrase (“…,” X, the
                    # founder of …, said): the subject must sit between quotation and verb.
                    subj = _subject(t)
                    if subj is None or not (i <= subj.i < j) or subj.i - i > 4:
                        return None
                return t
        return None

    def _lead_cue(self, q: Quote) -> Token | None:
        """X said: “…” / X told reporters, “…”: a reporting verb just before the quotation."""
        doc = self.doc
        i = self._first_token_at(q.start)
        if i is None or i == 0:
            return None
        j = i - 1
        steps = 0
        while j >= 0 and steps < 10:
            t = doc[j]
            if self.tok_quote[j] >= 0 or (t.text in ALL_MARKS and t.idx + 1 != q.start):
                return None
            if t.text in _SENT_END or (t.is_space and "\n\n" in t.text):
                return None
            if _is_cue(t):
                between = self.text[t.idx + len(t.text) : q.start]
                # Only short bridges: punctuation, "that", a few adverbials; no other verb.
                mid = doc[t.i + 1 : i]
                if any(m.pos_ in ("VERB", "AUX") for m in mid):
                    return None
                if not (":" in between or "," in between or len(mid) <= 1 or "that" in between):
                    return None
                return t
            steps += 1
            j -= 1
        return None

    def _loose_subject(self, cue: Token, q: Quote) -> Token | None:
        """Speaker when the parse gives none (names mis-tagged as verbs, e.g. "DeBoer said"):
        the words between the quotation and the cue, or right after the cue (said X)."""
        doc = self.doc
        if cue.idx >= q.end:
            between = [t for t in doc[self._first_token_at(q.end) : cue.i]
                       if not (t.is_punct or t.is_space)]  # fmt: skip
            if 1 <= len(between) <= 6 and between[-1].is_title | between[-1].is_lower:
                return between[-1]
            after = []
            for t in doc[cue.i + 1 : cue.i + 9]:
                if t.is_punct or t.is_space:
                    break
                after.append(t)
            if 1 <= len(after) <= 8 and any(t.is_title for t in after):
                return after[-1]
        return None

    def _speaker_span_loose(self, subj: Token, cue: Token) -> tuple[int, int]:
        if _subject(cue) is subj:
            return _speaker_span(subj)
        # Loose subject: the run of non-punctuation tokens ending at ``subj``.
        doc = self.doc
        lo = subj.i
        while (
            lo - 1 >= 0 and not (doc[lo - 1].is_punct or doc[lo - 1].is_space) and lo - 1 != cue.i
        ):
            lo -= 1
        return doc[lo].idx, subj.idx + len(subj.text)

    def _first_token_at(self, char: int) -> int | None:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None:
            # char beyond text or on whitespace: find the next token
            for t in self.doc:
                if t.idx >= char:
                    return t.i
            return None
        return span.start

    def quotations(self) -> None:
        attributed: dict[int, Token] = {}
        subjects: dict[int, Token] = {}
        for qn, q in enumerate(self.quotes):
            if not q.is_speech and not q.inner_end_punct(self.text):
                continue
            cue = self._tail_cue(q)
            if cue is None and q.is_speech:
                cue = self._lead_cue(q)
            if cue is None:
                continue
            subj = _subject(cue) or self._loose_subject(cue, q)
            if subj is None or subj.lower_ in ("i", "we"):
                continue  # the writer's own words are not an attributed claim
            attributed[qn] = cue
            subjects[qn] = subj
        merged: set[int] = set()
        for qn, q in enumerate(self.quotes):
            if qn not in attributed or qn in merged:
                continue
            cue = attributed[qn]
            subj = subjects[qn]
            start, end = q.start, q.end
            sspan = self._speaker_span_loose(subj, cue)
            # Continuations: next quotations with no attribution of their own, directly after
            # this one or after its attribution clause, up to the next unquoted sentence.
            # A quotation resuming in the same sentence (“A,” he said, “B.”) extends the claim;
            # one in a later sentence (“A,” he said. “B.”) is its own claim, same speaker.
            parts: list[tuple[int, int]] = []
            k = qn + 1
            while (
                k < len(self.quotes)
                and (k not in attributed or attributed[k].i == cue.i)
                and self.quotes[k].is_speech
            ):
                qk = self.quotes[k]
                gap_from = max(end, cue.idx + len(cue.text), sspan[1])
                gap = self.text[gap_from : qk.start]
                if len(gap) > 200 or not self._gap_is_bridge(gap_from, qk.start):
                    break
                same_sentence = "." not in gap and "\n" not in gap
                if same_sentence and not parts:
                    end = qk.end
                else:
                    parts.append((qk.start, qk.end))
                merged.add(k)
                k += 1
            conf = 0.9 if cue.lemma_.lower() in SPEECH_VERBS else 0.7
            relays = self._relays(cue)
            for n, (cs, ce) in enumerate([(start, end), *parts]):
                d = _Draft(_cue_tokens(cue), subj, sspan, (cs, ce), "quote",
                           conf if n == 0 else conf - 0.1, cue.lemma_.lower())  # fmt: skip
                d.relay_tokens = relays
                d.continuation = n > 0
                self.drafts.append(d)
            self.used_cues.add(cue.i)
            self.used_cues.update(r.head.i for r in relays)

    def _gap_is_bridge(self, a: int, b: int) -> bool:
        """Text between two quotations holds only the attribution (already consumed) and
        punctuation: no token outside quotations that starts a new unquoted clause."""
        for t in self.doc.char_span(a, b, alignment_mode="expand") or []:
            if t.is_punct or t.is_space or t.idx < a:
                continue
            # Subject words are tolerated only as part of the first quotation's attribution.
            if (t.i in self.used_cues or t.dep_ in ("nsubj", "det", "compound", "poss")) and (
                t.head.i in self.used_cues or t.i in self.used_cues
            ):
                continue
            return False
        return True

    def _relays(self, cue: Token) -> list[Token]:
        """Reporting clauses chained after this one: “…,” the statement said, TASS reported."""
        out: list[Token] = []
        seen = {cue.i}
        cur = cue
        for _ in range(3):
            nxt = None
            if (
                cur.dep_ in ("parataxis", "ccomp", "conj")
                and _is_cue(cur.head)
                and cur.head.i > cue.i
            ):
                nxt = cur.head
            else:
                for c in cur.children:
                    if c.dep_ in ("parataxis", "conj") and c.i > cur.i and _is_cue(c):
                        nxt = c
                        break
            if nxt is None or nxt.i in seen:
                break
            subj = _subject(nxt)
            if subj is None or subj.i in {s.i for s in out}:
                break
            seen.add(nxt.i)
            out.append(subj)
            cur = nxt
        # "…, the newspaper reported, citing people familiar with the matter"
        return out

    # ---- pass 2: reporting clauses -----------------------------------------------------
    def clauses(self) -> None:
        doc = self.doc
        for t in doc:
            if t.i in self.used_cues or not _is_cue(t):
                continue
            inside = self.in_speech_quote(t)
            subj = _subject(t) or _adjacent_subject(t)
            if subj is None:
                continue
            if not inside and subj.lower_ in FIRST_SECOND:
                continue  # the writer's own voice is not an attributed claim
            if inside:
                # Nested attribution at the start of a quotation (“Director X has stated that …”),
                # never a first/second person inside someone else's words.
                q = self.quotes[self.tok_quote[t.i]]
                if (
                    subj.lower_ in FIRST_SECOND
                    or subj.left_edge.idx > q.start + 2
                    or subj.idx < q.start
                ):
                    continue  # the subject must open the quotation, not stand outside it
            lemma = t.lemma_.lower()
            comp = None
            comps = [
                c
                for c in t.children
                if c.dep_ == "ccomp" and not (c.i < t.i and self.tok_quote[c.i] >= 0)
            ]
            # A clause after the verb wins over one the parser put before it ("advocate Josh
            # Matlow told …" with the title parsed as a verb).
            after = [c for c in comps if c.i > t.i]
            before = [
                c for c in comps if c.i < t.i and not (c.left_edge.i <= subj.i <= c.right_edge.i)
            ]
            if after:
                comp = after[0]
            elif comps:
                comp = comps[0]
            kind = "clause"
            negated = any(c.dep_ == "neg" for c in t.children)
            if comp is not None and negated and _starts_with_wh(comp):
                continue  # "did not say whether …" reports no claim
            if _not_reported(t, lemma, subj):
                continue
            objs_after = [c for c in t.children if c.i > t.i and c.dep_ in ("dobj", "ccomp")]
            if (
                comp is not None
                and comp.i < t.i
                and lemma not in ("tell", "inform", "assure", "remind")
            ) and any(c.dep_ == "dobj" and c.i > t.i for c in t.children):
                continue  # "…, organisers said nothing else": the object is what was said
            if comp is not None:
                cs, ce = _clause_span(comp)
                if comp.i > t.i and lemma not in DIRECTIVE_CUES:
                    # "said Thursday one of the suggestions, …, could save money": the
                    # clause's subject was parsed as the verb's object.
                    o = next(
                        (c for c in t.children if c.dep_ == "dobj" and t.i < c.i < comp.i), None
                    )
                    if o is not None and not any(
                        x.dep_ in ("nsubj", "nsubjpass") for x in comp.children
                    ):
                        cs = min(cs, _clause_span(o)[0])
                if comp.i > t.i and len(after) > 1:
                    # "said the reasons landlords have all the power is that …": the parser
                    # split one clause into sibling complements.
                    ce = max(ce, _clause_span(after[-1])[1])
                sl = subj.left_edge.i
                if comp.i > t.i and before and sl > 0 and doc[sl - 1].text in (",", "—", "--"):
                    # "A, Mr. Obama noted, that B": both halves are the reported clause.
                    cs = min(cs, _clause_span(before[0])[0])
                ce = self._cut_participle(comp, subj, cs, ce)
            elif (
                t.dep_ in ("parataxis", "ccomp")
                and lemma in PARENTHETICAL_CUES
                and _comma_before(t)
                and (h := _host_clause(t)) is not None
                and not objs_after
                and self.tok_quote[h.i] < 0
            ):
                # Clause before the cue: "The rebels are armed, the statement said." or around
                # it: "The museum, Mr. Bush said, celebrated …" (then the extent includes the cue).
                lo, hi = max(h.left_edge.i, t.sent.start), min(h.right_edge.i, t.sent.end - 1)
                if hi <= t.right_edge.i + 1:
                    hi = _clause_left(t) - 1
                if hi < lo:
                    continue
                cs, ce = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
            elif (flat := self._flat_content(t, lemma)) is not None:
                cs, ce = flat
            elif (xc := self._clausal_xcomp(t, lemma)) is not None:
                cs, ce = _clause_span(xc)
            else:
                objs = [
                    c
                    for c in t.children
                    if c.i > t.i and c.dep_ in ("dobj", "prep", "oprd", "xcomp", "attr", "advcl")
                ]
                trail = self._trailing_report(t, lemma)
                if trail is not None:
                    # "S, he said." with the parse broken: the sentence before the comma.
                    subj, (cs, ce) = trail
                elif not objs:
                    continue
                else:
                    cs, ce = _clause_span(objs[0])[0], _clause_span(objs[-1])[1]
                    if ce < len(self.text) and self.text[ce] in "'’\"”":
                        ce += 1  # the closing mark of 'deeply flawed' hangs on the verb
                    has_quote = any(ch in ALL_MARKS for ch in self.text[cs:ce]) or bool(
                        single_quoted_spans(self.text, cs, ce)
                    )
                    if has_quote and (lemma in OBJECT_CUES or lemma in SPEECH_VERBS):
                        kind = "object"
                    elif (xc := _directive(t, lemma)) is not None:
                        cs, ce = _clause_span(xc)  # "urged residents to conserve water"
                        kind = "appeal"
                    else:
                        span = self._stance_content(t, lemma)
                        if span is None:
                            continue
                        (cs, ce), kind = span
            cs, ce = _trim(self.text, cs, ce)
            if ce - cs < 3:
                continue
            conf = 0.8 if lemma in SPEECH_VERBS else 0.55
            cue_toks = _cue_tokens(t)
            if lemma == "say" and t.head.lemma_ == "as" and t.head.head.lemma_ == "quote":
                cue_toks = [t.head.head, t.head, t]  # "quoted as saying"
                lemma = "quote"
            d = _Draft(cue_toks, subj, _speaker_span(subj), (cs, ce), kind, conf, lemma)
            d.relay_tokens = self._citing(t)
            if d.relay_tokens:
                # "X reported, citing Y": Y is the speaker and X the relay.
                cited = d.relay_tokens[0]
                d.relay_tokens = [subj]
                d.subj, d.speaker_span = cited, _speaker_span(cited)
            self.drafts.append(d)
            self.used_cues.add(t.i)

    def _flat_content(self, t: Token, lemma: str) -> tuple[int, int] | None:
        """The parser hung the reporting verb on the reported clause ("McNeely said disease
        can complicate …" parsed with "said" as a modifier): the rest of the sentence, when it
        holds a finite verb, is the content."""
        if lemma not in SPEECH_VERBS or t.dep_ not in ("advmod", "amod", "compound", "nsubj",
                                                         "npadvmod", "advcl", "dep"):  # fmt: skip
            return None
        if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in t.children):
            return None
        sent = t.sent
        i = t.i + 1
        while i < sent.end and (
            self.doc[i].dep_ == "prt" or self.doc[i].lower_ == "that" or self.doc[i].is_space
        ):
            i += 1
        hi = sent.end - 1
        while hi > i and (self.doc[hi].is_punct or self.doc[hi].is_space):
            hi -= 1
        if hi - i < 2 or (self.tok_quote[i] >= 0 and self.quotes[self.tok_quote[i]].is_speech):
            return None
        span = self.doc[i : hi + 1]
        if span[0].is_punct or span[0].pos_ in ("ADP", "CCONJ"):
            return None
        if not any(x.tag_ in ("VBD", "VBZ", "VBP", "MD") for x in span):
            return None
        return span[0].idx, span[-1].idx + len(span[-1].text)

    def _trailing_report(self, t: Token, lemma: str) -> tuple[Token, tuple[int, int]] | None:
        """ "The people who stand by their partners … tend to be …, he said." parsed with
        "said" as the root: a reporting clause closing its sentence after a comma (at most a
        short object or adverbial after the verb) reports everything before the comma."""
        if lemma not in PARENTHETICAL_CUES:
            return None
        doc, sent = self.doc, t.sent
        j = t.i + 1
        tail = [x for x in doc[j : sent.end] if not (x.is_punct or x.is_space)]
        if len(tail) > 3 or any(x.pos_ in ("VERB", "AUX") for x in tail):
            return None
        if any(x.text in ALL_MARKS for x in doc[j : sent.end]):
            return None
        k = t.i - 1
        while k > sent.start and doc[k].text != "," and t.i - k <= 10:
            if doc[k].is_punct or doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD"):
                return None
            k -= 1
        if doc[k].text != "," or k - sent.start < 4 or k + 1 >= t.i:
            return None
        subj = None
        for x in doc[k + 1 : t.i]:
            if x.dep_ in ("nsubj", "nsubjpass") and x.head.i == t.i:
                subj = x
        if subj is None:
            return None
        lo = sent.start
        while lo < k and (doc[lo].is_space or doc[lo].is_punct):
            lo += 1
        if self.tok_quote[lo] >= 0 or self.tok_quote[k - 1] >= 0:
            return None  # quotations are attributed by the quotation pass
        if not any(x.tag_ in ("VBD", "VBZ", "VBP", "MD") for x in doc[lo:k]):
            return None
        return subj, (doc[lo].idx, doc[k - 1].idx + len(doc[k - 1].text))

    def _cut_participle(self, comp: Token, subj: Token, cs: int, ce: int) -> int:
        """End the reported clause before a trailing ", insisting …" of the same speaker,
        which is a claim of its own."""
        for t in comp.subtree:
            if (
                t.dep_ == "advcl"
                and t.tag_ == "VBG"
                and t.i > comp.i
                and _is_cue(t)
                and t.i > 0
                and t.doc[t.i - 1].text == ","
                and (s2 := _subject(t)) is not None
                and s2.i == subj.i
            ):
                return min(ce, t.doc[t.i - 1].idx)
        return ce

    def _clausal_xcomp(self, t: Token, lemma: str) -> Token | None:
        """ "DeBoer said having Karlsson back was a big boost": the parser made the reported
        clause a gerund complement; take it when it holds a finite verb."""
        if lemma not in SPEECH_VERBS or lemma in OBJECT_CUES or t.i + 1 >= len(t.doc):
            return None
        nxt = t.doc[t.i + 1]
        if nxt.dep_ != "xcomp" or nxt.head.i != t.i or nxt.tag_ != "VBG":
            return None
        if self.tok_quote[nxt.i] >= 0:
            return None
        finite = ("VBD", "VBZ", "VBP", "MD")
        if not any(x.tag_ in finite and x.dep_ == "ccomp" for x in nxt.subtree):
            return None
        return nxt

    def _stance_content(self, t: Token, lemma: str) -> tuple[tuple[int, int], str] | None:
        """ "X called for …": the object of "for" is the claim (an appeal)."""
        if lemma != "call" or self.in_speech_quote(t):
            return None
        p = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        if p is None or p.i != t.i + 1:
            return None
        pobj = next((c for c in p.children if c.dep_ in ("pobj", "pcomp")), None)
        return (_clause_span(pobj), "appeal") if pobj is not None else None

    def _citing(self, v: Token) -> list[Token]:
        for c in v.children:
            if c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_.lower() == "cite":
                for g in c.children:
                    if g.dep_ == "dobj":
                        return [g]
        return []

    # ---- pass 3: according to ----------------------------------------------------------
    def according(self) -> None:
        doc = self.doc
        for t in doc:
            if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
                continue
            if self.in_speech_quote(t):
                continue
            to = doc[t.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                pobj = next((c for c in t.children if c.dep_ == "pobj"), None)
            if pobj is None or pobj.lemma_.lower() in NOT_SOURCES:
                continue
            if pobj.pos_ not in ("PROPN", "NOUN", "PRON"):
                continue
            # The clause the phrase modifies, without the phrase itself.
            head = t.head if t.head is not t else t
            while head.dep_ not in ("ROOT", "ccomp", "conj", "advcl") and head.head is not head:
                head = head.head
            sent = t.sent
            a_lo, a_hi = t.i, pobj.right_edge.i
            lo, hi = head.left_edge.i, head.right_edge.i
            lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
            if a_lo <= lo:  # phrase first: "According to X, S."
                cs, ce = doc[a_hi + 1].idx if a_hi + 1 <= hi else None, doc[hi].idx + len(doc[hi])
            elif a_hi >= hi - 1:  # phrase last: "S, according to X."
                cs, ce = doc[lo].idx, doc[a_lo].idx
            else:
                cs, ce = doc[lo].idx, doc[hi].idx + len(doc[hi])
            if cs is None:
                continue
            cs, ce = _trim(self.text, cs, ce)
            if ce - cs < 3:
                continue
            d = _Draft([t, to], pobj, _speaker_span(pobj), (cs, ce), "according", 0.75,
                       "according to")  # fmt: skip
            self.drafts.append(d)

    # ---- pass 4: floating quotations ---------------------------------------------------
    def _paragraph_index(self) -> list[tuple[int, int]]:
        """(start offset, paragraph number) per line holding a letter or digit: lines of
        mere punctuation (" ." separators of some copy) do not start a paragraph."""
        out: list[tuple[int, int]] = []
        pos, n = 0, -1
        for line in self.text.split("\n"):
            if any(ch.isalnum() for ch in line):
                n += 1
                out.append((pos, n))
            pos += len(line) + 1
        return out

    def floating(self) -> None:
        """Quotations standing as sentences of their own with no reporting verb: the speaker
        is the one of the latest claim in the same or the previous paragraph (“…,” said X,
        who …. “Next quotation.”). No cue, no speaker span, lower confidence."""
        if not self.quotes:
            return
        paras = self._paragraph_index()
        starts = [a for a, _n in paras]

        def para_of(pos: int) -> int:
            i = bisect_right(starts, pos) - 1
            return paras[i][1] if i >= 0 else 0

        covered = sorted(d.content for d in self.drafts if not d.dropped)
        live = sorted(
            (d for d in self.drafts if not d.dropped and d.subj is not None),
            key=lambda d: d.content[0],
        )
        for q in self.quotes:
            if q.words < FLOATING_MIN_WORDS or (not q.closed and q.paragraphs < 2):
                continue
            if any(cs < q.end and q.start < ce for cs, ce in covered):
                continue
            if not self._sentence_like(q):
                continue
            qp = para_of(q.start)
            parent = None
            for d in live:
                if d.content[0] >= q.start:
                    break
                if para_of(d.content[0]) >= qp - 1:
                    parent = d
            i = self._first_token_at(q.start)
            if i is None:
                continue
            if parent is None:
                # Nobody quoted nearby: the person the paragraph (or the one before) names
                # last, for a quotation long enough to be someone's words.
                if q.words < 6:  # a longer one when no claim is near
                    continue
                m = next(iter(self.ents.before(q.start)), None)
                if m is None or m.label != "PERSON" or para_of(m.start) < qp - 1:
                    continue
                subj = self.doc[m.tok_end - 1]
                d = _Draft([], subj, (m.start, m.end), (q.start, q.end), "floating", 0.4, "")
            else:
                d = _Draft([], parent.subj, parent.speaker_span, (q.start, q.end), "floating",
                           0.5, "")  # fmt: skip
                d.parent = parent
            d.anchor_i = i
            d.continuation = True
            self.drafts.append(d)
            covered.append((q.start, q.end))

    def signed(self) -> None:
        """Pull quotes and embedded posts signed at the end of their paragraph:
        "… no family (here). Fouzia Al Hashish" / "… repairs. pic.twitter.com/x — BC Hydro
        (@bchydro) December 22, 2018". The paragraph before the signature is the content."""
        covered = [d.content for d in self.drafts if not d.dropped]
        pos = 0
        lines = self.text.split("\n")
        for n, line in enumerate(lines):
            start, pos = pos, pos + len(line) + 1
            body = line.rstrip()
            if len(body.split()) < 8 or body.lstrip()[:1] in "<[":
                continue
            # A paragraph of its own: a blank (or mere punctuation) line or the end follows.
            nxt = lines[n + 1] if n + 1 < len(lines) else ""
            if any(ch.isalnum() for ch in nxt):
                continue
            found = self._signature(line, start)
            if found is None:
                continue
            (cs, ce), (ss, se) = found
            cs, ce = _trim(self.text, cs, ce)
            if len(self.text[cs:ce].split()) < 6:
                continue
            if any(a < ce and cs < b for a, b in covered):
                continue
            span = self.doc.char_span(ss, se, alignment_mode="expand")
            i = self._first_token_at(cs)
            if span is None or i is None:
                continue
            d = _Draft([], span[-1], (ss, se), (cs, ce), "signed", 0.5, "")
            d.anchor_i = i
            self.drafts.append(d)
            covered.append((cs, ce))

    def _signature(self, line: str, start: int):
        m = _POST_SIGNATURE.search(line)
        if m is not None:
            return (start, start + m.start()), (start + m.start("name"), start + m.end("name"))
        # ". Name Surname" or ". Name Surname, role" closing the paragraph.
        body = line.rstrip().rstrip(".").rstrip()
        cut = max(body.rfind(". "), body.rfind(".\u201d "), body.rfind('." '), body.rfind(") "))
        if cut < 0:
            return None
        tail_at = cut + (1 if body[cut] in ".)" else 2)
        while tail_at < len(body) and body[tail_at] == " ":
            tail_at += 1
        tail = body[tail_at:]
        name = tail.split(",")[0].strip()
        if not name or len(tail.split()) > 8 or not 2 <= len(name.split()) <= 4:
            return None
        prev_word = body[:cut].split()[-1] if body[:cut].split() else ""
        abbrev = (prev_word[:1].isupper() and len(prev_word) <= 4) or "." in prev_word
        if body[cut] == "." and abbrev:
            return None  # "Gov. Mike Huckabee", "Mrs. Clinton": an abbreviation, not a sentence end
        ns = start + tail_at
        ms = [m for m in self.ents.inside(ns, ns + len(name))
              if m.label in ("PERSON", "ORG") and m.start == ns]  # fmt: skip
        if not ms or ms[0].end < ns + len(name) - 1:
            return None
        if self.text[cut + start] == ")":
            return None
        return (start, start + cut + 1), (ms[0].start, ms[0].end)

    def _sentence_like(self, q: Quote) -> bool:
        """The quotation is a sentence of its own: it opens a sentence (or follows a colon)
        and ends it (closing punctuation inside the marks, then end of sentence)."""
        before = self.text[max(0, q.start - 3) : q.start].rstrip()
        if before and before[-1] not in ".!?:\n" + ALL_MARKS + "’":
            return False
        if not q.inner_end_punct(self.text):
            return False
        after = self.text[q.end : q.end + 2].lstrip(" ")
        return not after or after[0] in ".\n" or after[0].isupper() or after[0] in ALL_MARKS

    # ---- relays, resolution, records ---------------------------------------------------
    def nest(self) -> None:
        """Outer claims whose content is mostly an inner claim become its relays."""
        drafts = sorted(self.drafts, key=lambda d: d.content[1] - d.content[0])
        for inner in drafts:
            if inner.dropped or inner.subj is None:
                continue
            s_start = inner.speaker_span[0] if inner.speaker_span else inner.content[0]
            extent = (min(s_start, inner.content[0]), max(inner.content[1], inner.cue_toks[-1].idx))
            for outer in drafts:
                if outer is inner or outer.dropped:
                    continue
                os_, oe = outer.content
                if not (os_ <= inner.cue_toks[0].idx < oe and os_ <= s_start < oe):
                    continue
                covered = min(oe, extent[1]) - max(os_, extent[0])
                if covered >= 0.7 * (oe - os_):
                    inner.relay_tokens = [outer.subj, *outer.relay_tokens, *inner.relay_tokens]
                    outer.dropped = True
                    inner.confidence = min(inner.confidence, outer.confidence)

    def build(self, article_id: str) -> list[Claim]:
        resolver = SpeakerResolver(self.ents, self.text)
        claims: list[Claim] = []
        seen: set[tuple[int, int]] = set()
        sent_n = {s.start: n for n, s in enumerate(self.doc.sents)}
        done: dict[int, tuple[str | None, Resolved]] = {}
        for d in sorted(self.drafts, key=lambda d: (d.content[0], d.cue_i)):
            if d.dropped:
                continue
            sentence = self.sent_of[d.cue_i]
            if sentence in self.title_sents:
                continue
            key = (d.content[0], d.content[1])
            if key in seen:
                continue
            seen.add(key)
            cs, ce = d.content
            if d.parent is not None and id(d.parent) in done:
                speaker, res = done[id(d.parent)]
                ss = se = None
            elif d.subj is not None and d.speaker_span is not None:
                ss, se = d.speaker_span
                res = resolver.resolve(d.subj, ss, se)
                resolver.remember(ss, res)
                speaker = self.text[ss:se]
                if d.continuation:
                    ss = se = None  # a later quotation: its speaker is not named in its sentence
            else:
                ss = se = None
                res = Resolved(None, None, None)
                speaker = None
            done[id(d)] = (speaker, res)
            via = []
            for r in d.relay_tokens:
                if r is None:
                    continue
                rs, re_ = _speaker_span(r)
                rr = resolver.resolve(r, rs, re_)
                # Named relays by canonical name, others by their head noun ("statement").
                via.append(rr.canonical or (r.text if r.pos_ == "PROPN" else r.lemma_.lower()))
            content = self.text[cs:ce]
            qtype = _quote_type(self.text, cs, ce)
            conf = d.confidence
            if res.canonical is None:
                conf -= 0.1
            cue_text = _WS.sub(" ", " ".join(t.text for t in d.cue_toks)) or None
            claims.append(
                Claim(
                    claim_id=stable_id(article_id, cs, ce, d.cue_i, length=16),
                    article_id=article_id,
                    speaker=speaker,
                    speaker_canonical=res.canonical,
                    speaker_entity_id=res.entity_id,
                    speaker_kind=res.kind,
                    cue=cue_text,
                    cue_lemma=d.cue_lemma or None,
                    content=content,
                    quote_type=qtype,
                    via=tuple(via),
                    content_start=cs,
                    content_end=ce,
                    speaker_start=ss,
                    speaker_end=se,
                    sentence=sentence,
                    confidence=round(max(0.05, min(conf, 1.0)), 2),
                )
            )
        del sent_n
        return claims


def _clause_left(t: Token) -> int:
    """First non-punctuation token of ``t``'s subtree."""
    i = t.left_edge.i
    while i < t.i and (t.doc[i].is_punct or t.doc[i].is_space):
        i += 1
    return i


DIRECTIVE_CUES = {"urge", "advise", "remind", "tell", "warn", "ask", "plead", "encourage"}


def _directive(t: Token, lemma: str) -> Token | None:
    """ "told workers to install …": the infinitive after the addressee is the claim."""
    if lemma not in DIRECTIVE_CUES:
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
            return c
    return None


def _not_reported(t: Token, lemma: str, subj: Token) -> bool:
    """Cues that report nothing: "was told he had …" (the subject is the addressee), "declined
    to say why", "higher than city reports say it is"."""
    if (
        lemma == "tell"
        and t.tag_ == "VBN"
        and not any(c.dep_ in ("dobj", "dative", "agent") for c in t.children)
    ):
        return True
    if t.dep_ == "xcomp" and t.head.lemma_.lower() in ("decline", "refuse"):
        return True
    lo = subj.left_edge.i
    return lo > 0 and t.doc[lo - 1].lower_ == "than" and subj.i < t.i


def _host_clause(t: Token) -> Token | None:
    """The clause a parenthetical cue interrupts: its head, or, when the parser hung the cue
    on a noun ("Macharia …, he said, but one person ran …"), the sentence's verb root."""
    if t.head.pos_ in ("VERB", "AUX"):
        return t.head
    root = t.sent.root
    if t.dep_ == "parataxis" and root is not t and root.pos_ in ("VERB", "AUX") and root.i > t.i:
        return root
    return None


def _comma_before(t: Token) -> bool:
    """The reporting clause is set off by a comma or dash: "…, the statement said"."""
    i = _clause_left(t)
    return i > 0 and t.doc[i - 1].text in (",", "--", "—", "–")


def _adjacent_subject(v: Token) -> Token | None:
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


def _starts_with_wh(comp: Token) -> bool:
    first = comp.doc[comp.left_edge.i]
    return first.lower_ in WH_WORDS or any(
        c.lower_ in WH_WORDS and c.i < comp.i for c in comp.children
    )


def _quote_type(text: str, s: int, e: int) -> str:
    seg = text[s:e]
    marks = [i for i, c in enumerate(seg) if c in ALL_MARKS]
    if marks:
        if marks[0] == 0 and seg.rstrip(" ,.")[-1:] in ALL_MARKS:
            return "direct"
        return "mixed"
    if single_quoted_spans(text, s, e):
        return "mixed"
    return "indirect"


def extract_claims(
    doc: Doc, ents: ArticleEntities, article_id: str, sent_of: list[int] | None = None
) -> list[Claim]:
    """All attributed claims of one parsed article, in text order."""
    if sent_of is None:
        sent_of = sentence_index(doc)
    ex = _Extractor(doc, ents, sent_of)
    ex.quotations()
    ex.clauses()
    ex.according()
    ex.nest()
    ex.signed()
    ex.floating()
    return ex.build(article_id)


def sentence_index(doc: Doc) -> list[int]:
    out = [0] * len(doc)
    for n, s in enumerate(doc.sents):
        for i in range(s.start, s.end):
            out[i] = n
    return out
