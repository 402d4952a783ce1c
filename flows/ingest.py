"""The `ingest` flow: poll feeds -> queue new page URLs -> fetch -> clean -> load.

Thin orchestration: one Prefect task per batch of feeds or pages (never per article). The
queue in the warehouse is the source of truth, so a run killed at any point is completed by
the next one: feed validators only advance together with the URLs they announced, and pages
leave the queue only in the transaction that stores their article or failure.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from extractors.records import FeedPoll, FeedSpec
from flows import processes, progress, resources
from flows.artifacts import publish_summary
from flows.batching import chunks, retry_on_lock
from flows.feeds_config import load_feeds_file, specs_from_dicts
from flows.ingest_steps import fetch_and_clean, poll_one
from flows.settings import Settings
from warehouse import load, queries, runs
from warehouse.db import Warehouse, WarehouseError

log = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    run_id: str
    db: str
    outlets: int = 0
    feeds_polled: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    entries_new: int = 0
    pages_fetched: int = 0
    articles_new: int = 0
    failures: int = 0
    retries_failed: int = 0  # of the failures: pages that had failed in earlier runs too
    articles_total: int = 0
    claims_total: int = 0
    entities_total: int = 0
    duration_s: float = 0.0
    feed_errors: list[str] = field(default_factory=list)
    feed_notes: list[str] = field(default_factory=list)  # e.g. a feed discovered on a page
    page_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Could the run do its job? Not if every feed failed, or every page failed and not
        all of them were retries of pages that had failed before (a page that fails every
        time, such as a poison page, is recorded again and is no reason to fail the run)."""
        all_feeds_failed = self.feeds_polled > 0 and self.feeds_failed == self.feeds_polled
        all_pages_failed = (
            self.pages_fetched > 0
            and self.failures == self.pages_fetched
            and self.failures > self.retries_failed
        )
        return not (all_feeds_failed or all_pages_failed)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


@task(name="poll-feeds", cache_policy=NONE, retries=2, retry_condition_fn=retry_on_lock)
def poll_feeds(
    batch: list[queries.FeedToPoll], run_id: str, settings: Settings, conditional: bool = True
) -> tuple[list[FeedPoll], dict[str, int]]:
    """Poll a batch of feeds concurrently and queue what they announce.
    Returns the polls and the number of new entries per feed."""
    res = resources.for_task(run_id, settings)
    try:
        polls = res.map_io(lambda f: poll_one(res.fetcher, f, conditional), batch)
    except resources.RunStopped:
        return [], {}  # interrupted: these feeds are polled again by the next run
    with res.write_lock, res.warehouse.writer() as con:
        new = load.record_polls(con, polls, run_id)
    progress.advance("feeds", len(batch))
    return polls, new


@task(name="fetch-clean-load", cache_policy=NONE, retries=2, retry_condition_fn=retry_on_lock)
def process_pages(
    batch: list[queries.PageToFetch], run_id: str, settings: Settings
) -> tuple[int, int, int, list[str]]:
    """Fetch a batch of pages, clean and analyse them in the worker processes, load the batch.
    Returns (new articles, failures, failures of pages tried before, errors). Interrupted,
    it stores nothing: the pages stay queued for the next run."""
    res = resources.for_task(run_id, settings)
    try:
        outcomes, analyses = fetch_and_clean(res, batch, settings)
    except resources.RunStopped:
        return 0, 0, 0, []
    with res.write_lock, res.warehouse.writer() as con:
        new, failures = load.store_page_outcomes(
            con, outcomes, run_id, settings.max_attempts, settings.retry_base_s, analyses
        )
    progress.advance("pages", len(batch))
    tried_before = {p.url for p in batch if p.attempts > 0}
    retries_failed = sum(1 for o in outcomes if o.error and o.url in tried_before)
    errors = [f"{o.url}: {o.error}" for o in outcomes if o.error]
    return new, failures, retries_failed, errors


def _run_id() -> str:
    try:
        from prefect.runtime import flow_run

        if flow_run.id:
            return str(flow_run.id)
    except Exception:  # outside a flow run (direct call in tests)
        pass
    return uuid.uuid4().hex


