"""One job in, one record out (:func:`chainlens.engine.api.jobs.run_job`).

Every kind of job is checked against an oracle the engine does not share:
SymPy differentiates the same expression, and the record's derivative text
and gradient values must agree with it at the job's points.  Every kind of
bad job gives an error record with its kind (and place), never an exception.
"""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp
from chainlens.engine.api.jobs import encode, run_job
from hypothesis import given
from hypothesis import strategies as st
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

X, Y, W = sp.symbols("x y w")
_SYMPY_NAMES = {"sigmoid": sp.Lambda(X, 1 / (1 + sp.exp(-X))), "x": X, "y": Y, "w": W}


def _sympy(text: str) -> sp.Expr:
    """Our plain-text notation read by SymPy's own parser (the oracle)."""
    return parse_expr(text, local_dict=dict(_SYMPY_NAMES),
                      transformations=(*standard_transformations, convert_xor))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# ---------------------------------------------------------------- job kinds

GRADIENT_JOBS = [
    # (expr, wrt, at): gradient values against SymPy at every point
    ("sin(x^2)", "x", {"x": 0.7}),
    ("exp(w*x + 2) * y", ["w", "x", "y"], {"w": 0.9, "x": 1.3, "y": 0.4}),
    ("sigmoid(3*x^2 + 1)", "x", [{"x": 0.1}, {"x": 1.2}, {"x": -0.5}]),
    ("sin(x) * cos(y) + x*y^3", "x, y", {"x": [0.5, 1.5], "y": [0.25, -2.0]}),
    ("\\frac{1}{1 + e^{-x}}", "x", {"x": 0.3}),
    ("np.log(1 + x**2)", "x", {"x": 2.0}),
]


@pytest.mark.parametrize(("expr", "wrt", "at"), GRADIENT_JOBS)
def test_gradient_at_points_matches_sympy(expr, wrt, at):
    record = run_job({"id": "g", "expr": expr, "wrt": wrt, "at": at})
    assert record["ok"], record
    names = record["wrt"]
    oracle = _sympy(expr.replace("\\frac{1}{1 + e^{-x}}", "1/(1 + exp(-x))")
                    .replace("np.", "").replace("**", "^"))
    for entry in record["points"]:
        env = {sp.Symbol(k): v for k, v in entry["at"].items()}
        assert _close(entry["value"], float(oracle.subs(env)))
        for name in names:
            want = float(sp.diff(oracle, sp.Symbol(name)).subs(env))
            assert _close(entry["gradient"][name], want), (name, entry)
            got_text = _sympy(record["derivative"][name]["text"])
            assert _close(float(got_text.subs(env)), want)  # the printed formula too


def test_column_points_are_read_as_a_batch():
    record = run_job({"id": 1, "expr": "x*y", "wrt": "x", "at": {"x": [1, 2], "y": [3, 4]}})
    assert [p["at"] for p in record["points"]] == [{"x": 1, "y": 3}, {"x": 2, "y": 4}]
    assert [p["gradient"]["x"] for p in record["points"]] == [3.0, 4.0]


def test_chain_program_uses_its_own_points_and_wrt_defaults_to_its_inputs():
    """The seed article's neuron: dL/dw = 2(a - y) sigma'(z) x."""
    program = "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n"
    record = run_job({"id": "neuron", "expr": program})
    assert record["ok"] and record["wrt"] == ["b", "w", "x", "y"]
    [point] = record["points"]
    z = 0.8 * 0.5 - 0.1
    a = 1 / (1 + math.exp(-z))
    assert _close(point["value"], (a - 1) ** 2)
    assert _close(point["gradient"]["w"], 2 * (a - 1) * a * (1 - a) * 0.5)
    assert _close(point["gradient"]["b"], 2 * (a - 1) * a * (1 - a))


def test_every_notation_on_request():
    record = run_job({"id": 1, "expr": "sin(x^2)", "wrt": "x",
                      "formats": ["latex", "python", "unicode", "text"]})
    d = record["derivative"]["x"]
    assert sorted(d) == ["latex", "python", "text", "unicode"]
    assert _close(float(_sympy(d["text"]).subs(X, 0.3)), 2 * 0.3 * math.cos(0.09))
    assert "\\cos" in d["latex"] and "np.cos" in d["python"] and "²" in d["unicode"]


