"""Connections are pinned to the address that was checked: a DNS answer that changes between
the check and the connection (DNS rebinding) never reaches a private address. Real loopback
HTTP and HTTPS servers; only the DNS answers are made up (an injected resolver)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.fetcher import Fetcher, FetchSettings
from tests.hostile_server import RoutedServer

PUBLIC = "93.184.216.34"  # a public address; nothing here can reach it, and nothing should
PAGE = (200, {"Content-Type": "text/html"}, b"<html><p>loopback secret</p></html>")


class ScriptedDns:
    """Answers each lookup with the next scripted answer (the last one repeats)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


def _settings(**kw: object) -> FetchSettings:
    base = dict(connect_timeout_s=0.5, read_timeout_s=2.0, retries=0, obey_robots=False)
    return FetchSettings(**{**base, **kw})  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[RoutedServer]:
    with RoutedServer({"/ok": PAGE}) as s:
        yield s


def test_rebinding_answer_never_reaches_loopback(server: RoutedServer) -> None:
    dns = ScriptedDns([PUBLIC], ["127.0.0.1"])
    url = f"http://rebind.test:{server.port}/ok"
    with Fetcher(_settings(), resolver=dns) as f:
        results = [f.get(url) for _ in range(3)]
    assert all(not r.ok and r.status is None for r in results), results
    assert dns.calls == ["rebind.test"]  # resolved once for the run, never again
    assert server.requests == []  # the loopback server was never reached


def test_any_private_address_in_the_answer_is_refused(server: RoutedServer) -> None:
    dns = ScriptedDns([PUBLIC, "127.0.0.1"])
    with Fetcher(_settings(), resolver=dns) as f:
        res = f.get(f"http://mixed.test:{server.port}/ok")
    assert res.error and res.error.startswith("refused") and not res.retryable
    assert "--allow-private mixed.test" in res.error
    assert "MEDIAMON_ALLOW_PRIVATE_HOSTS=mixed.test" in res.error
    assert "allow_private_hosts" not in res.error
    assert server.requests == []


@pytest.mark.parametrize(
    "address", ["127.0.0.2", "10.1.2.3", "169.254.169.254", "100.64.0.1", "::1", "fe80::1",
                "::ffff:127.0.0.1", "0.0.0.0"],
)  # fmt: skip
def test_private_answers_are_refused(address: str) -> None:
    with Fetcher(_settings(), resolver=ScriptedDns([address])) as f:
        res = f.get("http://inside.test/")
    shown = str(ipaddress.ip_address(address))  # as Python spells it (::ffff:7f00:1)
    assert res.error and res.error.startswith("refused") and shown in res.error


def test_allowed_host_connects_to_the_pinned_address_with_its_own_host_header(
    server: RoutedServer,
) -> None:
    dns = ScriptedDns(["127.0.0.1"])
    settings = _settings(allow_private_hosts=frozenset({"pinned.test"}))
    with Fetcher(settings, resolver=dns) as f:
        res = f.get(f"http://pinned.test:{server.port}/ok")
    assert res.ok and b"loopback secret" in res.body
    assert server.requests == [("/ok", f"pinned.test:{server.port}")]


def test_redirect_to_a_name_resolving_privately_is_refused() -> None:
    with RoutedServer({"/go": (302, {"Location": "http://evil.test/x"}, b"")}) as s:
        dns = ScriptedDns(["127.0.0.1"])
        settings = _settings(allow_private_hosts=frozenset({"pinned.test"}))
        with Fetcher(settings, resolver=dns) as f:
            res = f.get(f"http://pinned.test:{s.port}/go")
        assert res.error and "refused: evil.test" in res.error
        assert s.paths() == ["/go"]


# -- TLS: SNI and the certificate are checked against the URL's host, not the address ---------


def _tls_contexts(tmp: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A throwaway CA and a certificate for pinned.test: (server context, client context)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder().subject_name(name("test CA")).issuer_name(name("test CA"))
        .public_key(ca_key.public_key()).serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    leaf = (
        x509.CertificateBuilder().subject_name(name("pinned.test")).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("pinned.test")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    pem = serialization.Encoding.PEM
    (tmp / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp / "leaf.pem").write_bytes(leaf.public_bytes(pem))
    (tmp / "leaf.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp / "leaf.pem", tmp / "leaf.key")
    client = ssl.create_default_context(cafile=str(tmp / "ca.pem"))
    return server, client


def test_tls_uses_the_host_name_for_sni_and_the_certificate(tmp_path: Path) -> None:
    server_ctx, client_ctx = _tls_contexts(tmp_path)
    with RoutedServer({"/ok": PAGE}, ssl_context=server_ctx) as s:
        allowed = frozenset({"pinned.test", "other.test"})
        with Fetcher(_settings(allow_private_hosts=allowed), resolver=ScriptedDns(["127.0.0.1"]),
                     verify=client_ctx) as f:  # fmt: skip
            good = f.get(f"https://pinned.test:{s.port}/ok")
            wrong = f.get(f"https://other.test:{s.port}/ok")
        assert good.ok and b"loopback secret" in good.body, good.error
        assert s.sni_names[0] == "pinned.test"
        assert s.requests[0] == ("/ok", f"pinned.test:{s.port}")
        # Same address, but the certificate is not for other.test: refused by TLS.
        assert not wrong.ok and "CERTIFICATE_VERIFY_FAILED" in (wrong.error or "")
        assert "other.test" in s.sni_names and len(s.requests) == 1
