"""The canonicalising constructors of the expression DAG.

Nodes (:mod:`chainlens.engine.core.nodes`) are interned; the constructors
here decide *which* node an expression is.

Node kinds (``op``):

``num``  an exact rational constant (``value`` is a :class:`Fraction`);
``sym``  a variable (``value`` is its name);
``pi``   the constant pi (Euler's number is ``exp(1)``);
``add``, ``mul``  n-ary, flattened, canonically ordered;
``pow``  ``base ** exponent``;
any other op is a primitive declared in :mod:`chainlens.engine.rules`.

The constructors below (``add``, ``mul``, ``power``, ``call``...) apply the
light, always-valid canonicalisation that SymPy applies on construction:
flattening, constant folding, collecting ``2x + 3x -> 5x`` and
``x * x^2 -> x^3``, and sorting operands.  That is why ``1/(1+exp(-x))`` and
``\\frac{1}{1+e^{-x}}`` come out as one node whatever order the terms were
written in.  Heavier rewriting (tan, factoring, trig identities) lives in
:mod:`chainlens.engine.symbolic.simplify`.  Python's arithmetic operators on
nodes (``x + 1``, ``-x``, ``x ** 2``) are these constructors, attached to
:class:`~chainlens.engine.core.nodes.Node` at the end of this module
(:mod:`chainlens.engine.core` imports it, so every node has them).

Traversals (postorder, substitute...) are in :mod:`chainlens.engine.core.walk`;
exact rational folding in :mod:`chainlens.engine.core.fold`.

Source positions are *not* stored on nodes: one node can be written in many
places.  Parsers return a source map (node -> spans) beside the node.
"""

from __future__ import annotations

from fractions import Fraction
from operator import attrgetter

from chainlens.engine.core.fold import fold_power
from chainlens.engine.core.nodes import HALF, NEG_ONE, ONE, ZERO, E, Node, make, num

__all__ = ["add", "sub", "neg", "mul", "div", "power", "sqrt", "call"]


# --------------------------------------------------------------------------
# Sums
# --------------------------------------------------------------------------


def _small(value: Fraction) -> int | Fraction:
    """An integral rational as an int, for cheap arithmetic."""
    return value.numerator if value.denominator == 1 else value


def _split_coeff(term: Node) -> tuple[int | Fraction, Node]:
    """``3*x*y -> (3, x*y)``; ``x -> (1, x)``."""
    if term.op == "mul" and term.args[0].op == "num":
        rest = term.args[1:]
        return _small(term.args[0].value), rest[0] if len(rest) == 1 else make("mul", rest, None)
    return 1, term


#: A sum with more operands than this is not flattened into an enclosing
#: one but stays one operand of it.  Flattening copies every operand, so a
#: residual chain ``a = f(a) + a`` of n layers would hold n^2/2 operand
#: references (a 10,000-layer one: 50 million, a minute of CPU); capped, it
#: is linear.  Sums this long are never a textbook form, and a sum kept
#: whole is still the same value (only like terms across the boundary stay
#: apart).  Products stay flat: the chain rule's product of a deep chain's
#: factors must be one canonical node however it was grouped.
FLATTEN_MAX = 64


def add(*terms: Node) -> Node:
    """The sum of ``terms``: flattened (operand sums up to
    :data:`FLATTEN_MAX` long), constants folded, like terms collected
    (``2x + 3x -> 5x``), operands in canonical order."""
    # Integer coefficients stay Python ints while they can: Fraction
    # arithmetic is pure Python and dominated the constructors' cost.
    constant: int | Fraction = 0
    coeffs: dict[Node, int | Fraction] = {}
    stack = list(reversed(terms))
    while stack:
        term = stack.pop()
        op = term.op
        if op == "add" and len(term.args) <= FLATTEN_MAX:
            stack.extend(reversed(term.args))
        elif op == "num":
            constant += _small(term.value)
        else:
            c, rest = _split_coeff(term)
            old = coeffs.get(rest)
            coeffs[rest] = c if old is None else old + c
    out = [_scale(c, rest) for rest, c in coeffs.items() if c != 0]
    if constant != 0 or not out:
        out.append(num(constant))
    if len(out) == 1:
        return out[0]
    out.sort(key=_key)
    return make("add", tuple(out), None)


#: A node's canonical sort key, read in C (sorting calls it once per operand).
_key = attrgetter("sort_key")


def _scale(c: int | Fraction, rest: Node) -> Node:
    if c == 1:
        return rest
    if rest.op == "mul":
        return make("mul", (num(c), *rest.args), None)
    return make("mul", (num(c), rest), None)


def neg(x: Node) -> Node:
    """``-x``, stored as ``(-1)*x``."""
    return mul(NEG_ONE, x)


def sub(a: Node, b: Node) -> Node:
    """``a - b``, stored as ``a + (-1)*b``."""
    return add(a, neg(b))


# --------------------------------------------------------------------------
# Products and powers
# --------------------------------------------------------------------------


def _split_power(factor: Node) -> tuple[Node, Node]:
    if factor.op == "pow":
        return factor.args[0], factor.args[1]
    return factor, ONE


