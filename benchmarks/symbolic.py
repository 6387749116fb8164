"""Symbolic differentiation from text to printed text, beside SymPy and SymEngine.

    .venv/bin/python benchmarks/symbolic.py [--quick] [--seed-only] [--clock process]
                                            [--sympy-timeout SECONDS]

One run prints a table: for each case, chainlens from text to printed text
(parse, ``diff``/``gradient`` simplified as users get it, print: the flat
text, or for a result whose flat text would be thousands of characters the
shared form with lets, which is what chainlens prints by default), SymPy
``diff`` from an already-built SymPy expression (which favours SymPy: no
parsing, no printing), SymPy ``diff`` + ``simplify``, SymEngine ``diff``
from a pre-built expression, the result sizes (distinct nodes, printed
length) and the ratios (peer time / chainlens time: higher is better for
chainlens).

How it is measured (2 shared cores; figures are for orientation):

* chainlens "cold": each repetition reads a fresh copy of the text (its
  variables renamed), so no interned node, memoised partial or cached
  derivative from an earlier repetition is reused; "warm": the same text
  again (what a language server sees on the next keystroke).
* SymPy: its cache is cleared before every repetition (cold, like ours).
  SymPy cases that run past ``--sympy-timeout`` are stopped and shown as
  ``>N s``; SymPy is not run on the depth-200 chain (minutes) by default.
* Times are medians of the repetitions, for every tool alike: at least
  ``--repeats``, more while a case is under its time budget (up to 200).
* ``--clock process`` times every tool with this process's CPU time
  (``time.process_time``) instead of the wall clock: on a shared, loaded
  machine the wall clock mostly measures the other processes (a 3 ms
  chainlens run and a 7 ms SymEngine run both take 10-15 ms of wall time at
  load 7 on 2 cores), CPU time what each tool itself costs.
"""

from __future__ import annotations

import argparse
import itertools
import random
import signal
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import symengine as se
import sympy as sp
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import Node, num, sym
from chainlens.engine.core.walk import count_nodes, postorder
from chainlens.engine.language.reader import parse, parse_expr
from chainlens.engine.printing import render_flat, render_shared_many, to_text
from chainlens.engine.printing.shared import SHARED_ABOVE, flat_lengths
from chainlens.engine.symbolic.derivatives import diff, gradient
from sympy.core.cache import clear_cache

#: The seed article's expressions, as a user types them (ASCII, LaTeX, numpy).
SEED = [line.split("\t")[0] for line in
        (Path(__file__).resolve().parents[1] / "examples/seed-derivatives.tsv")
        .read_text().splitlines() if line.strip() and not line.startswith("#")]


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------


def sigmoid_chain(depth: int) -> Node:
    node = sym("x")
    for _ in range(depth):
        node = call("sigmoid", node)
    return node


def neuron_chain(layers: int) -> tuple[Node, list[str]]:
    a, params = sym("x"), []
    for k in range(1, layers + 1):
        w, b = sym(f"w{k}"), sym(f"b{k}")
        params += [w.value, b.value]
        a = call("sigmoid", w * a + b)
    return a, params


def random_expression(leaves: int, rng: random.Random) -> Node:
    x, y = sym("x"), sym("y")
    pool = [rng.choice([x, y, x, num(rng.randint(2, 5))]) for _ in range(leaves)]
    while len(pool) > 1:
        i = rng.randrange(len(pool) - 1)
        u, v = pool[i], pool.pop(i + 1)
        kind = rng.random()
        if kind < 0.3:
            pool[i] = call(rng.choice(["sin", "cos", "exp", "tanh"]), u) + v
        elif kind < 0.55:
            pool[i] = u * v
        elif kind < 0.75:
            pool[i] = u + v
        elif kind < 0.9:
            pool[i] = call("log", 1 + u**2) * v
        else:
            pool[i] = u ** 2 + call("sin", v)
    return pool[0]


# --------------------------------------------------------------------------
# Conversions for the peers (built before timing)
# --------------------------------------------------------------------------


def to_sympy(root: Node, lib=sp):
    fns = {"sin": lib.sin, "cos": lib.cos, "tan": lib.tan, "exp": lib.exp, "log": lib.log,
           "tanh": lib.tanh, "asin": lib.asin, "atan": lib.atan,
           "sigmoid": lambda u: 1 / (1 + lib.exp(-u))}
    out: dict[Node, object] = {}
    for node in postorder(root):
        op = node.op
        if op == "num":
            v = lib.Rational(node.value.numerator, node.value.denominator)
        elif op == "sym":
            v = lib.Symbol(node.value)
        elif op == "pi":
            v = lib.pi
        elif op == "add":
            v = lib.Add(*(out[a] for a in node.args))
        elif op == "mul":
            v = lib.Mul(*(out[a] for a in node.args))
        elif op == "pow":
            v = lib.Pow(out[node.args[0]], out[node.args[1]])
        else:
            v = fns[op](*(out[a] for a in node.args))
        out[node] = v
    return out[root]


