"""Feed parsing: our own fixtures for every flavour, plus every real snapshot in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.feeds import parse_feed, sniff_kind
from extractors.opml import OpmlError, parse_opml
from tests.conftest import NEWSWEB

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
<language>en-gb</language>
<item><title>One</title><link>https://n.example/1?utm_source=rss</link>
<guid isPermaLink="false">id-1</guid><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate>
<dc:creator>Ann Reporter</dc:creator></item>
<item><title>No link</title><guid isPermaLink="true">https://n.example/2</guid></item>
<item><title>Nothing</title></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>E</title><link href="https://a.example/e"/><id>tag:a,2026:e</id>
<updated>2026-11-02T08:00:00Z</updated><author><name>Bo</name></author></entry></feed>"""
RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://r.example/"><title>R</title></channel>
<item rdf:about="https://r.example/i"><title>I</title><link>https://r.example/i</link>
<dc:date>2026-11-01T12:00:00+01:00</dc:date></item></rdf:RDF>"""
NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://s.example/a</loc><news:news><news:publication><news:name>S</news:name>
<news:language>en</news:language></news:publication>
<news:publication_date>2026-11-05T09:30:00+00:00</news:publication_date>
<news:title>Headline</news:title></news:news></url></urlset>"""


def test_rss2_entries_fields() -> None:
    p = parse_feed(RSS, "f1", "application/rss+xml")
    assert p.kind == "rss" and p.error is None
    assert [e.url for e in p.entries] == [
        "https://n.example/1?utm_source=rss",
        "https://n.example/2",
    ]
    first = p.entries[0]
    assert first.title == "One" and first.authors == ("Ann Reporter",) and first.guid == "id-1"
    assert first.published_at is not None and first.published_at.isoformat().startswith(
        "2026-11-03T10"
    )
    assert first.language == "en-gb"


def test_atom_rdf_and_news_sitemap() -> None:
    atom = parse_feed(ATOM, "f")
    assert atom.kind == "atom" and atom.entries[0].url == "https://a.example/e"
    assert atom.entries[0].authors == ("Bo",)
    rdf = parse_feed(RDF, "f")
    assert rdf.kind == "rdf" and rdf.entries[0].published_at is not None
    sm = parse_feed(NEWS_SITEMAP, "f")
    assert sm.kind == "news-sitemap"
    e = sm.entries[0]
    assert (e.url, e.title, e.language) == ("https://s.example/a", "Headline", "en")
    assert e.published_at is not None and e.published_at.hour == 9


def test_sitemap_index_lists_children() -> None:
    body = (NEWSWEB / "feeds" / "sitemap-index.xml").read_bytes()
    p = parse_feed(body, "f")
    assert p.kind == "sitemap-index" and len(p.entries) == 312


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"\x00\x01\x02binary\xff\xfe", b"<html><body>not a feed</body></html>",
     b"<rss><channel><item><title>unterminated", b"{not json", b'{"items": 3}',
     b"<urlset><url><loc>x</loc>"],
)  # fmt: skip
def test_garbage_gives_a_readable_error_not_an_exception(body: bytes) -> None:
    p = parse_feed(body, "f")
    assert p.entries == () and p.error and len(p.error) > 5


def test_feed_body_is_never_treated_as_a_path_or_url(tmp_path: Path) -> None:
    # feedparser opens str/bytes arguments as files or URLs; we must hand it bytes as a stream.
    secret = tmp_path / "secret.xml"
    secret.write_bytes(RSS)
    p = parse_feed(str(secret).encode(), "f")
    assert p.entries == ()


def test_entity_expansion_is_harmless() -> None:
    lol = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>
<link>https://x.example/1</link></item></channel></rss>"""
    p = parse_feed(lol, "f")
    titles = [e.title or "" for e in p.entries]
    assert all(len(t) < 10_000 for t in titles)
    sm = parse_feed(lol.replace(b"<rss", b"<urlset").replace(b"</rss>", b"</urlset>"), "f")
    assert sm.entries == () and sm.error


REAL = sorted(
    p for p in (NEWSWEB / "feeds" / "real").rglob("*")
    if p.is_file() and p.suffix not in (".opml", ".tsv")
)  # fmt: skip


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_every_real_snapshot_parses_or_fails_readably(path: Path) -> None:
    p = parse_feed(path.read_bytes(), "real")
    if p.error:
        assert p.entries == () and isinstance(p.error, str)
    else:
        assert p.entries, f"{path.name}: no entries and no error"
        assert all(e.url.startswith(("http://", "https://")) for e in p.entries)


