"""print -> parse gives back the same node, for every printer the parser
reads: plain text, LaTeX, and Python/numpy source."""

from pathlib import Path

import pytest
from chainlens.engine.core.ir import add, call, div, mul, neg, power, sqrt
from chainlens.engine.core.nodes import PI, E, num, sym
from chainlens.engine.core.walk import postorder
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.printing import to_latex, to_python, to_text
from chainlens.engine.rules import RULES
from hypothesis import example, given
from printing_strategies import BINARY, UNARY, expressions

x, y = sym("x"), sym("y")

def _read_back_as_itself(op: str) -> bool:
    args = (x, y)[: RULES[op].arity]
    node = call(op, *args)
    return parse_expr(to_text(node)) is node


#: Primitives the parser produces from their own name.  The table also has
#: forms the parser rewrites on reading (log1p(x) reads as log(1 + x)).
READABLE = frozenset(op for op in (*UNARY, *BINARY) if _read_back_as_itself(op))


def _no_power_of_e(node) -> bool:
    # The parser reads e^u as exp(u) in every notation, so pow(exp(1), u)
    # (which mul(e, e) builds) is not a node any text parses to.
    return not any(n.op == "pow" and n.args[0] is E for n in postorder(node))


#: Primitives whose numpy template is a plain call the parser reads back as
#: the same primitive.  The others print as numerically equal numpy
#: expressions (sigmoid as 0.5*(1 + tanh(x/2)), relu as np.maximum(x, 0.0),
#: step as np.where...), which parse to different nodes by design.
PYTHON_ROUND_TRIP = frozenset(
    {"sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh",
     "atanh", "exp", "log", "log2", "log10", "cbrt", "abs", "sign", "max", "min"}
)

CORNERS = [
    neg(power(x, num(2))),
    power(num(-2), x),
    power(x, power(y, x)),
    power(power(x, y), x),
    div(x, num(3)),
    div(num(1), sqrt(add(num(1), neg(power(x, num(2)))))),
    mul(num(2), PI, x),
    div(call("exp", neg(x)), power(add(num(1), call("exp", neg(x))), num(2))),
    mul(num(-1), add(x, y)),
    call("sigmoid", add(x, num(1))),
    mul(sym("w_1"), sym("theta")),
    mul(E, power(mul(sym("theta"), sym("z")), PI)),  # e before a bracket is no call
]


@pytest.mark.parametrize("node", CORNERS, ids=to_text)
def test_text_corners_round_trip(node):
    assert parse_expr(to_text(node)) is node


@pytest.mark.parametrize("node", CORNERS, ids=to_text)
def test_latex_corners_round_trip(node):
    assert parse_expr(to_latex(node)) is node


@given(expressions(READABLE).filter(_no_power_of_e))
@example(neg(power(x, num(2))))
def test_text_round_trips(expr):
    assert parse_expr(to_text(expr)) is expr


@given(expressions(READABLE).filter(_no_power_of_e))
def test_latex_round_trips(expr):
    assert parse_expr(to_latex(expr)) is expr


@given(expressions(PYTHON_ROUND_TRIP & READABLE).filter(_no_power_of_e))
def test_python_round_trips(expr):
    assert parse_expr(to_python(expr)) is expr


SEED = Path(__file__).resolve().parents[2] / "examples" / "seed-derivatives.tsv"


def _plain_seed_answers() -> list[str]:
    if not SEED.exists():
        return []
    rows = [line.rstrip("\n").split("\t") for line in SEED.read_text().splitlines()
            if line and not line.startswith("#")]
    # the ASCII rows (the LaTeX and numpy rows repeat them in other notations)
    return [r[2] for r in rows if not set("\\{") & set(r[0]) and "np." not in r[0]]


@pytest.mark.parametrize("answer", _plain_seed_answers())
def test_the_seed_articles_answers_print_as_the_article_writes_them(answer):
    assert to_text(parse_expr(answer)) == answer
