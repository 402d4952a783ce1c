"""Which addresses the fetcher may connect to, and connections pinned to the address checked.

A host name is resolved once per run; every address it resolves to must be public (not
private, loopback, link-local, multicast, reserved, unspecified, CGNAT or IETF protocol space)
unless the host is explicitly allowed. The HTTP client's TCP connections then go to exactly
those addresses: nothing resolves the name a second time, so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot reach a private address. TLS and
the Host header still use the host name from the URL, so certificates are checked against it.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterable

import httpcore
import httpx

# host, port -> the IP addresses (as strings) the name resolves to.
Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_BLOCKED_NETS = [ipaddress.ip_network(n) for n in ("100.64.0.0/10", "192.0.0.0/24")]
ALLOW_HINT = "--allow-private {host} or MEDIAMON_ALLOW_PRIVATE_HOSTS={host}"


class FetchRefused(Exception):
    """We will not fetch this URL (scheme, address, robots.txt); not retryable."""


def address_is_public(ip: IPAddress) -> bool:
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


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [info[4][0] for info in infos]


class AddressPins:
    """Resolve each host once per run, check its addresses, remember them. Thread-safe."""

    def __init__(self, allow_private_hosts: Iterable[str], resolver: Resolver | None = None):
        self.allowed = frozenset(allow_private_hosts)
        self.resolver = resolver or system_resolver
        self._pins: dict[str, tuple[str, ...] | FetchRefused] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def addresses(self, host: str, port: int) -> tuple[str, ...]:
        """The checked addresses to connect to for host; FetchRefused if any is private (and
        the host is not allowed), ConnectionError if it does not resolve (not remembered:
        a later request may try again)."""
        host = host.lower().strip("[]")
        with self._lock:
            pinned = self._pins.get(host)
            host_lock = self._host_locks.setdefault(host, threading.Lock())
        if pinned is None:
            with host_lock:  # one lookup per host, even when threads ask at once
                with self._lock:
                    pinned = self._pins.get(host)
                if pinned is None:
                    pinned = self._resolve_and_check(host, port)
                    with self._lock:
                        self._pins[host] = pinned
        if isinstance(pinned, FetchRefused):
            raise FetchRefused(str(pinned))
        return pinned

    def _resolve_and_check(self, host: str, port: int) -> tuple[str, ...] | FetchRefused:
        literal = True
        try:
            found = [ipaddress.ip_address(host)]
        except ValueError:
            literal = False
            try:
                found = [ipaddress.ip_address(a.split("%")[0]) for a in self.resolver(host, port)]
            except (OSError, UnicodeError, ValueError) as exc:
                raise ConnectionError(f"cannot resolve {host}: {exc}") from exc
        if not found:
            raise ConnectionError(f"cannot resolve {host}: no address")
        if host not in self.allowed:
            private = [str(a) for a in found if not address_is_public(a)]
            if private:
                what = "is" if literal else f"resolves to {', '.join(private[:3])},"
                return FetchRefused(
                    f"refused: {host} {what} a private, loopback or reserved address; "
                    f"allow it with {ALLOW_HINT.format(host=host)}"
                )
        return tuple(dict.fromkeys(str(a) for a in found))


class _PinnedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting to the pinned addresses of the URL's host."""

    def __init__(self, pins: AddressPins) -> None:
        self.pins = pins

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[tuple] | None = None,
    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        for ip in self.pins.addresses(host, port):
            try:
                return super().connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc  # try the host's next checked address
        assert last is not None  # addresses() never returns an empty tuple
        raise last


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on the pinned backend.

    httpx does not take a network backend as an argument, so the pool it built is replaced by
    an identical one that has ours (same TLS context, limits and HTTP versions)."""

    def __init__(
        self, pins: AddressPins, limits: httpx.Limits, verify: ssl.SSLContext | bool = True
    ) -> None:
        super().__init__(limits=limits, trust_env=False, verify=verify)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=_PinnedBackend(pins),
        )
