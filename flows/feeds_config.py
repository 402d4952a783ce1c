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
_TEXT_FIELDS = ("name", "outlet", "country", "language")


class ConfigError(ValueError):
    """The feeds file is wrong; the message names the file and the entry."""


def _check_keys(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")


def _type_name(value: object) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)  # fmt: skip


def _tables(where: str, key: str, value: object) -> list[dict[str, Any]]:
    """`[[key]]` entries (or `key = [{...}, ...]`): a list of tables, or ConfigError."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of tables ([[{key}]]), "
                          f"got {_type_name(value)}")  # fmt: skip
    return value


def _check_fields(where: str, table: dict[str, Any]) -> None:
    """Types of the fields a feed or outlet may carry, each named when wrong."""
    for key in _TEXT_FIELDS:
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"{where}: `{key}` must be a string, got {_type_name(table[key])} "
                              f"{table[key]!r}")  # fmt: skip
    tags = table.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"{where}: `tags` must be a list of strings, like [\"news\"], "
                          f"got {tags!r}")  # fmt: skip
    interval = table.get("min_interval_s")
    if interval is not None and (
        isinstance(interval, bool) or not isinstance(interval, int) or interval < 0
    ):
        raise ConfigError(f"{where}: `min_interval_s` must be a whole number of seconds "
                          f"(e.g. 900), got {interval!r}")  # fmt: skip


def _spec(where: str, feed: dict[str, Any], outlet: dict[str, Any] | None) -> FeedSpec:
    _check_keys(where, feed, _FEED_KEYS)
    url = feed.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: `url` must be an http(s) URL, got {url!r}")
    _check_fields(where, feed)
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


def _toml(text: bytes, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{source}: not UTF-8 text (byte 0x{text[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc


def parse_feeds_toml(text: str | bytes, source: str = "<feeds>") -> list[FeedSpec]:
    doc = _toml(text.encode("utf-8") if isinstance(text, str) else text, source)
    _check_keys(source, doc, {"outlet", "feed", "schedule"})
    specs: list[FeedSpec] = []
    for i, outlet in enumerate(_tables(source, "outlet", doc.get("outlet", []))):
        name = outlet.get("name")
        where = f"{source}: outlet #{i + 1} ({name if isinstance(name, str) else '?'})"
        _check_keys(where, outlet, _OUTLET_KEYS)
        if not name:
            raise ConfigError(f"{where}: `name` is required")
        _check_fields(where, outlet)
        for j, feed in enumerate(_tables(where, "feeds", outlet.get("feeds", []))):
            specs.append(_spec(f"{where}, feed #{j + 1}", feed, outlet))
    for i, feed in enumerate(_tables(source, "feed", doc.get("feed", []))):
        specs.append(_spec(f"{source}: feed #{i + 1}", feed, None))
    if not specs:
        raise ConfigError(f"{source}: no feeds defined (use [[outlet]] with feeds, or [[feed]])")
    return specs


_SCHEDULE_KEYS = {"name", "interval", "tags"}
_DURATION = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_MAX_DURATION_S = 366 * 86400


def parse_duration(value: str | int, where: str = "duration") -> int:
    """Seconds from 90, "90s", "15m", "2h", "1d" (at most a year)."""
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    else:
        v = str(value).strip().lower()
        unit = _DURATION.get(v[-1:], 0)
        digits = v[:-1] if unit else v
        if not (digits.isascii() and digits.isdigit()):
            raise ConfigError(f"{where}: {value!r} is not a duration like 90s, 15m, 2h or 1d")
        seconds = int(digits) * (unit or 1)
    if not 0 <= seconds <= _MAX_DURATION_S:
        raise ConfigError(f"{where}: {value!r} is not between 0 s and a year")
    return seconds


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
    doc = _toml(_read(p), str(p))
    out = []
    for i, sched in enumerate(_tables(str(p), "schedule", doc.get("schedule", []))):
        where = f"{p}: schedule #{i + 1}"
        _check_keys(where, sched, _SCHEDULE_KEYS)
        if not sched.get("name") or "interval" not in sched:
            raise ConfigError(f"{where}: `name` and `interval` are required")
        if not isinstance(sched["name"], str):
            raise ConfigError(f"{where}: `name` must be a string, got {sched['name']!r}")
        _check_fields(where, {"tags": sched.get("tags", [])})
        every = parse_duration(sched["interval"], where)
        if every < 1:
            raise ConfigError(f"{where}: `interval` must be at least 1 s")
        out.append((sched["name"], every, sched.get("tags", [])))
    return out


def specs_from_dicts(feeds: list[dict[str, Any]]) -> list[FeedSpec]:
    """FeedSpecs from plain dicts (e.g. the demo site's feed list), validated like a file;
    keys a feed file would not know are ignored."""
    return [
        _spec(f"feed #{i + 1}", {k: v for k, v in f.items() if k in _FEED_KEYS}, None)
        for i, f in enumerate(feeds)
    ]


def _read(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read feeds file {p}: {exc.strerror}") from exc


def load_feeds_file(path: str | Path) -> list[FeedSpec]:
    """Read feeds from a .toml or .opml file."""
    p = Path(path)
    data = _read(p)
    if p.suffix.lower() in (".opml", ".xml"):
        try:
            specs = parse_opml(data)
        except ValueError as exc:
            raise ConfigError(f"{p}: {exc}") from exc
        if not specs:
            raise ConfigError(f"{p}: no feeds in this OPML (no <outline> has an xmlUrl)")
        return specs
    return parse_feeds_toml(data, str(p))
