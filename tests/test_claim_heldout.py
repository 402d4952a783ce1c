"""Held-out construction cases (tests/data/claim_rules_heldout.jsonl): written before the
engine was tuned and never tuned on. The test reports the share of expected claims found with
the right speaker, cue, type and relays, and fails below HELDOUT_FLOOR (set before the first
run; never lowered)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.claim_table import claims_of

CASES = Path(__file__).parent / "data" / "claim_rules_heldout.jsonl"
HELDOUT_FLOOR = 0.75


def _matches(exp: dict, c) -> bool:
    if "speaker_canonical" in exp and exp["speaker_canonical"] != c.speaker_canonical:
        return False
    if "speaker_kind" in exp and exp["speaker_kind"] != c.speaker_kind:
        return False
    if exp["cue_lemma"] != c.cue_lemma or exp["quote_type"] != c.quote_type:
        return False
    want = [v.casefold() for v in exp.get("via", [])]
    got = [v.casefold() for v in c.via]
    return len(want) == len(got) and all(w in g for w, g in zip(want, got, strict=True))


def score() -> tuple[int, int, list[str]]:
    hit = total = 0
    misses = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        claims = claims_of(case["text"])
        if not case["expected"]:
            total += 1
            hit += not claims
            if claims:
                misses.append(f"{case['id']}: unexpected {[(c.rule, c.speaker) for c in claims]}")
            continue
        for exp in case["expected"]:
            total += 1
            if any(_matches(exp, c) for c in claims):
                hit += 1
            else:
                got = [(c.rule, c.speaker_canonical, c.speaker_kind, c.cue_lemma, c.quote_type,
                        c.via) for c in claims]  # fmt: skip
                misses.append(f"{case['id']}: want {exp}, got {got}")
    return hit, total, misses


def test_heldout_cases() -> None:
    hit, total, misses = score()
    print(f"held-out construction cases: {hit}/{total} = {hit / total:.2f}")
    for m in misses:
        print("  miss", m)
    assert total >= 30
    assert hit / total >= HELDOUT_FLOOR, misses
