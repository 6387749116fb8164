"""Table-wide tests: every rule of RULES, in every path.

Each test is parametrised over the table itself, so a new entry is tested
the moment it is added.  Oracles are independent of the entry under test:
central differences of the numpy forward, and numpy itself for the other
spellings (the scalar and Python templates)."""

import math

import numpy as np
import pytest
from chainlens.engine import rules
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.language.reader import parse, parse_expr
from chainlens.engine.numeric.kernel import compile
from chainlens.engine.printing import to_latex, to_python, to_text, to_unicode
from chainlens.engine.symbolic.derivatives import diff

NAMES = ("x", "y", "z")
CANDIDATES = (0.35, -0.4, 0.8, 1.3, -1.7, 2.5, -2.6, 0.1)
ELEMENTWISE = sorted(n for n, r in rules.RULES.items() if r.kind == "elementwise")
TENSOR = sorted(n for n, r in rules.RULES.items() if r.kind == "tensor")
#: element-wise rules with a fixed arity (add/mul are n-ary: tested apart)
FIXED = [n for n in ELEMENTWISE if rules.RULES[n].arity > 0]


def _value(expr: Node, env: dict) -> float:
    """A condition's expression at a point, through numpy forwards."""
    vals = {}
    from chainlens.engine.core.walk import postorder

    with np.errstate(all="ignore"):
        for n in postorder(expr):
            if n.op == "num":
                v = float(n.value)
            elif n.op == "sym":
                v = env[n]
            elif n.op == "pi":
                v = math.pi
            else:
                v = float(rules.RULES[n.op].forward(*(np.float64(vals[a]) for a in n.args)))
            vals[n] = v
    return vals[expr]


_HOLDS = {">": lambda v: v > 0, ">=": lambda v: v >= 0, "<": lambda v: v < 0,
          "<=": lambda v: v <= 0, "!=": lambda v: v != 0}


def points(name: str, n: int = 3) -> list[tuple[float, ...]]:
    """Points inside the rule's domain, away from its kinks, from its own
    conditions (so a new entry needs no list here)."""
    rule = rules.RULES[name]
    arity = rule.arity if rule.arity > 0 else 2
    out = []
    for k in range(len(CANDIDATES)):
        args = tuple(CANDIDATES[(k + 3 * i) % len(CANDIDATES)] for i in range(arity))
        env = dict(zip(rules.PLACEHOLDERS[:arity], args, strict=True))
        conds = (*rule.domain, *rule.smooth)
        with np.errstate(all="ignore"):
            finite = np.isfinite(rule.forward(*(np.float64(a) for a in args)))
        # inside the domain, with a margin from its edge (where differences blow up)
        if finite and all(_HOLDS[c.relation](_value(c.expr, env))
                          and abs(_value(c.expr, env)) > 0.05 for c in conds):
            out.append(args)
        if len(out) == n:
            break
    assert out, f"no sample point for {name}"
    return out


def _node(name: str, arity: int) -> Node:
    return call(name, *(sym(v) for v in NAMES[:arity]))


def _arity(name: str) -> int:
    r = rules.RULES[name]
    return r.arity if r.arity > 0 else 2


