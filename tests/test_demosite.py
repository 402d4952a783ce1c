"""Tests for the bundled demo news site, over real HTTP on the loopback interface."""

from __future__ import annotations

import gzip
import html
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

import feedparser
import httpx
import pytest

import demosite
from demosite import DemoSite
from demosite.render import build_site

NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SM_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IDENTITY = {"Accept-Encoding": "identity"}


class _HeadParser(HTMLParser):
    """Collects the <html lang>, <title>, <meta> and <link> tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self.meta: dict[str, str] = {}
        self.charset: str | None = None
        self.links: list[dict[str, str]] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            if "charset" in a:
                self.charset = a["charset"]
            key = a.get("property") or a.get("name")
            if key:
                self.meta[key] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def link(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if link.get("rel") == rel]


def _head(text: str) -> _HeadParser:
    parser = _HeadParser()
    parser.feed(text)
    return parser


def _clean(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@pytest.fixture(scope="module")
def site():
    with DemoSite() as s:
        yield s


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def _feed_links(site: DemoSite, client: httpx.Client) -> dict[str, list[str]]:
    """Item links of every feed, keyed by outlet slug."""
    result = {}
    for feed in site.feeds():
        body = client.get(feed["url"]).content
        if feed["flavour"] == "news-sitemap":
            root = ET.fromstring(body)
            result[feed["outlet"]] = [u.findtext(f"{SM_NS}loc") for u in root]
        else:
            result[feed["outlet"]] = [e.link for e in feedparser.parse(body).entries]
    return result


# --- content ----------------------------------------------------------------------------


def test_content_size_and_shape() -> None:
    outlets = demosite.outlets()
    articles = demosite.articles()
    assert len(outlets) >= 5
    assert len(articles) >= 40
    assert {a["outlet"] for a in articles} == {o["slug"] for o in outlets}
    assert len({a["path"] for a in articles}) == len(articles)
    for a in articles:
        words = sum(len(p.split()) for p in a["body"])
        assert 5 <= len(a["body"]) <= 12, a["slug"]
        assert 250 <= words <= 700, (a["slug"], words)
        published = datetime.fromisoformat(a["published"])
        assert published.tzinfo is not None
        assert "2026-11-01" <= published.date().isoformat() <= "2026-11-27"
        assert a["canonical_url_path"] == a["path"]
        assert a["authors"] and a["headline"]


def test_import_has_no_side_effects() -> None:
    # A fresh interpreter importing the package must not bind ports or print anything.
    out = subprocess.run(
        [sys.executable, "-c", "import demosite, demosite.server, demosite.render"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout == "" and out.stderr == ""


def test_rendering_is_deterministic() -> None:
    a = build_site("http://127.0.0.1:8123")
    b = build_site("http://127.0.0.1:8123")
    assert a.keys() == b.keys()
    assert all(a[k].body == b[k].body for k in a)


# --- feeds ------------------------------------------------------------------------------


def test_all_four_flavours_present(site: DemoSite, client: httpx.Client) -> None:
    versions = set()
    for feed in site.feeds():
        body = client.get(feed["url"]).content
        if feed["flavour"] == "news-sitemap":
            versions.add(ET.fromstring(body).tag)
        else:
            versions.add(feedparser.parse(body).version)
    assert {"rss20", "atom10", "rss10", f"{SM_NS}urlset"} <= versions


def test_feeds_parse_cleanly(site: DemoSite, client: httpx.Client) -> None:
    expected = Counter(a["outlet"] for a in demosite.articles())
    partner = {o["slug"]: len(o["partner_items"]) for o in demosite.outlets()}
    for feed in site.feeds():
        r = client.get(feed["url"])
        assert r.status_code == 200
        want = expected[feed["outlet"]] + partner[feed["outlet"]]
        if feed["flavour"] == "news-sitemap":
            assert r.headers["content-type"] == "application/xml; charset=utf-8"
            root = ET.fromstring(r.content)
            news = root.findall(f"{SM_NS}url/{NEWS_NS}news")
            assert len(news) == want
            for n in news:
                assert n.findtext(f"{NEWS_NS}publication/{NEWS_NS}name")
                assert n.findtext(f"{NEWS_NS}publication/{NEWS_NS}language") == "en"
                assert datetime.fromisoformat(n.findtext(f"{NEWS_NS}publication_date"))
                assert n.findtext(f"{NEWS_NS}title")
        else:
            parsed = feedparser.parse(r.content)
            assert parsed.bozo == 0, (feed["url"], parsed.get("bozo_exception"))
            assert len(parsed.entries) == want
            for entry in parsed.entries:
                # RSS 1.0 only has dc:date, which feedparser reports as "updated".
                assert entry.get("published_parsed") or entry.get("updated_parsed")
                assert entry.title and entry.link
        if feed["flavour"] == "rss2-full":
            entries = feedparser.parse(r.content).entries
            assert all(e.get("author") and e.get("content") for e in entries)


def test_feed_links_resolve_to_canonical_pages(site: DemoSite, client: httpx.Client) -> None:
    by_path = {a["path"]: a for a in demosite.articles()}
    links = [link for ls in _feed_links(site, client).values() for link in ls]
    assert len(links) >= 40
    for link in links:
        r = client.get(link)
        assert r.status_code == 200, link
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        head = _head(r.text)
        clean = _clean(link)
        article = by_path[urlsplit(clean).path]
        assert [c["href"] for c in head.link("canonical")] == [clean]
        assert head.lang == "en"
        assert head.charset == "utf-8"
        assert head.title.strip()
        assert head.meta["og:title"] == article["headline"]
        assert head.meta["og:url"] == clean
        assert head.meta["article:published_time"] == article["published"]
        assert head.meta["author"]
        for paragraph in article["body"]:
            assert html.escape(paragraph, quote=False) in r.text


def test_some_feed_links_carry_tracking_parameters(site: DemoSite, client: httpx.Client) -> None:
    links = [link for ls in _feed_links(site, client).values() for link in ls]
    tracked = [link for link in links if urlsplit(link).query]
    assert any("utm_source=" in link for link in tracked)
    assert any("fbclid=" in link for link in tracked)
    assert len(tracked) < len(links)


def test_one_article_is_listed_in_two_feeds(site: DemoSite, client: httpx.Client) -> None:
    seen = Counter(_clean(link) for ls in _feed_links(site, client).values() for link in set(ls))
    assert [url for url, n in seen.items() if n > 1]


def test_wire_story_republished_with_identical_body(site: DemoSite, client: httpx.Client) -> None:
    articles = demosite.articles()
    copies = [a for a in articles if a["wire_of"]]
    assert copies
    for copy in copies:
        original = next(
            a
            for a in articles
            if a["slug"] == copy["wire_of"] and a["outlet"] == copy["wire_of_outlet"]
        )
        assert copy["outlet"] != original["outlet"]
        assert copy["body"] == original["body"]
        pages = [client.get(site.base_url + a["path"]).text for a in (original, copy)]
        assert pages[0] != pages[1]  # different templates and clutter
        for page in pages:
            for paragraph in copy["body"]:
                assert html.escape(paragraph, quote=False) in page


# --- HTTP behaviour -----------------------------------------------------------------------


def test_etag_conditional_get(site: DemoSite, client: httpx.Client) -> None:
    url = site.feeds()[0]["url"]
    first = client.get(url, headers=IDENTITY)
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(url, headers={**IDENTITY, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    changed = client.get(url, headers={**IDENTITY, "If-None-Match": '"stale"'})
    assert changed.status_code == 200
    # If-None-Match wins over If-Modified-Since when both are sent.
    both = client.get(
        url,
        headers={
            **IDENTITY,
            "If-None-Match": '"stale"',
            "If-Modified-Since": first.headers["last-modified"],
        },
    )
    assert both.status_code == 200


def test_if_modified_since(site: DemoSite, client: httpx.Client) -> None:
    article = demosite.articles()[0]
    url = site.base_url + article["path"]
    first = client.get(url)
    last_modified = parsedate_to_datetime(first.headers["last-modified"])
    assert last_modified == datetime.fromisoformat(article["published"])
    same = client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert same.status_code == 304
    earlier = format_datetime(last_modified.replace(year=2025), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": "garbage"}).status_code == 200


def test_gzip(site: DemoSite, client: httpx.Client) -> None:
    url = site.base_url + "/"
    plain = client.get(url, headers=IDENTITY)
    assert "content-encoding" not in plain.headers
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers["vary"] == "Accept-Encoding"
        gz_etag = r.headers["etag"]
    assert gzip.decompress(raw) == plain.content
    assert gz_etag != plain.headers["etag"] and gz_etag.endswith('-gz"')
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": gz_etag})
    assert again.status_code == 304


def test_responses_are_byte_stable(site: DemoSite, client: httpx.Client) -> None:
    url = site.opml_url
    assert client.get(url).content == client.get(url).content


def test_opml_lists_every_feed(site: DemoSite, client: httpx.Client) -> None:
    r = client.get(site.opml_url)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/x-opml; charset=utf-8"
    root = ET.fromstring(r.content)
    assert root.tag == "opml" and root.get("version") == "2.0"
    outlines = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert {o.get("xmlUrl") for o in outlines} == {f["url"] for f in site.feeds()}
    for o in outlines:
        assert o.get("xmlUrl").startswith(site.base_url + "/")
        assert o.get("htmlUrl").startswith(site.base_url + "/")
        assert o.get("title") and o.get("text") and o.get("category")
        assert o.get("language") == "en"


def test_index_autodiscovery(site: DemoSite, client: httpx.Client) -> None:
    head = _head(client.get(site.base_url + "/").text)
    alternates = {link["href"] for link in head.link("alternate")}
    syndication = {f["url"] for f in site.feeds() if f["flavour"] != "news-sitemap"}
    assert syndication <= alternates
    for outlet in demosite.outlets():
        r = client.get(site.base_url + outlet["section_path"])
        assert r.status_code == 200
        for a in [a for a in demosite.articles() if a["outlet"] == outlet["slug"]]:
            assert f'href="{a["path"]}"' in r.text


def test_robots_txt(site: DemoSite, client: httpx.Client) -> None:
    r = client.get(site.base_url + "/robots.txt")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert "User-agent: *" in r.text and "Allow: /" in r.text
    sitemap = next(f for f in site.feeds() if f["flavour"] == "news-sitemap")
    assert f"Sitemap: {sitemap['url']}" in r.text


def test_not_found_head_and_redirect(site: DemoSite, client: httpx.Client) -> None:
    assert client.get(site.base_url + "/nope.html").status_code == 404
    head = client.head(site.opml_url)
    assert head.status_code == 200 and head.content == b""
    slashless = next(a for a in demosite.articles() if a["path"].endswith("/"))["path"][:-1]
    r = client.get(site.base_url + slashless, follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == slashless + "/"


def test_stats_count_requests() -> None:
    with DemoSite() as s, httpx.Client() as c:
        path = demosite.articles()[3]["path"]
        c.get(s.base_url + path)
        c.get(s.base_url + path + "?utm_source=x")
        c.get(s.base_url + "/missing")
        stats = c.get(s.base_url + "/__stats").json()
        assert stats == s.stats()
        assert stats["total"] == 3
        assert stats["by_status"] == {"200": 2, "404": 1}
        assert stats["paths"][path] == 2
        assert stats["max_in_flight"] >= 1
        s.reset_stats()
        assert s.stats()["total"] == 0


def test_stats_record_concurrency() -> None:
    with DemoSite(latency=0.3) as s:
        barrier = threading.Barrier(4)

        def fetch() -> None:
            barrier.wait()
            httpx.get(s.base_url + "/robots.txt", timeout=10)

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert s.stats()["max_in_flight"] >= 2


def test_only_loopback() -> None:
    with pytest.raises(ValueError):
        DemoSite(host="0.0.0.0")
    with pytest.raises(RuntimeError):
        _ = DemoSite().base_url


def test_cli_prints_url_and_stops_on_sigterm() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "demosite", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("serving http://127.0.0.1:") and line.endswith("/")
        url = line.removeprefix("serving ")
        assert httpx.get(url + "feeds.opml", timeout=10).status_code == 200
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
