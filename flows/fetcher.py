"""The HTTP fetcher: the only code that talks to the network. No Prefect here.

Polite and defensive by construction: explicit connect/read/total timeouts, a User-Agent
naming mediamon, gzip, redirects followed by hand (bounded, recorded, each hop checked),
bodies streamed with a size cap counted after decompression (so gzip bombs stop early),
a global and a per-host concurrency limit, and refusal of private addresses unless allowed.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

log = logging.getLogger(__name__)

USER_AGENT = "mediamon/0.1 (+https://github.com/mediamon/mediamon; news monitoring)"


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = USER_AGENT
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    global_concurrency: int = 16
    per_host_concurrency: int = 2
    # Hosts (names or IPs) that may resolve to private/loopback addresses. The demo site and
    # tests run on 127.0.0.1, so they list it explicitly; production configs list nothing.
    allow_private_hosts: frozenset[str] = field(default_factory=frozenset)
    obey_robots: bool = True
    min_host_interval_s: float = 0.0  # between two requests to one host (robots may raise it)
    host_intervals: dict[str, float] = field(default_factory=dict)  # per host, e.g. {"x.org": 2}
    max_crawl_delay_s: float = 60.0  # a larger robots.txt Crawl-delay is capped, not obeyed blindly
    retries: int = 2  # in-run retries of transient failures (timeouts, 429, 5xx)
    backoff_base_s: float = 0.5  # first in-run retry waits up to this, doubling, with jitter
    max_retry_after_s: float = 30.0  # a longer Retry-After is left to a later run


@dataclass(frozen=True, slots=True)
class HttpResult:
    url: str
    final_url: str
    status: int | None  # None: no HTTP answer
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...]
    fetched_at: datetime
    elapsed_ms: int
    error: str | None = None
    retryable: bool = False
    retry_after_s: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class FetchRefused(Exception):
    """We will not fetch this URL (scheme, address, robots.txt); not retryable."""


class BodyTooLarge(Exception):
    pass


class NotAccepted(Exception):
    """The response is of a content type we do not treat as a page; its body is not read."""


class RobotsUnavailable(Exception):
    """robots.txt could not be read (5xx, timeout): RFC 9309 says assume disallowed, for now."""


PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml", "text/xml"})
# Feeds come with all sorts of declared types (text/plain included); only refuse what is
# plainly not a document. (application/gzip is a gzipped sitemap, .xml.gz: let through here,
# inflated with a cap by extractors.feeds; pages are read only with PAGE_TYPES.)
BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
BINARY_TYPES = frozenset(
    {"application/octet-stream", "application/pdf", "application/zip", "application/x-tar",
     "application/vnd.ms-excel", "application/msword"}
)  # fmt: skip


class _Host:
    """Per-host politeness state, shared by all threads of a run."""

    def __init__(self, concurrency: int, min_interval: float) -> None:
        self.sem = threading.BoundedSemaphore(concurrency)
        self.lock = threading.Lock()
        self.robots_lock = threading.Lock()
        self.next_at = 0.0  # monotonic time before which no request may start
        self.min_interval = min_interval
        self.robots: RobotFileParser | None = None
        self.robots_loaded = False
        self.robots_error: str | None = None


_BLOCKED_NETS = [ipaddress.ip_network(n) for n in ("100.64.0.0/10", "192.0.0.0/24")]


def _address_is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or any(ip in net for net in _BLOCKED_NETS)
    )


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds, from either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class Fetcher:
    """A shared, thread-safe HTTP client with politeness limits. One per run."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = s = settings or FetchSettings()
        self._client = httpx.Client(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.read_timeout_s, connect=s.connect_timeout_s),
            follow_redirects=False,
            limits=httpx.Limits(
                max_connections=s.global_concurrency * 2,
                max_keepalive_connections=s.global_concurrency,
            ),
            trust_env=False,  # never route through a proxy picked up from the environment
        )
        self._global = threading.BoundedSemaphore(s.global_concurrency)
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self._resolved: dict[str, bool] = {}
        self.requests_made = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- safety -------------------------------------------------------------------------

    def check_url(self, url: str) -> None:
        """Raise FetchRefused unless the URL is http(s) to a public address (or an allowed
        private host). Checked before the first request and after every redirect."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(f"refused: only http and https URLs are fetched, not {url!r}")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchRefused(f"refused: URL has no host: {url!r}")
        if host in self.settings.allow_private_hosts:
            return
        with self._lock:
            cached = self._resolved.get(host)
        if cached is None:
            try:
                infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
            except (socket.gaierror, UnicodeError) as exc:
                raise ConnectionError(f"cannot resolve {host}: {exc}") from exc
            addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
            cached = all(_address_is_public(a) for a in addresses)
            with self._lock:
                self._resolved[host] = cached
        if not cached:
            raise FetchRefused(
                f"refused: {host} resolves to a private, loopback or reserved address "
                "(allow it with allow_private_hosts if this is intended)"
            )

    def _host(self, netloc: str) -> _Host:
        with self._lock:
            host = self._hosts.get(netloc)
            if host is None:
                name = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
                interval = self.settings.host_intervals.get(
                    netloc,
                    self.settings.host_intervals.get(name, self.settings.min_host_interval_s),
                )
                host = self._hosts[netloc] = _Host(self.settings.per_host_concurrency, interval)
            return host

    @contextmanager
    def _slot(self, netloc: str) -> Iterator[None]:
        """Hold a global and a per-host slot, and keep the host's minimum interval."""
        host = self._host(netloc)
        with self._global, host.sem:
            with host.lock:
                now = time.monotonic()
                start = max(now, host.next_at)
                host.next_at = start + host.min_interval
            if start > now:
                time.sleep(start - now)
            with self._lock:
                self.requests_made += 1
            yield

    def _pause_host(self, netloc: str, seconds: float) -> None:
        """After 429/503 with Retry-After, nobody in this run asks that host again sooner."""
        host = self._host(netloc)
        with host.lock:
            host.next_at = max(host.next_at, time.monotonic() + seconds)

    # -- robots.txt -----------------------------------------------------------------------

    def _robots_allows(self, url: str) -> None:
        """Raise FetchRefused if robots.txt disallows the URL for our user agent."""
        if not self.settings.obey_robots:
            return
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return
        host = self._host(parts.netloc.lower())
        with host.robots_lock:  # one thread reads robots.txt, the others wait for it
            if not host.robots_loaded:
                self._load_robots(host, f"{parts.scheme}://{parts.netloc}/robots.txt")
        if host.robots_error:
            raise RobotsUnavailable(host.robots_error)
        if host.robots is not None and not host.robots.can_fetch(self.settings.user_agent, url):
            raise FetchRefused(f"refused: disallowed by {parts.netloc}/robots.txt")

    def _load_robots(self, host: _Host, robots_url: str) -> None:
        res = self.get(robots_url, accept="text/plain")
        host.robots_loaded = True
        if res.status is not None and 200 <= res.status < 300:
            lines = res.body.decode("utf-8", "replace").splitlines()
            rp = RobotFileParser()
            rp.parse(lines)
            host.robots = rp
            delay = crawl_delay(lines, self.settings.user_agent)
            if delay:
                with host.lock:
                    host.min_interval = max(
                        host.min_interval, min(float(delay), self.settings.max_crawl_delay_s)
                    )
        elif res.status is not None and 400 <= res.status < 500:
            host.robots = None  # no robots.txt: everything is allowed
        else:
            host.robots_error = (
                f"robots.txt of {urlsplit(robots_url).netloc} unavailable "
                f"({res.error or res.status}); not fetching from it in this run"
            )

    # -- fetching -----------------------------------------------------------------------

    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "*/*",
        allowed_types: frozenset[str] | None = None,
    ) -> HttpResult:
        """GET with conditional headers, politeness and in-run retries of transient failures
        (exponential backoff with full jitter, or the server's Retry-After when it is short).
        Never raises: errors come back in the result, worded for a human."""
        s = self.settings
        for attempt in range(s.retries + 1):
            res = self._attempt(url, etag, last_modified, accept, allowed_types)
            if not res.retryable or attempt == s.retries:
                return res
            if res.retry_after_s is not None:
                if res.retry_after_s > s.max_retry_after_s:
                    return res  # the server asks for longer than a run should wait
                wait = res.retry_after_s
            else:
                wait = random.uniform(0, s.backoff_base_s * 2**attempt)
            log.debug("retrying %s in %.2f s after %s", url, wait, res.error)
            time.sleep(wait)
        return res

    def _attempt(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        accept: str,
        allowed_types: frozenset[str] | None,
    ) -> HttpResult:
        started = time.monotonic()
        fetched_at = datetime.now(UTC)
        redirects: list[str] = []
        current = url

        def result(**kw: object) -> HttpResult:
            return HttpResult(
                url=url,
                final_url=current,
                redirects=tuple(redirects),
                fetched_at=fetched_at,
                elapsed_ms=int((time.monotonic() - started) * 1000),
                **{"status": None, "headers": {}, "body": b"", **kw},  # type: ignore[arg-type]
            )

        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            for _hop in range(self.settings.max_redirects + 1):
                # Every hop is checked again: a public URL may redirect to a private one.
                self.check_url(current)
                self._robots_allows(current)
                status, resp_headers, body = self._get_once(
                    current, headers, started, allowed_types
                )
                if status in (301, 302, 303, 307, 308) and resp_headers.get("location"):
                    redirects.append(current)
                    current = urljoin(current, resp_headers["location"])
                    if current in redirects:
                        return result(error=f"redirect loop via {current}")
                    continue
                return self._classify(result, current, status, resp_headers, body)
            return result(error=f"more than {self.settings.max_redirects} redirects")
        except RobotsUnavailable as exc:
            return result(error=str(exc), retryable=True)
        except (FetchRefused, BodyTooLarge, NotAccepted) as exc:
            return result(error=str(exc))
        except httpx.TimeoutException as exc:
            return result(error=f"timeout: {type(exc).__name__}", retryable=True)
        except (httpx.TransportError, ConnectionError, OSError) as exc:
            return result(error=f"connection failed: {type(exc).__name__}: {exc}", retryable=True)
        except httpx.HTTPError as exc:
            return result(error=f"HTTP error: {type(exc).__name__}: {exc}", retryable=True)

    def _get_once(
        self,
        url: str,
        headers: dict[str, str],
        started: float,
        allowed_types: frozenset[str] | None,
    ) -> tuple[int, dict[str, str], bytes]:
        s = self.settings
        netloc = urlsplit(url).netloc.lower()
        with self._slot(netloc), self._client.stream("GET", url, headers=headers) as resp:
            started = time.monotonic()  # waiting for a polite slot is not the server's time
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            if resp.status_code == 200:
                _check_type(resp_headers.get("content-type"), allowed_types)
            chunks: list[bytes] = []
            size = 0
            # iter_bytes() yields decompressed data: the cap holds for gzip bombs too.
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > s.max_bytes:
                    raise BodyTooLarge(f"body larger than {s.max_bytes} bytes (stopped reading)")
                if time.monotonic() - started > s.total_timeout_s:
                    raise httpx.ReadTimeout(f"total time over {s.total_timeout_s} s")
                chunks.append(chunk)
            return resp.status_code, resp_headers, b"".join(chunks)

    def _classify(
        self,
        result,
        url: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
    ) -> HttpResult:
        if status == 304 or 200 <= status < 300:
            return result(status=status, headers=headers, body=body)
        retry_after = parse_retry_after(headers.get("retry-after"))
        if status in (429, 503) and retry_after is not None:
            self._pause_host(
                urlsplit(url).netloc.lower(), min(retry_after, self.settings.max_retry_after_s)
            )
        transient = status in (408, 425, 429) or status >= 500
        return result(
            status=status,
            headers=headers,
            error=f"HTTP {status}",
            retryable=transient,
            retry_after_s=retry_after if status in (429, 503) else None,
        )


def crawl_delay(lines: list[str], user_agent: str) -> float | None:
    """Crawl-delay for our agent (its own group, else `*`). urllib's parser only accepts whole
    seconds; real files say "Crawl-delay: 0.5" too."""
    token = user_agent.split("/")[0].strip().lower()
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (x.strip() for x in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        else:
            in_rules = True
            if key == "crawl-delay":
                try:
                    d = float(value)
                except ValueError:
                    continue
                for a in agents:
                    delays.setdefault(a, d)
    for a, d in delays.items():
        if a != "*" and a in token:
            return d
    return delays.get("*")


def _check_type(content_type: str | None, allowed: frozenset[str] | None) -> None:
    mime = (content_type or "").split(";")[0].strip().lower()
    if allowed is not None:
        if mime and mime not in allowed:
            raise NotAccepted(f"not a page: content type {mime}")
    elif mime.startswith(BINARY_PREFIXES) or mime in BINARY_TYPES:
        raise NotAccepted(f"not a document: content type {mime}")
