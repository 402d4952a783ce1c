"""The `reextract` flow: rerun the current extractors over stored pages and text, no network.

Articles whose cleaning (extractor_version) or analysis (fingerprint) is not from the current
extractors are processed in batches; each batch replaces the article's text (when re-cleaned
from its raw page), claims and mentions in one transaction, so there is never a moment with
two versions of an article's rows, or none.
"""

from __future__ import annotations

import time
import uuid
import zlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NONE
from prefect.task_runners import ThreadPoolTaskRunner

from extractors.clean import EXTRACTOR_VERSION, PageInput
from extractors.pipeline import current_fingerprint
from extractors.records import FeedEntry
from flows import resources, worker
from flows.artifacts import publish_summary
from flows.batching import chunks, retry_on_lock
from flows.settings import Settings
from warehouse import load, queries

BATCH = 64


@dataclass
class ReextractSummary:
    articles: int = 0
    recleaned: int = 0
    clean_errors: int = 0
    claims_before: int = 0
    claims_after: int = 0
    articles_changed: int = 0
    fingerprint: str = ""
    duration_s: float = 0.0


def _page_input(row: tuple) -> PageInput | None:
    (_aid, _text, _lang, outlet, feed_id, url, final_url, body, ctype, charset, fetched_at,
     guid, e_title, e_pub, e_authors, e_lang) = row  # fmt: skip
    if body is None:
        return None
    entry = FeedEntry(
        feed_id=feed_id or "", url=url, guid=guid, title=e_title, published_at=e_pub,
        authors=tuple(e_authors or ()), language=e_lang,
    )  # fmt: skip
    return PageInput(
        url=url, final_url=final_url or url, body=zlib.decompress(body), content_type=ctype,
        header_charset=charset, fetched_at=fetched_at, feed_id=feed_id, outlet=outlet,
        entry=entry,
    )  # fmt: skip


@task(name="reextract-batch", cache_policy=NONE, retries=2, retry_condition_fn=retry_on_lock)
def reextract_batch(
    batch: list[tuple[str, bool]], run_id: str, settings: Settings
) -> dict[str, int]:
    res = resources.for_task(run_id, settings)
    warehouse, write_lock = res.warehouse, res.write_lock
    ids = [a for a, _ in batch]
    needs_clean = dict(batch)
    with write_lock, warehouse.writer() as con:
        rows = queries.reextract_inputs(con, ids)
        before = queries.claim_ids_by_article(con, ids)
    items = [(r[0], r[1], r[2], _page_input(r) if needs_clean[r[0]] else None) for r in rows]
    try:
        # A worker that dies on an article fails that article alone (it keeps its rows).
        results = res.run_cpu_chunked(
            worker.reextract_many, items, on_failure=lambda it, why: (it[0], None, why, None)
        )
    except resources.RunStopped:  # interrupted: these articles are redone by the next run
        return {}
    recleaned = [art for _, art, _, _ in results if art is not None]
    analyses = [an for _, _, _, an in results if an is not None]
    with write_lock, warehouse.writer() as con:
        load.store_reextracted(con, ids, recleaned, analyses)
        after = queries.claim_ids_by_article(con, ids)
    return {
        "articles": len(results),
        "recleaned": len(recleaned),
        "clean_errors": sum(1 for _, _, err, _ in results if err),
        "claims_before": sum(len(v) for v in before.values()),
        "claims_after": sum(len(v) for v in after.values()),
        "articles_changed": sum(1 for a in ids if before.get(a) != after.get(a)),
    }


@flow(name="reextract", task_runner=ThreadPoolTaskRunner(max_workers=3))
def reextract(
    db: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    everything: bool = False,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Re-run cleaning (from raw pages) and analysis over stored articles in [since, until)
    whose rows are from older extractors (or all with everything=True). Reports what changed."""
    settings = settings or Settings.from_env()
    if db:
        settings = replace(settings, db=Path(db))
    t0 = time.monotonic()
    summary = ReextractSummary()
    run_id = uuid.uuid4().hex
    res = resources.open_run(run_id, settings)
    try:
        res.start_cpu_pool(settings.worker_count)
        summary.fingerprint = res.run_cpu(current_fingerprint)
        with res.warehouse.writer() as con:
            todo = queries.articles_to_reextract(
                con, summary.fingerprint, EXTRACTOR_VERSION, since, until, everything
            )
        futures = [reextract_batch.submit(b, run_id, settings) for b in chunks(todo, BATCH)]
        for fut in futures:
            for key, value in fut.result().items():
                setattr(summary, key, getattr(summary, key) + value)
    except KeyboardInterrupt:
        res.abort()  # tasks stop waiting, worker processes end now
        raise
    finally:
        resources.close_run(run_id)
    summary.duration_s = round(time.monotonic() - t0, 2)
    result = summary.__dict__.copy()
    publish_summary("reextract", result)
    return result
