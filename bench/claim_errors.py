"""Where the claims engine goes wrong, grouped so the next person sees where to work.

Used by ``bench/eval_claims.py --errors`` on the TUNE part only (the holdout part is never
read for errors). For every article: gold claims matched one-to-one to predicted claims by
content overlap; then

* misses (gold content no predicted content overlaps) by *construction*, a heuristic label
  from the gold annotation: quotation or not, the cue's verb class, where the cue stands;
* false positives (predicted content overlapping no gold content) by the *rule* that made them;
* wrong speakers (content matched, speaker span not overlapping the gold source) by rule.
"""

from __future__ import annotations

from collections import defaultdict

from extractors.claims import lexicon as lx

EXAMPLES = 3
_SNIP = 90


_IRREGULAR = {
    "said": "say",
    "told": "tell",
    "wrote": "write",
    "thought": "think",
    "found": "find",
    "spoke": "speak",
    "took": "take",
    "swore": "swear",
    "read": "read",
    "saw": "see",
}


def _stem_in(word: str, lemmas: frozenset[str]) -> bool:
    w = word.lower().strip(".,:;\"'“”’")
    w = _IRREGULAR.get(w, w)
    cands = {w, w[:-1], w[:-2], w[:-3], w[:-2] + "e" if w.endswith("ed") else w, w.rstrip("s")}
    if w.endswith("ing"):
        cands |= {w[:-3], w[:-3] + "e"}
    if w.endswith("ies"):
        cands.add(w[:-3] + "y")
    if w.endswith("ied"):
        cands.add(w[:-3] + "y")
    return bool(cands & lemmas)


def construction(c: dict) -> str:
    """Heuristic construction label of a gold claim (from its own annotation)."""
    qtype = c.get("type", "unknown")
    cue = c.get("cue")
    if cue is None:
        return f"{qtype}, no cue (floating)"
    words = cue["text"].split()
    low = cue["text"].lower()
    if low.startswith("according"):
        return "according to"
    if low.strip() == ":":
        return f"{qtype}, colon only"
    if any(_stem_in(w, lx.SPEECH_VERBS) for w in words):
        verb = "speech verb"
    elif any(_stem_in(w, lx.WEAK_VERBS | lx.STANCE_CUES) for w in words):
        verb = "finding or stance verb"
    elif any(_stem_in(w, lx.MENTAL_VERBS) for w in words):
        verb = "mental-state verb (no cue)"
    else:
        verb = "other cue (not in lexicon)"
    content = c["content"]
    if cue["start"] >= content["end"]:
        where = "cue after"
    elif cue["end"] <= content["start"]:
        where = "cue before"
    else:
        where = "cue inside"
    if "source" not in c:
        where += ", no source"
    return f"{qtype}, {verb}, {where}"


def _ov(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    pairs = []
    for gi, g in enumerate(gold):
        gs = (g["content"]["start"], g["content"]["end"])
        for pi, p in enumerate(pred):
            o = _ov(gs, (p["content_start"], p["content_end"]))
            if o:
                pairs.append((o, gi, pi))
    pairs.sort(reverse=True)
    out: dict[int, int] = {}
    used: set[int] = set()
    for _o, gi, pi in pairs:
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def _snip(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= _SNIP else s[: _SNIP - 1] + "…"


def collect(docs: list[dict], preds: dict[str, dict]) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {
        "missed (by construction)": defaultdict(list),
        "false positives (by rule)": defaultdict(list),
        "wrong speaker (by rule)": defaultdict(list),
    }
    for d in docs:
        gold = [c for c in d["claims"] if "content" in c]
        pred = preds.get(d["id"], {}).get("claims", [])
        m = _match(gold, pred)
        for gi, g in enumerate(gold):
            if gi not in m:
                out["missed (by construction)"][construction(g)].append(
                    f"{d['id']}: {g.get('source', {}).get('text')!r} {g.get('cue', {}).get('text')!r} {_snip(g['content']['text'])!r}"  # noqa: E501
                )
                continue
            p = pred[m[gi]]
            if "source" in g and p.get("speaker_start") is not None:
                s = g["source"]
                if not _ov((s["start"], s["end"]), (p["speaker_start"], p["speaker_end"])):
                    out["wrong speaker (by rule)"][p.get("rule") or "?"].append(
                        f"{d['id']}: gold {s['text']!r}, got {p['speaker']!r} [{construction(g)}]"
                    )
        for pi, p in enumerate(pred):
            if pi not in m.values():
                out["false positives (by rule)"][p.get("rule") or "?"].append(
                    f"{d['id']}: {p['speaker']!r} {p['cue']!r} {_snip(p['content'])!r}"
                )
    return out


def report(name: str, docs: list[dict], preds: dict[str, dict]) -> str:
    lines = [f"\n## Errors: {name} (tune part, {len(docs)} documents)"]
    for section, groups in collect(docs, preds).items():
        total = sum(len(v) for v in groups.values())
        lines.append(f"\n### {section}: {total}\n")
        lines.append("| group | count | examples |\n|---|---|---|")
        for key, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            ex = "<br>".join(x.replace("|", "/") for x in items[:EXAMPLES])
            lines.append(f"| {key} | {len(items)} | {ex} |")
    return "\n".join(lines)
