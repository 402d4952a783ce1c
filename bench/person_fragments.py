#!/usr/bin/env python3
"""Person fragmentation on real English articles: one actor should be one entity.

    uv run python bench/person_fragments.py [--root ../shared/data/newsweb] [--list] [--limit N]

Runs the real analysis over the truth bodies of the English newsweb pages (``manifest.jsonl``,
``lang == "en"``) and counts, per article:

* persons   — distinct person entities;
* sub-names — person entities whose name words are a proper subset of exactly one other
  person entity's in the same article ("Keir" beside "Keir Starmer"): one actor split in two
  (should be ~0); ``ambiguous`` counts those contained in several ("Biden" beside "Hunter
  Biden" and "Joe Biden"), which rightly stay apart;
* cross-kind — non-person entities (org/place/group/misc) whose name equals a person entity's
  name or its last word (one actor split across kinds: "Moore" typed org beside "Tom Moore");
* shared-token — pairs of person entities sharing a word without either being a sub-name
  ("Hunter Biden" / "Joe Biden"): legitimate when they are two people, listed for reading.

``--list`` prints every article's persons and organisations for reading by eye.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_ROOT = REPO.parent / "shared" / "data" / "newsweb"
NON_PERSON_KINDS = ("org", "agency", "group", "place")


def english_bodies(root: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(id, truth body) of pages marked English whose body our language guess agrees is
    English (a few pages are marked ``en`` but written in German)."""
    from extractors.language import guess_language

    out = []
    with (root / "manifest.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            body = (d.get("truth") or {}).get("body")
            if d.get("lang") == "en" and body and guess_language(body) in ("en", None):
                out.append((d["id"], body))
                if limit and len(out) >= limit:
                    break
    return out


def _words(name: str) -> frozenset[str]:
    return frozenset(w.casefold().strip(".,'’") for w in name.split())


def fragments(persons: list[str]) -> list[tuple[str, list[str]]]:
    """(fragment, fuller names) pairs: a person whose words are a proper subset of another's.
    With one fuller name the split is an error; with several ("Biden" beside "Hunter Biden"
    and "Joe Biden") the short form is ambiguous and staying apart is right."""
    out = []
    for a in persons:
        wa = _words(a)
        fuller = [b for b in persons if a != b and wa < _words(b)]
        if fuller:
            out.append((a, fuller))
    return out


def shared_tokens(persons: list[str]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(persons):
        for b in persons[i + 1 :]:
            wa, wb = _words(a), _words(b)
            if wa & wb and not (wa < wb or wb < wa):
                out.append((a, b))
    return out


def cross_kind(persons: list[str], others: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    keys: dict[str, str] = {}
    for p in persons:
        keys[p.casefold()] = p
        if len(p.split()) > 1:
            keys.setdefault(p.split()[-1].casefold(), p)
    return [(name, kind, keys[name.casefold()]) for name, kind in others if name.casefold() in keys]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--list", action="store_true", help="print persons and orgs per article")
    args = ap.parse_args(argv)
    if not (args.root / "manifest.jsonl").is_file():
        print(f"error: no manifest.jsonl under {args.root}", file=sys.stderr)
        return 2

    from extractors.analysis import analyse
    from extractors.nlp import load_nlp

    nlp = load_nlp()
    nlp("warm up.")
    docs = english_bodies(args.root, args.limit)
    t0 = time.perf_counter()
    analyses = list(analyse(nlp, [(i, t, "en") for i, t in docs]))
    dt = time.perf_counter() - t0
    words = sum(len(t.split()) for _i, t in docs)
    n_persons = n_frag = n_ambiguous = n_cross = n_shared = arts_with_frag = 0
    for (doc_id, _text), a in zip(docs, analyses, strict=True):
        persons = sorted(e.canonical_name for e in a.entities if e.kind == "person")
        others = [(e.canonical_name, e.kind) for e in a.entities if e.kind in NON_PERSON_KINDS]
        frag, cross, shared = (
            fragments(persons),
            cross_kind(persons, others),
            shared_tokens(persons),
        )
        n_persons += len(persons)
        n_ambiguous += sum(1 for _a, full in frag if len(full) > 1)
        frag = [(a_, full) for a_, full in frag if len(full) == 1]
        n_frag += len(frag)
        n_cross += len(cross)
        n_shared += len(shared)
        arts_with_frag += bool(frag or cross)
        if args.list or frag or cross:
            print(f"\n## {doc_id}")
        if args.list:
            print("  persons:", " | ".join(persons))
            orgs = sorted(n for n, k in others if k != "place")
            print("  orgs:   ", " | ".join(orgs))
            print("  places: ", " | ".join(sorted(n for n, k in others if k == "place")))
        for a_, full in frag:
            print(f"  sub-name: {a_!r} < {full[0]!r}")
        for name, kind, p in cross:
            print(f"  cross-kind: {name!r} ({kind}) ~ person {p!r}")
        if args.list:
            for a_, b_ in shared:
                print(f"  shared-token: {a_!r} / {b_!r}")
    head = ("articles", "words", "person entities", "sub-name fragments", "ambiguous short names",
            "cross-kind splits", "articles with a split", "shared-token pairs",
            "words/s (analyse, 1 process)")  # fmt: skip
    row = (len(docs), words, n_persons, n_frag, n_ambiguous, n_cross, arts_with_frag, n_shared,
           f"{words / dt:,.0f}")  # fmt: skip
    print("\n| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    print("| " + " | ".join(str(x) for x in row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
