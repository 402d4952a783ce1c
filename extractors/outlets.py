"""Outlet names for feeds and pages nobody named: the feed's title, the page's og:site_name or
publisher metadata, normalised to a short display name ("BBC News - Home" -> "BBC News",
"World news | The Guardian" -> "The Guardian"); the host is the last resort.

Names are taken apart at their separators (" | ", " - ", ": " ...); segments made only of
generic words ("Home", "Latest news", "RSS") are dropped; of the rest, the one that spells
the site's host wins, else the first. Anything still longer than a name is refused.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from urllib.parse import urlsplit

MAX_OUTLET_CHARS = 60
# Segment separators in titles, most common first.
_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]+\s+|\s*[|·•»]\s*|:\s+")
# Words that name a section or a format, not a publisher (several languages).
GENERIC_WORDS = frozenset(
    """home homepage front page news latest top stories story headlines breaking rss feed feeds
    atom xml all articles article posts blog world international national local online live
    today updates update the and of en de la le les el los das der die und startseite
    nachrichten aktuell aktuelles meldungen actualités actualites info infos noticias notizie
    ultime últimas ultimas notícias noticias portada accueil inicio início""".split()
)
# Second-level labels under which the registrable name sits one label further left.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "ne", "or", "go", "edu"})

_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_LD_JSON = re.compile(
    r"""<script[^>]+type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script>""", re.I | re.S
)
_SQUASH = re.compile(r"[\W_]+", re.UNICODE)


def host_of(url: str | None) -> str | None:
    """The URL's host, lower-case, without "www." (IPv6 literals keep their brackets)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower()
    if ":" in host:
        return f"[{host}]"
    return host.removeprefix("www.")


def _site_label(host: str) -> str:
    """The distinctive label of a host: bbc.co.uk -> bbc, news.example.com -> example."""
    labels = host.strip("[]").split(".")
    if len(labels) > 1:
        labels = labels[:-1]
        if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
    return labels[-1]


def _squash(text: str) -> str:
    return _SQUASH.sub("", text).casefold()


def _is_generic(segment: str) -> bool:
    words = [w for w in re.split(r"[\W_]+", segment.casefold()) if w]
    return all(w in GENERIC_WORDS for w in words)


def _spells_host(segment: str, label: str) -> bool:
    squashed = _squash(segment)
    return len(label) >= 3 and len(squashed) >= 2 and (label in squashed or squashed in label)


def outlet_name(raw: str | None, host: str | None = None) -> str | None:
    """A short outlet name from a feed title or site name, or None if it yields none."""
    if not raw:
        return None
    text = " ".join(html_lib.unescape(raw).split()).strip(" |-–—:·•»").lstrip("@")
    if not text:
        return None
    if re.match(r"(?i)https?://", text):  # a URL given as a name: its host says more
        return host_of(text)
    segments = [s.strip() for s in _SEPARATORS.split(text) if s and s.strip()]
    named = [s for s in segments if not _is_generic(s)]
    if not named:
        return None
    label = _site_label(host) if host else ""
    best = next((s for s in named if label and _spells_host(s, label)), named[0])
    return best if len(best) <= MAX_OUTLET_CHARS else None


def _ld_publisher(block: str) -> str | None:
    try:
        doc = json.loads(block)
    except ValueError:
        return None
    stack = [doc]
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            publisher = node.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                return publisher["name"]
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
    return None


def site_name_from_markup(html: str) -> str | None:
    """What the page says its site is called: og:site_name, then the JSON-LD publisher's
    name, then application-name. (Twitter handles are account names, not used.)"""
    metas: dict[str, str] = {}
    for tag in _META.finditer(html):
        attrs = {k.lower(): (a or b or c) for k, a, b, c in _ATTR.findall(tag.group(0))}
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        if key in ("og:site_name", "application-name") and attrs.get("content"):
            metas.setdefault(key, attrs["content"])
    if metas.get("og:site_name"):
        return metas["og:site_name"]
    for block in _LD_JSON.findall(html):
        if name := _ld_publisher(block):
            return name
    return metas.get("application-name")


def page_outlet(html: str, url: str) -> str | None:
    """The outlet of a page nobody named: its own site name metadata, normalised; else its
    host. (trafilatura's sitename is not used: it falls back to Twitter handles.)"""
    host = host_of(url)
    return outlet_name(site_name_from_markup(html), host) or host
