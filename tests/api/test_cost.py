"""The cost guess that sorts requests between a server's own threads and its
worker processes (#16): cheap requests are cheap, and the expensive inputs
the fuzzer and the abuse test found are expensive, from their text alone."""

from __future__ import annotations

import time

import pytest
from chainlens.engine.api.cost import CHEAP_UNITS, SCAN_CHARS, estimate

CHEAP = ["sin(x)^2 + x^3", "exp(-x)/(1 + x^2)", "tanh(3x) * log(2 + x)",
         "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2"]
#: each took from 0.5 s to minutes of CPU here
EXPENSIVE = [
    "a = x\nrepeat k in 1..3000 {\n  a = tanh(w_k*a + b_k)\n}\nL = a^2",
    "a = x\nrepeat k in 1..300 {\n  a = tanh(w_k*a + b_k)\n}\nL = a^2",
    "a = x\nrepeat k in 1..20 { a = tanh(w*a + b) }\nL = a^2",
    "f(u) = u*u + u\ny = " + "f(" * 30 + "x" + ")" * 30,
    "(" + "+".join(f"x_{i}" for i in range(1500)) + ")^3",
    "*".join(f"sin({i}*x+1)" for i in range(30)),
]


@pytest.mark.parametrize("text", CHEAP)
def test_everyday_requests_are_cheap(text):
    assert estimate(text, "differentiate", wrt=1, steps=False).cheap()
    assert estimate(text, "check").cheap()
    assert estimate(text, "gradient").cheap()


@pytest.mark.parametrize("text", EXPENSIVE)
def test_the_expensive_inputs_found_are_expensive(text):
    cost = estimate(text, "differentiate", steps=False)
    assert not cost.cheap(), cost
    assert not estimate(text, "analyze").cheap()


def test_order_and_steps_and_derivatives_raise_the_cost():
    text = "tanh(3x) * log(2 + x)"
    units = [estimate(text, order=n).units for n in (1, 3, 10)]
    assert units == sorted(units) and not estimate(text, order=10).cheap()
    assert estimate(text, steps=True).units == 3 * estimate(text).units
    assert estimate("x*y*z").units == 3 * estimate("x*y*z", wrt=1).units


def test_a_program_of_a_hundred_layers_still_compiles_in_the_server():
    # the batching benchmark's program: its Gradients must batch
    program = "a = x\nrepeat k in 1..100 {\n  a = tanh(0.9*a + 0.1*x)\n}\nL = (a - y)^2\n"
    assert estimate(program, "gradient").cheap()
    assert not estimate(program.replace("100", "3000"), "gradient").cheap()


def test_nested_repeats_multiply():
    inner = "a = x\nrepeat i in 1..10 { a = sin(a) }"
    nested = "a = x\nrepeat j in 1..10 { repeat i in 1..10 { a = sin(a) } }"
    assert estimate(nested).units > 5 * estimate(inner).units


def test_a_long_text_is_expensive_unread_and_the_guess_is_fast():
    assert estimate("x+" * SCAN_CHARS + "x").units > 100 * CHEAP_UNITS
    text = "a = x\nrepeat k in 1..50 { a = tanh(w_k*a + b_k) }\n" * 60
    text = text[:SCAN_CHARS]
    t0 = time.process_time()
    for _ in range(20):
        estimate(text)
    assert time.process_time() - t0 < 2.0  # generous: it is milliseconds
