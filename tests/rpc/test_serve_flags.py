"""``chainlens serve`` refuses flags out of range with a usage message, and
a service that cannot start says why in one line, never with a traceback."""

from __future__ import annotations

import socket

import pytest
from chainlens.cli.main import main
from chainlens.server.rpc.service import Service, ServiceOptions


@pytest.mark.parametrize("argv", [
    ["--port", "99999"], ["--port", "-1"], ["--metrics-port", "70000"],
    ["--max-batch-size", "0"], ["--max-enqueued", "0"], ["--workers", "0"],
    ["--cache-size", "0"], ["--max-message-mb", "0"], ["--max-message-mb", "4096"],
    ["--batch-timeout-ms", "-1"], ["--batch-timeout-ms", "nan"], ["--grace", "inf"],
])
def test_flags_out_of_range_are_usage_errors(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", *argv])
    assert exit_.value.code == 2
    assert f"argument {argv[0]}:" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.pem"],
    ["--host", "nothere.invalid"],
])
def test_a_service_that_cannot_start_says_why(capsys, argv):
    assert main(["serve", "--port", "0", *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chainlens serve: ") and "Traceback" not in err


async def test_a_taken_metrics_port_stops_the_started_server():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        service = Service(ServiceOptions(port=0, metrics_port=taken.getsockname()[1]))
        with pytest.raises(OSError):
            await service.start()
    assert service._server is None  # stopped, not left serving