def test_real_snapshots_known_traps() -> None:
    real = NEWSWEB / "feeds" / "real"
    uol = parse_feed((real / "uol.com.br-noticias.rss").read_bytes(), "f")
    assert uol.entries and uol.warning  # Latin-1 without declaration: recovered, flagged
    assert any("ç" in (e.title or "") or "ã" in (e.title or "") for e in uol.entries)
    greek = parse_feed((real / "liberal.gr.rss").read_bytes(), "f")
    assert any(any("\u0370" <= ch <= "\u03ff" for ch in (e.title or "")) for e in greek.entries)
    assert parse_feed((real / "orf.at.rdf").read_bytes(), "f").kind == "rdf"
    broken = parse_feed((real / "androidauthority.com-malformed.rss").read_bytes(), "f")
    assert broken.entries or broken.error


def test_sniff_kind_skips_prolog() -> None:
    body = b'<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?>\n<!-- c --><rss version="2.0">'
    assert sniff_kind(body) == "rss"


def test_opml_newsweb_and_every_real_list() -> None:
    specs = parse_opml((NEWSWEB / "feeds" / "index.opml").read_bytes())
    assert len(specs) == 312 and all(s.url.startswith("http://{HOST}/") for s in specs)
    for path in (NEWSWEB / "feeds" / "real" / "opml").rglob("*.opml"):
        assert parse_opml(path.read_bytes()), path.name  # hand-edited lists are recovered


def test_opml_errors_are_readable() -> None:
    with pytest.raises(OpmlError, match="not OPML"):
        parse_opml(b"<rss></rss>")
    with pytest.raises(OpmlError):
        parse_opml(b"\x00\x00")


def test_opml_with_entity_declarations_is_refused_not_recovered() -> None:
    # defusedxml's refusal is a ValueError too: it must not fall through to the lenient parser.
    body = b"""<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaa">]>
<opml><body><outline text="&a;" xmlUrl="https://x.example/rss"/></body></opml>"""
    with pytest.raises(OpmlError, match="refused OPML: EntitiesForbidden"):
        parse_opml(body)


@pytest.mark.parametrize("flavour", [NEWS_SITEMAP, RSS, ATOM])
def test_gzipped_feeds_are_inflated(flavour: bytes) -> None:
    import gzip

    plain, zipped = parse_feed(flavour, "f"), parse_feed(gzip.compress(flavour), "f")
    assert zipped.error is None and zipped.entries == plain.entries and zipped.entries


def test_gzip_bombs_and_corrupt_gzip_are_refused_with_a_reason() -> None:
    import gzip

    from extractors.feeds import MAX_GUNZIPPED_BYTES
    from tests.hostile_server import BOMB

    assert "inflates beyond" in (parse_feed(BOMB, "f").error or "")
    just_over = gzip.compress(b" " * (MAX_GUNZIPPED_BYTES + 1))
    assert "inflates beyond" in (parse_feed(just_over, "f").error or "")
    assert "corrupt gzip" in (parse_feed(b"\x1f\x8b\x08\x00garbage", "f").error or "")
    truncated = gzip.compress(NEWS_SITEMAP)[:40]
    assert "truncated" in (parse_feed(truncated, "f").error or "")


def test_a_web_page_is_not_a_feed() -> None:
    p = parse_feed(b"<!DOCTYPE html><html><head><title>Home</title></head></html>", "f")
    assert (p.kind, p.error) == ("html", "a web page (HTML), not a feed")


@pytest.mark.parametrize(
    "body",
    [b"<rss version='2.0'><channel><item><title>x</titl></item></channel></rss>",
     b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry></feed>",
     b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>x</url>"],
)  # fmt: skip
def test_malformed_xml_is_reported_in_words(body: bytes) -> None:
    error = parse_feed(body, "f").error or ""
    assert error.startswith(("malformed XML (", "unparseable: malformed XML")), error
    assert "SAXParseException" not in error and "line" in error


def test_json_feed_v1_and_v1_1() -> None:
    import json

    v11 = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "de",
           "items": [{"id": 1, "url": "https://j.example/1", "title": "Eins",
                      "date_published": "2026-11-05T09:30:00+01:00",
                      "authors": [{"name": "Ana"}]}]}  # fmt: skip
    v1 = {
        "version": "https://jsonfeed.org/version/1",
        "title": "J1",
        "items": [{"id": "a", "external_url": "https://j.example/2", "author": {"name": "Bo"}}],
    }
    p = parse_feed(json.dumps(v11).encode(), "f", "application/feed+json")
    (e,) = p.entries
    assert (p.kind, p.title, e.url, e.authors, e.language) == (
        "json", "J", "https://j.example/1", ("Ana",), "de")  # fmt: skip
    assert e.published_at is not None and e.published_at.utcoffset() is not None
    (e1,) = parse_feed(json.dumps(v1).encode(), "f").entries
    assert (e1.url, e1.authors) == ("https://j.example/2", ("Bo",))
