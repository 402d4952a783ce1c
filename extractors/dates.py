"""Publication dates: the page's own machine-readable timestamp (time of day and zone kept),
then htmldate's reading of the page (via trafilatura), then the feed entry's date, then the
fetch time — each only if plausible.

Real pages carry placeholder dates (0001-01-01 in a template), modification times labelled
as issue dates, and dates in the future; a date outside [1990-01-01, fetch time + 1 day] is
never stored. Every stored date says where it came from: page | feed | fetched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Publishers' clocks and time zones put honest dates slightly ahead of our fetch time.
FUTURE_TOLERANCE = timedelta(days=1)
DATE_SOURCES = ("page", "feed", "fetched")

# Meta tags (name / property / itemprop, lower-cased) that state when an article was first
# published, most specific first. Modification times are deliberately absent.
PUBLISHED_META_KEYS = (
    "article:published_time", "article:published", "article:published:time",
    "og:article:published_time", "datepublished", "publishdate", "publish-date", "pubdate",
    "publication_date", "parsely-pub-date", "sailthru.date", "dcterms.issued", "dc.date.issued",
    "dcterms.created", "dc.date", "date",
)  # fmt: skip
# JSON-LD object types whose datePublished is the article's own.
ARTICLE_TYPES = ("article", "posting", "report", "newsarticle", "webpage")
# htmldate settings for trafilatura: markup only (meta, JSON, <time>, the URL, headings; its
# "extensive" search also guesses from dates mentioned in the text, which an explicit feed date
# beats), the original publication rather than the last update, and the time where given.
HTMLDATE_OPTIONS = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}

_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_LD_JSON = re.compile(
    r"""<script[^>]+type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script>""", re.I | re.S
)
_LD_DATE = re.compile(r""""datePublished"\s*:\s*"([^"]{8,40})\"""")
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_timestamp(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time (also "+0000" offsets, "Z", a space for "T") or a Unix
    epoch in seconds or milliseconds; naive values are taken as UTC. None if unreadable."""
    if not value:
        return None
    v = value.strip()
    if _EPOCH.match(v):
        seconds = int(v) / (1000 if len(v) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC)
    v = _OFFSET_NO_COLON.sub(r"\1:\2", v.replace("Z", "+00:00")) if "T" in v or " " in v else v
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _walk_ld(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk_ld(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_ld(value)


def _is_article(obj: dict) -> bool:
    types = obj.get("@type")
    names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return any(isinstance(t, str) and t.lower().endswith(ARTICLE_TYPES) for t in names)


def json_ld_published(html: str) -> datetime | None:
    """datePublished of the page's article object in JSON-LD (an article-like @type first)."""
    found: list[tuple[bool, datetime]] = []
    for block in _LD_JSON.findall(html):
        try:
            objects = list(_walk_ld(json.loads(block)))
        except ValueError:  # broken JSON is common: fall back to the key itself
            dates = [parse_timestamp(v) for v in _LD_DATE.findall(block)]
            found.extend((False, d) for d in dates if d)
            continue
        for obj in objects:
            value = obj.get("datePublished")
            if isinstance(value, str) and (dt := parse_timestamp(value)):
                found.append((_is_article(obj), dt))
    for preferred in (True, False):
        for is_article, dt in found:
            if is_article == preferred:
                return dt
    return None


def meta_published(html: str) -> datetime | None:
    """The first publication timestamp among the meta tags, by PUBLISHED_META_KEYS order."""
    seen: dict[str, str] = {}
    for tag in _META.finditer(html):
        attrs = {k.lower(): (a or b or c) for k, a, b, c in _ATTR.findall(tag.group(0))}
        content = attrs.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = attrs.get(attr, "").lower()
            if key in PUBLISHED_META_KEYS:
                seen.setdefault(key, content)
    for key in PUBLISHED_META_KEYS:
        if key in seen and (dt := parse_timestamp(seen[key])):
            return dt
    return None


def plausible(dt: datetime | None, fetched_at: datetime) -> bool:
    return dt is not None and EARLIEST <= dt <= fetched_at + FUTURE_TOLERANCE


@dataclass(frozen=True, slots=True)
class Published:
    at: datetime
    source: str  # page | feed | fetched


def choose_published(
    html_head: str, htmldate_value: str | None, entry_date: datetime | None, fetched_at: datetime
) -> Published:
    """The article's publication time: the page's machine-readable timestamp (JSON-LD, then
    meta tags), else htmldate's reading of the page, else the feed entry's date, else the
    fetch time — the first that is plausible."""
    for candidate, source in (
        (json_ld_published(html_head), "page"),
        (meta_published(html_head), "page"),
        (parse_timestamp(htmldate_value), "page"),
        (entry_date, "feed"),
    ):
        if candidate is not None and candidate.tzinfo is None:
            candidate = candidate.replace(tzinfo=UTC)
        if plausible(candidate, fetched_at):
            return Published(candidate, source)  # type: ignore[arg-type]
    return Published(fetched_at, "fetched")
