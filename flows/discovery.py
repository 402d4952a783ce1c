"""A web page given as a feed (`mediamon ingest --feed https://site/`): find the feed it
announces, or one at a usual path, and poll that instead.

The ingest flow calls `poll_discovered` when a polled "feed" turns out to be HTML. The feed
found is polled at once and its poll says where it came from (`discovered_from`), so the load
registers it as a feed of its own and retires the page's entry; the user sees one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from extractors.charset import charset_from_content_type, decode
from extractors.discovery import COMMON_FEED_PATHS, common_feed_urls, feed_links
from extractors.outlets import outlet_name, site_name_from_markup
from extractors.records import FeedPoll, feed_id_for
from flows.fetcher import HttpResult
from warehouse.queries import FeedToPoll

# Only feeds that parse into something count as found (a /feed path answering with another
# web page or an error page is not a feed).
_FEED_KINDS = frozenset({"rss", "atom", "rdf", "json", "news-sitemap", "sitemap"})


def poll_discovered(
    feed: FeedToPoll, page: HttpResult, poll: Callable[[FeedToPoll], FeedPoll]
) -> FeedPoll:
    """Poll the feed the web page at `feed.url` leads to: its announced feeds (in page order),
    else the usual paths at the site root. `poll` polls one feed (without discovery)."""
    html, _ = decode(page.body, charset_from_content_type(page.content_type))
    announced = feed_links(html, page.final_url)
    host = urlsplit(page.final_url).hostname
    outlet = feed.outlet or outlet_name(site_name_from_markup(html), host)
    for url in announced or common_feed_urls(page.final_url):
        target = FeedToPoll(feed_id_for(url), url, outlet, etag=None, last_modified=None,
                            min_interval_s=feed.min_interval_s)  # fmt: skip
        found = poll(target)
        if found.error is None and found.kind in _FEED_KINDS:
            how = "announces" if announced else "has"
            note = f"{feed.url} is a web page; it {how} the feed {url}, registered and polled"
            return replace(found, discovered_from=feed.feed_id, warning=note)
    if announced:
        why = f"none of the {len(announced)} feed(s) it announces could be read"
    else:
        why = f"it announces no feed and none of {', '.join(COMMON_FEED_PATHS)} is one"
    return FeedPoll(
        feed_id=feed.feed_id, url=feed.url, outlet=feed.outlet, started_at=page.fetched_at,
        duration_ms=page.elapsed_ms, http_status=page.status, kind="html",
        error=f"a web page, not a feed: {why}",
    )  # fmt: skip