def tree_size(expr) -> tuple[int, int]:
    """(tree nodes, distinct sub-expressions) of a SymPy/SymEngine expression."""
    total, distinct, stack = 0, set(), [expr]
    while stack:
        e = stack.pop()
        total += 1
        distinct.add(e)
        stack.extend(e.args)
    return total, len(distinct)


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


class Timeout(Exception):
    pass


@contextmanager
def deadline(seconds: float):
    def alarm(signum, frame):
        raise Timeout

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


#: Seconds of repetitions per case and tool, and the most repetitions.
BUDGET = 1.0
#: The clock every tool is timed with (``--clock``).
clock = time.perf_counter
MAX_REPEATS = 200


def enough(times: list[float], repeats: int) -> bool:
    """Stop repeating: the minimum count is done and the budget spent (or
    the maximum count reached)."""
    return len(times) >= repeats and (sum(times) > BUDGET or len(times) >= MAX_REPEATS)


def timed(fn, repeats: int, limit: float | None = None, before=None):
    """(median seconds, first result); (None, None) on timeout."""
    times, first = [], None
    for r in range(MAX_REPEATS):
        if before:
            before()
        start = clock()
        try:
            if limit:
                with deadline(limit):
                    out = fn(r)
            else:
                out = fn(r)
        except Timeout:
            return None, None
        times.append(clock() - start)
        if first is None:
            first = out
        if enough(times, repeats) or sum(times) > 2.0:
            break
    return statistics.median(times), first


def renamed(text: str, names: list[str], tag: int) -> tuple[str, list[str]]:
    """``text`` with each variable renamed (longest names first, whole words)."""
    import re

    out = text
    for n in sorted(names, key=len, reverse=True):
        out = re.sub(rf"\b{re.escape(n)}\b", f"{n}r{tag}", out)
    return out, [f"{n}r{tag}" for n in names]


def printed(results: list[Node]) -> str:
    """Results as chainlens prints them: flat when short, else with the
    shared sub-expressions of all of them named once."""
    if len(results) == 1:
        # flat when its estimated flat length is <= SHARED_ABOVE, one walk for both
        flat = render_flat(results[0], max_chars=None)
        if flat is not None:
            return flat
        return "\n".join(render_shared_many(results, max_chars=None).lines())
    total = sum(flat_lengths(results))  # one walk over the results' shared DAG
    if total <= SHARED_ABOVE:
        return "\n".join(to_text(r, max_chars=None) for r in results)
    return "\n".join(render_shared_many(results, max_chars=None).lines())


def chain_program(depth: int) -> str:
    """The sigmoid chain as a user writes it: one assignment per layer."""
    lines = ["a1 = sigmoid(x)"] + [f"a{k} = sigmoid(a{k - 1})" for k in range(2, depth + 1)]
    return "\n".join(lines)


def neuron_program(layers: int) -> str:
    lines = ["a1 = sigmoid(w1*x + b1)"]
    lines += [f"a{k} = sigmoid(w{k}*a{k - 1} + b{k})" for k in range(2, layers + 1)]
    return "\n".join(lines)


def read(text: str) -> Node:
    """An expression, or a program's output expanded in its inputs."""
    return parse(text).expr if "\n" in text else parse_expr(text)


def text_to_text(text: str, wrt: list[str]) -> tuple[list[Node], str]:
    node = read(text)
    if len(wrt) > 1:
        out = [c.result for c in gradient(node, wrt).components]
    else:
        out = [diff(node, wrt[0]).result]
    return out, printed(out)


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------


#: Rename tags, unique over the whole run: a case must not meet the nodes
#: (or the memoised derivatives) of an earlier case's renamed copies.
_TAGS = itertools.count()


def run_case(label: str, text: str, wrt: list[str], args) -> dict:
    node = read(text)
    names = sorted({s.value for s in postorder(node) if s.op == "sym"})

    def ours_cold(_):
        fresh, fresh_wrt = renamed(text, names, next(_TAGS))
        wrt_map = dict(zip(names, fresh_wrt, strict=True))
        want = [wrt_map[w] for w in wrt]
        start = clock()
        out = text_to_text(fresh, want)
        return out, clock() - start

    cold_times, first = [], None
    for r in range(MAX_REPEATS):
        out, t = ours_cold(r)
        cold_times.append(t)
        first = first or out
        if enough(cold_times, args.repeats) or sum(cold_times) > 2.0:
            break
    cold = statistics.median(cold_times)
    warm, (same, shown) = timed(lambda r: text_to_text(text, wrt), args.repeats)
    ours_nodes = count_nodes(same)
    ours_chars = len(shown)
    row = {"case": label, "cold": cold, "warm": warm, "nodes": ours_nodes, "chars": ours_chars}
    skip_sympy = label in args.skip_sympy
    s_expr = to_sympy(node)
    s_wrt = [sp.Symbol(w) for w in wrt]
    if skip_sympy:
        row["sympy"] = row["sympy_simp"] = "skipped"
    else:
        t, res = timed(lambda r: [sp.diff(s_expr, w) for w in s_wrt], args.repeats,
                       args.sympy_timeout, clear_cache)
        row["sympy"] = t
        if res is not None:
            size = [tree_size(e) for e in res]
            row["sympy_tree"] = sum(s[0] for s in size)
            row["sympy_chars"] = sum(len(str(e)) for e in res)
        if label in args.no_simplify or res is None:
            row["sympy_simp"] = "skipped"
        else:
            t2, res2 = timed(lambda r: [sp.simplify(sp.diff(s_expr, w)) for w in s_wrt], 1,
                             args.sympy_timeout, clear_cache)
            row["sympy_simp"] = t2
            if res2 is not None:
                row["sympy_simp_chars"] = sum(len(str(e)) for e in res2)
    e_expr = to_sympy(node, se)
    e_wrt = [se.Symbol(w) for w in wrt]
    t, res = timed(lambda r: [se.diff(e_expr, w) for w in e_wrt], args.repeats)
    row["symengine"] = t
    # SymEngine to a printed result, as chainlens is timed (its str is flat)
    row["se_printed"], _ = timed(lambda r: [str(se.diff(e_expr, w)) for w in e_wrt],
                                 args.repeats, args.sympy_timeout)
    if res is not None:
        size = [tree_size(e) for e in res]
        row["se_tree"] = sum(s[0] for s in size)
        row["se_distinct"] = sum(s[1] for s in size)
    return row


