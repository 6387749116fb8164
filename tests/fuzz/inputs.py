"""Fuzz inputs, reproducible from a seed: ``generate(seed, i)`` is input ``i``.

Five families, chosen in turn by the input's own random stream:

* random bytes (decoded several ways, lone surrogates included) and random
  Unicode (letters of many scripts, combining marks, zero-width and
  direction characters, NUL and controls);
* grammar-aware expressions and ``.chain`` programs built from the rules
  table's function names and the three notations (ASCII, LaTeX, numpy);
* mutations of the example programs (examples/*.chain, /work/shared/examples):
  deleted, duplicated, swapped and inserted spans, numbers made hostile;
* hostile forms: deep nesting around the limit, power towers, huge and tiny
  exponents (``1e-1000**1e-1000``), long sums and products, long and nested
  ``repeat`` blocks, NUL and zero-width characters inside tokens.

Every input has at most :data:`MAX_CHARS` characters: the issue's goal (no
stage over 2 s of CPU) is stated for inputs of that size."""

from __future__ import annotations

import random
from pathlib import Path

from chainlens.engine.rules import RULES

#: Longest input generated (the goal's bound).
MAX_CHARS = 10_000

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIRS = (ROOT / "examples", ROOT.parent / "shared" / "examples")
FAMILIES = ("bytes", "unicode", "grammar", "program", "mutation", "hostile")
#: How often each family is drawn.  Inputs that parse into big programs (the
#: examples' mutations, the hostile forms) cost 30-100 ms each through every
#: stage, the others about 1 ms: the weights keep a 100,000-input run within
#: an hour on a shared machine while every family is still drawn thousands of
#: times (and the hostile forms repeat: they have few shapes).
WEIGHTS = (20, 20, 25, 22, 9, 4)

FUNCTIONS = tuple(sorted(name for name, rule in RULES.items() if name.isalpha()
                         and name not in ("add", "mul", "pow")))
LATEX_FUNCS = ("\\sin", "\\cos", "\\tan", "\\ln", "\\log", "\\exp", "\\sqrt", "\\tanh",
               "\\sigma", "\\arcsin", "\\sinh", "\\max", "\\min", "\\operatorname{relu}",
               "\\operatorname{", "\\frac", "\\sqrt[3]", "\\log_2", "\\sin^{-1}", "\\left|")
MODULES = ("np.", "torch.", "F.", "math.", "jnp.", "torch.nn.functional.", "scipy.special.")
NAMES = ("x", "y", "z", "w", "b", "a", "x_1", "w_{2}", "\\theta", "θ", "lr", "L", "e", "pi",
         "k", "x@2", "_", "inf", "nan")
NUMBERS = ("0", "1", "2", "0.5", "-1", "1e-3", "1e308", "1e309", "1e-1000", "1e-320",
           "9" * 40, "1e1000", "0.0", "3.14159", "2^1e-9", "1/0", "0/0", "-0")
SPECIAL = ("\x00", "\u200b", "\u200d", "\ufeff", "\u202e", "\u0301", "\t", "\r", "\x0b",
           "\x1b", "\ud800", "\udfff", "\U0001f600", "\u00a0", "\u2028", "…", "−", "·", "×")
TOKENS = ("+", "-", "*", "/", "^", "**", "(", ")", "{", "}", "[", "]", ",", ";", "=", "|",
          "\n", " ", "@at ", "@wrt ", "@output ", "input ", "param ", "repeat k in 1..3 {",
          "in [-1, 1]", "#", "\\cdot", "\\left(", "\\right)", "'", "..", ".", "!", "\\", "$",
          *NAMES, *NUMBERS, *FUNCTIONS, *LATEX_FUNCS)


def generate(seed: int, index: int) -> tuple[str, str]:
    """``(family, text)`` of input ``index`` of the run seeded ``seed``."""
    rng = random.Random(seed * 1_000_003 + index)
    family = rng.choices(FAMILIES, WEIGHTS)[0]
    text = _MAKERS[family](rng)
    return family, text[:MAX_CHARS]


