# ruff: noqa: E501  (a table of transcribed claims)
"""Hand labels for the fresh held-out notes of round 3 (heldout3/), written
by reading the built copies only: chainlens (and benchmarks/notes_corpus.py)
was not run on these notes before the labels were committed.  The sources
(sources.json, "split": "heldout3") are repositories no earlier split uses:
an open LaTeX textbook with its own macros (Armstrong Calculus: \\fp, \\ds),
MyST/Jupyter-Book course notes (essential-math), MIT 18.01 lecture notes and
problem-set answers in Markdown, plain-text (Unicode) daily study notes,
backprop/activation notes in Markdown, two Jupyter notebooks, and a
plain-text cheat sheet in code spans.

Format as in labels_heldout2.py: (line, expression, variable, claimed[,
order]) in SymPy syntax, one row per concrete claim; line = the line of the
claimed side in the built copy (notebooks: cell * 10000 + line in the cell).
Not concrete (left out on purpose): generic f, g, u, v (rules); limits and
the limit steps of a first-principles chain (only its final value is a
claim); values at a point; implicit differentiation (y' in x and y); chain
steps that mix the dependent and independent variables (dy/dx = cos(u)·2x);
vector/matrix/indexed gradients (softmax, losses summed over i); piecewise
derivatives (ReLU); "y' = d/dx(E)" where E is the function itself written
the same way (a restatement, not a step).  A step that rewrites E first
("d/dx tan x = d/dx(sin x / cos x)") is a claim; its claimed side is written
with SymPy's diff.  label.py decides each row's correctness with SymPy; the
rows it calls wrong are real mistakes in the notes (comments below)."""

_S = "(1/(1+exp(-x)))"            # the logistic sigmoid in x
_SZ = "(1/(1+exp(-Z)))"           # ... in Z
_LOG10 = "log(4*x)/log(10)"       # essential-math writes log for log10 (its answer is 1/(x ln 10))

