"""Clean inputs end to end: real `mediamon ingest` / `ingest-url` runs against loopback sites
whose documents lie about their charset, hide their feeds behind a home page, come gzipped,
carry placeholder dates or are in another script under a template's lang="en"."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from tests.hostile_server import BOMB
from tests.static_site import StaticSite

HTML = "text/html; charset=utf-8"
LATIN1 = "text/html; charset=iso-8859-1"  # what many servers say, whatever the bytes are

QUOTES = (
    "<p>\u201cThe port will reopen on Monday,\u201d the harbour master, Anna Pryce, said on "
    "Friday.</p><p>Repairs to the breakwater took longer than planned \u2013 the storms of "
    "October cost the crews three weeks\u2026</p><p>\u201cWe lost three weeks to the weather,"
    "\u201d said Tom Evans, the council\u2019s chief engineer, adding that the final inspection "
    "was due on Saturday.</p><p>Fishing boats have used the northern quay since the closure, "
    "and traders said business had fallen sharply during the autumn.</p>"
)
WRONG_HEADER = (
    "<p>The caf\u00e9 owners on the quay said the na\u00efve plan had \u201cfailed everyone\u201d "
    "and demanded a meeting with the council before the end of the month.</p><p>The council "
    "replied that the plan would be reviewed in January, after the winter storms.</p>"
    "<p>Residents said they were pleased that the review would finally take place.</p>"
)
JAPANESE = (
    "<p>\u300c\u6e2f\u306f\u6708\u66dc\u65e5\u306b\u518d\u958b\u3059\u308b\u300d\u3068\u6e2f"
    "\u9577\u306f\u91d1\u66dc\u65e5\u306b\u8ff0\u3079\u305f\u3002\u9632\u6ce2\u5824\u306e\u4fee"
    "\u7406\u306f\u4e88\u5b9a\u3088\u308a\u9577\u5f15\u304d\u300110\u6708\u306e\u5d50\u3067"
    "\u4f5c\u696d\u304c\u4e09\u9031\u9593\u9045\u308c\u305f\u3068\u3044\u3046\u3002\u6f01\u8239"
    "\u306f\u9589\u9396\u4ee5\u6765\u3001\u5317\u5074\u306e\u5cb8\u58c1\u3092\u4f7f\u3063\u3066"
    "\u3044\u308b\u3002</p>"
)
SITEMAP_STORY = (
    "<p>The ferry company said on Thursday that winter timetables would start a week early "
    "because of the harbour works.</p><p>\u201cPassengers should check the new times,\u201d a "
    "spokeswoman said.</p><p>Tickets bought for the old sailings will be refunded in full, "
    "the company added.</p>"
)
VALLEY = (
    "<p>The valley school board voted on Monday to build a new gymnasium, the board chair said."
    "</p><p>\u201cThe old hall is simply too small,\u201d the chair, Maria Lopez, told parents at "
    "the meeting.</p><p>Construction is expected to start in the spring.</p>"
)


def page(title: str, body: str, head: str = "", lang: str = "en", site: str = "") -> str:
    og = f'<meta property="og:site_name" content="{site}">' if site else ""
    return (f'<!doctype html><html lang="{lang}"><head><title>{title}</title>{og}{head}</head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")  # fmt: skip


PUBLISHED = '<meta property="article:published_time" content="2026-11-20T21:15:00-05:00">'
PLACEHOLDER = '<meta property="article:published_time" content="0001-01-01T00:00:00Z">'
JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Harbour Gazette \u2014 Latest",
    "items": [
        {"id": "1", "url": "{BASE}/news/quotes.html", "date_published": "2026-11-21T08:00:00Z"},
        {"id": "2", "url": "{BASE}/news/wrong-header.html"},
        {"id": "3", "url": "{BASE}/news/ja.html"},
    ],
}
NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{BASE}/news/sitemap-story.html</loc><news:news>
<news:publication><news:name>Harbour Gazette</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2026-11-19T10:30:00+00:00</news:publication_date>
<news:title>Ferry timetables</news:title></news:news></url></urlset>"""
VALLEY_RSS = """<?xml version="1.0"?><rss version="2.0"><channel>
<title>Valley Courier - Top Stories</title><link>{BASE}/</link>
<item><title>New gym</title><link>{BASE}/story.html</link>
<pubDate>Tue, 24 Nov 2026 06:30:00 GMT</pubDate></item></channel></rss>"""