# Threads, not cores: polls and page batches mostly wait (network, worker processes, lock).
@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=8), log_prints=False)
def ingest(
    feeds: list[FeedSpec] | None = None,
    db: str | None = None,
    only_these_feeds: bool = False,
    fetch_pages: bool = True,
    force: bool = False,
    feeds_file: str | None = None,
    feed_urls: list[str] | None = None,
    tags: list[str] | None = None,
    page_urls: list[str] | None = None,
    conditional: bool = True,
    settings: Settings | None = None,
    allow_private_hosts: list[str] | None = None,
) -> dict[str, Any]:
    """Poll feeds (the given ones, registered first, or every registered active feed), fetch
    every new or due page, clean and load. Returns the run summary.

    Feeds given explicitly (`feeds`, `feeds_file` — only those with one of `tags`, if given —
    and `feed_urls`) are always polled; the other registered feeds only when due (their
    adaptive interval has passed) unless force=True, and not at all with only_these_feeds.
    With fetch_pages=False the run only discovers: new URLs are queued for a later run.
    `page_urls` are queued directly (ad-hoc articles). conditional=False ignores the feeds'
    ETag/Last-Modified (backfill: re-read every feed in full). `allow_private_hosts` adds hosts
    that may be on private/loopback addresses (what `mediamon serve --allow-private` passes).
    The plain-typed parameters are the ones to use from deployments and `prefect deployment
    run --param`."""
    settings = settings or Settings.from_env()
    if db:
        settings = replace(settings, db=Path(db))
    if allow_private_hosts:
        settings = settings.allowing_hosts(*allow_private_hosts)
    feeds = list(feeds or [])
    if feeds_file:
        wanted = set(tags or ())
        feeds += [f for f in load_feeds_file(feeds_file) if not wanted or wanted & set(f.tags)]
    feeds += specs_from_dicts([{"url": u} for u in feed_urls or []])  # named by their title
    t0 = time.monotonic()
    started_at = datetime.now(UTC)
    warehouse = Warehouse(settings.db, lock_timeout_s=settings.lock_timeout_s)
    summary = IngestSummary(run_id=_run_id(), db=str(settings.db))
    run_id = summary.run_id
    params = {
        "feeds": [f.url for f in feeds],
        "only": only_these_feeds,
        "force": force,
        "page_urls": page_urls or [],
        "tags": tags or [],
        "conditional": conditional,
    }
    with warehouse.writer() as con:
        load.upsert_feeds(con, feeds)
        load.enqueue_urls(con, page_urls or [])
        _start_run(con, run_id, params)
        to_poll = queries.feeds_to_poll(
            con,
            explicit=[f.feed_id for f in feeds],
            only_explicit=only_these_feeds,
            due_before=None if force else datetime.now(UTC),
        )
    res = resources.open_run(run_id, settings, warehouse)
    log.debug("flow started, %d feeds to poll", len(to_poll))
    try:
        _poll_and_fetch(res, run_id, to_poll, summary, fetch_pages, conditional)
    except BaseException as exc:
        _record_abort(res, run_id, summary, exc)
        raise
    finally:
        resources.close_run(run_id)
    summary.duration_s = round(time.monotonic() - t0, 2)
    with warehouse.writer() as con:
        totals = runs.warehouse_totals(con)
        summary.outlets, summary.articles_total = totals["outlets"], totals["articles"]
        summary.claims_total, summary.entities_total = totals["claims"], totals["entities"]
        runs.finish_run(con, run_id, "completed" if summary.ok else "failed", summary.as_dict())
        top_claims, new_entities = queries.run_highlights(con, run_id, started_at)
    highlights = _highlights_markdown(summary, top_claims, new_entities)
    publish_summary("ingest", summary.as_dict(), highlights)
    return summary.as_dict()


def _start_run(con: Any, run_id: str, params: dict[str, Any]) -> None:
    """Record this run with its process, and mark runs whose process died (kill -9, power
    loss) 'crashed': their work is still queued, this run does it."""
    crashed = runs.mark_crashed(con, processes.dead_runs(runs.unfinished_runs(con)))
    if crashed:
        log.info("%d earlier run(s) had died without finishing: marked crashed", crashed)
    runs.start_run(con, run_id, "ingest", params, pid=os.getpid(), host=processes.this_host())