def _bytes(rng: random.Random) -> str:
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    how = rng.choice(("utf-8", "latin-1", "surrogateescape", "utf-16"))
    if how == "surrogateescape":
        return data.decode("utf-8", "surrogateescape")
    if how == "utf-16":
        data = data[: len(data) // 2 * 2]
        return data.decode("utf-16-le", "surrogatepass" if rng.random() < 0.5 else "replace")
    return data.decode(how, "replace")


def _unicode(rng: random.Random) -> str:
    pools = ((0x20, 0x7F), (0x80, 0x250), (0x370, 0x400), (0x2000, 0x2070), (0x2190, 0x2300),
             (0x4E00, 0x4E80), (0x1D400, 0x1D500), (0x0, 0x20), (0xD800, 0xE000), (0xFFF0, 0x10000))
    out = []
    for _ in range(rng.randrange(1, 120)):
        if rng.random() < 0.3:
            out.append(rng.choice(TOKENS))
        else:
            lo, hi = rng.choice(pools)
            out.append(chr(rng.randrange(lo, hi)))
    return "".join(out)


def _expr(rng: random.Random, depth: int = 0) -> str:
    r = rng.random()
    if depth > rng.randrange(2, 9) or r < 0.2:
        return rng.choice(NAMES[:8] if rng.random() < 0.7 else NAMES + NUMBERS)
    if r < 0.5:
        op = rng.choice(("+", "-", "*", "/", "^", "**", " ", "\\cdot ", "*", "+"))
        a, b = _expr(rng, depth + 1), _expr(rng, depth + 1)
        if op in ("^", "**") and rng.random() < 0.5:
            b = rng.choice(("2", "-1", "0.5", "1e-1000", "100000", "1e308", "x", "-x", "1/3"))
        return f"({a}){op}({b})" if rng.random() < 0.5 else f"{a}{op}{b}"
    if r < 0.75:
        name = rng.choice(FUNCTIONS)
        prefix = rng.choice(("",) * 4 + MODULES)
        args = ", ".join(_expr(rng, depth + 1) for _ in range(rng.choice((1, 1, 1, 2, 3))))
        return f"{prefix}{name}({args})"
    if r < 0.9:
        f = rng.choice(LATEX_FUNCS)
        a = _expr(rng, depth + 1)
        if f == "\\frac":
            return f"\\frac{{{a}}}{{{_expr(rng, depth + 1)}}}"
        if f == "\\left|":
            return f"\\left| {a} \\right|"
        if f.endswith("{"):
            return f"{f}{a}}}({_expr(rng, depth + 1)})"
        return f"{f}{{{a}}}" if rng.random() < 0.6 else f"{f} {a}"
    return f"-{_expr(rng, depth + 1)}"


def _grammar(rng: random.Random) -> str:
    return _expr(rng)


def _program(rng: random.Random) -> str:
    lines = []
    if rng.random() < 0.5:
        lines.append(f"input x in [{rng.choice(NUMBERS)}, {rng.choice(NUMBERS)}]")
    if rng.random() < 0.3:
        lines.append("param w")
    if rng.random() < 0.3:
        lines.append(f"f(u, v) = {_expr(rng, 3).replace('x', 'u').replace('y', 'v')}")
    names = ["a"]
    lines.append(f"a = {_expr(rng, 2)}")
    for i in range(rng.randrange(0, 6)):
        name = rng.choice(("h", "z", f"t{i}", "a", "y"))
        lines.append(f"{name} = {_expr(rng, 3)}")
        names.append(name)
    if rng.random() < 0.5:
        n = rng.choice(("3", "10", "100", "1000", "10001", "0", "-1", "2.5", "1e9", "3", "2")
                       if rng.random() < 0.98 else ("10000",))
        f = rng.choice(FUNCTIONS)
        lines.append(f"repeat k in 1..{n} {{\n  z_k = w_k * a + b_k\n  a = {f}(z_k)"
                     f"{' + a' if rng.random() < 0.3 else ''}\n}}")
    if rng.random() < 0.3:
        lines.append("f(x, 1)" if rng.random() < 0.5 else "g = f(a, x)")
    lines.append(f"L = {rng.choice(names)}^2 + {_expr(rng, 4)}")
    if rng.random() < 0.4:
        lines.append(f"@output {rng.choice(('L', 'a', 'L, a', 'nope'))}")
    if rng.random() < 0.5:
        lines.append(f"@wrt {rng.choice(('x', 'x, y', 'w', 'nope', 'a'))}")
    if rng.random() < 0.7:
        pts = ", ".join(f"{v}={rng.choice(NUMBERS)}" for v in ("x", "y", "w", "b", "z"))
        lines.append(f"@at {pts}")
    sep = "; " if rng.random() < 0.1 else "\n"
    return sep.join(lines)


def _examples() -> tuple[str, ...]:
    found = []
    for folder in EXAMPLE_DIRS:
        if folder.is_dir():
            found.extend(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.chain")))
    return tuple(found) or ("z = w*x + b\nL = (sigmoid(z) - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1",)


_EXAMPLES: tuple[str, ...] | None = None


def _mutation(rng: random.Random) -> str:
    global _EXAMPLES
    if _EXAMPLES is None:
        _EXAMPLES = _examples()
    text = rng.choice(_EXAMPLES)
    for _ in range(rng.randrange(1, 8)):
        n = len(text)
        i, j = sorted((rng.randrange(n + 1), rng.randrange(n + 1)))
        j = min(j, i + rng.randrange(1, 40))
        what = rng.randrange(6)
        if what == 0:
            text = text[:i] + text[j:]
        elif what == 1:
            text = text[:j] + text[i:j] * rng.randrange(1, 5) + text[j:]
        elif what == 2:
            text = text[:i] + rng.choice(TOKENS + SPECIAL) + text[i:]
        elif what == 3:
            text = text[:i] + _expr(rng, 4) + text[j:]
        elif what == 4:
            text = text.replace(rng.choice(("1", "3", "0.5", "2", "100")), rng.choice(NUMBERS), 1)
        else:
            k = rng.randrange(n + 1)
            text = text[:i] + text[k:] if k > i else text[:k] + text[i:]
    return text


def _hostile(rng: random.Random) -> str:
    k = rng.randrange(16)
    n = rng.choice((10, 100, 199, 200, 201, 500, 2000, 4000))
    if k == 0:
        o, c = rng.choice((("(", ")"), ("{", "}"), ("[", "]"), ("sin(", ")"), ("\\frac{1}{", "}"),
                           ("-", ""), ("\\sqrt{", "}"), ("|", "|"), ("\\left(", "\\right)")))
        return o * n + "x" + c * n
    if k == 1:
        return "^".join(["x"] * n) if rng.random() < 0.5 else "**".join(["2"] * min(n, 30))
    if k == 2:
        return rng.choice(("1e-1000**1e-1000", "9**9**9**9", "(x+1)^100000", "x^1e308",
                           "2^1e-9", "2^1e-1000", "(1e308*x)^1e308", "10^-400*x", "(-8)^(1/3)",
                           "0^0", "0^-1", "x^(1e-320)", "exp(exp(exp(1000)))",
                           "(x+y)^" + rng.choice(("50", "200", "1000", "65536"))))
    if k == 3:
        op = rng.choice(("+", "*", "-", "/", "^"))
        return op.join(rng.choice(("x", "y", "x*y", "sin(x)", "1", "x^2")) for _ in range(n))
    if k == 4:
        count = rng.choice(("10000", "9999", "100000", "1e5", "5000"))
        return (f"a = x\nrepeat k in 1..{count} {{\n  a = {rng.choice(FUNCTIONS)}(w_k*a + b_k)"
                f"\n}}\nL = a^2\n@at x=0.5")
    if k == 5:
        inner = "repeat j in 1..100 { a = a*x + j }"
        return "a = x\nrepeat k in 1..100 { " + inner + " }\nL = a"
    if k == 6:
        tok = rng.choice(SPECIAL)
        base = rng.choice(("sin(x)+x^2", "z = w*x + b\nL = z^2", "\\frac{1}{x}"))
        pos = rng.randrange(len(base) + 1)
        return base[:pos] + tok * rng.randrange(1, 4) + base[pos:]
    if k == 7:
        return "x" * rng.choice((100, 1000, 9999)) + rng.choice(("", "+1", "(x)"))
    if k == 8:
        return "\n".join(f"a{i} = a{i - 1}*a{i - 1} + x" if i else "a0 = x" for i in range(n))
    if k == 9:
        return "\n".join(f"a{i} = sin(a{i - 1}) + a{i - 1}^2" if i else "a0 = x"
                         for i in range(min(n, 300)))
    if k == 10:
        return "f(u) = u*u + u\n" + "y = " + "f(" * min(n, 60) + "x" + ")" * min(n, 60)
    if k == 11:
        return "(" + "+".join(f"x_{i}" for i in range(min(n, 1500))) + ")^" + rng.choice(("2", "3"))
    if k == 12:
        return "\\operatorname{" + rng.choice(("", "}", "\\", "relu", "{", "x y", "9")) + "}(x)"
    if k == 13:
        return "@at " + ", ".join(f"x{i}={i}" for i in range(n)) + "\nL = x0"
    if k == 14:
        return "x" + "'" * n if rng.random() < 0.5 else "x" + "!" * n
    return "#" * n + "\n" + "\\" * n + "x"


_MAKERS = {"bytes": _bytes, "unicode": _unicode, "grammar": _grammar, "program": _program,
           "mutation": _mutation, "hostile": _hostile}
