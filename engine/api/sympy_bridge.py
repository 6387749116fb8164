"""SymPy <-> chainlens nodes, both ways: :func:`from_sympy` and :func:`to_sympy`.

SymPy is an optional extra (``pip install 'chainlens[sympy]'``): it is
imported on the first call, never by ``import chainlens.engine``, and a
missing install is a :class:`ChainError` that says how to add it.

Both directions walk the trees structurally, each shared node once; no text
is printed and read back, and nothing is evaluated.  A primitive SymPy
spells like the rules table (``sin``, ``asinh``, ``erfc``, ``atan2`` …)
maps by that name; the few SymPy spells differently are the two small
tables below.  Primitives SymPy has no function for are written as the
elementary expression they stand for (``sigmoid(u)`` -> ``1/(1 + exp(-u))``),
so SymPy users can differentiate and simplify them; tensor primitives have no
SymPy counterpart and are refused with a message.
"""

from __future__ import annotations

from fractions import Fraction

from chainlens.engine import rules
from chainlens.engine.core.ir import add, call, mul, power
from chainlens.engine.core.nodes import PI, E, Node, num, sym
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import postorder
from chainlens.engine.language.reader import parse_expr

__all__ = ["from_sympy", "to_sympy", "is_sympy", "require_sympy", "INSTALL_HINT"]

INSTALL_HINT = "install it with: pip install 'chainlens[sympy]' (or pip install sympy)"

#: SymPy class name -> chainlens primitive, where the names differ (SymPy's
#: ``Abs``/``Max``/``Min`` read through their lower-case spelling).
_FROM = {"Heaviside": "step"}


def _elementary(sp):
    """chainlens primitive -> a SymPy builder, for the primitives SymPy
    spells differently or not at all (each the textbook definition)."""
    return {
        "abs": sp.Abs,
        "max": sp.Max,
        "min": sp.Min,
        "step": sp.Heaviside,
        "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
        "relu": lambda u: sp.Max(0, u),
        "softplus": lambda u: sp.log(1 + sp.exp(u)),
        "gelu": lambda u: u * (1 + sp.erf(u / sp.sqrt(2))) / 2,
        "log1p": lambda u: sp.log(1 + u),
        "expm1": lambda u: sp.exp(u) - 1,
        "log2": lambda u: sp.log(u, 2),
        "log10": lambda u: sp.log(u, 10),
        # the real cube root (SymPy's cbrt is the principal root, complex for u < 0)
        "cbrt": lambda u: sp.sign(u) * sp.Abs(u) ** sp.Rational(1, 3),
    }


def require_sympy():
    """The ``sympy`` module, or a ChainError saying how to install it."""
    try:
        import sympy
    except ImportError:
        raise ChainError(f"SymPy is not installed; {INSTALL_HINT}") from None
    return sympy


def is_sympy(obj) -> bool:
    """Whether ``obj`` is a SymPy expression (checked without importing SymPy)."""
    return any(c.__module__.startswith("sympy.") and c.__name__ == "Basic"
               for c in type(obj).__mro__)


def to_sympy(node):
    """The SymPy expression of a chainlens node (text is parsed first; a
    derivative result or program gives its expression)."""
    sp = require_sympy()
    node = _node_of(node)
    special = _elementary(sp)
    out: dict[Node, object] = {}
    for n in postorder(node):
        args = [out[a] for a in n.args]
        if n.op == "num":
            value = Fraction(n.value)
            out[n] = sp.Rational(value.numerator, value.denominator)
        elif n.op == "sym":
            out[n] = sp.Symbol(n.value)
        elif n.op == "pi":
            out[n] = sp.pi
        elif n.op == "add":
            out[n] = sp.Add(*args)
        elif n.op == "mul":
            out[n] = sp.Mul(*args)
        elif n.op == "pow":
            out[n] = sp.Pow(*args)
        elif n.op in special:
            out[n] = special[n.op](*args)
        elif rules.RULES.get(n.op) is not None and rules.RULES[n.op].kind == "elementwise" \
                and callable(getattr(sp, n.op, None)):
            out[n] = getattr(sp, n.op)(*args)
        else:
            raise ChainError(f"{n.op} has no SymPy counterpart",
                             hint="tensor operations stay in chainlens; differentiate "
                                  "them numerically (compile)")
    return out[node]


def from_sympy(expr) -> Node:
    """The chainlens node of a SymPy expression (canonicalised like parsed
    text, so ``from_sympy(sympy.sin(x**2)) is parse_expr("sin(x^2)")``)."""
    sp = require_sympy()
    expr = sp.sympify(expr, strict=True)
    out: dict = {}
    stack = [(expr, False)]
    while stack:  # iterative post-order: deep SymPy trees do not exhaust the stack
        e, ready = stack.pop()
        if e in out:
            continue
        if not ready:
            stack.append((e, True))
            stack.extend((a, False) for a in e.args if a not in out)
            continue
        out[e] = _one(sp, e, [out[a] for a in e.args])
    return out[expr]


def _one(sp, e, args: list[Node]) -> Node:
    if e.is_Symbol:
        return sym(e.name)
    if e.is_Rational:
        return num(Fraction(int(e.p), int(e.q)))
    if e.is_Float:
        return num(repr(float(e)))
    if e is sp.pi:
        return PI
    if e is sp.E:
        return E
    if e.is_Add:
        return add(*args)
    if e.is_Mul:
        return mul(*args)
    if e.is_Pow:
        return power(*args)
    if isinstance(e, sp.core.function.Application) \
            and not isinstance(e, sp.core.function.AppliedUndef):
        name = type(e).__name__
        rule = rules.RULES.get(_FROM[name]) if name in _FROM else rules.lookup(name.lower())
        if rule is not None and rule.kind == "elementwise":
            if name in _FROM and len(args) == 2:
                args = args[:1]  # Heaviside(x, H0): chainlens' step has one value at 0
            return call(rule.name, *args)
    raise ChainError(f"SymPy's {type(e).__name__} has no chainlens counterpart: {e}",
                     hint="write it with the functions chainlens knows (chainlens parse "
                          "--help lists them)")


def _node_of(value) -> Node:
    if isinstance(value, Node):
        return value
    if isinstance(value, str):
        return parse_expr(value)
    result = getattr(value, "result", None)
    if isinstance(result, Node):
        return result
    expr = getattr(value, "expr", None)
    if isinstance(expr, Node):
        return expr
    raise TypeError(f"to_sympy() takes a node, text or a result, not {type(value).__name__}")
