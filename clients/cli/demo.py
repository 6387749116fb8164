"""``chainlens demo``: the tour that ``make demo`` runs on the bundled examples.

Each section exercises one front door on real inputs and prints what a user
would see; nothing here is canned output.  Pictures and the batch output go
to ``--out`` (default ``out/``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = (
    ("sin(x^2)", "x"),
    ("exp(-x^2/2)", "x"),
    ("log(cos(x))", "x"),
    ("(3*x^2 + 7)^10", "x"),
    ("sin(exp(x^2))", "x"),
    ("(x + 1)^2 * sin(x)", "x"),
    ("a^x", "x"),
    ("x^x", "x"),
    ("1/(1 + exp(-x))", "x"),
    ("sigmoid(x)", "x"),
    ("asin(x)", "x"),
    (r"\ln(\cos x)", "x"),
    (r"\frac{1}{1+e^{-x}}", "x"),
    ("np.sin(x**2)", "x"),
)


def register(subparsers) -> None:
    p = subparsers.add_parser("demo", help="a tour of chainlens on the bundled examples")
    p.add_argument("--out", default="out", help="folder for pictures and batch output")
    p.add_argument("--examples", default=str(ROOT / "examples"), help="the examples folder")
    p.add_argument("--skip", default="", help="comma-separated sections to skip "
                   "(parse,diff,backprop,numeric,health,graph,batch,grpc)")
    p.set_defaults(func=run)


def _title(text: str) -> None:
    from chainlens.cli.style import bold

    print("\n" + bold(f"== {text}"))


def run(args: argparse.Namespace) -> int:
    examples = Path(args.examples)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file of that name, a folder that cannot be made
        why = "it is a file, not a folder" if out.exists() else (exc.strerror or str(exc))
        print(f"chainlens demo: --out {out}: {why}", file=sys.stderr)
        return 2
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    sections = (
        ("parse", _parse), ("diff", _diff), ("backprop", _backprop), ("numeric", _numeric),
        ("health", _health), ("graph", _graph), ("batch", _batch), ("grpc", _grpc),
    )
    for name, section in sections:
        if name not in skip:
            section(examples, out)
    _editor(examples)
    return 0


def _parse(examples: Path, out: Path) -> None:
    from chainlens.engine.language.reader import parse, parse_expr
    from chainlens.engine.printing import render

    _title("1. One parser, three notations, one DAG node")
    nodes = [parse_expr(t) for t in
             ("1/(1+exp(-x))", r"\frac{1}{1+e^{-x}}", "1/(1+np.exp(-x))")]
    for text, node in zip(("ASCII", "LaTeX", "numpy"), nodes, strict=True):
        print(f"  {text:6} -> {render(node, 'unicode'):24} node id {id(node):#x}")
    print(f"  same node: {all(n is nodes[0] for n in nodes)}")
    neuron = parse((examples / "neuron.chain").read_text(encoding="utf-8"))
    print("  examples/neuron.chain, pretty-printed:")
    for a in neuron.assignments:
        print(f"    {a.display} = {render(a.expr, 'unicode')}")
    for path in sorted(examples.glob("*.chain")):
        program = parse(path.read_text(encoding="utf-8"))
        outs = ", ".join(program.outputs)
        print(f"  {path.name}: {len(program.assignments)} assignments, "
              f"inputs {_few(program.inputs)}, output {outs}")


def _few(names: tuple[str, ...], shown: int = 6) -> str:
    if not names:
        return "-"
    head = ", ".join(names[:shown])
    return head if len(names) <= shown else f"{head} and {len(names) - shown} more"


def _diff(examples: Path, out: Path) -> None:
    from chainlens.engine.symbolic.derivatives import diff
    from chainlens.engine.symbolic.step_text import format_steps

    _title("2. Derivatives of the seed article, textbook-clean, with their steps")
    for expr, wrt in SEED:
        d = diff(expr, wrt)
        print(f"  d/d{wrt} {expr:22} = {d.unicode}")
        for line in format_steps(d.steps, "unicode").splitlines():
            print(f"      {line}")


def _backprop(examples: Path, out: Path) -> None:
    from chainlens.engine.language.reader import parse
    from chainlens.engine.printing import render
    from chainlens.engine.symbolic.adjoints import backprop

    _title("3. Backprop through the names (examples/neuron.chain)")
    program = parse((examples / "neuron.chain").read_text(encoding="utf-8"))
    bp = backprop(program)
    for adj in bp.adjoints:
        if adj.name == bp.output:
            continue
        print(f"  ∂{bp.output}/∂{adj.name} = {render(adj.through, 'unicode')}")


def _numeric(examples: Path, out: Path) -> None:
    import numpy as np
    from chainlens.engine.language.reader import parse
    from chainlens.engine.numeric.kernel import compile, evaluate

    _title("4. The neuron's gradient at its @at point, and throughput")
    program = parse((examples / "neuron.chain").read_text(encoding="utf-8"))
    ev = evaluate(program)
    (output, value), = ev.values.items()
    print(f"  {output} = {float(np.ravel(value)[0]):.6g}")
    for name, grad in sorted(ev.gradients[output].items()):
        print(f"  ∂{output}/∂{name} = {float(np.ravel(grad)[0]):+.6g}")
    kernel = compile(program)
    rng = np.random.default_rng(0)
    for batch in (1, 1_000_000):
        values = {n: rng.uniform(-1, 1, size=batch) for n in kernel.inputs}
        kernel(values)  # warm (numba compiles on the first large call)
        kernel.forward(values)
        t0 = time.perf_counter()
        kernel(values)
        t_grad = time.perf_counter() - t0
        t0 = time.perf_counter()
        kernel.forward(values)
        t_fwd = time.perf_counter() - t0
        print(f"  batch {batch:>9,}: value+gradient {t_grad * 1e3:8.3f} ms "
              f"({batch / t_grad:,.0f} points/s), gradient/forward {t_grad / t_fwd:.2f}")


def _health(examples: Path, out: Path) -> None:
    from chainlens.engine.health.recheck import analyze_checked as analyze
    from chainlens.engine.language.reader import parse

    _title("5. Gradient health: 50 sigmoid layers beside their ReLU/residual version")
    for name in ("deep_sigmoid.chain", "deep_residual.chain"):
        report = analyze(parse((examples / name).read_text(encoding="utf-8")))
        flagged = report.flagged("warning")
        verdict = "flagged" if flagged else "healthy"
        print(f"  {name}: {verdict}")
        for f in flagged[:2]:
            where = f"{f.span.line}:{f.span.column}" if f.span else "-"
            print(f"    {where} {f.severity}: {f.message}")
            for r in f.remedies[:3]:
                print(f"      fix: {r.title}")
        for rep in report.repeats:
            print(f"    measured |∂L/∂(layer 1)| / |∂L/∂(layer {len(rep.layers)})| = "
                  f"{rep.ratio:.3g}")


def _graph(examples: Path, out: Path) -> None:
    from chainlens.cli.main import main

    _title("6. Pictures: the neuron's graph, the deep network (one box per layer), its layer plot")
    main(["graph", str(examples / "neuron.chain"), "-o", str(out / "neuron.svg"),
          "--paths", "--wrt", "w"])
    main(["graph", str(examples / "deep_sigmoid.chain"), "-o", str(out / "deep_sigmoid.svg")])
    main(["graph", str(examples / "deep_sigmoid.chain"), "--layers",
          "-o", str(out / "deep_sigmoid_layers.png")])
    print(f"  pictures are in {out.resolve()}/")


def _batch(examples: Path, out: Path) -> None:
    from chainlens.cli.batch import run_demo

    _title("7. Headless batch: examples/jobs.jsonl on a local process pool")
    target = out / "jobs.out.jsonl"
    target.unlink(missing_ok=True)
    run_demo(str(examples / "jobs.jsonl"), str(target))
    print(f"  records in {target}")


def _grpc(examples: Path, out: Path) -> None:
    from chainlens.cli.burst import run_burst

    _title("8. gRPC: a burst of concurrent backward passes, batched by the service")
    print("  " + str(run_burst()).replace("\n", "\n  "))


def _editor(examples: Path) -> None:
    _title("9. In your editor (chainlens lsp)")
    clients = Path(__file__).resolve().parents[1]  # absolute: works from any directory
    print(f"  Neovim:  nvim --cmd \"set rtp+={clients}/nvim\" --cmd \"lua "
          f"require('chainlens').setup()\" {examples}/neuron.chain")
    print("           then K on a name hovers, :lua vim.lsp.buf.code_action() offers fixes")
    print(f"  VS Code: cd {clients}/vscode && npm install, open that folder, press F5")
    print(f"  Emacs:   (load \"{clients}/emacs/chainlens.el\") then M-x eglot "
          "(in a Python buffer: M-x chainlens-python)")
    print(f"  Open {examples}/deep_sigmoid.chain, {examples}/model.py and {examples}/notes.md")