def fmt_time(t) -> str:
    if t is None:
        return "timeout"
    if isinstance(t, str):
        return t
    if t < 1e-3:
        return f"{t * 1e6:.0f} µs"
    if t < 1:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def ratio(a, b) -> str:
    if not isinstance(a, float) or not isinstance(b, float) or b <= 0:
        return "—"
    return f"{a / b:.0f}×" if a / b >= 10 else f"{a / b:.1f}×"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and cases")
    ap.add_argument("--sympy-timeout", type=float, default=30.0)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--clock", choices=("wall", "process"), default="wall",
                    help="time with the wall clock (default) or this process's CPU time")
    ap.add_argument("--seed-only", action="store_true",
                    help="only the seed expressions (a shorter run to repeat, e.g. interleaved "
                         "with another checkout's on a loaded machine)")
    args = ap.parse_args()
    sys.setrecursionlimit(200_000)  # SymPy recurses through deep chains
    if args.clock == "process":
        global clock
        clock = time.process_time
    if args.quick:
        global BUDGET
        args.repeats = 3
        args.sympy_timeout = 10.0
        BUDGET = 0.3
    args.skip_sympy = {"sigmoid chain 200"}
    args.no_simplify = {"sigmoid chain 50", "neuron chain 50 (gradient)", "random 512 leaves"}

    cases: list[tuple[str, str, list[str]]] = []
    for text in SEED:
        cases.append((text, text, ["x"]))
    for depth in (10, 50, 200):
        # as a user types it: one expression, or past the language's nesting
        # limit (200) one assignment per layer
        text = to_text(sigmoid_chain(depth), max_chars=None) if depth <= 50 \
            else chain_program(depth)
        cases.append((f"sigmoid chain {depth}", text, ["x"]))
    net, params = neuron_chain(50)
    cases.append(("neuron chain 50 (gradient)", neuron_program(50), params + ["x"]))
    rng = random.Random(7)
    for leaves in (8, 32, 128, 512):
        cases.append((f"random {leaves} leaves",
                      to_text(random_expression(leaves, rng), max_chars=None), ["x"]))
    if args.seed_only:
        cases = cases[:len(SEED)]
    if args.quick:
        quick = {"sigmoid chain 10", "sigmoid chain 50", "neuron chain 50 (gradient)",
                 "random 8 leaves", "random 32 leaves"}
        cases = cases[:3] + [c for c in cases if c[0] in quick]

    header = ("case", "chainlens text->text cold", "warm", "nodes", "chars", "SymPy diff",
              "ratio", "SymPy diff+simplify", "ratio", "chars", "SymEngine diff", "ratio",
              "SE diff+str", "ratio", "SE tree", "SE distinct")
    text_to_text("cos(q) + q^3", ["q"])  # warm-up: first-call imports, the rules table
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, text, wrt in cases:
        r = run_case(label, text, wrt, args)
        print("| " + " | ".join([
            r["case"], fmt_time(r["cold"]), fmt_time(r["warm"]), str(r["nodes"]),
            str(r["chars"]), fmt_time(r["sympy"]), ratio(r["sympy"], r["cold"]),
            fmt_time(r["sympy_simp"]), ratio(r["sympy_simp"], r["cold"]),
            str(r.get("sympy_simp_chars", "—")), fmt_time(r["symengine"]),
            ratio(r["symengine"], r["cold"]), fmt_time(r["se_printed"]),
            ratio(r["se_printed"], r["cold"]), str(r.get("se_tree", "—")),
            str(r.get("se_distinct", "—")),
        ]) + " |", flush=True)
    print("\nratio = peer time / chainlens cold time (higher is better for chainlens); "
          "SymPy on the depth-200 chain is skipped (minutes), SymPy simplify is skipped "
          "where its diff alone is in seconds; 'timeout' = over --sympy-timeout; "
          f"times: {'CPU time of this process' if args.clock == 'process' else 'wall clock'}.")


if __name__ == "__main__":
    main()
