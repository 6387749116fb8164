"""Every code block and CLI example of README.md runs as the README shows it.

Conventions (the README keeps them; this test enforces them):

- A fenced block is checked unless the line just before it is a marker
  ``<!-- readme: skip REASON -->`` (``make demo``, editors, cluster set-ups:
  what a test cannot or should not run).  The reason is required.
- **Transcripts**: a block whose lines start with ``$ `` is run command by
  command in bash, from the repository root, with ``.venv/bin`` first on
  PATH (as after ``. .venv/bin/activate``) and ``NO_COLOR=1``.  The lines up
  to the next ``$`` are the expected output (stdout, then stderr).  A line
  ``…`` stands for any number of lines; a line ending in ``…`` matches a line
  that starts with the rest.  ``$ echo $?`` prints the previous command's
  exit status.  ``127.0.0.1:50051`` is replaced by the address of a server
  this test starts.
- **Python** (```` ```python ````): each block runs in a fresh namespace from
  the repository root.  A statement whose line ends in ``# -> TEXT`` must
  have ``repr(value) == TEXT`` (or start with it when TEXT ends in ``…``).
- **Shell** (```` ```sh ````): each line runs in bash like a transcript
  command and must exit 0.
- Other blocks: all-JSON blocks must be JSON Lines; the rest are ``.chain``
  programs that ``chainlens parse`` must accept.
- The Markdown table of commands: every row's command exists (``--help``).
"""

from __future__ import annotations

import ast
import io
import json
import linecache
import os
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BIN = ROOT / ".venv" / "bin"
FENCE = re.compile(r"^( *)(`{3,})(\w*)\n(.*?)^\1\2\s*$", re.S | re.M)
SKIP = re.compile(r"<!-- readme: skip (.+?) -->\s*$")
ADDRESS = "127.0.0.1:50051"


def blocks() -> list[tuple[int, str, str, str | None]]:
    """``(line, language, body, skip reason)`` of every fenced block."""
    text = README.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skip = SKIP.search(before)
        indent = len(m.group(1))
        body = "\n".join(ln[indent:] for ln in m.group(4).splitlines())
        found.append((line, m.group(3), body, skip.group(1) if skip else None))
    return found


BLOCKS = blocks()


def _id(block) -> str:
    return f"line{block[0]}-{block[1] or 'text'}"


@pytest.fixture(scope="module")
def server():
    """A chainlens service for the gRPC examples (on a free port)."""
    from chainlens.server.rpc.background import ServiceThread
    from chainlens.server.rpc.service import ServiceOptions

    thread = ServiceThread(ServiceOptions(port=0)).start()
    yield thread.address
    thread.stop()


def _env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    return env


def _bash(command: str, address: str | None) -> tuple[int, str]:
    if address:
        command = command.replace(ADDRESS, address)
    # the README's reader ran `make demo` first, which writes out/ (in a serial run
    # another test happened to make it; on two workers nothing does before this)
    (ROOT / "out").mkdir(exist_ok=True)
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, env=_env(), capture_output=True,
                          text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def _matches(expected: list[str], got: list[str]) -> bool:
    """``expected`` (with ``…`` lines and ``…`` ends) against ``got``."""
    if not expected:
        return not got
    head, rest = expected[0], expected[1:]
    if head.strip() == "…":
        return any(_matches(rest, got[i:]) for i in range(len(got) + 1))
    if not got:
        return False
    line = got[0].rstrip()
    ok = line.startswith(head[:-1].rstrip()) if head.endswith("…") else line == head.rstrip()
    return ok and _matches(rest, got[1:])


