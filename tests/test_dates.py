"""Publication dates: the page's machine-readable timestamp with its time and zone, checked for
plausibility, then the feed entry's date, then the fetch time; every date names its source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from extractors.clean import PageInput, clean_page
from extractors.dates import (
    EARLIEST,
    choose_published,
    json_ld_published,
    meta_published,
    parse_timestamp,
    plausible,
)
from extractors.records import FeedEntry

FETCHED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1))
BODY = "<p>" + "The council said the new bridge would open in spring, officials confirmed. " * 6


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-02T10:56:35+01:00", datetime(2024, 12, 2, 10, 56, 35, tzinfo=CET)),
        ("2023-04-28T18:23:00+0000", datetime(2023, 4, 28, 18, 23, tzinfo=UTC)),
        ("2026-01-06T12:31:36.000Z", datetime(2026, 1, 6, 12, 31, 36, tzinfo=UTC)),
        ("2026-05-13 15:44", datetime(2026, 5, 13, 15, 44, tzinfo=UTC)),
        ("2025-05-03", datetime(2025, 5, 3, tzinfo=UTC)),
        ("1750680000000", datetime(2025, 6, 23, 12, 0, tzinfo=UTC)),  # epoch milliseconds
        ("1750680000", datetime(2025, 6, 23, 12, 0, tzinfo=UTC)),  # epoch seconds
        ("Fri Apr 28 19:20:36 CEST 2023", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_timestamp(value: str | None, expected: datetime | None) -> None:
    assert parse_timestamp(value) == expected


def test_json_ld_prefers_the_article_object() -> None:
    html = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "datePublished": "2001-01-01"},
      {"@type": "NewsArticle", "datePublished": "2026-03-04T05:06:07+02:00"}]}</script>"""
    assert json_ld_published(html) == datetime(2026, 3, 4, 3, 6, 7, tzinfo=UTC)


def test_json_ld_broken_json_still_yields_its_date() -> None:
    html = '<script type="application/ld+json">{"datePublished": "2025-02-03T04:05:06Z", }</script>'
    assert json_ld_published(html) == datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("metas", "expected"),
    [
        ('<meta property="article:published_time" content="2024-10-15T08:22:57+02:00"/>'
         '<meta name="date" content="2024-10-15T17:38:42+02:00"/>',
         datetime(2024, 10, 15, 6, 22, 57, tzinfo=UTC)),
        ('<meta content="2025-06-05T14:46:12+02:00" name="article:published_time">',
         datetime(2025, 6, 5, 12, 46, 12, tzinfo=UTC)),
        ('<meta itemprop="datePublished" content="2023-04-28T18:23:00+0000">',
         datetime(2023, 4, 28, 18, 23, tzinfo=UTC)),
        # modification times are never a publication date
        ('<meta property="article:modified_time" content="2024-10-15T17:38:42+02:00"/>', None),
    ],
)  # fmt: skip
def test_meta_published(metas: str, expected: datetime | None) -> None:
    assert meta_published(f"<html><head>{metas}</head>") == expected


@pytest.mark.parametrize(
    "when",
    [datetime(1, 1, 1, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC),
     datetime(1989, 12, 31, 23, 59, tzinfo=UTC), FETCHED + timedelta(days=1, seconds=1),
     datetime(2099, 1, 1, tzinfo=UTC), None],
)  # fmt: skip
def test_implausible_dates(when: datetime | None) -> None:
    assert not plausible(when, FETCHED)


@pytest.mark.parametrize("when", [EARLIEST, FETCHED, FETCHED + timedelta(hours=23)])
def test_plausible_dates(when: datetime) -> None:
    assert plausible(when, FETCHED)


FEED_DATE = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("head", "htmldate", "entry", "expected"),
    [
        ('<meta property="article:published_time" content="2026-11-26T18:00:00+01:00">',
         None, FEED_DATE, (datetime(2026, 11, 26, 17, 0, tzinfo=UTC), "page")),
        # a template placeholder on the page: the feed's date
        ('<meta property="article:published_time" content="0001-01-01T00:00:00Z">',
         None, FEED_DATE, (FEED_DATE, "feed")),
        # a page date in the future: htmldate's reading of the page, if plausible
        ('<meta property="article:published_time" content="2030-01-01T00:00:00Z">',
         "2026-11-25T00:00:00", FEED_DATE, (datetime(2026, 11, 25, tzinfo=UTC), "page")),
        ("<title>no date</title>", None, FEED_DATE, (FEED_DATE, "feed")),
        ("<title>no date</title>", None, datetime(1, 1, 1, tzinfo=UTC), (FETCHED, "fetched")),
        ("<title>no date</title>", None, None, (FETCHED, "fetched")),
    ],
)  # fmt: skip
def test_choose_published_falls_back_in_order(head, htmldate, entry, expected) -> None:
    got = choose_published(head, htmldate, entry, FETCHED)
    assert (got.at, got.source) == expected


def _clean(head: str, entry: FeedEntry | None = None):
    html = f"<html><head><title>Bridge</title>{head}</head><body><article>{BODY}</article></html>"
    page = PageInput("https://news.example/a", "https://news.example/a", html.encode(),
                     "text/html; charset=utf-8", "utf-8", FETCHED, entry=entry)  # fmt: skip
    return clean_page(page)


def test_cleaned_article_keeps_time_of_day_and_zone() -> None:
    a = _clean('<meta property="article:published_time" content="2026-11-20T21:15:00-05:00">')
    assert a.published_at == datetime(2026, 11, 21, 2, 15, tzinfo=UTC) and a.date_source == "page"


def test_cleaned_article_with_placeholder_date_uses_the_feed() -> None:
    entry = FeedEntry(feed_id="f", url="https://news.example/a", published_at=FEED_DATE)
    a = _clean('<meta property="article:published_time" content="0001-01-01T00:00:00Z">', entry)
    assert (a.published_at, a.date_source) == (FEED_DATE, "feed")


def test_cleaned_article_without_any_date_is_dated_by_its_fetch() -> None:
    a = _clean("")
    assert (a.published_at, a.date_source) == (FETCHED, "fetched")
