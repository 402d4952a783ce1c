"""The `ingest` flow: poll feeds -> queue new page URLs -> fetch -> clean -> load.

Thin orchestration: one Prefect task per batch of feeds or pages (never per article). The
queue in the warehouse is the source of truth, so a run killed at any point is completed by
the next one: feed validators only advance together with the URLs they announced, and pages
leave the queue only in the transaction that stores their article or failure.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from prefect import flow, task
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from extractors.charset import charset_from_content_type
from extractors.clean import PageInput
from extractors.feeds import parse_feed
from extractors.outlets import outlet_name
from extractors.records import FeedEntry, FeedPoll, FeedSpec, FetchedPage, PageOutcome
from extractors.urls import normalise_url
from flows import progress, resources
from flows.artifacts import publish_summary
from flows.batching import chunks, retry_on_lock
from flows.discovery import poll_discovered
from flows.feeds_config import load_feeds_file, specs_from_dicts
from flows.fetcher import PAGE_TYPES, Fetcher, HttpResult
from flows.schedule import next_interval
from flows.settings import Settings
from warehouse import load, queries
from warehouse.db import Warehouse, scalar

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, application/feed+json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_CHILD_SITEMAPS = 50


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
    articles_total: int = 0
    claims_total: int = 0
    entities_total: int = 0
    duration_s: float = 0.0
    feed_errors: list[str] = field(default_factory=list)
    feed_notes: list[str] = field(default_factory=list)  # e.g. a feed discovered on a page
    page_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Could the run do its job? Not if every feed failed or every page failed."""
        all_feeds_failed = self.feeds_polled > 0 and self.feeds_failed == self.feeds_polled
        all_pages_failed = self.pages_fetched > 0 and self.failures == self.pages_fetched
        return not (all_feeds_failed or all_pages_failed)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok}


def poll_one(
    fetcher: Fetcher, feed: queries.FeedToPoll, conditional: bool = True, discover: bool = True
) -> FeedPoll:
    """Conditional GET of one feed (unless conditional=False), then parse; sitemap indexes
    are followed one level; a web page leads to the feed it announces (discover=True)."""
    started = datetime.now(UTC)
    t0 = time.monotonic()
    res = fetcher.get(
        feed.url,
        etag=feed.etag if conditional else None,
        last_modified=feed.last_modified if conditional else None,
        accept=FEED_ACCEPT,
    )

    def done(**kw: Any) -> FeedPoll:
        return FeedPoll(
            feed_id=feed.feed_id,
            url=feed.url,
            outlet=kw.pop("outlet", feed.outlet),
            started_at=started,
            duration_ms=int((time.monotonic() - t0) * 1000),
            http_status=res.status,
            **kw,
        )

    unchanged = next_interval((), feed.poll_interval_s, feed.min_interval_s, changed=False)
    if res.status == 304:
        return done(
            not_modified=True, etag=feed.etag, last_modified=feed.last_modified,
            poll_interval_s=unchanged,
        )  # fmt: skip
    if not res.ok:
        return done(
            error=res.error or f"HTTP {res.status}", poll_interval_s=unchanged,
            retry_after_s=res.retry_after_s,
        )  # fmt: skip
    parsed = parse_feed(res.body, feed.feed_id, res.content_type, res.final_url)
    if parsed.kind == "html" and discover:
        return poll_discovered(feed, res, lambda f: poll_one(fetcher, f, discover=False))
    entries = parsed.entries
    if parsed.kind == "sitemap-index":
        entries = _follow_sitemaps(fetcher, feed.feed_id, parsed.entries)
    if parsed.error:
        return done(
            error=f"unparseable feed: {parsed.error}", kind=parsed.kind, poll_interval_s=unchanged
        )
    return done(
        poll_interval_s=next_interval(
            (e.published_at for e in entries),
            feed.poll_interval_s,
            feed.min_interval_s,
            changed=True,
        ),
        etag=res.headers.get("etag"),
        last_modified=res.headers.get("last-modified"),
        kind=parsed.kind,
        entries=entries,
        warning=parsed.warning,
        # A feed nobody named (ad hoc) is named after its own title.
        outlet=feed.outlet or outlet_name(parsed.title, urlsplit(feed.url).hostname),
    )


