# ruff: noqa: E501  (a table of transcribed claims)
"""Hand labels for the fresh held-out notes of round 6 (heldout6/), written
by reading the built copies only: chainlens (and benchmarks/notes_corpus.py)
was not run on these notes before the labels were committed.  The sources
(sources.json, "split": "heldout6") are eleven repositories no earlier split
uses: a student's LaTeX calculus book (\\fp, \\yp macros from main.tex), two
ML derivation pages (sigmoid, logistic-regression loss), an IB revision page,
ML-math notes, a Markdown cheat sheet of derivative tables (arrays, table
cells, \\nabla = ax + b), a "maths for AI" course's notes, an Obsidian vault
page, a student's plain-text notes in code spans, an ML-oriented derivatives
page, and two notebooks (first-principles proofs; a physics course chapter).

Format as in labels_heldout5.py: (line, expression, variable, claimed[,
order]) in SymPy syntax, one row per concrete claim; line = the line of the
claimed side in the built copy (LaTeX: the preamble lines first; notebooks:
cell * 10000 + line in the cell; a claimed side that runs over several lines
of an array: the line of its '=').  Not concrete (left out on purpose), as in
rounds 3-5: generic f, g, u, v (rules and rule forms); limits and the limit
steps of a first-principles chain (only its final value is a claim); values
at a point; implicit differentiation steps with y or y' on both sides; chain
steps that mix the dependent and independent variables (2v cos u 10x); sums
over n and vector / w^T x gradients; differentials (df = 3x^2 dx); algebra
that continues a derivative without derivative notation (a bare table row
under "Apply the chain rule"); "f'(x) = d/dx(E)" restating E; lines without
'=' or '|' (a final answer set alone in its own display).  Judged by meaning
where the notes' notation slips: f'(x) written for the worked example's
whole function although f(u) = sin u was named just before (nagusamecs 18),
"cdot"/"frac" typed without a backslash (nagusamecs 36), "d/dx x^2+4x" for
d/dx (x^2 + 4x) (damianc chain_rule 16), sin'(x^2) for cos(x^2) (damianc
derivatives_rules 88).  A step that rewrites E first is a claim; its claimed
side is written with SymPy's diff.  label.py decides each row's correctness
with SymPy; the rows it calls wrong are real mistakes in the notes (comments
below).  Mistakes in steps left out here are listed in verified_mistakes.json
under "heldout6"."""

_S = "(1/(1+exp(-z)))"                       # the logistic sigmoid in z
_NB = "(a*x+b)"                              # damianc's \nabla = ax + b

