"""lark's parse errors, told in words: what was found, what would have been
accepted (``a number, a name or '('``, never ``NUMBER, NAME, LPAR``), and a
hint where one is known.

Two sources of hints: the parser's value stack at the error (which constructs
are still open -- a ``\\frac`` missing its second argument, a ``\\sqrt[n]``
without its radicand, which bracket a closer would close) and lark's
``match_examples``, which finds the sample mistake closest to the error (the
pattern of lark's ``examples/advanced/error_reporting_lalr.py``).
"""

from __future__ import annotations

import difflib
import re

from chainlens.engine.core.source import ParseError
from chainlens.engine.language.syntax_tree import Lines, Syn
from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

__all__ = ["translate", "LATEX_COMMANDS"]

_WORDS = {
    "NUMBER": "a number", "INT": "a whole number", "NAME": "a name", "GREEK": "a name",
    "LPAR": "'('", "RPAR": "')'", "LBRACK": "'['", "RBRACK": "']'", "LBRACE": "'{'",
    "RBRACE": "'}'", "BAR": "'|'", "ABSL": "'\\left|'", "ABSR": "'\\right|'",
    "PLUS": "'+'", "MINUS": "'-'", "MULOP": "'*'", "POWOP": "'^'", "SUPER": "a superscript",
    "EQ": "'='", "COMMA": "','", "COLON": "':'", "DOTDOT": "'..'", "IN": "'in'",
    "LFUNC": "a function", "FRAC": "'\\frac'", "FRACDIGITS": "'\\frac'", "SQRT": "'\\sqrt'",
    "PI": "'\\pi'", "EULER": "'e'", "AT_AT": "'@at'", "AT_WRT": "'@wrt'",
    "AT_OUTPUT": "'@output'",
    "INPUT": "'input'", "PARAM": "'param'", "REPEAT": "'repeat'",
    "_SEP": "the end of the line", "$END": "the end of the input",
}
_EXPR_START = {"NUMBER", "NAME", "GREEK", "LPAR", "BAR", "ABSL", "PI", "EULER", "FRAC",
               "FRACDIGITS", "SQRT", "LFUNC", "LBRACE", "MINUS", "PLUS"}
_OPERATORS = {"PLUS", "MINUS", "MULOP", "POWOP", "SUPER"}
_STATEMENT_START = {"AT_AT", "AT_WRT", "AT_OUTPUT", "INPUT", "PARAM", "REPEAT"}

#: LaTeX commands the grammar reads, for "did you mean" hints.
_LATEX_COMMAND_WORDS = (
    "sin cos tan sec csc cot arcsin arccos arctan sinh cosh tanh exp ln log max min sgn erf "
    "frac dfrac tfrac sqrt cdot times div left right pi operatorname mathrm lvert rvert "
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
    "xi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi "
    "Sigma Phi Psi Omega quad qquad displaystyle"
)
LATEX_COMMANDS = tuple(_LATEX_COMMAND_WORDS.split())
#: Commands that take a word in braces (``\\operatorname{relu}``).
_WORD_COMMANDS = frozenset(("operatorname", "mathrm", "text", "mathop"))

# Sample mistakes -> what to say (lark's match_examples picks the closest).
_EXAMPLES = {
    ("nothing after '='", "write an expression after '='"): ["x =\n", "f(t) =\n", "x = ;"],
    ("@at needs name=value pairs", "write e.g. @at x=0.5, w=1"): ["@at\n", "@at x\n",
                                                                 "@at 1\n", "@at x,\n",
                                                                 "@at x=1,\n"],
    ("a repeat header reads 'repeat k in 1..N {'", "e.g. repeat k in 1..10 { a = tanh(a) }"):
        ["repeat\n", "repeat k\n", "repeat k in\n", "repeat k in 1\n", "repeat k in 1..\n",
         "repeat k in 1..3\n", "repeat k in 1..3 x\n", "repeat k {}\n", "repeat 1\n"],
    ("a declaration reads 'input NAME: [shape] in [lo, hi]'", "e.g. input x: [3] in [-1, 1]"):
        ["input\n", "param\n", "input 3\n", "input x:\n", "input x: 3\n", "input x in\n",
         "input x in 3\n", "input x in [1]\n"],
}


