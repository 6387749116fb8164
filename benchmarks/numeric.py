"""Gradient speed, first-call time and peak memory: chainlens beside PyTorch and JAX.

    .venv/bin/python benchmarks/numeric.py                # full run, 1 and 2 cores
    .venv/bin/python benchmarks/numeric.py --quick        # B = 1 and 1,000 only
    .venv/bin/python benchmarks/numeric.py --no-jax       # PyTorch only
    .venv/bin/python benchmarks/numeric.py --cases mlp    # the tensor MLP's rows only

Like for like: every engine returns each point's value and its gradient;
parameters shared by the batch (the neuron chain's, the MLP's) get the
gradient of the batch total.  chainlens: ``kernel(values, sum_shared=True)``;
PyTorch: ``loss.sum().backward()`` with ``torch.set_num_threads(cores)``;
JAX: ``jit(vmap(value_and_grad(f)))`` for the one-input seeds (plain
``grad`` would let XLA drop the forward pass, whose values the others
return); for the chain and the MLP, whose parameters are shared,
``jit(value_and_grad(total, has_aux=True))`` returning the per-point values
as the aux (a vmapped per-point gradient of 100 shared parameters needs
40 GB at a million points).  Each core count runs in its own process,
pinned to that many cores (``sched_setaffinity``) with every thread pool
(numba, BLAS, OpenMP, XLA, torch) set to it.  Times are medians, wall and
CPU (process time of every thread: a loaded machine adds waiting to wall
time only); compile times (numba in the background, XLA's jit) are
reported apart.

First call and peak memory (chainlens: median of 3 fresh processes; wall and
CPU time): the 50-layer chain and the tensor MLP at
B = 1,000,000, each engine in a fresh process; chainlens after a one-time
warm-up of its disk cache (reported apart); not with ``--quick``.  Peak
memory is the process's peak RSS minus its RSS before the call (inputs,
imports and libraries excluded).

JAX is not a chainlens dependency.  If it is missing, this script installs
it into the running environment (``pip install jax jaxlib``, about 600 MB)
unless ``--no-jax`` is given.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

LAYERS = 50
CHAIN = (f"a = x\nrepeat k in 1..{LAYERS} {{\n  z_k = w_k * a + b_k\n  a = sigmoid(z_k)\n}}\n"
         "L = (a - y)^2\n")
MLP = """input x: [8]
param W1: [8, 16]
param b1: [16]
param W2: [16, 4]
param b2: [4]
h = tanh(x @ W1 + b1)
L = logsumexp(h @ W2 + b2)
"""
SEEDS = {"sin(x^2)": lambda m, x: m.sin(x**2),
         "exp(-x^2/2)": lambda m, x: m.exp(-(x**2) / 2),
         "log(cos(x))": lambda m, x: m.log(m.cos(x)),
         "(3*x^2 + 7)^10": lambda m, x: (3 * x**2 + 7) ** 10,
         "1/(1 + exp(-x))": lambda m, x: 1 / (1 + m.exp(-x))}
CASES = [*SEEDS, "chain", "mlp"]
LABEL = {"chain": f"neuron chain, {LAYERS} layers", "mlp": "tensor MLP 8-16-4"}


def median_time(fn, batch: int, cpu: list | None = None) -> float:
    """Median wall seconds per call; with ``cpu``, the median process CPU
    seconds per call (every thread's) is appended to it: on a shared,
    loaded machine wall time includes waiting for a core, CPU time does not."""
    fn()
    inner = 200 if batch <= 1 else 20 if batch <= 1000 else 1
    samples = 5 if batch <= 100_000 else 3
    out, cpus = [], []
    for _ in range(samples):
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(inner):
            fn()
        out.append((time.perf_counter() - start) / inner)
        cpus.append((time.process_time() - start_cpu) / inner)
    if cpu is not None:
        cpu.append(statistics.median(cpus))
    return statistics.median(out)


def inputs(case: str, batch: int) -> dict:
    rng = np.random.default_rng(0)
    if case == "chain":
        return {"x": rng.uniform(-1, 1, batch), "y": rng.uniform(0, 1, batch),
                "p": np.full(2 * LAYERS, 0.5)}
    if case == "mlp":
        return {"x": rng.normal(size=(batch, 8)), "W1": rng.normal(size=(8, 16)),
                "b1": rng.normal(size=16), "W2": rng.normal(size=(16, 4)),
                "b2": rng.normal(size=4)}
    return {"x": rng.uniform(0.1, 0.9, batch)}


# ---- engines: each returns (gradient call, forward call or None, compile seconds) -----------


def chainlens_engine(case, batch, data):
    from chainlens.engine.language.reader import parse
    from chainlens.engine.numeric import schedule
    from chainlens.engine.numeric.kernel import compile

    kernel = compile(parse(CHAIN if case == "chain" else MLP if case == "mlp" else case))
    values = dict(data)
    if case == "chain":
        p = values.pop("p")
        values.update({f"w_{k}": p[2 * k - 2] for k in range(1, LAYERS + 1)})
        values.update({f"b_{k}": p[2 * k - 1] for k in range(1, LAYERS + 1)})
    if batch == 1 and case != "mlp":  # one point: plain floats, the scalar path
        values = {n: float(np.ravel(v)[0]) for n, v in values.items()}
    start = time.perf_counter()
    kernel(values, sum_shared=True)
    kernel.forward(values)
    schedule.wait(kernel)  # a background build, if the batch started one
    warm = time.perf_counter() - start
    return (lambda: kernel(values, sum_shared=True)), (lambda: kernel.forward(values)), warm


def torch_engine(case, batch, data):
    import torch

    t = {k: torch.tensor(v) for k, v in data.items()}
    if case == "chain":
        x = t["x"].requires_grad_()
        params = [torch.tensor(float(v), dtype=torch.float64, requires_grad=True)
                  for v in data["p"]]

        def run():
            for p in [x, *params]:
                p.grad = None
            a = x
            for k in range(LAYERS):
                a = torch.sigmoid(params[2 * k] * a + params[2 * k + 1])
            loss = (a - t["y"]) ** 2
            loss.sum().backward()
            return loss
    elif case == "mlp":
        ps = [t[k].requires_grad_() for k in ("x", "W1", "b1", "W2", "b2")]

        def run():
            for p in ps:
                p.grad = None
            h = torch.tanh(ps[0] @ ps[1] + ps[2])
            loss = torch.logsumexp(h @ ps[3] + ps[4], dim=-1)
            loss.sum().backward()
            return loss
    else:
        f, x = SEEDS[case], t["x"].requires_grad_()

        def run():
            x.grad = None
            y = f(torch, x)
            y.sum().backward()
            return y
    return run, None, 0.0


def jax_engine(case, batch, data):
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    args = {k: jnp.asarray(v) for k, v in data.items()}
    if case == "chain":
        def loss(x, y, p):
            a = x
            for k in range(LAYERS):
                a = jax.nn.sigmoid(p[2 * k] * a + p[2 * k + 1])
            per_point = (a - y) ** 2
            return per_point.sum(), per_point
        fn = jax.jit(jax.value_and_grad(loss, argnums=(0, 2), has_aux=True))
        call = (args["x"], args["y"], args["p"])
    elif case == "mlp":
        def loss(x, W1, b1, W2, b2):
            h = jnp.tanh(x @ W1 + b1)
            per_point = jax.scipy.special.logsumexp(h @ W2 + b2, axis=-1)
            return per_point.sum(), per_point
        fn = jax.jit(jax.value_and_grad(loss, argnums=(0, 1, 2, 3, 4), has_aux=True))
        call = tuple(args[k] for k in ("x", "W1", "b1", "W2", "b2"))
    else:
        f = SEEDS[case]
        fn = jax.jit(jax.vmap(jax.value_and_grad(lambda x: f(jnp, x))))
        call = (args["x"],)
    start = time.perf_counter()
    jax.block_until_ready(fn(*call))
    return (lambda: jax.block_until_ready(fn(*call))), None, time.perf_counter() - start


ENGINES = {"chainlens": chainlens_engine, "torch": torch_engine, "jax": jax_engine}


# ---- child processes ---------------------------------------------------------------


THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


def pin(cores: int) -> None:
    """This process and its thread pools on ``cores`` cores (before any import)."""
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])
    for var in THREAD_VARS:
        os.environ[var] = str(cores)
    os.environ["XLA_FLAGS"] = (f"--xla_cpu_multi_thread_eigen={'true' if cores > 1 else 'false'}"
                               f" intra_op_parallelism_threads={cores}")


def child_times(cores: int, batches, engines, cases=None) -> dict:
    pin(cores)
    if "torch" in engines:
        import torch

        torch.set_num_threads(cores)
    rows = []
    for case in cases or CASES:
        for batch in batches:
            data = inputs(case, batch)
            row = {"case": case, "batch": batch}
            for name in engines:
                try:
                    grad, fwd, warm = ENGINES[name](case, batch, data)
                    cpu: list = []
                    row[name] = median_time(grad, batch, cpu)
                    row[f"{name}_cpu"] = cpu[0]
                    row[f"{name}_warm"] = warm
                    if fwd is not None:
                        row[f"{name}_fwd"] = median_time(fwd, batch)
                except Exception as exc:  # noqa: BLE001 - reported in the table
                    row[name] = None
                    row[f"{name}_error"] = f"{type(exc).__name__}: {str(exc)[:120]}"
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    return {"rows": rows}


def child_first(cores: int, engine: str, batch: int, wait: bool = False,
                case: str = "chain") -> dict:
    pin(cores)
    if engine == "torch":
        import torch

        torch.set_num_threads(cores)
    data = inputs(case, batch)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, start_cpu = time.perf_counter(), time.process_time()
    grad, _, warm = (ENGINES[engine] if engine != "chainlens" else _chainlens_first)(
        case, batch, data)
    if engine == "torch":
        grad()  # jax's engine ran its first call (jit compile included) already
    first, first_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {"first": first, "cpu": first_cpu, "peak_mb": (peak - before) / 1024,
           "rss_mb": peak / 1024}
    if engine == "chainlens":
        out["backend"] = warm
        if wait:
            from chainlens.engine.numeric.jit import STATS

            _chainlens_first.kernel._code.builds.wait()
            out["stats"] = STATS
    return out


def _chainlens_first(case, batch, data):
    """One gradient call: compile (chainlens's, milliseconds) and run."""
    from chainlens.engine.language.reader import parse
    from chainlens.engine.numeric.kernel import compile

    if case == "mlp":
        values = data
        kernel = _chainlens_first.kernel = compile(parse(MLP))
    else:
        values = {"x": data["x"], "y": data["y"]}
        values.update({f"{p}_{k}": 0.5 for p in "wb" for k in range(1, LAYERS + 1)})
        kernel = _chainlens_first.kernel = compile(parse(CHAIN))
    ev = kernel(values, sum_shared=True)
    return None, None, ev.backend


def run_child(kind: str, cores: int, *args) -> dict:
    """``kind`` ("times" or "first") in a fresh process on ``cores`` cores.
    Thread-pool sizes go in its environment: numpy loads OpenBLAS when this
    module is imported, before :func:`pin` runs, and OpenBLAS reads its
    thread count once (two BLAS threads pinned to one core made every small
    matrix product of the MLP 5-10x slower)."""
    env = {**os.environ, **{var: str(cores) for var in THREAD_VARS}}
    out = subprocess.run([sys.executable, __file__, "--child", json.dumps([kind, cores, *args])],
                         stdout=subprocess.PIPE, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def warm_cache(batch: int) -> float:
    """The one-time warm-up: a process whose first call starts the chain's
    background build (into the disk cache) and that waits for it."""
    start = time.perf_counter()
    run_child("first", 2, "chainlens", batch, True)
    return time.perf_counter() - start


# ---- report ----------------------------------------------------------------------------


def fmt(s) -> str:
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return "-"
    return f"{s * 1e6:.1f} µs" if s < 1e-3 else f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.2f} s"


def ratio(a, b) -> str:
    return "-" if not a or not b else f"{a / b:.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="batch 1 and 1,000 only")
    ap.add_argument("--no-jax", action="store_true", help="compare with PyTorch only")
    ap.add_argument("--cores", default="1,2")
    ap.add_argument("--cases", default=",".join(CASES),
                    help="comma-separated, of: " + ", ".join(CASES) + " (default all)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, *rest = json.loads(args.child)
        result = child_times(*rest) if kind == "times" else child_first(*rest)
        print(json.dumps(result))
        return 0
    engines = ["chainlens", "torch", "jax"]
    if args.no_jax:
        engines.remove("jax")
    else:
        try:
            import jax  # noqa: F401
        except ImportError:
            print("jax is not installed: installing it into this environment "
                  "(pip install jax jaxlib, about 600 MB) ...", flush=True)
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "jax", "jaxlib"],
                           check=True)
    batches = [1, 1000] if args.quick else [1, 1000, 100_000, 1_000_000]
    cores = [int(c) for c in args.cores.split(",")]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start "
          f"(shared machines: read ±30%)\n")
    cases = [c for c in args.cases.split(",") if c]
    if "chain" in cases:
        print(f"one-time disk cache warm-up (chain loop compiled): "
              f"{warm_cache(1_000_000):.1f} s\n")
    peers = [e for e in engines if e != "chainlens"]
    for n in cores:
        rows = run_child("times", n, batches, engines, cases)["rows"]
        head = (f"{'case':<24}{'B':>10}  {'grad':>9}  {'fwd':>9}  {'g/f':>4}"
                + "".join(f"  {p:>9}  {'cl/' + p:>8}" for p in peers))
        print(f"== {n} core{'s' if n > 1 else ''}: gradient time per call (median) ==")
        print(head + "\n" + "-" * len(head))
        for r in rows:
            line = (f"{LABEL.get(r['case'], r['case']):<24}{r['batch']:>10,}  "
                    f"{fmt(r['chainlens']):>9}  {fmt(r.get('chainlens_fwd')):>9}  "
                    f"{ratio(r['chainlens'], r.get('chainlens_fwd')):>4}")
            line += "".join(f"  {fmt(r[p]):>9}  {ratio(r['chainlens'], r[p]):>8}" for p in peers)
            print(line, flush=True)
        slow = [r for r in rows if r["chainlens"] is None or
                any(r[p] is not None and r["chainlens"] > r[p] for p in peers)]
        for r in rows:
            for e in engines:
                if f"{e}_error" in r:
                    print(f"  {e} failed on {r['case']} B={r['batch']:,}: {r[e + '_error']}")
        print(f"rows where chainlens is slower than a peer: {len(slow)} of {len(rows)}")
        cpu_slow = [r for r in rows if r.get("chainlens_cpu") is None or any(
            r.get(f"{p}_cpu") is not None and r["chainlens_cpu"] > r[f"{p}_cpu"] for p in peers)]
        print("CPU seconds per gradient call (process time, all threads; median): "
              + "; ".join(f"{LABEL.get(r['case'], r['case'])} B={r['batch']:,}: "
                          + ", ".join(f"{e} {fmt(r.get(e + '_cpu'))}" for e in engines)
                          for r in rows))
        print(f"rows where chainlens uses more CPU than a peer: {len(cpu_slow)} of {len(rows)}")
        comp = [f"{LABEL.get(r['case'], r['case'])} B={r['batch']:,}: "
                f"chainlens {r.get('chainlens_warm', math.nan):.2f} s"
                + (f", jax {r['jax_warm']:.2f} s" if "jax_warm" in r else "")
                for r in rows if r["batch"] >= 100_000]
        print("first calls incl. compiling (numba in the background, XLA's jit): "
              + "; ".join(comp) + "\n")
    for case in ("chain", "mlp"):
        if case not in cases or args.quick:
            continue
        print(f"== first gradient call, {LABEL[case]}, B = 1,000,000, fresh process ==")
        for n in cores:
            firsts = {e: run_child("first", n, e, 1_000_000, False, case) for e in engines}
            # chainlens's first call is the goal (<= 1 s): two more fresh processes,
            # the median of three (the machine's load moves single runs by 2x)
            tries = [firsts["chainlens"]] + [run_child("first", n, "chainlens", 1_000_000,
                                                       False, case) for _ in range(2)]
            firsts["chainlens"] = sorted(tries, key=lambda f: f["first"])[1]
            cl = firsts["chainlens"]
            print(f"{n} core(s): " + "; ".join(
                f"{e} {fmt(f['first'])} (CPU {fmt(f['cpu'])}), peak +{f['peak_mb']:.0f} MB"
                for e, f in firsts.items())
                + f" (chainlens served by {cl['backend']}); peak ratio cl/torch "
                f"{cl['peak_mb'] / firsts['torch']['peak_mb']:.2f}; load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
