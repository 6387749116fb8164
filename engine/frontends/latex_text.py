"""A note's math as the engine reads it, and the places where it cannot be sure.

People write TeX for the eye: ``2xe^x`` is 2·x·e^x, ``x_ia_{ij}`` is
x_i·a_ij, ``\\frac1t`` is 1/t, ``\\Bigl(`` is a bracket, ``\\ds`` and ``\\,`` are
nothing.  :func:`normalise` turns a piece of a note into text the engine's
LaTeX reader takes with that meaning (TeX's: a run of letters in math mode is
a product of single letters; a superscript or subscript without braces is one
token).  What TeX's own reading leaves open is reported by :func:`ambiguity`
instead of guessed: a claim is only ever called wrong when its text means one
thing.

Decided conventions (documented in the README's notes section):

* a run of letters is a product (``nx`` = n·x) unless it is a function's
  name (``sin``, ``ln``, ``exp``, spelled as in the rules table), which keeps
  its meaning written bare (``sin(x)`` in a Markdown cheat sheet);
* a function without brackets takes a number and one letter (``\\sin 2x``,
  ``\\cos x^2``); anything longer (``\\ln te^t``, ``\\sin x y``) or followed by
  ``/`` (``\\sin \\pi/2``: sin(π/2) to most readers, sin(π)/2 to TeX's
  grammar) is ambiguous, and the claim is "not checked".
"""

from __future__ import annotations

import re
from functools import lru_cache

from chainlens.engine.frontends.latex_decorated import bracketed_bars, undecorate
from chainlens.engine.frontends.latex_macros import Macro, expand_macros
from chainlens.engine.rules import RULES

__all__ = ["normalise", "ambiguity", "two_readings", "function_words", "latex_words",
           "NATIONAL_NAMES"]

_DROP = re.compile(
    r"\\(displaystyle|textstyle|scriptstyle|ds|bigskip|medskip|smallskip|qedhere|nonumber|notag"
    r"|primeskip|limits|nolimits|quad|qquad|displaybreak|strut|left\.|right\.)(?![A-Za-z])"
    # glue and alignment padding (\diff's \hfil#1\hfil, \hidewidth in align): only layout
    r"|\\(?:hfil|hfill|hfilneg|hss|hidewidth|relax|allowbreak|nobreak|centering)(?![A-Za-z])"
    r"|\\(label|tag\*?|hspace\*?|vspace\*?|color|[hv]?phantom)\s*\{[^{}]*\}"
    r"|\\mathstrut(?![A-Za-z])"
    r"|\\[mh]?kern\s*-?[\d.]+\s*(mu|pt|em|ex)|\\hskip\s*-?[\d.]+\s*(pt|em|ex)"
    r"|\\[,;:! >]|(?<!\\)\\\n|~|\^\s*\{\s*\}")  # (\sin^{}y: an empty power, nothing)
_UNWRAP = re.compile(r"\\(ensuremath|boxed|mathbf|mathit|bm|boldsymbol|underbrace|overbrace"
                     r"|displaystyle|colorbox\{[^{}]*\}|textcolor\{[^{}]*\}|color\{[^{}]*\}(?=\s*\{)"
                     r"|[bx]?cancel|cancelto\{[^{}]*\}|smash|mathbin|mathord|mathrel|mathopen"
                     r"|mathclose|underset\{[^{}]*\}|overset\{[^{}]*\}|stackrel\{[^{}]*\}"
                     r"|answer(?:\[[^\]]*\])?)\s*\{")  # Ximera's \answer{2x}: the claimed side
_SIZED = re.compile(r"\\(?:[Bb]igg?|left|right)[lrm]?\s*(\\\{|\\\}|\\langle|\\rangle|[()\[\]|.]"
                    r"|\\[lr]brack(?![A-Za-z])|\\[lr]brace(?![A-Za-z]))")