HELDOUT6 = {
 # chirprush/calculus-notes: a student's LaTeX book (lines 1-11 are main.tex's one-line definitions)
 "chirprush__Chapter3.tex": [
  (98, "x**2", "x", "2*x"), (99, "sqrt(x)", "x", "1/(2*sqrt(x))"), (100, "1/x", "x", "-1/x**2"),
 ],
 "chirprush__Chapter4.tex": [
  (34, "(2*x+3)**3", "x", "24*x**2+72*x+54"), (35, "(2*x+3)**3", "x", "6*(4*x**2+12*x+9)"), (36, "(2*x+3)**3", "x", "6*(2*x+3)**2"),
  (55, "(2*x**2-5*x+2)**3", "x", "3*diff(2*x**2-5*x+2,x)*(2*x**2-5*x+2)**2"),
  (56, "(2*x**2-5*x+2)**3", "x", "3*(4*x-5)*(2*x**2-5*x+2)**2"), (57, "(2*x**2-5*x+2)**3", "x", "3*(4*x-5)*(2*x-1)**2*(x-2)**2"),
  (71, "tan(3*x)", "x", "diff(3*x,x)*sec(3*x)**2"), (72, "tan(3*x)", "x", "diff(3*x,x)*sec(3*x)**2"), (73, "tan(3*x)", "x", "3*sec(3*x)**2"),
  (89, "sin(4*x)**2", "x", "2*sin(4*x)*diff(sin(4*x),x)"), (90, "sin(4*x)**2", "x", "2*sin(4*x)*cos(4*x)*diff(4*x,x)"),
  (91, "sin(4*x)**2", "x", "2*sin(4*x)*cos(4*x)*4"), (92, "sin(4*x)**2", "x", "8*sin(4*x)*cos(4*x)"),
  (125, "v**2", "v", "2*v"), (126, "sin(u)", "u", "cos(u)"), (127, "5*x**2", "x", "10*x"),
  # 139 (2v cos u 10x) mixes v, u and x: left out; 140-141 are in x alone
  (140, "sin(5*x**2)**2", "x", "2*sin(5*x**2)*cos(5*x**2)*10*x"), (141, "sin(5*x**2)**2", "x", "20*x*sin(5*x**2)*cos(5*x**2)"),
  (162, "sin(u)", "u", "cos(u)"), (162, "7-5*x", "x", "-5"), (171, "sin(7-5*x)", "x", "-5*cos(7-5*x)"),
  (186, "tan(3*x)", "x", "3*sec(3*x)**2"), (197, "-sec(5*x**2)", "x", "-10*x*sec(5*x**2)*tan(5*x**2)"),
  (214, "x**2", "x", "2*x"),
 ],
 # ronen567/just-the-docs: ML derivation pages (sigma(z) written out)
 "ronen567__derivation_of_activation_functions.md": [
  (23, _S, "z", "-(-exp(-z))/(1+exp(-z))**2"), (23, _S, "z", "-(1-(1+exp(-z)))/(1+exp(-z))**2"),
  (23, _S, "z", f"-{_S}**2+{_S}"), (23, _S, "z", f"{_S}*(1-{_S})"),
 ],
 "ronen567__logistic_regression_cost_function_derivative.md": [
  (70, "log(x)", "x", "1/x"),
  # 77 differentiates the loss as typed at 45/77 (+(1 - y) log(1 - sigma)): in verified_mistakes.json
  (97, _S, "z", "-(-exp(-z))/(1+exp(-z))**2"), (97, _S, "z", "-(1-(1+exp(-z)))/(1+exp(-z))**2"),
  (97, _S, "z", f"-{_S}**2+{_S}"), (97, _S, "z", f"{_S}*(1-{_S})"),
 ],
 # NagusameCS/IVY: an IB revision page (Markdown, a <details> markscheme)
 "nagusamecs__proofs.md": [
  (14, "sin(u)", "u", "cos(u)"), (15, "3*x**2", "x", "6*x"),
  (18, "sin(3*x**2)", "x", "cos(3*x**2)*6*x"), (18, "sin(3*x**2)", "x", "6*x*cos(3*x**2)"),
  (36, "log(x**2+1)", "x", "1/(x**2+1)*2*x"), (36, "log(x**2+1)", "x", "2*x/(x**2+1)"),   # "cdot", "frac" without backslash
  (101, "sin(u)", "u", "cos(u)"), (103, "3*x**2+2*x", "x", "6*x+2"),
  (106, "sin(3*x**2+2*x)", "x", "cos(3*x**2+2*x)*(6*x+2)"), (109, "sin(3*x**2+2*x)", "x", "(6*x+2)*cos(3*x**2+2*x)"),
 ],
 # ArsLucidum/machine-learning-math-notes: f(x) = ... \\ f'(x) = ... in one display
 "arslucidum__calculus.md": [
  (20, "k", "x", "0"), (26, "a*x+b", "x", "a"), (33, "x**2", "x", "2*x"), (40, "x**n", "x", "n*x**(n-1)"),
  (47, "1/x", "x", "(-1)*x**(-2)"), (47, "1/x", "x", "-1/x**2"),
  (62, "sin(x)", "x", "cos(x)"), (67, "cos(x)", "x", "-sin(x)"), (72, "tan(x)", "x", "sec(x)**2"),
  (83, "exp(x)", "x", "exp(x)"), (98, "log(x)", "x", "1/x"),
 ],
 # damianc/math-notes: a Markdown cheat sheet (tables, array environments, \nabla = ax + b)
 "damianc__chain_rule.md": [
  (15, "sin(u)", "u", "cos(u)"), (15, "exp(u)", "u", "exp(u)"), (15, "log(u)", "u", "1/u"),
  (16, "x**2", "x", "2*x"), (16, "3*x", "x", "3"), (16, "x**2+4*x", "x", "2*x+4"),   # "d/dx x^2+4x" read as d/dx (x^2 + 4x)
  # the claimed sides of row 19's "d/dx sin(x^2) =" cells are in row 20; row 18 continues row 17 without d/dx
  (20, "sin(x**2)", "x", "2*x*cos(x**2)"), (20, "exp(3*x)", "x", "3*exp(3*x)"),
  (20, "log(x**2+4*x)", "x", "(2*x+4)/(x**2+4*x)"), (20, "log(x**2+4*x)", "x", "2*(x+2)/(x*(x+4))"),
 ],
 "damianc__derivatives_rules.md": [
  (25, "x**3", "x", "3*x**2"), (38, "2", "x", "0"),
  (52, "2*x**2", "x", "2*diff(x**2,x)"), (54, "2*x**2", "x", "2*2*x"), (56, "2*x**2", "x", "4*x"),
  (71, "sin(x)+cos(x)", "x", "diff(sin(x),x)+diff(cos(x),x)"), (73, "sin(x)+cos(x)", "x", "cos(x)-sin(x)"),
  (88, "sin(x**2)", "x", "cos(x**2)*diff(x**2,x)"), (90, "sin(x**2)", "x", "2*x*cos(x**2)"),   # sin'(x^2) = cos(x^2)
  (105, "2*x*sin(x)", "x", "2*x*diff(sin(x),x)+sin(x)*diff(2*x,x)"), (107, "2*x*sin(x)", "x", "2*x*cos(x)+sin(x)*2"),
  (109, "2*x*sin(x)", "x", "2*(x*cos(x)+sin(x))"),
  (126, "sin(x)/(2*x)", "x", "(2*x*diff(sin(x),x)-sin(x)*diff(2*x,x))/(2*x)**2"),
  (130, "sin(x)/(2*x)", "x", "(2*x*cos(x)-sin(x)*2)/(4*x**2)"), (134, "sin(x)/(2*x)", "x", "(x*cos(x)-sin(x))/(2*x**2)"),
 ],
 "damianc__rational_functions.md": [
  (25, "(a*x+b)/(c*x+d)", "x", "(a*d-b*c)/(c*x+d)**2"), (26, "k*x/(a*x+b)", "x", "b*k/(a*x+b)**2"),
  (27, "k*x/(a*x**2+b)", "x", "k*(b-a*x**2)/(a*x**2+b)**2"), (28, "k*x/(a*x**2+b*x)", "x", "-a*k/(a*x+b)**2"),
  (29, "k*x/(a*x**2+b*x+c)", "x", "k*(c-a*x)**2/(x*(a*x+b)+c)**2"),   # real mistake (numerator is k(c - ax^2))
 ],
 "damianc__radical_functions.md": [
  (5, "sqrt(x)", "x", "1/(2*sqrt(x))"), (6, "sqrt(k+n*x)", "x", "n/(2*sqrt(k+n*x))"), (7, "sqrt(k+n*x**2)", "x", "n*x/sqrt(k+n*x**2)"),
  (8, "1/sqrt(x)", "x", "-1/(2*x**Rational(3,2))"), (9, "1/sqrt(k+n*x)", "x", "-n/(2*(k+n*x)**Rational(3,2))"),
  (10, "1/sqrt(k+n*x**2)", "x", "-n*x/(k+n*x**2)**Rational(3,2)"),
  (16, "sqrt(n*x+k)/x", "x", "-(2*k+n*x)/(2*x**2*sqrt(k+n*x))"),
  # 17's function is typed (nx^2 + k)/x without the root its derivative belongs to: in verified_mistakes.json
  (18, "sqrt(n*x+k)/x**2", "x", "-(4*k+3*n*x)/(2*x**3*sqrt(k+n*x))"), (19, "sqrt(n*x**2+k)/x**2", "x", "-(2*k+n*x**2)/(x**3*sqrt(k+n*x**2))"),
  (25, "x/sqrt(n*x+k)", "x", "(2*k+n*x)/(2*(k+n*x)**Rational(3,2))"), (26, "x/sqrt(n*x**2+k)", "x", "k/(k+n*x**2)**Rational(3,2)"),
  (27, "x**2/sqrt(n*x+k)", "x", "x*(4*k+3*n*x)/(2*(k+n*x)**Rational(3,2))"), (28, "x**2/sqrt(n*x**2+k)", "x", "(2*k*x+n*x**3)/(k+n*x**2)**Rational(3,2)"),
 ],
 "damianc__hyperbolic_functions.md": [
  (7, f"sinh{_NB}", "x", f"a*cosh{_NB}"), (8, f"cosh{_NB}", "x", f"a*sinh{_NB}"), (9, f"tanh{_NB}", "x", f"a*sech{_NB}**2"),
  (15, f"sinh{_NB}**2", "x", f"2*a*sinh{_NB}*cosh{_NB}"), (16, f"cosh{_NB}**2", "x", f"2*a*sinh{_NB}*cosh{_NB}"),
  (17, f"tanh{_NB}**2", "x", f"2*a*tanh{_NB}*sech{_NB}**2"),
  (24, f"sinh{_NB}**3", "x", f"3*a*sinh{_NB}**2*cosh{_NB}"), (25, f"cosh{_NB}**3", "x", f"3*a*sinh{_NB}*cosh{_NB}**2"),
  (26, f"tanh{_NB}**3", "x", f"3*a*tanh{_NB}**2*sech{_NB}**2"),
 ],
 # idilyilmz/knowledgebase: a "maths for AI" course's notes (Markdown, $$ inline in bullets)
 "idilyilmz__the_chain_rule.md": [
  (30, "x**2+3", "x", "2*x"), (31, "x**3", "x", "3*x**2"),
  (37, "(x**2+3)**3", "x", "3*(x**2+3)**2*2*x"), (37, "(x**2+3)**3", "x", "6*x*(x**2+3)**2"),
 ],
 "idilyilmz__the_product_rule.md": [
  (30, "x**3", "x", "3*x**2"), (31, "log(x)", "x", "1/x"),
  (37, "x**3*log(x)", "x", "3*x**2*log(x)+x**3*(1/x)"), (37, "x**3*log(x)", "x", "x**2*(3*log(x)+1)"),
 ],
 "idilyilmz__the_quotient_rule.md": [
  (27, "log(x)", "x", "1/x"), (28, "x**2+3", "x", "2*x"),
  (33, "log(x)/(x**2+3)", "x", "((1/x)*(x**2+3)-log(x)*2*x)/(x**2+3)**2"),
  # 38, the answer "Thus, the derivative is:" set alone without '=', is wrong: in verified_mistakes.json
 ],
 "idilyilmz__determining_partial_derivative_of_function.md": [
  (38, "x**3", "x", "3*x**2"), (42, "x**2*log(y)", "x", "2*x*log(y)"), (46, "y**2", "x", "0"),
  (53, "x**3+x**2*log(y)+y**2", "x", "3*x**2+2*x*log(y)+0"), (58, "x**3+x**2*log(y)+y**2", "x", "3*x**2+2*x*log(y)"),
 ],
 # ArturMarschenkulov/obsidian_vault_uni_education: a student's Obsidian page (tables, callouts)
 "arturmarschenkulov__Derivation.md": [
  (48, "x**n", "x", "n*x**(n-1)"), (53, "c", "x", "0"), (57, "x**(a*n+b)", "x", "(a*n+b)*x**(a*n+b-1)"),
  (66, "c**(a*x+b)", "x", "a*c**(a*x+b)*log(c)"), (67, "exp(a*x+b)", "x", "a*exp(a*x+b)*log(E)"), (67, "exp(a*x+b)", "x", "a*exp(a*x+b)"),
  (68, "log(a*x+b)", "x", "(a*x+b)**(-1)*a"),
  (80, "sin(x)", "x", "cos(x)"), (81, "cos(x)", "x", "-sin(x)"), (82, "tan(x)", "x", "sec(x)**2"),
  (83, "cot(x)", "x", "-csc(x)**2"), (84, "sec(x)", "x", "sec(x)*tan(x)"), (85, "csc(x)", "x", "-cot(x)*csc(x)"),
  (92, "asin(x)", "x", "1/(1-x**2)"),    # real mistake (the square root is missing)
  (93, "acos(x)", "x", "-1/(1-x**2)"),   # real mistake (the square root is missing)
  (94, "atan(x)", "x", "1/(1+x**2)"), (95, "acot(x)", "x", "-1/(1+x**2)"),
  # 96-97 (sec^-1, csc^-1) are 1/sqrt(1 - x^2/x^2), undefined: label.py cannot decide them; in verified_mistakes.json
  (105, "sinh(x)", "x", "(exp(x)+exp(-x))/2"), (105, "sinh(x)", "x", "cosh(x)"),
  (106, "cosh(x)", "x", "(exp(x)-exp(-x))/2"), (106, "cosh(x)", "x", "sinh(x)"),
  (107, "tanh(x)", "x", "1/cosh(x)**2"), (107, "tanh(x)", "x", "sech(x)**2"), (108, "coth(x)", "x", "-csch(x)**2"),
  (109, "sech(x)", "x", "sec(x)*tan(x)"),    # real mistake (the circular secant's row copied; is -sech x tanh x)
  (110, "csch(x)", "x", "-cot(x)*csc(x)"),   # real mistake (is -csch x coth x)
 ],
 # JonathanMcCormickJr/OSSP-CS: a student's plain-text notes (math in `code spans`, no LaTeX)
 "jonathanmccormickjr__20250126_notes_calculating_derivatives.md": [
  (15, "-3/x", "x", "3/(x**2)"),
  # 27-29 write f'(x^2), f'(1/x), "x(^-1)" for the derivatives of the terms: not concrete, left out
  (31, "x**2-1/x", "x", "2*x-(-1*x**-2)"), (33, "x**2-1/x", "x", "2*x+1/(x**2)"),
  (39, "x**n", "x", "n*x**(n-1)"),
 ],
 "jonathanmccormickjr__20250209_notes_on_second_derivatives.md": [
  (27, "x**3-6*x", "x", "3*x**2-6"), (50, "3*x**2-6", "x", "6*x"),
 ],
 "jonathanmccormickjr__20250305_derivatives_of_trig_fns.md": [   # a "Trig | Trig'" table in plain text
  (5, "sin(x)", "x", "cos(x)"), (6, "tan(x)", "x", "sec(x)**2"), (7, "sec(x)", "x", "sec(x)*tan(x)"),
  (8, "cos(x)", "x", "-sin(x)"), (9, "cot(x)", "x", "-csc(x)**2"), (10, "csc(x)", "x", "-csc(x)*cot(x)"),
 ],
 # pooyavahidi/examples: an ML-oriented derivatives page (first 250 lines; the sigmoid section is after the cut)
 "pooyavahidi__derivatives.md": [
  (105, "x**2", "x", "2*x"),
  (130, "w1**2*w2+w2**3", "w1", "diff(w1**2*w2,w1)+diff(w2**3,w1)"), (130, "w1**2*w2+w2**3", "w1", "2*w1*w2+0"),
  (130, "w1**2*w2+w2**3", "w1", "2*w1*w2"),
  (134, "w1**2*w2+w2**3", "w2", "diff(w1**2*w2,w2)+diff(w2**3,w2)"), (134, "w1**2*w2+w2**3", "w2", "w1**2+3*w2**2"),
  (210, "u**2", "u", "2*u"), (213, "3*x+1", "x", "3"),
  # 216 (2u . 3) mixes u in: left out
  (219, "(3*x+1)**2", "x", "2*(3*x+1)*3"), (219, "(3*x+1)**2", "x", "6*(3*x+1)"),
 ],
 # jordandll/Calculus: a notebook of first-principles proofs (line = cell * 10000 + line in the cell)
 "jordandll__Derivatives.ipynb": [
  (210005, "x", "x", "1"),
  (240001, "x**2", "x", "2*x"),   # the same line's "f'(x) = 2x + 1" on an integer domain: in verified_mistakes.json
  (310003, "x**m", "x", "binomial(m,1)*x**(m-1)"), (310003, "x**m", "x", "m*x**(m-1)"),
  (380003, "1/x", "x", "-1/x**2"),
  (390003, "x**(-m)", "x", "-m/x**(m-1)*1/x**2"), (390003, "x**(-m)", "x", "-m/x**(m+1)"),
  (400003, "x**n", "x", "n/x**(1-n)"), (400003, "x**n", "x", "n*x**(n-1)"),
  (410005, "x**n", "x", "n*x**(n-1)"),
  (440003, "sqrt(x)", "x", "1/(2*sqrt(x))"),   # 1/(2y) before it mixes y in
  (460001, "x**(1/a)", "x", "x**(1/a)/(a*x)"),   # 1/(a y^(a-1)) before it mixes y in
  (470003, "x**q", "x", "q*x**(q-1)"),
  (500001, "x**(m/a)", "x", "(1/a)*m*x**(m/a-1/a)*x**(1/a-1)"), (500001, "x**(m/a)", "x", "(m/a)*x**(m/a-1)"),   # q = 1/a, p = m/a
  (510005, "x**n", "x", "n*x**(n-1)"),
 ],
 # seewhydee/ntuphys_nb: a physics course's notebook chapter
 "seewhydee__02_derivatives.ipynb": [
  (14, "x**2+1", "x", "2*x"), (14, "x**2+1", "x", "2", 2),
  (40008, "x**n", "x", "n*x**(n-1)"),
  (40012, "exp(x)", "x", "exp(x)"), (40016, "exp(x)", "x", "exp(x)"),   # the final steps of the series and limit chains
  (110011, "sin(2*x-3*y**2)", "x", "2*cos(2*x-3*y**2)"), (110011, "sin(2*x-3*y**2)", "y", "-6*y*cos(2*x-3*y**2)"),
  (140007, "x**y", "x", "y*x**(y-1)"),
  (140012, "sin(x)", "x", "cos(x)"), (140012, "cos(x)", "x", "-sin(x)"),
 ],
}
