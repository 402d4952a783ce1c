"""What one worker process does with a batch of fetched pages: clean each page to its
article, then analyse the articles' text (claims, mentions, entities) in one `nlp.pipe`.

Runs in the ingest flow's process pool: the spaCy model is loaded once per process
(extractors.nlp caches it) and both cores work on different batches.

Poison pages are isolated: a page whose cleaning or analysis raises (a parser error, spaCy's
E088 on an over-long text, running out of memory) or runs over its time limit fails alone,
with its reason, and the rest of its batch goes on. Time limits are enforced by a `guard`
supplied by the caller (the worker process arms an alarm; pure callers pass none)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from extractors.analysis import analyse
from extractors.clean import ExtractionError, PageInput, clean_page
from extractors.limits import ANALYSIS_BATCH_S_PER_ITEM, ANALYSIS_LIMIT_S, CLEAN_LIMIT_S
from extractors.nlp import load_nlp
from extractors.records import Analysis, Article

PageResult = tuple[Article | None, str | None, Analysis | None]
AnalysisItem = tuple[str, str, str | None]  # (article_id, text, language)
Guard = Callable[[float], AbstractContextManager[object]]

REASON_CHARS = 300


class TimeLimitExceeded(BaseException):
    """Raised by a guard when a page's cleaning or analysis ran over its time limit. A
    BaseException, like KeyboardInterrupt, so the libraries' own `except Exception` cannot
    swallow it and carry on past the limit."""


def no_guard(seconds: float) -> AbstractContextManager[object]:
    return nullcontext()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:REASON_CHARS]


def clean_one(page: PageInput, guard: Guard = no_guard) -> tuple[Article | None, str | None]:
    """(article, None), or (None, reason) when the page yields no article or cleaning fails."""
    try:
        with guard(CLEAN_LIMIT_S):
            return clean_page(page), None
    except ExtractionError as exc:
        return None, str(exc)
    except (Exception, TimeLimitExceeded) as exc:  # parser errors, RecursionError, MemoryError
        return None, f"cleaning failed: {_reason(exc)}"


def analyse_isolated(
    items: list[AnalysisItem], guard: Guard = no_guard
) -> tuple[dict[str, Analysis], dict[str, str]]:
    """Analyse all items in one `nlp.pipe` (fast); if that raises or runs over its time,
    redo the items not done yet one by one, so a bad article fails alone.
    Returns ({article_id: analysis}, {article_id: reason it failed})."""
    done: dict[str, Analysis] = {}
    if not items:
        return done, {}
    nlp = load_nlp()
    try:
        with guard(ANALYSIS_LIMIT_S + ANALYSIS_BATCH_S_PER_ITEM * len(items)):
            for an in analyse(nlp, items):
                done[an.article_id] = an
        return done, {}
    except (Exception, TimeLimitExceeded):  # isolate below; the reason is given per article
        pass
    failed: dict[str, str] = {}
    for item in items:
        if item[0] in done:
            continue
        try:
            with guard(ANALYSIS_LIMIT_S):
                done[item[0]] = next(iter(analyse(nlp, [item])))
        except (Exception, TimeLimitExceeded) as exc:
            failed[item[0]] = f"analysis failed: {_reason(exc)}"
    return done, failed


def clean_and_analyse(
    pages: list[PageInput], with_claims: bool = True, guard: Guard = no_guard
) -> list[PageResult]:
    """(article, None, analysis) per page that yields an article, (None, reason, None) for a
    page without one or whose cleaning or analysis failed."""
    cleaned = [clean_one(p, guard) for p in pages]
    if not with_claims:
        return [(a, e, None) for a, e in cleaned]
    items = [(a.article_id, a.text, a.language) for a, _ in cleaned if a is not None]
    analyses, failed = analyse_isolated(items, guard)
    out: list[PageResult] = []
    for a, e in cleaned:
        if a is not None and a.article_id in failed:
            out.append((None, failed[a.article_id], None))
        else:
            out.append((a, e, analyses.get(a.article_id) if a else None))
    return out


def current_fingerprint() -> str:
    """Fingerprint of the analysis this process would produce now (model loaded)."""
    from extractors.analysis import fingerprint

    return fingerprint(load_nlp())


def reextract_many(
    items: list[tuple[str, str, str | None, PageInput | None]], guard: Guard = no_guard
) -> list[tuple[str, Article | None, str | None, Analysis | None]]:
    """Re-run the current extractors over stored material, no network: items are
    (article_id, stored text, language, raw page or None). With a raw page the article is
    cleaned again (keeping its article_id); then its text is analysed. Returns
    (article_id, re-cleaned article or None, error or None, analysis or None). When the
    analysis fails the article keeps its stored text and rows (offsets must match the text)."""
    prepared = []
    for article_id, text, language, page in items:
        article, error = None, None
        if page is not None:
            cleaned, error = clean_one(page, guard)  # on error keep the stored text
            if cleaned is not None:
                article = dataclasses.replace(cleaned, article_id=article_id)
                text, language = article.text, article.language
        prepared.append((article_id, text, language, article, error))
    analyses, failed = analyse_isolated([(a, t, lang) for a, t, lang, _, _ in prepared], guard)
    return [
        (article_id, None, failed[article_id], None)
        if article_id in failed
        else (article_id, article, error, analyses.get(article_id))
        for article_id, _t, _l, article, error in prepared
    ]
