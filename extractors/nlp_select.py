"""Selective parsing: syntax only where the claims engine reads it.

The tagger, parser, attribute ruler and lemmatizer cost most of the full pipeline, yet the
claims engine reads their output only around reporting cues and quotations. Selective parsing:

1. runs the sentence splitter (``senter``, shipped disabled in ``en_core_web_sm``), the
   paragraph rule and NER over the whole text (what every extractor reads);
2. selects the sentences that hold a word form of a cue lemma (not after a determiner, not
   capitalised inside a sentence), the first or last mark of a quotation, "according", or a
   person's name the entity rules must check by its tag, plus ``NEIGHBOURS_BEFORE``
   sentences before each (a pronoun's antecedent is the subject of an earlier sentence);
3. runs the syntax components over the selected runs of sentences only, each run as a small
   ``Doc`` of the same tokens, and copies tags, lemmas, morphology, the dependency tree and the
   parser's sentence starts back into the whole ``Doc`` at the run's token offset.

Unselected sentences keep the splitter's boundaries and the model's entities, and have no
tags, lemmas or dependencies. ``parse_texts(..., mode="full")`` runs the whole pipeline, for
comparisons. The measured effect on throughput and claim quality is in ``bench/README.md``.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc

from extractors.claims import lexicon as lx
from extractors.entities.words import HONORIFICS
from extractors.nlp import PARAGRAPH_COMPONENT
from extractors.quotes import find_quotes

# ---- data ------------------------------------------------------------------------------------
MODES = ("selective", "full")
# Full parsing by default: selective parsing saved only 1.09x CPU on news copy (~80 % of its
# tokens need syntax) and cost one claim of 126 on the newsweb held-out gold (bench/README.md).
DEFAULT_MODE = "full"
SENTENCE_SPLITTER = "senter"
# Components run over the selected runs only; every other active one (NER, the paragraph
# rule) runs over the whole text, in pipeline order, the splitter before the paragraph rule (a
# line break always ends a sentence). The paragraph rule runs over the runs too: a run is a
# fresh Doc whose parser must keep the same line-break starts as on the whole text.
RUN_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer",
                  PARAGRAPH_COMPONENT)  # fmt: skip
# Sentences before / after a selected one that are parsed too (a pronoun's antecedent is the
# subject of an earlier sentence; a cue after a quotation selects its own sentence).
NEIGHBOURS_BEFORE = 1
NEIGHBOURS_AFTER = 0
# Lemmas whose word forms make a sentence need syntax: every cue of the claims engine, the
# nouns of light-verb cues ("claimed responsibility") and the speech nouns ("the claim that").
# Phrasal cues select only with their particle ("went on"), "quoted as" by "quoted".
SYNTAX_LEMMAS = (
    lx.CUE_LEMMAS
    | frozenset(noun for _verb, noun in lx.LIGHT_VERB_CLAIMS)
    | lx.SPEECH_NOUNS
    | frozenset(lx.SPEECH_NOUN_VERBS)
)
SYNTAX_WORDS = frozenset({"according"})  # word forms that select a sentence as they are
# A cue form after one of these is a noun ("the report", "its support") and selects only with
# a that-clause right after it ("the claim that …", the speech-noun rule).
NOUN_MARKERS = frozenset({"the", "a", "an", "this", "these", "those", "his", "her", "its",
                          "their", "our", "my", "your", "whose"})  # fmt: skip
COMPLEMENTISER = "that"
SKIP_NAMES = True  # a capitalised cue form inside a sentence is a name ("United States")
QUOTE_EDGES_ONLY = True  # a quotation selects the sentences of its marks, not those inside
# The entity rules read part-of-speech tags where a person the model named in the article
# reappears untagged ("Farrant denied …") or a name follows a form of address ("Dame Ottilie
# Marsh"): such sentences are selected too (tags come with the syntax).
PERSON_LABEL = "PERSON"
ADDRESS_FORMS = HONORIFICS
# Parts of speech whose inflection rules and irregular forms give a lemma's word forms.
FORM_POS = ("verb", "noun")
ATTRS = [TAG, POS, MORPH, LEMMA, HEAD, DEP]  # copied from a parsed run into the whole Doc


def selection_key() -> str:
    """A short digest of the selection data, for fingerprints (changes whenever it does)."""
    data = (NEIGHBOURS_BEFORE, NEIGHBOURS_AFTER, sorted(SYNTAX_LEMMAS), sorted(SYNTAX_WORDS),
            sorted(NOUN_MARKERS), COMPLEMENTISER, SKIP_NAMES, QUOTE_EDGES_ONLY,
            RUN_COMPONENTS, sorted(ADDRESS_FORMS))  # fmt: skip
    return hashlib.blake2b(repr(data).encode(), digest_size=4).hexdigest()


# ---- cue word forms --------------------------------------------------------------------------
def word_forms(lemmas: frozenset[str], rules: dict, exceptions: dict) -> frozenset[str]:
    """Every form the lemmatizer maps to one of ``lemmas``: its suffix rules run backwards
    (``["ed", ""]``: say -> sayed, a harmless extra) plus its irregular forms (said, told)."""
    out = set(lemmas)
    for pos in FORM_POS:
        for lemma in lemmas:
            for old, new in rules.get(pos, []):
                if lemma.endswith(new):
                    out.add(lemma[: len(lemma) - len(new)] + old)
        for form, targets in exceptions.get(pos, {}).items():
            if any(t in lemmas for t in targets):
                out.add(form)
    return frozenset(out)


def _phrasal_forms(rules: dict, exceptions: dict) -> dict[str, str]:
    """Word form of a phrasal cue's verb -> its particle ("went" -> "on")."""
    out = {}
    for verb, particle in lx.PHRASAL_CUES.items():
        for form in word_forms(frozenset({verb}), rules, exceptions):
            out[form] = particle
    return out


