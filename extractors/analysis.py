"""Public entry point of the extractors: articles in, ``Analysis`` records out.

English articles are parsed and get claims, mentions and entities; any other language, and
text whose language could not be told (None), is returned with status ``skipped`` so it is
stored and visibly skipped, never an error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language

from extractors import nlp as nlp_mod
from extractors.claims import extract_claims, sentence_index
from extractors.entities import build_entities
from extractors.records import Analysis, Claim, record_dict, stable_id

log = logging.getLogger(__name__)

NAME = "mediamon.claims"
VERSION = "1.2"  # bump when output changes
ANALYSED_LANGUAGES = ("en",)


def _is_english(language: str | None) -> bool:
    # None = the language could not be told (detection failed on the text): never assumed to
    # be English, or pages in other scripts would get English claims and entities.
    if language is None or not language.strip():
        return False
    return language.strip().lower().replace("_", "-").split("-")[0] in ANALYSED_LANGUAGES


def fingerprint(nlp: Language | None = None) -> str:
    """Versions of extractor, spaCy, model and options: changes whenever output may change."""
    model = nlp_mod.model_version(nlp) if nlp is not None else nlp_mod.MODEL_NAME
    pipes = ",".join(nlp.pipe_names) if nlp is not None else "default"
    opts = f"langs={'+'.join(ANALYSED_LANGUAGES)};pipes={pipes}"
    raw = f"{NAME}={VERSION}|spacy={spacy.__version__}|model={model}|{opts}"
    return f"{NAME}-{VERSION}-{stable_id(raw, length=12)}"


def analyse(
    nlp: Language,
    items: Iterable[tuple[str, str, str | None]],
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[Analysis]:
    """Analyse ``(article_id, text, language)`` items, yielding one ``Analysis`` each, in order."""
    fp = fingerprint(nlp)

    def feed() -> Iterator[tuple[str, tuple[str, bool]]]:
        for article_id, text, language in items:
            ok = _is_english(language) and bool(text and text.strip())
            # Non-analysed items still go through the stream (as empty text, nearly free) so
            # output order equals input order even with n_process > 1.
            yield (text if ok else ""), (article_id, ok and _is_english(language))

    for doc, (article_id, ok) in nlp.pipe(
        feed(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        if not ok:
            yield Analysis(article_id=article_id, status="skipped", fingerprint=fp)
            continue
        try:
            yield analyse_doc(doc, article_id, fp)
        except Exception as exc:  # one odd article must not stop a batch
            log.exception("claim extraction failed for %s", article_id)
            error = f"{type(exc).__name__}: {exc}"[:500]
            yield Analysis(article_id=article_id, status="failed", fingerprint=fp, error=error)


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
            out["error"] = a.error
    return out
