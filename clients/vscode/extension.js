// chainlens for VS Code: starts `chainlens lsp` over stdio and hands it
// .chain files, Python files and notebooks, Markdown and LaTeX notes.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration("chainlens")
    .get("command", ["chainlens", "lsp"]);
  const server = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient(
    "chainlens",
    "chainlens",
    { run: server, debug: server },
    {
      documentSelector: [
        { language: "chain" },
        { language: "python" },
        { language: "markdown" },
        { language: "latex" },
        { notebook: "jupyter-notebook", language: "python" },
      ],
      synchronize: { configurationSection: "chainlens" },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
