"""The derivation behind a derivative, as data.

:func:`build_steps` reads the trace that :mod:`chainlens.engine.symbolic.chain`
left while it computed the derivative (which arguments depended on the
variable, which partials it took from the rules table) and lays it out the
way a teacher explains it: outside-in, one level of composition per step,
each step naming its rule, the outer function as a template over a fresh
letter (``sin(u)``), what the letter stands for (``u = e^{x^2}``), the
outer derivative evaluated there (``cos(e^{x^2})``) and the inner
derivative still to find (``u'``), which the next step finds.  A final
"combine" step puts the pieces together and a "simplify" step names the
rewrites that gave the printed answer, so the last step's result is the
result.  Logarithmic differentiation (``x^x``, ``x^sin(x)``) is laid out
as a textbook does it: ``y = u^v``, ``ln y = v·ln u``, both sides
differentiated by the product rule (``y'/y``, with the inner derivatives
nested under it), then ``y' = y·(y'/y)``; every line is read off the
power node's two partials in the trace.  Nothing here differentiates
anything.

A deep DAG would give thousands of steps; the list is capped at
:data:`MAX_STEPS` and the rest is summarised in one step that counts them
by rule and function.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from chainlens.engine.core.ir import add, mul, power
from chainlens.engine.core.nodes import NEG_ONE, Node, num, raw, sym
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.rules import RULES
from chainlens.engine.symbolic.chain import materialize

__all__ = ["Step", "Factor", "build_steps", "MAX_STEPS"]

#: Derivation steps shown per derivative before the rest are summarised.
MAX_STEPS = 24
_LETTERS = ("u", "v", "w", "t", "s", "p", "q", "r")


@dataclass(frozen=True)
class Factor:
    """One piece of a step: ``role`` says what it is (``"outer'"``: the
    outer derivative at the inner function; ``"inner'"``: the inner
    derivative; ``"term'"``: a term's derivative in a sum;
    ``"partial"``: the factor a product or power rule multiplies ``of``'s
    derivative by), ``of`` the sub-expression it belongs to."""

    role: str
    of: Node
    value: Node | None


@dataclass(frozen=True)
class Step:
    """One rule applied to one sub-expression.

    ``rule``: ``variable constant known chain sum constant-multiple product
    quotient power exponential log-diff combine simplify repeat``.
    ``outer``/``outer_derivative`` are templates over the letter ``u``;
    ``inner`` is what ``u`` stands for.  ``result`` is d``expr``/d``wrt``
    as computed (None only for a ``repeat`` summary)."""

    rule: str
    expr: Node
    wrt: str
    result: Node | None
    depth: int = 0
    u: Node | None = None
    outer: Node | None = None
    outer_derivative: Node | None = None
    inner: Node | None = None
    factors: tuple[Factor, ...] = ()
    uses: tuple[str, ...] = ()
    note: str = ""
    #: Which line of a several-line rule this is (logarithmic
    #: differentiation: ``"logarithm"``, ``"both-sides"``, ``"solve"``).
    part: str = ""


# --------------------------------------------------------------------------
# From the trace to steps
# --------------------------------------------------------------------------


def build_steps(expr: Node, wrt: str, raw: Node, fwd, simplified: Node,
                rewrites: tuple[str, ...]) -> list[Step]:
    """The steps of one differentiation pass (see the module docstring)."""
    var = sym(wrt)
    taken = set(free_symbols(expr))
    letters = [sym(n) for n in _LETTERS if n not in taken] or [sym("u₀")]
    out: list[Step] = []
    skipped: Counter = Counter()
    seen: set[Node] = set()
    # Work items: a sub-expression to explain at a depth, or a step that
    # concludes one (it waits under its sub-steps on the stack).
    stack: list[tuple[Node, int] | Step] = [(expr, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, Step):
            if len(out) >= MAX_STEPS:
                skipped[(item.rule, item.expr.op)] += 1
            else:
                out.append(item)
            continue
        node, depth = item
        if node in seen:
            continue
        seen.add(node)
        trace = fwd.trace.get(node)
        if trace is None:
            if node is expr:
                rule = "variable" if node is var else "constant"
                out.append(Step(rule, node, wrt, materialize(fwd.d.get(node, raw))))
            continue
        rule = _classify(node, trace, var)
        quotient = _quotient_parts(node, trace) if rule == "quotient" else None
        kids = quotient[1:] if quotient is not None else [node.args[i] for i in trace.dep]
        children = [k for k in kids if k is not var and k in fwd.trace]
        if rule == "log-diff":
            first, both_sides, solve = _log_diff(node, trace, fwd, wrt, depth)
            stack.append(solve)
            for child in reversed(children):
                stack.append((child, depth + 2))
            if len(out) >= MAX_STEPS:
                skipped[(rule, node.op)] += 2
                continue
            out.extend((first, both_sides))
            continue
        for child in reversed(children):
            stack.append((child, depth + 1))
        if len(out) >= MAX_STEPS:
            skipped[(rule, node.op)] += 1
            continue
        if quotient is not None:
            out.append(_quotient_step(node, quotient, fwd, wrt, depth))
            continue
        out.append(_step(node, trace, fwd, var, wrt, depth, letters[depth % len(letters)]))
    if skipped:
        total = sum(skipped.values())
        parts = ", ".join(f"{n} × {rule} ({op})" for (rule, op), n in skipped.most_common())
        out.append(Step("repeat", expr, wrt, None,
                        note=f"{total} more steps of the same rules: {parts}"))
    last = out[-1]
    if last.part == "solve" and last.expr is expr:
        # Logarithmic differentiation of the whole expression ends in
        # y' = y·(y'/y), already d/dx of all of it: nothing to put together.
        if last.result is not simplified:
            out.append(Step("simplify", last.result, wrt, simplified, uses=tuple(rewrites)))
        return out
    if len(out) > 1:
        out.append(Step("combine", expr, wrt, raw))
    if simplified is not raw:
        out.append(Step("simplify", raw, wrt, simplified, uses=tuple(rewrites)))
    return out


def _log_diff(node: Node, trace, fwd, wrt: str, depth: int) -> tuple[Step, Step, Step]:
    """Logarithmic differentiation of ``y = u^v`` as a textbook writes it,
    read off the chain rule's own partials at this node (nothing is
    differentiated again): ``ln y = v·ln u``; both sides' derivatives,
    ``y'/y = v'·ln u + v·u'/u``, which is ``(∂y/∂u·u' + ∂y/∂v·v')/y``; and
    ``y' = y·(y'/y)``."""
    u, v = node.args
    du, dv = _d(fwd, u), _d(fwd, v)
    p_u, p_v = trace.partials  # v·u^(v-1) and u^v·ln u, from the table
    inverse = power(node, NEG_ONE)
    ratio = add(mul(p_u, du, inverse), mul(p_v, dv, inverse))  # y'/y
    log_u = raw("log", u)
    log_y = mul(v, log_u)
    # (ln u)' = u'/u: the table's derivative of log, at u, times u'.
    dlog_u = mul(RULES["log"].partial((u,), 0), du)
    factors = tuple(Factor("partial", a, p) for a, p in zip(node.args, trace.partials,
                                                              strict=True))
    factors += (Factor("term'", u, du), Factor("term'", v, dv))
    first = Step("log-diff", node, wrt, _d(fwd, node), depth, inner=log_y, factors=factors,
                 uses=("product",), part="logarithm",
                 note="y = u^v: ln y = v·ln u, so y'/y = v'·ln u + v·u'/u")
    both_sides = Step("product", log_y, wrt, ratio, depth + 1,
                      factors=(Factor("term'", v, dv), Factor("term'", log_u, dlog_u)),
                      part="both-sides")
    solve = Step("log-diff", node, wrt, mul(node, ratio), depth, inner=ratio, part="solve")
    return first, both_sides, solve


def _quotient_parts(node: Node, trace) -> tuple[Node, Node, Node] | None:
    """``c·f/g`` as ``(c, f, g)`` when one dependent factor is ``g^-1`` and
    one other is ``f`` (the quotient rule as a student learns it), else None
    (``x·sin(x)/(x + 1)`` is laid out as the product rule)."""
    dep = set(trace.dep)
    if len(dep) != 2:
        return None
    f = g = None
    for i in dep:
        a = node.args[i]
        if a.op == "pow" and a.args[1] is NEG_ONE:
            g = a.args[0]
        else:
            f = a
    if f is None or g is None:
        return None
    c = mul(*(a for i, a in enumerate(node.args) if i not in dep))
    return c, f, g


def _quotient_step(node: Node, parts: tuple[Node, Node, Node], fwd, wrt: str,
                   depth: int) -> Step:
    """``(f/g)' = (f'g − fg')/g²``, its result built from the two inner
    derivatives the chain rule computed (equal to the product-rule form)."""
    c, f, g = parts
    df, dg = _d(fwd, f), _d(fwd, g)
    result = mul(c, add(mul(df, g), mul(NEG_ONE, f, dg)), power(g, num(-2)))
    factors = (Factor("numerator", f, df), Factor("denominator", g, dg))
    return Step("quotient", node, wrt, result, depth, factors=factors, inner=c,
                note="(f/g)′ = (f′g − fg′)/g²")


def _classify(node: Node, trace, var: Node) -> str:
    args, dep = node.args, trace.dep
    if node.op == "add":
        return "sum"
    if node.op == "mul":
        if len(dep) == 1:
            return "constant-multiple"
        negative = [i for i in dep if args[i].op == "pow" and args[i].args[1].op == "num"
                    and args[i].args[1].value < 0]
        return "quotient" if negative and len(negative) < len(dep) else "product"
    if node.op == "pow":
        if len(dep) == 2:
            return "log-diff"
        inner = args[dep[0]]
        if inner is var:
            return "power" if dep[0] == 0 else "exponential"
        return "chain"
    if len(dep) > 1:
        # max(x, x^2), atan2(x, x^2): every dependent argument has its term
        return "multivariable-chain"
    if len(dep) == 1 and args[dep[0]] is var:
        return "known"
    return "chain"


def _step(node: Node, trace, fwd, var: Node, wrt: str, depth: int, u: Node) -> Step:
    rule = _classify(node, trace, var)
    result = materialize(fwd.d[node])
    args = node.args
    if rule in ("sum", "constant-multiple", "product", "quotient", "log-diff",
                "multivariable-chain"):
        factors = tuple(
            Factor("partial", args[i], p) for i, p in zip(trace.dep, trace.partials, strict=True)
        ) + tuple(Factor("term'", args[i], _d(fwd, args[i])) for i in trace.dep)
        uses = ("power",) if rule == "quotient" else ()
        note = ""
        if rule == "quotient":
            note = "a quotient f/g is f·g⁻¹: the product rule with the power rule on g⁻¹"
        if rule == "log-diff":
            note = "y = u^v: log y = v·log u, so y' = y·(v'·log u + v·u'/u)"
            uses = ("product",)
        if rule == "multivariable-chain":
            note = "f(u, v)' = ∂f/∂u·u' + ∂f/∂v·v'"
        return Step(rule, node, wrt, result, depth, factors=factors, uses=uses, note=note)
    # One argument depends on the variable: an outer function of an inner one.
    i = trace.dep[0]
    inner = args[i]
    with_u = tuple(u if j == i else a for j, a in enumerate(args))
    outer = _raw_like(node, with_u)
    outer_d = RULES[node.op].partial(with_u, i)
    uses = ()
    if rule == "chain":
        uses = ("power",) if node.op == "pow" and i == 0 else \
            ("exponential",) if node.op == "pow" else ("known",)
    factors = (Factor("outer'", inner, trace.partials[0]),
               Factor("inner'", inner, _d(fwd, inner)))
    return Step(rule, node, wrt, result, depth, u=u, outer=outer, outer_derivative=outer_d,
                inner=inner, factors=factors, uses=uses)


def _raw_like(node: Node, args: tuple[Node, ...]) -> Node:
    return raw(node.op, *args)


def _d(fwd, node: Node) -> Node:
    return materialize(fwd.d[node])