def _describe(tok: Token) -> str:
    if tok.type == "$END":
        return "end of input"
    if tok.type == "_SEP":
        return "end of line" if tok.value == "\n" else "';'"
    return f"'{tok.value}'"


_OPENERS = {"LPAR": "')'", "LBRACE": "'}'", "LBRACK": "']'", "BAR": "'|'",
            "ABSL": "'\\right|'"}
_CLOSES = {"RPAR": "LPAR", "RBRACE": "LBRACE", "RBRACK": "LBRACK", "BAR": "BAR",
           "ABSR": "ABSL"}
_OPERAND_TOKENS = {"NUMBER", "NAME", "GREEK", "PI", "RPAR", "RBRACE", "RBRACK", "BAR", "ABSR",
                   "FRACDIGITS", "SUPER", "INT"}


def _open_brackets(stack) -> list[str]:
    """The tokens of the brackets still open where the parse stopped (the
    parser keeps exactly those unreduced on its value stack)."""
    opened: list[str] = []
    for t in stack:
        if not isinstance(t, Token):
            continue
        if t.type in _OPENERS and not (t.type == "BAR" and opened and opened[-1] == "BAR"):
            opened.append(t.type)
        elif t.type in _CLOSES and opened and opened[-1] == _CLOSES[t.type]:
            opened.pop()
    return opened


def _after_operand(stack) -> bool:
    if not stack:
        return False
    top = stack[-1]
    if isinstance(top, Token):
        if top.type == "BAR":  # an opening bar is unreduced; a closing one never is
            return False
        return top.type in _OPERAND_TOKENS
    return isinstance(top, Syn) and top.kind != "repeat"


def _kind(t) -> str:
    if isinstance(t, Token):
        return t.type
    return t.kind if isinstance(t, Syn) else ""


def _expected_words(expected, stack=None) -> tuple[str, ...]:
    names = set(expected)
    after_frac = stack is not None and len(stack) >= 2 and _kind(stack[-2]) == "FRAC"
    if stack is not None and not after_frac and _after_operand(stack) and (
            names & {"PLUS", "MULOP", "POWOP"} or isinstance(stack[-1], Syn)):
        # After a complete operand lark lists every token that could follow in
        # any context; a person wants to hear: an operator, or the closer of
        # the bracket that is open here, or the end of the statement.
        opened = _open_brackets(stack)
        words = ["an operator"]
        if opened:
            words.append(_OPENERS[opened[-1]])
            if opened[-1] in ("LPAR", "LBRACK") and "COMMA" in names:
                words.append("','")
        else:
            kinds = [_kind(t) for t in stack]
            if "COMMA" in names and kinds and kinds[0] in ("AT_AT", "INPUT", "PARAM"):
                words.append("','")
            if "EQ" in names and len(stack) == 1 and kinds[0] in ("name", "apply"):
                words.append("'='")
            words.append("the end of the line")
        return tuple(words)
    words: list[str] = []
    if names & _EXPR_START >= {"NUMBER", "NAME", "LPAR"}:
        # Anything that starts an expression: the three a person thinks of.
        words += ["a number", "a name", "'('"]
        names -= _EXPR_START
    if {"PLUS", "MULOP"} <= names:
        words.append("an operator")
        names -= _OPERATORS
    if names & _STATEMENT_START:
        names -= _STATEMENT_START
    if "_SEP" in names:
        names.discard("$END")
    for n in sorted(names, key=lambda n: (n in ("_SEP", "$END"), n)):
        w = _WORDS.get(n, n.lower())
        if w not in words:
            words.append(w)
    return tuple(words)


