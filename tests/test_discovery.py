"""Feed discovery: which feeds a page announces (pure), and `mediamon ingest --feed` on real
newsweb pages served on loopback."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.discovery import COMMON_FEED_PATHS, common_feed_urls, feed_links
from flows.cli import main
from tests.conftest import ServedNewsweb, newsweb_manifest


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<link rel="alternate" type="application/rss+xml" href="/feed.xml">',
         ["https://site.example/feed.xml"]),
        ("<link type='application/atom+xml' rel='alternate' href='atom.xml'>",
         ["https://site.example/news/atom.xml"]),
        ('<link rel="alternate" type="application/feed+json" href="//cdn.example/f.json">',
         ["https://cdn.example/f.json"]),
        ('<link rel="Alternate" type="application/RSS+XML; charset=utf-8" href="a?x=1&amp;y=2">',
         ["https://site.example/news/a?x=1&y=2"]),
        ('<base href="https://other.example/base/"><link rel="alternate" '
         'type="application/rss+xml" href="rss">', ["https://other.example/base/rss"]),
        # comments feeds after the site's, duplicates once, other alternates ignored
        ('<link rel="alternate" type="application/rss+xml" title="Comments Feed" href="/c">'
         '<link rel="alternate" type="application/rss+xml" title="Feed" href="/f">'
         '<link rel="alternate" type="application/rss+xml" href="/f">'
         '<link rel="alternate" hreflang="de" href="/de/">'
         '<link rel="stylesheet" type="text/css" href="/s.css">',
         ["https://site.example/f", "https://site.example/c"]),
        ('<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">', []),
        ('<link rel="alternate" type="application/rss+xml">', []),
        ("<title>no feeds</title>", []),
    ],
)  # fmt: skip
def test_feed_links(head: str, expected: list[str]) -> None:
    html = f"<html><head>{head}</head><body></body></html>"
    assert feed_links(html, "https://site.example/news/index.html") == expected


def test_common_paths_are_at_the_site_root() -> None:
    urls = common_feed_urls("https://site.example:8443/deep/page.html?x=1")
    assert urls == [f"https://site.example:8443{p}" for p in COMMON_FEED_PATHS]


def test_ingest_a_newsweb_section_page_as_a_feed(
    newsweb: ServedNewsweb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """newsweb's section pages announce their RSS and Atom feeds: the page given as a feed
    leads to the RSS feed (announced first), whose articles are ingested."""
    db = tmp_path / "section.duckdb"
    publisher = "taz.de"
    page = f"{newsweb.base_url}/{publisher}/"
    code = main(["ingest", "--feed", page, "--db", str(db), "--allow-private", "127.0.0.1",
                 "-q"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    feed = f"{newsweb.base_url}/feeds/{publisher}/rss.xml"
    assert f"note: {page} is a web page; it announces the feed {feed}, registered and polled" in out
    want = {r["loopback_url"].replace("{HOST}", newsweb.host) for r in newsweb_manifest()
            if r["publisher"] == publisher}  # fmt: skip
    with duckdb.connect(str(db), read_only=True) as con:
        pages = {r[0] for r in con.execute("SELECT url FROM pages WHERE state = 'done'").fetchall()}
        feeds = dict(con.execute("SELECT url, active FROM feeds").fetchall())
        outlets = {r[0] for r in con.execute("SELECT DISTINCT outlet FROM articles").fetchall()}
    assert pages == want and feeds == {page: False, feed: True}
    assert outlets and None not in outlets and "127.0.0.1" not in outlets
