"""Batch throughput: jobs/s for each backend on the same mixed job file.

    .venv/bin/python benchmarks/batch.py                  # 100,000 jobs, all backends
    .venv/bin/python benchmarks/batch.py --jobs 5000      # a quicker look
    .venv/bin/python benchmarks/batch.py --write-examples examples/jobs.jsonl --jobs 300

The job mix (also what ``examples/jobs.jsonl`` is made from, with
``--write-examples``) is seeded, so every run measures the same work: seed
derivatives with right and wrong claims, ``.chain`` programs with points,
gradients at batches of points, every notation, steps, health analysis of
deep chains, and a share of bad jobs (parse errors, unknown variables, bad
points, limits).  Each backend writes its output; the script checks that
all outputs are byte-identical and prints jobs/s side by side, as ratios to
one local process, with the CPU time per job of the in-process run (the
figure that does not depend on what else the machine is doing).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

#: The seed article's derivatives (shared/examples/seed-derivatives.tsv): expression, variable,
#: the answer the article prints.
SEEDS = [
    ('sin(x^2)', 'x', '2*x*cos(x^2)'),
    ('exp(-x^2/2)', 'x', '-x*exp(-x^2/2)'),
    ('log(cos(x))', 'x', '-tan(x)'),
    ('(3*x^2 + 7)^10', 'x', '60*x*(3*x^2 + 7)^9'),
    ('sin(exp(x^2))', 'x', '2*x*exp(x^2)*cos(exp(x^2))'),
    ('(x + 1)^2 * sin(x)', 'x', '2*(x + 1)*sin(x) + (x + 1)^2*cos(x)'),
    ('a^x', 'x', 'a^x*log(a)'),
    ('x^x', 'x', 'x^x*(log(x) + 1)'),
    ('1/(1 + exp(-x))', 'x', 'exp(-x)/(1 + exp(-x))^2'),
    ('sigmoid(x)', 'x', 'sigmoid(x)*(1 - sigmoid(x))'),
    ('asin(x)', 'x', '1/sqrt(1 - x^2)'),
    ('\\sin(x^2)', 'x', '2x\\cos(x^2)'),
    ('e^{-x^2/2}', 'x', '-x e^{-x^2/2}'),
    ('\\ln(\\cos x)', 'x', '-\\tan x'),
    ('\\frac{1}{1+e^{-x}}', 'x', '\\frac{e^{-x}}{(1+e^{-x})^2}'),
    ('np.sin(x**2)', 'x', '2*x*np.cos(x**2)'),
]

NEURON = """# one neuron, squared loss
z = w*x + b
a = sigmoid(z)
L = (a - y)^2
@at x=0.5, w=0.8, b=-0.1, y=1
"""

TWO_PATHS = """# two paths from x to y
a = x + 1
b = a^2
c = sin(x)
y = b * c
@at x=0.3
"""

TENSOR = """# a tanh layer summed
param W: [2, 3]
input v: [3]
L = sum(tanh(W @ v))
"""


def _deep(layers: int, act: str) -> str:
    return (f"# {layers} layers of {act}\na = x\nrepeat k in 1..{layers} {{\n"
            f"  a = {act}(w_k * a + b_k)\n}}\nL = a\n")


UNARY = ("sin", "cos", "exp", "tanh", "sigmoid", "log", "sqrt", "atan", "softplus")


def _random_expr(rng: random.Random) -> tuple[str, list[str]]:
    f, g = rng.choice(UNARY), rng.choice(UNARY)
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    shapes = [
        (f"{f}({a}*x^2 + {b})", ["x"]),
        (f"{f}({g}(x)) * {a}", ["x"]),
        (f"{f}(w*x + {b}) * y", ["w", "x", "y"]),
        (f"(x^{a} + {b})^{rng.randint(2, 5)}", ["x"]),
        (f"{f}(x) * {g}(y) + x*y^{a}", ["x", "y"]),
        (f"\\frac{{1}}{{1 + e^{{-{a}x}}}}", ["x"]),
        (f"np.{'sin' if a % 2 else 'cos'}(x**{b}) + {a}", ["x"]),
    ]
    return rng.choice(shapes)


def _point(rng: random.Random, names: list[str]) -> dict:
    return {n: round(rng.uniform(0.1, 1.5), 3) for n in names}


def mixed_jobs(n: int, seed: int = 7) -> list[dict | str]:
    """``n`` jobs (dicts; a few raw strings that are not JSON), the same
    every time for the same seed."""
    rng = random.Random(seed)
    seeds = SEEDS
    jobs: list[dict | str] = []
    for i in range(n):
        jid = f"job-{i:06d}"
        kind = rng.random()
        if kind < 0.20:  # a seed derivative with the article's (right) answer as a claim
            expr, var, answer = rng.choice(seeds)
            job = {"id": jid, "expr": expr, "wrt": var, "claim": answer}
        elif kind < 0.27:  # a wrong claim: the outer derivative without the inner one
            expr, var, _ = rng.choice(seeds[:5])
            wrong = {"sin(x^2)": "cos(x^2)", "exp(-x^2/2)": "exp(-x^2/2)",
                     "log(cos(x))": "1/cos(x)", "(3*x^2 + 7)^10": "10*(3*x^2 + 7)^9",
                     "sin(exp(x^2))": "cos(exp(x^2))"}[expr]
            job = {"id": jid, "expr": expr, "wrt": var, "claim": wrong}
        elif kind < 0.50:  # a generated expression, gradient at a point
            expr, names = _random_expr(rng)
            job = {"id": jid, "expr": expr, "wrt": names, "at": _point(rng, names)}
        elif kind < 0.60:  # several points, as a list or as columns
            expr, names = _random_expr(rng)
            pts = [_point(rng, names) for _ in range(rng.randint(2, 4))]
            at = pts if rng.random() < 0.5 else {k: [p[k] for p in pts] for k in names}
            job = {"id": jid, "expr": expr, "wrt": names, "at": at}
        elif kind < 0.70:  # every notation, with steps
            expr, names = _random_expr(rng)
            job = {"id": jid, "expr": expr, "wrt": names[0],
                   "formats": ["text", "unicode", "latex", "python"], "steps": True}
        elif kind < 0.73:  # a tensor program: gradient values from the backward pass
            w = [[round(rng.uniform(-1, 1), 2) for _ in range(3)] for _ in range(2)]
            v = [round(rng.uniform(-1, 1), 2) for _ in range(3)]
            job = {"id": jid, "expr": TENSOR, "wrt": ["W", "v"], "at": {"W": w, "v": v}}
        elif kind < 0.82:  # .chain programs (their @at points are used)
            program = rng.choice([NEURON, TWO_PATHS])
            if rng.random() < 0.5:  # the same program at another point
                program = program.replace("x=0.", f"x={rng.randint(1, 9)}.")
            job = {"id": jid, "expr": program}
            if rng.random() < 0.5:
                job["steps"] = True
        elif kind < 0.87:  # gradient health of a deep chain
            layers = rng.randint(2, 20)
            act = rng.choice(["sigmoid", "tanh", "relu", "softplus"])
            job = {"id": jid, "expr": _deep(layers, act), "wrt": "x", "health": True}
        else:
            job = _bad_job(rng, jid)
        jobs.append(job)
    return jobs


def _bad_job(rng: random.Random, jid: str) -> dict | str:
    choice = rng.randrange(9)
    if choice == 0:
        return {"id": jid, "expr": "sin(x^", "wrt": "x"}  # ParseError
    if choice == 1:
        return {"id": jid, "expr": "z = w*x +\nL = (z - y)^2", "wrt": "w"}  # ParseError, line 1
    if choice == 2:
        return {"id": jid, "expr": "sin(x)", "wrt": "y"}  # unknown variable
    if choice == 3:
        return {"id": jid, "expr": "x^2 + y", "wrt": "x", "at": {"x": "half", "y": 1}}  # bad point
    if choice == 4:
        return {"id": jid, "expr": "x*y", "wrt": "x", "at": {"x": 1.0}}  # missing value for y
    if choice == 5:
        return {"id": jid, "expr": "a = x\nrepeat k in 1..100000 {\n  a = sin(a)\n}\n",
                "wrt": "x"}  # LimitError
    if choice == 6:
        return {"id": jid, "expr": "cos(x)", "formats": ["mathml"]}  # unknown format
    if choice == 7:
        return {"id": jid, "wrt": "x"}  # no expr
    return '{"id": "' + jid + '", "expr": "sin(x)",'  # not JSON


def write_jobs(path: Path, n: int, seed: int = 7) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for job in mixed_jobs(n, seed):
            fh.write((job if isinstance(job, str) else json.dumps(job)) + "\n")


def _run(jobs: Path, out: Path, scheduler: str, workers: int, chunk: int) -> float:
    from chainlens.cli import batchrun_backends
    from chainlens.cli.batchrun import BatchOptions, run_batch

    opts = BatchOptions(input=str(jobs), output=str(out), scheduler=scheduler, workers=workers,
                        chunk_size=chunk, progress=False)
    batchrun_backends._by_content.cache_clear()  # every backend starts cold
    t0, cpu0 = time.perf_counter(), time.process_time()
    summary = run_batch(opts)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(f"  {summary}", file=sys.stderr)
    return summary.jobs / elapsed, cpu / summary.jobs, summary.startup


def _report_differences(outs: list[Path]) -> None:
    first = outs[0].read_text(encoding="utf-8").splitlines()
    for other in outs[1:]:
        lines = other.read_text(encoding="utf-8").splitlines()
        diffs = [i for i, (a, b) in enumerate(zip(first, lines, strict=False)) if a != b]
        for i in diffs[:3]:
            print(f"  {outs[0].stem} vs {other.stem}, line {i + 1}:\n    {first[i][:300]}\n"
                  f"    {lines[i][:300]}", file=sys.stderr)
        if len(first) != len(lines) or diffs:
            print(f"  {other.stem}: {len(diffs)} lines differ", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--chunk-size", type=int, default=200)
    ap.add_argument("--write-examples", type=Path, metavar="PATH",
                    help="write the job mix to PATH and stop")
    ap.add_argument("--only", choices=("local1", "local2", "dask2"), action="append")
    args = ap.parse_args()
    if args.write_examples:
        write_jobs(args.write_examples, args.jobs, args.seed)
        print(f"wrote {args.jobs} jobs to {args.write_examples}")
        return
    runs = [("local, 1 process", "local", 1, "local1"),
            ("local, 2 processes", "local", 2, "local2"),
            ("dask LocalCluster, 2 workers", "dask", 2, "dask2")]
    runs = [r for r in runs if not args.only or r[3] in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        jobs = Path(tmp) / "jobs.jsonl"
        write_jobs(jobs, args.jobs, args.seed)
        distinct = len({json.dumps({k: v for k, v in j.items() if k != "id"}, sort_keys=True)
                        if isinstance(j, dict) else j for j in mixed_jobs(args.jobs, args.seed)})
        print(f"{args.jobs} mixed jobs ({distinct} distinct apart from their ids), "
              f"chunk size {args.chunk_size}")
        rates, outs = [], []
        for label, scheduler, workers, key in runs:
            out = Path(tmp) / f"{key}.jsonl"
            rate, cpu, startup = _run(jobs, out, scheduler, workers, args.chunk_size)
            rates.append((label, rate, cpu if key == "local1" else None, startup))
            outs.append(out)
        same = all(filecmp.cmp(outs[0], o, shallow=False) for o in outs[1:])
        if not same:
            _report_differences(outs)
    base = rates[0][1]
    print(f"{'backend':32} {'jobs/s':>10} {'vs first':>9} {'start-up s':>11} {'CPU ms/job':>11}")
    for label, rate, cpu, startup in rates:
        per_job = f"{cpu * 1000:11.2f}" if cpu is not None else f"{'':11}"
        print(f"{label:32} {rate:10.1f} {rate / base:8.2f}x {startup:11.2f} {per_job}")
    print(f"outputs byte-identical across backends: {'yes' if same else 'NO'}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
