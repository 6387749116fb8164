"""Ground truth with SymPy: each hand-labelled claim is correct when
d^n(expr)/d(var)^n - claimed simplifies to 0, or, failing that, agrees at
12 random points (real, where both are finite).  Independent of chainlens."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import sympy as sp

HERE = Path(__file__).parent


def correct(expr: str, var: str, claimed: str, order: int = 1) -> bool:
    ns = {"log": sp.log, "Abs": sp.Abs, "Rational": sp.Rational, "pi": sp.pi, "E": sp.E}
    e, c = sp.sympify(expr, locals=ns), sp.sympify(claimed, locals=ns)
    real = {s: sp.Symbol(str(s), real=True) for s in e.free_symbols | c.free_symbols}
    e, c = e.subs(real), c.subs(real)
    d = sp.diff(e, sp.Symbol(var, real=True), order)
    diff = sp.simplify(d - c)
    if diff == 0:
        return True
    names = sorted(d.free_symbols | c.free_symbols, key=str)
    # (0.1, 0.9) first, as for every earlier split; (1.1, 3) only when no point
    # there is real (round 9: arcsec, arccsc, arccosh live on |x| > 1), where
    # the answer used to be False for want of a point, not for a disagreement
    for low, high in ((0.1, 0.9), (1.1, 3.0)):
        rng = random.Random(7)
        agree = tried = 0
        for _ in range(200):
            env = {s: rng.uniform(low, high) if str(s) != "n" else rng.choice([2, 3, 5])
                   for s in names}
            a, b = complex(d.subs(env).evalf()), complex(c.subs(env).evalf())
            if abs(a.imag) > 1e-9 or abs(b.imag) > 1e-9:
                continue
            tried += 1
            agree += abs(a - b) <= 1e-8 * max(1, abs(a))
            if tried == 12:
                break
        if tried:
            return agree == tried
    return False


def write(split: str, table: dict) -> None:
    for name, rows in table.items():
        out = []
        for row in rows:
            line, expr, var, claimed, *rest = row
            order = rest[0] if rest else 1
            out.append({"line": line, "expr": expr, "wrt": var, "claimed": claimed,
                        "order": order, "correct": correct(expr, var, claimed, order)})
        (HERE / split / (name + ".labels.json")).write_text(json.dumps(out, indent=1))
        bad = [r for r in out if not r["correct"]]
        print(split, name, len(out), "claims,", len(bad), "wrong", [r["line"] for r in bad])


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    from labels_dev import DEV

    write("dev", DEV)
    try:
        from labels_heldout import HELDOUT
    except ImportError:
        HELDOUT = {}
    write("heldout", HELDOUT)
    try:
        from labels_heldout2 import HELDOUT2
    except ImportError:
        HELDOUT2 = {}
    write("heldout2", HELDOUT2)
    try:
        from labels_heldout3 import HELDOUT3
    except ImportError:
        HELDOUT3 = {}
    write("heldout3", HELDOUT3)
    try:
        from labels_heldout4 import HELDOUT4
    except ImportError:
        HELDOUT4 = {}
    write("heldout4", HELDOUT4)
    try:
        from labels_heldout5 import HELDOUT5
    except ImportError:
        HELDOUT5 = {}
    write("heldout5", HELDOUT5)
    try:
        from labels_heldout6 import HELDOUT6
    except ImportError:
        HELDOUT6 = {}
    write("heldout6", HELDOUT6)
    try:
        from labels_heldout7 import HELDOUT7
    except ImportError:
        HELDOUT7 = {}
    write("heldout7", HELDOUT7)
    try:
        from labels_heldout8 import HELDOUT8
    except ImportError:
        HELDOUT8 = {}
    write("heldout8", HELDOUT8)
    try:
        from labels_heldout9 import HELDOUT9
    except ImportError:
        HELDOUT9 = {}
    write("heldout9", HELDOUT9)
    try:
        from labels_heldout10 import HELDOUT10
    except ImportError:
        HELDOUT10 = {}
    write("heldout10", HELDOUT10)
