"""Selective parsing (extractors/nlp_select.py) with the real spaCy model: the word forms that
select a sentence, the selection, the copy of a parsed run into the whole Doc, and claims on
cue sentences equal to those of a full parse."""

from __future__ import annotations

import pytest

from extractors import nlp_select as ns
from extractors.analysis import analyse, fingerprint
from extractors.nlp import load_nlp

FILLER = (
    "The river rose overnight after heavy rain. Shops on the high street stayed shut. "
    "Farmers moved their cattle to higher ground on Tuesday."
)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _doc(nlp, text: str):
    return ns.parse_texts(nlp, [text], mode="selective")[0]


def _full(nlp, text: str):
    return ns.parse_texts(nlp, [text], mode="full")[0]


# ---- word forms ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "form",
    ["said", "says", "saying", "told", "denied", "denies", "noted", "warned", "accused",
     "wrote", "written", "claimed", "statement", "allegations", "according", "admitted"],
)  # fmt: skip
def test_cue_forms_select(nlp, form):
    assert form in ns.syntax_forms(nlp)


@pytest.mark.parametrize("word", ["river", "rain", "cattle", "the", "tuesday", "as", "take"])
def test_plain_words_do_not_select(nlp, word):
    assert word not in ns.syntax_forms(nlp)


def test_word_forms_run_the_rules_backwards():
    rules = {"verb": [["s", ""], ["ies", "y"], ["ed", "e"], ["ing", ""]]}
    exc = {"verb": {"said": ["say"], "went": ["go"]}}
    forms = ns.word_forms(frozenset({"say", "deny", "note"}), rules, exc)
    assert {"says", "denies", "noted", "saying", "said"} <= forms
    assert "went" not in forms


# ---- selection -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "selected"),
    [
        ("The minister said the talks would resume.", True),
        ("Talks will resume, according to the envoy.", True),
        ("“We will rebuild,” the mayor promised.", True),
        ("He went on to praise the volunteers.", True),  # an accusation/stance cue
        ("Police denied any wrongdoing.", True),
        ("The group's claim that it acted alone was doubted.", True),
        ("She went on: the budget is too small.", True),  # phrasal cue with its particle
        ("She went home early.", False),
        ("The bridge reopened at noon.", False),
        ("Prices fell sharply in March.", False),
    ],
)
def test_sentence_needs_syntax(nlp, sentence, selected):
    doc = _doc(nlp, f"{FILLER}\n\n{sentence}")
    bounds = ns.sentence_bounds(doc)
    flags = ns.needs_syntax(doc, bounds, ns.syntax_forms(nlp))
    last = [n for n, (a, _b) in enumerate(bounds) if doc[a].idx >= len(FILLER)]
    assert last and any(flags[n] for n in last) is selected
    assert not any(flags[n] for n in range(len(bounds)) if n not in last)


@pytest.mark.parametrize(
    "quote",
    ['"The dam held. The town is safe. Nobody was hurt."',
     "“The dam held. The town is safe. Nobody was hurt.”"],
)  # fmt: skip
def test_quotation_selects_the_sentences_of_its_marks(nlp, quote):
    text = f"Rain fell. {quote} Roads flooded."
    doc = _doc(nlp, text)
    bounds = ns.sentence_bounds(doc)
    flags = ns.needs_syntax(doc, bounds, ns.syntax_forms(nlp))
    by_text = {doc[a:b].text.strip(' "“”'): f for (a, b), f in zip(bounds, flags, strict=True)}
    assert by_text == {"Rain fell.": False, "The dam held.": True, "The town is safe.": False,
                       "Nobody was hurt.": True, "Roads flooded.": False}  # fmt: skip


def test_neighbours_and_runs():
    assert ns.with_neighbours([False, False, True, False, False], 1, 1) == [
        False, True, True, True, False,
    ]  # fmt: skip
    assert ns.with_neighbours([False, False, True, False, False], 1, 0) == [
        False, True, True, False, False,
    ]  # fmt: skip
    assert ns.with_neighbours([True, False, False], 0, 0) == [True, False, False]
    bounds = [(0, 3), (3, 7), (7, 9), (9, 12)]
    assert ns.runs(bounds, [True, True, False, True]) == [(0, 7), (9, 12)]
    assert ns.runs(bounds, [False] * 4) == []