def _poll_and_fetch(
    res: resources.RunResources,
    run_id: str,
    to_poll: list[queries.FeedToPoll],
    summary: IngestSummary,
    fetch_pages: bool,
    conditional: bool,
) -> None:
    """Poll the feeds in batches and process the pages they announce as they come."""
    settings = res.settings
    progress.stage("feeds", len(to_poll))
    progress.stage("pages", 0)
    poll_futures = [
        poll_feeds.submit(batch, run_id, settings, conditional)
        for batch in chunks(to_poll, settings.feed_batch_size)
    ]
    # Pages are processed while the remaining feeds are still being polled: each poll
    # batch's new pages go to work at once, so network and CPU overlap from the start.
    submitted: set[str] = set()
    page_futures: list[tuple[int, Any]] = []

    def submit_due() -> None:
        if not fetch_pages:
            return
        with res.warehouse.writer() as con:
            due = [p for p in queries.due_pages(con, datetime.now(UTC)) if p.url not in submitted]
        if not due:
            return
        res.start_cpu_pool(settings.worker_count)
        submitted.update(p.url for p in due)
        progress.stage("pages", len(submitted))
        for b in chunks(due, settings.page_batch_size):
            page_futures.append((len(b), process_pages.submit(b, run_id, settings)))

    submit_due()  # retries and leftovers of earlier runs start right away
    for fut in as_completed(poll_futures):
        polls, new = fut.result()
        for p in polls:
            summary.feeds_polled += 1
            summary.feeds_not_modified += p.not_modified
            if p.error:
                summary.feeds_failed += 1
                summary.feed_errors.append(f"{p.url}: {p.error}")
            elif p.discovered_from and p.warning:
                summary.feed_notes.append(p.warning)
        summary.entries_new += sum(new.values())
        if sum(new.values()):
            submit_due()
    log.debug("feeds polled: %d, page batches submitted: %d", len(to_poll), len(page_futures))
    for size, fut in page_futures:
        new_articles, failures, retries_failed, errors = fut.result()
        summary.pages_fetched += size
        summary.articles_new += new_articles
        summary.failures += failures
        summary.retries_failed += retries_failed
        summary.page_errors.extend(errors)


# How long an interrupted run waits for the warehouse to record that it was interrupted; if
# another process holds the file longer, the next run marks this one crashed instead.
RECORD_ON_INTERRUPT_S = 1.5


def _record_abort(
    res: resources.RunResources, run_id: str, summary: IngestSummary, exc: BaseException
) -> None:
    """Leave an honest record of a run that did not finish: 'interrupted' (Ctrl-C: its tasks
    are told to stop and its worker processes end now) or 'failed'. The queue keeps the work
    for the next run either way."""
    interrupted = isinstance(exc, KeyboardInterrupt) or res.stopping.is_set()
    if interrupted:
        res.abort()
    wait_s = RECORD_ON_INTERRUPT_S if interrupted else res.settings.lock_timeout_s
    try:
        with Warehouse(res.settings.db, lock_timeout_s=wait_s).writer() as con:
            runs.finish_run(
                con, run_id, "interrupted" if interrupted else "failed", summary.as_dict()
            )
    except WarehouseError as err:  # the original exception is what the caller must see
        log.warning("could not record the end of run %s: %s", run_id, err)


def _highlights_markdown(
    summary: IngestSummary, top_claims: list[tuple], new_entities: list[tuple]
) -> str:
    parts = []
    if top_claims:
        parts.append("## Top claims\n")
        parts += [f"- **{s}** ({cue}, {outlet}): {c[:200]}" for s, cue, c, outlet in top_claims]
    if new_entities:
        parts.append("\n## New entities\n")
        parts.append(", ".join(f"{name} ({kind})" for name, kind in new_entities))
    errors = summary.feed_errors + summary.page_errors
    if errors:
        parts.append(f"\n## Failures ({len(errors)})\n")
        parts += [f"- {e[:200]}" for e in errors[:20]]
    return "\n".join(parts)
