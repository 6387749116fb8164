"""Parser throughput: lines per second on a generated 10,000-line ``.chain``
file, and the time to parse each seed expression, side by side with SymPy's
``parse_expr`` (a peer that reads the ASCII spellings) as a ratio.

Run:  .venv/bin/python benchmarks/parse.py [--lines N] [--repeat R]

Figures only -- nothing here asserts a speed.  The first parse in a process
builds the LALR tables (reported separately as "grammar build"); every later
parse reuses them.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "examples" / "seed-derivatives.tsv"

# One line of each flavour the language reads; the generator cycles through them.
LINE_TEMPLATES = (
    "z_{i} = w_{i}*x + b_{i}",
    "a_{i} = sigmoid(z_{i})",
    "s_{i} = \\frac{{1}}{{1+e^{{-z_{i}}}}} + \\sin^2 x",
    "t_{i} = np.tanh(a_{i}) ** 2 - 3(x + 1)",
    "# a comment line",
    "u_{i} = \\sqrt{{1 - x^2}} \\cdot \\ln \\cos x + |x - {i}|",
    "v_{i} = torch.sigmoid(2x) * max(0, y) / (1 + exp(-y))",
)


def generate(lines: int) -> str:
    out = [LINE_TEMPLATES[i % len(LINE_TEMPLATES)].format(i=i) for i in range(lines)]
    out.append("@at x=0.5, y=-0.25")
    return "\n".join(out) + "\n"


def seed_expressions() -> list[str]:
    if not SEED.exists():
        return ["sin(x^2)", "\\frac{1}{1+e^{-x}}", "np.sin(x**2)"]
    exprs: list[str] = []
    with SEED.open(encoding="utf-8") as fh:
        for row in csv.reader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
            exprs.extend(c for c in (row[0], row[2]) if c not in exprs)
    return exprs


def best_of(fn, repeat: int) -> tuple[float, float]:
    """Best (wall, CPU) seconds of ``repeat`` runs.  CPU time is the steadier
    figure on a machine shared with other work."""
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def per_call(fn, budget: float = 0.05) -> float:
    """Median CPU seconds per call over ~``budget`` seconds of calls."""
    fn()
    n = 1
    while True:
        t = time.process_time()
        for _ in range(n):
            fn()
        if time.process_time() - t > budget / 5 or n > 10_000:
            break
        n *= 2
    samples = []
    for _ in range(5):
        t = time.process_time()
        for _ in range(n):
            fn()
        samples.append((time.process_time() - t) / n)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t = time.perf_counter()
    from chainlens.engine.language.reader import parse, parse_expr
    from chainlens.engine.language.syntax import syntax
    from chainlens.engine.language.syntax_tree import Lines

    parse_expr("x")
    build = time.perf_counter() - t

    source = generate(args.lines)
    n = source.count("\n")
    whole = best_of(lambda: parse(source), args.repeat)
    shape = best_of(lambda: syntax(Lines(source)), args.repeat)
    rest = (whole[0] - shape[0], whole[1] - shape[1])
    print(f"grammar build + import: {build * 1e3:.0f} ms (once per process)")
    print(f"\n{n:,}-line .chain file ({len(source):,} characters), best of {args.repeat}:")
    print(f"  {'stage':<26}{'wall s':>8}{'CPU s':>8}{'lines/s (CPU)':>15}")
    for label, (wall, cpu) in (("lark LALR (syntax nodes)", shape), ("names, IR, spans", rest),
                               ("parse() total", whole)):
        rate = f"{n / cpu:>15,.0f}" if label != "names, IR, spans" else f"{'':>15}"
        print(f"  {label:<26}{wall:>8.3f}{cpu:>8.3f}{rate}")

    try:
        from sympy.parsing.sympy_parser import parse_expr as sympy_parse
    except ImportError:  # pragma: no cover - sympy is a test extra
        sympy_parse = None

    print("\nseed expressions (median CPU time per parse):")
    print(f"  {'expression':<34}{'chainlens µs':>13}{'sympy µs':>10}{'ratio':>8}")
    for expr in seed_expressions():
        ours = per_call(lambda e=expr: parse_expr(e))
        theirs = None
        if sympy_parse is not None and "\\" not in expr and "np." not in expr:
            try:
                theirs = per_call(lambda e=expr: sympy_parse(e.replace("^", "**")))
            except Exception:  # sympy cannot read this spelling
                theirs = None
        peer = f"{theirs * 1e6:>10.0f}{theirs / ours:>7.1f}x" if theirs else f"{'-':>10}{'-':>8}"
        print(f"  {expr[:33]:<34}{ours * 1e6:>13.0f}{peer}")
    print("\nratio = sympy time / chainlens time (above 1: chainlens is faster)")


if __name__ == "__main__":
    main()
