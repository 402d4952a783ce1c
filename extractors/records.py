"""Records that cross pipeline stages: feed entry -> fetched page -> article -> mention / claim.

All are frozen dataclasses with deterministic ids, so that loading the same input twice
produces the same keys and the warehouse can upsert instead of duplicating.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex id derived only from its parts (never from time or randomness)."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(str(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def record_dict(obj: object) -> dict:
    """A record as a plain dict of its declared fields (tuples as lists), for JSON."""
    return {
        f.name: list(v) if isinstance(v := getattr(obj, f.name), tuple) else v for f in fields(obj)
    }


def article_id_for(canonical_url: str) -> str:
    """Article identity is the canonical URL: one article per canonical URL, whatever the feed."""
    return stable_id("article", canonical_url)


def feed_id_for(url: str) -> str:
    return stable_id("feed", url)


def entity_id_for(kind: str, canonical_name: str) -> str:
    return stable_id("entity", kind, canonical_name.casefold())


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed (RSS/Atom/RDF item or news-sitemap <url>)."""

    feed_id: str
    url: str
    guid: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()
    summary: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What a feed document yielded: its kind, title, entries and a readable problem, if any."""

    kind: str  # rss | atom | rdf | news-sitemap | sitemap | sitemap-index | unknown
    title: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None  # recoverable problem (e.g. feedparser bozo with entries)
    error: str | None = None  # nothing usable could be parsed


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A page as received over HTTP (or from the raw store), before any cleaning."""

    url: str  # URL as discovered in the feed
    final_url: str  # after redirects
    status: int
    body: bytes
    content_type: str | None
    charset: str | None  # from the HTTP header, if any
    fetched_at: datetime
    redirects: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    article_id: str
    url: str
    canonical_url: str
    outlet: str | None
    feed_id: str | None
    title: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    fetched_at: datetime
    language: str | None
    site_name: str | None
    text: str
    word_count: int
    content_hash: str
    extractor_version: str
    date_source: str | None = None  # where published_at came from: page | feed | fetched
    host: str | None = None  # host of the canonical URL (without "www.")
    bands: tuple[int, ...] | None = None  # near-duplicate fingerprint (extractors.minhash)


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical actor or place; every alias seen for it maps to one entity_id."""

    entity_id: str
    canonical_name: str
    kind: str  # person | org | place | agency | group | misc
    aliases: tuple[str, ...] = ()
    country_code: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    entity_id: str
    surface: str
    start: int
    end: int
    sentence: int
    label: str  # spaCy label the mention came from (PERSON, ORG, GPE, ...)


@dataclass(frozen=True, slots=True)
class Claim:
    claim_id: str
    article_id: str
    speaker: str | None
    speaker_canonical: str | None
    speaker_entity_id: str | None
    speaker_kind: str | None  # person | organisation | place | document | anonymous | None
    cue: str | None
    cue_lemma: str | None
    content: str
    quote_type: str  # direct | indirect | mixed
    via: tuple[str, ...]
    content_start: int
    content_end: int
    speaker_start: int | None
    speaker_end: int | None
    sentence: int
    confidence: float
    rule: str | None = None  # the candidate rule that produced the claim


ANALYSIS_STATUSES = ("ok", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class Analysis:
    """Claims, mentions and entities extracted from one article's text.

    ``status``: ok (rows extracted), skipped (not analysed on purpose: language, length; stored,
    never an error) or failed (the extractor raised; ``error`` says why, the article's earlier
    rows are kept and a later run retries)."""

    article_id: str
    status: str = "ok"
    claims: tuple[Claim, ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    fingerprint: str = ""
    error: str | None = None

    @property
    def analysed(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """A feed as configured by the user (TOML or OPML): where it is and whose it is."""

    url: str
    name: str | None = None
    outlet: str | None = None
    country: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    min_interval_s: int | None = None

    @property
    def feed_id(self) -> str:
        return feed_id_for(self.url)


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """The outcome of polling one feed once."""

    feed_id: str
    url: str
    outlet: str | None
    started_at: datetime
    duration_ms: int
    http_status: int | None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None
    entries: tuple[FeedEntry, ...] = ()
    error: str | None = None  # nothing usable: the reason, readable
    warning: str | None = None  # usable but flawed (e.g. malformed XML recovered)
    poll_interval_s: int | None = None  # when to poll again (adaptive)
    retry_after_s: float | None = None  # the server asked us to wait this long
    discovered_from: str | None = None  # feed_id of the web page this feed was found on


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """The outcome of fetching and cleaning one queued page."""

    url: str
    attempted_at: datetime
    http_status: int | None
    article: Article | None = None
    page: FetchedPage | None = None
    error: str | None = None
    retryable: bool = False  # transient (timeout, 429, 5xx): try again in a later run
    retry_after_s: float | None = None
