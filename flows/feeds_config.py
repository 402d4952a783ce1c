"""Feeds configuration: a TOML file of outlets and their feeds, or an OPML list.

[[outlet]]
name = "The Harbour Gazette"
country = "GB"
language = "en"
tags = ["national"]
feeds = [
  { url = "https://example.org/rss.xml", name = "Top stories", tags = ["top"] },
]

[[feed]]                     # a feed on its own, naming its outlet
url = "https://example.net/atom.xml"
outlet = "Example Net"
min_interval_s = 900
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from extractors.opml import parse_opml
from extractors.records import FeedSpec

_OUTLET_KEYS = {"name", "country", "language", "tags", "feeds", "min_interval_s"}
_FEED_KEYS = {"url", "name", "outlet", "country", "language", "tags", "min_interval_s"}


class ConfigError(ValueError):
    """The feeds file is wrong; the message names the file and the entry."""


def _check_keys(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")


def _spec(where: str, feed: dict[str, Any], outlet: dict[str, Any] | None) -> FeedSpec:
    _check_keys(where, feed, _FEED_KEYS)
    url = feed.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: `url` must be an http(s) URL, got {url!r}")
    outlet = outlet or {}
    tags = tuple(outlet.get("tags", ())) + tuple(feed.get("tags", ()))
    return FeedSpec(
        url=url,
        name=feed.get("name") or outlet.get("name"),
        outlet=feed.get("outlet") or outlet.get("name") or feed.get("name"),
        country=feed.get("country") or outlet.get("country"),
        language=feed.get("language") or outlet.get("language"),
        tags=tuple(dict.fromkeys(tags)),
        min_interval_s=feed.get("min_interval_s") or outlet.get("min_interval_s"),
    )


def parse_feeds_toml(text: str, source: str = "<feeds>") -> list[FeedSpec]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    _check_keys(source, doc, {"outlet", "feed", "schedule"})
    specs: list[FeedSpec] = []
    for i, outlet in enumerate(doc.get("outlet", [])):
        where = f"{source}: outlet #{i + 1} ({outlet.get('name', '?')})"
        _check_keys(where, outlet, _OUTLET_KEYS)
        if not outlet.get("name"):
            raise ConfigError(f"{where}: `name` is required")
        for j, feed in enumerate(outlet.get("feeds", [])):
            specs.append(_spec(f"{where}, feed #{j + 1}", feed, outlet))
    for i, feed in enumerate(doc.get("feed", [])):
        specs.append(_spec(f"{source}: feed #{i + 1}", feed, None))
    if not specs:
        raise ConfigError(f"{source}: no feeds defined (use [[outlet]] with feeds, or [[feed]])")
    return specs


_SCHEDULE_KEYS = {"name", "interval", "tags"}
_DURATION = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str | int, where: str = "duration") -> int:
    """Seconds from 90, "90s", "15m", "2h", "1d"."""
    if isinstance(value, int):
        return value
    v = str(value).strip().lower()
    if v[-1:] in _DURATION and v[:-1].isdigit():
        return int(v[:-1]) * _DURATION[v[-1]]
    if v.isdigit():
        return int(v)
    raise ConfigError(f"{where}: {value!r} is not a duration like 90s, 15m, 2h or 1d")


def load_schedules(path: str | Path) -> list[tuple[str, int, list[str]]]:
    """Feed groups with their own polling interval, from [[schedule]] tables:

    [[schedule]]
    name = "breaking"      # deployment name: ingest/breaking
    interval = "5m"
    tags = ["breaking"]    # feeds having one of these tags
    """
    p = Path(path)
    if p.suffix.lower() != ".toml":
        return []
    doc = tomllib.loads(p.read_text(encoding="utf-8"))
    out = []
    for i, sched in enumerate(doc.get("schedule", [])):
        where = f"{p}: schedule #{i + 1}"
        _check_keys(where, sched, _SCHEDULE_KEYS)
        if not sched.get("name") or "interval" not in sched:
            raise ConfigError(f"{where}: `name` and `interval` are required")
        out.append((sched["name"], parse_duration(sched["interval"], where), sched.get("tags", [])))
    return out


def specs_from_dicts(feeds: list[dict[str, Any]]) -> list[FeedSpec]:
    """FeedSpecs from plain dicts (e.g. the demo site's feed list), validated like a file;
    keys a feed file would not know are ignored."""
    return [
        _spec(f"feed #{i + 1}", {k: v for k, v in f.items() if k in _FEED_KEYS}, None)
        for i, f in enumerate(feeds)
    ]


def load_feeds_file(path: str | Path) -> list[FeedSpec]:
    """Read feeds from a .toml or .opml file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read feeds file {p}: {exc.strerror}") from exc
    if p.suffix.lower() in (".opml", ".xml"):
        try:
            return parse_opml(data)
        except ValueError as exc:
            raise ConfigError(f"{p}: {exc}") from exc
    return parse_feeds_toml(data.decode("utf-8"), str(p))
