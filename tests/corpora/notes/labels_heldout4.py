# ruff: noqa: E501  (a table of transcribed claims)
"""Hand labels for the fresh held-out notes of round 4 (heldout4/), written
by reading the built copies only: chainlens (and benchmarks/notes_corpus.py)
was not run on these notes before the labels were committed.  The sources
(sources.json, "split": "heldout4") are ten repositories no earlier split
uses: an open LaTeX textbook written for Ximera with its own macros
(MOOCulus: \\ddx, \\dd, \\answer[given]{...} around the answers), a Hugo
course site in \\( \\) / \\[ \\] math (MCV4U), short Markdown course notes
(Calc1Course), Markdown cheat sheets (AmirTallap/math, wu-quartz), MyST
Jupyter-Book pages with dropdown steps (110jupyter), backprop/activation
notes in Markdown (an Obsidian note, a course README) and two Jupyter notebooks.

Format as in labels_heldout3.py: (line, expression, variable, claimed[,
order]) in SymPy syntax, one row per concrete claim; line = the line of the
claimed side in the built copy (notebooks: cell * 10000 + line in the cell).
Not concrete (left out on purpose), as in round 3: generic f, g, u, v
(rules, and rule forms such as "f(x)g'(x) + f'(x)g(x)" even where f and g
are named just before); limits and the limit steps of a first-principles
chain (only its final value is a claim); values at a point and functions
known only from a table; implicit differentiation; chain steps that mix the
dependent and independent variables (one exception, commented:
zh4ngx 10013); vector/indexed gradients; piecewise
derivatives (ReLU, PReLU); products of two derivatives ("f'(x)g'(x) =
(2x)(3x^2-3)", which is not the derivative of one expression); algebra that
continues a derivative without writing any derivative notation.  A step that
rewrites E first ("d/dx 1/x^4 = d/dx x^{-4}") is a claim; its claimed side is
written with SymPy's diff.  label.py decides each row's correctness with
SymPy; the rows it calls wrong are real mistakes in the notes (comments
below)."""

_S = "(1/(1+exp(-x)))"            # the logistic sigmoid in x