def _transcript(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            if steps[-1][0].endswith("\\") and not steps[-1][1]:
                steps[-1] = (steps[-1][0][:-1] + line.strip(), [])
            else:
                steps[-1][1].append(line)
    return steps


def _needs_server(body: str) -> bool:
    return ADDRESS in body


TRANSCRIPTS = [b for b in BLOCKS if not b[1] and any(
    ln.startswith("$ ") for ln in b[2].splitlines())]
PYTHON = [b for b in BLOCKS if b[1] == "python"]
SHELL = [b for b in BLOCKS if b[1] == "sh"]
OTHER = [b for b in BLOCKS if b not in TRANSCRIPTS + PYTHON + SHELL and b[1] not in
         ("latex", "yaml")]


def test_there_are_examples_to_run():
    assert len(TRANSCRIPTS) >= 8 and len(PYTHON) >= 4
    assert all(reason.strip() for *_, reason in BLOCKS if reason is not None)


@pytest.mark.parametrize("block", TRANSCRIPTS, ids=_id)
def test_transcripts(block, request):
    line, _lang, body, skip = block
    if skip:
        pytest.skip(skip)
    address = request.getfixturevalue("server") if _needs_server(body) else None
    status = 0
    for command, expected in _transcript(body):
        if command.split("#")[0].strip() == "echo $?":
            got = [str(status)]
        else:
            status, out = _bash(command, address)
            got = out.rstrip("\n").splitlines()
        while expected and not expected[-1].strip():
            expected = expected[:-1]
        if address:
            expected = [e.replace(ADDRESS, address) for e in expected]
        assert _matches(expected, got), (
            f"README line {line}: `$ {command}` printed:\n" + "\n".join(got)
            + "\n--- the README shows:\n" + "\n".join(expected))


def _comments(source: str) -> dict[int, str]:
    out = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            out[tok.start[0]] = tok.string
    return out


@pytest.mark.parametrize("block", PYTHON, ids=_id)
def test_python_blocks(block, request, monkeypatch):
    line, _lang, body, skip = block
    if skip:
        pytest.skip(skip)
    monkeypatch.chdir(ROOT)
    if _needs_server(body):
        body = body.replace(ADDRESS, request.getfixturevalue("server"))
    comments = _comments(body)
    namespace: dict = {"__name__": "__readme__"}
    name = f"<README.md line {line}>"  # as IPython does for a cell: inspect finds the source
    linecache.cache[name] = (len(body), None, body.splitlines(keepends=True), name)
    for stmt in ast.parse(body).body:
        code = ast.Module([stmt], type_ignores=[])
        want = next((comments[n] for n in (stmt.end_lineno, stmt.lineno)
                     if n in comments and comments[n].startswith("# -> ")), None)
        if isinstance(stmt, ast.Expr):
            value = eval(compile(ast.Expression(stmt.value), name, "eval"), namespace)
            if want is not None:
                text, shown = repr(value), want[5:].strip()
                ok = text.startswith(shown[:-1]) if shown.endswith("…") else text == shown
                assert ok, f"README line {line + stmt.lineno}: {text} != {shown}"
        else:
            assert want is None, f"README line {line + stmt.lineno}: `# ->` on a statement"
            exec(compile(code, name, "exec"), namespace)


@pytest.mark.parametrize("block", SHELL, ids=_id)
def test_shell_blocks(block, request):
    line, _lang, body, skip = block
    if skip:
        pytest.skip(skip)
    address = request.getfixturevalue("server") if _needs_server(body) else None
    for command in body.splitlines():
        if command.strip() and not command.lstrip().startswith("#"):
            status, out = _bash(command, address)
            assert status == 0, f"README line {line}: `{command}` exited {status}:\n{out}"


@pytest.mark.parametrize("block", OTHER, ids=_id)
def test_programs_and_data_blocks(block):
    line, _lang, body, skip = block
    if skip:
        pytest.skip(skip)
    lines = [ln for ln in body.splitlines() if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines):
        for ln in lines:
            json.loads(ln)
        return
    done = subprocess.run([str(BIN / "chainlens"), "parse", "-"], input=body, text=True,
                          capture_output=True, cwd=ROOT, env=_env(), timeout=60)
    assert done.returncode == 0, f"README line {line}: not a .chain program:\n{done.stderr}"


def test_every_command_in_the_table_exists():
    text = README.read_text(encoding="utf-8")
    table = text.split("## The command line", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\| `chainlens ([a-z-]+)", table, re.M)
    assert len(commands) >= 9
    for name in commands:
        done = subprocess.run([str(BIN / "chainlens"), name, "--help"], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, f"chainlens {name} --help: {done.stderr}"
