"""Gradient speed of chainlens kernels beside PyTorch, numpy and JAX.

    .venv/bin/python benchmarks/numeric.py               # full run (~3 min on 2 cores)
    .venv/bin/python benchmarks/numeric.py --quick       # B = 1 and 1,000 only
    .venv/bin/python benchmarks/numeric.py --with-jax    # pip-installs jax if missing

For each case and batch size it prints the median time of one gradient call
(every output's value and its gradient with respect to every input), the
forward-only time of the same kernel (the seed article's "gradient costs
roughly twice the forward pass"), numpy's forward pass alone, PyTorch
autograd (``y.sum().backward()``) and JAX (``jit(vmap(grad))``, compile time
reported apart), with the ratios chainlens/peer (< 1: chainlens is faster).
Parameters of the neuron chain and the MLP are shared by the batch, and their
gradients summed over it (``sum_shared=True``), as PyTorch computes them.
numba compile time is reported apart too, like JAX's jit.
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time

import numpy as np
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import compile

SEEDS = [
    ("sin(x^2)", lambda m, x: m.sin(x**2)),
    ("exp(-x^2/2)", lambda m, x: m.exp(-(x**2) / 2)),
    ("log(cos(x))", lambda m, x: m.log(m.cos(x))),
    ("(3*x^2 + 7)^10", lambda m, x: (3 * x**2 + 7) ** 10),
    ("(x + 1)^2 * sin(x)", lambda m, x: (x + 1) ** 2 * m.sin(x)),
    ("1/(1 + exp(-x))", lambda m, x: 1 / (1 + m.exp(-x))),
]
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


def median_time(fn, batch: int) -> float:
    """Median seconds per call: many calls per sample at small batches."""
    fn()
    inner = 200 if batch <= 1 else 20 if batch <= 1000 else 1
    samples = 5 if batch <= 100_000 else 3
    out = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        out.append((time.perf_counter() - start) / inner)
    return statistics.median(out)


def fmt(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def ratio(a, b) -> str:
    return "-" if a is None or b is None else f"{a / b:.2f}"


# ---- peers ------------------------------------------------------------------


def torch_peer(case, batch):
    import torch

    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    if case == "chain":
        x = torch.tensor(rng.uniform(-1, 1, batch), requires_grad=True)
        y = torch.tensor(rng.uniform(0, 1, batch))
        params = [torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
                  for _ in range(2 * LAYERS)]

        def run():
            a = x
            for k in range(LAYERS):
                a = torch.sigmoid(params[2 * k] * a + params[2 * k + 1])
            ((a - y) ** 2).sum().backward()
        return run
    if case == "mlp":
        x = torch.tensor(rng.normal(size=(batch, 8)), requires_grad=True)
        ps = [torch.tensor(rng.normal(size=s), requires_grad=True)
              for s in ((8, 16), (16,), (16, 4), (4,))]

        def run():
            h = torch.tanh(x @ ps[0] + ps[1])
            torch.logsumexp(h @ ps[2] + ps[3], dim=-1).sum().backward()
        return run
    f = case[1]
    x = torch.tensor(rng.uniform(0.1, 0.9, batch), requires_grad=True)

    def run():
        f(torch, x).sum().backward()
    return run


def jax_peer(case, batch):
    """(jitted call, compile seconds), or None when jax is missing."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    rng = np.random.default_rng(0)
    if case == "chain":
        def loss(x, y, params):
            a = x
            for k in range(LAYERS):
                a = jax.nn.sigmoid(params[2 * k] * a + params[2 * k + 1])
            return ((a - y) ** 2).sum()
        args = (jnp.asarray(rng.uniform(-1, 1, batch)), jnp.asarray(rng.uniform(0, 1, batch)),
                jnp.full(2 * LAYERS, 0.5))
        fn = jax.jit(jax.grad(loss, argnums=(0, 2)))
    elif case == "mlp":
        def loss(x, W1, b1, W2, b2):
            h = jnp.tanh(x @ W1 + b1)
            return jax.scipy.special.logsumexp(h @ W2 + b2, axis=-1).sum()
        args = tuple(jnp.asarray(rng.normal(size=s)) for s in
                     ((batch, 8), (8, 16), (16,), (16, 4), (4,)))
        fn = jax.jit(jax.grad(loss, argnums=(0, 1, 2, 3, 4)))
    else:
        f = case[1]
        args = (jnp.asarray(rng.uniform(0.1, 0.9, batch)),)
        fn = jax.jit(jax.vmap(jax.grad(lambda x: f(jnp, x))))
    start = time.perf_counter()
    jax.block_until_ready(fn(*args))
    compile_seconds = time.perf_counter() - start
    return (lambda: jax.block_until_ready(fn(*args))), compile_seconds