@dataclass(frozen=True)
class CueForms:
    """Lower-case word forms that select a sentence, and the phrasal cues' verb forms with
    their particle ("went" -> "on")."""

    words: frozenset[str]
    phrasal: dict[str, str] = field(default_factory=dict)

    def __contains__(self, form: str) -> bool:
        return form in self.words


@lru_cache(maxsize=4)
def syntax_forms(nlp: Language) -> CueForms:
    """The selecting word forms, from the model's own lemmatizer tables."""
    lookups = nlp.get_pipe("lemmatizer").lookups
    rules = lookups.get_table("lemma_rules")
    exc = lookups.get_table("lemma_exc")
    tables = {pos: rules.get(pos, []) for pos in FORM_POS}
    excs = {pos: exc.get(pos, {}) for pos in FORM_POS}
    words = word_forms(SYNTAX_LEMMAS, tables, excs) | SYNTAX_WORDS
    return CueForms(words, _phrasal_forms(tables, excs))


# ---- selection -------------------------------------------------------------------------------
def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in doc.sents]


def needs_syntax(doc: Doc, bounds: list[tuple[int, int]], forms: CueForms) -> list[bool]:
    """Per sentence: it holds a selecting word form or part of a quotation."""
    names = _person_words(doc)
    out = [
        any(_selects(doc, i, forms, a) or _entity_needs(doc, i, names) for i in range(a, b))
        for a, b in bounds
    ]
    quotes = find_quotes(doc.text)
    if quotes:
        starts = [doc[a].idx for a, _b in bounds]
        for q in quotes:
            first = bisect_right(starts, q.start) - 1
            last = bisect_right(starts, max(q.start, q.end - 1)) - 1
            picked = (first, last) if QUOTE_EDGES_ONLY else range(first, last + 1)
            for n in picked:
                out[max(0, n)] = True
    return out


def _selects(doc: Doc, i: int, forms: CueForms, first: int) -> bool:
    """Token ``i`` (of a sentence starting at ``first``) makes its sentence need syntax."""
    t = doc[i]
    low = t.lower_
    if low in forms.words:
        if SKIP_NAMES and i > first and t.text[:1].isupper():
            return False
        after = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        return i == first or doc[i - 1].lower_ not in NOUN_MARKERS or after == COMPLEMENTISER
    particle = forms.phrasal.get(low)
    return particle is not None and i + 1 < len(doc) and doc[i + 1].lower_ == particle


def _person_words(doc: Doc) -> frozenset[str]:
    """Capitalised words of the model's person names in ``doc``, lower case."""
    return frozenset(
        t.lower_ for e in doc.ents if e.label_ == PERSON_LABEL for t in e if t.text[:1].isupper()
    )


def _entity_needs(doc: Doc, i: int, names: frozenset[str]) -> bool:
    """A capitalised word outside the model's entities that is a known person's word, or a
    capitalised word after a form of address: the entity rules read its tag."""
    t = doc[i]
    if t.ent_iob_ != "O" or not t.text[:1].isupper():
        return False
    if t.lower_ in names:
        return True
    return i > 0 and doc[i - 1].lower_.rstrip(".") in ADDRESS_FORMS


