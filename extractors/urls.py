"""URL identity: one canonical form per article, so feeds that repeat, re-guid or cross-list an
article still map to one row."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track the reader; they never select different content.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "hsa_", "oly_", "vero_")
_TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mkt_tok", "_hsenc", "_hsmi", "ocid", "cmpid", "ito", "ns_source",
        "ns_mchannel", "ns_campaign", "ns_linkname", "ns_fee", "at_medium", "at_campaign",
        "ref_src", "ref_url", "smid", "sr_share", "guccounter", "rss", "feedtype", "xtor",
    }
)  # fmt: skip


def is_tracking_param(name: str) -> bool:
    low = name.lower()
    return low in _TRACKING_NAMES or low.startswith(_TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """Canonical spelling of a URL: lower-case scheme/host, default port dropped, fragment and
    tracking parameters removed, remaining parameters kept in their order."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, v) for k, v in query if not is_tracking_param(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def canonical_url(fetched_url: str, declared: str | None) -> str:
    """The article's canonical URL: the page's own declaration (rel=canonical / og:url) when it
    is a plausible article URL, else the fetched URL; both normalised."""
    base = normalise_url(fetched_url)
    if not declared:
        return base
    candidate = urljoin(fetched_url, declared.strip())
    parts = urlsplit(candidate)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return base
    # Some sites declare their home page as canonical for every article; that would merge
    # unrelated articles into one row, so a bare root only counts if we fetched a root too.
    if parts.path in ("", "/") and urlsplit(base).path not in ("", "/"):
        return base
    return normalise_url(candidate)