def translate(exc: UnexpectedInput, lines: Lines, parse_fn) -> ParseError:
    """The :class:`ParseError` for a lark error; ``parse_fn`` re-parses the
    sample mistakes for ``match_examples``."""
    text = lines.text
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        m = re.match(r"\\([A-Za-z]+)", text[pos:])
        if m:
            close = difflib.get_close_matches(m.group(1), LATEX_COMMANDS, n=1, cutoff=0.6)
            hint = f"did you mean \\{close[0]}?" if close else None
            if m.group(1) in _WORD_COMMANDS:  # known, but its argument is not a word
                return lines.error(ParseError, f"\\{m.group(1)} needs a name in braces",
                                   pos, pos + len(m.group()),
                                   hint=f"write e.g. \\{m.group(1)}{{relu}}: letters and "
                                        "digits, starting with a letter")
            return lines.error(ParseError, f"unknown LaTeX command \\{m.group(1)}",
                               pos, pos + len(m.group()), hint=hint)
        ch = text[pos] if pos < len(text) else ""
        stack = list(getattr(exc.state, "value_stack", None) or ())
        expected = _expected_words(exc.allowed or (), stack)
        hint = None
        if ch == "|":
            hint = "a |...| after a factor needs '*' before it (2*|x|), or write abs(x)"
        elif ch == ".":
            hint = "numbers are written 0.5 or .5; names cannot contain '.' except np.sin-style"
        elif ch in "<>!":
            hint = "comparisons and factorials are not part of the language"
        elif ch == "'":
            hint = "write the function itself; `chainlens diff` differentiates it"
        return lines.error(ParseError, f"unexpected character {ch!r}", pos, pos + 1,
                           expected=expected, hint=hint)
    assert isinstance(exc, UnexpectedToken)
    tok = exc.token
    if tok.type == "$END" or tok.start_pos is None:
        start = end = len(text.rstrip())
    else:
        start, end = tok.start_pos, tok.end_pos
        if tok.type == "_SEP" and tok.value == "\n":
            end = start
    stack = list(getattr(exc.state, "value_stack", None) or ())
    expected = _expected_words(exc.expected or exc.accepts or (), stack)
    at_end = tok.type == "$END" or (tok.start_pos or 0) >= len(text)  # the "\n" parse adds
    message = "unexpected end of input" if at_end else f"unexpected {_describe(tok)}"
    hint = _hint(exc, tok)
    label = None
    try:
        label = exc.match_examples(parse_fn, _EXAMPLES, use_accepts=True)
    except Exception:  # match_examples re-parses samples; never let that mask the error
        label = None
    if label is not None and hint is None:  # a specific hint says more than a label
        message = f"{label[0]}: {message}"
        hint = label[1]
    ends_line = at_end or tok.type == "_SEP"
    if hint is None and ends_line and {"NUMBER", "NAME", "LPAR"} <= set(exc.expected or ()):
        hint = "the expression is incomplete"
    return lines.error(ParseError, message, start, end if end > start else start + 1,
                       expected=expected, hint=hint)


def _hint(exc: UnexpectedToken, tok: Token) -> str | None:
    stack = list(getattr(exc.state, "value_stack", None) or ())
    kinds = [_kind(t) for t in stack]
    if "FRAC" in kinds:
        return "\\frac takes two arguments in braces: \\frac{numerator}{denominator}"
    if "SQRT" in kinds:
        return "write \\sqrt{x} or \\sqrt[n]{x}"
    expected = set(exc.expected or ())
    if tok.type == "BAR":
        return "a |...| after a factor needs '*' before it (2*|x|), or write abs(x)"
    if tok.type in ("NUMBER", "INT") and "MULOP" in expected:
        return "put '*' between a factor and a number after it (x*2), or write 2x"
    adjacent = bool(stack) and isinstance(stack[-1], Token) \
        and stack[-1].end_pos == tok.start_pos
    if tok.type == "EQ" and kinds and kinds[-1] == "EQ" and adjacent:
        return "'==' is not an operator: comparisons are not part of the language"
    if tok.type == "EQ" and "LPAR" in kinds:
        return "keyword arguments (dim=..., axis=...) are not supported: reductions " \
               "run over every axis"
    if tok.type == "EQ" and kinds and kinds[-1] not in ("name", "apply", "EQ"):
        return "only a name (x = ...) or a function head (f(t) = ...) can be assigned"
    if tok.type == "LBRACK" and kinds and kinds[-1] == "EQ" and kinds[0] != "AT_AT":
        return "tensor values are written in @at lines: @at v=[1, 2, 3]"
    if tok.type == "LBRACK" and kinds and isinstance(stack[-1], (Syn, Token)) \
            and kinds[-1] not in ("EQ", "COMMA", "LBRACK", "AT_AT"):
        return "indexing (x[0]) is not supported; name each value, or declare a tensor input"
    return None
