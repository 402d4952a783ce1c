from extractors.urls import canonical_url, normalise_url


def test_tracking_parameters_are_stripped_and_order_kept() -> None:
    url = "HTTP://Example.COM:80/a/b?id=3&utm_source=rss&utm_medium=feed&fbclid=x&page=2#top"
    assert normalise_url(url) == "http://example.com/a/b?id=3&page=2"
    assert normalise_url("https://e.org/x?gclid=1") == "https://e.org/x"


def test_canonical_declaration_is_preferred_and_resolved() -> None:
    got = canonical_url("http://127.0.0.1:8000/p/1.html?utm_source=x", "/story/1?utm_medium=y")
    assert got == "http://127.0.0.1:8000/story/1"


def test_home_page_canonical_is_not_trusted_for_an_article() -> None:
    assert canonical_url("https://news.example/2026/story.html", "https://news.example/") == (
        "https://news.example/2026/story.html"
    )


def test_non_http_canonical_is_ignored() -> None:
    assert canonical_url("https://a.example/x", "javascript:void(0)") == "https://a.example/x"


def test_ipv6_hosts_keep_their_brackets() -> None:
    assert normalise_url("http://[::1]:8080/a") == "http://[::1]:8080/a"
    assert normalise_url("HTTP://[2001:DB8::1]:80/x?utm_source=y") == "http://[2001:db8::1]/x"
    assert canonical_url("http://[::1]:8080/a", "/b") == "http://[::1]:8080/b"
