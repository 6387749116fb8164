"""Static gradient health: sound intervals, sound derivative bounds, and the
known cases (deep sigmoid vanishes, deep ReLU does not, residual fixes it,
an exp tower explodes, shallow programs are left alone)."""

import math

import numpy as np
import pytest
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import sym
from chainlens.engine.health.analysis import Thresholds, analyze
from chainlens.engine.health.bounds import backward_bounds, local_bound
from chainlens.engine.health.intervals import forward_intervals, interval_of
from chainlens.engine.language.reader import parse
from chainlens.engine.rules import RULES
from hypothesis import given, settings
from hypothesis import strategies as st

STATIC = Thresholds(measure=False)


def chain(act: str, layers: int = 50, body: str | None = None, weights="[-1, 1]",
          biases="[-1, 1]") -> str:
    """A 50-layer scalar network: ``z_k = w_k a + b_k; a = act(z_k)``."""
    body = body or f"a = {act}(z_k)"
    return (f"input x in [-1, 1]\ninput y in [0, 1]\na = x\nrepeat k in 1..{layers} {{\n"
            f"  param w_k in {weights}\n  param b_k in {biases}\n  z_k = w_k * a + b_k\n"
            f"  {body}\n}}\nL = (a - y)^2\n")


# ---- intervals and local bounds are sound (checked by sampling) ------------------------

#: op -> interval of arguments inside which it is defined and smooth
UNARY = {
    "sin": (-10, 10), "cos": (-10, 10), "tan": (-1.5, 1.5), "exp": (-5, 5),
    "log": (0.01, 10), "sqrt": (0.01, 10), "sigmoid": (-10, 10), "tanh": (-5, 5),
    "atan": (-5, 5), "sinh": (-4, 4), "cosh": (-4, 4), "asinh": (-5, 5),
    "relu": (-3, 3), "softplus": (-5, 5), "erf": (-3, 3), "abs": (-3, 3),
    "asin": (-0.99, 0.99), "acos": (-0.99, 0.99), "atanh": (-0.99, 0.99),
    "acosh": (1.01, 5), "cbrt": (0.1, 5), "log1p": (-0.9, 5),
}


@pytest.mark.parametrize("op", sorted(UNARY))
@settings(max_examples=15)
@given(data=st.data())
def test_interval_and_derivative_bound_contain_every_sample(op, data):
    lo_d, hi_d = UNARY[op]
    a = data.draw(st.floats(lo_d, hi_d))
    b = data.draw(st.floats(lo_d, hi_d))
    lo, hi = min(a, b), max(a, b)
    u = sym("u")
    node = call(op, u)
    iv = {u: (lo, hi)}
    ilo, ihi = interval_of(node, iv)
    xs = np.linspace(lo, hi, 201)
    f = RULES[op].forward
    ys = f(xs)
    assert np.all(ys >= ilo - 1e-9 * (1 + abs(ilo))) and np.all(ys <= ihi + 1e-9 * (1 + abs(ihi)))
    # the derivative bound against central differences, an independent oracle
    h = 1e-6
    inner = xs[(xs - h > lo_d) & (xs + h < hi_d)]
    if op in ("relu", "abs"):  # no derivative at the kink
        inner = inner[np.abs(inner) > 2 * h]
    slopes = np.abs((f(inner + h) - f(inner - h)) / (2 * h))
    bound = local_bound(node, 0, iv).value
    assert np.all(slopes <= bound * (1 + 1e-4) + 1e-6)


@pytest.mark.parametrize(("op", "lo", "hi", "expected"), [
    ("sigmoid", -50.0, 50.0, 0.25),      # the rule's sup |f'|
    ("sigmoid", 3.0, 5.0, 0.047),        # tighter inside the saturated tail
    ("tanh", -50.0, 50.0, 1.0),
    ("relu", -2.0, -1.0, 0.0),           # a dead ReLU passes nothing
    ("exp", -1.0, 1.0, math.e),
    ("sin", -1.0, 1.0, 1.0),
])
def test_local_bound_table(op, lo, hi, expected):
    u = sym("u")
    assert local_bound(call(op, u), 0, {u: (lo, hi)}).value == pytest.approx(expected, rel=0.05)