def _follow_sitemaps(
    fetcher: Fetcher, feed_id: str, children: Sequence[FeedEntry]
) -> tuple[FeedEntry, ...]:
    out: list[FeedEntry] = []
    for child in list(children)[:MAX_CHILD_SITEMAPS]:
        r = fetcher.get(child.url, accept=FEED_ACCEPT)
        if r.ok:
            sub = parse_feed(r.body, feed_id, r.content_type, r.final_url)
            if sub.kind != "sitemap-index":  # one level only: no recursion games
                out.extend(sub.entries)
    return tuple(out)


@task(name="poll-feeds", cache_policy=NONE, retries=2, retry_condition_fn=retry_on_lock)
def poll_feeds(
    batch: list[queries.FeedToPoll], run_id: str, settings: Settings, conditional: bool = True
) -> tuple[list[FeedPoll], dict[str, int]]:
    """Poll a batch of feeds concurrently and queue what they announce.
    Returns the polls and the number of new entries per feed."""
    res = resources.for_task(run_id, settings)
    polls = list(res.io_pool.map(lambda f: poll_one(res.fetcher, f, conditional), batch))
    with res.write_lock, res.warehouse.writer() as con:
        new = load.record_polls(con, polls, run_id)
    progress.advance("feeds", len(batch))
    return polls, new


def _outcome_from_http(page: queries.PageToFetch, res: HttpResult) -> PageOutcome | PageInput:
    if not res.ok:
        return PageOutcome(
            url=page.url,
            attempted_at=res.fetched_at,
            http_status=res.status,
            error=res.error or f"HTTP {res.status}",
            retryable=res.retryable,
            retry_after_s=res.retry_after_s,
        )
    entry = FeedEntry(
        feed_id=page.feed_id or "",
        url=page.url,
        guid=page.guid,
        title=page.entry_title,
        published_at=page.entry_published_at,
        authors=page.entry_authors,
        language=page.entry_language,
    )
    return PageInput(
        url=page.url,
        final_url=normalise_url(res.final_url),
        body=res.body,
        content_type=res.content_type,
        header_charset=charset_from_content_type(res.content_type),
        fetched_at=res.fetched_at,
        feed_id=page.feed_id,
        outlet=page.outlet,
        entry=entry,
    )


