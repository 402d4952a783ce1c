"""Parse feed documents (RSS 0.9x/1.0/2.0, Atom, RDF, JSON Feed, sitemaps incl. Google News
sitemaps) from bytes into FeedEntry records. Never fetches, never raises on bad input: a
document that yields nothing usable comes back with a readable `error`."""

from __future__ import annotations

import calendar
import io
import json
import logging
import re
import zlib
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from extractors.charset import charset_from_content_type
from extractors.records import FeedEntry, ParsedFeed

log = logging.getLogger(__name__)

NAME = "mediamon.feeds"
VERSION = "1"

_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# Feeds are small; anything beyond this is refused rather than parsed (memory safety).
MAX_FEED_BYTES = 20 * 1024 * 1024
# Gzipped sitemaps (.xml.gz) are inflated up to the fetcher's cap on bodies, no further:
# a gzip bomb stops here instead of filling memory.
MAX_GUNZIPPED_BYTES = 10 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class GzipRefused(ValueError):
    """A gzipped document that is corrupt or inflates beyond the cap."""


def gunzip_capped(body: bytes, limit: int = MAX_GUNZIPPED_BYTES) -> bytes:
    """Inflate a gzip file (a .xml.gz sitemap served as application/gzip) to at most `limit`
    bytes; other bytes are returned as they are."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise GzipRefused(f"corrupt gzip data: {exc}") from exc
    if len(out) > limit:
        raise GzipRefused(f"gzipped document inflates beyond {limit} bytes (refused)")
    if not inflater.eof:
        raise GzipRefused("corrupt gzip data: the stream is truncated")
    return out


def _readable(exc: BaseException) -> str:
    """A parser's complaint in words: SAX errors name the line and column, not the class."""
    get_line = getattr(exc, "getLineNumber", None)
    if callable(get_line):
        message = getattr(exc, "getMessage", lambda: str(exc))()
        return f"malformed XML (line {get_line()}, column {exc.getColumnNumber()}: {message})"
    if isinstance(exc, ParseError):
        return f"malformed XML ({exc})"
    return f"{type(exc).__name__}: {exc}"


