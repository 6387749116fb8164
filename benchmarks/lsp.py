"""Language-server latency, measured the way an editor feels it.

Starts ``chainlens lsp`` over stdio with a pygls client and measures

* hover latency (p50/p95/p99) over every line of a document: the first
  pass (each target computed) and a second pass (memoised);
* last keystroke -> diagnostics: type a burst of edits (one per 30 ms,
  faster than the debounce), and time from the last one to the first
  publishDiagnostics of that version (parser, claims, rewrites) and to
  the last one (with the health analysis from the worker process), minus
  the debounce (diag:last: the last publish within a second after the
  first; for a big program the health round lands later, when the worker
  finishes or hits its deadline);
* diag:code: a code edit (a number of a statement in the middle of a
  ``.chain`` file: a digit changed, one added, one removed) -> its first
  publish, minus the debounce; the median of the three.

What answers them (so that the figures say what they measure): the bursts
edit a comment.  On a big ``.chain`` program (over 300 assignments) the
first publish after a comment or blank-line edit is the last published
diagnostics moved to the new lines (server.lsp.moved_diagnostics: the
statements are the same strings, so an analysis of the new text says the
same; a test checks it), and the server's own analysis of the version
(the program moved, engine.language.incremental) publishes again after its
health half.  A code edit inside one assignment is a real analysis: that
statement read alone and spliced into the last program
(engine.language.splice), then every diagnostic built; the health half of a
big program always comes in a later publish.

on small files (the neuron, a Python model, a Markdown note) and on a
generated 2,000-line ``.chain`` file.  Goals: hover p95 < 20 ms,
diagnostics < 100 ms after the debounce.

    .venv/bin/python benchmarks/lsp.py            # all documents
    .venv/bin/python benchmarks/lsp.py --quick    # fewer hovers, small files
    .venv/bin/python benchmarks/lsp.py --big      # only the 2,000-line file
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
DEBOUNCE_MS = 150
GOAL_HOVER_P95_MS = 20.0
GOAL_DIAGNOSTICS_MS = 100.0

NEURON = "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n"


def big_program(layers: int = 1000) -> str:
    lines = ["# generated: a long chain of small layers", "a = x"]
    for k in range(1, layers + 1):
        act = ("tanh", "sigmoid", "softplus")[k % 3]
        lines += [f"z{k} = w{k} * a + 0.01", f"a = {act}(z{k})"]
    lines += ["L = a^2", "@at x=0.5, " + ", ".join(f"w{k}=0.9" for k in range(1, layers + 1))]
    return "\n".join(lines) + "\n"


def documents(quick: bool, only: str | None = None) -> list[tuple[str, str, str]]:
    if only == "big":
        return [("big-2000.chain", "chain", big_program())]
    docs = [("neuron.chain", "chain", NEURON),
            ("model.py", "python", (ROOT / "examples" / "model.py").read_text()),
            ("notes.md", "markdown", (ROOT / "examples" / "notes.md").read_text())]
    if not quick:
        docs.append(("big-2000.chain", "chain", big_program()))
    return docs


class Client(LanguageClient):
    def __init__(self):
        super().__init__("chainlens-bench", "1")
        self.published: dict[str, list[tuple[float, int | None]]] = {}
        self.events: dict[str, asyncio.Event] = {}

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams):
            self.published.setdefault(params.uri, []).append((time.perf_counter(),
                                                              params.version))
            self.events.setdefault(params.uri, asyncio.Event()).set()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def wait_version(client: Client, uri: str, version: int, final: bool,
                       timeout: float = 120.0) -> float | None:
    """Time of the first (or, with ``final``, the settled last) publish of
    ``version``."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        hits = [t for t, v in client.published.get(uri, []) if v == version]
        if hits and not final:
            return hits[0]
        if hits and final:
            await asyncio.sleep(1.0)  # a second (health) round may follow
            hits = [t for t, v in client.published.get(uri, []) if v == version]
            return hits[-1]
        await asyncio.sleep(0.002)
    return None


