"""Fuzzing: whatever text arrives -- random characters from the language's own
alphabet, or valid programs with characters inserted, deleted or swapped --
``parse`` returns a Program or raises a ParseError/LimitError with a place.
Nothing else may escape (no lark exception, no KeyError, no RecursionError)."""

from pathlib import Path

from chainlens.engine.core.source import LimitError, ParseError
from chainlens.engine.language.reader import parse
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]

SEEDS = [
    "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n",
    "\\frac{1}{1+e^{-x}} + 2x\\cos(x^2) - \\sqrt[3]{x} + \\left|x\\right|",
    "f(t, u) = t^2 + u\ng = f(x + 1, np.exp(-y)) * |x|\n@output g",
    "repeat k in 1..3 {\n  z_k = w_k * a + b_{k}\n  a = sigmoid(z_k)\n}\n@wrt a",
    "input x: [3] in [-1, 1]\nparam W: [4, 3]\ny = \\sigma(\\theta_1 x) + \\log_2 x\n",
    "torch.sigmoid(x) + F.relu(x)**2 + math.log(x, 10) + \\sin^2 x + x²·√y",
    *((ROOT / "examples" / n).read_text() for n in ("tour.chain", "deep.chain")),
]

ALPHABET = (
    "xyzabwk0123456789 .+-*/^()[]{}|,;=@#_\n\\"
    "eπθσ²√·−'<>!$₁∛"
)
WORDS = ["\\frac", "\\sqrt", "\\sin", "\\left(", "\\right)", "\\left|", "\\right|", "sin(",
         "np.", "exp", "@at ", "@wrt ", "@output ", "input ", "param ", "repeat k in 1..3 {",
         "}", "..", "**", "e^{", "\\cdot", "\\theta", "_k", "_{k-1}", "log(", "f(t)=", ": [2]",
         " in [0, 1]", "\\operatorname{relu}", "\\log_2"]


def _check(text: str) -> None:
    try:
        program = parse(text)
    except (ParseError, LimitError) as err:
        assert err.span is not None
        assert 0 <= err.span.start <= err.span.end <= len(text)
        assert err.message
        return
    assert program.source == text


@settings(max_examples=1500)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_random_text_only_raises_chain_errors(text):
    _check(text)


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(WORDS + list(ALPHABET)), max_size=25))
def test_random_token_soup_only_raises_chain_errors(tokens):
    _check("".join(tokens))


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(("insert", "delete", "replace", "word")))
        if kind == "insert":
            text = text[:i] + draw(st.sampled_from(ALPHABET)) + text[i:]
        elif kind == "delete":
            text = text[:i] + text[i + 1:]
        elif kind == "replace":
            text = text[:i] + draw(st.sampled_from(ALPHABET)) + text[i + 1:]
        else:
            text = text[:i] + draw(st.sampled_from(WORDS)) + text[i:]
    return text


@settings(max_examples=1500)
@given(mutated())
def test_mutated_valid_programs_only_raise_chain_errors(text):
    _check(text)
