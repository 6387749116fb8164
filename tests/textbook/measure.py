"""How chainlens's derivatives compare with a textbook's printed answers.

For each exercise of ``exercises.json`` (see ``build.py``): chainlens's
simplified derivative, printed in text notation, against the book's answer
and SymPy's ``simplify(diff(...))`` printed by the same printer (so only the
form differs, not the notation).  Also checks that the result equals SymPy's
derivative at five points.

Run: ``.venv/bin/python tests/textbook/measure.py [dev|heldout|all] [-v]``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
POINTS = (0.37, 0.81, 1.23, 1.7, 2.9)


@dataclass(frozen=True)
class Row:
    id: str
    split: str
    expression: str
    ours: str
    book: str
    sympy: str
    right: bool


def load(split: str = "all") -> list[dict]:
    data = json.loads((HERE / "exercises.json").read_text())
    return [ex for ex in data if split in ("all", ex["split"])]


def _sympy_simplified(expr: str, var: str):
    import sympy as sp
    from chainlens.engine.api.sympy_bridge import from_sympy, to_sympy
    from chainlens.engine.language.reader import parse_expr

    e = to_sympy(parse_expr(expr))
    d = sp.diff(e, sp.Symbol(var))
    return d, from_sympy(sp.simplify(d))


def _same(a, b, var: str) -> bool:
    import sympy as sp

    v = sp.Symbol(var)
    for x in POINTS:
        try:
            p, q = complex(a.subs(v, x).evalf()), complex(b.subs(v, x).evalf())
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        if abs(p - q) > 1e-8 * (1 + abs(p)):
            return False
    return True


def row(ex: dict) -> Row:
    from chainlens.engine import diff
    from chainlens.engine.api.sympy_bridge import to_sympy
    from chainlens.engine.printing import to_text

    d = diff(ex["expression"], ex["var"])
    ours = to_text(d.result)
    import sympy as sp
    from chainlens.engine.language.reader import parse_expr

    reference = sp.diff(to_sympy(parse_expr(ex["expression"])), sp.Symbol(ex["var"]))
    right = _same(to_sympy(d.result), reference, ex["var"])
    simplified = ex.get("sympy_simplify")
    if simplified is None:
        simplified = to_text(_sympy_simplified(ex["expression"], ex["var"])[1])
    return Row(ex["id"], ex["split"], ex["expression"], ours, ex["answer"], simplified, right)


def summary(rows: list[Row]) -> dict:
    n = len(rows)
    return {"n": n,
            "no_longer_than_book": sum(len(r.ours) <= len(r.book) for r in rows) / n,
            "no_longer_than_sympy": sum(len(r.ours) <= len(r.sympy) for r in rows) / n,
            "right": sum(r.right for r in rows)}


def main(argv: list[str]) -> int:
    split = argv[0] if argv and argv[0] != "-v" else "dev"
    rows = [row(ex) for ex in load(split)]
    if "-v" in argv:
        for r in rows:
            mark = ("B" if len(r.ours) > len(r.book) else " ") + \
                   ("S" if len(r.ours) > len(r.sympy) else " ") + (" " if r.right else "!")
            print(f"{mark} {r.id:22} {r.expression}\n      ours  {r.ours}\n      book  {r.book}"
                  f"\n      sympy {r.sympy}")
    s = summary(rows)
    print(f"{split}: {s['n']} exercises; no longer than the book {s['no_longer_than_book']:.0%}, "
          f"no longer than SymPy simplify {s['no_longer_than_sympy']:.0%}, "
          f"numerically right {s['right']}/{s['n']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
