"""Cleaning: our demo pages (every template) and the edge cases of bad pages."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

import demosite
from extractors.charset import charset_from_content_type
from extractors.clean import EXTRACTOR_VERSION, ExtractionError, PageInput, clean_page
from extractors.urls import normalise_url

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def _page(url: str, body: bytes, ctype: str | None = "text/html; charset=utf-8") -> PageInput:
    return PageInput(url, url, body, ctype, charset_from_content_type(ctype), NOW)


def test_every_demo_article_is_cleaned_to_its_body(demo_site) -> None:
    truth = demosite.articles()
    with httpx.Client() as client:
        for art in truth:
            url = demo_site.base_url + art["path"]
            resp = client.get(url)
            a = clean_page(_page(url, resp.content, resp.headers["content-type"]))
            for para in art["body"]:
                assert para[:60] in a.text, (art["slug"], para[:60])
            # Clutter is gone: cookie banner, comments, newsletter box.
            low = a.text.lower()
            assert "cookie" not in low and "newsletter" not in low, art["slug"]
            assert a.canonical_url == normalise_url(demo_site.base_url + art["canonical_url_path"])
            assert a.title and a.language == "en" and a.word_count > 150
            assert a.published_at is not None and a.extractor_version == EXTRACTOR_VERSION


@pytest.mark.parametrize(
    ("body", "ctype", "reason"),
    [
        (b"", "text/html", "empty"),
        (b"%PDF-1.7 binary", "application/pdf", "not an HTML page"),
        (b"\x00\x01\x02\x03<html>", None, "not an HTML page"),
        (b"<html><head><title>t</title></head><body> </body></html>", "text/html", "no article"),
    ],
)
def test_bad_pages_give_readable_reasons(body: bytes, ctype: str | None, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        clean_page(_page("https://x.example/a", body, ctype))


def test_broken_html_and_wrong_meta_charset() -> None:
    para = "The minister said the reforms would be finished next year, officials confirmed. " * 8
    body = ('<html><head><meta charset="iso-8859-1"><title>Reformas à vista</title>'
            f"<body><article><h1>Reformas à vista</h1><p>{para}<p>Ação já<div></article>"
            ).encode()  # fmt: skip
    a = clean_page(_page("https://x.example/r", body, "text/html"))
    assert "Ação" in a.text and "officials confirmed" in a.text
