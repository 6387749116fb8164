"""How much of real model code chainlens reads, and how fast (issue #12).

Runs over tests/corpora/models/{dev,heldout} (public model files, split by
a hash of their source path before anyone read them; see
benchmarks/model_corpus.py; heldout2 is a fresh wholly held-out set, round
3, measured only with --split heldout2 or all, never by default; heldout3 is
a third, from repositories no other split uses, measured only with --split
heldout3: it is in neither "both" nor "all"; heldout4, a fourth of the same
kind, likewise only with --split heldout4; heldout5, a fifth, only with
--split heldout5; heldout6, a sixth, only with --split heldout6) and
prints, per split:

* files with anything read; functions read / all (a function unit, or the
  forward/__call__ of a model class that was read);
* ``forward`` methods of module classes read / all, each counted only if
  it shows a gradient flow (a measured table with at least one layer, or,
  for a module without weights, a measured non-zero gain over its input);
* skips with and without a reason: a forward class neither shown nor in
  ``doc.skipped`` (under its name, ``Name.forward`` or ``Name.__call__``) is
  a skip without a reason (silent); a class read whose hover shows no flow
  is counted on a line of its own ("read, no flow shown");
* each file is read as an editor with its repository open reads it: with
  the path it has among the modules of its repository that it imports
  (benchmarks/model_deps.py copies them into <split>/.deps/, git-ignored),
  so ``from .layers import Block`` resolves; only the file's own forwards
  are counted (a class deriving from an imported module class is one);
  ``--alone`` reads each file by itself, as before those copies existed;
* time per file: reading (what a hover needs) and measured health of every
  unit, with the slowest file and the figures for the largest file.

Run:  .venv/bin/python benchmarks/model_files.py
      [--split dev|heldout|heldout2|heldout3|heldout4|heldout5|heldout6|both|all] [-v] [--alone]

Figures only; nothing is asserted (tests/models/test_corpus.py asserts).
"""

from __future__ import annotations

import argparse
import ast
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.python_imports import read_imports
from chainlens.engine.frontends.python_modules import forward_classes, is_module_class
from chainlens.engine.health.analysis import analyze
from model_deps import deps_root

ROOT = Path(__file__).resolve().parent.parent
#: --alone: each file read by itself, without its repository's modules
ALONE = False
CORPUS = ROOT / "tests" / "corpora" / "models"
#: fresh held-out splits, measured only when named (``--split heldout7``), never by "all",
#: so that their first figure stays an unseen one
HELD_BACK = ("heldout10",)


@dataclass
class Tally:
    files: int = 0
    files_read: int = 0
    functions: int = 0
    functions_read: int = 0
    forwards: int = 0
    forwards_read: int = 0
    skips: int = 0
    skips_with_reason: int = 0
    #: forward classes neither shown nor in doc.skipped: skipped without a reason
    silent: list = field(default_factory=list)
    #: forward classes read as a unit whose hover shows no flow
    no_flow: list = field(default_factory=list)
    read_ms: list = field(default_factory=list)
    health_ms: list = field(default_factory=list)
    #: process CPU time, which a busy shared machine does not inflate as it
    #: does wall time (the reader and the health analysis are single-threaded)
    read_cpu: list = field(default_factory=list)
    health_cpu: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    reasons: dict = field(default_factory=dict)
    #: files Python 3 cannot parse (Python 2's ``print x``): named, not counted
    unparsable: list = field(default_factory=list)


def module_forwards(tree: ast.Module, imported=()) -> list[str]:
    """Class names of the module classes with a forward / __call__."""
    return forward_classes(tree, imported)


def shows_flow(flow) -> bool:
    """Does the hover show a gradient flow: a table of layers with weights,
    or, for a module without weights (Swish, ``x + pe``, a loss), a
    measured non-zero gain over its input?"""
    if flow is None:
        return False
    return bool(flow.layers) or any(g.gain > 0 for g in flow.inputs)


def place(path: Path) -> tuple[str, str | None]:
    """Where a user's editor has the copy: its path among the modules of its
    repository that benchmarks/model_deps.py laid out (so its imports
    resolve), and that repository's root; the copy's own path (no root)
    when there is no such folder."""
    root = deps_root(path.parent.name, path.name)
    side = path.with_suffix(".json")
    if ALONE or not root.is_dir() or not side.is_file():
        return str(path), str(path.parent)  # nothing outside the split is read
    return str(root / json.loads(side.read_text())["path"]), str(root)


