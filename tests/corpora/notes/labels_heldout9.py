# ruff: noqa: E501  (a table of transcribed claims)
"""Hand labels for the fresh held-out notes of round 9 (heldout9/), written
by reading the built copies only: chainlens (and benchmarks/notes_corpus.py)
was not run on these notes before the labels were committed.  The sources
(sources.json, "split": "heldout9") are ten repositories no earlier split
uses: a Jekyll course site's derivative table (two columns per row, the
hyperbolic inverses; three slips) and its exercise pages (eqnarray inside
Markdown, logarithmic differentiation, limit derivations, three pages that
say "coming soon"), a study program's five Markdown lessons (basic rules,
product/quotient, chain, trig, exp/log; chains of '=' on one line, tables
Function | Rewritten | Derivative, "Common mistakes" sections), a
course's exercise page with answers in MkDocs admonitions (\\( \\)), the
same teacher's LaTeX book chapter (preamble \\newcommand lines, f(t), h(s),
y = x^{-0.5}, \\frac{d}{d t}), a student's worked Markdown solutions (one
step per $$ block, dy/dx of y(x)), a student's chain/product-rule pages
(dot notation for d/dx, a misplaced exponent), two backprop posts (align*
blocks, partials in y-hat, the sigmoid's derivative via 1/sigma), a
logistic-regression post's derivation in z_i (a Hexo source on the
repository's "blog" branch, cut after its preamble prose), a short
Markdown note, and two course-lab notebooks (derivatives, backprop with a
computation graph).

Format as in labels_heldout8.py: (line, expression, variable, claimed[,
order]) in SymPy syntax, one row per concrete claim; line = the line of the
claimed side in the built copy (LaTeX: the preamble lines first; notebooks:
cell * 10000 + line in the cell, 1-based).  Not
concrete (left out on purpose), as in rounds 3-8: generic f, g, h, u, v;
limits and difference quotients (but the value a limit chain ends on, "=
cos x" after the limits, is a claim); values at a point; implicit and
logarithmic-differentiation steps in y (y'/y = ..., y' = y(...)); chain
steps that mix variables (e^u (-1) with u = -z_i); sums over i; vector /
matrix gradients; n-th derivatives of symbolic order; restatements
("= d/dx[x^1]"); lines without '=' (answers typed alone, "gives cos 2x")
except table rows.  Round 9 adds: examples a note itself labels "Wrong:"
(its Common-mistakes sections) are not claims of the note; d/dx written
before a function of u or z (rbrooksdk__10.md 84-85) is left out as
ambiguous; "so d/dx = 0 + 1/x" with no operand is left out.  A claim with a
named f (f(x) = ..., sigma(x), y-hat = wx + b, a = 1/(1+e^{-z}) as line 55
of the backprop post writes it) is labelled with it substituted.  label.py
decides each row's correctness with SymPy; the rows it calls wrong are real
mistakes in the notes (comments below)."""

_S = "(1/(1+exp(-x)))"          # sigma(x)
_SZ = "(1/(1+exp(-z)))"         # a = sigma(z)
_SI = "(1/(1+exp(-z_i)))"       # sigma(z_i)
_YH = "(w*x+b)"                 # y-hat = a = wx + b
_L = f"(-y*log({_YH})-(1-y)*log(1-{_YH}))"
_F = "(log(1+exp(-z_i))+(1-y_i)*z_i)"
_Z = "(w_1*x_i1+w_2*x_i2+b)"
_U = "(6+sec(pi*x**2))"

