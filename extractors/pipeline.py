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
