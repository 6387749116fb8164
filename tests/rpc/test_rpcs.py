"""Every rpc over real gRPC on loopback, answers checked against
independent oracles (a hand-written backward pass, the engine called
directly for the symbolic results)."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from chainlens.client import AsyncClient, ChainlensError
from chainlens.client.messages import gradient_request
from chainlens.engine.language.reader import parse
from chainlens.engine.symbolic.derivatives import diff


async def test_gradient_at_one_point_matches_the_hand_written_backward_pass(client, neuron):
    r = await client.gradient(neuron.source, **neuron.point)
    loss, grads = neuron.oracle(**neuron.point)
    assert r.values["L"].shape == ()
    np.testing.assert_allclose(r.values["L"], loss, rtol=1e-12)
    for name, want in grads.items():
        np.testing.assert_allclose(r.gradients["L"][name], want, rtol=1e-12, err_msg=name)
    assert r.points == 1 and r.nonfinite == ()


async def test_gradient_at_many_points_keeps_the_points_axis(client, neuron):
    pts = neuron.points(1000)
    r = await client.gradient(neuron.source, pts, batched=True)
    loss, grads = neuron.oracle(**pts)
    assert r.points == 1000 and r.values["L"].shape == (1000,)
    np.testing.assert_allclose(r.values["L"], loss, rtol=1e-12)
    np.testing.assert_allclose(r.gradients["L"]["w"], grads["w"], rtol=1e-10, atol=1e-15)


async def test_wrt_limits_the_gradients_returned(client, neuron):
    r = await client.gradient(neuron.source, wrt=["w", "b"], **neuron.point)
    assert set(r.gradients["L"]) == {"w", "b"}


async def test_spellings_of_one_program_share_one_compiled_kernel(service, client):
    await client.gradient("y = x^2", x=3.0)
    r = await client.gradient("y = x**2", x=3.0)
    assert float(r.gradients["y"]["x"]) == 6.0
    assert service.metrics.value("chainlens_programs_cached") == 1


async def test_the_compiled_program_cache_is_a_bounded_lru(start_service):
    service = await start_service(cache_size=2)
    async with AsyncClient(service.address) as c:
        for source in ("y = x^2", "y = x^3", "y = x^2", "y = x^4", "y = x^3"):
            await c.gradient(source, x=2.0)
    value = service.metrics.value
    assert value("chainlens_programs_cached") == 2
    # x^2, x^3 miss; x^2 hits; x^4 evicts x^3 (least recent); x^3 misses again
    assert value("chainlens_program_cache_total", result="miss") == 4
    assert value("chainlens_program_cache_total", result="hit") == 1
    assert value("chainlens_program_cache_total", result="evict") == 2


@pytest.mark.parametrize("source, wrt", [
    ("sin(x^2)", "x"),
    (r"\frac{1}{1+e^{-x}}", "x"),
    ("L = (sigmoid(w*x + b) - y)^2", "w"),
])
async def test_differentiate_answers_what_the_engine_prints(client, source, wrt):
    result = await client.differentiate(source, wrt, steps=True)
    program = parse(source)
    want = diff(program.expanded(program.outputs[0]), wrt)
    d = result[wrt]
    assert (d.text, d.unicode, d.latex, d.python) == (want.text, want.unicode, want.latex,
                                                      want.python)
    assert len(d.steps) == len(want.steps) > 0
    assert d.steps[0][0] == want.steps[0].rule


async def test_differentiate_carries_domain_conditions(client):
    d = (await client.differentiate("log(x)", "x"))["x"]
    assert d.conditions and any("x" in c for c in d.conditions)


async def test_differentiate_second_order(client):
    d = (await client.differentiate("x^3", "x", order=2))["x"]
    assert d.order == 2 and d.text.replace(" ", "") in ("6*x", "6x")


@pytest.mark.parametrize("expression, claimed, correct", [
    ("sin(x^2)", "2*x*cos(x^2)", True),
    ("sin(x^2)", "cos(x^2)", False),
    ("x^3", "3x^2", True),
])
async def test_check_judges_a_claimed_derivative(client, expression, claimed, correct):
    r = await client.check(expression, claimed, "x")
    assert r.correct is correct
    assert r.message.startswith("correct" if correct else "wrong")


async def test_check_reports_a_counterexample_for_a_wrong_claim(client):
    r = await client.check("x^2", "3x", "x")
    assert not r.correct and r.method == "numeric" and "x" in r.counterexample
    x = r.counterexample["x"]
    assert r.expected_value == pytest.approx(2 * x) and r.claimed_value == pytest.approx(3 * x)


async def test_analyze_reports_vanishing_gradients_of_a_deep_sigmoid_chain(client):
    deep = "a = x\nrepeat k in 1..40 {\n  a = sigmoid(a)\n}\n@at x=0.5\n"
    report = await client.analyze(deep)
    assert report.summary
    assert any("vanish" in f["kind"] or "vanish" in f["message"] for f in report.findings)


async def test_gradient_stream_answers_every_request_and_reports_bad_ones_inline(service,
                                                                                 neuron):
    points = [dict(neuron.point, x=float(i)) for i in range(10)]
    points[4] = {"x": 1.0}  # missing w, b, y
    async with AsyncClient(service.address) as c:
        seen = {}
        stream = c._stub.GradientStream(iter([
            gradient_request(neuron.source, p, {}, request_id=str(i))
            for i, p in enumerate(points)]))
        async for response in stream:
            seen[response.request_id] = response
    assert set(seen) == {str(i) for i in range(10)}
    assert seen["4"].problem.code == "INVALID_ARGUMENT" and "missing" in seen["4"].problem.message
    for i in (0, 3, 9):
        loss, _ = neuron.oracle(**points[i])
        got = np.frombuffer(seen[str(i)].values["L"].data, "<f8")[0]
        assert got == pytest.approx(loss, rel=1e-12)


async def test_gradient_stream_through_the_client_raises_on_a_bad_point(client, neuron):
    good = [dict(neuron.point, w=float(i)) for i in range(5)]
    results = [r async for r in client.gradient_stream(neuron.source, good)]
    assert sorted(r.request_id for r in results) == [str(i) for i in range(5)]
    with pytest.raises(ChainlensError):
        bad = {**neuron.point, "x": np.nan}
        async for _ in client.gradient_stream(neuron.source, [neuron.point, bad]):
            pass


async def test_concurrent_clients_on_one_channel(client, neuron):
    pts = neuron.points(30, seed=3)
    results = await asyncio.gather(*(
        client.gradient(neuron.source, {k: v[i] for k, v in pts.items()}) for i in range(30)))
    loss, grads = neuron.oracle(**pts)
    np.testing.assert_allclose([float(r.values["L"]) for r in results], loss, rtol=1e-12)
    np.testing.assert_allclose([float(r.gradients["L"]["b"]) for r in results], grads["b"],
                               rtol=1e-10, atol=1e-15)
