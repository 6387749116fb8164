"""Worker processes that end with the process they work for.

A pool worker outlives a parent killed with SIGKILL: nothing runs in the
parent to stop it, and it may be computing (a batch worker went on for 38 s)
or holding the editor's pipes (the language server's health worker kept
its stdout open, so the editor waited for an end of file that never came).

:func:`attach` runs in the worker (a pool's ``initializer``): a daemon
thread looks at the parent every ``interval`` seconds and ends the worker
when it is gone.  The parent is named by its pid *and* start time, since a
dead parent may linger as a zombie (its pid still answers ``kill(pid, 0)``)
and pids are reused.  A thread, not ``prctl(PR_SET_PDEATHSIG)``: that signal
fires when the *thread* that forked the worker ends, which in a pool is any
thread that happened to submit first.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["Parent", "current", "alive", "attach"]

#: (pid, start time as the kernel counts it, or "" where /proc is missing)
Parent = tuple[int, str]


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of ``pid`` from /proc, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read().decode("ascii", "replace")
    except FileNotFoundError:
        return None
    fields = data[data.rfind(")") + 2:].split()
    return fields[0], fields[19]


def current() -> Parent:
    """This process, as a worker will name its parent."""
    pid = os.getpid()
    stat = _stat(pid) if os.path.isdir("/proc") else None
    return pid, stat[1] if stat else ""


def alive(parent: Parent) -> bool:
    pid, started = parent
    if started:
        stat = _stat(pid)
        return stat is not None and stat[0] not in ("Z", "X") and stat[1] == started
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def attach(parent: Parent, interval: float = 0.25, release_stdio: bool = False) -> None:
    """In a worker: end this process soon after ``parent`` ends.  With
    ``release_stdio`` the worker also lets go of the standard input and
    output it inherited (a protocol channel it never uses)."""
    if release_stdio:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):
            os.dup2(devnull, fd)
        os.close(devnull)

    def watch() -> None:
        while alive(parent):
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="chainlens-lifeline", daemon=True).start()