# ---- copying back ----------------------------------------------------------------------------
def test_copy_back_at_offset_equals_full_parse(nlp):
    cue = "The foreign minister, Anna Kovacs, said on Monday that the border would stay open."
    text = f"{FILLER}\n\n{FILLER}\n\n{cue}"
    sel, full = _doc(nlp, text), _full(nlp, text)
    assert [t.text for t in sel] == [t.text for t in full]
    start = next(t.i for t in sel if t.idx == text.index(cue))
    for a, b in zip(sel[start:], full[start:], strict=True):
        assert (a.tag_, a.pos_, a.lemma_, a.dep_, a.head.i, str(a.morph)) == (
            b.tag_, b.pos_, b.lemma_, b.dep_, b.head.i, str(b.morph),
        )  # fmt: skip
    said = next(t for t in sel if t.text == "said")
    assert said.dep_ == "ROOT" and {c.dep_ for c in said.children} >= {"nsubj", "ccomp"}


def test_unselected_sentences_keep_boundaries_and_entities(nlp):
    text = (
        "Heavy rain hit Lisbon on Monday. Trains to Porto were cancelled.\n\n"
        "Maria Santos said the line would reopen."
    )
    sel, full = _doc(nlp, text), _full(nlp, text)
    first = next(sel.sents)  # the second sentence is the cue sentence's neighbour
    assert first.text.startswith("Heavy") and ns.NEIGHBOURS_BEFORE == 1
    assert all(t.dep_ == "" and t.tag_ == "" for t in first if not t.is_space)
    assert [s.text.strip() for s in sel.sents][:2] == [s.text.strip() for s in full.sents][:2]
    assert [(e.text, e.label_) for e in sel.ents] == [(e.text, e.label_) for e in full.ents]
    sent = next(s for s in sel.sents if "Maria" in s.text)
    assert sent.root.text == "said"


def test_text_without_cues_gets_no_syntax(nlp):
    doc = _doc(nlp, FILLER)
    assert not doc.has_annotation("DEP") and len(list(doc.sents)) == 3


def test_components_per_stage(nlp):
    assert ns.whole_text_components(nlp) == ["senter", "mediamon_newline_sentences", "ner"]
    assert ns.syntax_components(nlp) == [
        "tok2vec", "tagger", "mediamon_newline_sentences", "parser", "attribute_ruler",
        "lemmatizer",
    ]  # fmt: skip


def test_unknown_mode_is_an_error(nlp):
    with pytest.raises(ValueError, match="unknown parsing mode"):
        ns.parse_texts(nlp, ["x"], mode="fast")


def test_fingerprint_tells_the_modes_apart(nlp):
    assert fingerprint(nlp, "full") != fingerprint(nlp, "selective")


# ---- claims: selective equals full on cue sentences ------------------------------------------
CONSTRUCTIONS = [
    # quotation + tail cue
    "“We will not back down,” the minister, Anna Kovacs, said.",
    "“The numbers are wrong,” said Peter Lund, a statistician at the bureau.",
    # reporting clause
    "The health ministry said on Tuesday that 40 people had been taken to hospital.",
    "Opposition leader Mark Ruiz told reporters the budget would fail.",
    # according to
    "Turnout reached 61 percent, according to the electoral commission.",
    # inverted cue after indirect speech
    "Talks would resume next week, added the envoy, Marco Ruiz.",
    # accusation and denial
    "Ankara has accused Athens of violating the airspace, the Anadolu agency said.",
    "The army denied that civilians were hit.",
    # pronoun whose antecedent is the subject of the sentence before
    "Governor Lisa Moreno visited the flooded towns on Friday. She said aid would arrive soon.",
]


def _claims(text: str, mode: str) -> list[tuple]:
    (a,) = list(analyse(load_nlp(), [("t", text, "en")], parsing=mode))
    assert a.status == "ok", a.error
    return sorted((c.speaker_canonical, c.cue_lemma, c.content, c.rule, c.via) for c in a.claims)


@pytest.mark.parametrize("sentence", CONSTRUCTIONS)
def test_claims_on_cue_sentences_equal_full_parse(sentence):
    text = f"{FILLER}\n\n{sentence}\n\n{FILLER}"
    full = _claims(text, "full")
    assert full, "the construction yields a claim with full parsing"
    assert _claims(text, "selective") == full


def test_full_parsing_is_the_default_and_keeps_its_fingerprint():
    text = f"{FILLER} The mayor said the bridge was safe."
    (a,) = list(analyse(load_nlp(), [("t", text, "en")]))
    assert a.fingerprint == fingerprint(load_nlp(), "full") != fingerprint(load_nlp(), "selective")
    assert [c.cue_lemma for c in a.claims] == ["say"]
