"""The claim evaluation data is well formed: construction cases and the newsweb gold.

Data validation only (schema, anchors, ids, split ratio); the engine's figures are measured
by ``bench/eval_cases.py`` and have no floors here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import NEWSWEB, newsweb_manifest

DATA = Path(__file__).resolve().parent / "data"
CASES = DATA / "claim_cases"
GOLD = DATA / "claim_gold_newsweb.jsonl"

KINDS = {"person", "organisation", "place", "document", "anonymous", "group"}
QUOTE_TYPES = {"direct", "indirect", "mixed"}
SPLITS = {"dev", "heldout"}
REQUIRED = {"speaker", "speaker_kind", "cue_lemma", "quote_type", "via", "content_prefix"}
OPTIONAL_CASE = {"content_pieces", "speaker_also"}
OPTIONAL_GOLD = OPTIONAL_CASE | {"optional", "speaker_surface"}
MIN_CASES_PER_FILE = 10
HELDOUT_SHARE = (0.25, 0.40)  # about a third of each file is held out


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


CASE_FILES = sorted(CASES.glob("*.jsonl"))


def _check_claim(claim: dict, text: str, allowed: set[str], where: str) -> None:
    assert claim.keys() >= REQUIRED, f"{where}: missing {REQUIRED - claim.keys()}"
    unknown = claim.keys() - REQUIRED - allowed
    assert not unknown, f"{where}: unknown fields {unknown}"
    assert claim["speaker"] is None or (isinstance(claim["speaker"], str) and claim["speaker"])
    assert claim["speaker_kind"] in KINDS, where
    assert claim["cue_lemma"] is None or (claim["cue_lemma"] and claim["cue_lemma"].islower())
    assert claim["quote_type"] in QUOTE_TYPES, where
    assert isinstance(claim["via"], list) and all(isinstance(v, str) and v for v in claim["via"])
    for key in ("content_pieces", "speaker_also"):
        assert all(isinstance(v, str) and v for v in claim.get(key, [])), f"{where}: {key}"
    for anchor in [claim["content_prefix"], *claim.get("content_pieces", [])]:
        # exactly once: the scorer locates the content by this anchor
        assert text.count(anchor) == 1, f"{where}: {anchor!r} occurs {text.count(anchor)} times"


def test_every_construction_has_a_file() -> None:
    assert len(CASE_FILES) >= 20, [p.name for p in CASE_FILES]
    assert (CASES / "README.md").is_file()


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_construction_file(path: Path) -> None:
    rows = _rows(path)
    assert len(rows) >= MIN_CASES_PER_FILE, len(rows)
    for row in rows:
        assert row.keys() <= {"id", "text", "split", "expected", "note"}, row["id"]
        assert row["split"] in SPLITS, row["id"]
        assert isinstance(row["text"], str) and row["text"].strip(), row["id"]
        for claim in row["expected"]:
            _check_claim(claim, row["text"], OPTIONAL_CASE, row["id"])
    heldout = sum(r["split"] == "heldout" for r in rows) / len(rows)
    assert HELDOUT_SHARE[0] <= heldout <= HELDOUT_SHARE[1], heldout


def test_case_ids_are_unique_across_files() -> None:
    ids = Counter(r["id"] for p in CASE_FILES for r in _rows(p))
    assert not [i for i, n in ids.items() if n > 1]


def test_negative_cases_exist() -> None:
    negatives = [r for p in CASE_FILES for r in _rows(p) if not r["expected"]]
    assert len(negatives) >= 15
    assert {r["split"] for r in negatives} == SPLITS


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    if not NEWSWEB.exists():
        pytest.fail(f"shared data missing: {NEWSWEB} (CI provides ../shared beside the repo)")
    return {
        r["id"]: r["truth"]["body"]
        for r in newsweb_manifest()
        if r.get("lang") == "en" and (r.get("truth") or {}).get("body")
    }


def test_gold_pages_exist_and_anchors_occur_in_their_body(bodies: dict[str, str]) -> None:
    rows = _rows(GOLD)
    assert len(rows) >= 25
    for row in rows:
        assert row.keys() <= {"page_id", "split", "claims", "persons", "note"}, row["page_id"]
        assert row["page_id"] in bodies, f"{row['page_id']}: not an English page with a body"
        assert row["split"] in SPLITS
        for claim in row["claims"]:
            assert "speaker_surface" in claim, row["page_id"]
            _check_claim(claim, bodies[row["page_id"]], OPTIONAL_GOLD, row["page_id"])
            assert claim.get("optional", False) in (True, False)
            assert claim["speaker"] is not None or claim.get("optional"), row["page_id"]


def test_gold_ids_persons_and_split() -> None:
    rows = _rows(GOLD)
    pages = Counter(r["page_id"] for r in rows)
    assert not [p for p, n in pages.items() if n > 1]
    for row in rows:
        persons = row["persons"]
        assert all(isinstance(p, str) and p.strip() for p in persons), row["page_id"]
        assert len(set(persons)) == len(persons), row["page_id"]
    heldout = sum(r["split"] == "heldout" for r in rows) / len(rows)
    assert HELDOUT_SHARE[0] <= heldout <= HELDOUT_SHARE[1], heldout
