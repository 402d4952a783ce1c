"""Loading of the demo site's content data files.

Outlets live in ``content/outlets.toml``; each article is one file
``content/<outlet>/<slug>.md`` made of a TOML front matter block between ``+++`` lines
followed by the body, one paragraph per blank-line-separated block.  Keeping the text
as data (not code) lets the ground truth used by tests be exactly what the pages show.
"""

from __future__ import annotations

import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

CONTENT_DIR = Path(__file__).parent / "content"


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    country: str
    language: str
    tags: tuple[str, ...]
    flavour: str  # "rss2", "atom", "rdf", "news-sitemap", "rss2-full"
    template: str
    feed_path: str
    article_path: str  # str.format pattern: {yyyy} {mm} {dd} {slug} {id}
    description: str
    feed_title: str
    partner_items: tuple[str, ...] = ()  # "outlet/slug" of other outlets' articles in our feed

    @property
    def section_path(self) -> str:
        return f"/{self.slug}/"


@dataclass(frozen=True)
class Article:
    outlet: str
    slug: str
    headline: str
    authors: tuple[str, ...]
    published: datetime
    standfirst: str
    paragraphs: tuple[str, ...]
    path: str
    caption: str | None = None
    section: str = "World"
    tags: tuple[str, ...] = ()
    feed_query: str | None = None  # tracking parameters appended to the feed link only
    wire_of: str | None = None  # "outlet/slug" of the original for a republished wire copy
    credit: str | None = None  # e.g. "(Reporting by ...; Editing by ...)"
    numeric_id: int = 0
    patterns: tuple[str, ...] = field(default=())  # attribution patterns, documentation only

    @property
    def key(self) -> str:
        return f"{self.outlet}/{self.slug}"

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def _split_front_matter(text: str, source: Path) -> tuple[dict, list[str]]:
    if not text.startswith("+++\n"):
        raise ValueError(f"{source}: missing +++ front matter")
    end = text.index("\n+++\n", 3)
    meta = tomllib.loads(text[4:end])
    body = text[end + 5 :]
    # A paragraph may be wrapped over several lines in the file; join them with spaces.
    paragraphs = [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]
    return meta, paragraphs


@cache
def load_outlets() -> tuple[Outlet, ...]:
    data = tomllib.loads((CONTENT_DIR / "outlets.toml").read_text(encoding="utf-8"))
    result = []
    for raw in data["outlet"]:
        raw = dict(raw)
        raw["tags"] = tuple(raw.get("tags", ()))
        raw["partner_items"] = tuple(raw.get("partner_items", ()))
        result.append(Outlet(**raw))
    return tuple(result)


def _numeric_id(outlet: str, slug: str) -> int:
    # Stable, content-derived ids so article URLs never depend on file ordering.
    return 40000 + zlib.crc32(f"{outlet}/{slug}".encode()) % 60000


@cache
def load_articles() -> tuple[Article, ...]:
    raw_items: list[tuple[Outlet, str, dict, list[str]]] = []
    for outlet in load_outlets():
        for path in sorted((CONTENT_DIR / outlet.slug).glob("*.md")):
            meta, paragraphs = _split_front_matter(path.read_text(encoding="utf-8"), path)
            raw_items.append((outlet, path.stem, meta, paragraphs))

    bodies = {f"{o.slug}/{slug}": paras for o, slug, _, paras in raw_items if paras}
    articles = []
    for outlet, slug, meta, paragraphs in raw_items:
        wire_of = meta.get("wire_of")
        if wire_of:
            # A republished wire copy carries no body of its own: it is, by definition,
            # the same text as the original, so it is taken from there.
            if paragraphs:
                raise ValueError(f"{outlet.slug}/{slug}: wire copy must not have its own body")
            paragraphs = bodies[wire_of]
        published = meta["published"]
        if not isinstance(published, datetime) or published.tzinfo is None:
            raise ValueError(f"{outlet.slug}/{slug}: published needs a timezone")
        numeric_id = _numeric_id(outlet.slug, slug)
        path = outlet.article_path.format(
            yyyy=f"{published.year:04d}",
            mm=f"{published.month:02d}",
            dd=f"{published.day:02d}",
            slug=slug,
            id=numeric_id,
        )
        articles.append(
            Article(
                outlet=outlet.slug,
                slug=slug,
                headline=meta["headline"],
                authors=tuple(meta["authors"]),
                published=published,
                standfirst=meta["standfirst"],
                paragraphs=tuple(paragraphs),
                path=path,
                caption=meta.get("caption"),
                section=meta.get("section", "World"),
                tags=tuple(meta.get("tags", ())),
                feed_query=meta.get("feed_query"),
                wire_of=wire_of,
                credit=meta.get("credit"),
                numeric_id=numeric_id,
                patterns=tuple(meta.get("patterns", ())),
            )
        )
    paths = [a.path for a in articles]
    if len(set(paths)) != len(paths):
        raise ValueError("duplicate article paths in demo content")
    articles.sort(key=lambda a: (a.published, a.outlet, a.slug))
    return tuple(articles)


def outlet_by_slug() -> dict[str, Outlet]:
    return {o.slug: o for o in load_outlets()}


def article_by_key() -> dict[str, Article]:
    return {a.key: a for a in load_articles()}