@pytest.mark.parametrize("name", FIXED)
def test_scalar_backend_equals_numpy(name):
    node = _node(name, _arity(name))
    kernel = compile(node, wrt=NAMES[:_arity(name)])
    for args in points(name):
        env = dict(zip(NAMES, args, strict=False))
        fast = kernel(env)
        slow = kernel({k: np.array([v]) for k, v in env.items()})
        assert fast.backend == "scalar" and slow.backend == "numpy"
        np.testing.assert_allclose(fast.values["f"], slow.values["f"], rtol=1e-13)
        for v in env:
            np.testing.assert_allclose(fast.gradients["f"][v], slow.gradients["f"][v],
                                       rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("op", ["add", "mul"])
@pytest.mark.parametrize("n", range(2, 13))
def test_nary_scalar_backend_equals_numpy(op, n):
    names = [f"x{i}" for i in range(n)]
    node = call(op, *(sym(v) for v in names))
    env = {v: 0.5 + 0.1 * i for i, v in enumerate(names)}
    kernel = compile(node, wrt=tuple(names))
    fast, slow = kernel(env), kernel({k: np.array([v]) for k, v in env.items()})
    assert fast.backend == "scalar"
    np.testing.assert_allclose(fast.values["f"], slow.values["f"], rtol=1e-13)
    expected = rules.RULES[op].forward(*env.values())
    np.testing.assert_allclose(fast.values["f"], expected, rtol=1e-13)
    for v in names:
        np.testing.assert_allclose(fast.gradients["f"][v], slow.gradients["f"][v], rtol=1e-13)
        others = [env[w] for w in names if w != v]
        want = 1.0 if op == "add" else math.prod(others)
        np.testing.assert_allclose(fast.gradients["f"][v], want, rtol=1e-12)


@pytest.mark.parametrize("name", FIXED)
def test_partials_agree_with_central_differences(name):
    arity = _arity(name)
    kernel = compile(_node(name, arity), wrt=NAMES[:arity])
    f = rules.RULES[name].forward
    h = 1e-6
    for args in points(name):
        ev = kernel(dict(zip(NAMES, args, strict=False)))
        for i in range(arity):
            hi = list(args)
            lo = list(args)
            hi[i] += h
            lo[i] -= h
            want = (float(f(*hi)) - float(f(*lo))) / (2 * h)
            got = float(np.asarray(ev.gradients["f"][NAMES[i]]).ravel()[0])
            assert got == pytest.approx(want, rel=1e-5, abs=1e-6), (name, args, i)


@pytest.mark.parametrize("name", [*FIXED, "add", "mul"])
def test_to_python_runs_and_equals_numpy(name):
    arity = _arity(name)
    node = _node(name, arity)
    source = to_python(node)
    xs = np.array([p for p in points(name, 3)], dtype=np.float64).T  # one row per argument
    env = dict(zip(NAMES, xs, strict=False))
    # generated from the IR by the printer (never user text)
    got = eval(compile_source(source), {"np": np, "math": math, **env})
    np.testing.assert_allclose(got, rules.RULES[name].forward(*xs), rtol=1e-12)


def compile_source(source: str):
    import builtins

    return builtins.compile(source, "<to_python>", "eval")


#: what does not read back, and why
NOT_PARSED = {
    # Unicode is the hover form, for reading only: H(x), Σ, ReLU, √, | |
    ("unicode", "*"): "display names (H, Σ, ReLU) are not input spellings",
    # LaTeX of a matrix product is typeset math: "W \\, x" is juxtaposition,
    # which reads back as a product (it still parses: the fuzz target checks that)
    ("latex", "matmul"): "typeset as W \\, x",
}


@pytest.mark.parametrize("name", [*FIXED, "add", "mul", *TENSOR])
@pytest.mark.parametrize("printer", [to_text, to_latex], ids=["text", "latex"])
def test_notations_parse_back_to_the_same_node(name, printer):
    if (printer.__name__[3:], name) in NOT_PARSED:
        pytest.skip(NOT_PARSED[printer.__name__[3:], name])
    node = _node(name, _arity(name))
    assert parse_expr(printer(node)) is node


@pytest.mark.parametrize("name", FIXED)
def test_unicode_names_the_function(name):
    shown = to_unicode(_node(name, _arity(name)))
    assert shown and "?" not in shown


@pytest.mark.parametrize("name", [*FIXED, "add", "mul"])
def test_symbolic_steps_exist(name):
    d = diff(_node(name, _arity(name)), "x")
    assert d.steps, name
    assert d.result is not None


@pytest.mark.parametrize("name", TENSOR)
def test_tensor_rules_declare_their_derivative(name):
    t = rules.RULES[name].tensor
    assert callable(t.vjp) and callable(t.jvp) and callable(t.shape)


@pytest.mark.parametrize("name", [n for n in FIXED if rules.RULES[n].arity == 1])
def test_health_bound_is_sound(name):
    """The static |f'| bound over an interval inside the domain is at least
    the largest |f'| sampled there (and the analysis does not fail)."""
    from chainlens.engine.health.analysis import analyze
    from chainlens.engine.health.bounds import backward_bounds
    from chainlens.engine.health.intervals import forward_intervals

    pts = sorted(p[0] for p in points(name, 8))
    lo, hi = pts[0], pts[-1]
    inside = [p for p in np.linspace(lo, hi, 41)
              if all(p == q or True for q in pts)]
    if rules.RULES[name].domain or rules.RULES[name].smooth:
        lo, hi = pts[-1], pts[-1] + 0.2  # one side of any kink or pole
        inside = list(np.linspace(lo, hi, 11))
    program = parse(f"input x in [{lo!r}, {hi!r}]\nf = {to_text(_node(name, 1))}")
    analyze(program)
    iv = forward_intervals(program, {"x": (lo, hi)})
    bound = backward_bounds(program, "f", iv)["x"].value
    kernel = compile(_node(name, 1))
    grads = np.abs(kernel({"x": np.array(inside)}).gradients["f"]["x"])
    assert bound >= grads.max() * (1 - 1e-9), (name, bound, grads.max())
    assert math.isfinite(bound) or rules.RULES[name].bound == math.inf


def test_batched_numba_equals_numpy_for_every_rule():
    """One program applying every fixed-arity rule to its own inputs, each
    at points inside its domain: numba's batched loop against numpy."""
    pytest.importorskip("numba")
    from chainlens.engine.core.ir import add

    terms, env = [], {}
    for k, name in enumerate(FIXED):
        arity = _arity(name)
        names = [f"a{k}_{i}" for i in range(arity)]
        terms.append(call(name, *(sym(n) for n in names)))
        pts = (points(name, 3) * 3)[:3]
        for i, n in enumerate(names):
            env[n] = np.array([p[i] for p in pts] * 100)  # 300 points
    kernel = compile(add(*terms), backend="numba")
    fast = kernel(env)
    assert fast.backend == "numba"
    slow = compile(add(*terms), backend="numpy")(env)
    np.testing.assert_allclose(fast.values["f"], slow.values["f"], rtol=1e-12)
    for n in env:
        np.testing.assert_allclose(fast.gradients["f"][n], slow.gradients["f"][n],
                                   rtol=1e-11, atol=1e-14)


#: rule names that other modules may spell as string literals, and why
STRUCTURAL = {
    "add": "an IR operator", "mul": "an IR operator", "pow": "an IR operator",
    "exp": "e^u is exp(u) in the IR, the parser and the printers",
    "log": "log with a base, and logarithmic differentiation in the steps",
    "sqrt": "the IR's power canonical form", "cbrt": "\\sqrt[3]{u} in the parser",
    "abs": "|u| in the grammar and printers", "max": "n-ary max in the parser",
    "min": "n-ary min in the parser", "matmul": "the @ operator", "sum": "the Σ operator",
    "log10": "a word of the health report", "sin": "trigonometric identities",
    "cos": "trigonometric identities",
}
ALLOWED = {
    "engine/symbolic/simplify.py": "the simplifier's identities (sin(0), exp(log u), ...)",
    "engine/symbolic/factors.py": "the simplifier's trig-factor table (tan = sin/cos, ...)",
    "engine/symbolic/identities.py": "the simplifier's textbook identities (1 + tan² = sec², "
                                      "cos(asin u) = √(1 − u²), ...)",
    "engine/health/fixes.py": "the ReLU remedy names relu",
    "engine/health/intervals.py": "tensor reductions scale intervals by their element count",
    "server/lsp/rewrites.py": "Python spellings of the softplus quick fix",
    "engine/api/stability.py": "which of the table's stable rewrites every door reports",
    "engine/api/sympy_bridge.py": "SymPy's spelling of the primitives it names differently "
                                  "or lacks (sigmoid -> 1/(1+exp(-u))); a `sympy` field of "
                                  "each entry would move it into the table",
    "engine/frontends/python_layers.py": "framework spellings of layers (F.silu = x·σ(x), "
                                         "nn.LayerNorm, log_softmax) read as table primitives",
    "engine/health/model.py": "the remedy that applies depends on the activation family",
    "engine/health/model_fixes.py": "a model's ReLU remedy names relu",
    "engine/frontends/python_init_draws.py": "torch.nn.init's argument names: normal_(mean=...)",
    "engine/frontends/python_flow_ops.py": "torch.Tensor.normal_'s argument names (mean=...)",
    "engine/frontends/python_init_laws.py": "torch.nn.init's spellings: normal_(mean=...), "
                                            "calculate_gain('tanh' / 'relu' / 'sigmoid')",
    "engine/health/recheck.py": "the remedy kinds it re-analyses (relu is a remedy's kind)",
    "engine/frontends/note_units.py": "LaTeX's \\arcsec/\\arccsc and the other range textbooks "
                                      "give them (a claim right on one range is not checked)",
    "engine/frontends/note_derivs.py": "notes' \\sin'(u) spellings as LaTeX text (\\cos(u)): "
                                       "reading the table's derivative there is left to do",
    "engine/frontends/python_backward.py": "tensor method names of a hand-written backward "
                                           "(x.tanh(), x.sigmoid())",
    "engine/frontends/python_concat.py": "PyTorch spellings (.sum/.mean, softmax) of the "
                                         "reductions a concatenation's parts share",
    "engine/frontends/python_haiku.py": "Haiku spellings (jax.nn.relu, the 'mean' of its "
                                        "initializers' arguments)",
}


def test_adding_a_primitive_touches_only_the_rules_package():
    """No module outside engine/rules/ names a primitive of the table as a
    string literal (outside the explicit allow-lists above)."""
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    only = set(rules.RULES) - set(STRUCTURAL)
    found = []
    for top in ("engine", "server", "clients"):
        for path in sorted((root / top).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith("engine/rules/") or rel in ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and node.value in only:
                    found.append(f"{rel}:{node.lineno}: {node.value!r}")
    assert not found, "primitive names outside the rules table:\n" + "\n".join(found)


def test_graph_titles_come_from_the_table_and_never_read_as_the_operand_mark():
    """A graph node is titled by its rule's ``notation.glyph``; the pictures
    write an operand as ``(·)`` (``(·)²``), so no title is a bare ``·``."""
    from chainlens.engine.graph.build import _title
    from chainlens.engine.numeric.tape import lower

    assert rules.RULES["mul"].notation.glyph == "×" != rules.RULES["mul"].notation.unicode
    for rule in rules.RULES.values():
        assert rule.notation.glyph.strip() and rule.notation.glyph != "·", rule.name
    tape = lower(parse("L = sigmoid(x * y) + 2 * x"))
    titles = {_title(tape, k) for k, s in enumerate(tape.slots) if s.args}
    assert titles == {"σ", "×", "× 2", "+"}
