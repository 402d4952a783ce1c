"""Extraction throughput with full and with selective parsing, side by side in one process.

    uv run python bench/selective_parsing.py [--root ../shared/data] [--limit N] [--chunk 64]

Texts: the English truth bodies of ``newsweb/manifest.jsonl`` and the texts of the claim DEV
corpora (``claims/ggt.dev.jsonl``, ``claims/polnear.dev.jsonl``), read in place. The texts are
cut into chunks; each chunk is analysed (``extractors.analysis.analyse``: spaCy, entities and
claims, as ``mediamon extract`` does) once per mode, the order of the modes alternating from
chunk to chunk, so that both modes see the same load on a shared machine. Prints words per
wall-clock second and per CPU second of each mode, their ratio, and the share of tokens that
selective parsing sent through the syntax components. Exit 2 when the data is missing.
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

MODES = ("full", "selective")
CLAIM_FILES = ("ggt.dev.jsonl", "polnear.dev.jsonl")


def load_texts(root: Path, limit: int | None) -> list[str]:
    """English newsweb bodies, then the claim corpora texts (first ``limit`` of each source)."""
    texts: list[str] = []
    manifest = root / "newsweb" / "manifest.jsonl"
    rows = [json.loads(x) for x in manifest.read_text(encoding="utf-8").splitlines() if x.strip()]
    bodies = [(r.get("truth") or {}).get("body") for r in rows if r.get("lang") == "en"]
    texts += [b for b in bodies if b][:limit]
    for name in CLAIM_FILES:
        lines = (root / "claims" / name).read_text(encoding="utf-8").splitlines()
        texts += [json.loads(x)["text"] for x in lines if x.strip()][:limit]
    return texts


def timed(nlp, texts: list[str], mode: str) -> tuple[float, float, int]:
    """Wall and CPU seconds of analysing ``texts``, and the claims found."""
    from extractors.analysis import analyse

    items = [(str(n), t, "en") for n, t in enumerate(texts)]
    t0, c0 = time.perf_counter(), time.process_time()
    claims = sum(len(a.claims) for a in analyse(nlp, items, parsing=mode))
    return time.perf_counter() - t0, time.process_time() - c0, claims


def selected_share(nlp, texts: list[str]) -> float:
    """Share of tokens in the runs that selective parsing parses."""
    from extractors import nlp_select as ns

    docs = [nlp.make_doc(t) for t in texts]  # the selection needs the whole-text stage only
    for name in ns.whole_text_components(nlp):
        docs = [nlp.get_pipe(name)(d) for d in docs]
    forms = ns.syntax_forms(nlp)
    picked = sum(b - a for d in docs for a, b in ns.select_runs(d, forms))
    return picked / max(1, sum(len(d) for d in docs))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=None, help="first N texts of each source")
    ap.add_argument("--chunk", type=int, default=64, help="texts per interleaved chunk")
    args = ap.parse_args(argv)
    try:
        texts = load_texts(args.root, args.limit)
    except (OSError, ValueError, KeyError) as e:
        print(f"error: cannot read the texts under {args.root}: {e}", file=sys.stderr)
        return 2
    from extractors.nlp import load_nlp

    nlp = load_nlp()
    for mode in MODES:  # warm both paths (model tables, caches) before timing
        timed(nlp, texts[:2], mode)
    wall = dict.fromkeys(MODES, 0.0)
    cpu = dict.fromkeys(MODES, 0.0)
    claims = dict.fromkeys(MODES, 0)
    for n, k in enumerate(range(0, len(texts), args.chunk)):
        chunk = texts[k : k + args.chunk]
        for mode in MODES if n % 2 == 0 else MODES[::-1]:
            w, c, found = timed(nlp, chunk, mode)
            wall[mode] += w
            cpu[mode] += c
            claims[mode] += found
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} texts, {words} words, chunks of {args.chunk}, modes interleaved\n")
    print("| parsing | wall s | words/s | CPU s | words/CPU s | claims |")
    print("|---|---|---|---|---|---|")
    for mode in MODES:
        print(f"| {mode} | {wall[mode]:.1f} | {words / wall[mode]:,.0f} | {cpu[mode]:.1f} | "
              f"{words / cpu[mode]:,.0f} | {claims[mode]} |")  # fmt: skip
    print(f"\nselective / full: {wall['full'] / wall['selective']:.2f} x (wall), "
          f"{cpu['full'] / cpu['selective']:.2f} x (CPU)")  # fmt: skip
    print(f"tokens parsed by selective parsing: {selected_share(nlp, texts):.1%}")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        raise SystemExit(130) from None
