"""The README's Neovim one-liner from a shell that has not activated the
venv (an editor started from a desktop): the plugin finds the checkout's
``.venv/bin/chainlens`` itself, and without any chainlens it says so in one
line, never a Lua traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim is not installed")

PROBE = """
local get = vim.lsp.get_clients or vim.lsp.get_active_clients
local started, n, answer = vim.loop.now(), 0, "none"
vim.wait(60000, function()  -- until a hover answers (a loaded machine is slow)
  n = #get({ bufnr = 0 })
  if n == 0 then return vim.loop.now() - started > tonumber(os.getenv("NO_CLIENT_MS")) end
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  local res = vim.lsp.buf_request_sync(0, "textDocument/hover",
    vim.lsp.util.make_position_params(), 5000)
  for _, r in pairs(res or {}) do
    if r.result then answer = r.result.contents.value or "?" end
  end
  return answer ~= "none"
end, 200)
io.stdout:write("\\nclients=" .. n .. "\\nhover=" .. answer:sub(1, 40) .. "\\n")
vim.cmd("qa!")
"""


def open_neuron(plugin: Path, tmp_path: Path, wait_ms: int) -> subprocess.CompletedProcess:
    """Neovim on examples/neuron.chain; ``wait_ms``: how long a client may
    take to be initialised (a server's start on a loaded machine: seconds)."""
    probe = tmp_path / "probe.lua"
    probe.write_text(PROBE)
    env = dict(os.environ, PATH=os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep)
        if not (Path(p) / "chainlens").exists()))
    env.pop("VIRTUAL_ENV", None)
    env["NO_CLIENT_MS"] = str(wait_ms)
    return subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "--cmd", f"set rtp+={plugin}",
         "--cmd", "lua require('chainlens').setup()", str(ROOT / "examples" / "neuron.chain"),
         "-c", f"luafile {probe}"],
        capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)


def test_the_plugin_finds_the_checkouts_venv(tmp_path):
    assert (ROOT / ".venv" / "bin" / "chainlens").exists()
    done = open_neuron(ROOT / "clients" / "nvim", tmp_path, 60000)
    out = done.stdout + done.stderr
    assert "clients=1" in out, out
    assert "hover=**∂L/∂z**" in out, out


def test_no_chainlens_anywhere_is_one_message_not_a_traceback(tmp_path):
    plugin = tmp_path / "nvim"  # a copy with no .venv beside it
    shutil.copytree(ROOT / "clients" / "nvim", plugin)
    done = open_neuron(plugin, tmp_path, 3000)
    out = done.stdout + done.stderr
    assert "clients=0" in out, out
    assert "stack traceback" not in out and "Error executing lua" not in out, out