HELDOUT9 = {
 # physicsturtle/physicsturtle_old: a table with two claims per row, exercise pages
 "physicsturtle__derivatives.md": [
  (10, "x**n", "x", "n*x**(n-1)"), (10, "exp(x)", "x", "exp(x)"),
  (12, "sin(x)", "x", "cos(x)"), (12, "cos(x)", "x", "-sin(x)"),
  (13, "tan(x)", "x", "sec(x)**2"), (13, "cot(x)", "x", "-csc(x)**2"),
  (14, "sec(x)", "x", "sec(x)*tan(x)"), (14, "csc(x)", "x", "-csc(x)*cot(x)"),
  (15, "log(x)", "x", "1/x"), (15, "a**x", "x", "log(a)*a**x"),
  (16, "asin(x)", "x", "1/sqrt(1-x**2)"), (16, "acos(x)", "x", "-1/sqrt(1-x**2)"),
  (17, "atan(x)", "x", "1/(1+x**2)"), (17, "acot(x)", "x", "-1/(1+x**2)"),
  (18, "asec(x)", "x", "1/(Abs(x)*sqrt(x**2-1))"), (18, "acsc(x)", "x", "-1/(Abs(x)*sqrt(x**2-1))"),
  (19, "sinh(x)", "x", "cosh(x)"), (19, "cosh(x)", "x", "sinh(x)"),
  (20, "tanh(x)", "x", "sech(x)**2"), (20, "coth(x)", "x", "-csch(x)**2"),
  (21, "sech(x)", "x", "sech(x)*tanh(x)"),   # the minus sign dropped (is -sech x tanh x): wrong as typed
  (21, "csch(x)", "x", "-csch(x)*coth(x)"),
  (22, "asinh(x)", "x", "1/sqrt(x**2+1)"), (22, "acosh(x)", "x", "1/sqrt(x**2-1)"),
  (23, "atanh(x)", "x", "1/(1-x**2)"), (23, "acoth(x)", "x", "1/(1-x**2)"),
  (24, "asech(x)", "x", "1/(Abs(x)*sqrt(1-x**2))"),    # the minus sign dropped: wrong as typed
  (24, "acsch(x)", "x", "-1/(Abs(x)*sqrt(1-x**2))"),   # 1 - x^2 typed for 1 + x^2: wrong as typed
 ],
 "physicsturtle__logarithmic_differentiation_exercises.md": [   # 23, 28, 42, 59: y'/y and f'/(f log f) steps
  (24, "log(tan(x))*(1-x**2)", "x", "(sec(x)**2/tan(x))*(1-x**2)+log(tan(x))*(-2*x)"),
  (29, "tan(x)**(1-x**2)", "x", "tan(x)**(1-x**2)*((1-x**2)*sec(x)**2/tan(x)-2*x*log(tan(x)))"),
  (44, "asin(3*x)**sqrt(exp(3*x)+1)", "x", "asin(3*x)**sqrt(exp(3*x)+1)*(3*sqrt(exp(3*x)+1)/(asin(3*x)*sqrt(1-9*x**2))+log(asin(3*x))*3*exp(3*x)/(2*sqrt(exp(3*x)+1)))"),
  (61, "x**(x**sin(x))", "x", "x**(x**sin(x))*(x**sin(x)*log(x))*(sin(x)/x+cos(x)*log(x)+1/(x*log(x)))"),
 ],
 "physicsturtle__derivatives_of_trigonometric_functions_exercises.md": [(22, "cos(x)", "x", "-sin(x)")],   # 17-21: limits
 "physicsturtle__derivatives_of_hyperbolic_functions_exercises.md": [],   # "Coming soon"
 "physicsturtle__derivatives_of_exponentials_exercises.md": [],
 "physicsturtle__derivatives_of_logarithms_exercises.md": [],
 # callumalpass/study-program: five lessons (120, 124, 128, 132 and the like are "Wrong:" examples)
 "callumalpass__01_basic_rules.md": [
  (15, "c", "x", "0"), (20, "5", "x", "0"), (21, "pi", "x", "0"), (22, "-17.3", "x", "0"),
  (28, "x**n", "x", "n*x**(n-1)"), (33, "x**3", "x", "3*x**2"), (34, "x**10", "x", "10*x**9"),
  (35, "x**(-1)", "x", "-x**(-2)"), (35, "x**(-1)", "x", "-1/x**2"),
  (36, "x**Rational(1,2)", "x", "Rational(1,2)*x**Rational(-1,2)"), (36, "x**Rational(1,2)", "x", "1/(2*sqrt(x))"),
  (37, "x", "x", "1*x**0"), (37, "x", "x", "1"),
  (50, "x**3", "x", "3*x**2"),
  (52, "sqrt(x)", "x", "Rational(1,2)*x**Rational(-1,2)"), (52, "sqrt(x)", "x", "1/(2*sqrt(x))"),
  (54, "x**(1/n)", "x", "(1/n)*x**(1/n-1)"), (54, "x**(1/n)", "x", "1/(n*(x**(n-1))**(1/n))"),
  (63, "5*x**3", "x", "5*3*x**2"), (63, "5*x**3", "x", "15*x**2"),
  (64, "-7*x**4", "x", "-7*4*x**3"), (64, "-7*x**4", "x", "-28*x**3"),
  (65, "x**2/3", "x", "Rational(1,3)*2*x"), (65, "x**2/3", "x", "2*x/3"),
  (77, "x**3+x**2", "x", "3*x**2+2*x"), (79, "5*x**4-3*x**2+7*x-2", "x", "20*x**3-6*x+7"),
  (81, "1/x+sqrt(x)", "x", "-1/x**2+1/(2*sqrt(x))"),
  (89, "4*x**5-3*x**3+2*x**2-x+9", "x", "20*x**4-9*x**2+4*x-1"), (93, "x**100-100*x", "x", "100*x**99-100"),
  (103, "3/x**2", "x", "3*(-2)*x**(-3)"), (103, "3/x**2", "x", "-6*x**(-3)"), (103, "3/x**2", "x", "-6/x**3"),
  (109, "2/sqrt(x)", "x", "2*(-Rational(1,2))*x**Rational(-3,2)"), (109, "2/sqrt(x)", "x", "-x**Rational(-3,2)"),
  (109, "2/sqrt(x)", "x", "-1/x**Rational(3,2)"), (109, "2/sqrt(x)", "x", "-1/(x*sqrt(x))"),
  (115, "x**2*sqrt(x)", "x", "Rational(5,2)*x**Rational(3,2)"),
  (121, "x**5", "x", "5*x**4"), (129, "x**(-1)", "x", "-x**(-2)"), (129, "x**(-1)", "x", "-1/x**2"),
  (133, "2**x", "x", "2**x*log(2)"), (135, "x**n", "x", "n*x**(n-1)"), (149, "x**n", "x", "n*x**(n-1)"),
  (174, "4/x**3", "x", "-12*x**(-4)"), (174, "4/x**3", "x", "-12/x**4"),
  (175, "(x**2)**Rational(1,3)", "x", "Rational(2,3)*x**Rational(-1,3)"),
  (176, "x**2+1/x**2", "x", "2*x-2*x**(-3)"), (177, "(x**3+1)/x", "x", "2*x-x**(-2)"),
  (181, "c", "x", "0"), (182, "x**n", "x", "n*x**(n-1)"),
 ],
 "callumalpass__02_product_quotient_rules.md": [
  (29, "x**2", "x", "2*x"), (29, "sin(x)", "x", "cos(x)"),
  (31, "x**2*sin(x)", "x", "2*x*sin(x)+x**2*cos(x)"), (31, "x**2*sin(x)", "x", "2*x*sin(x)+x**2*cos(x)"),
  (37, "2*x+1", "x", "2"), (37, "x**3-1", "x", "3*x**2"),
  (39, "(2*x+1)*(x**3-1)", "x", "2*(x**3-1)+(2*x+1)*(3*x**2)"),
  (40, "(2*x+1)*(x**3-1)", "x", "2*x**3-2+6*x**3+3*x**2"), (40, "(2*x+1)*(x**3-1)", "x", "8*x**3+3*x**2-2"),
  (48, "x*exp(x)", "x", "1*exp(x)+x*exp(x)"), (48, "x*exp(x)", "x", "exp(x)+x*exp(x)"), (48, "x*exp(x)", "x", "exp(x)*(1+x)"),
  (54, "x**2", "x", "2*x"),   # its "(x^2)' = 1 . 1 = 1" is the counterfactual it refutes
  (56, "x*x", "x", "1*x+x*1"), (56, "x*x", "x", "2*x"),
  (75, "x**2", "x", "2*x"), (75, "x+1", "x", "1"),
  (77, "x**2/(x+1)", "x", "(2*x*(x+1)-x**2*1)/(x+1)**2"), (77, "x**2/(x+1)", "x", "(2*x**2+2*x-x**2)/(x+1)**2"),
  (77, "x**2/(x+1)", "x", "(x**2+2*x)/(x+1)**2"), (79, "x**2/(x+1)", "x", "x*(x+2)/(x+1)**2"),
  (83, "sin(x)/x", "x", "(cos(x)*x-sin(x)*1)/x**2"), (83, "sin(x)/x", "x", "(x*cos(x)-sin(x))/x**2"),
  (87, "exp(x)/x**2", "x", "(exp(x)*x**2-exp(x)*2*x)/x**4"), (87, "exp(x)/x**2", "x", "exp(x)*(x**2-2*x)/x**4"),
  (87, "exp(x)/x**2", "x", "exp(x)*(x-2)/x**3"),
  (123, "x**2*sin(x)*cos(x)", "x", "2*x*sin(x)*cos(x)+x**2*cos(x)*cos(x)+x**2*sin(x)*(-sin(x))"),
  (124, "x**2*sin(x)*cos(x)", "x", "2*x*sin(x)*cos(x)+x**2*cos(x)**2-x**2*sin(x)**2"),
 ],
 "callumalpass__03_chain_rule.md": [   # the mermaid charts and the u-table are generic
  (94, "(x**2+1)**3", "x", "3*(x**2+1)**2*(2*x)"), (94, "(x**2+1)**3", "x", "6*x*(x**2+1)**2"),
  (101, "sqrt(3*x+5)", "x", "Rational(1,2)*(3*x+5)**Rational(-1,2)*3"), (101, "sqrt(3*x+5)", "x", "3/(2*sqrt(3*x+5))"),
  (108, "sin(x**2)", "x", "cos(x**2)*2*x"), (108, "sin(x**2)", "x", "2*x*cos(x**2)"),
  (115, "exp(3*x)", "x", "exp(3*x)*3"), (115, "exp(3*x)", "x", "3*exp(3*x)"),
  (132, "sin(3*x)**2", "x", "2*sin(3*x)*cos(3*x)*3"), (132, "sin(3*x)**2", "x", "6*sin(3*x)*cos(3*x)"),
  (134, "sin(3*x)**2", "x", "3*sin(6*x)"),
  (144, "x**2*exp(-x)", "x", "2*x*exp(-x)+x**2*exp(-x)*(-1)"), (144, "x**2*exp(-x)", "x", "2*x*exp(-x)-x**2*exp(-x)"),
  (144, "x**2*exp(-x)", "x", "x*exp(-x)*(2-x)"),
  (150, "1/(x**2+1)**2", "x", "-2*(x**2+1)**(-3)*2*x"), (150, "1/(x**2+1)**2", "x", "-4*x/(x**2+1)**3"),
  (158, "(2*x**3-x)**5", "x", "5*(2*x**3-x)**4*(6*x**2-1)"),
  (175, "sin(3*x)", "x", "3*cos(3*x)"), (179, "(x**2+1)**3", "x", "3*(x**2+1)**2*2*x"),
 ],
 "callumalpass__04_trig_derivatives.md": [   # 141, 143: "gives", "then differentiate:" without the operand
  (13, "sin(x)", "x", "cos(x)"), (15, "cos(x)", "x", "-sin(x)"),
  (33, "sin(x)", "x", "sin(x)*0+cos(x)*1"), (33, "sin(x)", "x", "cos(x)"),
  (39, "tan(x)", "x", "sec(x)**2"),
  (43, "sin(x)/cos(x)", "x", "(cos(x)*cos(x)-sin(x)*(-sin(x)))/cos(x)**2"), (43, "sin(x)/cos(x)", "x", "(cos(x)**2+sin(x)**2)/cos(x)**2"),
  (43, "sin(x)/cos(x)", "x", "1/cos(x)**2"), (43, "sin(x)/cos(x)", "x", "sec(x)**2"),
  (45, "cot(x)", "x", "-csc(x)**2"), (47, "sec(x)", "x", "sec(x)*tan(x)"),
  (52, "sec(x)", "x", "-(cos(x))**(-2)*(-sin(x))"), (52, "sec(x)", "x", "sin(x)/cos(x)**2"),
  (52, "sec(x)", "x", "1/cos(x)*sin(x)/cos(x)"), (52, "sec(x)", "x", "sec(x)*tan(x)"),
  (54, "csc(x)", "x", "-csc(x)*cot(x)"),
  (60, "sin(x)", "x", "cos(x)"), (61, "cos(x)", "x", "-sin(x)"), (62, "tan(x)", "x", "sec(x)**2"),
  (63, "cot(x)", "x", "-csc(x)**2"), (64, "sec(x)", "x", "sec(x)*tan(x)"), (65, "csc(x)", "x", "-csc(x)*cot(x)"),
  (77, "sin(3*x)", "x", "cos(3*x)*3"), (77, "sin(3*x)", "x", "3*cos(3*x)"),
  (79, "cos(x**2)", "x", "-sin(x**2)*2*x"), (79, "cos(x**2)", "x", "-2*x*sin(x**2)"),
  (81, "tan(5*x)", "x", "sec(5*x)**2*5"), (81, "tan(5*x)", "x", "5*sec(5*x)**2"),
  (87, "sin(x)**n", "x", "n*sin(x)**(n-1)*cos(x)"), (89, "sin(x)**3", "x", "3*sin(x)**2*cos(x)"),
  (91, "cos(2*x)**4", "x", "4*cos(2*x)**3*(-sin(2*x))*2"), (91, "cos(2*x)**4", "x", "-8*cos(2*x)**3*sin(2*x)"),
  (98, "x*sin(x)", "x", "1*sin(x)+x*cos(x)"), (98, "x*sin(x)", "x", "sin(x)+x*cos(x)"),
  (103, "sin(x)/x", "x", "(cos(x)*x-sin(x)*1)/x**2"), (103, "sin(x)/x", "x", "(x*cos(x)-sin(x))/x**2"),
  (108, "exp(x)*sin(x)", "x", "exp(x)*sin(x)+exp(x)*cos(x)"), (108, "exp(x)*sin(x)", "x", "exp(x)*(sin(x)+cos(x))"),
  (113, "sin(cos(x))", "x", "cos(cos(x))*(-sin(x))"), (113, "sin(cos(x))", "x", "-sin(x)*cos(cos(x))"),
  # the table of n-th derivatives (numeric n)
  (122, "sin(x)", "x", "cos(x)"), (122, "cos(x)", "x", "-sin(x)"),
  (123, "sin(x)", "x", "-sin(x)", 2), (123, "cos(x)", "x", "-cos(x)", 2),
  (124, "sin(x)", "x", "-cos(x)", 3), (124, "cos(x)", "x", "sin(x)", 3),
  (125, "sin(x)", "x", "sin(x)", 4), (125, "cos(x)", "x", "cos(x)", 4),
  (150, "cos(x)", "x", "-sin(x)"), (155, "sin(x)**2", "x", "2*sin(x)*cos(x)"),
 ],
 "callumalpass__05_exponential_log_derivatives.md": [   # 81, 85: "so d/dx = ..." without the operand
  (13, "exp(x)", "x", "exp(x)"), (22, "log(x)", "x", "1/x"), (33, "a**x", "x", "a**x*log(a)"),
  (36, "exp(x*log(a))", "x", "exp(x*log(a))*log(a)"), (36, "exp(x*log(a))", "x", "a**x*log(a)"),
  (39, "2**x", "x", "2**x*log(2)"), (40, "10**x", "x", "10**x*log(10)"),
  (41, "exp(x)", "x", "exp(x)*log(E)"), (41, "exp(x)", "x", "exp(x)*1"), (41, "exp(x)", "x", "exp(x)"),
  (47, "log(x)/log(a)", "x", "1/(x*log(a))"),
  (51, "log(x)/log(a)", "x", "1/log(a)*1/x"), (51, "log(x)/log(a)", "x", "1/(x*log(a))"),
  (53, "log(x)/log(10)", "x", "1/(x*log(10))"),
  (66, "exp(3*x)", "x", "exp(3*x)*3"), (66, "exp(3*x)", "x", "3*exp(3*x)"),
  (68, "exp(x**2)", "x", "exp(x**2)*2*x"), (68, "exp(x**2)", "x", "2*x*exp(x**2)"),
  (70, "exp(-x)", "x", "exp(-x)*(-1)"), (70, "exp(-x)", "x", "-exp(-x)"),
  (72, "exp(sin(x))", "x", "exp(sin(x))*cos(x)"), (72, "exp(sin(x))", "x", "cos(x)*exp(sin(x))"),
  (75, "x*exp(x)", "x", "1*exp(x)+x*exp(x)"), (75, "x*exp(x)", "x", "exp(x)*(1+x)"),
  (79, "log(3*x)", "x", "3/(3*x)"), (79, "log(3*x)", "x", "1/x"),
  (83, "log(x**2)", "x", "2*x/x**2"), (83, "log(x**2)", "x", "2/x"),
  (87, "log(sin(x))", "x", "cos(x)/sin(x)"), (87, "log(sin(x))", "x", "cot(x)"),
  (89, "log(x**2+1)", "x", "2*x/(x**2+1)"),
  (92, "x*log(x)", "x", "1*log(x)+x*(1/x)"), (92, "x*log(x)", "x", "log(x)+1"),
  (106, "x**x", "x", "x**x*(log(x)+1)"),   # 103, 106's first side, 112-114: in y
  (116, "x**2*sqrt(x+1)/(x-2)**3", "x", "x**2*sqrt(x+1)/(x-2)**3*(2/x+1/(2*(x+1))-3/(x-2))"),
  (122, "exp(x)", "x", "exp(x)"), (123, "a**x", "x", "a**x*log(a)"), (124, "log(x)", "x", "1/x"),
  (125, "log(x)/log(a)", "x", "1/(x*log(a))"),
  (134, "2**x", "x", "2**x*log(2)"), (141, "log(x**2+1)", "x", "2*x/(x**2+1)"),
  (146, "log(Abs(x))", "x", "1/x"), (161, "log(x)", "x", "1/x"), (162, "a**x", "x", "a**x*log(a)"),
 ],
 # RBrooksDK/MSE1_25: answers typed alone (97, 98, 100, 112-116, 126-128) have no '='
 "rbrooksdk__10.md": [
  (56, "x**4", "x", "4*x**3"), (57, "t**Rational(-1,3)", "t", "-Rational(1,3)*t**Rational(-4,3)"),
  (58, "t**(-3.8)", "t", "-3.8*t**(-4.8)"),
  (69, "x**(-2)", "x", "-2*x**(-3)"), (70, "x**Rational(1,3)", "x", "Rational(1,3)*x**Rational(-2,3)"),
  (71, "x**Rational(-5,4)", "x", "-Rational(5,4)*x**Rational(-9,4)"),
  (83, "2*x**(-7)+3/x**2", "x", "-14*x**(-8)-6*x**(-3)"),
  (99, "(x**2-1)/(x**3+4)", "x", "(-x**4+3*x**2+8*x)/(x**3+4)**2"),
 ],
 # RBrooksDK/MSE_book_v2: the chapter's rules section (12 preamble lines first)
 "rbrooksdk__chapter10.tex": [
  (22, "c", "x", "0"), (23, "x**n", "x", "n*x**(n-1)"),
  (30, "x**7", "x", "7*x**6"), (32, "x**(-0.5)", "x", "-0.5*x**(-1.5)"), (34, "x**(-3)", "x", "-3*x**(-4)"),
  (36, "3.2", "x", "0"),
  (38, "sqrt(t)", "t", "Rational(1,2)*t**Rational(-1,2)"), (38, "sqrt(t)", "t", "1/(2*sqrt(t))"),
  (40, "-13.29", "u", "0"), (42, "x**3", "x", "3*x**2"), (43, "x**(-2)", "x", "-2*x**(-3)"),
  (50, "x**2", "x", "2*x"),   # f'(1) = 2, f'(-0.5) = -1: values at a point
  (122, "(x**2+1)**3", "x", "3*(x**2+1)**2*2*x"), (122, "(x**2+1)**3", "x", "6*x*(x**2+1)**2"),
  (133, "t**4", "t", "4*t**3"),
  (173, "t**Rational(1,2)", "t", "t**Rational(-1,2)/2"), (173, "t**Rational(1,2)", "t", "1/(2*sqrt(t))"),
  (185, "1/s", "s", "-s**(-2)"), (185, "1/s", "s", "-1/s**2"),
  (190, "x**Rational(-1,3)", "x", "-Rational(1,3)*x**Rational(-4,3)"),
  (195, "x**Rational(-3,2)", "x", "-Rational(3,2)*x**Rational(-5,2)"),
  (216, "3*x**2", "x", "3*diff(x**2,x)"), (216, "3*x**2", "x", "6*x"),
  (217, "3*t**2+2*t**(-2)", "t", "diff(3*t**2,t)+diff(2*t**(-2),t)"), (217, "3*t**2+2*t**(-2)", "t", "6*t-4*t**(-3)"),
  (218, "3*x**Rational(-1,2)-2*x**Rational(4,3)", "x", "-Rational(3,2)*x**Rational(-3,2)-Rational(8,3)*x**Rational(1,3)"),
  (219, "-0.3*x**(-0.4)", "x", "0.12*x**(-1.4)"), (220, "2*x**0.3", "x", "0.6*x**(-0.7)"),
  (259, "(x+2)*(x**2+3)", "x", "(x+2)*2*x+1*(x**2+3)"),
  (260, "sqrt(x)*(x**3-3*x**2+7)", "x", "sqrt(x)*(3*x**2-6*x)+Rational(1,2)*x**Rational(-1,2)*(x**3-3*x**2+7)"),
  (261, "(t**2+3)*(sqrt(t)+t**3)", "t", "(t**2+3)*(Rational(1,2)*t**Rational(-1,2)+3*t**2)+2*t*(sqrt(t)+t**3)"),
 ],
 # BonheurN/Math-2024-25-Winter: one step per $$ block (item 6 restates y(x) = sqrt x as y(x) = x, 214)
 "bonheurn__Derivatives.md": [
  (23, "c", "x", "0"), (28, "k*x", "x", "k"),
  (34, "-3*x+3", "x", "diff(-3*x,x)+diff(3,x)"), (41, "-3*x", "x", "-3"), (46, "3", "x", "0"),
  (51, "-3*x+3", "x", "-3+0"), (51, "-3*x+3", "x", "-3"), (59, "-3*x+3", "x", "-3"),
  (91, "pi*x+sin(1)", "x", "pi+0"), (91, "pi*x+sin(1)", "x", "pi"), (97, "pi*x+sin(1)", "x", "pi"),
  (119, "4+sin(2)", "x", "0+0"), (119, "4+sin(2)", "x", "0"), (125, "4+sin(2)", "x", "0"),
  (137, "x**n", "x", "n*x**(n-1)"), (148, "2*x**3", "x", "6*x**2"), (152, "-3*x**2", "x", "-6*x"),
  (156, "8*x", "x", "8"), (160, "-9", "x", "0"),
  (165, "2*x**3-3*x**2+8*x-9", "x", "6*x**2-6*x+8"), (171, "2*x**3-3*x**2+8*x-9", "x", "6*x**2-6*x+8"),
  (183, "x**n", "x", "n*x**(n-1)"),
  (190, "6*x**Rational(1,3)", "x", "6*Rational(1,3)*x**(Rational(1,3)-1)"),
  (195, "6*x**Rational(1,3)", "x", "2*x**Rational(-2,3)"), (201, "6*x**Rational(1,3)", "x", "2/x**Rational(2,3)"),
  (207, "6*x**Rational(1,3)", "x", "2/x**Rational(2,3)"),
  (219, "x**n", "x", "n*x**(n-1)"),
  (226, "x", "x", "1*x**(1-1)"), (226, "x", "x", "x**0"), (226, "x", "x", "1"), (232, "x", "x", "1"),
  (247, "cos(x)+sin(x)", "x", "diff(cos(x),x)+diff(sin(x),x)"), (250, "cos(x)+sin(x)", "x", "-sin(x)+cos(x)"),
 ],
 # hairpinloops/hairpinloops.github.io: dot notation for d/dx; 33-44 of the cosecant page have no '='
 "hairpinloops__236.md": [
  (15, "pi*x**2", "x", "2*pi*x"), (17, _U, "x", "2*pi*x*tan(pi*x**2)*sec(pi*x**2)"),
  (19, "u**Rational(1,2)", "u", "Rational(1,2)*u**Rational(-1,2)"),
  (21, f"{_U}**Rational(1,2)", "x", f"(2*pi*x*tan(pi*x**2)*sec(pi*x**2))*(Rational(1,2)*{_U}**Rational(-1,2))"),
  (23, f"{_U}**Rational(1,2)", "x", f"Rational(1,2)*(2*pi*x*tan(pi*x**2)*sec(pi*x**2))*({_U}**Rational(-1,2))"),
  # 25: the -1/2 power typed on sec alone, (6 + sec(pi x^2)^{-1/2}): wrong as typed
  (25, f"{_U}**Rational(1,2)", "x", "pi*x*tan(pi*x**2)*sec(pi*x**2)*(6+sec(pi*x**2)**Rational(-1,2))"),
 ],
 "hairpinloops__cosecant_problem.md": [
  (7, "csc(x)", "x", "-csc(x)*cot(x)"),
  (29, "csc(3*x)", "x", "-3*csc(x)*cot(x)"),   # csc(x) cot(x) typed for csc(3x) cot(3x): wrong as typed
  (31, "x**(-3)", "x", "-3*x**(-4)"),
 ],
 # chryoung/chryoung.github.io: the first post's gradients are matrices and sums only
 "chryoung__2021_06_07_deep_learning_math.md": [],
 "chryoung__2021_06_08_deep_learning_backpropagation_math.md": [
  (22, "-y*log(yhat)-(1-y)*log(1-yhat)", "yhat", "-y/yhat+(1-y)/(1-yhat)"),
  (23, _YH, "w", "x"), (24, _YH, "b", "1"),
  (33, _L, "w", f"(-y/{_YH}+(1-y)/(1-{_YH}))*x"), (34, _L, "w", f"-x*y/{_YH}+x*(1-y)/(1-{_YH})"),
  (43, _L, "b", f"-y/{_YH}+(1-y)/(1-{_YH})"),
  (44, _L, "b", f"({_YH}-y*{_YH}-y+y*{_YH})/((1-{_YH})*{_YH})"),
  (45, _L, "b", f"({_YH}-y)/({_YH}-{_YH}**2)"), (46, _L, "b", f"1/(1-{_YH})-y/({_YH}*(1-{_YH}))"),
  # 54-59: a = sigma(z), as line 55 writes it
  (55, f"(-y*log({_SZ})-(1-y)*log(1-{_SZ}))", "z", f"(-y/{_SZ}+(1-y)/(1-{_SZ}))*diff({_SZ},z)"),
  (56, f"(-y*log({_SZ})-(1-y)*log(1-{_SZ}))", "z", f"(-y/{_SZ}+(1-y)/(1-{_SZ}))*({_SZ}*(1-{_SZ}))"),
  (57, f"(-y*log({_SZ})-(1-y)*log(1-{_SZ}))", "z", f"-y*(1-{_SZ})+{_SZ}*(1-y)"),
  (58, f"(-y*log({_SZ})-(1-y)*log(1-{_SZ}))", "z", f"-y+{_SZ}*y+{_SZ}-{_SZ}*y"),
  (59, f"(-y*log({_SZ})-(1-y)*log(1-{_SZ}))", "z", f"{_SZ}-y"),
  # f(x) = 1/sigma(x) = 1 + e^{-x}
  (81, "1+exp(-x)", "x", "-exp(-x)"),
  (83, "1+exp(-x)", "x", f"-{_S}**(-2)*diff({_S},x)"), (84, "1+exp(-x)", "x", f"-diff({_S},x)/{_S}**2"),
  (91, "1+exp(-x)", "x", "-exp(-x)"), (91, "1+exp(-x)", "x", "1-(1+exp(-x))"),
  (91, "1+exp(-x)", "x", f"1-1/{_S}"), (91, "1+exp(-x)", "x", f"({_S}-1)/{_S}"),
  (99, _S, "x", f"(1-{_S})/{_S}*{_S}**2"), (100, _S, "x", f"{_S}*(1-{_S})"),
 ],
 # jackey8616/jackey8616.github.io: f = ln(1 + e^{-z_i}) + (1 - y_i) z_i, sigma(z_i), z_i = w_1 x_i1 + w_2 x_i2 + b
 "jackey8616__logistic_regression_and_its_math.md": [   # 40-42 mix u = -z_i in; 69, 86, 103, 111-113 are sums over i
  (32, _F, "z_i", "diff(log(1+exp(-z_i)),z_i)+diff((1-y_i)*z_i,z_i)"),
  (33, _F, "z_i", "diff(log(1+exp(-z_i)),z_i)+(1-y_i)"),
  (35, "log(1+exp(-z_i))", "z_i", "1/(1+exp(-z_i))*diff(1+exp(-z_i),z_i)"),
  (38, "1+exp(-z_i)", "z_i", "diff(1,z_i)+diff(exp(-z_i),z_i)"), (39, "1+exp(-z_i)", "z_i", "0+diff(exp(-z_i),z_i)"),
  (43, "1+exp(-z_i)", "z_i", "-exp(-z_i)"),
  (45, "log(1+exp(-z_i))", "z_i", "1/(1+exp(-z_i))*(-exp(-z_i))"), (46, "log(1+exp(-z_i))", "z_i", "-exp(-z_i)/(1+exp(-z_i))"),
  (47, "log(1+exp(-z_i))", "z_i", "-1*exp(-z_i)*exp(z_i)/((1+exp(-z_i))*exp(z_i))"),
  (48, "log(1+exp(-z_i))", "z_i", "-1/(exp(z_i)+1)"),
  (56, "log(1+exp(-z_i))", "z_i", "-1/(exp(z_i)+1)"), (57, "log(1+exp(-z_i))", "z_i", f"-(1-{_SI})"),
  (58, "log(1+exp(-z_i))", "z_i", f"{_SI}-1"),
  (60, _F, "z_i", "diff(log(1+exp(-z_i)),z_i)+(1-y_i)"), (61, _F, "z_i", f"{_SI}-1+(1-y_i)"), (62, _F, "z_i", f"{_SI}-y_i"),
  (65, _Z, "w_1", "x_i1+0+0"), (66, _Z, "w_1", "x_i1"), (83, _Z, "w_2", "0+x_i2+0"), (100, _Z, "b", "0+0+1"),
 ],
 # MohamedKhalidmk/DeepLearning: course lab notebooks (cell * 10000 + line); the
 # backprop lab's node definitions (a = 2 + 3w, J = d^2/2, a = c + b) are in code
 # cells and images only, and its other derivatives are values at a point
 "mohamedkhalidmk__C2_W2_Derivatives.ipynb": [(60001, "w**2", "w", "2*w")],   # J(w) = w^2, cell 4
 "mohamedkhalidmk__C2_W2_Backprop.ipynb": [],
 "or1234egit__note3.md": [
  (4, "exp(x)", "x", "exp(x)"), (5, "log(x)", "x", "1/x"), (10, "sin(x)", "x", "cos(x)"), (11, "cos(x)", "x", "-sin(x)"),
 ],
}
