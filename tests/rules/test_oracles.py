"""The nine primitives added in #11 against SymPy and PyTorch (independent
oracles: neither reads the rules table)."""

import numpy as np
import pytest
from chainlens.engine import evaluate, parse

sp = pytest.importorskip("sympy")
X = sp.Symbol("x")
SYMPY = {
    "erfc": sp.erfc(X), "sech": sp.sech(X), "csch": sp.csch(X), "coth": sp.coth(X),
    "acot": sp.acot(X), "asec": sp.asec(X), "acsc": sp.acsc(X),
    "gelu": X * (1 + sp.erf(X / sp.sqrt(2))) / 2,
}


@pytest.mark.parametrize("name", sorted(SYMPY))
@pytest.mark.parametrize("x", [-2.5, 1.3, 3.0])
def test_value_and_derivative_match_sympy(name, x):
    ev = evaluate(parse(f"f = {name}(x)"), {"x": x})
    e = SYMPY[name]
    assert ev.values["f"][0] == pytest.approx(float(e.subs(X, x)), rel=1e-12)
    assert ev.gradients["f"]["x"][0] == pytest.approx(float(sp.diff(e, X).subs(X, x)), rel=1e-10)


@pytest.mark.parametrize(("source", "torch_fn"), [
    ("gelu(x)", "gelu"), ("erfc(x)", "erfc"), ("atan2(y, x)", "atan2"),
])
def test_batched_values_and_gradients_match_torch(source, torch_fn):
    torch = pytest.importorskip("torch")
    xs, ys = np.array([-1.7, 0.3, 2.2, -0.5]), np.array([0.4, -1.1, 0.9, -0.2])
    tx = torch.tensor(xs, requires_grad=True)
    ty = torch.tensor(ys, requires_grad=True)
    out = {"gelu": lambda: torch.nn.functional.gelu(tx), "erfc": lambda: torch.special.erfc(tx),
           "atan2": lambda: torch.atan2(ty, tx)}[torch_fn]()
    out.sum().backward()
    ev = evaluate(parse(f"f = {source}"), {"x": xs, "y": ys} if "y" in source else {"x": xs})
    np.testing.assert_allclose(ev.values["f"], out.detach().numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(ev.gradients["f"]["x"], tx.grad.numpy(), rtol=1e-12, atol=1e-15)
    if "y" in source:
        np.testing.assert_allclose(ev.gradients["f"]["y"], ty.grad.numpy(), rtol=1e-12)
