"""Scoring of extractor output against the hand-written claim cases and the newsweb gold.

Engine-independent on purpose: it reads only the public output of ``mediamon extract``
(claims: speaker, speaker_canonical, speaker_kind, cue_lemma, quote_type, via, content,
content_start, content_end; entities: text, label, start, end, canonical) and optional fields
a newer engine may add (``rule``, ``speaker_aliases``, entity ``aliases`` / ``entity_id``).

Matching (per text): every expected claim has anchors — the span of its ``content_prefix``
and of each ``content_pieces`` entry. A predicted claim matches an expected one when its
content span overlaps the prefix span (one-to-one, largest overlap first). A further predicted
claim that overlaps a *piece* the first match does not cover is the same claim split in two
(correct, not a false positive); one that only repeats covered anchors is a duplicate (false
positive). A prediction overlapping no anchor still matches a claim left unmatched when it
starts inside the sentence where that claim's content starts (a mixed quote given only by its
quoted words). Predicted claims on ``optional`` expected claims are neutral, and optional
claims do not count in recall. See ``tests/data/claim_cases/README.md`` for the data conventions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Leading words dropped before comparing names (both sides): articles, honorifics and
# titles of office. Peerage titles (Lord, Lady) are part of a name and are kept.
ARTICLES = ("the", "a", "an")
TITLES = frozenset(
    "sir dame mr mrs ms miss dr prof professor rev reverend datuk seri dato tan sri president "
    "prime minister senator sen rep representative gov governor general gen colonel col lt "
    "lieutenant major captain capt judge justice inspector ambassador commander chancellor "
    "mayor sheikh chief".split()
)
# Cue lemmas that name the same cue in different spellings (multi-word cues also match on
# their first word, so "point out" == "point").
CUE_EQUIVALENTS = {"according to": frozenset({"accord", "according"})}
# Speaker kinds that a reader cannot tell apart reliably.
KIND_CLASSES = ({"group", "anonymous"},)
# Expected kinds whose speaker is a description rather than a name: matched by containment.
DESCRIPTIVE_KINDS = frozenset({"group", "anonymous", "document"})


def normalise(text: str | None, titles: bool = False) -> str:
    """Casefolded, straight-quoted, without periods, possessive 's or leading articles
    (and leading titles when ``titles``: only for people, "General Motors" is no general)."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = s.replace("’", "'").replace("‘", "'").replace(".", "")
    s = re.sub(r"'s\b", "", s)
    words = re.sub(r"[^\w&'\-\s]", " ", s).split()
    while len(words) > 1 and (words[0] in ARTICLES or (titles and words[0] in TITLES)):
        words = words[1:]
    return " ".join(words)


def _contains(a: str, b: str) -> bool:
    """True when one word sequence contains the other."""
    if not a or not b:
        return False
    pa, pb = f" {a} ", f" {b} "
    return pa in pb or pb in pa


def predicted_names(claim: dict, entities: list[dict]) -> list[str]:
    """The names a predicted claim files its speaker under: canonical (else surface) + aliases."""
    canonical = claim.get("speaker_canonical")
    names = [canonical or claim.get("speaker") or ""]
    names += list(claim.get("speaker_aliases") or [])
    if canonical:
        for ent in entities:
            if ent.get("canonical") == canonical:
                names += list(ent.get("aliases") or [])
    return [n for n in names if n]


def speaker_ok(expected: dict, claim: dict, entities: list[dict]) -> bool:
    """Right speaker: the canonical name (or an alias) equals the expected one.

    Descriptive speakers (groups, anonymous sources, documents) match by word containment
    and must not have been turned into a person.
    """
    person = expected.get("speaker_kind") == "person"
    want = [normalise(expected.get("speaker"), person)]
    want += [normalise(a, person) for a in expected.get("speaker_also", [])]
    got = [normalise(n, person) for n in predicted_names(claim, entities)]
    if expected.get("speaker") is None:
        return not claim.get("speaker_canonical")
    if any(g and g in want for g in got):
        return True
    if expected.get("speaker_kind") in DESCRIPTIVE_KINDS and claim.get("speaker_kind") != "person":
        surfaces = [*got, normalise(claim.get("speaker"))]
        return any(_contains(w, g) for w in want for g in surfaces)
    return False


def cue_ok(expected: dict, claim: dict) -> bool:
    want = (expected.get("cue_lemma") or "").casefold().strip()
    got = (claim.get("cue_lemma") or "").casefold().strip()
    if not want:
        return True  # a floating quote has no cue of its own: any cue is accepted
    if want == got or got in CUE_EQUIVALENTS.get(want, ()):
        return True
    return bool(got) and (want.split()[0] == got or got.split()[0] == want)


