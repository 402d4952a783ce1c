"""The steps of an ingest run that touch one feed or one batch of pages: poll a feed, fetch
a batch of pages and clean and analyse them in the worker processes. The Prefect tasks and the
flow that schedule them are in flows/ingest.py."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from extractors.charset import charset_from_content_type
from extractors.clean import PageInput
from extractors.feeds import parse_feed
from extractors.outlets import outlet_name
from extractors.records import Analysis, Article, FeedEntry, FeedPoll, FetchedPage, PageOutcome
from extractors.urls import normalise_url
from flows import resources, worker
from flows.discovery import poll_discovered
from flows.fetcher import PAGE_TYPES, Fetcher, HttpResult
from flows.schedule import next_interval
from flows.settings import Settings
from warehouse import queries

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, application/feed+json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_CHILD_SITEMAPS = 50


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


def outcome_from_http(page: queries.PageToFetch, res: HttpResult) -> PageOutcome | PageInput:
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


def fetch_and_clean(
    res: resources.RunResources, batch: list[queries.PageToFetch], settings: Settings
) -> tuple[list[PageOutcome], list[Analysis]]:
    t0 = time.monotonic()
    results = res.map_io(
        lambda p: res.fetcher.get(p.url, accept=PAGE_ACCEPT, allowed_types=PAGE_TYPES), batch
    )
    outcomes: list[PageOutcome] = []
    to_clean: list[tuple[PageInput, HttpResult]] = []
    for page, http in zip(batch, results, strict=True):
        item = outcome_from_http(page, http)
        if isinstance(item, PageOutcome):
            outcomes.append(item)
        else:
            to_clean.append((item, http))
    if not to_clean:
        return outcomes, []
    t1 = time.monotonic()
    cleaned = res.run_cpu_chunked(
        worker.clean_and_analyse, [p for p, _ in to_clean], settings.claims,
        on_failure=lambda page, reason: (None, reason, None),
    )  # fmt: skip
    t2 = time.monotonic()
    analyses = [an for _, _, an in cleaned if an is not None]
    for (inp, http), (article, error, _an) in zip(to_clean, cleaned, strict=True):
        outcomes.append(cleaned_outcome(inp, http, article, error))
    log.debug(
        "batch of %d pages: fetch %.2f s, clean+analyse %.2f s",
        len(batch), t1 - t0, t2 - t1,
    )  # fmt: skip
    return outcomes, analyses


def cleaned_outcome(
    inp: PageInput, http: HttpResult, article: Article | None, error: str | None
) -> PageOutcome:
    fetched = FetchedPage(
        url=inp.url, final_url=http.final_url, status=http.status or 0, body=http.body,
        content_type=http.content_type, charset=inp.header_charset,
        fetched_at=http.fetched_at, redirects=http.redirects,
    )  # fmt: skip
    return PageOutcome(
        url=inp.url, attempted_at=http.fetched_at, http_status=http.status, article=article,
        page=fetched, error=error,
    )  # fmt: skip
