"""Outlet names for feeds and pages nobody named, and the host column."""

from __future__ import annotations

import pytest

from extractors.outlets import host_of, outlet_name, page_outlet, site_name_from_markup


@pytest.mark.parametrize(
    ("raw", "host", "name"),
    [
        ("BBC News - Home", "feeds.bbci.co.uk", "BBC News"),
        ("World news | The Guardian", "www.theguardian.com", "The Guardian"),
        ("Reuters: Breaking International News & Views", "www.reuters.com", "Reuters"),
        ("Latest News – The Harbour Gazette", "harbour.example", "The Harbour Gazette"),
        ("tagesschau.de - die erste Adresse für Nachrichten", "www.tagesschau.de",
         "tagesschau.de"),
        ("Le Monde.fr - Actualités et Infos en France et dans le monde", "www.lemonde.fr",
         "Le Monde.fr"),
        ("  The   Daily &amp; Weekly  ", "dw.example", "The Daily & Weekly"),
        ("@politifact", "www.politifact.com", "politifact"),
        ("Top Stories", "x.example", None),  # only generic words: no name
        ("RSS Feed | Home", "x.example", None),
        ("", "x.example", None),
        (None, "x.example", None),
        ("https://www.kleinezeitung.at", "www.kleinezeitung.at", "kleinezeitung.at"),
        ("A" * 80, "a.example", None),  # a sentence, not a name
    ],
)  # fmt: skip
def test_outlet_name(raw: str | None, host: str, name: str | None) -> None:
    assert outlet_name(raw, host) == name


def test_the_host_picks_among_named_segments() -> None:
    # "Politics" is a section, not a generic word: only the host tells them apart.
    assert outlet_name("Politics | Daily Planet", "www.dailyplanet.example") == "Daily Planet"
    assert outlet_name("Politics | Daily Planet") == "Politics"  # no host: the first
    assert outlet_name("Home - Daily Planet") == "Daily Planet"


@pytest.mark.parametrize(
    ("url", "host"),
    [("https://www.Example.com/a", "example.com"), ("http://[::1]:8080/a", "[::1]"),
     ("https://news.bbc.co.uk/x", "news.bbc.co.uk"), ("not a url", None), (None, None)],
)  # fmt: skip
def test_host_of(url: str | None, host: str | None) -> None:
    assert host_of(url) == host


def test_site_name_sources_in_order() -> None:
    og = '<meta property="og:site_name" content="Harbour Gazette">'
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "publisher": '
          '{"@type": "Organization", "name": "Gazette Media Group"}}</script>')  # fmt: skip
    app = '<meta name="application-name" content="Gazette App">'
    assert site_name_from_markup(og + ld + app) == "Harbour Gazette"
    assert site_name_from_markup(ld + app) == "Gazette Media Group"
    assert site_name_from_markup(app) == "Gazette App"
    # Twitter handles name an account, not a publication
    assert site_name_from_markup('<meta name="twitter:site" content="@gazette">') is None


def test_page_outlet_falls_back_to_the_host() -> None:
    assert page_outlet("<title>x</title>", "https://www.harbour.example/a") == "harbour.example"
    html = '<meta property="og:site_name" content="Harbour Gazette | Home">'
    assert page_outlet(html, "https://harbour.example/a") == "Harbour Gazette"