#: bracket words written bare: ``\lbrack x\rbrack`` is [x]
#: (not \\langle x \\rangle: an average or an inner product to many authors)
_BRACKET_WORDS = {"\\lbrack": "(", "\\rbrack": ")", "\\lbrace": "(", "\\rbrace": ")"}
_BRACKET_WORD = re.compile(r"\\(?:[lr]brack|[lr]brace)(?![A-Za-z])")
#: sized bars: ``\left| x \right|`` and ``\left\vert``: an explicit pair, |x| (red team R4)
_SIZED_BAR = re.compile(r"\\(left|right)\s*(?:\||\\vert(?![A-Za-z])|\\[lr]vert(?![A-Za-z]))")
#: TeX's superscript characters, as a note writes them in plain text (xⁿ⁻¹, eˣ, sin²x)
#: Other traditions' names of the same functions (Russian and European schools
#: write tg, ctg, arctg, sh, ch, th; Spanish and Portuguese sen; babel's russian
#: defines them as commands), as \\operatorname{…} or bare commands: the usual ones.
#: In \\text{…}/\\mathrm{…} only the longer names: ``n^{\\text{th}}`` is an ordinal.
NATIONAL_NAMES = {"tg": "\\tan", "ctg": "\\cot", "cotg": "\\cot", "arctg": "\\arctan",
                  "arcctg": "\\arccot", "sh": "\\sinh", "ch": "\\cosh", "th": "\\tanh",
                  "cth": "\\coth", "cosec": "\\csc", "sen": "\\sin", "arcsen": "\\arcsin"}
_NATIONAL = re.compile(r"\\operatorname\s*\{\s*(" + "|".join(NATIONAL_NAMES) + r")\s*\}"
                       r"|\\(?:mathrm|text|mathop)\s*\{\s*("
                       + "|".join(n for n in NATIONAL_NAMES if len(n) > 2) + r")\s*\}"
                       r"|\\(" + "|".join(NATIONAL_NAMES) + r")(?![A-Za-z])")
_UNICODE_POWER = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿˣⁱʸᵗᵏᵃᵐ]+")
_UNICODE_POWER_CHARS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿˣⁱʸᵗᵏᵃᵐ", "0123456789-+nxiytkam")
#: ``\root 3 \of x`` (plain TeX) is the cube root
_ROOT_OF = re.compile(r"\\root\s*(\{[^{}]*\}|[^\s\\{}]+)\s*\\of(?![A-Za-z])\s*")
_UPRIGHT_D = re.compile(r"\\(?:mathrm|operatorname|text|mathop)\s*\{\s*d\s*(?:\\[,;:!]\s*)*\}"
                        r"|\\mathrm\s+d"  # \mathrm dx: TeX takes one token, d (red team R3)
                        r"|\\(?:dd|dif)(?![A-Za-z])")  # physics' \dd x, commath's \dif x
#: ``d {y}``, ``d {}`` (a macro's argument spliced in braces): TeX shows dy, d.
_D_GROUP = re.compile(r"(?<![\\A-Za-z])d\s*\{\s*([A-Za-z]?)\s*\}")
_PLAIN_D = re.compile(r"(?<![\\A-Za-z{])d([a-z])?\s*/\s*d([a-z])(?![A-Za-z])")
_PLAIN_PARTIAL = re.compile(r"∂\s*([A-Za-z])?\s*/\s*∂\s*([A-Za-z])(?![A-Za-z])")
_PRIME = re.compile(r"\^\s*\{?\s*\\prime\s*\}?|\\prime|’|′")
_FRAC_TOKEN = re.compile(r"\\[dt]?frac(?![A-Za-z])")
_LETTERS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")
_PROTECTED = re.compile(r"\\(operatorname|mathrm|text|textrm|mathop|mathit|begin|end|mbox)"
                        r"\s*\{[^{}]*\}")
