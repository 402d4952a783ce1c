#!/usr/bin/env python3
"""Entity construction cases: one short text per line with what its entities must be.

    uv run python bench/entity_cases.py [--set dev|heldout|all] [--errors]

Cases live in ``tests/entity_cases/{dev,heldout}.jsonl`` (fictional names). ``dev`` is tuned
on (``tests/test_entity_cases.py`` requires every dev case to pass); ``heldout`` is never tuned
on: only its pass rate is reported and guarded by a floor. Keys of a case:

* ``persons``  {surface: canonical}  — a mention with exactly that text, kind person;
* ``canon``    {surface: canonical}  — a mention with that text, any kind;
* ``kinds``    {surface: kind};
* ``not_person`` [surface]            — no person mention with that text;
* ``distinct`` [[a, b]]               — the mentions a and b resolve to different entities;
* ``same``     [[a, b]]               — ... to the same entity.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CASES_DIR = REPO / "tests" / "entity_cases"


def load_cases(name: str) -> list[dict]:
    path = CASES_DIR / f"{name}.jsonl"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def mentions_of(nlp, text: str) -> list:
    from extractors.claims import sentence_index
    from extractors.entities import build_entities

    doc = nlp(text)
    return build_entities(doc, sentence_index(doc)).mentions


def check_case(case: dict, mentions: list) -> list[str]:
    """Failures of one case (empty = pass), each a short readable line."""
    by_text: dict[str, list] = {}
    for m in mentions:
        by_text.setdefault(m.text, []).append(m)
    errs = []

    def first(surface: str):
        ms = by_text.get(surface)
        if not ms:
            errs.append(f"no mention {surface!r}")
        return ms[0] if ms else None

    for surface, canonical in case.get("persons", {}).items():
        m = first(surface)
        if m and (m.kind, m.canonical) != ("person", canonical):
            errs.append(f"{surface!r}: {m.kind} {m.canonical!r}, want person {canonical!r}")
    for surface, canonical in case.get("canon", {}).items():
        m = first(surface)
        if m and m.canonical != canonical:
            errs.append(f"{surface!r}: canonical {m.canonical!r}, want {canonical!r}")
    for surface, kind in case.get("kinds", {}).items():
        m = first(surface)
        if m and m.kind != kind:
            errs.append(f"{surface!r}: kind {m.kind}, want {kind}")
    for surface in case.get("not_person", []):
        if any(m.kind == "person" for m in by_text.get(surface, [])):
            errs.append(f"{surface!r} is a person")
    for key, want_same in (("distinct", False), ("same", True)):
        for a, b in case.get(key, []):
            ma, mb = first(a), first(b)
            if ma and mb and (ma.entity_id == mb.entity_id) != want_same:
                errs.append(f"{a!r} / {b!r}: {'split' if want_same else 'merged'}")
    return errs


def score(nlp, cases: list[dict]) -> tuple[int, Counter, list[tuple[dict, list[str]]]]:
    """(passed, failures per construction, failed cases with their errors)."""
    passed, per, failed = 0, Counter(), []
    for case in cases:
        errs = check_case(case, mentions_of(nlp, case["text"]))
        if errs:
            per[case["construction"]] += 1
            failed.append((case, errs))
        else:
            passed += 1
    return passed, per, failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("dev", "heldout", "all"), default="all")
    ap.add_argument("--errors", action="store_true", help="print every failed case")
    args = ap.parse_args(argv)
    from extractors.nlp import load_nlp

    nlp = load_nlp()
    print("| cases | passed | total | failing constructions |\n|---|---|---|---|")
    for name in ("dev", "heldout") if args.set == "all" else (args.set,):
        cases = load_cases(name)
        passed, per, failed = score(nlp, cases)
        worst = ", ".join(f"{c} {n}" for c, n in per.most_common()) or "-"
        print(f"| {name} | {passed} | {len(cases)} | {worst} |")
        if args.errors:
            for case, errs in failed:
                print(f"  [{name}/{case['construction']}] {case['text'][:70]!r}: {'; '.join(errs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