@task(name="fetch-clean-load", cache_policy=NONE, retries=2, retry_condition_fn=retry_on_lock)
def process_pages(
    batch: list[queries.PageToFetch], run_id: str, settings: Settings
) -> tuple[int, int, list[str]]:
    """Fetch a batch of pages, clean and analyse them in the worker processes, load the batch."""
    res_ = resources.for_task(run_id, settings)
    fetcher, io_pool = res_.fetcher, res_.io_pool
    t0 = time.monotonic()
    results = list(
        io_pool.map(
            lambda p: fetcher.get(p.url, accept=PAGE_ACCEPT, allowed_types=PAGE_TYPES), batch
        )
    )
    outcomes: list[PageOutcome] = []
    to_clean: list[tuple[PageInput, HttpResult]] = []
    for page, res in zip(batch, results, strict=True):
        item = _outcome_from_http(page, res)
        if isinstance(item, PageOutcome):
            outcomes.append(item)
        else:
            to_clean.append((item, res))
    analyses = []
    if to_clean:
        from extractors.pipeline import clean_and_analyse  # spaCy: only when there is work

        t1 = time.monotonic()
        cleaned = res_.run_cpu_chunked(clean_and_analyse, [p for p, _ in to_clean], settings.claims)
        t2 = time.monotonic()
        for (inp, res), (article, error, analysis) in zip(to_clean, cleaned, strict=True):
            if analysis is not None:
                analyses.append(analysis)
            fetched = FetchedPage(
                url=inp.url,
                final_url=res.final_url,
                status=res.status or 0,
                body=res.body,
                content_type=res.content_type,
                charset=inp.header_charset,
                fetched_at=res.fetched_at,
                redirects=res.redirects,
            )
            outcomes.append(
                PageOutcome(
                    url=inp.url,
                    attempted_at=res.fetched_at,
                    http_status=res.status,
                    article=article,
                    page=fetched,
                    error=error,
                )
            )
    with res_.write_lock, res_.warehouse.writer() as con:
        new, failures = load.store_page_outcomes(
            con, outcomes, run_id, settings.max_attempts, settings.retry_base_s, analyses
        )
    if to_clean:
        log.debug(
            "batch of %d pages: fetch %.2f s, clean+analyse %.2f s, load %.2f s",
            len(batch), t1 - t0, t2 - t1, time.monotonic() - t2,
        )  # fmt: skip
    progress.advance("pages", len(batch))
    errors = [f"{o.url}: {o.error}" for o in outcomes if o.error]
    return new, failures, errors


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
) -> dict[str, Any]:
    """Poll feeds (the given ones, registered first, or every registered active feed), fetch
    every new or due page, clean and load. Returns the run summary.

    Feeds given explicitly (`feeds`, `feeds_file` — only those with one of `tags`, if given —
    and `feed_urls`) are always polled; the other registered feeds only when due (their
    adaptive interval has passed) unless force=True, and not at all with only_these_feeds.
    With fetch_pages=False the run only discovers: new URLs are queued for a later run.
    `page_urls` are queued directly (ad-hoc articles). conditional=False ignores the feeds'
    ETag/Last-Modified (backfill: re-read every feed in full).
    The plain-typed parameters are the ones to use from deployments and `prefect deployment
    run --param`."""
    settings = settings or Settings.from_env()
    if db:
        settings = replace(settings, db=Path(db))
    feeds = list(feeds or [])
    if feeds_file:
        wanted = set(tags or ())
        feeds += [f for f in load_feeds_file(feeds_file) if not wanted or wanted & set(f.tags)]
    feeds += specs_from_dicts([{"url": u} for u in feed_urls or []])  # named by their title
    t0 = time.monotonic()
    started_at = datetime.now(UTC)
    warehouse = Warehouse(settings.db, lock_timeout_s=settings.lock_timeout_s)
    run_id = _run_id()
    summary = IngestSummary(run_id=run_id, db=str(settings.db))
    with warehouse.writer() as con:
        load.upsert_feeds(con, feeds)
        load.enqueue_urls(con, page_urls or [])
        load.start_run(
            con, run_id, "ingest",
            {"feeds": [f.url for f in feeds], "only": only_these_feeds, "force": force,
             "page_urls": page_urls or [], "tags": tags or [], "conditional": conditional},
        )  # fmt: skip
        to_poll = queries.feeds_to_poll(
            con,
            explicit=[f.feed_id for f in feeds],
            only_explicit=only_these_feeds,
            due_before=None if force else datetime.now(UTC),
        )
    res = resources.open_run(run_id, settings)
    log.debug("flow started, %d feeds to poll", len(to_poll))
    try:
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
            with warehouse.writer() as con:
                due = [p for p in queries.due_pages(con, datetime.now(UTC))
                       if p.url not in submitted]  # fmt: skip
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
            new_articles, failures, errors = fut.result()
            summary.pages_fetched += size
            summary.articles_new += new_articles
            summary.failures += failures
            summary.page_errors.extend(errors)
    except BaseException:
        # Leave an honest record: the run failed (the queue keeps its work for the next run).
        with warehouse.writer() as con:
            load.finish_run(con, run_id, "failed", summary.as_dict())
        raise
    finally:
        resources.close_run(run_id)
    summary.duration_s = round(time.monotonic() - t0, 2)
    with warehouse.writer() as con:
        summary.outlets = scalar(con, "SELECT count(*) FROM outlets")
        summary.articles_total = scalar(con, "SELECT count(*) FROM articles")
        summary.claims_total = scalar(con, "SELECT count(*) FROM claims")
        summary.entities_total = scalar(con, "SELECT count(*) FROM entities")
        load.finish_run(con, run_id, "completed" if summary.ok else "failed", summary.as_dict())
        top_claims, new_entities = queries.run_highlights(con, run_id, started_at)
    highlights = _highlights_markdown(summary, top_claims, new_entities)
    publish_summary("ingest", summary.as_dict(), highlights)
    return summary.as_dict()


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