_SCRIPT = re.compile(r"([_^])\s*([A-Za-z0-9])")
_CONTROL = re.compile(r"\\[A-Za-z]+")


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Names a note may write bare for a function (``sin``, ``ln``), read from
    the rules table's names and spellings."""
    words = set()
    for rule in RULES.values():
        words.add(rule.name)
        words.update(rule.spellings.aliases)
        words.update(rule.spellings.latex)
    return frozenset(w for w in words if w.isalpha() and len(w) > 1)


@lru_cache(maxsize=1)
def latex_words() -> frozenset[str]:
    """The control words (without the backslash) the LaTeX reader calls."""
    return frozenset(w for rule in RULES.values() for w in rule.spellings.latex) | {"log"}


def _group_end(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{" and text[i - 1:i] != "\\":
            depth += 1
        elif text[i] == "}" and text[i - 1:i] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


_ONE_TOKEN = re.compile(r"\s*(?:[A-Za-z0-9]|\\[A-Za-z]+)\s*")


def _unwrap(text: str) -> str:
    """``\\boxed{X}`` -> ``X`` (and the other invisible wrappers: colour,
    cancelling strokes, a brace with its annotation).  A wrapper is read as
    its body, never dropped with it: ``\\textcolor{red}{-}`` is a minus sign."""
    at = 0
    while True:
        m = _UNWRAP.search(text, at)
        if not m:
            return text
        end = _group_end(text, m.end() - 1)
        if end < 0:
            return text
        body = text[m.end():end - 1]
        if m.group(1) != "overbrace" and re.match(r"\s*\^", text[end:]) \
                and not re.fullmatch(_ONE_TOKEN, body):
            # \boxed{2x}^2: the power is on the box, which reads as 2x² to the eye
            # and as (2x)² to TeX: left as written, so not read
            at = m.end()
            continue
        if m.group(1).startswith("underset") and re.fullmatch(
                r"\s*\\(?:lim|sum|prod|max|min|sup|inf)\s*", body):
            # \underset{h\to 0}{\lim}: the limit's subscript, as \lim_{h\to 0}
            body = body.strip() + "_{" + m.group(1)[len("underset{"):-1] + "}"
        if m.group(1).startswith("colorbox"):
            body = body.replace("$", " ")  # \colorbox{c}{$2x$}: text mode around math
        rest = text[end:]
        script = {"underbrace": "_", "overbrace": "^"}.get(m.group(1))
        if script and rest.lstrip().startswith(script):
            # \underbrace{2x}_{\text{power rule}}: the annotation is no subscript of 2x
            at = len(rest) - len(rest.lstrip()) + 1
            while at < len(rest) and rest[at].isspace():
                at += 1
            close = _group_end(rest, at) if rest[at:at + 1] == "{" else \
                (at + len(c.group(0)) if (c := _CONTROL.match(rest, at)) else at + 1)
            if close < 0:
                return text
            rest = rest[close:]
            if re.match(r"\s*[\^_]", rest) and not re.fullmatch(_ONE_TOKEN, body):
                at = m.end()
                continue
        text = text[:m.start()] + " " + body + " " + rest


def _over(text: str) -> str:
    """Plain TeX's ``{a \\over b}`` as ``\\frac{a}{b}``."""
    m = re.search(r"\\over(?![A-Za-z])", text)
    while m:
        depth, start = 0, -1
        for i in range(m.start() - 1, -1, -1):
            if text[i] == "}":
                depth += 1
            elif text[i] == "{":
                if depth == 0:
                    start = i
                    break
                depth -= 1
        end = _group_end(text, start) if start >= 0 else -1
        if end < 0:
            return text
        top, bottom = text[start + 1:m.start()], text[m.end():end - 1]
        text = text[:start] + "\\frac{" + top + "}{" + bottom + "}" + text[end:]
        m = re.search(r"\\over(?![A-Za-z])", text)
    return text


def _frac_arguments(text: str) -> str:
    """``\\frac1t``, ``\\frac1{\\sqrt x}``, ``\\frac\\pi2``: TeX takes one token per
    argument when there are no braces; brace them for the grammar."""
    out, i = [], 0
    for m in _FRAC_TOKEN.finditer(text):
        if m.start() < i:
            continue
        out.append(text[i:m.end()])
        j = m.end()
        for _ in range(2):
            while j < len(text) and text[j].isspace():
                j += 1
            if j >= len(text):
                break
            if text[j] == "{":
                end = _group_end(text, j)
                if end < 0:
                    break
                out.append(text[j:end])
                j = end
            else:
                c = _CONTROL.match(text, j)
                token = c.group(0) if c else text[j]
                out.append("{" + token + "}")
                j += len(token)
        i = j
    out.append(text[i:])
    return "".join(out)


def _split_letters(text: str) -> str:
    """A run of letters is a product of single letters, as TeX typesets it,
    unless it is a function's name.  Protected groups (``\\operatorname{..}``,
    ``\\text{..}``) and control words are left alone."""
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    words, latex = function_words(), latex_words()

    def word(w: str) -> str:
        return "\\" + w if w in latex else w

    def split(m: re.Match) -> str:
        if any(s <= m.start() < e for s, e in protected):
            return m.group(0)
        run = m.group(0)
        if run in words:
            return word(run)
        head = next((w for w in sorted(words, key=len, reverse=True) if run.startswith(w)), None)
        if head is not None:
            return word(head) + " " + " ".join(run[len(head):])
        return " ".join(run)

    return _LETTERS.sub(split, text)


_PHYSICS = re.compile(r"\\(p?dv|odv|od|pd|diffp?)(?![A-Za-z])\s*(?:\[\s*(\d)\s*\])?\s*(?=\{)"
                      r"|\\qty(?![A-Za-z])\s*(?=[(\[])")


def _physics(text: str) -> str:
    """The ``physics`` package's derivatives, as the note's own macros would be
    expanded (and the derivative, commath and esdiff packages' ``\\odv``, ``\\od``,
    ``\\pd``, ``\\diff``, ``\\diffp``, the same with ordinary names): ``\\dv{x}`` is
    d/dx, ``\\dv[2]{x}`` d²/dx², ``\\dv{f}{x}`` df/dx, ``\\pdv{f}{x}`` ∂f/∂x, ``\\qty(…)``
    brackets.  (``\\pdv{f}{x}{y}``, a mixed partial, stays as written: not read.)"""
    out, at = [], 0
    for m in _PHYSICS.finditer(text):
        if m.start() < at:
            continue
        if not m.group(1):
            out += [text[at:m.start()]]
            at = m.end()
            continue
        groups, i = [], m.end()
        while len(groups) < 3:
            j = i
            while j < len(text) and text[j] == " ":
                j += 1
            if text[j:j + 1] != "{":
                break
            end = _group_end(text, j)
            if end < 0:
                break
            groups.append(text[j + 1:end - 1].strip())
            i = end
        if not groups or len(groups) == 3:
            continue
        if len(groups) == 2 and not groups[0]:
            groups = groups[1:]  # \dv{}{x}: the operator d/dx (red team R6)
        d = "\\partial " if m.group(1) in ("pdv", "pd", "diffp") else "d"
        n = m.group(2)
        top, var = (d + (f"^{{{n}}}" if n else ""), groups[-1])
        low = f"{d}{var}" + (f"^{{{n}}}" if n else "")
        if len(groups) == 1:
            new = f"\\frac{{{top}}}{{{low}}}"
        elif re.fullmatch(r"[A-Za-z]|\\[A-Za-z]+", groups[0]):
            new = f"\\frac{{{top} {groups[0]}}}{{{low}}}"
        else:
            new = f"\\frac{{{top}}}{{{low}}}\\left({groups[0]}\\right)"
        out += [text[at:m.start()], new]
        at = i
    return "".join(out) + text[at:]


_SIGMA_POWER = re.compile(r"\\sigma\s*\^\s*(\{\s*\d\s*\}|\d)\s*\(")


def _sigma_powers(text: str) -> str:
    """``\\sigma^2(Z)`` is σ(Z)², as ``\\sin^2 x`` is (sin x)²: the power moves
    after the argument (else σ would be a symbol squared times Z)."""
    while (m := _SIGMA_POWER.search(text)) is not None:
        depth, end = 0, -1
        for k in range(m.end() - 1, len(text)):
            depth += (text[k] == "(") - (text[k] == ")")
            if depth == 0:
                end = k + 1
                break
        if end < 0:
            return text
        power = m.group(1).strip("{} ")
        text = (text[:m.start()] + "\\sigma" + text[m.end() - 1:end] + "^{" + power + "}"
                + text[end:])
    return text


def _sized_bars(text: str) -> str:
    """``\\left| x \\right|`` as ``\\lvert x \\rvert`` when every sized bar has its
    partner and one follows a factor (``3x\\left|x\\right|`` is 3x·|x|); else as
    ``|``, which :func:`bracketed_bars` reads after a function; an evaluation bar
    (``\\left. … \\right|_{x=1}``) keeps its reading."""
    found = list(_SIZED_BAR.finditer(text))
    left = sum(m.group(1) == "left" for m in found)
    glued = any(m.group(1) == "left" and re.search(r"[A-Za-z0-9)}]\s*$", text[:m.start()])
                and not re.search(r"\\[A-Za-z]+\s*$", text[:m.start()]) for m in found)
    if not found or 2 * left != len(found) or not glued:
        return _SIZED_BAR.sub(lambda m: "\\" + m.group(1) + "|", text)
    return _SIZED_BAR.sub(lambda m: "\\lvert " if m.group(1) == "left" else "\\rvert ", text)


def _root_of(text: str) -> str:
    """Plain TeX's ``\\root 3 \\of x`` (``\\root n\\of{x+1}``) as ``\\sqrt[3]{x}``."""
    while (m := _ROOT_OF.search(text)) is not None:
        at = m.end()
        if text[at:at + 1] == "{":
            end = _group_end(text, at)
            if end < 0:
                return text
            radicand = text[at + 1:end - 1]
        elif (c := _CONTROL.match(text, at)) is not None:
            end, radicand = c.end(), c.group(0)
        elif at < len(text):
            end, radicand = at + 1, text[at]
        else:
            return text
        index = m.group(1).strip("{} ")
        text = text[:m.start()] + "\\sqrt[" + index + "]{" + radicand + "}" + text[end:]
    return text


_FUNCTION_BEFORE = re.compile(r"\\([A-Za-z]+)\s*$")


def _power_times(m: re.Match) -> str:
    """``^{9}2t`` is ^{9}·2t, but after a function word the number is its argument."""
    word = _FUNCTION_BEFORE.search(m.string, 0, m.start())
    if word and word.group(1) in latex_words():
        return m.group(0)
    return m.group(1) + " \\cdot "


@lru_cache(maxsize=1)
def _bare_function() -> re.Pattern:
    """``\\sech x``, ``\\arcsinh x``: a command TeX lacks (the note's preamble or
    MathJax setup defines it) that names a one-argument elementwise function of
    the table, one the table itself writes ``\\operatorname{…}``, is that function (it
    was 'unknown LaTeX command \\sech').  Not \\sqrt, \\sigma, \\abs{x}, \\mean,
    \\step: TeX's own commands, or macros that often mean something else."""
    words = set()
    for rule in RULES.values():
        if (rule.arity == 1 and rule.kind == "elementwise" and rule.tensor is None
                and rule.notation.latex.startswith("\\operatorname{")):
            words.update((rule.name, *rule.spellings.aliases))
    words = sorted(w for w in words - latex_words() if w.isalpha() and w.islower())
    return re.compile(r"\\(" + "|".join(words) + r")(?![A-Za-z])")


def normalise(math: str, macros: dict[str, Macro] | None = None) -> str:
    """``math`` as the engine's LaTeX reader should take it (see the module
    docstring).  Not offset-preserving: spans come from the raw note."""
    text = _physics(expand_macros(math, macros or {}))
    text = _NATIONAL.sub(lambda m: NATIONAL_NAMES[m.group(m.lastindex)] + " ", text)
    text = _bare_function().sub(r"\\operatorname{\1}", text)
    # plain text's d/dx, dy/dx, ∂f/∂x inside a claim is the operator, never d÷(d·x)
    text = _PLAIN_D.sub(lambda m: "\\frac{d" + (m.group(1) or "") + "}{d" + m.group(2) + "}", text)
    text = _PLAIN_PARTIAL.sub(lambda m: "\\frac{\\partial " + (m.group(1) or "") + "}{\\partial "
                              + m.group(2) + "}", text).replace("∂", "\\partial ")
    text = _UPRIGHT_D.sub("d", text)
    text = _D_GROUP.sub(r"d\1", text)
    text = _unwrap(text)
    text = _DROP.sub(" ", text)
    text = _sized_bars(text)
    text = _SIZED.sub(lambda m: {"\\{": "(", "\\}": ")", ".": " ", "\\langle": "(",
                                 "\\rangle": ")"}.get(m.group(1), m.group(1)), text)
    text = _BRACKET_WORD.sub(lambda m: _BRACKET_WORDS[m.group(0)], text)
    text = re.sub(r"\\vert(?![A-Za-z])", "|", text)
    text = _UNICODE_POWER.sub(lambda m: "^{" + m.group(0).translate(_UNICODE_POWER_CHARS) + "}",
                              text)
    text = bracketed_bars(text)  # \ln|x|: ln(|x|)
    text = _PRIME.sub("'", text)
    text = re.sub(r"([A-Za-z])\s+'", r"\1'", text)
    text = re.sub(r"'\s+(?=')", "'", text)  # \fp' with \fp = f\,': f''
    text = text.replace("\\{", "(").replace("\\}", ")")
    text = re.sub(r"\\sqrt\s*\[([^\[\]]*)\]", lambda m: "\\sqrt\x00" + m.group(1) + "\x01", text)
    text = text.replace("[", "(").replace("]", ")").replace("\x00", "[").replace("\x01", "]")
    text = re.sub(r"\\(?:[dtc]|nice|s)frac(?![A-Za-z])(?:\s*\[[^\]]*\])?", r"\\frac", text)
    text = _root_of(text)
    text = _over(text)
    text = _frac_arguments(text)
    text = re.sub(r"\^\s*(-\s*\d)", r"^{\1}", text)  # sin^-1(x): a signed one-digit power
    text = _SCRIPT.sub(lambda m: m.group(1) + "{" + m.group(2) + "}", text)
    text = _sigma_powers(text)
    # log2(x), log10(x) in plain text: the base-2 and base-10 logarithms (C, NumPy)
    text = re.sub(r"(?<![\\A-Za-z])log(2|10)(?=\s*\()", r"\\log_{\1}", text)
    text = _split_letters(text)
    text = _signed_factors(text)
    text = re.sub(r"(?<![\\A-Za-z_{^])([A-Za-z])(\d)", r"\1 \\cdot \2", text)  # x3 is x·3
    text = re.sub(r"\)\s*(?=\d)", r") \\cdot ", text)  # \cos(x^3)3x^2 is cos(x³)·3x²
    # (t^2+1)^92t: ^{9}·2t; a function's power is no factor (\cos^{-1} 2x is arccos(2x))
    text = re.sub(r"(\^\{[^{}]*\})\s*(?=\d)", _power_times, text)
    text = undecorate(re.sub(r"\s+", " ", text).strip())  # \hat{y}: one name, y_{hat}
    return text.rstrip(".,;: ").strip()


# ---- ambiguity -------------------------------------------------------------
_FUNC_NOPAREN = re.compile(
    r"\\(sin|cos|tan|sec|csc|cot|sinh|cosh|tanh|coth|arcsin|arccos|arctan|arcsec|arccsc|arccot"
    r"|log|ln|exp)(?![A-Za-z])(?:\s*\^\s*(?:\{[^{}]*\}|\S))?\s*(?![\s({\\]*(?:\(|\{|\\left))")
_ARG = re.compile(r"\s*(?:\d+(?:\.\d+)?)?\s*(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{[^{}]*\})?"
                  r"(?:\s*\^\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?")


def _signed_factors(text: str) -> str:
    """``\\ln x(-\\sin x)`` is ln x·(−sin x): a bracket that opens with a sign
    after a function's bracket-less argument is a factor, not more argument."""
    out, at = [], 0
    for m in _FUNC_NOPAREN.finditer(text):
        arg = _ARG.match(text, m.end())
        if arg is None or arg.end() < at:
            continue
        if re.match(r"\s*\(\s*-", text[arg.end():]):
            out.append(text[at:arg.end()] + " \\cdot")
            at = arg.end()
    return "".join(out) + text[at:]


def _sites(text: str):
    """``(reason, argument start, argument end)`` for each function whose
    bracket-less argument may run on."""
    for m in _FUNC_NOPAREN.finditer(text):
        arg = _ARG.match(text, m.end())
        if not arg:
            continue
        rest = text[arg.end():].lstrip()
        if not rest:
            continue
        if rest[0] == "/":
            yield (f"\\{m.group(1)} {text[m.end():arg.end()].strip()}/… could be read with or "
                   "without the division inside the function", m.end(), arg.end())
        elif rest[0].isalpha() or rest[0] == "(" or (rest[0] == "\\" and not _is_function(rest)):
            yield (f"the argument of \\{m.group(1)} without brackets runs into "
                   f"'{rest[:12].strip()}': is it inside the function or a factor after it?",
                   m.end(), arg.end())


def ambiguity(text: str) -> str | None:
    """Why a normalised piece of math does not mean one thing, or None."""
    return next((reason for reason, _, _ in _sites(text)), None)


_RUN_END = re.compile(r"[+\-=,;]|\\(?:cdot|times|pm|mp)(?![A-Za-z])")


def two_readings(text: str) -> tuple[str, str] | None:
    """Both readings of a text :func:`ambiguity` finds one question in, with
    brackets: the function takes its one token (``\\sin(\\pi)/2``, ``\\ln(t)
    e^t``), or its argument runs on (``\\sin(\\pi/2)``, ``\\ln(t e^t)``) up
    to the next ``+``, ``-``, ``=``, ``\\cdot`` or closing bracket.  None when
    there is more than one question or a reading stays open."""
    sites = list(_sites(text))
    if len(sites) != 1:
        return None
    _, start, at = sites[0]
    depth, end = 0, len(text)
    for i in range(at, len(text)):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                end = i
                break
            depth -= 1
        elif depth == 0 and _RUN_END.match(text, i):
            end = i
            break
    narrow = text[:start] + "(" + text[start:at].strip() + ")" + text[at:]
    wide = text[:start] + "(" + text[start:end].strip() + ")" + text[end:]
    return None if ambiguity(narrow) or ambiguity(wide) else (narrow, wide)


def _is_function(rest: str) -> bool:
    m = _CONTROL.match(rest)
    word = m.group(0)[1:] if m else ""
    return word in function_words() or word in ("frac", "sqrt", "log", "left", "cdot", "times",
                                                "right", "pm", "mp", "operatorname", "mathrm")
