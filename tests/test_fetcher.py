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
    with Fetcher(FetchSettings(allow_private_hosts=LOOPBACK, max_bytes=1_000_000,
                               read_timeout_s=1.0, total_timeout_s=5.0)) as f:  # fmt: skip
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
    limited = fetcher.get(hostile.base_url + "/429")
    assert limited.status == 429 and limited.retryable and limited.retry_after_s == 7
    gone = fetcher.get(hostile.base_url + "/404")
    assert gone.status == 404 and not gone.retryable
    refused = fetcher.get("http://127.0.0.1:9/")  # discard port: nothing listens
    assert refused.status is None and refused.retryable and "connection" in (refused.error or "")


def test_retry_after_forms() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past
    assert parse_retry_after("soon") is None


@respx.mock
def test_503_with_http_date_retry_after() -> None:
    respx.get("https://news.example/x").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"})
    )
    with Fetcher(FetchSettings()) as f:
        f._resolved["news.example"] = True  # no DNS in unit tests: pretend it is public
        res = f.get("https://news.example/x")
    assert res.status == 503 and res.retryable and res.retry_after_s and res.retry_after_s > 1e6
