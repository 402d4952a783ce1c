"""The demo: the bundled news site on loopback, ingested into a local warehouse."""

from __future__ import annotations

from demosite import DemoSite
from extractors.records import FeedSpec
from flows.feeds_config import specs_from_dicts


def demo_feeds(site: DemoSite) -> list[FeedSpec]:
    """The demo site's feeds, each under its outlet's display name."""
    return specs_from_dicts([{**f, "outlet": f["name"]} for f in site.feeds()])
