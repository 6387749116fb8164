"""#19, serve: a mismatched TLS key said "cannot bind", /metrics stayed
plaintext under TLS, and there was no mutual TLS."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import urllib.error
import urllib.request

import grpc
import pytest
from chainlens.cli.main import main
from chainlens.server.rpc.service import Service, ServiceOptions
from chainlens.v1 import derivatives_pb2 as pb
from chainlens.v1 import derivatives_pb2_grpc

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def _key():
    return ec.generate_private_key(ec.SECP256R1())


def _cert(subject_key, name: str, issuer_key=None, issuer_name: str | None = None,
          ca: bool = False):
    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                          issuer_name or name)]))
               .public_key(subject_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
    return builder.sign(issuer_key or subject_key, hashes.SHA256())


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _pem_cert(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server and a client certificate it signed, and a stray key."""
    d = tmp_path_factory.mktemp("pki")
    ca_key = _key()
    ca = _cert(ca_key, "chainlens test CA", ca=True)
    files = {"ca": _pem_cert(ca)}
    for who in ("server", "client"):
        key = _key()
        files[f"{who}_key"] = _pem_key(key)
        files[f"{who}_cert"] = _pem_cert(_cert(key, who, ca_key, "chainlens test CA"))
    files["stray_key"] = _pem_key(_key())
    paths = {}
    for name, data in files.items():
        paths[name] = d / f"{name}.pem"
        paths[name].write_bytes(data)
    return paths


def test_a_key_that_does_not_match_its_certificate_is_named(capsys, pki):
    code = main(["serve", "--port", "0", "--tls-cert", str(pki["server_cert"]),
                 "--tls-key", str(pki["stray_key"])])
    err = capsys.readouterr().err
    assert code == 1
    assert "does not match the certificate" in err and "cannot bind" not in err


def test_a_file_that_is_not_pem_says_so(capsys, pki, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    code = main(["serve", "--port", "0", "--tls-cert", str(junk), "--tls-key", str(junk)])
    err = capsys.readouterr().err
    assert code == 1 and "cannot bind" not in err and "PEM" in err


def test_client_ca_needs_a_certificate(capsys, pki):
    assert main(["serve", "--tls-client-ca", str(pki["ca"])]) == 2  # a usage error
    assert "--tls-client-ca needs --tls-cert" in capsys.readouterr().err


def _scrape(url: str, context=None) -> str:
    with urllib.request.urlopen(url, timeout=5, context=context) as answer:  # noqa: S310
        return answer.read().decode()


async def test_metrics_are_served_with_tls_under_tls(pki):
    service = await Service(ServiceOptions(
        port=0, metrics_port=0, tls_cert=pki["server_cert"], tls_key=pki["server_key"],
        grace=0)).start()
    try:
        port = service.metrics_port
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            _scrape(f"http://127.0.0.1:{port}/metrics")
        context = ssl.create_default_context(cafile=str(pki["ca"]))
        assert "chainlens_requests" in _scrape(f"https://127.0.0.1:{port}/metrics", context)
    finally:
        await service.stop(grace=0)


async def _differentiate(address: str, credentials) -> pb.DifferentiateResponse:
    async with grpc.aio.secure_channel(address, credentials) as channel:
        stub = derivatives_pb2_grpc.DerivativesStub(channel)
        return await stub.Differentiate(pb.DifferentiateRequest(source="x^2"), timeout=5)


async def test_mutual_tls_admits_only_clients_with_a_certificate(pki):
    service = await Service(ServiceOptions(
        port=0, metrics_port=0, tls_cert=pki["server_cert"], tls_key=pki["server_key"],
        tls_client_ca=pki["ca"], grace=0)).start()
    try:
        ca = pki["ca"].read_bytes()
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await _differentiate(service.address, grpc.ssl_channel_credentials(ca))
        assert info.value.code() is grpc.StatusCode.UNAVAILABLE
        with_cert = grpc.ssl_channel_credentials(ca, pki["client_key"].read_bytes(),
                                                 pki["client_cert"].read_bytes())
        answer = await _differentiate(service.address, with_cert)
        assert answer.derivatives
        # the scraper needs a client certificate too
        context = ssl.create_default_context(cafile=str(pki["ca"]))
        url = f"https://127.0.0.1:{service.metrics_port}/metrics"
        with pytest.raises((urllib.error.URLError, ConnectionError, ssl.SSLError, OSError)):
            _scrape(url, context)
        context.load_cert_chain(pki["client_cert"], pki["client_key"])
        assert "chainlens_requests" in _scrape(url, context)
    finally:
        await service.stop(grace=0)
