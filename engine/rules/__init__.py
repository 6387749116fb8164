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
from chainlens.engine.core.ir import (
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
        # A rational exponent's v - 1 is folded at once (the node sub() gives).
        return mul(v, power(u, num(v.value - 1) if v.op == "num" else sub(v, ONE)))
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



# ==========================================================================
# TENSOR primitives and numerically stable forms (owned by the numeric path)
# ==========================================================================
#
# Tensor forwards take arrays that carry a leading *batch* axis (size 1 for
# a value shared by every point, B otherwise) followed by the per-point
# shape, and return the same layout.  Reductions (``sum``, ``mean``,
# ``logsumexp``) reduce every per-point axis to a scalar; ``softmax``
# normalises over the last axis.  ``matmul`` is the ``@`` of numpy on
# per-point vectors and matrices.
#
# Their derivatives are vector-Jacobian products (``extra["vjp"]``:
# ``vjp(g, out, *args) -> adjoint per arg``) and Jacobian-vector products
# (``extra["jvp"]``: ``jvp(out, args, tangents) -> tangent``) rather than
# element-wise partials, so ``partial`` is None: symbolic differentiation of
# tensor programs is out of scope.  ``extra["shape"]`` maps the per-point
# argument shapes to the result shape, raising ValueError with the words a
# ShapeError shows.


def _point_axes(u: np.ndarray) -> tuple[int, ...]:
    return tuple(range(1, np.ndim(u)))


def _expand_to(g: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A per-point scalar ``g`` (shape (B,)) broadcast over ``u``'s axes."""
    g = np.asarray(g).reshape(np.shape(g)[:1] + (1,) * (np.ndim(u) - 1))
    return np.broadcast_to(g, np.broadcast_shapes(g.shape, np.shape(u)))


def _np_matmul(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 2 and b.ndim == 2:  # vector . vector
        return np.sum(a * b, axis=-1)
    if a.ndim == 2:  # vector @ matrix
        return np.matmul(a[:, None, :], b)[:, 0, :]
    if b.ndim == 2:  # matrix @ vector
        return np.matmul(a, b[:, :, None])[..., 0]
    return np.matmul(a, b)


def _matmul_vjp(g, out, a, b):
    g, a, b = np.asarray(g), np.asarray(a), np.asarray(b)
    if a.ndim == 2 and b.ndim == 2:
        return g[:, None] * b, g[:, None] * a
    if a.ndim == 2:  # out[p] = sum_n a[n] b[n, p]
        return np.matmul(b, g[:, :, None])[..., 0], a[:, :, None] * g[:, None, :]
    if b.ndim == 2:  # out[m] = sum_n a[m, n] b[n]
        return g[:, :, None] * b[:, None, :], np.matmul(np.swapaxes(a, 1, 2), g[:, :, None])[..., 0]
    return np.matmul(g, np.swapaxes(b, 1, 2)), np.matmul(np.swapaxes(a, 1, 2), g)


def _matmul_jvp(out, args, tangents):
    # Bilinear: d(a@b) = da@b + a@db.
    (a, b), (da, db) = args, tangents
    return _np_matmul(da, b) + _np_matmul(a, db)


def _matmul_shape(sa: tuple[int, ...], sb: tuple[int, ...]) -> tuple[int, ...]:
    def show(s):
        return "[" + ", ".join(map(str, s)) + "]" if s else "a scalar"

    if not 1 <= len(sa) <= 2 or not 1 <= len(sb) <= 2:
        raise ValueError(f"@ takes vectors or matrices, got {show(sa)} @ {show(sb)}")
    if sa[-1] != sb[0]:
        raise ValueError(
            f"@ needs the inner sizes to agree, got {show(sa)} @ {show(sb)} "
            f"({sa[-1]} ≠ {sb[0]})"
        )
    return sa[:-1] + sb[1:]


def _np_sum(u):
    return np.sum(u, axis=_point_axes(u))


def _np_mean(u):
    return np.mean(u, axis=_point_axes(u))


def _sum_vjp(g, out, u):
    return (_expand_to(g, u),)


def _mean_vjp(g, out, u):
    n = max(1, int(np.prod(np.shape(u)[1:])))
    return (_expand_to(np.asarray(g) / n, u),)


def _np_softmax(u):
    u = np.asarray(u)
    e = np.exp(u - np.max(u, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_vjp(g, s, u):
    # J = diag(s) - s s^T, symmetric: J g = s (g - <s, g>).
    return (s * (g - np.sum(g * s, axis=-1, keepdims=True)),)


def _softmax_jvp(s, args, tangents):
    t = tangents[0]
    return s * (t - np.sum(s * t, axis=-1, keepdims=True))


def _softmax_shape(s: tuple[int, ...]) -> tuple[int, ...]:
    if not s:
        raise ValueError("softmax needs a vector or matrix (it normalises the last axis), "
                         "got a scalar")
    return s


def _np_logsumexp(u):
    u = np.asarray(u)
    axes = _point_axes(u)
    if not axes:
        return u.copy()
    m = np.max(u, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)  # all -inf: log(0) = -inf, not NaN
    return np.log(np.sum(np.exp(u - m), axis=axes)) + m.reshape(m.shape[:1])


def _logsumexp_vjp(g, out, u):
    # d lse / du = softmax(u) over every per-point axis.
    return (_expand_to(g, u) * np.exp(np.asarray(u) - _expand_to(out, u)),)


def _logsumexp_jvp(out, args, tangents):
    u, t = args[0], tangents[0]
    return np.sum(np.exp(np.asarray(u) - _expand_to(out, u)) * t, axis=_point_axes(u))


def _reduce_shape(s: tuple[int, ...]) -> tuple[int, ...]:
    return ()


def _tensor(name, arity, forward, vjp, jvp, shape, notation, **kw) -> Rule:
    return Rule(name, arity, forward, None, notation, kind="tensor",
                extra={"vjp": vjp, "jvp": jvp, "shape": shape}, **kw)


_TENSOR_RULES: list[Rule] = [
    _tensor("matmul", 2, _np_matmul, _matmul_vjp, _matmul_jvp, _matmul_shape,
            _N("@", "@", "\\,", "{0} @ {1}")),
    _tensor("sum", 1, _np_sum, _sum_vjp,
            lambda out, args, t: _np_sum(t[0]), _reduce_shape,
            _N("sum", "Σ", "\\sum", "np.sum({0})"), bound=1.0),
    _tensor("mean", 1, _np_mean, _mean_vjp,
            lambda out, args, t: _np_mean(t[0]), _reduce_shape,
            _N("mean", latex="\\operatorname{mean}", python="np.mean({0})"), bound=1.0),
    _tensor("softmax", 1, _np_softmax, _softmax_vjp, _softmax_jvp, _softmax_shape,
            _N("softmax", latex="\\operatorname{softmax}", python="softmax({0})"),
            bound=0.5, saturates=True),
    _tensor("logsumexp", 1, _np_logsumexp, _logsumexp_vjp, _logsumexp_jvp, _reduce_shape,
            _N("logsumexp", latex="\\operatorname{LSE}", python="logsumexp({0})"), bound=1.0),
]

# Stable scalar primitives the numeric path rewrites textbook forms into
# (see ``stable_form``); users may also call them by name.
_STABLE_RULES: list[Rule] = [
    Rule("log1p", 1, np.log1p, _unary("log1p", lambda u: power(add(ONE, u), NEG_ONE)),
         _N("log1p", latex="\\operatorname{log1p}"), bound=math.inf,
         domain=(Condition(">", add(U, ONE), "u > -1"),)),
    Rule("expm1", 1, np.expm1, _unary("expm1", exp), _N("expm1", latex="\\operatorname{expm1}"),
         bound=math.inf),
]

for _r in (*_TENSOR_RULES, *_STABLE_RULES):
    RULES[_r.name] = _r
    ALIASES[_r.name] = _r.name
    for _a in _r.aliases:
        ALIASES[_a] = _r.name


def _one_plus(node: Node) -> Node | None:
    """``u`` when ``node`` is ``1 + u``."""
    if node.op == "add" and node.args[0].op == "num" and node.args[0].value == 1:
        rest = node.args[1:]
        return rest[0] if len(rest) == 1 else add(*rest)
    return None


def stable_form(node: Node) -> Node | None:
    """The numerically stable primitive equal to ``node``, or None.

    The numeric path evaluates (and differentiates) the returned node in
    place of ``node``: equal in exact arithmetic, but without the overflow
    and cancellation of the textbook spelling.

    * ``1/(1 + exp(-u))`` -> ``sigmoid(u)`` (``exp(-u)`` overflows for u << 0)
    * ``log(1 + exp(u))`` -> ``softplus(u)`` (overflows for u >> 0)
    * ``log(sum(exp(u)))`` -> ``logsumexp(u)`` (shifts by the maximum)
    * ``log(1 + u)`` -> ``log1p(u)``, ``exp(u) - 1`` -> ``expm1(u)`` (cancellation near 0)
    """
    if node.op == "pow" and node.args[1].op == "num" and node.args[1].value == -1:
        u = _one_plus(node.args[0])
        if u is not None and u.op == "exp":
            return raw("sigmoid", neg(u.args[0]))
    if node.op == "log":
        arg = node.args[0]
        if arg.op == "sum" and arg.args[0].op == "exp":
            return raw("logsumexp", arg.args[0].args[0])
        u = _one_plus(arg)
        if u is not None:
            return raw("softplus", u.args[0]) if u.op == "exp" else raw("log1p", u)
    if (node.op == "add" and len(node.args) == 2 and node.args[0].op == "num"
            and node.args[0].value == -1 and node.args[1].op == "exp"):
        return raw("expm1", node.args[1].args[0])
    return None


#: Spellings for kernels that run one point at a time on IEEE doubles (the
#: fused Python-float and numba loops), where they differ from the array
#: spelling in ``notation.python``.  ``1/(1 + exp(-u))`` is stable for a
#: scalar (``exp(-u)`` overflows to inf and ``1/inf`` is 0, no NaN) and
#: costs one ``exp`` instead of a ``tanh``, about four times slower in libm.
SCALAR_FORMS: dict[str, str] = {
    "sigmoid": "(1.0 / (1.0 + np.exp(-{0})))",
}
