"""Transcribe derivative exercises and their printed answers from APEX Calculus.

Reads the exercise sets of chapter 2 (``exercises/02-0[2-7]-exset-*.tex``)
from the fetched snapshot at ``/work/.mirror`` (never committed) and writes
``exercises.json``: for each exercise ``{source, id, split, var, expression,
answer, sympy_simplify}``, the function and the book's final printed
derivative in ASCII math (chainlens's text notation, construction only, no
simplification), and SymPy's ``simplify(diff(...))`` in the same notation.
Those are short mathematical facts, not the book's prose.

The split is decided from the exercise id alone, before anything is read:
``heldout`` when the first byte of sha256(id) is divisible by 3.  An
exercise is kept only when both sides read and the book's answer equals the
derivative numerically (SymPy, at five points): that drops implicit
differentiation, graphs and the rare misprint.

Run: ``.venv/bin/python tests/textbook/build.py``.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
REPO = "Tanwaiwax/APEXCalculusLT_Source"
COMMIT = "b0d80e0f"
GIT = Path("/work/.mirror") / REPO.replace("/", "+") / "repo"
SETS = re.compile(r"exercises/02-0[2-7]-exset-\d+\.tex$")
HEAD = re.compile(r"^\s*(?:([A-Za-z])\s*\((\\theta|[a-z])\)|y)\s*=\s*(.+)$", re.S)
DHEAD = re.compile(r"^\s*(?:(?:\\fp|\\Fp|[A-Za-z]')\s*\((\\theta|[a-z])\)|y'|"
                   r"\\frac\{\\dd y\}\{\\dd x\})\s*=\s*(.+)$", re.S)
#: ``\frac2x`` and ``\frac1{x}``: one-token arguments, braced for the reader.
FRAC_TOKEN = re.compile(r"\\frac\s*([0-9a-zA-Z])\s*(\{|[0-9a-zA-Z])")


def split_of(ident: str) -> str:
    return "heldout" if hashlib.sha256(ident.encode()).digest()[0] % 3 == 0 else "dev"


def show(path: str) -> str:
    return subprocess.run(["git", "-C", str(GIT), "show", f"{COMMIT}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def groups(text: str, start: int, n: int) -> list[str] | None:
    """The ``n`` brace groups that follow ``text[start:]``."""
    out = []
    i = start
    for _ in range(n):
        while i < len(text) and text[i] in " \n":
            i += 1
        if i >= len(text) or text[i] != "{":
            return None
        depth, j = 0, i
        while j < len(text):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        out.append(text[i + 1:j])
        i = j + 1
    return out


def clean(tex: str) -> str:
    tex = tex.replace("\\ds", " ").replace("\\dfrac", "\\frac").replace("\\displaystyle", " ")
    tex = re.sub(r"\\(big|Big|bigg|Bigg|left|right)(?![a-zA-Z])", " ", tex)
    tex = re.sub(r"\\label\{[^}]*\}", " ", tex)
    tex = tex.replace("\\,", " ").replace("\\!", "").replace("\\ ", " ")
    tex = tex.replace("[", "(").replace("]", ")").replace("{,}", "")
    tex = FRAC_TOKEN.sub(lambda m: "\\frac{" + m.group(1) + "}"
                         + (m.group(2) if m.group(2) == "{" else "{" + m.group(2) + "}"), tex)
    return tex.strip().rstrip(".,")


def items(tex: str) -> list[str]:
    return re.findall(r"\$([^$]+)\$", tex)


def exercises() -> list[dict]:
    from chainlens.engine.language.reader import parse_expr
    from chainlens.engine.printing import to_text

    paths = subprocess.run(["git", "-C", str(GIT), "ls-tree", "-r", "--name-only", COMMIT],
                           check=True, capture_output=True, text=True).stdout.split()
    out = []
    for path in sorted(p for p in paths if SETS.search(p)):
        text = show(path)
        for k, m in enumerate(re.finditer(r"\\exercise(?=\{)", text)):
            g = groups(text, m.end(), 2)
            ident = f"{path.split('/')[-1][:-4]}#{k + 1}"
            if g is None or "=" not in g[0]:
                continue
            math = items(g[0])
            head = HEAD.match(clean(math[0])) if math else None
            if head is None:
                continue
            var = (head.group(2) or "x").lstrip("\\")
            answer = g[1]
            if "\\item" in answer:
                answer = answer.split("\\item")[-2] if "equal" in answer else answer
            finals = [DHEAD.match(clean(s)) for s in items(answer)]
            finals = [f for f in finals if f is not None]
            if not finals:
                continue
            final = clean(finals[0].group(2).split("=")[-1])
            try:
                expr = to_text(parse_expr(clean(head.group(3))))
                ans = to_text(parse_expr(final))
            except Exception:  # noqa: BLE001 - a side that does not read is skipped
                continue
            out.append({"source": f"APEX Calculus ({REPO}@{COMMIT})", "id": ident,
                        "split": split_of(ident), "var": var, "expression": expr,
                        "answer": ans})
    return out


def agrees(ex: dict) -> bool:
    import sympy as sp
    from chainlens.engine.api.sympy_bridge import to_sympy
    from chainlens.engine.language.reader import parse_expr

    v = sp.Symbol(ex["var"])
    try:
        d = sp.diff(to_sympy(parse_expr(ex["expression"])), v)
        a = to_sympy(parse_expr(ex["answer"]))
    except Exception:  # noqa: BLE001
        return False
    others = sorted((d.free_symbols | a.free_symbols) - {v}, key=str)
    if others:
        return False
    for x in (0.37, 0.81, 1.23, 1.7, 2.9):
        try:
            p, q = complex(d.subs(v, x).evalf()), complex(a.subs(v, x).evalf())
        except Exception:  # noqa: BLE001
            return False
        if abs(p - q) > 1e-8 * (1 + abs(p)):
            return False
    return True


def sympy_simplified(ex: dict) -> str:
    """SymPy's ``simplify(diff(...))`` in chainlens's text notation (the
    second yardstick of the measurement; stored so the test needs no SymPy
    simplify run)."""
    import sympy as sp
    from chainlens.engine.api.sympy_bridge import from_sympy, to_sympy
    from chainlens.engine.language.reader import parse_expr
    from chainlens.engine.printing import to_text

    d = sp.diff(to_sympy(parse_expr(ex["expression"])), sp.Symbol(ex["var"]))
    return to_text(from_sympy(sp.simplify(d)), max_chars=None)


def main() -> int:
    if not GIT.exists():
        print(f"no snapshot at {GIT}: fetch github:{REPO} first", file=sys.stderr)
        return 2
    found = exercises()
    kept = [dict(ex, sympy_simplify=sympy_simplified(ex)) for ex in found if agrees(ex)]
    (HERE / "exercises.json").write_text(json.dumps(kept, indent=1) + "\n")
    dev = sum(ex["split"] == "dev" for ex in kept)
    print(f"{len(found)} read, {len(kept)} kept ({dev} dev, {len(kept) - dev} heldout)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