def imported_modules(text: str, where: str, root: str | None) -> set[str]:
    """Names of the module classes the file imports from its repository (a
    class deriving from one is a module class of the file)."""
    imported = read_imports(ast.parse(text), where, root)
    return set(imported.module_classes(is_module_class))


def measure_file(path: Path, tally: Tally, verbose: bool) -> None:
    """Only the measured file's forwards are counted, never its modules'."""
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:  # Python 2: no forward of it is countable (the editor says why)
        tally.unparsable.append(f"{path.name}:{exc.lineno}: {exc.msg}")
        return
    where, root = place(path)
    t0, c0 = time.perf_counter(), time.process_time()
    doc = read_document(text, path=where, root=root)
    t1, c1 = time.perf_counter(), time.process_time()
    flows = {}
    for unit in doc.programs:
        try:
            report = analyze(unit.program)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, never stops
            flows[unit.label] = None
            tally.reasons[f"analyze: {type(exc).__name__}"] = tally.reasons.get(
                f"analyze: {type(exc).__name__}", 0) + 1
            continue
        flows[unit.label] = report.flow
    t2, c2 = time.perf_counter(), time.process_time()
    tally.files += 1
    tally.files_read += bool(doc.programs)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    modules = {u.label for u in doc.programs if u.kind == "module"}
    read_functions = {u.label for u in doc.programs if u.kind == "function"}
    tally.functions += len(functions)
    tally.functions_read += min(len(functions), len(read_functions) + len(modules))
    forwards = module_forwards(tree, imported_modules(text, where, root))
    tally.forwards += len(forwards)
    shown = [c for c in forwards if c in modules and shows_flow(flows.get(c))]
    tally.forwards_read += len(shown)
    tally.skips += len(doc.skipped)
    tally.skips_with_reason += sum(bool(s.reason.strip()) for s in doc.skipped)
    skipped = {s.name for s in doc.skipped if s.reason.strip()}
    for c in forwards:
        if c in shown:
            continue
        if c in modules:
            tally.no_flow.append(f"{path.name}:{c}")
        elif not {c, f"{c}.forward", f"{c}.__call__"} & skipped:
            tally.silent.append(f"{path.name}:{c}")
            tally.skips += 1  # a skip all the same, and one without a reason
    for s in doc.skipped:
        key = s.reason.split(":", 1)[-1].strip()[:70]
        tally.reasons[key] = tally.reasons.get(key, 0) + 1
    tally.read_ms.append((1000 * (t1 - t0), path.name))
    tally.read_cpu.append((1000 * (c1 - c0), path.name))
    tally.health_cpu.append((1000 * (c2 - c0), path.name))
    tally.health_ms.append((1000 * (t2 - t0), path.name))
    tally.lines.append((len(text.splitlines()), path.name))
    if verbose:
        missing = [c for c in forwards if c not in shown]
        print(f"  {path.name[:60]:60s} forwards {len(shown)}/{len(forwards)}"
              f"{'  not: ' + ', '.join(missing) if missing else ''}")


