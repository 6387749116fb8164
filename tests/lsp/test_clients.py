"""The editor set-ups shipped in clients/: every server setting declared in
the VS Code extension, packaging files present, a TextMate grammar and a
Neovim syntax file for .chain, Emacs leaving python-mode to the user's own
server."""

from __future__ import annotations

import json
import re
from pathlib import Path

from chainlens.server.lsp import settings

CLIENTS = Path(__file__).resolve().parents[2] / "clients"
VSCODE = CLIENTS / "vscode"


def _package() -> dict:
    return json.loads((VSCODE / "package.json").read_text())


def test_every_setting_the_server_reads_is_declared_in_package_json():
    declared = set(_package()["contributes"]["configuration"]["properties"])
    # vanishingThreshold/explodingThreshold are read from chainlens.thresholds.*
    wanted = {f"chainlens.{k}" for k in settings._KEYS if not k.endswith("Threshold")}
    wanted |= {"chainlens.thresholds.vanishing", "chainlens.thresholds.exploding",
               "chainlens.fileTypes"}
    assert wanted <= declared, wanted - declared
    defaults = {k: v.get("default") for k, v in
                _package()["contributes"]["configuration"]["properties"].items()}
    base = settings.Settings()
    assert defaults["chainlens.analysisTimeoutMs"] == base.analysis_timeout_ms
    assert defaults["chainlens.debounceMs"] == base.debounce_ms
    assert defaults["chainlens.notation"] == base.notation


def test_packaging_is_clean():
    package = _package()
    assert package["repository"]["url"] and package["license"] == "MIT"
    assert (VSCODE / "LICENSE").read_text().startswith("MIT License")
    assert (VSCODE / ".vscodeignore").exists()
    assert "node_modules/" in (VSCODE / ".gitignore").read_text().split("\n")


def test_the_textmate_grammar_reads_a_chain_program():
    package = _package()
    (grammar_entry,) = package["contributes"]["grammars"]
    grammar = json.loads((VSCODE / grammar_entry["path"]).read_text())
    assert grammar["scopeName"] == grammar_entry["scopeName"] == "source.chain"
    rules = grammar["repository"]
    # every regex compiles (TextMate's Oniguruma reads these the same way)
    patterns = [r["match"] for r in rules.values() if "match" in r]
    patterns += [p["match"] for p in rules["expression"]["patterns"]]
    compiled = [re.compile(p) for p in patterns]
    assert len(compiled) == len(patterns)
    assign = re.compile(rules["assignment"]["match"])
    assert assign.match("z = w*x + b").group(1) == "z"
    assert assign.match("f(u, v) = u^2 + v").group(2) == "u, v"
    assert not assign.match("a == b")
    assert re.compile(rules["directive"]["match"]).search("@at x=0.5").group(1) == "@at"


def test_neovim_plugin_layout_and_syntax_file():
    assert (CLIENTS / "nvim" / "lua" / "chainlens.lua").exists()
    syntax = (CLIENTS / "nvim" / "syntax" / "chain.vim").read_text()
    assert 'let b:current_syntax = "chain"' in syntax
    assert "setfiletype chain" in (CLIENTS / "nvim" / "ftdetect" / "chain.vim").read_text()
    plugin = (CLIENTS / "nvim" / "lua" / "chainlens.lua").read_text()
    assert 'vim.keymap.set("n", "K", vim.lsp.buf.hover' in plugin
    assert "vim.lsp.start(config" in plugin and "vim.lsp.start_client(config)" in plugin


def test_emacs_registers_chainlens_for_its_own_modes_only():
    el = (CLIENTS / "emacs" / "chainlens.el").read_text()
    (registration,) = re.findall(r"eglot-server-programs\n\s+`\(\(([^)]*)\)", el)
    assert "chainlens-mode" in registration and "python" not in registration
    assert "elpa-eglot elpa-markdown-mode" in el  # the Emacs 28 install line