def harbour_site() -> StaticSite:
    home = page("Harbour Gazette", "<p>Welcome</p>", site="The Harbour Gazette | Home", head=(
        '<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments.rss">'
        '<link rel="alternate" type="application/feed+json" title="Latest" '
        'href="/feeds/latest.json">'))  # fmt: skip
    return StaticSite({
        "/": (HTML, home.encode()),
        "/feeds/latest.json": ("application/feed+json", json.dumps(JSON_FEED).encode()),
        "/news/quotes.html": (LATIN1, page("Port to reopen", QUOTES, PUBLISHED,
                                           site="The Harbour Gazette").encode("cp1252")),
        "/news/wrong-header.html": (LATIN1, page("Quay plan", WRONG_HEADER,
                                                 site="The Harbour Gazette").encode()),
        "/news/ja.html": (HTML, page("\u6e2f\u304c\u518d\u958b", JAPANESE, lang="en").encode()),
        "/sitemap.xml.gz": ("application/gzip", lambda base: gzip.compress(
            NEWS_SITEMAP.replace("{BASE}", base).encode())),
        "/bomb.xml.gz": ("application/x-gzip", BOMB),
        "/news/sitemap-story.html": (HTML, page("Ferry timetables", SITEMAP_STORY,
                                                site="The Harbour Gazette").encode()),
    })  # fmt: skip


def valley_site() -> StaticSite:
    return StaticSite({
        "/": (HTML, page("Valley Courier", "<p>Front page</p>").encode()),
        "/rss.xml": ("application/rss+xml", VALLEY_RSS.encode()),
        "/story.html": (HTML, page("New gym", VALLEY, PLACEHOLDER).encode()),
    })  # fmt: skip


