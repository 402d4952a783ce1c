"""JSON lines in, JSON lines out: the body of ``mediamon extract [FILE|-]``.

Input lines: ``{"id": ..., "text": ..., "language": optional}``. Output lines:
``{"id", "claims", "entities"}`` (see ``analysis.analysis_to_json``). A line that cannot be
read or analysed, for whatever reason (not UTF-8, not JSON, a lone surrogate, too long, the
analysis failing on it), yields ``{"id": ..., "error": "..."}`` and the run goes on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from spacy.language import Language

from extractors.analysis import analyse, analysis_to_json
from extractors.nlp_select import DEFAULT_MODE as DEFAULT_PARSING

log = logging.getLogger(__name__)

# `mediamon extract` reads English unless a line says otherwise ("language": "de" is skipped).
DEFAULT_LANGUAGE = "en"

# A longer input line is reported as an error and skipped without being held in memory.
MAX_LINE_BYTES = 8 * 1024 * 1024
# Texts held at once for one nlp.pipe batch (besides the batch size in lines).
MAX_PENDING_CHARS = 4_000_000


@dataclass(frozen=True, slots=True)
class LineTooLong:
    """Stands for an input line longer than MAX_LINE_BYTES (its bytes were not kept)."""

    size: int


@dataclass
class ExtractStats:
    lines: int = 0
    errors: int = 0


# (line number, id, text, language, error) per non-blank line
_Record = tuple[int, str | None, str | None, str | None, str | None]


def read_lines(stream: BinaryIO, max_bytes: int = MAX_LINE_BYTES) -> Iterator[bytes | LineTooLong]:
    """The stream's lines as bytes, in bounded memory: a line longer than ``max_bytes`` comes
    out as ``LineTooLong`` and the rest of it is read in pieces and dropped."""
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while True:
                rest = stream.readline(1 << 20)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield LineTooLong(size)
        else:
            yield line


def _safe_id(rid: object) -> str | None:
    """The id as a string that can be written out as UTF-8 (lone surrogates escaped)."""
    if rid is None:
        return None
    return str(rid).encode("utf-8", "backslashreplace").decode("utf-8")


def _decode(n: int, line: str | bytes | LineTooLong) -> tuple[str | None, str | None]:
    """(text of the line, error)."""
    if isinstance(line, LineTooLong):
        return None, f"line {n}: longer than {MAX_LINE_BYTES} bytes ({line.size}); skipped"
    if isinstance(line, bytes):
        try:
            return line.decode("utf-8"), None
        except UnicodeDecodeError as e:
            return None, f"line {n}: not UTF-8 (byte 0x{line[e.start]:02x} at offset {e.start})"
    return line, None


def _record(n: int, text_line: str, max_chars: int) -> _Record:
    try:
        obj = json.loads(text_line)
    except json.JSONDecodeError as e:
        return n, None, None, None, f"line {n}: invalid JSON ({e.msg})"
    except RecursionError:
        return n, None, None, None, f"line {n}: JSON nested too deeply"
    if not isinstance(obj, dict):
        return n, None, None, None, f"line {n}: expected a JSON object"
    rid = _safe_id(obj.get("id"))
    text = obj.get("text")
    if not isinstance(text, str):
        return n, rid, None, None, f"line {n}: missing or non-string 'text'"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return n, rid, None, None, f"line {n}: 'text' has a lone surrogate at offset {e.start}"
    if len(text) > max_chars:
        return (
            n,
            rid,
            None,
            None,
            (f"line {n}: 'text' too long ({len(text)} characters; the limit is {max_chars})"),
        )
    lang = obj.get("language")
    return n, rid, text, lang if isinstance(lang, str) else DEFAULT_LANGUAGE, None


def parse_records(lines: Iterable[str | bytes | LineTooLong], max_chars: int) -> Iterator[_Record]:
    """One record per non-blank line."""
    for n, line in enumerate(lines, 1):
        text_line, error = _decode(n, line)
        if error is not None:
            yield n, None, None, None, error
        elif text_line is not None and text_line.strip():
            yield _record(n, text_line, max_chars)


def _analyse_each(nlp: Language, good: list, batch_size: int, parsing: str) -> list:
    """Analyses in order; if the batch fails as a whole, item by item so only the culprit
    fails (its slot holds the exception)."""
    try:
        return list(analyse(nlp, good, batch_size=batch_size, parsing=parsing))
    except Exception:
        log.warning("a batch of %d texts failed; analysing them one by one", len(good))
    out: list = []
    for item in good:
        try:
            out.extend(analyse(nlp, [item], batch_size=1, parsing=parsing))
        except Exception as exc:
            out.append(exc)
    return out


def _flush(
    nlp: Language, pending: list[_Record], batch_size: int, parsing: str
) -> Iterator[tuple[dict, bool]]:
    good = [(f"#{n}", t, lang) for n, _rid, t, lang, err in pending if err is None]
    results = iter(_analyse_each(nlp, good, batch_size, parsing))
    for n, rid, text, _lang, err in pending:
        if err is not None:
            yield {"id": rid, "error": err}, False
            continue
        a = next(results)
        if isinstance(a, Exception):
            yield {"id": rid, "error": f"line {n}: analysis failed: {type(a).__name__}"}, False
            continue
        out = analysis_to_json(a, text or "")
        out["id"] = rid if rid is not None else f"line-{n}"
        yield out, True


def extract_jsonl(
    lines: Iterable[str | bytes | LineTooLong],
    nlp: Language,
    batch_size: int = 32,
    stats: ExtractStats | None = None,
    parsing: str = DEFAULT_PARSING,
) -> Iterator[str]:
    """One output JSON line per input line (blank lines skipped), in input order. Lines may be
    str, or bytes as ``read_lines`` gives them (``parsing``: see ``extractors.nlp_select``)."""
    stats = stats if stats is not None else ExtractStats()
    pending: list[_Record] = []
    chars = 0

    def drain() -> Iterator[str]:
        for obj, ok in _flush(nlp, pending, batch_size, parsing):
            stats.lines += 1
            stats.errors += not ok
            yield json.dumps(obj, ensure_ascii=False)

    for rec in parse_records(lines, nlp.max_length):
        pending.append(rec)
        chars += len(rec[2] or "")
        if len(pending) >= batch_size * 4 or chars >= MAX_PENDING_CHARS:
            yield from drain()
            pending, chars = [], 0
    if pending:
        yield from drain()
