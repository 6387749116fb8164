"""The blocking client against a service on its own thread, TLS, and the
notebook displays of results."""

from __future__ import annotations

import shutil
import subprocess

import grpc
import numpy as np
import pytest
from chainlens.client import AsyncClient, ChainlensError, Client
from chainlens.client.channel import target_for
from chainlens.server.rpc.background import ServiceThread
from chainlens.server.rpc.service import ServiceOptions


@pytest.fixture(scope="module")
def served():
    with ServiceThread(ServiceOptions(port=0)) as svc:
        yield svc


def test_the_sync_client_runs_every_rpc(served, neuron):
    with Client(served.address) as c:
        r = c.gradient(neuron.source, neuron.point)
        d = c.differentiate("sin(x^2)", "x")
        ok = c.check("sin(x^2)", "2x cos(x^2)")
        report = c.analyze("a = x\nrepeat k in 1..30 {\n a = sigmoid(a)\n}\n@at x=0.1\n",
                           top_paths=2)
        stream = list(c.gradient_stream(neuron.source, [neuron.point] * 4))
    loss, grads = neuron.oracle(**neuron.point)
    assert float(r.values["L"]) == pytest.approx(loss, rel=1e-12)
    assert float(r.gradient()["w"]) == pytest.approx(grads["w"], rel=1e-12)
    assert "cos" in d["x"].text and ok
    assert not report.ok and report.findings and report.paths["x"][0] == 1
    assert len(stream) == 4


def test_the_sync_client_raises_chainlens_error_with_the_place(served):
    with Client(served.address) as c, pytest.raises(ChainlensError) as info:
        c.differentiate("x^^2", "x")
    assert info.value.code is grpc.StatusCode.INVALID_ARGUMENT
    assert (info.value.field, info.value.line) == ("source", 1)


@pytest.mark.parametrize("address, target", [
    ("127.0.0.1:5001", "127.0.0.1:5001"),
    (["127.0.0.1:5001", "127.0.0.1:5002"], "ipv4:127.0.0.1:5001,127.0.0.1:5002"),
    ("127.0.0.1:5001,127.0.0.1:5002", "ipv4:127.0.0.1:5001,127.0.0.1:5002"),
    (["[::1]:5001", "[::1]:5002"], "ipv6:[::1]:5001,[::1]:5002"),
    ("dns:///chainlens.internal:50051", "dns:///chainlens.internal:50051"),
])
def test_addresses_become_one_grpc_target(address, target):
    assert target_for(address) == target


def test_results_show_in_a_notebook(served, neuron):
    with Client(served.address) as c:
        r = c.gradient(neuron.source, neuron.point)
        many = c.gradient(neuron.source, neuron.points(5), batched=True)
        d = c.differentiate("sin(x^2)", "x")
    assert "∂L/∂w" in r._repr_html_() and r"\frac{\partial L}{\partial w}" in r._repr_latex_()
    assert many._repr_latex_() is None and "5 point(s)" in many._repr_html_()
    assert d["x"].latex in d._repr_latex_() and "<ol>" in d["x"]._repr_html_()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
async def test_tls_when_given_a_certificate_and_key(start_service, tmp_path, neuron):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    service = await start_service(tls=(cert, key))
    async with AsyncClient(service.address, root_certificates=str(cert)) as c:
        r = await c.gradient(neuron.source, neuron.point)
    assert float(r.values["L"]) == pytest.approx(neuron.oracle(**neuron.point)[0], rel=1e-12)
    async with AsyncClient(service.address, retries=2, timeout=2) as plain:
        with pytest.raises(ChainlensError) as info:
            await plain.gradient(neuron.source, neuron.point)
    assert info.value.code is grpc.StatusCode.UNAVAILABLE


def test_a_batched_request_through_the_sync_client(served, neuron):
    pts = neuron.points(1000)
    with Client(served.address) as c:
        r = c.gradient(neuron.source, pts, batched=True)
    np.testing.assert_allclose(r.values["L"], neuron.oracle(**pts)[0], rtol=1e-12)