def test_steps_on_request_end_in_the_derivative():
    record = run_job({"id": 1, "expr": "sin(exp(x^2))", "wrt": "x", "steps": True})
    steps = record["steps"]["x"]
    assert steps and steps[0]["rule"] == "chain"
    assert record["derivative"]["x"]["text"] in {s["result"]["text"] for s in steps}
    assert "steps" not in run_job({"id": 1, "expr": "sin(x)", "wrt": "x"})


@pytest.mark.parametrize(("claim", "equal"), [
    ("2*x*cos(x^2)", True),
    ("2x \\cos(x^2)", True),  # LaTeX spelling of the same answer
    ("cos(x^2)", False),  # the outer derivative alone: the classic mistake
    ("x*cos(x^2)", False),
])
def test_claims_are_judged(claim, equal):
    record = run_job({"id": 1, "expr": "sin(x^2)", "wrt": "x", "claim": claim})
    check = record["check"]
    assert check["equal"] is equal
    if not equal:  # a counterexample that really is one
        x = check["counterexample"]["x"]
        assert _close(check["expected"], 2 * x * math.cos(x * x))


def test_health_of_a_deep_sigmoid_chain_warns_of_vanishing_gradients():
    program = "a = x\nrepeat k in 1..20 {\n  a = sigmoid(w_k * a + b_k)\n}\nL = a\n"
    record = run_job({"id": "deep", "expr": program, "wrt": "x", "health": True})
    health = record["health"]
    assert health["ok"] is False
    assert "vanishing" in {f["kind"] for f in health["findings"]}


def test_healthy_shallow_expression_has_no_warnings():
    record = run_job({"id": 1, "expr": "x^2 + 1", "wrt": "x", "health": True})
    assert record["health"]["ok"] is True


# ---------------------------------------------------------------- error kinds

ERROR_JOBS = [
    # (job, kind, words in the message, (line, column) or None)
    ({"expr": "sin(x^", "wrt": "x"}, "ParseError", "never closed", (1, 4)),
    ({"expr": "z = w*x +\nL = (z - y)^2", "wrt": "w"}, "ParseError", "end of line", (1, 10)),
    ({"expr": "sin(x)", "wrt": "y"}, "JobError", "unknown variable 'y'", None),
    ({"expr": "sin(x)", "at": {"z": 1}}, "JobError", "unknown variable 'z' in 'at'", None),
    ({"expr": "x^2", "at": {"x": "half"}}, "JobError", "'half' is not a number", None),
    ({"expr": "x^2", "at": []}, "JobError", "'at' is a point", None),
    # checked before any work (#19: 108 s of derivatives before this failed)
    ({"expr": "x*y", "wrt": "x", "at": {"x": 1.0}}, "JobError", "'at' has no value for 'y'",
     None),
    ({"expr": "a = x\nrepeat k in 1..100000 {\n  a = sin(a)\n}\n"}, "LimitError", "10000",
     None),
    ({"expr": "x" * 1_000_001}, "LimitError", "the limit is 1000000", None),
    ({"expr": "x", "at": [{"x": 1}] * 10_001}, "LimitError", "points in one job", None),
    ({"expr": "cos(x)", "formats": ["mathml"]}, "JobError", "unknown format 'mathml'", None),
    ({"wrt": "x"}, "JobError", "no 'expr'", None),
    ({"expr": "x", "colour": "red"}, "JobError", "unknown job key 'colour'", None),
    ({"expr": "x", "steps": "yes"}, "JobError", "'steps' must be true or false", None),
    ({"expr": "x*y", "wrt": ["x", "y"], "claim": "y"}, "JobError", "single 'wrt'", None),
    ({"expr": "a = x\nb = x^2\na\nb"}, "ChainError", "2 outputs", None),
    ({"expr": "input v: [3]\nL = sum(v^2)"}, "JobError", "needs a point", None),
    ({"expr": "sin(x)", "at": {"x": [[1, 2], [3]]}}, "JobError", "rectangular array", None),
    ({"expr": "sin(x)", "at": {"x": 10**400}}, "JobError", "is not a number", None),
    ({"expr": "sin(x)", "at": [{"x": 1}, {"x": [1, 2]}]}, "JobError", "differ in shape",
     None),
]


