"""Feed discovery, the pure part: which feed URLs a web page announces (RSS/Atom autodiscovery
``<link rel="alternate" type="application/rss+xml" href=...>``, JSON Feed's
``application/feed+json``), and the usual feed paths to try when it announces none.

The flows side (flows/discovery.py) fetches these in order and keeps the first that parses.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urljoin, urlsplit

# Link types that announce a feed, as written in autodiscovery links.
FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json",
     "application/rdf+xml", "application/json+feed"}
)  # fmt: skip
# Tried in this order, at the site's root, only when the page announces no feed.
COMMON_FEED_PATHS = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml")
# Announced feeds of a page's comments are not the site's news.
_COMMENTS = re.compile(r"\b(comments?|kommentare|commentaires|comentarios)\b", re.I)

_TAG = re.compile(r"<(link|base)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_HEAD_CHARS = 300_000


def _attrs(raw: str) -> dict[str, str]:
    return {k.lower(): html_lib.unescape(a or b or c) for k, a, b, c in _ATTR.findall(raw)}


def feed_links(html: str, page_url: str) -> list[str]:
    """Absolute URLs of the feeds a page announces, in page order, site feeds before comment
    feeds, each once. Relative links are resolved against <base href> or the page URL."""
    base = page_url
    site, comments = [], []
    for m in _TAG.finditer(html[:_HEAD_CHARS]):
        attrs = _attrs(m.group(2))
        if m.group(1).lower() == "base":
            if attrs.get("href") and base == page_url:
                base = urljoin(page_url, attrs["href"].strip())
            continue
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").split(";")[0].strip().lower()
        href = attrs.get("href", "").strip()
        if "alternate" not in rels or kind not in FEED_LINK_TYPES or not href:
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        is_comments = bool(_COMMENTS.search(attrs.get("title", "")))
        (comments if is_comments else site).append(url)
    return list(dict.fromkeys(site + comments))


def common_feed_urls(page_url: str) -> list[str]:
    """The usual feed locations at the root of the page's site."""
    parts = urlsplit(page_url)
    root = f"{parts.scheme}://{parts.netloc}/"
    return [urljoin(root, path) for path in COMMON_FEED_PATHS]