def mul(*factors: Node) -> Node:
    """The product of ``factors``: flattened, constants folded, equal bases
    merged (``x * x^2 -> x^3``, ``x * x^-1 -> 1``), canonical order."""
    # The coefficient is kept as an int numerator and denominator and made a
    # Fraction once at the end: Fraction arithmetic is pure Python and each
    # product normalises (exact either way).
    cn = cd = 1
    exps: dict[Node, list[Node]] = {}
    stack = list(reversed(factors))
    while stack:
        f = stack.pop()
        op = f.op
        if op == "mul":
            stack.extend(reversed(f.args))
        elif op == "num":
            v = f.value
            cn *= v.numerator
            cd *= v.denominator
        else:
            base, exp = _split_power(f)
            seen = exps.get(base)
            if seen is None:
                exps[base] = [exp]
            else:
                seen.append(exp)
    if cn == 0:
        return ZERO
    out: list[Node] = []
    for base, exp_list in exps.items():
        if len(exp_list) == 1:
            exp = exp_list[0]
            if exp is ONE:  # a plain factor: power(base, 1) is base
                out.append(base)
                continue
        else:
            exp = add(*exp_list)
        p = power(base, exp)
        if p.op == "num":
            cn *= p.value.numerator
            cd *= p.value.denominator
        elif p.op == "mul":
            # power() may distribute; fold its numeric part in.
            for part in p.args:
                if part.op == "num":
                    cn *= part.value.numerator
                    cd *= part.value.denominator
                else:
                    out.append(part)
        else:
            out.append(p)
    if cn == 0:
        return ZERO
    coeff = num(cn) if cd == 1 else num(Fraction(cn, cd))
    if not out:
        return coeff
    out.sort(key=_key)
    if coeff is not ONE:
        out.insert(0, coeff)
    if len(out) == 1:
        return out[0]
    return make("mul", tuple(out), None)


def div(a: Node, b: Node) -> Node:
    """``a / b``, stored as ``a * b^-1``."""
    if b.op == "num":
        q = b.value
        if q.numerator == 0:
            return mul(a, make("pow", (b, NEG_ONE), None))
        # 1/q from its numerator and denominator (Fraction division is slow Python)
        return mul(num(Fraction(q.denominator, q.numerator)), a)
    return mul(a, power(b, NEG_ONE))


def power(base: Node, exp: Node) -> Node:
    """``base ^ exp`` with the rewrites that hold for every real value:
    ``x^0 = 1``, ``x^1 = x``, ``1^x = 1``, exact folding of rationals,
    ``(x^a)^n = x^(a n)`` and ``(x y)^n = x^n y^n`` for integer ``n``."""
    if exp.op == "num":
        if exp is ZERO:  # constants are interned: identity is equality
            return ONE
        if exp is ONE:
            return base
        e = exp.value
        if base.op == "num":
            folded = fold_power(base.value, e)
            if folded is not None:
                return num(folded)
            return make("pow", (base, exp), None)
        if e.denominator == 1:
            if base.op == "pow":
                return power(base.args[0], mul(base.args[1], exp))
            if base.op == "mul":
                return mul(*(power(f, exp) for f in base.args))
    if base.op == "num" and base.value == 1:
        return ONE
    if base is E:
        # e^u is exp(u) in every notation the parser reads; keep one form.
        return call("exp", exp)
    return make("pow", (base, exp), None)


def sqrt(x: Node) -> Node:
    """``x^(1/2)``: square roots are powers, printed back as roots."""
    return power(x, HALF)


def call(op: str, *args: Node) -> Node:
    """Apply the primitive ``op`` from the rules table to ``args``.

    ``add``/``mul``/``pow`` are routed to their constructors; every other op
    must be declared in :mod:`chainlens.engine.rules` with matching arity.
    """
    if op == "add":
        return add(*args)
    if op == "mul":
        return mul(*args)
    if op == "pow":
        return power(*args)
    from chainlens.engine.rules import RULES  # late: rules builds nodes

    rule = RULES.get(op)
    if rule is None:
        raise KeyError(f"unknown primitive {op!r}")
    if rule.arity >= 0 and len(args) != rule.arity:
        raise TypeError(f"{op} takes {rule.arity} argument(s), got {len(args)}")
    if rule.canonical is not None:
        return rule.canonical(*args)
    return make(op, tuple(args), None)


def _coerce(value) -> Node:
    if isinstance(value, Node):
        return value
    if isinstance(value, (int, Fraction)):
        return num(value)
    raise TypeError(f"cannot use {type(value).__name__} in an expression; use num()")


def _operators() -> dict:
    """Python's arithmetic operators on nodes, for building expressions in
    Python code and tests: each is one constructor."""
    return {
        "__add__": lambda a, b: add(a, _coerce(b)),
        "__radd__": lambda a, b: add(_coerce(b), a),
        "__sub__": lambda a, b: sub(a, _coerce(b)),
        "__rsub__": lambda a, b: sub(_coerce(b), a),
        "__mul__": lambda a, b: mul(a, _coerce(b)),
        "__rmul__": lambda a, b: mul(_coerce(b), a),
        "__truediv__": lambda a, b: div(a, _coerce(b)),
        "__rtruediv__": lambda a, b: div(_coerce(b), a),
        "__pow__": lambda a, b: power(a, _coerce(b)),
        "__rpow__": lambda a, b: power(_coerce(b), a),
        "__neg__": neg,
    }


for _name, _method in _operators().items():
    setattr(Node, _name, _method)
