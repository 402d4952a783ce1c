"""The scorer of bench/eval_cases.py: name comparison, claim matching, person fragmentation.

Predictions here are hand-written dicts in the public ``mediamon extract`` shape, so these
tests pin the scoring rules, not any engine's behaviour.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.case_scoring import (  # noqa: E402
    cue_ok,
    normalise,
    person_fragmentation,
    score_unit,
    speaker_ok,
)


def _exp(speaker, prefix, kind="person", cue="say", **more) -> dict:
    return {"speaker": speaker, "speaker_kind": kind, "cue_lemma": cue, "quote_type": "direct",
            "via": [], "content_prefix": prefix, **more}  # fmt: skip


def _pred(text, content, speaker=None, canonical=None, kind="person", cue="say") -> dict:
    start = text.index(content)
    return {"speaker": speaker, "speaker_canonical": canonical, "speaker_kind": kind,
            "cue_lemma": cue, "quote_type": "direct", "via": [], "content": content,
            "content_start": start, "content_end": start + len(content)}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "titles", "expected"),
    [
        ("Sir Edmund Hale", True, "edmund hale"),
        ("Prime Minister Sir Edmund Hale", True, "edmund hale"),
        ("the Committee to Protect Journalists", False, "committee to protect journalists"),
        ("General Motors", False, "general motors"),
        ("Lebanon’s health ministry", False, "lebanon health ministry"),
        ("U.S. Census Bureau", False, "us census bureau"),
    ],
)
def test_normalise(text: str, titles: bool, expected: str) -> None:
    assert normalise(text, titles) == expected


@pytest.mark.parametrize(
    ("expected", "claim", "ok"),
    [
        (_exp("Anna Kovacs", "x"), {"speaker": "the minister", "speaker_canonical": None}, False),
        (_exp("Anna Kovacs", "x"), {"speaker": "Kovacs", "speaker_canonical": "Anna Kovacs"}, True),
        (_exp("Anna Kovacs", "x"), {"speaker": "Kovacs", "speaker_canonical": "Kovacs"}, False),
        (_exp("Committee to Protect Journalists", "x", "organisation", speaker_also=["CPJ"]),
         {"speaker": "CPJ", "speaker_canonical": "CPJ"}, True),
        (_exp("prosecutors", "x", "group"),
         {"speaker": "Prosecutors", "speaker_canonical": None, "speaker_kind": "anonymous"}, True),
        (_exp("prosecutors", "x", "group"),
         {"speaker": "Prosecutors", "speaker_canonical": "Viktor Lenz", "speaker_kind": "person"},
         False),
        (_exp("Edmund Hale", "x"),
         {"speaker": "Sir Edmund", "speaker_canonical": "Edmund",
          "speaker_aliases": ["Edmund Hale"]},
         True),
    ],
)  # fmt: skip
def test_speaker_ok(expected: dict, claim: dict, ok: bool) -> None:
    assert speaker_ok(expected, claim, []) is ok


@pytest.mark.parametrize(
    ("want", "got", "ok"),
    [("say", "say", True), ("say", "quote", False), ("point out", "point", True),
     ("according to", "accord", True), (None, "say", True), ("deny", None, False)],
)  # fmt: skip
def test_cue_ok(want: str | None, got: str | None, ok: bool) -> None:
    assert cue_ok({"cue_lemma": want}, {"cue_lemma": got}) is ok


TEXT = "“We are ready to talk,” Petra Novak said, “but not under threats.” It rained."
UNIT = {"key": "k", "group": "g", "split": "dev", "text": TEXT,
        "expected": [_exp("Petra Novak", "We are ready to talk",
                          content_pieces=["but not under threats"])]}  # fmt: skip


def test_a_split_quote_given_as_two_claims_is_one_claim_found() -> None:
    preds = [_pred(TEXT, "“We are ready to talk,”", "Petra Novak", "Petra Novak"),
             _pred(TEXT, "“but not under threats.”", "Petra Novak", "Petra Novak")]  # fmt: skip
    u = score_unit(UNIT, {"claims": preds, "entities": []})
    assert u.status == ["match", "piece"]
    assert u.expected[0].found and u.expected[0].speaker and u.expected[0].cue


def test_a_wrong_speaker_on_a_piece_makes_the_claim_wrong() -> None:
    preds = [_pred(TEXT, "“We are ready to talk,”", "Petra Novak", "Petra Novak"),
             _pred(TEXT, "“but not under threats.”", "he", "Karel Dvorak")]  # fmt: skip
    u = score_unit(UNIT, {"claims": preds, "entities": []})
    assert u.expected[0].found and not u.expected[0].speaker


def test_a_repeated_claim_is_a_duplicate_and_a_stray_one_a_false_positive() -> None:
    preds = [_pred(TEXT, "“We are ready to talk,”", "Petra Novak", "Petra Novak"),
             _pred(TEXT, "We are ready", "the statement", None, "document"),
             _pred(TEXT, "It rained.", "Petra Novak", "Petra Novak")]  # fmt: skip
    u = score_unit(UNIT, {"claims": preds, "entities": []})
    assert u.status == ["match", "duplicate", "fp"]


def test_a_mixed_quote_found_by_its_quoted_words_only_matches() -> None:
    text = 'The administration has "corrected an injustice", Netanyahu said. Later it rained.'
    unit = {"key": "k", "group": "g", "split": "dev", "text": text,
            "expected": [_exp("Benjamin Netanyahu", "The administration has")]}  # fmt: skip
    pred = _pred(text, '"corrected an injustice"', "Netanyahu", "Benjamin Netanyahu")
    u = score_unit(unit, {"claims": [pred], "entities": []})
    assert u.status == ["match"] and u.expected[0].speaker


def test_claims_on_optional_expected_claims_are_neutral() -> None:
    unit = {**UNIT, "expected": [{**UNIT["expected"][0], "optional": True}]}
    pred = _pred(TEXT, "“We are ready to talk,”", "nobody", None, "anonymous")
    u = score_unit(unit, {"claims": [pred], "entities": []})
    assert u.status == ["neutral"]


def test_person_fragmentation_counts_entities_of_sub_names_only() -> None:
    persons = ["Joe Biden", "Hunter Biden", "Gordon Sondland"]
    ents = [{"text": "Gordon Sondland", "label": "PERSON", "canonical": "Gordon Sondland"},
            {"text": "Sondland", "label": "PERSON", "canonical": "Sondland"},
            {"text": "Ambassador Sondland", "label": "PERSON", "canonical": "Gordon Sondland"},
            {"text": "Sondland", "label": "GPE", "canonical": "Sondland"},
            {"text": "Biden", "label": "PERSON", "canonical": "Biden"},
            {"text": "Joe Biden", "label": "PERSON", "canonical": "Joe Biden"}]  # fmt: skip
    rows = {r["person"]: r for r in person_fragmentation(persons, ents)}
    assert rows["Gordon Sondland"]["entities"] == ["gordon sondland", "sondland"]
    assert rows["Gordon Sondland"]["mistyped"] == 1
    assert rows["Joe Biden"]["entities"] == ["joe biden"]  # "Biden" alone is ambiguous
    assert rows["Hunter Biden"]["entities"] == []
