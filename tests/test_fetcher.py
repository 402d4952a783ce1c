"""The fetcher against real loopback servers (demo site, a hostile one) and, for header
edge cases only, respx."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from flows.fetcher import Fetcher, FetchSettings, parse_retry_after
from tests.hostile_server import HostileServer

LOOPBACK = frozenset({"127.0.0.1"})


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    settings = FetchSettings(
        allow_private_hosts=LOOPBACK, max_bytes=1_000_000, read_timeout_s=1.0,
        total_timeout_s=5.0, retries=0, obey_robots=False,
    )  # fmt: skip
    with Fetcher(settings) as f:
        yield f


def test_conditional_get_gives_304(demo_site, fetcher: Fetcher) -> None:
    url = demo_site.feeds()[0]["url"]
    first = fetcher.get(url)
    assert first.ok and first.headers.get("etag") and first.body
    second = fetcher.get(url, etag=first.headers["etag"])
    assert second.status == 304 and second.body == b""
    third = fetcher.get(url, last_modified=first.headers["last-modified"])
    assert third.status == 304


def test_user_agent_and_gzip(demo_site, fetcher: Fetcher) -> None:
    res = fetcher.get(demo_site.feeds()[1]["url"])
    assert res.ok and res.headers.get("content-encoding") == "gzip"
    assert res.body.lstrip().startswith(b"<?xml")  # decompressed for us


def test_redirects_are_followed_recorded_and_bounded(
    hostile: HostileServer, fetcher: Fetcher
) -> None:
    ok = fetcher.get(hostile.base_url + "/chain/3")
    assert ok.ok and ok.body == b"end" and len(ok.redirects) == 3
    assert ok.final_url.endswith("/chain/0")
    too_many = fetcher.get(hostile.base_url + "/chain/9")
    assert not too_many.ok and "redirects" in (too_many.error or "")
    loop = fetcher.get(hostile.base_url + "/loop")
    assert not loop.ok and "loop" in (loop.error or "")


def test_private_and_non_http_targets_are_refused(hostile: HostileServer) -> None:
    with Fetcher(FetchSettings()) as strict:  # loopback not allowed
        res = strict.get(hostile.base_url + "/ok")
        assert not res.ok and res.error and res.error.startswith("refused") and not res.retryable
    with Fetcher(FetchSettings(allow_private_hosts=LOOPBACK)) as f:
        meta = f.get(hostile.base_url + "/to-metadata")
        assert meta.error and "169.254.169.254" in meta.error and meta.status is None
        file_ = f.get(hostile.base_url + "/to-file")
        assert file_.error and "only http and https" in file_.error


def test_body_caps_stop_endless_bodies_and_gzip_bombs(
    hostile: HostileServer, fetcher: Fetcher
) -> None:
    endless = fetcher.get(hostile.base_url + "/endless")
    assert not endless.ok and "larger than" in (endless.error or "")
    bomb = fetcher.get(hostile.base_url + "/bomb")
    assert not bomb.ok and "larger than" in (bomb.error or "")


def test_timeouts_and_statuses_are_classified(hostile: HostileServer, fetcher: Fetcher) -> None:
    slow = fetcher.get(hostile.base_url + "/slow")
    assert slow.error and slow.error.startswith("timeout") and slow.retryable
    gone = fetcher.get(hostile.base_url + "/404")
    assert gone.status == 404 and not gone.retryable
    limited = fetcher.get(hostile.base_url + "/429")
    assert limited.status == 429 and limited.retryable and limited.retry_after_s == 7
    refused = fetcher.get("http://127.0.0.1:9/")  # discard port: nothing listens
    assert refused.status is None and refused.retryable and "connection" in (refused.error or "")


def test_retry_after_forms() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past
    assert parse_retry_after("soon") is None


@respx.mock
def test_503_with_http_date_retry_after() -> None:
    respx.get("https://news.example/robots.txt").mock(return_value=httpx.Response(404))
    respx.get("https://news.example/x").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"})
    )
    with Fetcher(FetchSettings()) as f:
        f._resolved["news.example"] = True  # no DNS in unit tests: pretend it is public
        res = f.get("https://news.example/x")
    assert res.status == 503 and res.retryable and res.retry_after_s and res.retry_after_s > 1e6


def test_robots_txt_is_obeyed_with_its_crawl_delay(hostile: HostileServer) -> None:
    import time

    with Fetcher(FetchSettings(allow_private_hosts=LOOPBACK, retries=0)) as f:
        denied = f.get(hostile.base_url + "/private/page")
        assert denied.error and "robots.txt" in denied.error and not denied.retryable
        t0 = time.monotonic()
        for _ in range(3):
            assert f.get(hostile.base_url + "/ok").ok
        assert time.monotonic() - t0 >= 0.4  # Crawl-delay 0.2 s between requests
    assert "/private/page" not in HostileServerCounts.of(hostile)


class HostileServerCounts:
    @staticmethod
    def of(server: HostileServer) -> dict[str, int]:
        from tests.hostile_server import Handler

        return dict(Handler.counts)


def test_transient_failures_are_retried_within_the_run(hostile: HostileServer) -> None:
    settings = FetchSettings(allow_private_hosts=LOOPBACK, retries=2, backoff_base_s=0.01)
    with Fetcher(settings) as f:
        res = f.get(hostile.base_url + "/flaky-a")
    assert res.ok and res.body == b"<html>finally</html>"
    with Fetcher(FetchSettings(allow_private_hosts=LOOPBACK, retries=1)) as f:
        res = f.get(hostile.base_url + "/flaky-b")
    assert res.status == 503 and res.retryable  # out of tries: left to a later run


def test_binary_content_is_refused_without_reading_it(hostile: HostileServer) -> None:
    from flows.fetcher import PAGE_TYPES

    with Fetcher(FetchSettings(allow_private_hosts=LOOPBACK, obey_robots=False)) as f:
        res = f.get(hostile.base_url + "/binary", allowed_types=PAGE_TYPES)
        assert res.error == "not a page: content type application/octet-stream"
        assert f.get(hostile.base_url + "/binary").error.startswith("not a document")


def test_per_host_concurrency_is_never_exceeded(demo_site) -> None:
    from concurrent.futures import ThreadPoolExecutor

    urls = [demo_site.base_url + a["path"] for a in __import__("demosite").articles()[:20]]
    demo_site.reset_stats()
    settings = FetchSettings(allow_private_hosts=LOOPBACK, per_host_concurrency=2,
                             global_concurrency=16)  # fmt: skip
    with Fetcher(settings) as f, ThreadPoolExecutor(16) as pool:
        results = list(pool.map(f.get, urls))
    assert all(r.ok for r in results)
    assert 1 <= demo_site.stats()["max_in_flight"] <= 2


def test_crawl_delay_parsing() -> None:
    from flows.fetcher import crawl_delay

    lines = ["User-agent: other", "Crawl-delay: 9", "", "User-agent: *", "Crawl-delay: 1.5",
             "User-agent: mediamon", "Disallow: /x", "Crawl-delay: 3"]  # fmt: skip
    assert crawl_delay(lines, "mediamon/0.1 (+https://example)") == 3
    assert crawl_delay(lines[:5], "mediamon/0.1") == 1.5
    assert crawl_delay(["User-agent: *", "Disallow: /"], "mediamon") is None


def test_gzipped_sitemaps_reach_the_feed_parser_but_never_the_page_cleaner(
    fetcher: Fetcher,
) -> None:
    import gzip

    from flows.fetcher import PAGE_TYPES
    from tests.static_site import StaticSite

    body = gzip.compress(b"<urlset/>")
    routes = {"/a.xml.gz": ("application/gzip", body), "/b.xml.gz": ("application/x-gzip", body)}
    with StaticSite(routes) as site:
        for path in routes:
            feed = fetcher.get(site.base_url + path)
            assert feed.ok and feed.body == body  # bytes as served: the parser inflates them
            page = fetcher.get(site.base_url + path, allowed_types=PAGE_TYPES)
            assert not page.ok and "not a page" in (page.error or "")
