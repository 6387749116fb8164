"""#19, Dask: the LocalCluster accepted any local connection (a local
process ran code on its workers), an info server listened on 8787 with the
dashboard off, and ``tls://`` schedulers were taken without credentials."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from chainlens.cli.batchrun_backends import DaskBackend, make_backend, run_chunk

CHAINLENS = str(Path(sys.executable).with_name("chainlens"))
JOB = {"id": "j", "expr": "x^2", "at": {"x": 3}}


@pytest.fixture(scope="module")
def backend():
    b = DaskBackend(None, 1, processes=False)
    yield b
    b.close()


def test_the_local_cluster_speaks_tls_with_credentials_of_its_own(backend):
    address = backend.cluster.scheduler_address
    assert address.startswith("tls://127.0.0.1:")
    [(line, ok)] = backend.client.submit(run_chunk, [(JOB, None)]).result(timeout=30)
    assert ok and json.loads(line)["points"][0]["gradient"] == {"x": 6.0}


def test_a_stranger_cannot_connect_to_the_local_cluster(backend):
    """Neither in plaintext nor with TLS credentials of its own making."""
    from distributed import Client
    from distributed.security import Security

    address = backend.cluster.scheduler_address
    with pytest.raises((OSError, TimeoutError)):
        Client(address.replace("tls://", "tcp://"), timeout="2s")
    with pytest.raises((OSError, TimeoutError)):
        Client(address, security=Security.temporary(), timeout="2s")


def test_the_scheduler_serves_no_http_and_not_on_8787(backend):
    sockets = backend.cluster.scheduler.http_server._sockets.values()
    bound = [s.getsockname() for s in sockets]
    assert bound and all(host == "127.0.0.1" and port != 8787 for host, port, *_ in bound)
    for route in ("/info/main/workers.html", "/health", "/metrics", "/status"):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"http://127.0.0.1:{bound[0][1]}{route}", timeout=5)  # noqa: S310
        assert info.value.code == 404


def test_a_tls_scheduler_without_credentials_is_refused_clearly():
    with pytest.raises(SystemExit) as exit_:
        make_backend("tls://127.0.0.1:9", 1)
    assert "needs --tls-ca, --tls-cert and --tls-key" in str(exit_.value)
    with pytest.raises(SystemExit) as exit_:
        make_backend("tls://127.0.0.1:9", 1, ("ca.pem", None, None))
    assert "all of --tls-ca" in str(exit_.value)


def test_a_tls_scheduler_with_credentials_runs_the_batch(backend, tmp_path):
    security = backend.cluster.security
    files = {}
    for name, pem in (("ca", security.tls_ca_file), ("cert", security.tls_client_cert),
                      ("key", security.tls_client_key)):
        files[name] = tmp_path / f"{name}.pem"
        files[name].write_text(pem)
    src = tmp_path / "jobs.jsonl"
    src.write_text(json.dumps(JOB) + "\n")
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [CHAINLENS, "batch", str(src), "-o", str(out), "-q", "--scheduler",
         backend.cluster.scheduler_address, "--tls-ca", str(files["ca"]), "--tls-cert",
         str(files["cert"]), "--tls-key", str(files["key"])],
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["ok"] is True
