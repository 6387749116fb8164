"""The table of primitives: every function chainlens knows, declared once.

Each :class:`Rule` says, for one primitive:

* its arity and the names people type for it (``asin``, ``arcsin``...);
* its numpy forward (numerically stable where the textbook form is not) and
  the same forward as a source template, so generated kernels and the Python
  printer spell it identically;
* each partial derivative as an engine expression (``partial(args, i)``), the
  only derivative formulas in the code base: the symbolic chain rule
  substitutes the real arguments, the numeric backward pass compiles the same
  expression with placeholder arguments ``$0, $1`` (see :func:`template`);
* the bound of |f'| over the domain (gradient-health analysis multiplies
  these along paths) and whether the function saturates (f' -> 0 at +-inf);
* its domain and its points of non-differentiability, as conditions on the
  arguments, so results can carry "valid for x > 0" notes.

Adding a primitive is adding one entry here.  Tensor primitives (``matmul``,
``sum``, ``softmax``...) sit in their own section at the end: their backward
pass is a vector-Jacobian product rather than an element-wise partial.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from chainlens.engine.ir import (
    HALF,
    NEG_ONE,
    ONE,
    PI,
    Node,
    add,
    mul,
    neg,
    num,
    power,
    raw,
    sqrt,
    sub,
    sym,
)

__all__ = ["Rule", "Condition", "RULES", "ALIASES", "lookup", "template", "PLACEHOLDERS"]

#: Placeholder argument symbols used in rule templates.
PLACEHOLDERS = tuple(sym(f"${i}") for i in range(8))
U, V = PLACEHOLDERS[0], PLACEHOLDERS[1]


@dataclass(frozen=True)
class Condition:
    """``expr RELATION 0`` over a rule's placeholder arguments, with the
    words a person reads ("u > 0").  ``relation`` is one of
    ``> >= < <= !=``."""

    relation: str
    expr: Node
    text: str


@dataclass(frozen=True)
class Notation:
    """How printers spell a primitive.  ``python`` is a ``str.format``
    template over the argument sources (``np.sin({0})``)."""

    text: str
    unicode: str
    latex: str
    python: str


@dataclass(frozen=True)
class Rule:
    name: str
    arity: int  # -1: n-ary (add, mul)
    forward: Callable[..., np.ndarray]
    partial: Callable[[tuple[Node, ...], int], Node] | None
    notation: Notation
    #: sup |df/darg| over the domain, per argument; inf when unbounded,
    #: None when it depends on the other arguments (products, powers).
    bound: float | None = None
    #: f'(u) -> 0 as |u| -> inf (sigmoid, tanh, erf): the vanishing suspects.
    saturates: bool = False
    domain: tuple[Condition, ...] = ()
    smooth: tuple[Condition, ...] = ()
    aliases: tuple[str, ...] = ()
    #: Optional rewrite applied on construction (e.g. sqrt -> power).
    canonical: Callable[..., Node] | None = None
    kind: str = "elementwise"
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def _unary(name: str, f: Callable[[Node], Node]):
    def partial(args: tuple[Node, ...], i: int) -> Node:
        return f(args[0])

    partial.__qualname__ = f"{name}_partial"
    return partial


def _f(name: str) -> Callable[[Node], Node]:
    """``f(u)`` for a primitive of the table, built without canonicalising."""
    return lambda u: raw(name, u)


sin, cos, tan = _f("sin"), _f("cos"), _f("tan")
sec, csc, cot = _f("sec"), _f("csc"), _f("cot")
sinh, cosh, tanh = _f("sinh"), _f("cosh"), _f("tanh")
exp, log, sigmoid = _f("exp"), _f("log"), _f("sigmoid")
sign, step, cbrt = _f("sign"), _f("step"), _f("cbrt")


def _np_sigmoid(x):
    # 0.5(1 + tanh(x/2)) never overflows, unlike 1/(1+exp(-x)) for x << 0.
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _np_step(x):
    return np.where(x > 0, 1.0, 0.0)


def _np_sec(x):
    return 1.0 / np.cos(x)


def _np_csc(x):
    return 1.0 / np.sin(x)


def _np_cot(x):
    return 1.0 / np.tan(x)


# numpy has no erf; math.erf vectorised is exact to the last ulp.
_vec_erf = np.frompyfunc(math.erf, 1, 1)


def _np_erf_float(x):
    out = _vec_erf(np.asarray(x, dtype=np.float64))
    return np.asarray(out, dtype=np.float64)


def _mul_partial(args: tuple[Node, ...], i: int) -> Node:
    return mul(*(a for j, a in enumerate(args) if j != i))


def _pow_partial(args: tuple[Node, ...], i: int) -> Node:
    u, v = args
    if i == 0:
        return mul(v, power(u, sub(v, ONE)))
    return mul(power(u, v), log(u))


def _max_partial(args: tuple[Node, ...], i: int) -> Node:
    # Ties split the gradient evenly (PyTorch's convention for maximum).
    a, b = args
    s = sign(sub(a, b)) if i == 0 else sign(sub(b, a))
    return mul(HALF, add(ONE, s))


def _min_partial(args: tuple[Node, ...], i: int) -> Node:
    a, b = args
    s = sign(sub(b, a)) if i == 0 else sign(sub(a, b))
    return mul(HALF, add(ONE, s))


def _N(text, uni=None, latex=None, python=None) -> Notation:
    return Notation(
        text=text,
        unicode=uni if uni is not None else text,
        latex=latex if latex is not None else "\\operatorname{" + text + "}",
        python=python if python is not None else f"np.{text}({{0}})",
    )


def _gt0(text: str) -> tuple[Condition, ...]:
    return (Condition(">", U, text),)


_RULES: list[Rule] = [
    # ---- arithmetic (n-ary; their partials are the sum and product rules)
    Rule("add", -1, np.add, lambda args, i: ONE, _N("+", "+", "+", "{0} + {1}"), bound=1.0),
    Rule("mul", -1, np.multiply, _mul_partial, _N("*", "·", "\\cdot", "{0} * {1}")),
    Rule("pow", 2, np.power, _pow_partial, _N("^", "^", "^", "{0} ** {1}")),
    # ---- trigonometric
    Rule("sin", 1, np.sin, _unary("sin", cos), _N("sin", latex="\\sin"), bound=1.0),
    Rule("cos", 1, np.cos, _unary("cos", lambda u: neg(sin(u))), _N("cos", latex="\\cos"),
         bound=1.0),
    Rule("tan", 1, np.tan, _unary("tan", lambda u: power(sec(u), num(2))),
         _N("tan", latex="\\tan"), bound=math.inf,
         domain=(Condition("!=", raw("cos", U), "cos(u) ≠ 0"),)),
    Rule("sec", 1, _np_sec, _unary("sec", lambda u: mul(sec(u), tan(u))),
         _N("sec", latex="\\sec", python="(1 / np.cos({0}))"), bound=math.inf,
         domain=(Condition("!=", raw("cos", U), "cos(u) ≠ 0"),)),
    Rule("csc", 1, _np_csc, _unary("csc", lambda u: neg(mul(csc(u), cot(u)))),
         _N("csc", latex="\\csc", python="(1 / np.sin({0}))"), bound=math.inf,
         domain=(Condition("!=", raw("sin", U), "sin(u) ≠ 0"),)),
    Rule("cot", 1, _np_cot, _unary("cot", lambda u: neg(power(csc(u), num(2)))),
         _N("cot", latex="\\cot", python="(1 / np.tan({0}))"), bound=math.inf,
         domain=(Condition("!=", raw("sin", U), "sin(u) ≠ 0"),)),
    Rule("asin", 1, np.arcsin,
         _unary("asin", lambda u: power(sub(ONE, power(u, num(2))), num(Fraction(-1, 2)))),
         _N("asin", latex="\\arcsin", python="np.arcsin({0})"), bound=math.inf,
         domain=(Condition("<=", sub(raw("abs", U), ONE), "|u| ≤ 1"),),
         smooth=(Condition("<", sub(raw("abs", U), ONE), "|u| < 1"),),
         aliases=("arcsin",)),
    Rule("acos", 1, np.arccos,
         _unary("acos", lambda u: neg(power(sub(ONE, power(u, num(2))), num(Fraction(-1, 2))))),
         _N("acos", latex="\\arccos", python="np.arccos({0})"), bound=math.inf,
         domain=(Condition("<=", sub(raw("abs", U), ONE), "|u| ≤ 1"),),
         smooth=(Condition("<", sub(raw("abs", U), ONE), "|u| < 1"),),
         aliases=("arccos",)),
    Rule("atan", 1, np.arctan,
         _unary("atan", lambda u: power(add(ONE, power(u, num(2))), NEG_ONE)),
         _N("atan", latex="\\arctan", python="np.arctan({0})"), bound=1.0, saturates=True,
         aliases=("arctan",)),
    # ---- hyperbolic
    Rule("sinh", 1, np.sinh, _unary("sinh", cosh), _N("sinh", latex="\\sinh"),
         bound=math.inf),
    Rule("cosh", 1, np.cosh, _unary("cosh", sinh), _N("cosh", latex="\\cosh"),
         bound=math.inf),
    Rule("tanh", 1, np.tanh, _unary("tanh", lambda u: sub(ONE, power(tanh(u), num(2)))),
         _N("tanh", latex="\\tanh"), bound=1.0, saturates=True),
    Rule("asinh", 1, np.arcsinh,
         _unary("asinh", lambda u: power(add(power(u, num(2)), ONE), num(Fraction(-1, 2)))),
         _N("asinh", python="np.arcsinh({0})"), bound=1.0, aliases=("arcsinh",)),
    Rule("acosh", 1, np.arccosh,
         _unary("acosh", lambda u: power(sub(power(u, num(2)), ONE), num(Fraction(-1, 2)))),
         _N("acosh", python="np.arccosh({0})"), bound=math.inf,
         domain=(Condition(">=", sub(U, ONE), "u ≥ 1"),),
         smooth=(Condition(">", sub(U, ONE), "u > 1"),), aliases=("arccosh",)),
    Rule("atanh", 1, np.arctanh,
         _unary("atanh", lambda u: power(sub(ONE, power(u, num(2))), NEG_ONE)),
         _N("atanh", python="np.arctanh({0})"), bound=math.inf,
         domain=(Condition("<", sub(raw("abs", U), ONE), "|u| < 1"),), aliases=("arctanh",)),
    # ---- exponentials and logarithms
    Rule("exp", 1, np.exp, _unary("exp", exp), _N("exp", latex="\\exp"), bound=math.inf),
    Rule("log", 1, np.log, _unary("log", lambda u: power(u, NEG_ONE)),
         _N("log", latex="\\ln"), bound=math.inf, domain=_gt0("u > 0"), aliases=("ln",)),
    Rule("log2", 1, np.log2,
         _unary("log2", lambda u: power(mul(u, log(num(2))), NEG_ONE)),
         _N("log2", latex="\\log_2"), bound=math.inf, domain=_gt0("u > 0")),
    Rule("log10", 1, np.log10,
         _unary("log10", lambda u: power(mul(u, log(num(10))), NEG_ONE)),
         _N("log10", latex="\\log_{10}"), bound=math.inf, domain=_gt0("u > 0")),
    # ---- roots (sqrt is a power; cbrt keeps real cube roots of negatives)
    Rule("sqrt", 1, np.sqrt, _unary("sqrt", lambda u: mul(HALF, power(u, num(Fraction(-1, 2))))),
         _N("sqrt", "√", "\\sqrt"), bound=math.inf,
         domain=(Condition(">=", U, "u ≥ 0"),), smooth=_gt0("u > 0"), canonical=sqrt),
    Rule("cbrt", 1, np.cbrt,
         _unary("cbrt", lambda u: mul(num(Fraction(1, 3)), power(cbrt(u), num(-2)))),
         _N("cbrt", "∛", "\\sqrt[3]"), bound=math.inf,
         smooth=(Condition("!=", U, "u ≠ 0"),)),
    # ---- piecewise
    Rule("abs", 1, np.abs, _unary("abs", sign), _N("abs", "abs", "\\left|{0}\\right|"),
         bound=1.0, smooth=(Condition("!=", U, "u ≠ 0"),)),
    Rule("sign", 1, np.sign, _unary("sign", lambda u: num(0)),
         _N("sign", latex="\\operatorname{sgn}"),
         bound=0.0, smooth=(Condition("!=", U, "u ≠ 0"),), aliases=("sgn",)),
    Rule("step", 1, _np_step, _unary("step", lambda u: num(0)),
         _N("step", "H", "H", "np.where({0} > 0, 1.0, 0.0)"), bound=0.0,
         smooth=(Condition("!=", U, "u ≠ 0"),), aliases=("heaviside",)),
    Rule("max", 2, np.maximum, _max_partial,
         _N("max", latex="\\max", python="np.maximum({0}, {1})"),
         bound=1.0, smooth=(Condition("!=", sub(U, V), "u ≠ v"),), aliases=("maximum",)),
    Rule("min", 2, np.minimum, _min_partial,
         _N("min", latex="\\min", python="np.minimum({0}, {1})"),
         bound=1.0, smooth=(Condition("!=", sub(U, V), "u ≠ v"),), aliases=("minimum",)),
    # ---- activations and special functions
    Rule("sigmoid", 1, _np_sigmoid,
         _unary("sigmoid", lambda u: mul(sigmoid(u), sub(ONE, sigmoid(u)))),
         _N("sigmoid", "σ", "\\sigma", "(0.5 * (1.0 + np.tanh(0.5 * {0})))"),
         bound=0.25, saturates=True, aliases=("expit", "logistic")),
    Rule("relu", 1, lambda x: np.maximum(x, 0.0), _unary("relu", step),
         _N("relu", "ReLU", "\\operatorname{ReLU}", "np.maximum({0}, 0.0)"),
         bound=1.0, smooth=(Condition("!=", U, "u ≠ 0"),)),
    Rule("softplus", 1, lambda x: np.logaddexp(0.0, x), _unary("softplus", sigmoid),
         _N("softplus", python="np.logaddexp(0.0, {0})"), bound=1.0),
    Rule("erf", 1, _np_erf_float,
         _unary("erf", lambda u: mul(num(2), power(PI, num(Fraction(-1, 2))),
                                     exp(neg(power(u, num(2)))))),
         _N("erf", latex="\\operatorname{erf}", python="_erf({0})"),
         bound=2 / math.sqrt(math.pi), saturates=True),
]

RULES: dict[str, Rule] = {r.name: r for r in _RULES}

#: Every spelling a parser may map to a rule name (the name itself included).
ALIASES: dict[str, str] = {}
for _r in _RULES:
    ALIASES[_r.name] = _r.name
    for _a in _r.aliases:
        ALIASES[_a] = _r.name


def lookup(name: str) -> Rule | None:
    """The rule a typed function name refers to (``arcsin`` -> ``asin``)."""
    canonical = ALIASES.get(name)
    return RULES.get(canonical) if canonical else None


def template(name: str, arity: int | None = None) -> tuple[Node, tuple[Node, ...]]:
    """``(f($0, ..), (∂f/∂$0, ..))``: the rule's forward node and partials
    over placeholder arguments, for code generators that evaluate the
    partials numerically.  ``arity`` is needed for the n-ary ``add``/``mul``."""
    rule = RULES[name]
    n = rule.arity if rule.arity >= 0 else (arity or 2)
    args = PLACEHOLDERS[:n]
    if name == "add":
        out = add(*args)
    elif name == "mul":
        out = mul(*args)
    elif name == "pow":
        out = raw("pow", *args)
    else:
        out = raw(name, *args)
    return out, tuple(rule.partial(args, i) for i in range(n))


def partials(node: Node) -> tuple[Node, ...]:
    """∂node/∂child for each child of ``node``, from the table."""
    rule = RULES[node.op]
    return tuple(rule.partial(node.args, i) for i in range(len(node.args)))

