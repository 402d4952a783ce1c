"""Public entry point of the extractors: articles in, ``Analysis`` records out.

Every article gets one ``Analysis`` with a status:

* ``ok`` — parsed; claims, mentions and entities extracted;
* ``skipped`` — not analysed on purpose, the reason in ``error``: a language other than
  English or an unknown language (pages whose language could not be told are never
  assumed English), or a text shorter than ``MIN_ANALYSED_CHARS`` or
  longer than ``MAX_ANALYSED_CHARS`` characters (such a text never reaches spaCy, whose own
  limit raises E088; no news article comes near it);
* ``failed`` — the parser or an extractor raised; ``error`` says what. The warehouse keeps the
  article's earlier rows and the next run (or ``mediamon reextract``) tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language

from extractors import nlp as nlp_mod
from extractors import nlp_select
from extractors.claims import extract_claims, sentence_index
from extractors.entities import build_entities
from extractors.records import Analysis, Claim, record_dict, stable_id

log = logging.getLogger(__name__)

NAME = "mediamon.claims"
VERSION = "2.1"  # bump when output changes
ANALYSED_LANGUAGES = ("en",)
MIN_ANALYSED_CHARS = 20  # fewer non-blank characters hold no sentence worth parsing
MAX_ANALYSED_CHARS = 300_000  # ~50,000 words: far beyond any article; below spaCy's 1,000,000
ERROR_CHARS = 500  # an error message is cut to this length


def _is_english(language: str | None) -> bool:
    # None = the language could not be told (detection failed on the text): never assumed to
    # be English, or pages in other scripts would get English claims and entities.
    if language is None or not language.strip():
        return False
    return language.strip().lower().replace("_", "-").split("-")[0] in ANALYSED_LANGUAGES


def skip_reason(text: str | None, language: str | None) -> str | None:
    """Why an article is not analysed (None: it is)."""
    if not _is_english(language):
        return f"language {language!r} is not analysed"
    size = len(text.strip()) if text else 0
    if size < MIN_ANALYSED_CHARS:
        return f"text too short ({size} characters, at least {MIN_ANALYSED_CHARS})"
    if size > MAX_ANALYSED_CHARS:
        return f"text too long ({size:,} characters, at most {MAX_ANALYSED_CHARS:,})"
    return None


def fingerprint(nlp: Language | None = None, parsing: str = nlp_select.DEFAULT_MODE) -> str:
    """Versions of extractor, spaCy, model and options: changes whenever output may change."""
    model = nlp_mod.model_version(nlp) if nlp is not None else nlp_mod.MODEL_NAME
    pipes = ",".join(nlp.pipe_names) if nlp is not None else "default"
    opts = f"langs={'+'.join(ANALYSED_LANGUAGES)};pipes={pipes}"
    if parsing != "full":  # full parsing keeps the fingerprints of earlier runs
        opts += f";parsing={parsing}-{nlp_select.selection_key()}"
    opts += f";chars={MIN_ANALYSED_CHARS}-{MAX_ANALYSED_CHARS}"
    raw = f"{NAME}={VERSION}|spacy={spacy.__version__}|model={model}|{opts}"
    return f"{NAME}-{VERSION}-{stable_id(raw, length=12)}"


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]


def analyse(
    nlp: Language,
    items: Iterable[tuple[str, str, str | None]],
    batch_size: int = 32,
    n_process: int = 1,
    parsing: str = nlp_select.DEFAULT_MODE,
) -> Iterator[Analysis]:
    """Analyse ``(article_id, text, language)`` items, yielding one ``Analysis`` each, in order.

    Items are parsed in chunks (``parsing``: ``selective``, syntax only around cues and
    quotations, or ``full``; see ``extractors.nlp_select``; ``n_process`` > 1 only with
    ``full``); if the parser raises on a chunk, that chunk is parsed again one text at a time
    so that only the offending article fails."""
    fp = fingerprint(nlp, parsing)
    parse = _parser(nlp, batch_size, n_process, parsing)
    chunk: list[tuple[str, str, str | None]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= batch_size * 4:
            yield from _analyse_chunk(parse, chunk, fp)
            chunk = []
    if chunk:
        yield from _analyse_chunk(parse, chunk, fp)


def _parser(nlp: Language, batch_size: int, n_process: int, parsing: str):
    """texts -> Docs, in the chosen mode."""
    if parsing == "full":
        return lambda texts: list(nlp.pipe(texts, batch_size=batch_size, n_process=n_process))
    if n_process != 1:
        raise ValueError("selective parsing runs in one process (n_process=1)")
    return lambda texts: nlp_select.parse_texts(nlp, texts, batch_size, parsing)


def _analyse_chunk(parse, chunk, fp: str) -> list[Analysis]:
    reasons = [skip_reason(text, language) for _id, text, language in chunk]
    # Skipped items still go through the stream (as empty text, nearly free) so output order
    # equals input order even with n_process > 1.
    texts = [
        text if reason is None else ""
        for (_i, text, _l), reason in zip(chunk, reasons, strict=True)
    ]
    try:
        docs = parse(texts)
    except Exception:  # one odd text must not fail its neighbours: parse them one by one
        log.exception("parsing a batch failed; parsing its %d texts one by one", len(texts))
        docs = [_parse_one(parse, t) for t in texts]
    out = []
    for (article_id, _text, _lang), reason, doc in zip(chunk, reasons, docs, strict=True):
        if reason is not None:
            out.append(
                Analysis(article_id=article_id, status="skipped", fingerprint=fp, error=reason)
            )
        elif isinstance(doc, BaseException):
            out.append(
                Analysis(article_id=article_id, status="failed", fingerprint=fp, error=_error(doc))
            )
        else:
            out.append(_analyse_parsed(doc, article_id, fp))
    return out


def _parse_one(parse, text: str):
    try:
        return parse([text])[0]
    except Exception as exc:
        return exc


def _analyse_parsed(doc, article_id: str, fp: str) -> Analysis:
    try:
        return analyse_doc(doc, article_id, fp)
    except Exception as exc:  # one odd article must not stop a batch
        log.exception("claim extraction failed for %s", article_id)
        return Analysis(article_id=article_id, status="failed", fingerprint=fp, error=_error(exc))


def analyse_doc(doc, article_id: str, fp: str = "") -> Analysis:
    sent_of = sentence_index(doc)
    ents = build_entities(doc, sent_of)
    claims = extract_claims(doc, ents, article_id, sent_of)
    return Analysis(
        article_id=article_id,
        claims=tuple(claims),
        mentions=ents.to_mentions(article_id),
        entities=ents.to_entities(),
        fingerprint=fp,
    )


def claim_to_json(c: Claim) -> dict:
    """A claim as JSON: every field of the record, in declaration order."""
    return record_dict(c)


def analysis_to_json(a: Analysis, text: str) -> dict:
    """The CLI line: ``{"id", "claims": [...], "entities": [...]}``.

    Entities are ``{"text", "label", "start", "end", "canonical"}``.
    """
    by_id = {e.entity_id: e for e in a.entities}
    entities = []
    for m in a.mentions:
        ent = by_id.get(m.entity_id)
        entities.append(
            {
                "text": text[m.start : m.end],
                "label": m.label,
                "start": m.start,
                "end": m.end,
                "canonical": ent.canonical_name if ent else m.surface,
            }
        )
    out: dict = {"id": a.article_id, "claims": [claim_to_json(c) for c in a.claims]}
    out["entities"] = entities
    if not a.analysed:
        out["analysed"] = False
        out["status"] = a.status
        if a.error:
            out["error" if a.status == "failed" else "reason"] = a.error
    return out
