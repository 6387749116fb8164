# ruff: noqa: E501  (a table of transcribed claims)
"""Hand labels for the fresh held-out notes of round 8 (heldout8/), written
by reading the built copies only: chainlens (and benchmarks/notes_corpus.py)
was not run on these notes before the labels were committed.  The sources
(sources.json, "split": "heldout8") are twelve repositories no earlier split
uses: a Markdown calculus guide (five short pages; two worked examples with
expansion slips), a teaching site's differentiation pages and three of its
problem pages (front matter, f(x) named then used in the claimed side), two
ML notes on activations and softmax with cross-entropy (sums over K, vector
gradients), a pandoc review sheet of derivative tables (aligned && columns),
an unfinished LaTeX textbook chapter (sequence limits only), a student's
LaTeX notes (d/dt f(t)), a Spanish LaTeX problem book (piecewise answers,
\\sen), a notebook with a task list only, a notebook on the chain rule with
Jacobians, a backprop blog post whose formulas are codecogs image alt texts,
a MyST course chapter and its notebook, and a Russian LaTeX cheat sheet
(tg, sh, ch, th; u' mixed with x).

Format as in labels_heldout7.py: (line, expression, variable, claimed[,
order]) in SymPy syntax, one row per concrete claim; line = the line of the
claimed side in the built copy (LaTeX: the preamble lines first; notebooks:
cell * 10000 + line in the cell, 1-based).  Not concrete (left out on purpose),
as in rounds 3-7: generic f, g, h, u, v (rules and rule forms, the cheat
sheet's u' rows); limits and difference quotients; values at a point and
one-sided derivatives; implicit differentiation; chain steps that mix the
dependent and independent variables (3u^2 du/dx); sums over j or K and
vector / matrix gradients (Jacobians); piecewise derivatives; n-th
derivatives of symbolic order; equations to solve (d/dx x^2 = 0, solve
dy/dx = 0); "f'(x) = d/dx(E)" restating E; lines without '=' (prose "is
3x^4 + ..."), except table rows Function | Derivative.  A claim with a named
f (f(x) = ... defined in the note) is labelled with f substituted.  label.py
decides each row's correctness with SymPy; the rows it calls wrong are real
mistakes in the notes (comments below).  Mistakes in steps left out here are
listed in verified_mistakes.json under "heldout8"."""

_PQ = "((x**2+1)*(x**3+2*x))"
_QQ = "((x**2+1)/(x**3+2*x))"
_F = "(exp(x)/sqrt(2*x+1))"