# ---- chainlens -----------------------------------------------------------------


def chainlens_case(case, batch):
    rng = np.random.default_rng(0)
    if case == "chain":
        kernel = compile(parse(CHAIN))
        values = {n: 0.5 for n in kernel.inputs}
        values["x"] = rng.uniform(-1, 1, batch) if batch > 1 else 0.3
        values["y"] = rng.uniform(0, 1, batch) if batch > 1 else 0.7
        numpy_fwd = None
    elif case == "mlp":
        kernel = compile(parse(MLP))
        values = {"x": rng.normal(size=(batch, 8)), "W1": rng.normal(size=(8, 16)),
                  "b1": rng.normal(size=16), "W2": rng.normal(size=(16, 4)),
                  "b2": rng.normal(size=4)}
        numpy_fwd = None
    else:
        kernel = compile(parse(case[0]))
        x = rng.uniform(0.1, 0.9, batch)
        values = {"x": float(x[0]) if batch == 1 else x}
        f = case[1]

        def numpy_fwd():
            return f(np, x)
    start = time.perf_counter()
    backend = kernel(values, sum_shared=True).backend
    kernel.forward(values)
    warm = time.perf_counter() - start
    grad = median_time(lambda: kernel(values, sum_shared=True), batch)
    fwd = median_time(lambda: kernel.forward(values), batch)
    np_fwd = median_time(numpy_fwd, batch) if numpy_fwd else None
    return grad, fwd, np_fwd, kernel, warm, backend


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="batch 1 and 1,000 only")
    ap.add_argument("--with-jax", action="store_true", help="pip install jax if missing")
    args = ap.parse_args(argv)
    if args.with_jax:
        try:
            import jax  # noqa: F401
        except ImportError:
            print("installing jax into this environment (pip install jax) ...", flush=True)
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "jax"], check=True)
    batches = [1, 1000] if args.quick else [1, 1000, 100_000, 1_000_000]
    cases = [(s, s) for s in SEEDS] + [(f"neuron chain, {LAYERS} layers", "chain"),
                                       ("tensor MLP 8-16-4", "mlp")]
    header = (f"{'case':<24}{'B':>9}  {'ran on':>6}  {'grad':>10}  {'fwd':>10}  {'g/f':>5}"
              f"  {'numpy fwd':>10}"
              f"  {'torch':>10}  {'jax':>10}  {'cl/torch':>8}  {'cl/jax':>6}")
    print(header)
    print("-" * len(header))
    notes = []
    for label, case in cases:
        label = label if isinstance(label, str) else label[0]
        for batch in batches:
            if case == "mlp" and batch > 1000:
                continue
            grad, fwd, np_fwd, kernel, warm, backend = chainlens_case(case, batch)
            torch_t = median_time(torch_peer(case, batch), batch)
            jax_t = None
            peer = jax_peer(case, batch)
            if peer is not None:
                jax_t = median_time(peer[0], batch)
                notes.append(f"jax jit compile {label} B={batch}: {peer[1] * 1e3:.0f} ms")
            print(f"{label:<24}{batch:>9,}  {backend:>6}  {fmt(grad):>10}  {fmt(fwd):>10}  "
                  f"{ratio(grad, fwd):>5}  {fmt(np_fwd):>10}  {fmt(torch_t):>10}  "
                  f"{fmt(jax_t):>10}  {ratio(grad, torch_t):>8}  {ratio(grad, jax_t):>6}",
                  flush=True)
            if kernel.compile_seconds and batch >= 100_000:
                notes.append(f"numba compile {label} B={batch}: {kernel.compile_seconds:.2f} s "
                             f"(first call, compiling and timing numba against numpy: "
                             f"{warm:.2f} s)")
    if not any(n.startswith("jax") for n in notes):
        print("\njax: not installed (run with --with-jax to install it and compare)")
    print("\n" + "\n".join(dict.fromkeys(notes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
