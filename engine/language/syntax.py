"""From text to syntax nodes: the bracket pre-scan and the lark LALR parser.

The first stage of :mod:`chainlens.engine.language.reader`.  It knows nothing about what
names mean; it only shapes the text into :class:`~.syntax_tree.Syn` nodes that carry
character offsets, so the next stage (:mod:`chainlens.engine.language.exprs`) can
resolve names, functions, versions and repeat layers with the whole program in
view.  lark's own errors are put into words by :mod:`chainlens.engine.language.errors`.

Why a pre-scan: lark's LALR parser cannot say *where* an unbalanced bracket
was opened, and the language ignores newlines inside brackets (so a long
expression can be wrapped) but not inside a ``repeat`` block.  One regex pass
does all three jobs: it blanks comments, turns bracketed newlines into spaces
(offsets stay put, so spans need no mapping), and checks bracket pairs and
nesting depth before lark ever runs, so a deep input is a :class:`LimitError`
rather than a ``RecursionError`` later.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from chainlens.engine import rules
from chainlens.engine.core.limits import MAX_NESTING
from chainlens.engine.core.source import LimitError, ParseError
from chainlens.engine.core.userdir import private_dir
from chainlens.engine.language.errors import translate
from chainlens.engine.language.syntax_tree import Lines, Syn, TooDeep
from lark import Lark, Token, Transformer
from lark import __version__ as lark_version
from lark.exceptions import UnexpectedInput

__all__ = ["syntax", "prescan"]


# ---------------------------------------------------------------------------
# Pre-scan: comments, bracketed newlines, bracket pairs, nesting depth
# ---------------------------------------------------------------------------

_SCAN = re.compile(
    r"#[^\n]*|\\left\s*[(\[|]|\\right\s*[)\]|]|\\[lr]vert(?![A-Za-z])|[()\[\]{}\n;]"
)
_CLOSER = {"(": ")", "[": "]", "{": "}", "\\left(": "\\right)", "\\left[": "\\right]",
           "\\left|": "\\right|", "\\lvert": "\\rvert"}
_REPEAT_AT = re.compile(r"[ \t]*repeat\b")


def _bracket(token: str) -> str:
    return re.sub(r"\s+", "", token)


_LETTER = "A-Za-z\u03b1-\u03bf\u03c1-\u03c9\u0391-\u03a9\u03d1\u03f1"
#: ``\mathrm{lr}``, ``\text{lr}``: how the LaTeX printer writes a name of
#: several letters (``\_`` inside is an underscore).
_WORD_NAME = re.compile(
    rf"\\(?:mathrm|text)\s*\{{\s*([{_LETTER}](?:[{_LETTER}0-9]|\\_)*)\s*\}}")


def _word_names(text: str) -> str:
    r"""``text`` with each ``\mathrm{word}`` that names no function (nor
    Euler's ``e``) replaced by the bare word, right-aligned in the same width
    so every later position is unchanged: ``\mathrm{lr}_{2}`` reads as the
    name ``lr_2`` and ``\mathrm{relu}(x)`` still calls relu."""
    if "\\m" not in text and "\\t" not in text:
        return text

    def bare(m: re.Match) -> str:
        word = m.group(1).replace("\\_", "_")
        if word == "e" or rules.lookup(word) or word in rules.COMPOSITIONS:
            return m.group()
        return " " * (len(m.group()) - len(word)) + word
    return _WORD_NAME.sub(bare, text)


def prescan(lines: Lines) -> str:
    """The text lark reads: comments blanked, newlines inside brackets made
    spaces, printed multi-letter names bare (:func:`_word_names`); raises on
    unbalanced brackets and on nesting beyond the limit."""
    text = _word_names(lines.text)
    out: list[str] = []
    last = 0
    stack: list[tuple[str, int, int, bool]] = []  # (opener, start, end, is_block)
    stmt_start = 0
    for m in _SCAN.finditer(text):
        tok = m.group()
        c = tok[0]
        if c == "#":
            out.append(text[last:m.start()])
            out.append(" " * len(tok))
            last = m.end()
        elif c in "\n;":
            if stack and not stack[-1][3]:
                if c == "\n":
                    out.append(text[last:m.start()])
                    out.append(" ")
                    last = m.end()
            else:
                stmt_start = m.end()
        elif tok in _CLOSER or _bracket(tok) in _CLOSER:
            opener = _bracket(tok)
            block = (opener == "{" and (not stack or stack[-1][3])
                     and _REPEAT_AT.match(text, stmt_start) is not None)
            stack.append((opener, m.start(), m.end(), block))
            if len(stack) > MAX_NESTING:
                raise lines.error(LimitError, f"brackets nested more than {MAX_NESTING} deep",
                                  m.start(), m.end(),
                                  hint="name the inner parts with assignments")
            if block:
                stmt_start = m.end()
        else:
            closer = _bracket(tok)
            if not stack:
                raise lines.error(ParseError, f"'{closer}' has no matching opening bracket",
                                  m.start(), m.end(),
                                  hint="remove it, or add the opening bracket before it")
            opener, ostart, oend, block = stack[-1]
            if _CLOSER[opener] != closer:
                where = lines.span(ostart, oend)
                want = _CLOSER[opener]
                hint = f"close '{opener}' (line {where.line}, column {where.column}) with '{want}'"
                if opener.startswith("\\left") and not closer.startswith("\\right"):
                    hint = f"'{opener}' needs '{want}': \\left and \\right come in pairs"
                elif closer.startswith("\\right") and not opener.startswith("\\left"):
                    hint = f"'{closer}' needs a matching '\\left' before it"
                raise lines.error(
                    ParseError,
                    f"'{closer}' does not match the '{opener}' opened at line {where.line}, "
                    f"column {where.column}",
                    m.start(), m.end(), expected=(f"'{want}'",), hint=hint)
            stack.pop()
            if block:
                stmt_start = m.end()
    if stack:
        opener, ostart, oend, _ = stack[-1]
        where = lines.span(ostart, oend)
        want = _CLOSER[opener]
        hint = f"add '{want}' where the bracket should end"
        if opener.startswith("\\left"):
            hint = f"'{opener}' without '{want}': \\left and \\right come in pairs"
        raise lines.error(ParseError,
                          f"'{opener}' opened at line {where.line}, column {where.column} "
                          f"is never closed",
                          ostart, oend, expected=(f"'{want}'",), hint=hint)
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------
# Parse callbacks: lark calls these as it reduces (transformer= with LALR), so
# no parse tree is built and nothing recurses.
# ---------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_MULOPS = {"*": "*", "/": "/", "@": "@", "·": "*", "×": "*", "÷": "/",
           "\\cdot": "*", "\\times": "*", "\\div": "/"}


def _se(x):
    if isinstance(x, Token):
        return x.start_pos, x.end_pos
    return x.start, x.end


def _leaf(kind, tok, val=None):
    return Syn(kind, tok.start_pos, tok.end_pos, (), tok.value if val is None else val)


class _Build(Transformer):
    """Rule name -> syntax node.  Sums and products are flattened as they
    grow, so ``x+x+...+x`` is one node of depth 1, not a left-leaning chain."""

    # ---- expressions -----------------------------------------------------
    def number(self, c):
        return _leaf("num", c[0])

    def name(self, c):
        return _leaf("name", c[0])

    def pi(self, c):
        return _leaf("pi", c[0])

    def euler(self, c):
        return _leaf("euler", c[0])

    def group(self, c):
        return Syn("group", c[0].start_pos, c[-1].end_pos, (c[1],))

    def unary(self, c):
        op, x = c
        kind = "pos" if op.value == "+" else "neg"
        return Syn(kind, op.start_pos, x.end, (x,))

    def pow(self, c):
        base = c[0]
        if len(c) == 2:  # Unicode superscript: x², x⁻¹
            tok = c[1]
            exp = Syn("num", tok.start_pos, tok.end_pos, (), tok.value.translate(_SUPERSCRIPTS))
        else:
            exp = c[2]
        return Syn("pow", base.start, exp.end, (base, exp))

    def sum(self, c):
        left, op, right = c
        sign = "+" if op.type == "PLUS" else "-"
        if left.kind == "sum":
            return _extend(left, right, sign)
        return Syn("sum", left.start, right.end, (left, right), ["+", sign])

    def product(self, c):
        if len(c) == 2:
            left, right = c
            op = " "
        else:
            left, tok, right = c
            op = _MULOPS.get(tok.value.replace(" ", ""), "*")
        if left.kind == "product":
            return _extend(left, right, op)
        return Syn("product", left.start, right.end, (left, right), [None, op])

    def fnarg(self, c):
        if len(c) == 1:
            return c[0]
        return self.product(c)

    def apply(self, c):
        head, _, args, close = c
        return Syn("apply", head.start_pos, close.end_pos, tuple(args),
                   (head.value, head.start_pos, head.end_pos))

    def args(self, c):
        return [x for x in c if not isinstance(x, Token)]

    def abs(self, c):
        return Syn("abs", c[0].start_pos, c[-1].end_pos, (c[1],))

    def frac(self, c):
        head, a, b = c
        rest = None
        if b.kind == "name" and len(b.val) > 1 and b.val[0].isalpha():
            # \frac1tx is (1/t)·x: an argument without braces is one token
            rest = Syn("name", b.start + 1, b.end, (), b.val[1:])
            b = Syn("name", b.start, b.start + 1, (), b.val[0])
        frac = Syn("frac", head.start_pos, b.end, (a, b))
        return frac if rest is None else Syn("product", frac.start, rest.end, (frac, rest),
                                             [None, " "])

    def frac_digits(self, c):
        tok = c[0]
        d = [ch for ch in tok.value if ch.isdigit()]
        end = tok.end_pos
        a = Syn("num", end - 2, end - 1, (), d[0])
        b = Syn("num", end - 1, end, (), d[1])
        return Syn("frac", tok.start_pos, end, (a, b))

    def sqrt(self, c):
        head = c[0]
        if head.value == "∛":
            three = Syn("num", head.start_pos, head.end_pos, (), "3")
            return Syn("root", head.start_pos, c[1].end, (c[1], three))
        return Syn("root", head.start_pos, c[1].end, (c[1],))

    def root(self, c):
        return Syn("root", c[0].start_pos, c[-1].end, (c[-1], c[2]))

    def lcall(self, c):
        head = c[0]
        if len(c) == 2:  # \sin x
            return Syn("lcall", head.start_pos, c[1].end, (c[1],),
                       (head.value, head.start_pos, head.end_pos))
        return Syn("lcall", head.start_pos, c[-1].end_pos, tuple(c[2]),
                   (head.value, head.start_pos, head.end_pos))

    def lcall_pow(self, c):
        # \sin^2 x is (sin x)^2; the exponent is kept first among the kids.
        head, _, sup = c[0], c[1], c[2]
        args = (c[3],) if len(c) == 4 else tuple(c[4])
        end = c[-1].end if len(c) == 4 else c[-1].end_pos
        return Syn("lcall_pow", head.start_pos, end, (sup, *args),
                   (head.value, head.start_pos, head.end_pos))

    # ---- statements ------------------------------------------------------
    def expr_stmt(self, c):
        return Syn("expr_stmt", c[0].start, c[0].end, (c[0],))

    def assign(self, c):
        lhs, _, rhs = c
        return Syn("assign", lhs.start, rhs.end, (lhs, rhs))

    def binding(self, c):
        name, _, value = c
        return Syn("binding", name.start_pos, value.end, (value,),
                   (name.value, name.start_pos, name.end_pos))

    def tensor(self, c):
        return Syn("tensor", c[0].start_pos, c[-1].end_pos,
                   tuple(x for x in c if not isinstance(x, Token)))

    def at(self, c):
        kids = tuple(x for x in c if not isinstance(x, Token))
        return Syn("at", c[0].start_pos, kids[-1].end, kids)

    def _name_list(self, kind, c):
        names = [(t.value, t.start_pos, t.end_pos) for t in c[1:] if t.type in ("NAME", "GREEK")]
        return Syn(kind, c[0].start_pos, c[-1].end_pos, (), names)

    def wrt(self, c):
        return self._name_list("wrt", c)

    def output(self, c):
        return self._name_list("output", c)

    def shape(self, c):
        dims = tuple(int(t.value) for t in c if t.type == "INT")
        return Syn("shape", c[0].start_pos, c[-1].end_pos, (), dims)

    def range(self, c):
        return Syn("range", c[0].start_pos, c[-1].end_pos, (c[1], c[3]))

    def decl(self, c):
        role, name = c[0], c[1]
        shape = next((x for x in c if isinstance(x, Syn) and x.kind == "shape"), None)
        rng = next((x for x in c if isinstance(x, Syn) and x.kind == "range"), None)
        end = _se(c[-1])[1]
        return Syn("decl", role.start_pos, end, tuple(x for x in (rng,) if x),
                   (role.value, (name.value, name.start_pos, name.end_pos),
                    shape.val if shape else ()))

    def repeat(self, c):
        var, lo, hi = c[1], c[3], c[5]
        body = tuple(x for x in c[7:] if isinstance(x, Syn))
        return Syn("repeat", c[0].start_pos, c[-1].end_pos, body,
                   ((var.value, var.start_pos, var.end_pos), int(lo.value), int(hi.value),
                    c[6].start_pos))

    def start(self, c):
        return [x for x in c if isinstance(x, Syn)]


def _extend(node: Syn, right: Syn, op) -> Syn:
    node.kids = (*node.kids, right) if len(node.kids) < 8 else _append(node.kids, right)
    node.val.append(op)
    node.end = right.end
    if right.depth + 1 > node.depth:
        node.depth = right.depth + 1
        if node.depth > MAX_NESTING:
            raise TooDeep(node.start, node.end)
    return node


def _append(kids, right):
    # Long sums grow by appending to a list (amortised O(1)), not by copying.
    if not isinstance(kids, list):
        kids = list(kids)
    kids.append(right)
    return kids


@lru_cache(maxsize=1)
def _lark() -> Lark:
    source = files("chainlens.engine.language").joinpath("grammar.lark")
    grammar = source.read_text(encoding="utf-8").replace(
        "@LATEX_FUNCTIONS@", "|".join(rules.latex_commands()))
    # Building the LALR tables takes ~0.1 s of every fresh process (the
    # first call of a gRPC or editor request); lark keeps them in the user's
    # private cache, checked against a hash of the grammar and options.
    where = private_dir("lark")
    return Lark(grammar, parser="lalr", lexer="contextual", transformer=_Build(),
                maybe_placeholders=False,
                cache=str(where / f"grammar-{lark_version}.cache") if where else False)


def syntax(lines: Lines) -> list[Syn]:
    """The statements of ``lines.text`` as syntax nodes; raises
    :class:`ParseError` / :class:`LimitError` with a place."""
    prepared = prescan(lines)
    try:
        return _lark().parse(prepared + "\n")
    except TooDeep as exc:
        raise lines.error(LimitError, f"expression nested more than {MAX_NESTING} deep",
                          exc.start, exc.end,
                          hint="name the inner parts with assignments") from None
    except UnexpectedInput as exc:
        raise translate(exc, lines, _lark().parse) from None