# ---- path bounds dominate the true gradient ------------------------------------------------

PROGRAMS = [
    "input x in [-1, 1]\nL = sin(x^2) * exp(x)",
    "input x in [-2, 2]\ninput w in [-1, 1]\nz = w*x + 1\nL = tanh(z)^2 + z",
    "input x in [0.5, 2]\nL = log(x) * sqrt(x) + 1/x",
    "input x in [-1, 1]\na = sigmoid(3x)\nb = a * x\nL = b^3 - a",
    chain("sigmoid", 5),
    chain("relu", 5),
]


@pytest.mark.parametrize("source", PROGRAMS)
def test_bound_is_at_least_the_finite_difference_gradient(source):
    program = parse(source)
    ranges = {d.name: (float(d.range[0]), float(d.range[1])) for d in program.declarations
              if d.range is not None}
    iv = forward_intervals(program, ranges)
    output = program.outputs[0]
    bounds = backward_bounds(program, output, iv)
    rng = np.random.default_rng(1)
    expr = program.expanded(output)
    for name in program.inputs:
        for _ in range(25):
            point = {n: rng.uniform(*ranges[n]) for n in program.inputs}
            h = 1e-6 * max(1.0, abs(point[name]))
            up, down = dict(point), dict(point)
            up[name] += h
            down[name] -= h
            slope = (_eval(expr, up) - _eval(expr, down)) / (2 * h)
            assert abs(slope) <= bounds[name].value * (1 + 1e-4) + 1e-6


def _eval(expr, point):
    from chainlens.engine.symbolic.values import value_at

    return value_at(expr, {k: float(v) for k, v in point.items()})


# ---- known cases ---------------------------------------------------------------------------

KNOWN = [
    ("deep sigmoid (50 layers)", chain("sigmoid"), {"vanishing"}),
    ("deep tanh bound allows 1 per layer", chain("tanh"), set()),
    ("deep ReLU", chain("relu"), set()),
    ("residual sigmoid", chain("sigmoid", body="a = a + sigmoid(z_k)", weights="[-0.1, 0.1]",
                               biases="[-0.1, 0.1]"), set()),
    ("residual ReLU", chain("relu", body="a = a + relu(z_k)", weights="[-0.1, 0.1]",
                            biases="[-0.1, 0.1]"), set()),
    ("exp tower", "input x in [-1, 1]\nL = exp(exp(exp(exp(x))))", {"exploding"}),
    ("linear chain with large weights", chain("", body="a = z_k", weights="[-3, 3]"),
     {"exploding"}),
    ("neuron", "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1",
     set()),
    ("two paths", "a = x + 1\nb = a^2\nc = sin(x)\ny = b * c", set()),
    ("cross-entropy", "input z in [-4, 4]\np = sigmoid(z)\nL = -y*log(p) - (1-y)*log(1-p)",
     set()),
    ("shallow mlp", "h = tanh(w1*x + b1)\no = sigmoid(w2*h + b2)\nL = (o - y)^2", set()),
]


@pytest.mark.parametrize(("case", "source", "kinds"), KNOWN, ids=[k[0] for k in KNOWN])
def test_known_cases(case, source, kinds):
    report = analyze(source, thresholds=STATIC)
    assert {f.kind for f in report.flagged("warning")} == kinds


