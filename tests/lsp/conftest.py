"""pytest-lsp fixtures: a real ``chainlens lsp`` process over stdio.

``client`` speaks as VS Code 1.65 (push diagnostics, workspace/configuration
answered from ``CONFIG``); documents are opened with :func:`open_doc`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "chainlens.cli.main", "lsp"]
#: the settings the test client answers workspace/configuration with
CONFIG = {"chainlens": {"debounceMs": 20, "notation": "unicode"}}


#: One server per test module (start-up is the slow part); modules run
#: their tests on the module's event loop and use distinct document URIs.
@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def client(lsp_client: LanguageClient):
    lsp_client.set_configuration(CONFIG)
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=Path.cwd().as_uri()))
    yield
    await lsp_client.shutdown_session()