HELDOUT3 = {
 # Armstrong Calculus (LaTeX, \fp = f', \ds = \displaystyle from commands.tex)
 "armstrongcal__2.4.derivativerules.tex": [
  (41, "x", "x", "1"), (71, "c", "x", "0"), (73, "7", "x", "0"), (73, "sqrt(3)", "x", "0"),
  (77, "x**n", "x", "n*x**(n-1)"), (81, "x**n", "x", "n*x**(n-1)"),
  (84, "z**-3", "z", "-3*z**-4"), (84, "t**Rational(7,5)", "t", "Rational(7,5)*t**Rational(2,5)"),
  (84, "q**pi", "q", "pi*q**(pi-1)"),
  (94, "a**x", "x", "a**x*log(a)"),
  (97, "2**x", "x", "2**x*log(2)"), (97, "10**t", "t", "10**t*log(10)"),
  (98, "exp(x)", "x", "exp(x)*log(E)"), (98, "exp(x)", "x", "exp(x)"),
  (125, "3*5**t", "t", "3*5**t*log(5)"), (125, "5*z**-2", "z", "5*(-2*z**-3)"),
  (136, "2**w+w**2", "w", "2**w*log(2)+2*w"),
  (136, "3*q**6-4*q**-3", "q", "3*(6*q**5)-4*(-3*q**-4)"),
  (136, "3*q**6-4*q**-3", "q", "18*q**5+12*q**-4"),
  (144, "7*t**5-4*t**3+8*t", "t", "35*t**4-12*t**2+8"), (144, "7*2**z", "z", "7*2**z*log(2)"),
  (164, "sin(x)", "x", "cos(x)"), (164, "cos(x)", "x", "-sin(x)"),
  (180, "x**n", "x", "n*x**(n-1)"), (181, "a**x", "x", "a**x*log(a)"),
  (184, "2**x", "x", "2**x*log(2)"),
  (185, "sin(x)", "x", "cos(x)"), (185, "cos(x)", "x", "-sin(x)"),
 ],
 "armstrongcal__2.5.prodquot.tex": [
  (39, "7*x**11-4*9**x+pi*sin(x)-sqrt(3)*cos(x)", "x", "77*x**10-4*9**x*log(9)+pi*cos(x)+sqrt(3)*sin(x)"),
  (134, "x*sin(x)+x**2/(cos(x)+2)", "x", "diff(x*sin(x),x)+diff(x**2/(cos(x)+2),x)"),
  (138, "x*sin(x)+x**2/(cos(x)+2)", "x", "(x*cos(x)+sin(x))+((cos(x)+2)*2*x-x**2*(-sin(x)))/(cos(x)+2)**2"),
  # a real mistake in the book: (cos x + 2)·2x expands to 2x cos x + 4x, not + 4x^2
  (139, "x*sin(x)+x**2/(cos(x)+2)", "x", "x*cos(x)+sin(x)+(2*x*cos(x)+4*x**2+x**2*sin(x))/(cos(x)+2)**2"),
  (145, "y*7**y/(y**2+1)", "y", "((y**2+1)*diff(y*7**y,y)-y*7**y*diff(y**2+1,y))/(y**2+1)**2"),
  (147, "y*7**y/(y**2+1)", "y", "((y**2+1)*(y*7**y*log(7)+7**y*1)-y*7**y*(2*y))/(y**2+1)**2"),
  (167, "cot(x)", "x", "(sin(x)*(-sin(x))-cos(x)*cos(x))/sin(x)**2"),
  (168, "cot(x)", "x", "-(sin(x)**2+cos(x)**2)/sin(x)**2"),
  (170, "cot(x)", "x", "-1/sin(x)**2"), (171, "cot(x)", "x", "-csc(x)**2"),
  (176, "cot(x)", "x", "-csc(x)**2"), (183, "tan(x)", "x", "sec(x)**2"),
  (213, "tan(x)", "x", "sec(x)**2"), (213, "cot(x)", "x", "-csc(x)**2"),
  (214, "sec(x)", "x", "sec(x)*tan(x)"), (214, "csc(x)", "x", "-csc(x)*cot(x)"),
 ],
 "armstrongcal__2.6.chainrule.tex": [
  (106, "sin(u)", "u", "cos(u)"), (106, "x**2", "x", "2*x"),
  (111, "sin(x**2)", "x", "cos(x**2)*2*x"),
  (128, "sin(2*x)", "x", "2*cos(2*x)"), (128, "2*x", "x", "2"), (128, "sin(u)", "u", "cos(u)"),
  (129, "sin(2*x)", "x", "2*cos(2*x)"),
  (152, "x**2", "x", "2*x"), (152, "tan(x)", "x", "sec(x)**2"),
  (158, "tan(x)**2", "x", "2*tan(x)*sec(x)**2"),
  (163, "u**2", "u", "2*u"), (163, "tan(x)", "x", "sec(x)**2"),
  (168, "tan(x)**2", "x", "2*tan(x)*sec(x)**2"),
  (201, "sin(x)", "x", "cos(x)"), (205, "a**x", "x", "a**x*log(a)"),
  (208, "(5*x+7)**10", "x", "10*(5*x+7)**9*5"), (209, "tan(17*x)", "x", "17*sec(17*x)**2"),
  (210, "exp(-3*x)", "x", "-3*exp(-3*x)"),
 ],
 # essential-math (MyST Markdown: align blocks, a table, a \dd macro the note never defines)
 "mphowardlab__derivative_rules.md": [
  (7, "k", "x", "0"), (8, "x**n", "x", "n*x**(n-1)"), (12, "a**x", "x", "a**x*log(a)"),
  (13, "log(x)/log(a)", "x", "1/(x*log(a))"),
  (18, "exp(x)", "x", "exp(x)"), (18, "log(x)", "x", "1/x"),
  (25, "x**3", "x", "3*x**(3-1)"), (25, "x**3", "x", "3*x**2"),
  (33, "-x**2+3", "x", "diff(-x**2,x)+diff(3,x)"), (34, "-x**2+3", "x", "-diff(x**2,x)+diff(3,x)"),
  (35, "-x**2+3", "x", "-2*x**(2-1)+0"), (36, "-x**2+3", "x", "-2*x"),
  (44, "4*x**3/3-x+2*exp(x)", "x", "Rational(4,3)*diff(x**3,x)-diff(x,x)+2*diff(exp(x),x)"),
  (46, "4*x**3/3-x+2*exp(x)", "x", "Rational(4,3)*(3*x**2)-1+2*exp(x)"),
  (47, "4*x**3/3-x+2*exp(x)", "x", "4*x**2-1+2*exp(x)"),
  (55, "3/x**2+sqrt(x)", "x", "3*diff(x**-2,x)+diff(x**Rational(1,2),x)"),
  (56, "3/x**2+sqrt(x)", "x", "3*(-2*x**-3)+Rational(1,2)*x**Rational(-1,2)"),
  (57, "3/x**2+sqrt(x)", "x", "-6/x**3+1/(2*sqrt(x))"),
  (65, _LOG10, "x", "diff(log(4)/log(10)+log(x)/log(10),x)"),
  (66, _LOG10, "x", "diff(log(4)/log(10),x)+diff(log(x)/log(10),x)"),
  (67, _LOG10, "x", "0+1/(x*log(10))"),
  (94, "(x-3)*(x-1)", "x", "2*x-4"),
  (101, "x-3", "x", "1"), (101, "x-1", "x", "1"),
  (107, "(x-3)*(x-1)", "x", "(x-3)*1+(x-1)*1"), (107, "(x-3)*(x-1)", "x", "2*x-4"),
  # real mistakes in the note (lines 125, 139): v' is right but the factor written
  # 2x^2 + 3 should be 2x^2 + 5 (the function is (x+1)(2x^2+5)(5x^3-4))
  (125, "(x+1)*(2*x**2+5)*(5*x**3-4)", "x", "(x+1)*diff((2*x**2+5)*(5*x**3-4),x)+(2*x**2+3)*(5*x**3-4)*1"),
  (132, "2*x**2+5", "x", "4*x"), (132, "5*x**3-4", "x", "15*x**2"),
  (139, "(x+1)*(2*x**2+5)*(5*x**3-4)", "x", "(x+1)*((2*x**2+3)*(15*x**2)+(5*x**3-4)*(4*x))+(2*x**2+5)*(5*x**3-4)"),
  (152, "1/x", "x", "-1/x**2"), (152, "exp(x)", "x", "exp(x)"),
  (158, "exp(x)/x", "x", "1/x*exp(x)+exp(x)*(-1/x**2)"), (159, "exp(x)/x", "x", "exp(x)*(1/x-1/x**2)"),
  (170, "x**2+3", "x", "2*x"), (170, "log(x)", "x", "1/x"),
  (176, "(x**2+3)*log(x)", "x", "(x**2+3)*(1/x)+log(x)*(2*x)"),
  (177, "(x**2+3)*log(x)", "x", "(x**2+3)/x+2*x*log(x)"),
  (203, "(x-1)/x", "x", "1/x**2"),
  (210, "x-1", "x", "1"), (210, "x", "x", "1"),
  (216, "(x-1)/x", "x", "(x*1-(x-1)*1)/x**2"), (216, "(x-1)/x", "x", "1/x**2"),
  (227, "x**2-1", "x", "2*x"), (227, "x**4+2", "x", "4*x**3"),
  (233, "(x**2-1)/(x**4+2)", "x", "((x**4+2)*(2*x)-(x**2-1)*(4*x**3))/(x**4+2)**2"),
  # a real mistake in the note: (x^4+2)·2x = 2x^5 + 4x (not 4x^2) and
  # (x^4+2)^2 = x^8 + 4x^4 + 4 (not 2x^4)
  (234, "(x**2-1)/(x**4+2)", "x", "(2*x**5+4*x**2-4*x**5+4*x**3)/(x**8+2*x**4+4)"),
  (243, "exp(x)", "x", "exp(x)"), (243, "1+x", "x", "1"),
  (249, "exp(x)/(1+x)", "x", "((1+x)*exp(x)-exp(x)*1)/(1+x)**2"),
  (250, "exp(x)/(1+x)", "x", "x*exp(x)/(1+x)**2"),
 ],
 "mphowardlab__derivatives.md": [
  (61, "x0+v*t", "t", "v"), (81, "x**2", "x", "2*x"), (97, "(x-1)**2+1", "x", "2*(x-1)"),
  (109, "1/x", "x", "-1/x**2"), (127, "x**2", "x", "2*x"), (135, "x**2", "x", "2", 2),
  (184, "u0*t", "t", "u0"), (193, "v0*t-g*t**2/2", "t", "v0-g*t"),
  (194, "v0-g*t", "t", "-g"), (194, "v0*t-g*t**2/2", "t", "-g", 2),
 ],
 # MIT 18.01 notes in Markdown (chains joined with \\ inside one $...$)
 "jinxinwangstd__lecture_4_notes.md": [
  (35, "1/x", "x", "(0*x-1*1)/x**2"), (35, "1/x", "x", "-1/x**2"),
  (43, "1/x**n", "x", "(0*x**n-1*n*x**(n-1))/x**(2*n)"), (43, "1/x**n", "x", "-n*x**(-n-1)"),
  (67, "sin(t)**10", "t", "10*sin(t)**9*cos(t)"), (75, "sin(10*t)", "t", "10*cos(10*t)"),
  (79, "sin(x)", "x", "cos(x)"), (79, "sin(x)", "x", "-sin(x)", 2), (79, "sin(x)", "x", "-cos(x)", 3),
  (91, "x**n", "x", "n*x**(n-1)"), (93, "x**n", "x", "n*(n-1)*x**(n-2)", 2),
  (95, "x**n", "x", "n*(n-1)*(n-2)*x**(n-3)", 3),
 ],
 "jinxinwangstd__lecture_5_notes.md": [
  (5, "x**a", "x", "a*x**(a-1)"),
  (23, "x**(m/n)", "x", "m/n*x**(m-1-(m*n-m)/n)"), (25, "x**(m/n)", "x", "m/n*x**(m/n-1)"),
  (27, "x**a", "x", "a*x**(a-1)"),
  (37, "sqrt(1-x**2)", "x", "Rational(1,2)*(1-x**2)**Rational(-1,2)*(-2*x)"),
  (39, "sqrt(1-x**2)", "x", "-x*(1-x**2)**Rational(-1,2)"),
  (41, "sqrt(1-x**2)", "x", "-x/sqrt(1-x**2)"), (51, "sqrt(1-x**2)", "x", "-x/sqrt(1-x**2)"),
  (93, "tan(x)", "x", "diff(sin(x)/cos(x),x)"),
  (97, "sin(x)/cos(x)", "x", "(cos(x)*cos(x)-sin(x)*(-sin(x)))/cos(x)**2"),
  (97, "sin(x)/cos(x)", "x", "1/cos(x)**2"), (99, "tan(x)", "x", "1/cos(x)**2"),
  # a real mistake in the note: cos^2(y) with y = arctan x is 1/(1+x^2), not (arctan x)^2
  # (the note gets it right four lines later)
  (105, "atan(x)", "x", "atan(x)**2"),
  (109, "atan(x)", "x", "(1/sqrt(1+x**2))**2"), (109, "atan(x)", "x", "1/(1+x**2)"),
  (123, "asin(x)", "x", "1/sqrt(1-x**2)"),
 ],
 "jinxinwangstd__problem_set_differentiation_answers.md": [
  (17, "x**(1/n)", "x", "1/n*(x**(1/n))**(1-n)"), (19, "x**(1/n)", "x", "1/n*x**(1/n-1)"),
  # a real mistake in the answers: d/dV (nRT V^-c) = -c nRT / V^(c+1) (the sign is lost)
  (86, "n*R*T/V**c", "V", "n*c*R*T/V**(c+1)"),
  (106, "3*x**2+2*x+4*sqrt(x)", "x", "6*x+2+2/sqrt(x)"),
  (108, "3*x**2+2*x+4*sqrt(x)", "x", "6-1/sqrt(x**3)", 2),
  (110, "x/(x+5)", "x", "diff(1-5/(x+5),x)"), (110, "x/(x+5)", "x", "5/(x+5)**2"),
  (112, "x/(x+5)", "x", "-10/(x+5)**3", 2),
  (114, "-5/(x+5)", "x", "5/(x+5)**2"), (116, "-5/(x+5)", "x", "-10/(x+5)**3", 2),
  (118, "(x**2+5*x)/(x+5)", "x", "diff(x,x)"), (118, "(x**2+5*x)/(x+5)", "x", "1"),
  (120, "(x**2+5*x)/(x+5)", "x", "0", 2),
  (158, "1/(x+1)", "x", "(0*(x+1)-1*1)/(x+1)**2"), (158, "1/(x+1)", "x", "-1/(x+1)**2"),
  (160, "1/(x+1)", "x", "-(0*(x+1)**2-1*2*(x+1))/(x+1)**4", 2),
  (160, "1/(x+1)", "x", "2/(x+1)**3", 2),
  (162, "1/(x+1)", "x", "(0*(x+1)**3-2*3*(x+1)**2)/(x+1)**6", 3),
  (162, "1/(x+1)", "x", "-6/(x+1)**4", 3),
 ],
 # daily study notes, mostly plain text with Unicode powers (x², √(4x + 1)) beside $$ blocks;
 # the "- Inner: u = 3x + 1, derivative = 3" bullets are plain-text claims too
 "siiea__Day_09_Tuesday.md": [
  (51, "c", "x", "0"), (54, "c", "x", "0"), (63, "x**n", "x", "n*x**(n-1)"),
  (71, "x**n", "x", "n*x**(n-1)"),
  (76, "x**5", "x", "5*x**4"), (77, "x**-2", "x", "-2*x**-3"), (77, "x**-2", "x", "-2/x**3"),
  (78, "sqrt(x)", "x", "Rational(1,2)*x**Rational(-1,2)"), (78, "sqrt(x)", "x", "1/(2*sqrt(x))"),
  (79, "x**Rational(2,3)", "x", "Rational(2,3)*x**Rational(-1,3)"),
  (91, "7*x**4", "x", "7*4*x**3"), (91, "7*x**4", "x", "28*x**3"),
  (105, "x**3+x**2-4*x+7", "x", "3*x**2+2*x-4"),
  (128, "x**2+1", "x", "2*x"), (129, "x**3-2*x", "x", "3*x**2-2"),
  (131, "(x**2+1)*(x**3-2*x)", "x", "(2*x)*(x**3-2*x)+(x**2+1)*(3*x**2-2)"),
  (132, "(x**2+1)*(x**3-2*x)", "x", "2*x**4-4*x**2+3*x**4-2*x**2+3*x**2-2"),
  (133, "(x**2+1)*(x**3-2*x)", "x", "5*x**4-3*x**2-2"),
  (153, "x**2+1", "x", "2*x"), (154, "x-3", "x", "1"),
  (156, "(x**2+1)/(x-3)", "x", "((x-3)*(2*x)-(x**2+1)*1)/(x-3)**2"),
  (157, "(x**2+1)/(x-3)", "x", "(2*x**2-6*x-x**2-1)/(x-3)**2"),
  (157, "(x**2+1)/(x-3)", "x", "(x**2-6*x-1)/(x-3)**2"),
  (163, "exp(x)", "x", "exp(x)"), (167, "a**x", "x", "a**x*log(a)"),
  (189, "4*x**5-3*x**3+2*x-7", "x", "20*x**4-9*x**2+2"),
  (193, "x**Rational(3,2)+x**Rational(-1,2)", "x", "Rational(3,2)*x**Rational(1,2)-Rational(1,2)*x**Rational(-3,2)"),
  (193, "x**Rational(3,2)+x**Rational(-1,2)", "x", "3*sqrt(x)/2-1/(2*x**Rational(3,2))"),
  (197, "x**2*exp(x)", "x", "(2*x)*exp(x)+x**2*exp(x)"), (197, "x**2*exp(x)", "x", "exp(x)*(2*x+x**2)"),
  (197, "x**2*exp(x)", "x", "exp(x)*(x**2+2*x)"),
  (201, "exp(x)/(x**2+1)", "x", "((x**2+1)*exp(x)-exp(x)*(2*x))/(x**2+1)**2"),
  (201, "exp(x)/(x**2+1)", "x", "exp(x)*(x**2+1-2*x)/(x**2+1)**2"),
  (201, "exp(x)/(x**2+1)", "x", "exp(x)*(x-1)**2/(x**2+1)**2"),
  (205, "x**3/(x**2-4)", "x", "((x**2-4)*(3*x**2)-x**3*(2*x))/(x**2-4)**2"),
  (206, "x**3/(x**2-4)", "x", "(3*x**4-12*x**2-2*x**4)/(x**2-4)**2"),
  (206, "x**3/(x**2-4)", "x", "(x**4-12*x**2)/(x**2-4)**2"),
  (206, "x**3/(x**2-4)", "x", "x**2*(x**2-12)/(x**2-4)**2"),
 ],
 "siiea__Day_10_Wednesday.md": [
  (132, "u**5", "u", "5*u**4"), (133, "3*x+1", "x", "3"),
  (135, "(3*x+1)**5", "x", "5*(3*x+1)**4*3"), (135, "(3*x+1)**5", "x", "15*(3*x+1)**4"),
  (144, "sqrt(u)", "u", "Rational(1,2)*u**Rational(-1,2)"), (145, "x**2+1", "x", "2*x"),
  (147, "sqrt(x**2+1)", "x", "Rational(1,2)*(x**2+1)**Rational(-1,2)*2*x"),
  (147, "sqrt(x**2+1)", "x", "x/sqrt(x**2+1)"),
  (154, "sin(u)", "u", "cos(u)"), (155, "x**2", "x", "2*x"),
  (157, "sin(x**2)", "x", "cos(x**2)*2*x"), (157, "sin(x**2)", "x", "2*x*cos(x**2)"),
  (164, "exp(u)", "u", "exp(u)"), (165, "3*x**2+2*x", "x", "6*x+2"),
  (167, "exp(3*x**2+2*x)", "x", "exp(3*x**2+2*x)*(6*x+2)"),
  (167, "exp(3*x**2+2*x)", "x", "(6*x+2)*exp(3*x**2+2*x)"),
  (174, "log(u)", "u", "1/u"), (175, "x**3+5*x", "x", "3*x**2+5"),
  (177, "log(x**3+5*x)", "x", "1/(x**3+5*x)*(3*x**2+5)"),
  (177, "log(x**3+5*x)", "x", "(3*x**2+5)/(x**3+5*x)"),
  (182, "sin(3*x)**2", "x", "diff(sin(3*x)**2,x)"),
  (185, "u**2", "u", "2*u"), (186, "sin(v)", "v", "cos(v)"), (187, "3*x", "x", "3"),
  (189, "sin(3*x)**2", "x", "2*sin(3*x)*cos(3*x)*3"), (189, "sin(3*x)**2", "x", "6*sin(3*x)*cos(3*x)"),
  (189, "sin(3*x)**2", "x", "3*sin(6*x)"),
  (199, "x**2*sin(3*x)", "x", "(2*x)*sin(3*x)+x**2*(cos(3*x)*3)"),
  (200, "x**2*sin(3*x)", "x", "2*x*sin(3*x)+3*x**2*cos(3*x)"),
  (208, "exp(2*x)/(x+1)", "x", "((x+1)*(2*exp(2*x))-exp(2*x)*1)/(x+1)**2"),
  (209, "exp(2*x)/(x+1)", "x", "exp(2*x)*(2*x+2-1)/(x+1)**2"),
  (209, "exp(2*x)/(x+1)", "x", "exp(2*x)*(2*x+1)/(x+1)**2"),
  (225, "sin(x)**2", "x", "diff(sin(x)**2,x)"),
 ],
 # backprop / activation notes (Markdown)
 "purepisces__sigmoid.md": [
  (44, _SZ, "Z", f"{_SZ}*(1-{_SZ})"),
  (53, "1+exp(-Z)", "Z", "-exp(-Z)"), (56, "u**-1", "u", "-u**-2"),
  (59, _SZ, "Z", "-(1+exp(-Z))**-2*(-exp(-Z))"), (62, _SZ, "Z", "exp(-Z)/(1+exp(-Z))**2"),
  (70, _SZ, "Z", "exp(-Z)/(1+exp(-Z))**2"), (70, _SZ, "Z", f"(1/{_SZ}-1)/(1/{_SZ})**2"),
  (70, _SZ, "Z", f"{_SZ}-{_SZ}**2"),
 ],
 "purepisces__tanh.md": [
  (37, "tanh(Z)", "Z", "1-tanh(Z)**2"),
  (48, "exp(Z)-exp(-Z)", "Z", "exp(Z)+exp(-Z)"), (49, "exp(Z)+exp(-Z)", "Z", "exp(Z)-exp(-Z)"),
  (52, "tanh(Z)", "Z", "((exp(Z)+exp(-Z))*(exp(Z)+exp(-Z))-(exp(Z)-exp(-Z))*(exp(Z)-exp(-Z)))/(exp(Z)+exp(-Z))**2"),
  (55, "tanh(Z)", "Z", "((exp(Z)+exp(-Z))**2-(exp(Z)-exp(-Z))**2)/(exp(Z)+exp(-Z))**2"),
  (57, "tanh(Z)", "Z", "1-tanh(Z)**2"),
 ],
 "purepisces__gelu.md": [
  (31, "Z/2*(1+erf(Z/sqrt(2)))", "Z", "(1+erf(Z/sqrt(2)))/2+Z/sqrt(2*pi)*exp(-Z**2/2)"),
 ],
 "henry54130__sigmoid_.md": [
  (27, _S, "x", "-1*(1+exp(-x))**-2*diff(1+exp(-x),x)"),
  (31, "1+exp(-x)", "x", "-exp(-x)"),
  (37, _S, "x", "-(1+exp(-x))**-2*(-exp(-x))"), (37, _S, "x", "exp(-x)/(1+exp(-x))**2"),
  (51, _S, "x", "1/(1+exp(-x))*exp(-x)/(1+exp(-x))"), (51, _S, "x", f"{_S}*(1-{_S})"),
  (57, _S, "x", f"{_S}*(1-{_S})"),
 ],
 "anson10__Derivatives.md": [   # plain text in code spans
  (51, "x**n", "x", "n*x**(n-1)"), (53, "x**3", "x", "3*x**2"),
  (72, "sin(x**2)", "x", "cos(x**2)*2*x"),
  (77, "exp(x)", "x", "exp(x)"), (81, "sin(x)", "x", "cos(x)"), (85, "log(x)", "x", "1/x"),
 ],
 "anson10__Backprop_in_Depth.md": [
  (39, "x0*w0+x1*w1+x2*w2+b", "w0", "x0"),
 ],
 # Jupyter notebooks (markdown cells)
 "theankurgoswami__activations.ipynb": [
  (30004, "x", "x", "1"), (90004, _S, "x", f"{_S}*(1-{_S})"),
  (150004, "tanh(x)", "x", "1-tanh(x)**2"),
 ],
 "theankurgoswami__losses.ipynb": [
  # L_RMSE = sqrt(L_MSE) (cell 10); M stands for L_MSE
  (110004, "sqrt(M)", "M", "1/(2*sqrt(M))"), (110004, "sqrt(M)", "M", "1/(2*sqrt(M))"),
 ],
}