def no_feed_site() -> StaticSite:
    return StaticSite({"/": (HTML, page("Just a page", "<p>Nothing to see.</p>").encode())})


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_ingest_of_lying_gzipped_and_hidden_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "inputs.duckdb"
    with harbour_site() as a, valley_site() as b, no_feed_site() as c:
        args = ["ingest", "--db", str(db), "--allow-private", "127.0.0.1", "-q"]
        for url in (f"{a.base_url}/", f"{a.base_url}/sitemap.xml.gz", f"{a.base_url}/bomb.xml.gz",
                    f"{b.base_url}/", f"{c.base_url}/"):  # fmt: skip
            args += ["--feed", url]
        assert main(args) == 0
        out = capsys.readouterr().out
        # Discovery: one line per page that led to a feed; one clear line for the page that did
        # not; no parser exception text anywhere.
        assert (f"note: {a.base_url}/ is a web page; it announces the feed "
                f"{a.base_url}/feeds/latest.json, registered and polled") in out  # fmt: skip
        assert f"note: {b.base_url}/ is a web page; it has the feed {b.base_url}/rss.xml" in out
        assert (f"{c.base_url}/: a web page, not a feed: it announces no feed and none of "
                "/feed, /rss, /feed.xml, /rss.xml, /atom.xml is one") in out  # fmt: skip
        assert "inflates beyond 10485760 bytes" in out
        assert "SAXParseException" not in out and "Traceback" not in out
        assert "/comments.rss" not in a.hits  # the site's feed came first and was found

        sql = "SELECT url, text, outlet, host, language, published_at, date_source FROM articles"
        articles = {r[0].rsplit("/", 1)[1]: r[1:] for r in _rows(db, sql)}
        assert set(articles) == {"quotes.html", "wrong-header.html", "ja.html",
                                 "sitemap-story.html", "story.html"}  # fmt: skip
        # Charsets: the Latin-1 label read as windows-1252 keeps the quotes ...
        text = articles["quotes.html"][0]
        assert "\u201cThe port will reopen on Monday,\u201d" in text and "council\u2019s" in text
        assert "\u2013" in text and "\u2026" in text
        assert not any("\x80" <= ch <= "\x9f" for ch in text)
        # ... and UTF-8 bytes under a wrong Latin-1 header are read as UTF-8.
        text = articles["wrong-header.html"][0]
        assert (
            "caf\u00e9" in text and "\u201cfailed everyone\u201d" in text and "\u00e2" not in text
        )
        # The quotes became claims.
        claims = _rows(db, "SELECT c.content, c.speaker FROM claims c JOIN articles a "
                           "USING (article_id) WHERE a.url LIKE '%quotes.html'")  # fmt: skip
        assert any("port will reopen on Monday" in content for content, _ in claims), claims
        # Language: Japanese under lang="en" is Japanese, stored and not analysed as English.
        assert articles["ja.html"][3] == "ja"
        ja = _rows(db, "SELECT x.status, x.claims, x.mentions FROM article_analysis x JOIN "
                       "articles a USING (article_id) WHERE a.url LIKE '%ja.html'")  # fmt: skip
        assert ja == [("skipped", 0, 0)]
        # Dates: the page's own time and zone; a placeholder falls back to the feed's date; a
        # page without a date gets the sitemap's.
        assert articles["quotes.html"][4:] == (datetime(2026, 11, 21, 2, 15, tzinfo=UTC), "page")
        assert articles["story.html"][4:] == (datetime(2026, 11, 24, 6, 30, tzinfo=UTC), "feed")
        assert articles["sitemap-story.html"][4:] == (
            datetime(2026, 11, 19, 10, 30, tzinfo=UTC), "feed")  # fmt: skip
        # Outlets: named by the site (og:site_name of the home page) or the feed's title, not
        # the host; the host has its own column.
        assert articles["quotes.html"][1] == "The Harbour Gazette"
        assert articles["story.html"][1] == "Valley Courier"
        assert articles["sitemap-story.html"][1] == "The Harbour Gazette"
        assert {r[2] for r in articles.values()} == {"127.0.0.1"}
        outlets = {r[0] for r in _rows(db, "SELECT outlet FROM outlets")}
        assert {"The Harbour Gazette", "Valley Courier"} <= outlets
        feeds = {r[0]: r[1:] for r in _rows(db, "SELECT url, active, kind, outlet FROM feeds")}
        assert feeds[f"{a.base_url}/"][:2] == (False, "web page")
        assert feeds[f"{a.base_url}/feeds/latest.json"] == (True, "json", "The Harbour Gazette")
        assert feeds[f"{b.base_url}/rss.xml"] == (True, "rss", "Valley Courier")
        assert feeds[f"{a.base_url}/sitemap.xml.gz"][:2] == (True, "news-sitemap")

        # Later runs poll the feeds that were found, never the pages again.
        a.hits.clear()
        b.hits.clear()
        assert main(["ingest", "--force", "--db", str(db), "--allow-private", "127.0.0.1",
                     "-q"]) == 0  # fmt: skip
        assert "/" not in a.hits and "/feeds/latest.json" in a.hits
        assert "/" not in b.hits and "/rss.xml" in b.hits


def test_ingest_url_names_the_outlet_from_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "adhoc.duckdb"
    with harbour_site() as a, valley_site() as b:
        urls = [f"{a.base_url}/news/quotes.html", f"{b.base_url}/story.html"]
        assert main(["ingest-url", *urls, "--db", str(db), "--allow-private", "127.0.0.1",
                     "-q"]) == 0  # fmt: skip
    rows = dict(_rows(db, "SELECT url, outlet || ' @ ' || host FROM articles"))
    assert rows[urls[0]] == "The Harbour Gazette @ 127.0.0.1"
    assert rows[urls[1]] == "127.0.0.1 @ 127.0.0.1"  # no site name on the page: its host
    assert "The Harbour Gazette" in {r[0] for r in _rows(db, "SELECT outlet FROM outlets")}