def report(split: str, tally: Tally) -> None:
    if not tally.files:
        print(f"== {split}: no copies here; build them with "
              f"`.venv/bin/python benchmarks/model_corpus.py {split}`")
        return
    pct = 100 * tally.forwards_read / tally.forwards if tally.forwards else 0.0
    print(f"== {split}: {tally.files} files")
    print(f"files with anything read     {tally.files_read}/{tally.files}")
    print(f"functions read / all         {tally.functions_read}/{tally.functions}")
    print(f"module forward() read / all  {tally.forwards_read}/{tally.forwards} ({pct:.0f}%)"
          "  (each showing a measured gradient flow)")
    print(f"skips with a reason          {tally.skips_with_reason}/{tally.skips}"
          f"  (without: {tally.skips - tally.skips_with_reason}, of which forward classes "
          f"neither shown nor skipped: {len(tally.silent)})")
    for name in tally.silent[:10]:
        print(f"  silent: {name}")
    print(f"read, no flow shown          {len(tally.no_flow)}/{tally.forwards} forward classes")
    for name in tally.unparsable:
        print(f"  not Python 3, not counted: {name}")
    slow_read = max(tally.read_ms)
    slow_health = max(tally.health_ms)
    biggest = max(tally.lines)
    big_read = dict((n, ms) for ms, n in tally.read_ms)[biggest[1]]
    big_health = dict((n, ms) for ms, n in tally.health_ms)[biggest[1]]
    mean_read = sum(ms for ms, _ in tally.read_ms) / len(tally.read_ms)
    mean_health = sum(ms for ms, _ in tally.health_ms) / len(tally.health_ms)
    print(f"time per file (read/hover)   mean {mean_read:.0f} ms, max {slow_read[0]:.0f} ms "
          f"({slow_read[1][:50]})")
    print(f"time per file (+ health)     mean {mean_health:.0f} ms, max {slow_health[0]:.0f} ms "
          f"({slow_health[1][:50]})")
    print(f"largest file                 {biggest[0]} lines: read {big_read:.0f} ms, "
          f"with health {big_health:.0f} ms")
    cpu_read, cpu_health = max(tally.read_cpu), max(tally.health_cpu)
    print(f"CPU time per file, max       read {cpu_read[0]:.0f} ms ({cpu_read[1][:40]}), "
          f"with health {cpu_health[0]:.0f} ms ({cpu_health[1][:40]})")
    top = sorted(tally.reasons.items(), key=lambda kv: -kv[1])[:12]
    print("most frequent skip reasons:")
    for reason, n in top:
        print(f"  {n:3d}  {reason}")


_BLOCK = """

class Block{i}(nn.Module):
    \"\"\"A residual MLP block with a norm.\"\"\"

    def __init__(self, width=64):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, 4 * width)
        self.fc2 = nn.Linear(4 * width, width)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        h = F.gelu(self.fc1(self.norm(x)))
        return x + self.drop(self.fc2(h))
"""

_STACK = """

class Stack{i}(nn.Module):
    def __init__(self, width=64, depth=12):
        super().__init__()
        self.blocks = nn.ModuleList([Block{i}(width) for _ in range(depth)])
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return F.log_softmax(self.head(x), dim=-1)
"""


def synthetic(lines: int = 500, stacks: int = 2) -> str:
    """A model file of at least ``lines`` lines: residual blocks (a norm,
    two Linear layers, dropout) and ``stacks`` 12-deep stacks of them (25
    layers each), the shape of a transformer-style model file."""
    text, i = "import torch\nfrom torch import nn\nfrom torch.nn import functional as F\n", 0
    while len(text.splitlines()) < lines - 15 * stacks:
        text += _BLOCK.format(i=i)
        i += 1
    for j in range(stacks):
        text += _STACK.format(i=j)
    return text


def time_synthetic() -> None:
    text = synthetic()
    t0, c0 = time.perf_counter(), time.process_time()
    doc = read_document(text, path="synthetic.py")
    t1, c1 = time.perf_counter(), time.process_time()
    for unit in doc.programs:
        analyze(unit.program)
    t2, c2 = time.perf_counter(), time.process_time()
    print(f"== synthetic {len(text.splitlines())}-line model file ({len(doc.programs)} "
          f"modules): read {1000 * (t1 - t0):.0f} ms (CPU {1000 * (c1 - c0):.0f}), with "
          f"measured health {1000 * (t2 - t0):.0f} ms (CPU {1000 * (c2 - c0):.0f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    named = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("."))
    ap.add_argument("--split", default="both", choices=(*named, "both", "all"))
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--alone", action="store_true",
                    help="read each file by itself, without the modules it imports")
    args = ap.parse_args()
    global ALONE
    ALONE = args.alone
    splits = {"both": ("dev", "heldout"), "all": tuple(n for n in named if n not in HELD_BACK)}.get(
        args.split, (args.split,))
    for split in splits:
        tally = Tally()
        for path in sorted((CORPUS / split).glob("*.py")):
            measure_file(path, tally, args.verbose)
        report(split, tally)
    time_synthetic()


if __name__ == "__main__":
    main()