HELDOUT4 = {
 # MOOCulus (Ximera LaTeX; \ddx = d/dx from preamble.tex; answers inside \answer[given]{...})
 "mooculus__digInProductRuleAndQuotientRule.tex": [
  (89, "(x**2+1)*(x**3-3*x)", "x", "diff(x**5-2*x**3-3*x,x)"),
  (89, "(x**2+1)*(x**3-3*x)", "x", "5*x**4-6*x**2-3"),
  (190, "(x**2+1)*(x**3-3*x)", "x", "(x**2+1)*(3*x**2-3)+2*x*(x**3-3*x)"),
  (211, "x*exp(x)-exp(x)", "x", "diff(x*exp(x),x)-diff(exp(x),x)"),
  (212, "x*exp(x)-exp(x)", "x", "(x*exp(x)+exp(x))-exp(x)"),
  (213, "x*exp(x)-exp(x)", "x", "x*exp(x)"),
  (293, "(x**2+1)/(x**3-3*x)", "x", "(2*x*(x**3-3*x)-(x**2+1)*(3*x**2-3))/(x**3-3*x)**2"),
  (294, "(x**2+1)/(x**3-3*x)", "x", "(-x**4-6*x**2+3)/(x**3-3*x)**2"),
  (306, "sin(x)/x", "x", "(cos(x)*x-sin(x)*1)/x**2"),
 ],
 "mooculus__digInChainRule.tex": [
  (99, "sin(x)", "x", "cos(x)"), (99, "1+2*x", "x", "2"),
  (104, "sin(1+2*x)", "x", "cos(1+2*x)*2"), (105, "sin(1+2*x)", "x", "2*cos(1+2*x)"),
  (123, "sqrt(x)", "x", "1/(2*sqrt(x))"), (123, "1+x", "x", "1"),
  (125, "sqrt(1+sqrt(x))", "x", "1/(2*sqrt(1+sqrt(x)))*1*1/(2*sqrt(x))"),
  (142, "exp(sin(x**2))", "x", "exp(sin(x**2))*cos(x**2)*2*x"),
  (164, "x**-1", "x", "-1/x**2"), (164, "x**2+1", "x", "2*x"),
  (165, "x**3/(x**2+1)", "x", "3*x**2/(x**2+1)-2*x**4/(x**2+1)**2"),
 ],
 "mooculus__digInBasicRulesOfDifferentiation.tex": [
  (104, "c", "x", "0"), (111, "c", "x", "0"),
  (167, "x**n", "x", "n*x**(n-1)"), (189, "x**n", "x", "n*x**(n-1)"), (193, "x**n", "x", "n*x**(n-1)"),
  (207, "x**13", "x", "13*x**12"),
  (222, "1/x**4", "x", "diff(x**-4,x)"), (222, "1/x**4", "x", "-4*x**-5"),
  (237, "x**Rational(1,5)", "x", "diff(x**Rational(1,5),x)"), (237, "x**Rational(1,5)", "x", "x**Rational(-4,5)/5"),
 ],
 # MCV4U course site (Hugo Markdown, \\( \\) and \\[ \\] math; f'(x) after "f(x) = ..." in the question)
 "timothymknapp__section2_2.md": [
  (17, "x**4+2*x**3-5*x+7", "x", "diff(x**4,x)+diff(2*x**3,x)-diff(5*x,x)+diff(7,x)"), (21, "x**4+2*x**3-5*x+7", "x", "4*x**3+6*x**2-5"), (27, "x**4+2*x**3-5*x+7", "x", "4*x**3+6*x**2-5"),
  (41, "3*x**5-2*x**4+x**3-6", "x", "diff(3*x**5,x)-diff(2*x**4,x)+diff(x**3,x)-diff(6,x)"), (45, "3*x**5-2*x**4+x**3-6", "x", "15*x**4-8*x**3+3*x**2"), (51, "3*x**5-2*x**4+x**3-6", "x", "15*x**4-8*x**3+3*x**2"),
  (65, "x**3-4*x**2+9*x-2", "x", "diff(x**3,x)-diff(4*x**2,x)+diff(9*x,x)-diff(2,x)"), (69, "x**3-4*x**2+9*x-2", "x", "3*x**2-8*x+9"), (75, "x**3-4*x**2+9*x-2", "x", "3*x**2-8*x+9"),
  (89, "-7*x**6+5*x**4-2*x**3", "x", "diff(-7*x**6,x)+diff(5*x**4,x)-diff(2*x**3,x)"), (93, "-7*x**6+5*x**4-2*x**3", "x", "-42*x**5+20*x**3-6*x**2"), (99, "-7*x**6+5*x**4-2*x**3", "x", "-42*x**5+20*x**3-6*x**2"),
  (113, "x**3/4-2*x+5", "x", "diff(x**3/4,x)-diff(2*x,x)+diff(5,x)"), (117, "x**3/4-2*x+5", "x", "Rational(3,4)*x**2-2"), (123, "x**3/4-2*x+5", "x", "Rational(3,4)*x**2-2"),
  (137, "2*x**7-x**5+4*x**2", "x", "diff(2*x**7,x)-diff(x**5,x)+diff(4*x**2,x)"), (141, "2*x**7-x**5+4*x**2", "x", "14*x**6-5*x**4+8*x"), (147, "2*x**7-x**5+4*x**2", "x", "14*x**6-5*x**4+8*x"),
  (161, "3*x**4-2*x**2+6", "x", "diff(3*x**4,x)-diff(2*x**2,x)+diff(6,x)"), (165, "3*x**4-2*x**2+6", "x", "12*x**3-4*x"), (171, "3*x**4-2*x**2+6", "x", "12*x**3-4*x"),
  (185, "-5*x**3+4*x**2-x+2", "x", "diff(-5*x**3,x)+diff(4*x**2,x)-diff(x,x)+diff(2,x)"), (189, "-5*x**3+4*x**2-x+2", "x", "-15*x**2+8*x-1"), (195, "-5*x**3+4*x**2-x+2", "x", "-15*x**2+8*x-1"),
 ],
 "timothymknapp__section2_3.md": [   # product rule; u(x), v(x) defined in each example
  (17, "x**3", "x", "3*x**2"), (20, "4*x-2", "x", "4"),
  (29, "x**3*(4*x-2)", "x", "(3*x**2)*(4*x-2)+x**3*4"), (35, "x**3*(4*x-2)", "x", "12*x**3-6*x**2+4*x**3"),
  (39, "x**3*(4*x-2)", "x", "16*x**3-6*x**2"), (45, "x**3*(4*x-2)", "x", "16*x**3-6*x**2"),
  (59, "5*x**2+3*x", "x", "10*x+3"), (62, "x**4-2*x", "x", "4*x**3-2"),
  (71, "(5*x**2+3*x)*(x**4-2*x)", "x", "(10*x+3)*(x**4-2*x)+(5*x**2+3*x)*(4*x**3-2)"),
  (77, "(5*x**2+3*x)*(x**4-2*x)", "x", "(10*x+3)*(x**4-2*x)+(5*x**2+3*x)*(4*x**3-2)"),
  (83, "(5*x**2+3*x)*(x**4-2*x)", "x", "10*x*(x**4-2*x)+3*(x**4-2*x)+5*x**2*(4*x**3-2)+3*x*(4*x**3-2)"),
  (89, "(5*x**2+3*x)*(x**4-2*x)", "x", "10*x**5-20*x**2+3*x**4-6*x+20*x**5-10*x**2+12*x**4-6*x"),
  (95, "(5*x**2+3*x)*(x**4-2*x)", "x", "30*x**5+15*x**4-30*x**2-12*x"),
  (101, "(5*x**2+3*x)*(x**4-2*x)", "x", "30*x**5+15*x**4-30*x**2-12*x"),
  (115, "1/x", "x", "-1/x**2"), (118, "3*x**2+2*x", "x", "6*x+2"),
  (127, "(1/x)*(3*x**2+2*x)", "x", "(-1/x**2)*(3*x**2+2*x)+(1/x)*(6*x+2)"),
  (133, "(1/x)*(3*x**2+2*x)", "x", "-(3*x**2+2*x)/x**2+(6*x+2)/x"),
  # a real mistake in the note: -(3x^2+2x)/x^2 is -3 - 2/x (not -3/x - 2/x^2) and
  # (6x+2)/x is 6 + 2/x; f(x) = 3x + 2, so f'(x) = 3, not 5/x - 2/x^2 (lines 137, 143, 149)
  (137, "(1/x)*(3*x**2+2*x)", "x", "-3/x-2/x**2+6/x+2/x"),
  (143, "(1/x)*(3*x**2+2*x)", "x", "5/x-2/x**2"), (149, "(1/x)*(3*x**2+2*x)", "x", "5/x-2/x**2"),
  (163, "x**2-4", "x", "2*x"), (166, "x+1", "x", "1"),
  (175, "(x**2-4)*(x+1)", "x", "(2*x)*(x+1)+(x**2-4)*1"), (181, "(x**2-4)*(x+1)", "x", "2*x*(x+1)+(x**2-4)"),
  (185, "(x**2-4)*(x+1)", "x", "2*x**2+2*x+x**2-4"), (191, "(x**2-4)*(x+1)", "x", "3*x**2+2*x-4"),
  (197, "(x**2-4)*(x+1)", "x", "3*x**2+2*x-4"),
  (211, "x+1", "x", "1"), (214, "1/x", "x", "-1/x**2"),
  (223, "(x+1)/x", "x", "1*(1/x)+(x+1)*(-1/x**2)"), (229, "(x+1)/x", "x", "1/x-(x+1)/x**2"),
  (233, "(x+1)/x", "x", "1/x-x/x**2-1/x**2"), (237, "(x+1)/x", "x", "1/x-1/x-1/x**2"),
  (241, "(x+1)/x", "x", "-1/x**2"), (247, "(x+1)/x", "x", "-1/x**2"),
 ],
 "timothymknapp__section2_4.md": [   # quotient rule
  (18, "x**2+2*x", "x", "2*x+2"), (19, "x+1", "x", "1"),
  (24, "(x**2+2*x)/(x+1)", "x", "((x+1)*(2*x+2)-(x**2+2*x)*1)/(x+1)**2"),
  (30, "(x**2+2*x)/(x+1)", "x", "((x+1)*(2*x+2)-(x**2+2*x))/(x+1)**2"),
  (33, "(x**2+2*x)/(x+1)", "x", "(2*x**2+2*x+2*x+2-x**2-2*x)/(x+1)**2"),
  # a real mistake in the note: the numerator of line 33 is x^2 + 2x + 2; the 2x is lost
  (36, "(x**2+2*x)/(x+1)", "x", "(x**2+2)/(x+1)**2"), (42, "(x**2+2*x)/(x+1)", "x", "(x**2+2)/(x+1)**2"),
  (59, "x**3-4*x", "x", "3*x**2-4"), (60, "x**2+1", "x", "2*x"),
  (65, "(x**3-4*x)/(x**2+1)", "x", "((x**2+1)*(3*x**2-4)-(x**3-4*x)*(2*x))/(x**2+1)**2"),
  (71, "(x**3-4*x)/(x**2+1)", "x", "((x**2+1)*(3*x**2-4)-2*x*(x**3-4*x))/(x**2+1)**2"),
  (74, "(x**3-4*x)/(x**2+1)", "x", "(3*x**4-4*x**2+3*x**2-4-2*x**4+8*x**2)/(x**2+1)**2"),
  (77, "(x**3-4*x)/(x**2+1)", "x", "(x**4+7*x**2-4)/(x**2+1)**2"),
  (83, "(x**3-4*x)/(x**2+1)", "x", "(x**4+7*x**2-4)/(x**2+1)**2"),
  (100, "5", "x", "0"), (101, "x**2+1", "x", "2*x"),
  (106, "5/(x**2+1)", "x", "((x**2+1)*0-5*(2*x))/(x**2+1)**2"),
  (112, "5/(x**2+1)", "x", "-10*x/(x**2+1)**2"), (118, "5/(x**2+1)", "x", "-10*x/(x**2+1)**2"),
  (135, "sqrt(x)", "x", "Rational(1,2)*x**Rational(-1,2)"), (136, "x+2", "x", "1"),
  (141, "sqrt(x)/(x+2)", "x", "((x+2)*(Rational(1,2)*x**Rational(-1,2))-sqrt(x)*1)/(x+2)**2"),
  (147, "sqrt(x)/(x+2)", "x", "(Rational(1,2)*(x+2)*x**Rational(-1,2)-x**Rational(1,2))/(x+2)**2"),
  (150, "sqrt(x)/(x+2)", "x", "((x+2)/(2*x**Rational(1,2))-x**Rational(1,2))/(x+2)**2"),
  (156, "sqrt(x)/(x+2)", "x", "((x+2)/(2*sqrt(x))-sqrt(x))/(x+2)**2"),
  (173, "3", "x", "0"), (174, "x**-2+4", "x", "-2*x**-3"),
  (179, "3/(x**-2+4)", "x", "((x**-2+4)*0-3*(-2*x**-3))/(x**-2+4)**2"),
  (185, "3/(x**-2+4)", "x", "6*x**-3/(x**-2+4)**2"), (191, "3/(x**-2+4)", "x", "6*x**-3/(x**-2+4)**2"),
 ],
 "timothymknapp__section2_5.md": [   # chain rule, Leibniz du/dv, dv/dx, dy/dx after the definitions
  (24, "v**6", "v", "6*v**5"), (29, "4*x**2+5*x+3", "x", "8*x+5"),
  (34, "(4*x**2+5*x+3)**6", "x", "6*(4*x**2+5*x+3)**5*(8*x+5)"), (40, "(4*x**2+5*x+3)**6", "x", "6*(4*x**2+5*x+3)**5*(8*x+5)"),
  (66, "v**-4", "v", "-4*v**-5"), (71, "3*x**2+2*x", "x", "6*x+2"),
  (76, "(3*x**2+2*x)**-4", "x", "-4*(3*x**2+2*x)**-5*(6*x+2)"), (82, "(3*x**2+2*x)**-4", "x", "-4*(3*x**2+2*x)**-5*(6*x+2)"),
  (108, "v**Rational(1,2)", "v", "Rational(1,2)*v**Rational(-1,2)"), (113, "5*x**2-3*x+1", "x", "10*x-3"),
  (118, "sqrt(5*x**2-3*x+1)", "x", "Rational(1,2)*(5*x**2-3*x+1)**Rational(-1,2)*(10*x-3)"),
  (124, "sqrt(5*x**2-3*x+1)", "x", "Rational(1,2)*(5*x**2-3*x+1)**Rational(-1,2)*(10*x-3)"),
  (145, "v**Rational(1,3)", "v", "Rational(1,3)*v**Rational(-2,3)"), (150, "2*x**3+x", "x", "6*x**2+1"),
  (155, "(2*x**3+x)**Rational(1,3)", "x", "Rational(1,3)*(2*x**3+x)**Rational(-2,3)*(6*x**2+1)"),
  (161, "(2*x**3+x)**Rational(1,3)", "x", "Rational(1,3)*(2*x**3+x)**Rational(-2,3)*(6*x**2+1)"),
 ],
 # Calc1Course (short Markdown course notes)
 "skiadas__derivatives_higher.md": [
  (21, "3*x**3-x**2+1", "x", "9*x**2-2*x"), (21, "3*x**3-x**2+1", "x", "18*x-2", 2),
 ],
 # AmirTallap/math: cheat sheets; each formula is shown again as LaTeX source in a ``` block
 # (the copies in code blocks are source listings, not statements: not labelled)
 "amirtallap__calculus_differentiation.md": [],   # generic rules and definitions only
 "amirtallap__derivative_of_general_exponential_term.md": [
  (3, "a**x", "x", "log(a)*a**x"),
  (30, "log(x)/log(a)", "x", "diff(log(x)/log(a),x)"), (30, "log(x)/log(a)", "x", "diff(1/log(a)*log(x),x)"),
  (30, "log(x)/log(a)", "x", "1/log(a)*diff(log(x),x)"), (30, "log(x)/log(a)", "x", "1/(x*log(a))"),
 ],
 "amirtallap__derivative_of_inverse_trigs.md": [
  # implicit steps (dy/dx = 1/cos(y), ...) left out; the final dy/dx in x are claims,
  # each bound to the nearest y = ... (y is redefined three times)
  (24, "asin(x)", "x", "1/sqrt(1-x**2)"), (42, "acos(x)", "x", "-1/sqrt(1-x**2)"),
  (47, "tan(x)", "x", "sec(x)**2"), (47, "tan(x)", "x", "1/cos(x)**2"),
  (68, "atan(x)", "x", "1/(1+x**2)"),
 ],
 # 110jupyter (MyST Jupyter-Book pages: align* in admonitions and dropdowns, \hbox{$...$} side notes;
 # the rules repeated inside an HTML comment <!-- --> are not rendered: not labelled)
 "28left__derivatives_rules.md": [
  (24, "c", "x", "0"), (25, "x**n", "x", "n*x**(n-1)"),
  (152, "5*x**2-4*x+2+3/x**4", "x", "diff(5*x**2,x)-diff(4*x,x)+diff(2,x)+diff(3*x**-4,x)"),
  (170, "5*x**2-4*x+2+3/x**4", "x", "5*diff(x**2,x)-4*diff(x,x)+diff(2,x)+3*diff(x**-4,x)"),
  (180, "5*x**2-4*x+2+3/x**4", "x", "5*diff(x**2,x)-4*diff(x,x)+0+3*diff(x**-4,x)"), (180, "c", "x", "0"),
  (181, "5*x**2-4*x+2+3/x**4", "x", "5*2*x**(2-1)-4*1*x**(1-1)+3*(-4)*x**(-4-1)"), (181, "x**n", "x", "n*x**(n-1)"),
  (182, "5*x**2-4*x+2+3/x**4", "x", "10*x-4*x**0-12*x**-5"),
  (188, "5*x**2-4*x+2+3/x**4", "x", "10*x-4-12/x**5"),
  (219, "3*x**2+1", "x", "diff(3*x**2,x)+diff(1,x)"), (220, "3*x**2+1", "x", "3*2*x+0"), (220, "c", "x", "0"),
  (221, "3*x**2+1", "x", "6*x"),
  (224, "x**2+x+1", "x", "diff(x**2,x)+diff(x,x)+diff(1,x)"), (225, "x**2+x+1", "x", "2*x+1+0"), (225, "c", "x", "0"),
  (226, "x**2+x+1", "x", "2*x+1"),
  (234, "(3*x**2+1)*(x**2+x+1)", "x", "(6*x)*(x**2+x+1)+(3*x**2+1)*(2*x+1)"),
  (235, "(3*x**2+1)*(x**2+x+1)", "x", "6*x**3+6*x**2+6*x+6*x**3+3*x**2+2*x+1"),
  (236, "(3*x**2+1)*(x**2+x+1)", "x", "12*x**3+9*x**2+8*x+1"),
 ],
 "28left__severalvariables_partialderivatives.md": [   # f_x, f_y and dz/dx after the definitions
  (56, "x**3/2-4*x", "x", "Rational(3,2)*x**2-4"), (60, "x**3/2-x*y**2", "x", "Rational(3,2)*x**2-y**2"),
  (69, "-Rational(1,2)+y**2", "y", "2*y"), (73, "x**3/2-x*y**2", "y", "-2*x*y"),
 ],
 "28left__severalvariables_reviewderivatives.md": [
  (26, "c", "x", "0"), (27, "x**n", "x", "n*x**(n-1)"), (28, "exp(x)", "x", "exp(x)"), (29, "log(x)", "x", "1/x"),
  (43, "x**5", "x", "5*x**(5-1)"), (44, "x**5", "x", "5*x**4"),
  (52, "x**Rational(-3,4)", "x", "-Rational(3,4)*x**(Rational(-3,4)-1)"), (53, "x**Rational(-3,4)", "x", "-Rational(3,4)*x**Rational(-7,4)"),
  (62, "sqrt(x)", "x", "diff(x**Rational(1,2),x)"), (63, "sqrt(x)", "x", "Rational(1,2)*x**Rational(-1,2)"),
  (64, "sqrt(x)", "x", "1/(2*sqrt(x))"),
  (72, "1/x", "x", "diff(x**-1,x)"), (73, "1/x", "x", "(-1)*x**-2"), (74, "1/x", "x", "-1/x**2"),
  (105, "3*x**4+5*x**2-7*x+6", "x", "diff(3*x**4,x)+diff(5*x**2,x)-diff(7*x,x)+diff(6,x)"),
  (111, "3*x**4+5*x**2-7*x+6", "x", "3*diff(x**4,x)+5*diff(x**2,x)-7*diff(x,x)+diff(6,x)"),
  (117, "3*x**4+5*x**2-7*x+6", "x", "3*4*x**3+5*2*x-7*1+0"), (123, "3*x**4+5*x**2-7*x+6", "x", "12*x**3+10*x-7"),
  (140, "(5*x**2+1)*(4*sqrt(x)-6*x)", "x", "diff(5*x**2+1,x)*(4*sqrt(x)-6*x)+(5*x**2+1)*diff(4*sqrt(x)-6*x,x)"),
  (141, "(5*x**2+1)*(4*sqrt(x)-6*x)", "x", "10*x*(4*sqrt(x)-6*x)+(5*x**2+1)*(4/(2*sqrt(x))-6)"),
  # f'(1) = 10(-20) + (6)(-4) = -224 (line 150, should be -44) is a value at a point: not labelled
  (168, "(1+x**4)/(1-x**5)", "x", "(diff(1+x**4,x)*(1-x**5)-(1+x**4)*diff(1-x**5,x))/(1-x**5)**2"),
  (169, "(1+x**4)/(1-x**5)", "x", "(4*x**3*(1-x**5)-(1+x**4)*(-5*x**4))/(1-x**5)**2"),
  (177, "(1+x**4)/(1-x**5)", "x", "x**3*(4*(1-x**5)-(1+x**4)*(-5*x))/(1-x**5)**2"),
  (178, "(1+x**4)/(1-x**5)", "x", "x**3*(4-4*x**5+5*x+5*x**5)/(1-x**5)**2"),
  (179, "(1+x**4)/(1-x**5)", "x", "x**3*(4+5*x+x**5)/(1-x**5)**2"),
  (214, "(x**3+7*x-1)**4", "x", "4*(x**3+7*x-1)**3*diff(x**3+7*x-1,x)"),
  (215, "(x**3+7*x-1)**4", "x", "4*(x**3+7*x-1)**3*(3*x**2+7)"),
  (231, "sqrt(y**2-5)", "y", "diff((y**2-5)**Rational(1,2),y)"),
  (232, "sqrt(y**2-5)", "y", "Rational(1,2)*(y**2-5)**Rational(-1,2)*diff(y**2-5,y)"),
  (233, "sqrt(y**2-5)", "y", "Rational(1,2)*(y**2-5)**Rational(-1,2)*2*y"),
  (234, "sqrt(y**2-5)", "y", "y/sqrt(y**2-5)"),
 ],
 "skiadas__derivatives_rules.md": [
  (21, "x*sin(x)", "x", "sin(x)+x*cos(x)"),
  (22, "x**2", "x", "diff(x*x,x)"), (22, "x**2", "x", "diff(x,x)*x+x*diff(x,x)"),
  (22, "x**2", "x", "1*x+x*1"), (22, "x**2", "x", "2*x"),
 ],
 "skiadas__derivatives_trig.md": [
  (16, "sin(x)", "x", "cos(x)"), (16, "cos(x)", "x", "-sin(x)"),
  (28, "sin(x)", "x", "-sin(x)", 2), (28, "cos(x)", "x", "-cos(x)", 2),
  (37, "tan(x)", "x", "sec(x)**2"), (37, "tan(x)", "x", "1+tan(x)**2"), (37, "sec(x)", "x", "sec(x)*tan(x)"),
  (42, "tan(x)", "x", "(sin(x)**2+cos(x)**2)/cos(x)**2"),   # written tan' x
 ],
 # wu-quartz (Obsidian/Quartz study notes, Markdown)
 "maixnor__Derivatives.md": [
  (11, "x**2", "x", "2*x"), (18, "c", "x", "0"),
  # a real mistake in the note: "f(x) = x^h => f'(x) = hx^{h-1} + C" (a derivative has no + C)
  (20, "x**h", "x", "h*x**(h-1)+C"),
  (28, "x**2*x**3", "x", "2*x*x**3+x**2*3*x**2"), (28, "x**2*x**3", "x", "2*x**4+3*x**4"), (28, "x**2*x**3", "x", "5*x**4"),
  (33, "x**2/x**3", "x", "(2*x*x**3-x**2*3*x**2)/(x**3)**2"), (33, "x**2/x**3", "x", "(2*x**4-3*x**4)/x**6"),
  (33, "x**2/x**3", "x", "-x**4/x**6"), (33, "x**2/x**3", "x", "-1/x**2"),
  # "x^2 \circ x^3" is (x^3)^2; the steps through a generic g(x) are left out
  (38, "x**6", "x", "2*x**3*3*x**2"), (38, "x**6", "x", "6*x**5"),
  (55, "exp(x)", "x", "exp(x)"), (57, "log(x)", "x", "1/x"),   # written \frac{d}{dx}ln
  (59, "sin(x)", "x", "cos(x)"), (61, "cos(x)", "x", "-sin(x)"),
  # written with bare cos, sin (and one unclosed parenthesis)
  (63, "tan(x)", "x", "(cos(x)*cos(x)-(sin(x)*(-sin(x))))/cos(x)**2"),
  (63, "tan(x)", "x", "(cos(x)**2+sin(x)**2)/cos(x)**2"), (63, "tan(x)", "x", "1/cos(x)**2"),
 ],
 # backprop / activation notes
 "tonkic__sigmoid.md": [   # Obsidian note, Chinese prose
  (10, "1/(1+exp(-x))", "x", "1/(1+exp(-x))*(1-1/(1+exp(-x)))"), (16, "1/(1+exp(-x))", "x", "exp(-x)/(1+exp(-x))**2"),
 ],
 "weiliu2k__activations.ipynb": [   # Jupyter notebook (markdown cells)
  # t = f(z) = sigmoid; a real mistake in the notebook: "= (1-e^{-z})/(1-e^{-z})" (that is 1)
  (10004, "1/(1+exp(-z))", "z", "1/(1+exp(-z))*(1-1/(1+exp(-z)))"), (10004, "1/(1+exp(-z))", "z", "(1-exp(-z))/(1-exp(-z))"),
  # t = tanh(z) (the note's expansion of tanh has e^z - e^{-z} in the denominator too, a typo)
  (90004, "tanh(z)", "z", "1-tanh(z)**2"),
 ],
 "kripit__chapter_02_backpropagation.md": [   # ML course README (cut from "## 2. Calculus Refresher")
  (77, "x**2", "x", "2*x"),
  # plain-text math in ``` blocks (Unicode x²), as a student writes it (not a source listing)
  (82, "3*x+2", "x", "3"), (90, "x**2", "x", "2*x"),
  # a Markdown table: f(x) = ... | f'(x) = ...
  (100, "c", "x", "0"), (101, "x", "x", "1"), (102, "x**n", "x", "n*x**(n-1)"), (103, "exp(x)", "x", "exp(x)"),
  (104, "log(x)", "x", "1/x"), (105, "sin(x)", "x", "cos(x)"),
  (158, "u**2", "u", "2*u"), (164, "3*x+1", "x", "3"),
  (196, "u**2", "u", "2*u"), (197, "3*x", "x", "3"),
  (198, "(3*x)**2", "x", "6*x*3"), (198, "(3*x)**2", "x", "18*x"), (202, "9*x**2", "x", "18*x"),
  (248, "x**2+3*x*y+y**2", "x", "2*x+3*y"), (249, "x**2+3*x*y+y**2", "y", "3*x+2*y"),
 ],
 "zh4ngx__Assignment_1.ipynb": [   # cs224d assignment notebook; cells 0 and 2-7 are indexed/vector gradients
  # cell 1, z = 1 + e^{-x}: a real mistake in the notebook at 10013, "1/z^2 * -e^{-x}" (the sign of
  # d/dx 1/z = -z'/z^2 is lost; 10015 gets it back with a second minus).  That step mixes z and x,
  # which round 3 left out; it is labelled here (z substituted) so that a "wrong" on it is not
  # counted as a false alarm.  10009/10011 ("dz/dx z", "dx/dz 1 + e^{-x}") are not concrete.
  (10013, _S, "x", "1/(1+exp(-x))**2*(-exp(-x))"),
  (10015, _S, "x", "-exp(-x)/(-(1+exp(-x))**2)"),
  (10017, _S, "x", "1/(1+exp(-x))*exp(-x)/(1+exp(-x))"),
  (10019, _S, "x", f"{_S}*exp(-x)/(1+exp(-x))"),
  (10021, _S, "x", f"{_S}*(1+exp(-x)-1)/(1+exp(-x))"),
  (10023, _S, "x", f"{_S}*((1+exp(-x))/(1+exp(-x))-1/(1+exp(-x)))"),
  (10025, _S, "x", f"{_S}*(1-1/(1+exp(-x)))"),
  (10027, _S, "x", f"{_S}*(1-{_S})"),
  (10029, _S, "x", f"{_S}*(1/(1+exp(x)))"),   # sigma(x) sigma(-x)
 ],
}