def kind_ok(expected: dict, claim: dict) -> bool:
    a, b = expected.get("speaker_kind"), claim.get("speaker_kind")
    return a == b or any(a in c and b in c for c in KIND_CLASSES)


def via_ok(expected: dict, claim: dict) -> bool:
    want = [normalise(v) for v in expected.get("via", [])]
    got = [normalise(v) for v in claim.get("via") or []]
    return len(want) == len(got) and all(_contains(w, g) for w, g in zip(want, got, strict=True))


def anchors(text: str, expected: dict) -> list[tuple[int, int]]:
    """Spans of the content prefix (first) and of each further piece, found in ``text``."""
    spans = []
    for p in [expected["content_prefix"], *expected.get("content_pieces", [])]:
        i = text.find(p)
        if i < 0:
            raise ValueError(f"anchor {p!r} not in text")
        spans.append((i, i + len(p)))
    return spans


def claim_span(text: str, claim: dict) -> tuple[int, int]:
    s, e = claim.get("content_start"), claim.get("content_end")
    content = claim.get("content") or ""
    if isinstance(s, int) and isinstance(e, int) and e > s:
        return s, e
    i = text.find(content) if content else -1
    return (i, i + len(content)) if i >= 0 else (0, 0)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@dataclass
class ExpectedResult:
    expected: dict
    primary: int | None = None  # index of the predicted claim matched on the prefix
    extras: list[int] = field(default_factory=list)  # further pieces of the same claim
    speaker: bool = False
    cue: bool = False
    kind: bool = False
    via: bool = False
    quote_type: bool = False

    @property
    def optional(self) -> bool:
        return bool(self.expected.get("optional"))

    @property
    def found(self) -> bool:
        return self.primary is not None


@dataclass
class UnitResult:
    key: str
    group: str
    split: str
    text: str
    expected: list[ExpectedResult]
    predicted: list[dict]
    status: list[str]  # per predicted claim: "match" | "piece" | "neutral" | "duplicate" | "fp"


SENTENCE_END = re.compile(r"[.!?][”\"’')]*(?=\s|$)|\n")


