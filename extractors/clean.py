"""Clean a fetched HTML page down to its article: text and metadata, via trafilatura.

Pure: bytes (plus what the feed said about the entry) in, Article out. Settings are the
ones that score best on the real pages of the newsweb corpus (include_comments=False).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as _package_version

from extractors.charset import decode
from extractors.dates import EARLIEST, FUTURE_TOLERANCE, HTMLDATE_OPTIONS, choose_published
from extractors.language import decide_language, language_from_markup
from extractors.minhash import minhash_bands
from extractors.outlets import host_of, page_outlet
from extractors.records import Article, FeedEntry, article_id_for
from extractors.urls import canonical_url

log = logging.getLogger(__name__)

NAME = "mediamon.clean"
VERSION = "2"  # 2: detected language, plausible dates with their source, outlet names
OPTIONS = {"include_comments": False, "include_tables": True}
EXTRACTOR_VERSION = f"{NAME}/{VERSION}+trafilatura-{_package_version('trafilatura')}"

_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_WS = re.compile(r"\s+")
_TAG = re.compile(r"<(link|meta)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# How much of a page its metadata (language, dates, site name) is looked for in.
_HEAD_CHARS = 300_000


def _trafilatura():
    """trafilatura (and lxml) load in the worker processes that clean pages, not in every
    process that merely handles PageInput records (the CLI starts faster)."""
    import trafilatura

    return trafilatura


class ExtractionError(ValueError):
    """The page yields no article; the message says why in words a user understands."""


@dataclass(frozen=True, slots=True)
class PageInput:
    """What cleaning needs to know about a page: bytes and where/when it came from."""

    url: str  # URL the page was queued under (already normalised)
    final_url: str
    body: bytes
    content_type: str | None
    header_charset: str | None
    fetched_at: datetime
    feed_id: str | None = None
    outlet: str | None = None
    entry: FeedEntry | None = None


def content_hash(text: str) -> str:
    """Hash of the text with case and spacing folded, so cosmetic changes do not count."""
    return hashlib.blake2b(
        _WS.sub(" ", text).strip().casefold().encode(), digest_size=16
    ).hexdigest()


def _is_html(content_type: str | None, body: bytes) -> bool:
    if content_type:
        return content_type.split(";")[0].strip().lower() in _HTML_TYPES
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head


def _authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(a.strip() for a in value.split(";") if a.strip())


def declared_canonical(html: str) -> str | None:
    """The page's own claim about its URL: <link rel=canonical>, else og:url."""
    og = None
    for m in _TAG.finditer(html[:200_000]):
        attrs = {a.lower(): (v1 or v2 or v3) for a, v1, v2, v3 in _ATTR.findall(m.group(2))}
        if m.group(1).lower() == "link" and "canonical" in attrs.get("rel", "").lower().split():
            if attrs.get("href"):
                return attrs["href"]
        elif attrs.get("property", "").lower() == "og:url" and attrs.get("content") and not og:
            og = attrs["content"]
    return og


def clean_page(page: PageInput) -> Article:
    """Extract the article from one page, or raise ExtractionError with a readable reason."""
    if not page.body:
        raise ExtractionError("empty body")
    if not _is_html(page.content_type, page.body):
        raise ExtractionError(f"not an HTML page (content type {page.content_type or 'unknown'})")
    if b"\x00" in page.body[:4096]:
        raise ExtractionError("binary content, not an HTML page")
    html, _encoding = decode(page.body, page.header_charset)
    head = html[:_HEAD_CHARS]
    try:
        doc = _trafilatura().bare_extraction(
            html, url=page.final_url, with_metadata=True,
            date_extraction_params=_date_params(page.fetched_at), **OPTIONS,
        )  # fmt: skip
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc
    text = (doc.text or "").strip() if doc is not None else ""
    if not text or doc is None:
        raise ExtractionError("no article text found on the page")
    entry = page.entry
    canon = canonical_url(page.final_url, declared_canonical(html))
    language = decide_language(
        f"{doc.title or ''}\n{text}", language_from_markup(head), entry.language if entry else None
    ).language
    published = choose_published(
        head, doc.date, entry.published_at if entry else None, page.fetched_at
    )
    title = doc.title or (entry.title if entry else None)
    authors = _authors(doc.author) or (entry.authors if entry else ())
    return Article(
        article_id=article_id_for(canon),
        url=page.url,
        canonical_url=canon,
        outlet=page.outlet or page_outlet(head, canon),
        feed_id=page.feed_id,
        title=title,
        authors=authors,
        published_at=published.at,
        fetched_at=page.fetched_at,
        language=language,
        site_name=doc.sitename,
        text=text,
        word_count=len(text.split()),
        content_hash=content_hash(text),
        extractor_version=EXTRACTOR_VERSION,
        date_source=published.source,
        host=host_of(canon),
        bands=minhash_bands(text),
    )


def _date_params(fetched_at: datetime) -> dict:
    """htmldate's settings for one page: never a date before 1990 or after the fetch day."""
    latest = (fetched_at + FUTURE_TOLERANCE).astimezone(UTC)
    return {**HTMLDATE_OPTIONS, "min_date": EARLIEST.date().isoformat(),
            "max_date": latest.date().isoformat()}  # fmt: skip


def clean_many(pages: list[PageInput]) -> list[tuple[Article | None, str | None]]:
    """Clean a batch (runs in a worker process): (article, None) or (None, reason) per page."""
    out: list[tuple[Article | None, str | None]] = []
    for page in pages:
        try:
            out.append((clean_page(page), None))
        except ExtractionError as exc:
            out.append((None, str(exc)))
    return out
