"""The words around a claim of a note: do they make it an equation, a value at
a point, a hypothesis or a question rather than a statement of fact?

``f'(x) = 0`` next to "where" or "horizontal" is an equation to solve, not an
identity; "Suppose f'(3) = 5" is a hypothesis about some f, not a value to
check.  Text only (offsets into the note, a fragment of
:mod:`~chainlens.engine.frontends.note_math`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from chainlens.engine.frontends.note_math import Math

__all__ = ["condition", "equation_context", "hypothesis", "line_equation", "not_asserted"]


_EQUATION = re.compile(r"\?|\\(?:Rightarrow|implies|Longrightarrow|iff|vert|bigg?|Bigg?)\b|\|"
                       r"|\b(?:where|when|whenever|solve|solving|set|setting|at|if|for which"
                       r"|such that|so that|zero|horizontal|critical|value|values|point|points)\b"
                       r"|[A-Za-z]\s*=\s*-?\d", re.I)


def equation_context(note: str, frag: Math) -> bool:
    """Do the fragment or the words just around it make a claim an equation
    or a value at a point?  Then a constant for a non-constant derivative is
    not a mistake (see :mod:`chainlens.engine.frontends.claims`)."""
    return bool(_EQUATION.search(note, max(0, frag.start - 60), min(len(note), frag.end + 60)))


_HYPOTHESIS = re.compile(r"\?|\b(?:suppose|supposing|assume|assuming|given|if|let|for some"
                         r"|such that|where|when|find|solve|determine|show|prove|whether"
                         r"|unknown|consider|any|with|satisf(?:y|ies|ying)|requires?|want|need"
                         r"|must|should)\b", re.I)
#: (a ``?`` with a letter, digit or escape right after it is a web address's query,
#: ``…/svg.latex?f%28x%29`` of a rendered formula, not a question's end)
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n\s*\n|\?(?![A-Za-z0-9%])")
#: How far after a fragment its sentence's end is looked for: every look at the
#: words around a claim stays within a window of the fragment, so a note of n
#: claims on one line costs n windows, not n whole lines (red team R26: 4,000
#: claims on one line took 49 s).
_REACH = 2000


def _stop(note: str, pos: int) -> re.Match | None:
    """The first sentence end after ``pos``, within :data:`_REACH` characters."""
    return _SENTENCE_END.search(note, pos, min(len(note), pos + _REACH))


def hypothesis(note: str, frag: Math) -> bool:
    """Is the clause around the fragment a hypothesis or a question ("Suppose
    f'(3) = 5", "If f'(2) = 0, find …")?  A value at a point is judged only
    when it is stated as a fact."""
    lo = max(0, frag.start - 90)  # nothing before frag.start - 80 counts
    start = max(note.rfind(". ", lo, frag.start) + 1, note.rfind("\n\n", lo, frag.start),
                note.rfind(";", lo, frag.start), note.rfind(",", lo, frag.start),
                note.rfind(" then ", lo, frag.start), frag.start - 80, 0)
    stop = _stop(note, frag.end)
    end = min(frag.end + 40, stop.end() if stop else len(note))
    return bool(_HYPOTHESIS.search(note, start, frag.start) or
                _HYPOTHESIS.search(note, frag.end, end))


#: A domain restriction: a relation, or words that restrict (positive, nonzero, …).
#: (``x \\ne 0`` leaves out one point, which no sample lands on: not a restriction;
#: nor is ``x \\in \\mathbb{R}``)
_RELATION = (r"(?:[<>≤≥]|\\(?:leq?|geq?|lt|gt|notin)(?![A-Za-z])"
             r"|\\in(?![A-Za-z])(?!\s*(?:\\mathbb\s*\{\s*R\s*\}|\\mathbb\s*R|\\R(?![A-Za-z])|ℝ)"
             r"(?!\s*[\^_]))"
             r"|\b(?:positive|negative|non-?negative)\b)[ \t]*-?[\w\\{}^]*"
             r"(?:[ \t]*[(\[][^()\[\]$\n]{0,24}[)\]])?")
#: ``… = 1`` then "for $x > 0$", ", x > 0", "\quad (x > 0)", "(x \ne 0)", "when x < 0".
_CONDITION_AFTER = re.compile(r"[\s$]*(?:\\[()\]]|\$)?[\s$]*(?:[,(（，]\s*(?:当|在|若)?|当|在|若"
                              r"|\\q?quad|\\text\s*\{\s*"
                              r"(?:for|if|when|on)\b[^{}]*\}|\b(?:for|if|when|whenever|on|where"
                              r"|provided)\b)[^.;:\n=]{0,40}?" + _RELATION)
#: "For $x > 0$, …", "When x < 0: …" before the claim, in its sentence.
_CONDITION_BEFORE = re.compile(r"(?:\b(?:for|if|when|whenever|on)\b|在|当|若|如果|对于)"
                               r"[^.;\n=。]{0,40}?" + _RELATION, re.I)


#: ``… = 1`` then "on $(-\\pi/2, \\pi/2)$", "over the interval $[0, \\infty)$", "in the region
#: $x > 0$" (red team G31): an interval or region after the claim restricts it too.
_INTERVAL_AFTER = re.compile(r"[\s$]*(?:\\[()\]]|\$)?[\s$]*,?\s*(?:\b(?:on|over|in)\s+(?:the\s+"
                             r"(?:open\s+|closed\s+)?(?:interval|region|domain|set)\s+)?"
                             r"(?:\$|\\\()\s*(?:\\left\s*)?[(\[][^$\n]{0,40}?,[^$\n]{0,40}?[)\]]"
                             r"|\b(?:in|on)\s+the\s+(?:region|domain|half-?plane)\b[^.;:\n=]{0,40}?"
                             + _RELATION + ")")


#: A premise sentence just before: "Assume $x > 0$.", "Throughout, $x > 0$."
_PREMISE_BEFORE = re.compile(r"\b(?:[Aa]ssume|[Ss]uppose|[Tt]hroughout|[Ll]et)\b[^.;\n=]{0,20}?"
                             + _RELATION)


def condition(note: str, frag: Math, claimed_end: int) -> str | None:
    """The domain a claim is stated on, when the words right after its
    claimed side ("= 1 for $x > 0$") or before it in its sentence ("For
    $x > 0$, …") restrict it; None when it is stated everywhere.  A claim
    that is right on a restricted domain is never called wrong on another."""
    end = min(len(note), frag.end + 60)
    after = _CONDITION_AFTER.match(note, claimed_end, end) or \
        _INTERVAL_AFTER.match(note, claimed_end, end)
    if after:
        return _words(after.group(0))
    lo = max(0, frag.start - 90)
    start = max(note.rfind(". ", lo, frag.start) + 1, note.rfind("\n\n", lo, frag.start),
                frag.start - 80, 0)
    before = list(_CONDITION_BEFORE.finditer(note, start, frag.start))
    if not before:  # "Assume $x > 0$. Then …", "Throughout, $x > 0$." (red team G31)
        before = list(_PREMISE_BEFORE.finditer(note, max(0, frag.start - 160), frag.start))
    return _words(before[-1].group(0)) if before else None


def _words(text: str) -> str:
    text = re.sub(r"\\text\s*\{([^{}]*)\}|\\q?quad|\\[()]|[$]", r" \1", text)
    text = re.sub(r"\s+", " ", text.lstrip(" ,(（，").rstrip(" ）")).strip()
    text = re.sub(r"^(?:在|当|若|如果|对于)\s*", "", text)
    if text.count(")") > text.count("("):
        text = text[:-1].rstrip() if text.endswith(")") else text
    if not text:
        return "on a restricted domain"
    return text if re.match(r"(?i)(?:for|if|when|whenever|on|where|provided)\b", text) \
        else "for " + text


_LINE = re.compile(r"\b(?:tangent|normal|secant)\b|\blinear(?:isation|ization"
                   r"|\s+approximation)\b|\bapproximation\b", re.I)


def line_equation(note: str, frag: Math) -> bool:
    """Do the words before the fragment, in its sentence, make ``y = 3x - 2``
    the equation of a tangent, normal or secant line (or a linear
    approximation) rather than a new definition of the note's y?  (The
    paragraph, not the sentence: "The tangent line is …, i.e. $y = 3x - 2$".)"""
    start = max(note.rfind("\n\n", max(0, frag.start - 122), frag.start), frag.start - 120, 0)
    return bool(_LINE.search(note, start, frag.start))


#: Words that make a claim the note's own counter-example, a question or a quiz item.
_COUNTER = re.compile(r"\b(?:mistakes?|wrong|not\s+true|false|incorrect|find\s+the\s+error"
                      r"|erroneous|instead\s+of|misconceptions?|pitfalls?|never\s+write|don'?t\s+write"
                      r"|true\s+or\s+false|is\s+it\s+true|which\s+(?:one\s+)?is\s+(?:correct|right)"
                      r"|does\b[^.?!]{0,80}\bhold|contradiction|often\s+(?:claim|write)"
                      r"|bogus|invalid|fallacy|oops)\b|[❌✗✘⚠]", re.I)
#: Words that make a derivative given (a premise), not claimed: an initial value
#: problem, an antiderivative to find, "suppose only the derivative is known".
_PREMISE = re.compile(r"\b(?:given(?!\s+by)|suppose[sd]?|supposing|assume[sd]?|assuming"
                      r"|initial[\s-]+value|such\s+that|antiderivatives?"
                      r"|differential\s+equations?|(?<![{\\])solves?"
                      # "If $f'(x) = 4x^3$ then f(x) = x^4 + C", "Integrating $f'(x) = …$ gives",
                      # "A function with $f'(x) = …$ is": the derivative is given (red team R15)
                      r"|if|when(?:ever)?|integrat(?:e|es|ed|ing)|(?:function|one)\s+with(?!\s+respect))\b",
                      re.I)
#: Words that make x' or f' a new name (a transformed function, a complement, a moving
#: frame's coordinate), not a derivative.
_PRIME_NAME = re.compile(r"\b(?:new\s+function|complement|shift(?:s|ed|ing)?"
                         r"|transform(?:s|ed|ation)?|frame|rotat(?:e|es|ed|ing|ion)|reflect(?:s|ed|ion)?|image\s+of"
                         r"|translat(?:e|ed|ion))\b", re.I)
_IVP = re.compile(r"(?<![A-Za-z\\])[A-Za-z]\s*\(\s*-?\d+(?:\.\d+)?\s*\)\s*=")


def _sentence(note: str, frag: Math) -> tuple[int, int]:
    """The sentence (or list item, table row) around a fragment."""
    lo = max(0, frag.start - 210)  # nothing before frag.start - 200 counts
    found = [(note.rfind(s, lo, frag.start), s) for s in (". ", ".\n", "? ", "! ", "\n\n",
                                                          "\n- ", "\n* ", "|")]
    start = max([frag.start - 200, 0, *[k + len(s) for k, s in found if k >= 0]])
    if re.match(r"\s*\(?[a-hA-H1-9][).]\s", note[start:frag.start]):
        # "Which is correct? (a) … (b) …": the options belong to the question
        start = max(note.rfind("\n\n", max(0, start - 122), start), start - 120, 0)
    stop = _stop(note, frag.end)
    end = min(frag.end + 200, stop.end() if stop else len(note))
    for sep in ("|", "\n- ", "\n* "):
        k = note.find(sep, frag.end, end)
        end = k if k >= 0 else end
    return start, end


#: Ximera / exam-class answer options: each \\choice is an option, not a statement
_CHOICE_ENVS = ("multipleChoice", "selectAll", "oneByOne", "choices", "checkboxes",
                "oneparchoices")
#: Markdown answer options: a task-list box (``- [ ]``), or a lettered option
#: ``(a)``/``A.`` beside others on a line after "Which …?" / "Quiz"
_TASK_BOX = re.compile(r"^\s*[-*]\s+\[[ xX]\]\s")
_OPTIONS = re.compile(r"(?:^|\s)(?:\(?[a-hA-H]\)|[A-H]\.)\s")
_ASKS = re.compile(r"\b(?:which|quiz|multiple[\s-]choice|choose|select)\b", re.I)
_CHOICE = re.compile(r"\\choice\s*(?:\[[^\]]*\])?\s*\{")
_NEVER = 1 << 62


@lru_cache(maxsize=8)
def _layout(note: str) -> tuple[tuple[int, ...], tuple[tuple[tuple[int, ...], ...], ...]]:
    """The note's newline offsets, and where each of :data:`_CHOICE_ENVS`
    begins and ends: read once per note, so that each fragment's line and
    environment is a bisection, not a scan back to the note's start (R26)."""
    newlines = tuple(m.start() for m in re.finditer("\n", note))
    envs = tuple((_occurrences(note, "\\begin{" + env + "}"),
                  _occurrences(note, "\\end{" + env + "}")) for env in _CHOICE_ENVS)
    return newlines, envs


def _occurrences(note: str, word: str) -> tuple[int, ...]:
    found, k = [], note.find(word)
    while k >= 0:
        found.append(k)
        k = note.find(word, k + 1)
    return tuple(found)


def _last_before(starts: tuple[int, ...], limit: int) -> int:
    """``note.rfind(word, 0, p)`` from the word's offsets (``limit = p - len(word)``)."""
    k = bisect_right(starts, limit) - 1
    return starts[k] if k >= 0 else -1


@lru_cache(maxsize=1024)
def _line_facts(note: str, line_start: int, line_end: int) -> tuple[int, int, int, bool]:
    """What answer options the line(s) ``note[line_start:line_end]`` hold,
    read once per line however many fragments it has (R26): the end of its
    first ``\\choice{`` and of its task box (relative to the line start), how
    many lettered options it has, and whether it or the paragraph before asks
    a question."""
    whole = note[line_start:line_end]
    choice = min((m.end() for m in (_CHOICE.match(whole, k.start())
                                    for k in re.finditer(r"\\choice", whole)) if m), default=_NEVER)
    box = _TASK_BOX.match(whole)
    options = len(_OPTIONS.findall(" " + whole))
    asks = False
    if options == 2:
        before = note[max(0, note.rfind("\n\n", 0, max(0, line_start - 2)) + 1):line_start]
        asks = bool(_ASKS.search(before) or _ASKS.search(whole))
    return choice, box.end() if box else _NEVER, options, asks


def answer_option(note: str, frag: Math) -> bool:
    """Is the fragment an answer option of a multiple-choice question (a
    Ximera ``\\choice{…}`` or a ``multipleChoice`` environment, a task-list
    box, lettered options after "Which …?")?  Distractors are wrong on
    purpose: no verdict, and above all no fix that turns each into the
    answer (red team G24)."""
    newlines, envs = _layout(note)
    for env, (begins, ends) in zip(_CHOICE_ENVS, envs, strict=True):
        if _last_before(begins, frag.start - len(env) - 8) > \
                _last_before(ends, frag.start - len(env) - 6):
            return True
    k = bisect_left(newlines, frag.start)
    line_start = newlines[k - 1] + 1 if k else 0
    k = bisect_left(newlines, frag.end)
    line_end = newlines[k] if k < len(newlines) else len(note)
    choice, box, options, asks = _line_facts(note, line_start, line_end)
    if min(choice, box) <= frag.start - line_start:
        return True
    return options >= 3 or (options == 2 and asks)  # "A. … B. … C. … D. none of these"


#: A line that labels its math as the right one ("Correct: $…$", "- ✅ **Right:** $…$").
_RIGHT_LABEL = re.compile(r"[ \t]*(?:[-*+][ \t]+|\d{1,2}[.)][ \t]+)?(?:[✓✔✅][ \t]*)?(?:\*\*|__)?"
                          r"(?:Correct|Right)(?:[ \t]+(?:answer|version|form))?[ \t]*"
                          r"(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(?:\$\$?|\\\(|\\\[)$", re.I)


def not_asserted(note: str, frag: Math) -> str | None:
    """Why the note does not assert the claims of the fragment, or None: it
    calls them wrong or asks about them (a counter-example: "A common mistake
    is to write …", "❌ …", ``~~…~~``, "Is it true that …?"), or gives a
    derivative as a premise ("Given $f'(x) = \\cos x$ with $f(0) = 0$", an
    initial value problem).  Such a claim is never called wrong."""
    if answer_option(note, frag):
        return "an answer option of a multiple-choice question (distractors are wrong on purpose)"
    start, end = _sentence(note, frag)
    lo = max(0, frag.start - 80)  # (a label is a few words: the scan stays near the claim)
    line = note.rfind("\n", lo, frag.start) + 1 or (0 if lo == 0 else -1)
    if line >= 0 and _RIGHT_LABEL.match(note, line, frag.start):
        # "Wrong: $…$" / "Correct: $…$" on the next line: the counter-example is
        # the line above, this one is what the note asserts
        stop_at = note.find("\n", frag.end, end)
        start, end = line, stop_at if stop_at >= 0 else end
    around = re.sub(r"\*+", "", note[start:frag.start] + " " + note[frag.end:end])
    stop = _stop(note, frag.end)
    question = stop is not None and stop.group(0) == "?" and "\n\n" not in note[frag.end:stop.end()]
    if question or _COUNTER.search(around) or \
            note[max(0, frag.start - 3):frag.start].endswith("~~") \
            or note.startswith("~~", frag.end + 1) or note.startswith("~~", frag.end):
        return "the note calls this wrong, or asks about it (a counter-example or a question)"
    if re.search(r"\bdegrees?\b|\^\s*\{?\s*\\circ", around + frag.text):
        return "the sentence measures angles in degrees"
    if _PRIME_NAME.search(note, start, frag.start) and "'" in frag.text:
        return "a prime may name another function here (a shifted graph, a complement, a frame)"
    if re.search(r"\bgraphs?\s+of\s*(?:\\\(|\$+)?\s*$", note[start:frag.start]) and \
            re.search(r"'|\\prime", frag.text):
        # "the graph of \( f^\prime(x) = \sqrt[3]{x^2} \)": a function to plot, named
        return "the sentence names a function to plot (the graph of …), not a derivative claim"
    clause = max(start, note.rfind(",", start, frag.start) + 1,
                 note.rfind(" then ", start, frag.start), note.rfind(";", start, frag.start) + 1)
    if _PREMISE.search(note, clause, frag.start) or _IVP.search(around):
        return "the derivative is given here (a premise or an initial value problem), not claimed"
    return None
