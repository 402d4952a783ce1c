"""Human-readable account of what the engine decided for one article (``extract --explain``):
per claim the rule, cue, content and speaker chain (surface -> antecedent -> entity), then the
candidates that were rejected and the veto that fired."""

from __future__ import annotations

from extractors.claims.candidate import UNRESOLVED, Candidate
from extractors.claims.engine import EngineRun

# Rejections that only say "another rule already took this" are left out unless asked for.
DUPLICATE_VETOES = ("cue_already_used", "content_already_claimed")
_SNIPPET = 100


def _snippet(text: str, span: tuple[int, int]) -> str:
    s = " ".join(text[span[0] : span[1]].split())
    return s if len(s) <= _SNIPPET else s[: _SNIPPET - 1] + "…"


def _cue(run: EngineRun, c: Candidate) -> str:
    return " ".join(run.ix.doc[i].text for i in c.cue) or "(no cue)"


def explain_run(run: EngineRun, title: str = "", duplicates: bool = False) -> list[str]:
    text = run.ix.text
    lines = [f"== {title}" if title else "=="]
    accepted = run.ordered()
    lines.append(f"{len(accepted)} claim(s)")
    for n, c in enumerate(accepted, 1):
        chain = run.chains.get(c.key, UNRESOLVED)
        lines.append(f"{n}. [{c.rule}] cue {_cue(run, c)!r}: {_snippet(text, c.content)!r}")
        lines.append(f"   speaker: {chain.steps()}")
        if run.via.get(c.key):
            lines.append(f"   via: {' <- '.join(run.via[c.key])}")
    shown = [r for r in run.rejected if duplicates or r.veto not in DUPLICATE_VETOES]
    if shown:
        lines.append(f"rejected: {len(shown)}")
        for r in shown:
            c = r.candidate
            who = repr(text[c.speaker[0] : c.speaker[1]]) if c.speaker else "(no speaker)"
            lines.append(f"   - [{c.rule}] by {r.veto}: cue {_cue(run, c)!r}, speaker {who}, "
                         f"{_snippet(text, c.content)!r}")  # fmt: skip
    return lines