def sentence_region(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """From the start of a prefix to the end of its sentence."""
    m = SENTENCE_END.search(text, span[1])
    return span[0], m.end() if m else len(text)


def _match_prefixes(spans, anc, results, status, owner, good) -> None:
    """One-to-one on the prefix. Among overlapping pairs, those with the right speaker win,
    then the nearest starts (two predictions of one claim: the right one is the match)."""
    pairs = sorted(
        (good(p, e), -abs(spans[p][0] - anc[e][0][0]), p, e)
        for p in range(len(spans))
        for e in range(len(anc))
        if _overlap(spans[p], anc[e][0])
    )
    for _good, _dist, p, e in reversed(pairs):
        if status[p] == "fp" and results[e].primary is None:
            results[e].primary, status[p], owner[p] = p, "match", e


def _match_pieces(spans, anc, results, status, owner) -> None:
    """Left-over predictions on any anchor: a new piece of a claim, or a duplicate."""
    for p in range(len(spans)):
        if status[p] != "fp":
            continue
        ov, e = max(
            ((max(_overlap(spans[p], a) for a in anc[e]), e) for e in range(len(anc))),
            default=(0, -1),
        )
        if not ov:
            continue
        r, owner[p] = results[e], e
        covered = [a for a in anc[e] if r.found and _overlap(spans[r.primary], a)]
        if r.primary is None:
            r.primary, status[p] = p, "match"
        elif any(_overlap(spans[p], a) and a not in covered for a in anc[e]):
            r.extras.append(p)
            status[p] = "piece"
        else:
            status[p] = "duplicate"


def _match_sentences(text, spans, anc, results, status, owner) -> None:
    """A still unmatched claim found only by its quoted part: a prediction that starts
    inside the sentence the expected content starts (e.g. only the quote of a mixed quote)."""
    for p in range(len(spans)):
        if status[p] != "fp":
            continue
        inside = [
            (spans[p][0] - anc[e][0][0], e)
            for e in range(len(anc))
            if results[e].primary is None
            and anc[e][0][0] <= spans[p][0] < sentence_region(text, anc[e][0])[1]
        ]
        if inside:
            e = min(inside)[1]
            results[e].primary, status[p], owner[p] = p, "match", e


def _assign(text: str, exp: list[dict], preds: list[dict], ents: list[dict]):
    spans = [claim_span(text, c) for c in preds]
    anc = [anchors(text, e) for e in exp]
    results = [ExpectedResult(e) for e in exp]
    status = ["fp"] * len(preds)
    owner = [-1] * len(preds)  # the expected claim each predicted one was charged to

    def good(p: int, e: int) -> bool:
        return speaker_ok(exp[e], preds[p], ents)

    _match_prefixes(spans, anc, results, status, owner, good)
    _match_pieces(spans, anc, results, status, owner)
    _match_sentences(text, spans, anc, results, status, owner)
    return results, status, owner


def score_unit(unit: dict, output: dict) -> UnitResult:
    """Match one text's predicted claims to its expected claims and grade each match."""
    text, preds = unit["text"], list(output.get("claims") or [])
    ents = list(output.get("entities") or [])
    results, status, owner = _assign(text, unit["expected"], preds, ents)
    for p, e in enumerate(owner):
        if e >= 0 and results[e].optional:
            status[p] = "neutral"
    for r in results:
        if r.primary is None:
            continue
        main = preds[r.primary]
        every = [main, *(preds[i] for i in r.extras)]
        r.speaker = all(speaker_ok(r.expected, c, ents) for c in every)
        r.cue, r.kind = cue_ok(r.expected, main), kind_ok(r.expected, main)
        r.via = via_ok(r.expected, main)
        r.quote_type = r.expected.get("quote_type") == main.get("quote_type")
    return UnitResult(unit["key"], unit["group"], unit["split"], text, results, preds, status)


@dataclass
class Tally:
    """Counts over any set of texts; ratios are computed on demand."""

    texts: int = 0
    expected: int = 0
    found: int = 0
    predicted: int = 0  # neutral predictions (on optional claims) excluded
    correct_pred: int = 0
    speaker_cue: int = 0
    speaker: int = 0
    cue: int = 0
    kind: int = 0
    via: int = 0
    quote_type: int = 0

    def add(self, u: UnitResult) -> None:
        self.texts += 1
        self.predicted += sum(s != "neutral" for s in u.status)
        self.correct_pred += sum(s in ("match", "piece") for s in u.status)
        for r in u.expected:
            if r.optional:
                continue
            self.expected += 1
            if r.found:
                self.found += 1
                self.speaker_cue += r.speaker and r.cue
                self.speaker += r.speaker
                self.cue += r.cue
                self.kind += r.kind
                self.via += r.via
                self.quote_type += r.quote_type

    def ratios(self) -> dict[str, float | None]:
        def div(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "recall": div(self.found, self.expected),
            "precision": div(self.correct_pred, self.predicted) if self.predicted else 1.0,
            "speaker_cue_of_found": div(self.speaker_cue, self.found),
            "speaker_cue_of_expected": div(self.speaker_cue, self.expected),
            "speaker_of_found": div(self.speaker, self.found),
            "cue_of_found": div(self.cue, self.found),
            "kind_of_found": div(self.kind, self.found),
            "via_of_found": div(self.via, self.found),
            "quote_type_of_found": div(self.quote_type, self.found),
        }


def name_tokens(name: str) -> frozenset[str]:
    """The words of a person's name, without titles, possessive or punctuation."""
    return frozenset(w.strip("'-") for w in normalise(name, True).split() if w.strip("'-"))


def person_fragmentation(persons: list[str], entities: list[dict]) -> list[dict]:
    """For each annotated person: the distinct entities among the PERSON mentions of them.

    A mention belongs to a person when its words are a sub-set of that person's name and of
    no other annotated person's name ("Biden" with Joe and Hunter Biden is nobody's).
    Mentions of the person typed other than PERSON are counted as ``mistyped``.
    """
    toks = {p: name_tokens(p) for p in persons}
    out = []
    for p in persons:
        ids, mistyped, surfaces = set(), 0, set()
        for ent in entities:
            t = name_tokens(ent.get("text") or "")
            if not t or not t <= toks[p] or any(t <= toks[q] for q in persons if q != p):
                continue
            if ent.get("label") == "PERSON":
                ids.add(ent.get("entity_id") or normalise(ent.get("canonical") or ent.get("text")))
                surfaces.add(ent.get("text"))
            else:
                mistyped += 1
        out.append({"person": p, "entities": sorted(ids), "mistyped": mistyped,
                    "surfaces": sorted(s for s in surfaces if s)})  # fmt: skip
    return out
