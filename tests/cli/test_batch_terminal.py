"""``chainlens batch`` reading a terminal says what it waits for (it used to
sit at "0/?" with no hint)."""

from __future__ import annotations

import os
import pty
import subprocess
import time
from pathlib import Path

CHAINLENS = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "chainlens"


def test_a_terminal_on_stdin_gets_a_hint_and_jobs_still_run():
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(CHAINLENS), "batch", "-q"], stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(1.0)
        os.write(master, b'{"expr": "sin(x)", "wrt": "x"}\n')
        time.sleep(0.3)
        os.write(master, b"\x04")  # Ctrl-D
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0
    assert b"reading jobs from the terminal" in err and b"Ctrl-D" in err
    assert b'"text":"cos(x)"' in out


def test_piped_input_gets_no_hint():
    done = subprocess.run([str(CHAINLENS), "batch", "-q"], input=b'{"expr": "x^2"}\n',
                          capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stderr == b""
