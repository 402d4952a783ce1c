"""Bundled demo news site: fictional outlets, feeds and articles served on loopback.

Importing this package has no side effects; content files are read lazily on first use
and the server only binds a port in :meth:`DemoSite.start`.
"""

from __future__ import annotations

from typing import Any

from demosite.content import load_articles, load_outlets
from demosite.server import DemoSite

__all__ = ["DemoSite", "articles", "outlets"]


def outlets() -> list[dict[str, Any]]:
    """Outlet definitions (fresh dicts, safe to mutate)."""
    return [
        {
            "slug": o.slug,
            "name": o.name,
            "country": o.country,
            "language": o.language,
            "tags": list(o.tags),
            "flavour": o.flavour,
            "template": o.template,
            "feed_path": o.feed_path,
            "section_path": o.section_path,
            "article_path": o.article_path,
            "description": o.description,
            "partner_items": list(o.partner_items),
        }
        for o in load_outlets()
    ]


def articles() -> list[dict[str, Any]]:
    """Ground truth for every article page, oldest first.

    ``path`` is the page path (always equal to ``canonical_url_path``); ``feed_path``
    is how the outlet's feed links to it, tracking parameters included.  ``wire_of`` is
    the slug of the original for a republished wire copy (``wire_of_outlet`` its outlet).
    """
    result = []
    for a in load_articles():
        wire_outlet, _, wire_slug = (a.wire_of or "").partition("/")
        result.append(
            {
                "outlet": a.outlet,
                "slug": a.slug,
                "path": a.path,
                "canonical_url_path": a.path,
                "feed_path": f"{a.path}?{a.feed_query}" if a.feed_query else a.path,
                "headline": a.headline,
                "standfirst": a.standfirst,
                "authors": list(a.authors),
                "published": a.published.isoformat(),
                "section": a.section,
                "tags": list(a.tags),
                "caption": a.caption,
                "body": list(a.paragraphs),
                "credit": a.credit,
                "wire_of": wire_slug or None,
                "wire_of_outlet": wire_outlet or None,
                "patterns": list(a.patterns),
            }
        )
    return result
