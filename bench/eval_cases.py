"""Score ``mediamon extract`` on the construction cases and the hand-annotated newsweb gold.

    uv run python bench/eval_cases.py [--split dev|heldout|all] [--only cases|newsweb]
                                      [--construction NAME] [--errors] [--json]

Data: ``tests/data/claim_cases/*.jsonl`` (one file per construction) and
``tests/data/claim_gold_newsweb.jsonl`` (annotations only; the article text is the truth
``body`` of ``../shared/data/newsweb/manifest.jsonl``, read in place). Conventions in
``tests/data/claim_cases/README.md``; the matching rules in ``bench/case_scoring.py``.

The extractor runs exactly as ``mediamon extract`` does (``extractors.jsonl_extract`` with
``extractors.nlp.load_nlp()``); only its public JSON is read, so old and new engines compare.

Measures, per construction and per split: recall of expected claims; precision (a predicted
claim matching no expected claim is a false positive, any claim in a negative case is one);
right speaker and cue (of the claims found, and of all expected claims); agreement of via,
speaker kind and quote type. For the newsweb gold also person fragmentation: for each
annotated person, the distinct entities among the PERSON mentions of that person (should be 1).

The held-out split is for measuring only: never tune on it, never print it while tuning.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.case_scoring import (  # noqa: E402
    Tally,
    UnitResult,
    anchors,
    person_fragmentation,
    score_unit,
)

CASES = REPO / "tests" / "data" / "claim_cases"
GOLD = REPO / "tests" / "data" / "claim_gold_newsweb.jsonl"
SHARED = REPO.parent / "shared" / "data"
SPLITS = ("dev", "heldout")
COLUMNS = (
    ("recall", "recall"), ("precision", "prec"), ("speaker_cue_of_found", "spk+cue/found"),
    ("speaker_cue_of_expected", "spk+cue/all"), ("speaker_of_found", "speaker"),
    ("cue_of_found", "cue"), ("via_of_found", "via"), ("kind_of_found", "kind"),
    ("quote_type_of_found", "qtype"),
)  # fmt: skip


class DataError(Exception):
    """A data file is missing or malformed (exit status 2)."""


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise DataError(f"no such file: {path}")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise DataError(f"{path}:{n}: invalid JSON ({e.msg})") from None
    return rows


def load_cases(folder: Path, only: str | None = None) -> list[dict]:
    """One unit per case: key, group (the construction), split, text, expected."""
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise DataError(f"no case files in {folder}")
    units = []
    for path in files:
        if only and path.stem != only:
            continue
        for row in _jsonl(path):
            units.append({"key": f"{path.stem}/{row['id']}", "group": path.stem,
                          "split": row["split"], "text": row["text"],
                          "expected": row["expected"]})  # fmt: skip
    if only and not units:
        raise DataError(f"no construction named {only!r} in {folder}")
    return units


def load_gold(path: Path, shared: Path) -> list[dict]:
    """One unit per annotated page, with the truth body read from the newsweb manifest."""
    manifest = shared / "newsweb" / "manifest.jsonl"
    bodies = {r["id"]: (r.get("truth") or {}).get("body") for r in _jsonl(manifest)}
    units = []
    for row in _jsonl(path):
        body = bodies.get(row["page_id"])
        if not body:
            raise DataError(f"page {row['page_id']} has no truth body in {manifest}")
        units.append({"key": row["page_id"], "group": "newsweb", "split": row["split"],
                      "text": body, "expected": row["claims"],
                      "persons": row.get("persons", [])})  # fmt: skip
    return units


def run_extractor(units: list[dict], parsing: str = "selective") -> dict[str, dict]:
    """The output of ``mediamon extract`` for each unit, by key."""
    from extractors.jsonl_extract import extract_jsonl
    from extractors.nlp import load_nlp

    nlp = load_nlp()
    lines = (json.dumps({"id": u["key"], "text": u["text"]}) for u in units)
    return {o["id"]: o for o in map(json.loads, extract_jsonl(lines, nlp, parsing=parsing))}


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _row(name: str, t: Tally) -> str:
    r = t.ratios()
    cells = [name, str(t.texts), str(t.expected), str(t.found), str(t.predicted)]
    return "| " + " | ".join(cells + [_fmt(r[k]) for k, _ in COLUMNS]) + " |"


def _header(first: str) -> str:
    names = [first, "texts", "expected", "found", "predicted"] + [h for _, h in COLUMNS]
    return "| " + " | ".join(names) + " |\n|" + "---|" * len(names)


def tallies(results: list[UnitResult]) -> dict[str, dict[str, Tally]]:
    """Tallies by group, then by split (plus "all")."""
    out: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for u in results:
        for g in {u.group, "ALL CASES" if u.group != "newsweb" else "newsweb"}:
            out[g][u.split].add(u)
            out[g]["all"].add(u)
    return out


def fragmentation(results: list[UnitResult], units: dict[str, dict], outputs: dict) -> dict:
    """Per split: persons annotated, seen, resolved to one entity, and the fragmented ones."""
    out: dict[str, dict] = {}
    for u in results:
        if u.group != "newsweb":
            continue
        rows = person_fragmentation(units[u.key]["persons"], outputs[u.key].get("entities", []))
        for split in (u.split, "all"):
            s = out.setdefault(split, {"persons": 0, "seen": 0, "one_entity": 0, "entities": 0,
                                       "mistyped": 0, "fragmented": []})  # fmt: skip
            for r in rows:
                s["persons"] += 1
                s["mistyped"] += r["mistyped"]
                if r["entities"]:
                    s["seen"] += 1
                    s["entities"] += len(r["entities"])
                    s["one_entity"] += len(r["entities"]) == 1
                if len(r["entities"]) > 1 and split != "all":
                    s["fragmented"].append({"page": u.key, **r})
    return out


def print_tables(tal: dict, frag: dict, splits: list[str]) -> None:
    groups = sorted(g for g in tal if g not in ("ALL CASES", "newsweb"))
    for split in splits:
        if groups:
            print(f"\n## Construction cases — {split}\n\n{_header('construction')}")
            for g in groups:
                if split in tal[g]:
                    print(_row(g, tal[g][split]))
            if split in tal["ALL CASES"]:
                print(_row("**all constructions**", tal["ALL CASES"][split]))
    print(f"\n## Summary\n\n{_header('data / split')}")
    for g in ("ALL CASES", "newsweb"):
        for split in [*splits, "all"] if len(splits) > 1 else splits:
            if g in tal and split in tal[g]:
                print(_row(f"{'cases' if g == 'ALL CASES' else g} / {split}", tal[g][split]))
    if frag:
        print("\n## Newsweb persons: one person, one entity\n")
        print("| split | persons | with PERSON mentions | one entity | mean entities | "
              "mistyped mentions |\n|---|---|---|---|---|---|")  # fmt: skip
        for split in [*splits, "all"] if len(splits) > 1 else splits:
            if split in frag:
                f = frag[split]
                mean = f["entities"] / f["seen"] if f["seen"] else None
                print(f"| {split} | {f['persons']} | {f['seen']} | {f['one_entity']} | "
                      f"{_fmt(mean)} | {f['mistyped']} |")  # fmt: skip


def _context(text: str, span: tuple[int, int], limit: int = 500) -> str:
    """The paragraph around ``span`` (the whole text for short cases), shortened."""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    para = text[start : end if end >= 0 else len(text)].strip()
    return para if len(para) <= limit else para[: limit - 1] + "…"


def _describe_expected(e: dict) -> str:
    via = f" via={e.get('via')}" if e.get("via") else ""
    opt = " (optional)" if e.get("optional") else ""
    return (f"{e.get('speaker')!r} [{e.get('speaker_kind')}] cue={e.get('cue_lemma')} "
            f"{e.get('quote_type')}{via} «{e['content_prefix']}»{opt}")  # fmt: skip


def _describe_claim(c: dict) -> str:
    content = (c.get("content") or "").replace("\n", " ")
    content = content if len(content) <= 120 else content[:119] + "…"
    rule = f" rule={c['rule']}" if c.get("rule") else ""
    return (f"speaker={c.get('speaker')!r} canonical={c.get('speaker_canonical')!r} "
            f"[{c.get('speaker_kind')}] cue={c.get('cue_lemma')} {c.get('quote_type')} "
            f"via={c.get('via') or []}{rule} «{content}»")  # fmt: skip


def print_errors(results: list[UnitResult]) -> None:
    """Each miss, wrong speaker/cue and false positive, with its text and the predictions."""
    print("\n## Errors\n")
    for u in results:
        lines = []
        for r in u.expected:
            if r.optional:
                continue
            span = anchors(u.text, r.expected)[0]
            if not r.found:
                lines.append(("MISSED", r.expected, None, span))
            elif not (r.speaker and r.cue):
                what = "WRONG SPEAKER" if not r.speaker else "WRONG CUE"
                if not (r.speaker or r.cue):
                    what = "WRONG SPEAKER+CUE"
                lines.append((what, r.expected, u.predicted[r.primary], span))
        for i, st in enumerate(u.status):
            if st in ("fp", "duplicate"):
                c = u.predicted[i]
                span = (c.get("content_start") or 0, c.get("content_end") or 0)
                lines.append(("FALSE POSITIVE" if st == "fp" else "DUPLICATE", None, c, span))
        if not lines:
            continue
        print(f"### {u.key} ({u.split})")
        if u.group != "newsweb":
            print(f"    text: {u.text!r}")
        for what, exp, pred, span in lines:
            print(f"  {what}")
            if u.group == "newsweb":
                print(f"    context: {_context(u.text, span)!r}")
            if exp:
                print(f"    expected:  {_describe_expected(exp)}")
            if pred:
                print(f"    predicted: {_describe_claim(pred)}")
            elif what == "MISSED":
                near = [
                    c for c in u.predicted if abs((c.get("content_start") or 0) - span[0]) < 400
                ]
                for c in near[:4] if u.group == "newsweb" else u.predicted:
                    print(f"    nearby:    {_describe_claim(c)}")
        print()


def to_json(tal: dict, frag: dict, splits: list[str]) -> dict:
    keep = [*splits, "all"] if len(splits) > 1 else splits
    out: dict = {"splits": keep, "groups": {}, "fragmentation": {}}
    for g, by_split in tal.items():
        out["groups"][g] = {s: {**vars(t), **t.ratios()} for s, t in by_split.items() if s in keep}
    for s, f in frag.items():
        if s in keep:
            out["fragmentation"][s] = {
                k: v for k, v in f.items() if k != "fragmented" or s != "all"
            }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    ap.add_argument("--only", choices=["cases", "newsweb"], default=None)
    ap.add_argument("--construction", default=None, help="one construction file (stem)")
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--root", type=Path, default=SHARED, help="the shared data folder")
    ap.add_argument("--errors", action="store_true", help="print every miss and false positive")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--parsing", choices=["selective", "full"], default="selective",
                    help="syntax only where claims need it, or everywhere")  # fmt: skip
    args = ap.parse_args(argv)
    splits = list(SPLITS) if args.split == "all" else [args.split]
    try:
        units = []
        if args.only != "newsweb":
            units += load_cases(args.cases, args.construction)
        if args.only != "cases" and not args.construction:
            units += load_gold(args.gold, args.root)
        units = [u for u in units if u["split"] in splits]
        outputs = run_extractor(units, args.parsing)
        results = [score_unit(u, outputs[u["key"]]) for u in units]
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    tal = tallies(results)
    frag = fragmentation(results, {u["key"]: u for u in units}, outputs)
    if args.json:
        print(json.dumps(to_json(tal, frag, splits), indent=1))
    else:
        print_tables(tal, frag, splits)
        if args.errors:
            print_errors(results)
            for s in splits:
                for f in frag.get(s, {}).get("fragmented", []):
                    print(f"FRAGMENTED PERSON {f['person']!r} on {f['page']}: {f['entities']} "
                          f"(mentions {f['surfaces']})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