@pytest.mark.parametrize(("job", "kind", "words", "place"), ERROR_JOBS)
def test_bad_job_is_an_error_record(job, kind, words, place):
    record = run_job({"id": "bad", **job})
    assert record["id"] == "bad" and record["ok"] is False
    error = record["error"]
    assert error["kind"] == kind and words in error["message"], error
    if place:
        assert (error["line"], error["column"]) == place and error["field"] == "expr"


def test_parse_error_in_a_claim_points_into_the_claim():
    record = run_job({"id": 1, "expr": "sin(x)", "wrt": "x", "claim": "cos(x"})
    assert record["error"]["field"] == "claim" and record["error"]["column"] == 4


def test_a_job_that_is_not_an_object_is_an_error_record():
    assert run_job(["sin(x)"])["error"]["kind"] == "JobError"


# ---------------------------------------------------------------- determinism

def test_records_encode_the_same_bytes_every_time():
    job = {"id": "d", "expr": "sin(x)*exp(y)", "at": {"x": 0.1, "y": 1e-300}, "steps": True,
           "formats": ["text", "latex"], "health": True, "claim": None}
    first = encode(run_job(job))
    assert first == encode(run_job(dict(reversed(list(job.items())))))
    assert first.startswith('{"id":"d",') and "\n" not in first
    assert json.loads(first)["points"][0]["at"]["y"] == 1e-300


def test_non_finite_numbers_are_strings_not_invalid_json():
    record = run_job({"id": 1, "expr": "log(x)", "wrt": "x", "at": {"x": 0.0}})
    line = encode(record)
    point = json.loads(line)["points"][0]
    assert point["value"] == "-inf" and point["gradient"]["x"] == "inf"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=3),
    max_leaves=8,
)
job_dicts = st.fixed_dictionaries(
    {"id": st.integers()},
    optional={"expr": st.sampled_from(["sin(x)", "x^2*y", "log(", "a = x\nb = a^2", ""])
              | st.text(max_size=12),
              "wrt": json_values, "at": json_values, "claim": json_values,
              "formats": json_values, "steps": json_values, "health": json_values},
)


@given(job_dicts)
def test_no_job_escapes_as_an_exception(job):
    record = run_job(job)
    assert record["id"] == job["id"] and isinstance(record["ok"], bool)
    # an InternalError record is an engine bug that the runner merely survived
    assert record.get("error", {}).get("kind") != "InternalError", record
    assert json.loads(encode(record)) == json.loads(json.dumps(record))


def test_tensor_program_gets_gradient_values_from_the_backward_pass():
    """L = sum(tanh(W v)): dL/dW_ij = (1 - tanh^2((Wv)_i)) v_j, dL/dv = W^T (1 - tanh^2(Wv))."""
    W, v = [[0.5, -1.0, 0.25], [2.0, 0.0, -0.5]], [1.0, 2.0, -3.0]
    program = "param W: [2, 3]\ninput v: [3]\nL = sum(tanh(W @ v))"
    record = run_job({"id": "t", "expr": program, "wrt": ["W", "v"], "at": {"W": W, "v": v}})
    assert record["ok"] and "derivative" not in record
    [point] = record["points"]
    h = [math.tanh(sum(W[i][j] * v[j] for j in range(3))) for i in range(2)]
    assert _close(point["value"], sum(h))
    for i in range(2):
        for j in range(3):
            assert _close(point["gradient"]["W"][i][j], (1 - h[i] ** 2) * v[j])
    for j in range(3):
        assert _close(point["gradient"]["v"][j], sum(W[i][j] * (1 - h[i] ** 2) for i in range(2)))
