"""Human-readable account of what the engine decided for one article (``extract --explain``):
per claim the rule, cue, content and speaker chain (surface -> antecedent -> entity), then the
candidates that were rejected and the veto that fired."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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


def explain_doc(doc, title: str = "", duplicates: bool = False) -> list[str]:
    """Run the engine on a parsed document and explain it."""
    from extractors.claims.engine import run_engine
    from extractors.claims.index import sentence_index
    from extractors.entities import build_entities

    sent_of = sentence_index(doc)
    return explain_run(run_engine(doc, build_entities(doc, sent_of), sent_of), title, duplicates)


def explain_jsonl(lines: Iterable[str | bytes], nlp) -> Iterator[str]:
    """``mediamon extract --explain``: a readable account per input line (JSON lines in)."""
    from extractors.analysis import skip_reason
    from extractors.jsonl_extract import parse_records

    # The same reading as `mediamon extract` (a line without a language is English).
    for n, rid, text, lang, err in parse_records(lines, nlp.max_length):
        title = rid if rid is not None else f"line-{n}"
        if err is not None or text is None:
            yield f"== {err}"
            continue
        reason = skip_reason(text, lang)
        if reason is not None:
            yield f"== {title}\nskipped: {reason}"
            continue
        yield "\n".join(explain_doc(nlp(text), title))
