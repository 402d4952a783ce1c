"""robots.txt per RFC 9309 against real loopback servers: wildcards and longest match
(protego), redirects of robots.txt itself (same host included: no deadlock), 4xx -> allow,
5xx/429/unreachable -> nothing fetched in this run, one fetch of robots.txt per host."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from flows.fetcher import Fetcher, FetchSettings, HttpResult
from flows.robots import interpret
from tests.hostile_server import RoutedServer

LOOPBACK = frozenset({"127.0.0.1"})
HTML = {"Content-Type": "text/html"}
TEXT = {"Content-Type": "text/plain"}
RULES = b"""# a realistic file
User-agent: *
Disallow: /*?print=
Disallow: /*.pdf$
Disallow: /private
Allow: /private/public
"""
PATHS = ["/a?print=1", "/news/story?print=yes&id=3", "/news/story?id=3&print=yes", "/doc.pdf",
         "/files/x.PDF.pdf", "/doc.pdf?download=1", "/doc.pdfx", "/private", "/private/x",
         "/private/public", "/private/public/y", "/privateer", "/news/story?id=3"]  # fmt: skip


def _pages(*paths: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
    return {p: (200, HTML, f"<html>{p}</html>".encode()) for p in paths}


def _fetcher(**kw: object) -> Fetcher:
    base = dict(allow_private_hosts=LOOPBACK, retries=0, read_timeout_s=1.0)
    return Fetcher(FetchSettings(**{**base, **kw}))  # type: ignore[arg-type]


def _within(seconds: float, fn: Callable[[], HttpResult]) -> HttpResult:
    """Run fn in a thread; a hang fails the test instead of the whole suite."""
    box: list[HttpResult] = []
    t = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    t.start()
    t.join(seconds)
    assert box, f"no answer within {seconds} s (deadlock?)"
    return box[0]


def test_wildcards_end_anchors_and_longest_match() -> None:
    routes = {"/robots.txt": (200, TEXT, RULES), **_pages(*PATHS)}
    with RoutedServer(routes) as s, _fetcher() as f:
        allowed = {p: f.get(s.base_url + p).ok for p in PATHS}
        fetched = set(s.paths()) - {"/robots.txt"}
    assert allowed == {
        "/a?print=1": False, "/news/story?print=yes&id=3": False,  # /*?print=
        "/news/story?id=3&print=yes": True,  # "&print=" is not "?print="
        "/doc.pdf": False, "/files/x.PDF.pdf": False,  # /*.pdf$
        "/doc.pdf?download=1": True, "/doc.pdfx": True,  # $ anchors the end
        "/private": False, "/private/x": False,  # Disallow: /private
        "/private/public": True, "/private/public/y": True,  # the longer Allow wins
        "/privateer": False,  # a prefix match, as the RFC says
        "/news/story?id=3": True,
    }  # fmt: skip
    assert fetched == {p for p, ok in allowed.items() if ok}  # refused pages never requested


def test_our_own_group_wins_over_the_star_group() -> None:
    robots = b"User-agent: *\nDisallow: /\n\nUser-agent: mediamon\nDisallow: /only-not-us\n"
    routes = {"/robots.txt": (200, TEXT, robots), **_pages("/story", "/only-not-us")}
    with RoutedServer(routes) as s, _fetcher() as f:
        assert f.get(s.base_url + "/story").ok
        refused = f.get(s.base_url + "/only-not-us")
    assert refused.error == f"refused: disallowed by 127.0.0.1:{s.port}/robots.txt"


def test_same_host_redirect_of_robots_txt_does_not_hang() -> None:
    routes = {
        "/robots.txt": (301, {"Location": "/policies/robots.txt"}, b""),
        "/policies/robots.txt": (200, TEXT, b"User-agent: *\nDisallow: /private\n"),
        **_pages("/ok", "/private/x"),
    }
    with RoutedServer(routes) as s, _fetcher() as f:
        ok = _within(20, lambda: f.get(s.base_url + "/ok"))
        denied = _within(20, lambda: f.get(s.base_url + "/private/x"))
        assert ok.ok and denied.error and "robots.txt" in denied.error
        assert s.paths() == ["/robots.txt", "/policies/robots.txt", "/ok"]


def test_robots_txt_on_another_host_via_redirect() -> None:
    with RoutedServer({"/robots.txt": (200, TEXT, b"User-agent: *\nDisallow: /x\n")}) as other:
        routes = {"/robots.txt": (302, {"Location": other.base_url + "/robots.txt"}, b""),
                  **_pages("/x", "/y")}  # fmt: skip
        with RoutedServer(routes) as s, _fetcher() as f:
            assert not _within(20, lambda: f.get(s.base_url + "/x")).ok
            assert f.get(s.base_url + "/y").ok
            assert s.paths() == ["/robots.txt", "/y"]


@pytest.mark.parametrize("hops, allowed", [(5, False), (6, True)])
def test_five_redirects_are_followed_more_mean_unavailable(hops: int, allowed: bool) -> None:
    routes = {"/robots.txt": (302, {"Location": "/r1"}, b""), **_pages("/secret")}
    for i in range(1, hops):
        routes[f"/r{i}"] = (302, {"Location": f"/r{i + 1}"}, b"")
    routes[f"/r{hops}"] = (200, TEXT, b"User-agent: *\nDisallow: /secret\n")
    with RoutedServer(routes) as s, _fetcher() as f:
        res = _within(20, lambda: f.get(s.base_url + "/secret"))
    # 5 redirects: the rules arrive and apply. 6: "unavailable" (RFC 9309), everything allowed.
    assert res.ok is allowed


@pytest.mark.parametrize("status", [404, 403, 401, 410])
def test_4xx_robots_means_allow_all(status: int) -> None:
    routes = {"/robots.txt": (status, TEXT, b"User-agent: *\nDisallow: /\n"), **_pages("/p")}
    with RoutedServer(routes) as s, _fetcher() as f:
        assert f.get(s.base_url + "/p").ok


@pytest.mark.parametrize("status", [500, 503, 429])
def test_5xx_and_429_robots_means_nothing_this_run(status: int) -> None:
    routes = {"/robots.txt": (status, TEXT, b""), **_pages("/p", "/q")}
    with RoutedServer(routes) as s, _fetcher() as f:
        first, second = f.get(s.base_url + "/p"), f.get(s.base_url + "/q")
        assert s.paths() == ["/robots.txt"]  # asked once, and no page was requested
    for res in (first, second):
        assert not res.ok and res.retryable and "robots.txt" in (res.error or "")
        assert "unreachable" in (res.error or "")


def test_unreachable_robots_means_nothing_this_run() -> None:
    routes = {"/robots.txt": (200, TEXT, b""), **_pages("/p")}
    with RoutedServer(routes, delays={"/robots.txt": 3.0}) as s, _fetcher() as f:
        res = f.get(s.base_url + "/p")  # robots.txt times out (read timeout 1 s)
        assert not res.ok and res.retryable and "timeout" in (res.error or "")
        assert "/p" not in s.paths()


def test_robots_served_with_a_binary_content_type_still_counts() -> None:
    binary = {"Content-Type": "application/octet-stream"}
    routes = {
        "/robots.txt": (200, binary, b"User-agent: *\nDisallow: /no\n"),
        **_pages("/no", "/yes"),
    }
    with RoutedServer(routes) as s, _fetcher() as f:
        assert not f.get(s.base_url + "/no").ok and f.get(s.base_url + "/yes").ok


def test_many_threads_wait_for_one_slow_robots_fetch() -> None:
    paths = [f"/p{i}" for i in range(12)]
    routes = {"/robots.txt": (200, TEXT, b"User-agent: *\nDisallow: /p1\n"), **_pages(*paths)}
    with RoutedServer(routes, delays={"/robots.txt": 0.5}) as s, _fetcher() as f:
        with ThreadPoolExecutor(8) as pool:
            results = dict(zip(paths, pool.map(lambda p: f.get(s.base_url + p), paths),
                               strict=True))  # fmt: skip
        assert s.paths().count("/robots.txt") == 1
    refused = {p for p, r in results.items() if not r.ok}
    assert refused == {"/p1", "/p10", "/p11"}  # "/p1" is a prefix of those too


def test_crawl_delay_with_fractions_and_our_group() -> None:
    robots = b"User-agent: other\nCrawl-delay: 9\n\nUser-agent: mediamon\nCrawl-delay: 0.3\n"
    routes = {"/robots.txt": (200, TEXT, robots), **_pages("/a", "/b", "/c")}
    import time

    with RoutedServer(routes) as s, _fetcher() as f:
        t0 = time.monotonic()
        assert all(f.get(s.base_url + p).ok for p in ("/a", "/b", "/c"))
        elapsed = time.monotonic() - t0
        interval = f._host(f"127.0.0.1:{s.port}").min_interval
    assert interval == 0.3  # our group's delay, not the other agent's 9 s
    assert elapsed >= 0.6  # and it is kept: two gaps of 0.3 s between three requests


def test_interpret_outcomes() -> None:
    rules, error = interpret("h", 200, b"User-agent: *\nDisallow: /x\n", None)
    assert rules is not None and error is None and not rules.can_fetch("http://h/x", "mediamon")
    assert interpret("h", 404, b"", "HTTP 404") == (None, None)
    assert interpret("h", 302, b"", "more than 5 redirects") == (None, None)
    for status, err in ((500, "HTTP 500"), (429, "HTTP 429"), (None, "timeout: ReadTimeout")):
        rules, error = interpret("h", status, b"", err)
        assert rules is None and error and "unreachable" in error