def test_deep_sigmoid_message_speaks_in_layers_and_names_its_factors():
    source = chain("sigmoid")
    report = analyze(source, thresholds=STATIC)
    (f,) = report.findings
    assert f.message.startswith("50 sigmoid layers: |∂L/∂w₁| ≤ 0.25⁵⁰")
    assert f.names[0] == "w_1" and len(f.names) > 50
    assert f.bound == pytest.approx(0.25**50 * f.factors[-1].magnitude, rel=0.3)
    assert f.layers == (1, 50)
    assert source[f.span.start:f.span.end].startswith("repeat k in 1..50 {")
    sig = f.factors[0]
    assert (sig.op, sig.count, sig.magnitude) == ("sigmoid", 50, 0.25)
    assert source[sig.span.start:sig.span.end] == "sigmoid(z_k)"
    weight = next(x for x in f.factors if x.op == "mul" and x.count == 49)
    assert source[weight.span.start:weight.span.end] == "w_k"


def test_bounds_stay_in_log_space_far_below_the_float_range():
    report = analyze(chain("sigmoid", 600), thresholds=STATIC)
    (f,) = report.findings
    assert f.bound == 0.0  # 0.25^600 underflows a float...
    assert f.bound_log10 == pytest.approx(600 * math.log10(0.25), abs=1)  # ...not its log
    assert "≈ 1e-361" in f.message


def test_undeclared_inputs_are_assumed_in_minus_one_one_and_reported():
    report = analyze("L = sigmoid(w*x)", thresholds=STATIC)
    assert {(a.name, a.range) for a in report.assumptions} == {("w", (-1.0, 1.0)),
                                                                 ("x", (-1.0, 1.0))}
    assert all("assumed" in a.text for a in report.assumptions)


def test_declared_ranges_change_the_bound():
    wide = analyze(chain("sigmoid", 20), thresholds=STATIC).findings[0].bound_log10
    narrow = analyze(chain("sigmoid", 20, weights="[-0.5, 0.5]"),
                     thresholds=STATIC).findings[0].bound_log10
    assert narrow < wide - 5  # each layer also multiplies by |w| <= 0.5


def test_singular_points_are_information_not_warnings():
    report = analyze("L = 1/x + y", thresholds=STATIC)
    assert [f.kind for f in report.findings] == ["singular"]
    assert report.findings[0].severity == "info"


def test_thresholds_are_respected():
    source = chain("sigmoid", 8)  # 0.25^8 ~ 1.5e-5
    assert analyze(source, thresholds=STATIC).flagged() == ()
    strict = Thresholds(vanishing=1e-3, measure=False)
    assert [f.kind for f in analyze(source, thresholds=strict).flagged()] == ["vanishing"]


def test_hand_nested_compositions_are_counted_too():
    source = "input x in [-1, 1]\nL = " + "sigmoid(" * 30 + "x" + ")" * 30
    (f,) = analyze(source, thresholds=STATIC).findings
    assert f.kind == "vanishing" and f.message.startswith("30 nested sigmoid: |∂L/∂x| ≤ 0.2")
    assert f.bound <= 0.25**30
    assert [r.kind for r in f.remedies] == ["relu"]


@pytest.mark.parametrize(("name", "shown"), [
    # one prettifier for every message (printing.names): a@3 is a⁽³⁾ as in hovers
    ("w_1", "w₁"), ("w_{12}", "w₁₂"), ("a@3", "a⁽³⁾"), ("theta", "θ"), ("b_k", "bₖ"),
    ("_1", "f"),  # the parser's name for an unnamed output
])
def test_names_are_shown_as_written(name, shown):
    from chainlens.engine.health.analysis import pretty_name

    assert pretty_name(name) == shown


@pytest.mark.parametrize(("log10", "text"), [
    (math.log10(7.9e-31), "7.9e-31"), (-361.2, "6.3e-362"), (0.0, "1"), (2.23, "170"),
    (-2.0, "0.01"), (math.inf, "∞"), (-math.inf, "0"),
])
def test_magnitudes_are_written_short_even_beyond_floats(log10, text):
    from chainlens.engine.health.wording import sci

    assert sci(log10) == text