def with_neighbours(selected: list[bool], before: int, after: int) -> list[bool]:
    """``selected`` widened by ``before`` sentences before and ``after`` after each."""
    out = list(selected)
    for n, sel in enumerate(selected):
        if sel:
            for k in range(max(0, n - before), min(len(selected), n + after + 1)):
                out[k] = True
    return out


def runs(bounds: list[tuple[int, int]], selected: list[bool]) -> list[tuple[int, int]]:
    """Token ranges of consecutive selected sentences."""
    out: list[tuple[int, int]] = []
    for (a, b), sel in zip(bounds, selected, strict=True):
        if not sel:
            continue
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def select_runs(doc: Doc, forms: CueForms) -> list[tuple[int, int]]:
    """The token ranges of ``doc`` (split into sentences) that get syntax."""
    bounds = sentence_bounds(doc)
    selected = needs_syntax(doc, bounds, forms)
    return runs(bounds, with_neighbours(selected, NEIGHBOURS_BEFORE, NEIGHBOURS_AFTER))


# ---- copying a parsed run back ---------------------------------------------------------------
def copy_back(doc: Doc, parsed: Sequence[tuple[int, Doc]]) -> Doc:
    """Write the syntax of each ``(offset, run)`` into ``doc`` at the run's token offset.

    Sentence starts inside a run are the parser's; elsewhere the splitter's stay."""
    if not parsed:
        return doc
    starts = doc.to_array([SENT_START]).astype("int64")
    values = np.zeros((len(doc), len(ATTRS)), dtype="uint64")
    for offset, run in parsed:
        end = offset + len(run)
        values[offset:end] = run.to_array(ATTRS)
        starts[offset:end] = run.to_array([SENT_START]).astype("int64")
    doc.from_array(ATTRS, values)
    # Setting heads recomputes sentence starts from the trees (none outside the runs).
    doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
    return doc


# ---- the pipeline ----------------------------------------------------------------------------
def whole_text_components(nlp: Language) -> list[str]:
    """The components run over every token, in order: the splitter, then the active ones
    not in ``RUN_COMPONENTS`` (the splitter right before the paragraph rule)."""
    names = [n for n in nlp.pipe_names if n not in RUN_COMPONENTS or n == PARAGRAPH_COMPONENT]
    at = names.index(PARAGRAPH_COMPONENT) if PARAGRAPH_COMPONENT in names else len(names)
    return [*names[:at], SENTENCE_SPLITTER, *names[at:]]


def syntax_components(nlp: Language) -> list[str]:
    """The active components run over the selected runs, in pipeline order."""
    return [n for n in nlp.pipe_names if n in RUN_COMPONENTS]


def parse_texts(
    nlp: Language, texts: Sequence[str], batch_size: int = 32, mode: str = DEFAULT_MODE
) -> list[Doc]:
    """Parsed ``Doc`` per text, fully (``mode="full"``) or selectively."""
    if mode == "full":
        return list(nlp.pipe(texts, batch_size=batch_size))
    if mode != "selective":
        raise ValueError(f"unknown parsing mode {mode!r} (one of {', '.join(MODES)})")
    docs: list[Doc] = [nlp.make_doc(t) for t in texts]
    for name in whole_text_components(nlp):
        docs = list(_pipe(nlp, name, docs, batch_size))
    forms = syntax_forms(nlp)
    jobs = [(k, a, b) for k, doc in enumerate(docs) for a, b in select_runs(doc, forms)]
    pieces: list[Doc] = [_fresh(nlp, docs[k], a, b) for k, a, b in jobs]
    for name in syntax_components(nlp):
        pieces = list(_pipe(nlp, name, pieces, batch_size))
    by_doc: dict[int, list[tuple[int, Doc]]] = {}
    for (k, a, _b), piece in zip(jobs, pieces, strict=True):
        by_doc.setdefault(k, []).append((a, piece))
    return [copy_back(doc, by_doc.get(k, [])) for k, doc in enumerate(docs)]


def _fresh(nlp: Language, doc: Doc, start: int, end: int) -> Doc:
    """The tokens ``start:end`` as a new Doc with no annotation (the parser sets its own
    sentence starts, as on the whole text)."""
    toks = doc[start:end]
    return Doc(nlp.vocab, words=[t.text for t in toks], spaces=[bool(t.whitespace_) for t in toks])


def _pipe(nlp: Language, name: str, docs: list[Doc], batch_size: int) -> Iterator[Doc]:
    if name not in nlp.component_names:
        raise ValueError(f"selective parsing needs the model's {name!r} component")
    proc = nlp.get_pipe(name)
    if hasattr(proc, "pipe"):
        return proc.pipe(docs, batch_size=batch_size)
    return (proc(d) for d in docs)