def sniff_kind(body: bytes) -> str:
    """Guess the document kind from its root element (or JSON)."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "json"
    # Skip comments, processing instructions and doctype, then read the root element's name.
    for m in _ROOT.finditer(head):
        name = m.group(2).decode("ascii", "ignore").lower()
        if name in ("rss", "feed", "rdf", "urlset", "sitemapindex", "channel"):
            return {"feed": "atom", "channel": "rss"}.get(name, name)
        if name not in ("xml-stylesheet",):
            return name
    return "unknown"


def parse_feed(
    body: bytes, feed_id: str, content_type: str | None = None, base_url: str | None = None
) -> ParsedFeed:
    """Parse any supported feed document into entries."""
    try:
        body = gunzip_capped(body)
    except GzipRefused as exc:
        return ParsedFeed("unknown", None, (), error=str(exc))
    if not body or not body.strip():
        return ParsedFeed("unknown", None, (), error="empty document")
    if len(body) > MAX_FEED_BYTES:
        return ParsedFeed("unknown", None, (), error=f"feed larger than {MAX_FEED_BYTES} bytes")
    kind = sniff_kind(body)
    if kind == "html":
        return ParsedFeed("html", None, (), error="a web page (HTML), not a feed")
    try:
        if kind in ("urlset", "sitemapindex"):
            return _parse_sitemap(body, feed_id)
        if kind == "json":
            return _parse_json_feed(body, feed_id)
        return _parse_syndication(body, feed_id, content_type, base_url)
    except Exception as exc:  # hostile bytes must never take a run down: report, move on
        log.debug("feed %s unparseable", feed_id, exc_info=True)
        return ParsedFeed(kind, None, (), error=f"unparseable: {_readable(exc)}")


def _when(struct: object) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def _parse_syndication(
    body: bytes, feed_id: str, content_type: str | None, base_url: str | None
) -> ParsedFeed:
    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    # A BytesIO, never raw bytes: feedparser treats a str/bytes argument as a URL or a file
    # name and would open it.
    try:
        parsed = feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=True,
        )
    except Exception as exc:  # feedparser itself trips on some mangled bytes (found by fuzzing)
        return ParsedFeed("unknown", None, (), error=f"unparseable: {type(exc).__name__}: {exc}")
    version = parsed.get("version") or ""
    kind = (
        "atom"
        if version.startswith("atom")
        else "rdf"
        if version in ("rss090", "rss10")
        else "rss"
        if version.startswith("rss")
        else "unknown"
    )
    feed = parsed.get("feed", {})
    language = feed.get("language")
    entries = []
    for e in parsed.get("entries", []):
        link = e.get("link")
        guid = e.get("id") or e.get("guid")
        if not link and guid and guid.startswith(("http://", "https://")):
            link = guid
        if not link:
            continue
        authors = tuple(a.get("name") for a in e.get("authors", []) if a.get("name"))
        if not authors and e.get("author"):
            authors = (e["author"],)
        entries.append(
            FeedEntry(
                feed_id=feed_id,
                url=link.strip(),
                guid=guid,
                title=e.get("title"),
                # dict.get: FeedParserDict.get maps keys with a deprecation warning.
                published_at=_when(
                    dict.get(e, "published_parsed") or dict.get(e, "updated_parsed")
                ),
                authors=authors,
                summary=e.get("summary"),
                language=e.get("language") or language,
            )
        )
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problem = _readable(exc) if exc else "malformed feed"
    if not entries and (problem or kind == "unknown"):
        return ParsedFeed(kind, feed.get("title"), (), error=problem or "not a feed")
    return ParsedFeed(kind, feed.get("title"), tuple(entries), warning=problem)


def _text(el: Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    v = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _parse_sitemap(body: bytes, feed_id: str) -> ParsedFeed:
    try:
        # defusedxml refuses entity declarations and external references outright.
        root = fromstring(body)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        return ParsedFeed("sitemap", None, (), error=_readable(exc))
    tag = root.tag.rsplit("}", 1)[-1]
    if tag == "sitemapindex":
        entries = tuple(
            FeedEntry(feed_id=feed_id, url=loc, published_at=_iso(_text(sm, f"{_SM}lastmod")))
            for sm in root.iter(f"{_SM}sitemap")
            if (loc := _text(sm, f"{_SM}loc"))
        )
        return ParsedFeed("sitemap-index", None, entries)
    entries_list = []
    is_news = False
    for u in root.iter(f"{_SM}url"):
        loc = _text(u, f"{_SM}loc")
        if not loc:
            continue
        news = u.find(f"{_NEWS}news")
        is_news = is_news or news is not None
        entries_list.append(
            FeedEntry(
                feed_id=feed_id,
                url=loc,
                guid=loc,
                title=_text(news, f"{_NEWS}title"),
                published_at=_iso(_text(news, f"{_NEWS}publication_date"))
                or _iso(_text(u, f"{_SM}lastmod")),
                language=_text(news, f"{_NEWS}publication/{_NEWS}language"),
            )
        )
    kind = "news-sitemap" if is_news else "sitemap"
    if not entries_list and tag != "urlset":
        return ParsedFeed(kind, None, (), error=f"unexpected root element <{tag}>")
    return ParsedFeed(kind, None, tuple(entries_list))


def _parse_json_feed(body: bytes, feed_id: str) -> ParsedFeed:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return ParsedFeed("json", None, (), error=f"invalid JSON feed: {exc}")
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        return ParsedFeed("json", None, (), error="JSON document is not a JSON Feed (no items)")
    entries = []
    for item in doc["items"]:
        if not isinstance(item, dict):
            continue
        url = item.get("url") or item.get("external_url")
        if not isinstance(url, str):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        entries.append(
            FeedEntry(
                feed_id=feed_id,
                url=url,
                guid=str(item.get("id")) if item.get("id") is not None else None,
                title=item.get("title"),
                published_at=_iso(item.get("date_published")),
                authors=tuple(a["name"] for a in authors if isinstance(a, dict) and a.get("name")),
                summary=item.get("summary"),
                language=item.get("language") or doc.get("language"),
            )
        )
    return ParsedFeed("json", doc.get("title"), tuple(entries))


__all__ = ["MAX_FEED_BYTES", "charset_from_content_type", "parse_feed", "sniff_kind"]