HELDOUT8 = {
 # calculus-guide/guide: short Markdown pages
 "calculus__differentiation_formulas.md": [(11, "x**n", "x", "n*x**(n-1)")],
 "calculus__product_and_quotient_rule.md": [
  (25, _PQ, "x", "(x**2+1)*(3*x**2+2)+(x**3+2*x)*2*x"),
  # 29 and 33: the expansion slips (the derivative is 5x^4 + 9x^2 + 2): wrong as typed
  (29, _PQ, "x", "3*x**4+6*x**2+2*x**3+4*x+2*x**2+2*x"), (33, _PQ, "x", "3*x**4+8*x**3+8*x**2+6*x"),
  (63, _QQ, "x", "((x**3+2*x)*2*x-(x**2+1)*(3*x**2+2))/(x**3+2*x)**2"),
  # 67, 71, 75: (x^2+1)(3x^2+2) expanded as 3x^4+8x^2+2 and then lost terms (numerator is -x^4-x^2-2): wrong as typed
  (67, _QQ, "x", "(2*x**4+4*x**2-3*x**4-6*x**2-2*x**2-2)/(x**6+4*x**4+4*x**2)"),
  (71, _QQ, "x", "(-x**4-2*x**2+2*x**2+2)/(x**6+4*x**4+4*x**2)"),
  (75, _QQ, "x", "(-x**4+2*x**2+2)/(x**6+4*x**4+4*x**2)"),
 ],
 "calculus__chain_rule.md": [   # 37 and 45's first side mix u in
  (41, "x**2+1", "x", "2*x"), (45, "(x**2+1)**3", "x", "3*(x**2+1)**2*2*x"), (49, "(x**2+1)**3", "x", "6*x*(x**2+1)**2"),
 ],
 "calculus__implicit_differentiation.md": [],
 "calculus__logarithmic_differentiation.md": [   # 21 divides a derivative by x^3: not a claim of the form
  (9, "x**3", "x", "3*x**2"), (13, "log(x**3)", "x", "1/x**3*diff(x**3,x)"),
  (17, "log(x**3)", "x", "3*x**2/x**3"), (17, "log(x**3)", "x", "3/x"),
 ],
 # mathematico-org/mathematico-web: a teaching site's pages and problems
 "mathematico__differentiate_sin_cos.md": [(32, "sin(x)", "x", "cos(x)"), (43, "cos(x)", "x", "-sin(x)")],
 "mathematico__product_rule.md": [],
 "mathematico__quotient_rule.md": [],
 "mathematico__chain_rule.md": [],
 "mathematico__NRgO20Ub.md": [],
 "mathematico__soJtmFSW.md": [(14, _F, "x", f"{_F}*2*x/(2*x+1)"), (19, _F, "x", f"2*{_F}*(2*x**2+1)/(2*x+1)**2", 2)],
 "mathematico__n5ggKA1M.md": [],
 # daviddwlee84/DeepLearningPractice: sums, Kronecker deltas, vector gradients only
 "daviddwlee84__Activation_Function.md": [],
 "daviddwlee84__Softmax_Derivation.md": [],
 # fractalbach/diff-eqs-notes: aligned table Function && Derivative
 "fractalbach__review.md": [
  (23, "c", "x", "0"), (25, "x", "x", "1"), (26, "a*x", "x", "a"), (29, "x**2", "x", "2*x"),
  (32, "sqrt(x)", "x", "Rational(1,2)*x**Rational(1,2)"),   # x^{1/2} typed for x^{-1/2}: wrong as typed
  (35, "exp(x)", "x", "exp(x)"), (36, "a**x", "x", "log(a)*a**x"), (39, "log(x)", "x", "1/x"),
  (40, "log(x)/log(a)", "x", "1/(x*log(a))"),
  (43, "sin(x)", "x", "cos(x)"), (44, "cos(x)", "x", "-sin(x)"), (45, "tan(x)", "x", "sec(x)**2"),
  (46, "cot(x)", "x", "-csc(x)**2"), (47, "sec(x)", "x", "sec(x)*tan(x)"), (65, "x**n", "x", "n*x**(n-1)"),
 ],
 "mjcollins10__derivatives.tex": [],   # sequence limits and generic rules only
 "physicsnerd__derivatives.tex": [(92, "t**2", "t", "2*t"), (132, "t**n", "t", "n*t**(n-1)")],   # 210's quotient rule swaps f and g (generic)
 "physicsnerd__derivatives2.tex": [(12, "log(x)", "x", "1/x"), (18, "log(x)/log(a)", "x", "1/(x*log(a))")],
 "asalber__derivatives.tex": [],   # piecewise derivatives and one-sided values only
 "gilberttrianto__derivatives.ipynb": [],
 "yang__chain_rule.ipynb": [   # cells 1-2: Jacobian matrices
  (13, "x**3+3*x**2+5*x", "x", "3*x**2+6*x+5"), (14, "x**(-2)", "x", "-2*x**(-3)"),
  (18, "(x**3+3*x**2+5*x)**(-2)", "x", "-2*(x**3+3*x**2+5*x)**(-3)*(3*x**2+6*x+5)"),
 ],
 "erikaduan__backpropagation_various_sources.md": [   # 121: the image's alt text and title repeat the formula
  (121, "x**2", "x", "2*x"), (121, "x**2", "x", "2*x"),
 ],
 "uclnatsci__differentiation.md": [
  (132, "3*x**2+5*x**3", "x", "diff(6*x+15*x**2,x)", 2), (132, "3*x**2+5*x**3", "x", "6+30*x", 2),
  (136, "3*x**2+5*x**3", "x", "6+30*x", 2),
  (190, "-x**3+9*x**2-24*x+20", "x", "-3*x**2+18*x-24"), (190, "-x**3+9*x**2-24*x+20", "x", "-3*(x-2)*(x-4)"),
  (213, "x**2", "x", "2", 2), (235, "x**5+x**3", "x", "5*x**4+3*x**2"), (247, "3*x**5", "x", "15*x**4"),
 ],
 "uclnatsci__notes.ipynb": [],
 "sultanovmf__derivatives.tex": [   # 11, 13, 14, 34's first item: generic u; 26-30: n-th derivatives
  (8, "x**n", "x", "n*x**(n-1)"), (9, "a**x", "x", "a**x*log(a)"), (10, "exp(x)", "x", "exp(x)"),
  (12, "sin(x)", "x", "cos(x)"), (12, "cos(x)", "x", "-sin(x)"),
  (15, "asin(x)", "x", "1/sqrt(1-x**2)"),
  (16, "acos(x)", "x", "-1/sqrt(1-x)"),   # 1 - x typed for 1 - x^2: wrong as typed
  (17, "atan(x)", "x", "1/(1+x**2)"), (18, "acot(x)", "x", "-1/(1+x**2)"),
  (19, "sinh(x)", "x", "cosh(x)"), (20, "cosh(x)", "x", "sinh(x)"), (21, "tanh(x)", "x", "1/cosh(x)**2"),
  (22, "coth(x)", "x", "-1/sinh(x)**2"), (23, "x**x", "x", "x**x*(1+log(x))"),
  (24, "log(x+sqrt(1+x**2))", "x", "1/sqrt(1+x**2)"), (25, "Rational(1,2)*log((1+x)/(1-x))", "x", "1/(1-x**2)"),
  (34, "sqrt(1+x**2)", "x", "x/sqrt(x**2+1)"),
 ],
}
