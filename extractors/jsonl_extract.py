"""JSON lines in, JSON lines out: the body of ``mediamon extract [FILE|-]``.

Input lines: ``{"id": ..., "text": ..., "language": optional}``. Output lines:
``{"id", "claims", "entities"}`` (see ``analysis.analysis_to_json``). A line that cannot be read
yields ``{"id": ..., "error": "..."}`` and the run goes on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator

from spacy.language import Language

from extractors.analysis import analyse, analysis_to_json
from extractors.nlp_select import DEFAULT_MODE as DEFAULT_PARSING

log = logging.getLogger(__name__)

# `mediamon extract` reads English unless a line says otherwise ("language": "de" is skipped).
DEFAULT_LANGUAGE = "en"


def read_lines(
    lines: Iterable[str],
) -> Iterator[tuple[int, str | None, str | None, str | None, str | None]]:
    """(line number, id, text, language, error) per non-blank line."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield n, None, None, None, f"line {n}: invalid JSON ({e.msg})"
            continue
        if not isinstance(obj, dict):
            yield n, None, None, None, f"line {n}: expected a JSON object"
            continue
        rid = obj.get("id")
        rid = None if rid is None else str(rid)
        text = obj.get("text")
        if not isinstance(text, str):
            yield n, rid, None, None, f"line {n}: missing or non-string 'text'"
            continue
        lang = obj.get("language")
        yield n, rid, text, lang if isinstance(lang, str) else DEFAULT_LANGUAGE, None


def extract_jsonl(
    lines: Iterable[str], nlp: Language, batch_size: int = 32, parsing: str = DEFAULT_PARSING
) -> Iterator[str]:
    """One output JSON line per input line (blank lines skipped), in input order
    (``parsing``: see ``extractors.nlp_select``)."""
    pending: list[tuple[int, str | None, str | None, str | None, str | None]] = []

    def flush() -> Iterator[str]:
        good = [(f"#{n}", t, lang) for n, _rid, t, lang, err in pending if err is None]
        results = iter(analyse(nlp, good, batch_size=batch_size, parsing=parsing))
        for n, rid, text, _lang, err in pending:
            if err is not None:
                yield json.dumps({"id": rid, "error": err}, ensure_ascii=False)
                continue
            a = next(results)
            out = analysis_to_json(a, text or "")
            out["id"] = rid if rid is not None else f"line-{n}"
            yield json.dumps(out, ensure_ascii=False)

    for rec in read_lines(lines):
        pending.append(rec)
        if len(pending) >= batch_size * 4:
            yield from flush()
            pending = []
    if pending:
        yield from flush()
