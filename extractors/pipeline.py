"""What one worker process does with a batch of fetched pages: clean each page to its
article, then analyse the articles' text (claims, mentions, entities) in one `nlp.pipe`.

Runs in the ingest flow's process pool: the spaCy model is loaded once per process
(extractors.nlp caches it) and both cores work on different batches."""

from __future__ import annotations

from extractors.analysis import analyse
from extractors.clean import PageInput, clean_many
from extractors.nlp import load_nlp
from extractors.records import Analysis, Article

PageResult = tuple[Article | None, str | None, Analysis | None]


def clean_and_analyse(pages: list[PageInput], with_claims: bool = True) -> list[PageResult]:
    """(article, None, analysis) per page that yields an article, (None, reason, None) else."""
    cleaned = clean_many(pages)
    if not with_claims:
        return [(a, e, None) for a, e in cleaned]
    items = [(a.article_id, a.text, a.language) for a, _ in cleaned if a is not None]
    analyses = {an.article_id: an for an in analyse(load_nlp(), items)}
    return [(a, e, analyses.get(a.article_id) if a else None) for a, e in cleaned]


def current_fingerprint() -> str:
    """Fingerprint of the analysis this process would produce now (model loaded)."""
    from extractors.analysis import fingerprint

    return fingerprint(load_nlp())


def reextract_many(
    items: list[tuple[str, str, str | None, PageInput | None]],
) -> list[tuple[str, Article | None, str | None, Analysis]]:
    """Re-run the current extractors over stored material, no network: items are
    (article_id, stored text, language, raw page or None). With a raw page the article is
    cleaned again (keeping its article_id); then its text is analysed. Returns
    (article_id, re-cleaned article or None, cleaning error or None, analysis)."""
    import dataclasses

    from extractors.clean import ExtractionError, clean_page

    prepared = []
    for article_id, text, language, page in items:
        article, error = None, None
        if page is not None:
            try:
                article = dataclasses.replace(clean_page(page), article_id=article_id)
                text, language = article.text, article.language
            except ExtractionError as exc:
                error = str(exc)  # keep the stored text: it is better than none
        prepared.append((article_id, text, language, article, error))
    analyses = analyse(load_nlp(), [(a, t, lang) for a, t, lang, _, _ in prepared])
    return [
        (article_id, article, error, an)
        for (article_id, _t, _l, article, error), an in zip(prepared, analyses, strict=True)
    ]