async def bench_document(client: Client, name: str, kind: str, text: str,
                         hovers: int, bursts: int) -> dict:
    uri = f"file:///tmp/chainlens-bench/{name}"
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=kind, version=1, text=text)))
    await wait_version(client, uri, 1, final=True)
    doc = types.TextDocumentIdentifier(uri=uri)
    lines = text.split("\n")
    step = max(1, len(lines) // hovers)
    targets = [types.Position(line=i, character=min(2, len(lines[i])))
               for i in range(0, len(lines), step)][:hovers]
    passes = []
    for _ in range(2):
        times = []
        for pos in targets:
            t0 = time.perf_counter()
            await client.text_document_hover_async(types.HoverParams(text_document=doc,
                                                                     position=pos))
            times.append((time.perf_counter() - t0) * 1000)
        passes.append(times)
    # typing bursts at the end of the first line: a comment grows
    first, final = [], []
    version = 1
    line0 = len(lines[0])
    for burst in range(bursts):
        for i in range(5):
            version += 1
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=0, character=line0),
                                      end=types.Position(line=0, character=line0)),
                    text=" #" if (burst, i) == (0, 0) and kind == "chain" else "x")]))
            line0 += 2 if (burst, i) == (0, 0) and kind == "chain" else 1
            if i < 4:
                await asyncio.sleep(0.03)
        last_key = time.perf_counter()
        t_first = await wait_version(client, uri, version, final=False)
        t_final = await wait_version(client, uri, version, final=True)
        if t_first is not None:
            first.append((t_first - last_key) * 1000 - DEBOUNCE_MS)
        if t_final is not None:
            final.append((t_final - last_key) * 1000 - DEBOUNCE_MS)
    # code edits: the last character of a statement in the middle changes
    # (a full read, not a move of the last program)
    code = []
    middle = next((i for i in range(len(lines) // 2, len(lines))
                   if lines[i].rstrip()[-1:].isdigit()), None) if kind == "chain" else None
    # three edits of one number (same length, longer, shorter), each text new
    # (an earlier version's text would be a cache hit, not a read)
    end = len(lines[middle].rstrip()) if middle is not None else 0
    edits = ((end - 1, end, "2"), (end, end, "5"), (end - 1, end + 1, "3"))
    for start, stop, digit in edits if middle is not None else ():
        version += 1
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=middle, character=start),
                                  end=types.Position(line=middle, character=stop)),
                text=digit)]))
        last_key = time.perf_counter()
        t_first = await wait_version(client, uri, version, final=False)
        if t_first is not None:
            code.append((t_first - last_key) * 1000 - DEBOUNCE_MS)
        await wait_version(client, uri, version, final=True)
    return {"name": name, "lines": len(lines), "cold": passes[0], "warm": passes[1],
            "first": first, "final": final, "code": code}


def row(result: dict) -> str:
    cold, warm = result["cold"], result["warm"]
    first = statistics.median(result["first"]) if result["first"] else float("nan")
    final = statistics.median(result["final"]) if result["final"] else float("nan")
    code = statistics.median(result["code"]) if result["code"] else float("nan")
    return (f"{result['name']:<16}{result['lines']:>6}  "
            f"{percentile(cold, 50):7.1f}{percentile(cold, 95):7.1f}{percentile(cold, 99):7.1f}  "
            f"{percentile(warm, 50):7.1f}{percentile(warm, 95):7.1f}{percentile(warm, 99):7.1f}  "
            f"{percentile(warm, 95) / GOAL_HOVER_P95_MS:6.2f}x  "
            f"{first:9.1f}{first / GOAL_DIAGNOSTICS_MS:6.2f}x  {final:9.1f}  {code:9.1f}")


async def main(quick: bool, only: str | None = None) -> int:
    client = Client()
    await client.start_io(sys.executable, "-m", "chainlens.cli.main", "lsp")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), initialization_options={
            "debounceMs": DEBOUNCE_MS}))
    client.initialized(types.InitializedParams())
    hovers, bursts = (20, 3) if quick else (60, 5)
    print(f"chainlens lsp over stdio; debounce {DEBOUNCE_MS} ms; times in ms; "
          f"ratios are to the goals (hover p95 {GOAL_HOVER_P95_MS:g} ms, diagnostics "
          f"{GOAL_DIAGNOSTICS_MS:g} ms after the debounce; < 1 meets the goal)")
    print("diag:first = comment edits -> first publish (on a big .chain program: the last "
          "diagnostics moved to the new lines); diag:code = a number edited -> first publish "
          "(that statement re-read, all diagnostics built; health follows later)")
    print(f"{'document':<16}{'lines':>6}  {'hover (first pass)':^21}  "
          f"{'hover (repeat)':^21}  {'p95/goal':>7}  {'diag:first':>9}{'/goal':>7}  "
          f"{'diag:last':>9}  {'diag:code':>9}")
    print(f"{'':<16}{'':>6}  {'p50':>7}{'p95':>7}{'p99':>7}  {'p50':>7}{'p95':>7}{'p99':>7}")
    try:
        for name, kind, text in documents(quick, only):
            result = await bench_document(client, name, kind, text, hovers, bursts)
            print(row(result), flush=True)
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small files, fewer hovers")
    parser.add_argument("--big", action="store_true", help="only the 2,000-line file")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.quick, "big" if args.big else None)))
