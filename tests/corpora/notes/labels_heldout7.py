# ruff: noqa: E501  (a table of transcribed claims)
"""Hand labels for the fresh held-out notes of round 7 (heldout7/), written
by reading the built copies only: chainlens (and benchmarks/notes_corpus.py)
was not run on these notes before the labels were committed.  The sources
(sources.json, "split": "heldout7") are ten repositories no earlier split
uses: an open calculus textbook in LaTeX (CLP-1: the chain-rule examples of
its differentiation chapter, cut after "Chain Rule Examples", and
three problem-book sections with hints, answers and solutions; \\diff{}{x} from
clp_macros.sty), a study-notes page on the chain rule, a Markdown list of
standard derivatives, six short university-entrance notes pages (align*
blocks, tan' written for the inverse tangent), a student's calculus notes
(an array table y | y' with a sign column, logarithmic differentiation;
one chapter on limits only), an Obsidian chapter summary (callouts,
worked examples), three backpropagation derivations written in plain text
with Unicode subscripts inside code fences (and one notebook on softmax
with cross-entropy), a course notebook on backpropagation (bold vector
notation), three "maths for ML" README pages, and a lesson plan's worked
solutions (MyST admonitions).

Format as in labels_heldout6.py: (line, expression, variable, claimed[,
order]) in SymPy syntax, one row per concrete claim; line = the line of the
claimed side in the built copy (LaTeX: the preamble lines first; notebooks:
cell * 10000 + line in the cell; a claimed side that runs over several lines:
the line of its '=').  Not concrete (left out on purpose), as in rounds 3-6:
generic f, g, h, u, v (rules and rule forms, the table of chain-rule forms
sin[f(x)] | f'(x) cos[f(x)]); limits; values at a point (f'(4), f'(0),
numerical gradients); implicit differentiation steps with y or y' on both
sides (and 1/sec^2 y); chain steps that mix the dependent and independent
variables (dL/dz3 = 2(yhat - y) x 1 when yhat = z3; 1 - h2^2 for
d tanh(z2)/dz2); sums over i or n (the MSE gradients) and vector / matrix
gradients (bold a^(3), W^(3)); parametric dy/dx; algebra that continues a
derivative without derivative notation (a quotient-rule numerator set
equal to its simplification, CLP problem book 2.6); "f'(x) = d/dx(E)"
restating E; lines without '=' (an answer set alone, "differentiating x^5,
to get 5x^4"); a claimed side that the 250-line cut ends inside.  Judged by
meaning where the notes' notation slips: tan'(x) for the inverse tangent
(chenmatsu inverse_trigonometric 5), "ln\\ x" (hu7433438 5), the overbraced
values of a product-rule expansion (arechnitzer clp 200).  A step that
rewrites E first is a claim; its claimed side is written with SymPy's diff.
label.py decides each row's correctness with SymPy; the rows it calls wrong
are real mistakes in the notes (comments below).  Mistakes in steps left out
here are listed in verified_mistakes.json under "heldout7"."""

_A = "(x**5*sqrt(3+x**6)/(4+x**2)**3)"        # CLP's "really complicated argument"
_P = "(x**5*(3+x**6)**Rational(1,2)*(4+x**2)**(-3))"
_Q = "((x**2+1)/(x**2-1))"                    # under the root in CLP problem 2.9
_T = "((2*sin(x)+3*tan(x))/(cos(x)+tan(x)))"   # CLP problem 2.8
_R5 = "(3*x**Rational(1,5)+15*x**Rational(1,3)+8)"

HELDOUT7 = {
 # arechnitzer/CLP1: the textbook's chain-rule examples (lines 1-33 are clp_macros.sty's one-line definitions)
 "arechnitzer__clp_differentiation_notes.tex": [
  (47, "u**75", "u", "75*u**74"), (49, "1+3*x", "x", "3"),
  (56, "(1+3*x)**75", "x", "75*(1+3*x)**74*3"), (57, "(1+3*x)**75", "x", "225*(1+3*x)**74"),
  (69, "sin(u)", "u", "cos(u)"), (71, "x**2", "x", "2*x"),
  (78, "sin(x**2)", "x", "cos(x**2)*2*x"), (79, "sin(x**2)", "x", "2*x*cos(x**2)"),
  (92, "u**Rational(1,3)", "u", "Rational(1,3)*u**Rational(-2,3)"), (94, "sin(x**2)", "x", "2*x*cos(x**2)"),
  # 101-102 keep g(x) and g'(x) (typed y'(x)): generic
  (103, "sin(x**2)**Rational(1,3)", "x", "(2*x/3)*cos(x**2)/sin(x**2)**Rational(2,3)"),
  (173, f"cos({_A})", "x", f"-sin({_A})*diff({_A},x)"),
  (189, _P, "x", "diff(x**5,x)*(3+x**6)**Rational(1,2)*(4+x**2)**(-3) + x**5*diff((3+x**6)**Rational(1,2),x)*(4+x**2)**(-3) + x**5*(3+x**6)**Rational(1,2)*diff((4+x**2)**(-3),x)"),
  (200, _P, "x", "5*x**4*(3+x**6)**Rational(1,2)*(4+x**2)**(-3) + x**5*Rational(1,2)*(3+x**6)**Rational(-1,2)*6*x**5*(4+x**2)**(-3) + x**5*(3+x**6)**Rational(1,2)*(-3)*(4+x**2)**(-4)*2*x"),
  (223, f"cos({_A})", "x", f"-sin({_A})*{_A}*(5/x+3*x**5/(3+x**6)-6*x/(4+x**2))"),
 ],
 # arechnitzer/CLP1: problem book 2.6 (arithmetic of derivatives), question / hint / answer / solution
 "arechnitzer__prob_s2.6.tex": [
  # 47-49: the calculation a "Spot and correct the error(s)" question shows (a plus in the quotient rule): wrong as typed
  (47, "2*x/(x+1)", "x", "(2*(x+1)+2*x)/(x+1)**2"), (48, "2*x/(x+1)", "x", "2*(x+1)/(x+1)**2"), (49, "2*x/(x+1)", "x", "2/(x+1)"),
  (59, "2*x/(x+1)", "x", "(2*(x+1)-2*x)/(x+1)**2"), (60, "2*x/(x+1)", "x", "2/(x+1)**2"),
  (68, "2*x/(x+1)", "x", "(2*(x+1)-2*x)/(x+1)**2"), (69, "2*x/(x+1)", "x", "2/(x+1)**2"),
  (74, "2**x", "x", "x*2**(x-1)"),   # "True or false:" the statement is false (answer: False)
  (81, "x**n", "x", "n*x**(n-1)"),
  (103, "Rational(2,3)*x**6+5*x**4+12*x**2+9", "x", "4*x**5+20*x**3+24*x"),
  (104, "Rational(2,3)*x**6+5*x**4+12*x**2+9", "x", "4*x*(x**4+5*x**2+6)"), (104, "Rational(2,3)*x**6+5*x**4+12*x**2+9", "x", "4*x*((x**2)**2+5*(x**2)+6)"),
  (104, "Rational(2,3)*x**6+5*x**4+12*x**2+9", "x", "4*x*(x**2+2)*(x**2+3)"),
  (119, "3*t**4+5*t**3-1/t", "t", "4*3*t**3+3*5*t**2-(-1)*t**(-2)"), (120, "3*t**4+5*t**3-1/t", "t", "12*t**3+15*t**2+1/t**2"),
  (133, "(2*y+1/y)*y**3", "y", "8*y**3+2*y"), (139, "(2*y+1/y)*y**3", "y", "8*y**3+2*y"),
  (148, "(sqrt(x)+1)/(x**2+3)", "x", "((x**2+3)*(1/(2*sqrt(x)))-(sqrt(x)+1)*(2*x))/(x**2+3)**2"),
  (151, "sqrt(x)", "x", "1/(2*sqrt(x))"), (151, "sqrt(x)", "x", "Rational(1,2)*x**Rational(-1,2)"), (151, "sqrt(x)", "x", "1/(2*sqrt(x))"),
  (156, "(sqrt(x)+1)/(x**2+3)", "x", "((x**2+3)*(1/(2*sqrt(x)))-(sqrt(x)+1)*(2*x))/(x**2+3)**2"),
  (181, "3*x**3+4*x**2+x+1", "x", "9*x**2+8*x+1"), (181, "2*x+5", "x", "2"),
  (196, "(3*x**3+1)/(x**2+5*x)", "x", "((x**2+5*x)*(9*x**2)-(3*x**3+1)*(2*x+5))/(x**2+5*x)**2"),
  (197, "(3*x**3+1)/(x**2+5*x)", "x", "(3*x**4+30*x**3-2*x-5)/(x**2+5*x)**2"),
  # 170, 209, 222, 237, 253-264: quotient-rule numerators without derivative notation; 283 is cut mid-expression
  (281, f"{_R5}*(3*x**2+8*x-5)", "x", f"diff({_R5},x)*(3*x**2+8*x-5)+{_R5}*diff(3*x**2+8*x-5,x)"),
 ],
 # arechnitzer/CLP1: problem book 2.9 (the chain rule)
 "arechnitzer__prob_s2.9.tex": [
  (123, "cos(5*x+3)", "x", "-sin(5*x+3)*diff(5*x+3,x)"), (124, "cos(5*x+3)", "x", "-sin(5*x+3)*5"),
  (142, "(x**2+2)**5", "x", "5*(x**2+2)**4*diff(x**2+2,x)"), (143, "(x**2+2)**5", "x", "5*(x**2+2)**4*2*x"),
  (144, "(x**2+2)**5", "x", "10*x*(x**2+2)**4"),
  (162, "(4*k**4+2*k**2+1)**17", "k", "17*(4*k**4+2*k**2+1)**16*diff(4*k**4+2*k**2+1,k)"),
  (163, "(4*k**4+2*k**2+1)**17", "k", "17*(4*k**4+2*k**2+1)**16*(16*k**3+4*k)"),
  (175, "sqrt(x)", "x", "diff(x**Rational(1,2),x)"), (175, "sqrt(x)", "x", "Rational(1,2)*x**Rational(-1,2)"),
  (175, "sqrt(x)", "x", "1/(2*sqrt(x))"),
  (183, f"sqrt({_Q})", "x", f"1/(2*sqrt({_Q}))*diff({_Q},x)"),
  # 184-189 (the same derivative rewritten, down to -2x/((x^2 - 1) sqrt(x^4 - 1))) are left out: the
  # function is real only for |x| > 1 and label.py samples (0.1, 0.9), where sqrt((x^2-1)/(x^2+1)) and
  # 1/sqrt((x^2+1)/(x^2-1)) take opposite imaginary values, so SymPy cannot decide them; each agrees with
  # diff(sqrt((x**2+1)/(x**2-1)), x) at x = 1.3, 2, 3.7, -2.5 (a "wrong" there is false)
  (207, "exp(cos(x**2))", "x", "exp(cos(x**2))*diff(cos(x**2),x)"),
  (209, "exp(cos(x**2))", "x", "exp(cos(x**2))*(-sin(x**2))*diff(x**2,x)"),
  (210, "exp(cos(x**2))", "x", "-exp(cos(x**2))*sin(x**2)*2*x"),
  # 228-234: g, h generic and values at x = 2
  (250, "exp(x*cos(x))", "x", "exp(x*cos(x))*diff(x*cos(x),x)"), (252, "exp(x*cos(x))", "x", "(cos(x)-x*sin(x))*exp(x*cos(x))"),
  (268, "exp(x**2+cos(x))", "x", "exp(x**2+cos(x))*diff(x**2+cos(x),x)"), (270, "exp(x**2+cos(x))", "x", "(2*x-sin(x))*exp(x**2+cos(x))"),
 ],
 # arechnitzer/CLP1: problem book 2.8 (derivatives of trigonometric functions)
 "arechnitzer__prob_s2.8.tex": [
  (89, "sin(x)", "x", "cos(x)"), (130, "sin(x)", "x", "cos(x)"),
  (145, "sin(x)+cos(x)+tan(x)", "x", "cos(x)-sin(x)+sec(x)**2"), (149, "sin(x)+cos(x)+tan(x)", "x", "cos(x)-sin(x)+sec(x)**2"),
  (163, "sin(x)+cos(x)", "x", "cos(x)-sin(x)"),
  (187, "sin(x)**2+cos(x)**2", "x", "diff(1,x)"), (187, "sin(x)**2+cos(x)**2", "x", "0"),   # simplified to 1 first
  (190, "sin(x)**2+cos(x)**2", "x", "2*sin(x)*cos(x)+2*cos(x)*(-sin(x))"), (190, "sin(x)**2+cos(x)**2", "x", "2*sin(x)*cos(x)-2*sin(x)*cos(x)"),
  (190, "sin(x)**2+cos(x)**2", "x", "0"),
  (203, "2*sin(x)*cos(x)", "x", "2*(cos(x)**2-sin(x)**2)"),
  (206, "2*sin(x)*cos(x)", "x", "2*cos(x)*cos(x)+2*sin(x)*(-sin(x))"), (206, "2*sin(x)*cos(x)", "x", "2*(cos(x)**2-sin(x)**2)"),
  (214, "exp(x)*cot(x)", "x", "exp(x)*(cot(x)-csc(x)**2)"),
  (220, "exp(x)*cot(x)", "x", "exp(x)*cot(x)+exp(x)*(-csc(x)**2)"), (220, "exp(x)*cot(x)", "x", "exp(x)*(cot(x)-csc(x)**2)"),
  (223, "exp(x)*cot(x)", "x", "exp(x)*(cot(x)-csc(x)**2)"),
  (235, _T, "x", "(2+3*sec(x)+2*sin(x)-2*tan(x)*sec(x)+3*sin(x)*tan(x))/(cos(x)+tan(x))**2"),
  (240, _T, "x", "((cos(x)+tan(x))*(2*cos(x)+3*sec(x)**2)-(2*sin(x)+3*tan(x))*(-sin(x)+sec(x)**2))/(cos(x)+tan(x))**2"),
  (241, _T, "x", "(2*cos(x)**2+3*cos(x)*sec(x)**2+2*cos(x)*tan(x)+3*tan(x)*sec(x)**2)/(cos(x)+tan(x))**2 + (2*sin(x)**2-2*sin(x)*sec(x)**2+3*sin(x)*tan(x)-3*tan(x)*sec(x)**2)/(cos(x)+tan(x))**2"),
  (244, _T, "x", "(2+3*sec(x)+2*sin(x)-2*tan(x)*sec(x)+3*sin(x)*tan(x))/(cos(x)+tan(x))**2"),
  (252, "(5*sec(x)+1)/exp(x)", "x", "(5*sec(x)*tan(x)-5*sec(x)-1)/exp(x)"),
  (257, "(5*sec(x)+1)/exp(x)", "x", "(exp(x)*(5*sec(x)*tan(x))-(5*sec(x)+1)*exp(x))/(exp(x))**2"),
  (258, "(5*sec(x)+1)/exp(x)", "x", "(5*sec(x)*tan(x)-5*sec(x)-1)/exp(x)"),
  (266, "(exp(x)+cot(x))*(5*x**6-csc(x))", "x", "(exp(x)+cot(x))*(30*x**5+csc(x)*cot(x))+(exp(x)-csc(x)**2)*(5*x**6-csc(x))"),
  (271, "(exp(x)+cot(x))*(5*x**6-csc(x))", "x", "(exp(x)+cot(x))*(30*x**5+csc(x)*cot(x))+(exp(x)-csc(x)**2)*(5*x**6-csc(x))"),
  # 282: the answer -sin(theta) is set alone
 ],
 # LuisAlbertoVasquezVargas/poscomp-study-notes: a study-notes page on the chain rule
 "luisalbertovasquezvargas__differentiation.md": [
  (36, "sin(x**2)", "x", "cos(x**2)*2*x"), (42, "sin(u)", "u", "cos(u)"), (46, "x**2", "x", "2*x"),
 ],
 # alanyeung95/tech-journal: a course's notes page (an image only) and its backpropagation notebook (bold vectors, sums over k)
 "alanyeung95__week1.md": [],
 "alanyeung95__Backpropagation.ipynb": [],
 # hu7433438/Notes: a Markdown list of standard derivatives
 "hu7433438__Derivatives.md": [
  (3, "x**r", "x", "r*x**(r-1)"), (4, "exp(x)", "x", "exp(x)"), (5, "log(x)", "x", "1/x"),
  (6, "sin(x)", "x", "cos(x)"), (7, "cos(x)", "x", "-sin(x)"),
  (23, "asin(x)", "x", "1/sqrt(1-x**2)"), (24, "acos(x)", "x", "-1/sqrt(1-x**2)"), (25, "atan(x)", "x", "1/(1+x**2)"),
 ],
 # ChenMatsu/UniversityEntrance: short notes pages (align* blocks)
 "chenmatsu__derivative_rule.md": [(18, "x**n", "x", "n*x**(n-1)")],
 "chenmatsu__chain_rule.md": [(12, "sin(x**3)", "x", "cos(x**3)*3*x**2")],
 "chenmatsu__trigonometric.md": [
  (5, "sin(x)", "x", "cos(x)"),
  (11, "tan(x)", "x", "(cos(x)**2+sin(x)**2)/cos(x)**2"), (11, "tan(x)", "x", "1/cos(x)**2"), (11, "tan(x)", "x", "sec(x)**2"),
 ],
 "chenmatsu__natural_log.md": [(10, "x", "x", "1"), (11, "log(x)", "x", "1/x")],   # y = ln(x) named at line 4
 "chenmatsu__inverse_trigonometric.md": [(5, "atan(x)", "x", "1/(1+x**2)")],   # tan'(x) typed for the inverse tangent
 "chenmatsu__implicit_differentiation.md": [],   # dy/dx = -x/y: implicit
 # incogshift/notes: a student's calculus notes
 "incogshift__u1_the_derivative.md": [],   # the first 250 lines are on limits and continuity
 "incogshift__u3_transcendental.md": [   # an array y | y' whose middle column carries the sign
  (5, "sin(x)", "x", "cos(x)"), (6, "cos(x)", "x", "-sin(x)"), (7, "tan(x)", "x", "sec(x)*sec(x)"),
  (8, "sec(x)", "x", "tan(x)*sec(x)"), (9, "cot(x)", "x", "-csc(x)*csc(x)"), (10, "csc(x)", "x", "-cot(x)*csc(x)"),
  (11, "exp(x)", "x", "exp(x)"), (12, "log(x)", "x", "1/x"),
  # 20-35 and 54-67 are in generic f (54-60 drop ln a: in verified_mistakes.json); 89-90 mix y in
  (91, "x**x", "x", "x**x*(1+log(x))"),
 ],
 # w4se05/4fkingyears: an Obsidian chapter summary (callouts, worked examples)
 "w4se05__Chapter_3_Differentiation_Rules.md": [
  (6, "x**n", "x", "n*x**(n-1)"), (11, "exp(x)", "x", "exp(x)"),
  (35, "sin(x)", "x", "cos(x)"), (36, "cos(x)", "x", "-sin(x)"), (37, "tan(x)", "x", "sec(x)**2"),
  (38, "csc(x)", "x", "-csc(x)*cot(x)"), (39, "sec(x)", "x", "sec(x)*tan(x)"), (40, "cot(x)", "x", "-csc(x)**2"),
  (71, "log(x)", "x", "1/x"), (73, "log(x)/log(b)", "x", "1/(x*log(b))"),
  (87, "sinh(x)", "x", "cosh(x)"), (88, "cosh(x)", "x", "sinh(x)"),
  (133, "sqrt(x**2+1)", "x", "Rational(1,2)*(x**2+1)**Rational(-1,2)*diff(x**2+1,x)"),
  (136, "sqrt(x**2+1)", "x", "1/(2*sqrt(x**2+1))*(2*x)"), (139, "sqrt(x**2+1)", "x", "x/sqrt(x**2+1)"),
  (184, "sqrt(x)", "x", "1/(2*sqrt(x))"),
 ],
 # Murali806/dl_nb: backpropagation derivations in plain text with Unicode subscripts (x_i, W3, ...)
 "murali806__3_3_single_perceptron_gradient_derivation_explained.md": [
  (90, "x**2", "x", "2*x"), (101, "W*x_i+B-y_i", "W", "x_i"), (203, "W*x_i+B-y_i", "B", "1"),
 ],
 "murali806__4_1_b_two_layer_polynomial_gradient_derivation_explained.md": [
  (91, "(yh-y)**2", "yh", "2*(yh-y)"), (120, "(yh-y)**2", "yh", "2*(yh-y)"), (125, "z3", "z3", "1"),
  (135, "W3*h2+b3", "W3", "h2"), (145, "W3*h2+b3", "b3", "1"), (176, "W3*h2+b3", "h2", "W3"),
  (186, "tanh(z2)", "z2", "1-tanh(z2)**2"),
  (196, "W2*h1+b2", "W2", "h1"), (206, "W2*h1+b2", "b2", "1"), (239, "W2*h1+b2", "h1", "W2"),
  (249, "tanh(z1)", "z1", "1-tanh(z1)**2"),
 ],
 "murali806__4_2_b_two_layer_drug_dosage_gradient_derivation_explained.md": [
  (115, "(eh-e)**2", "eh", "2*(eh-e)"), (144, "(eh-e)**2", "eh", "2*(eh-e)"), (149, "z3", "z3", "1"),
  (159, "W3*h2+b3", "W3", "h2"), (169, "W3*h2+b3", "b3", "1"), (200, "W3*h2+b3", "h2", "W3"),
  (210, "tanh(z2)", "z2", "1-tanh(z2)**2"),
  (220, "W2*h1+b2", "W2", "h1"), (230, "W2*h1+b2", "b2", "1"),
 ],
 "murali806__4_1_h_part_D2_combined_derivative_magic.ipynb": [],   # softmax + cross-entropy over a vector
 # Tejustarr/math-foundations-ml: "maths for ML" README pages
 "tejustarr__README_04_Derivatives.md": [],
 "tejustarr__README_05_RulesOfDifferentiation.md": [
  (18, "c", "x", "0"), (27, "x", "x", "1"), (36, "x**n", "x", "n*x**(n-1)"),
  (69, "(x**2-3*x+5)**3", "x", "(6*x-9)*(x**2-3*x+5)**2"),
  (84, "(x**2+1)*cos(x)", "x", "2*x*cos(x)-(x**2+1)*sin(x)"),
 ],
 "tejustarr__README_06_PartialDerivativesAndPDEs.md": [
  (33, "x**3+2*x**2*y+y**2+2*x+1", "x", "3*x**2+4*x*y+2"), (39, "x**3+2*x**2*y+y**2+2*x+1", "y", "2*x**2+2*y"),
 ],
 # balumhenderson/NSCI0005_LessonPlans: a lesson plan's worked solutions (MyST admonitions)
 "balumhenderson__Week3.md": [
  # 12: the product-rule answer is set alone (no '='); 21, 27 and 31's y ln(4) mix y in; 45 is parametric
  (25, "x*log(4)", "x", "log(4)"), (31, "4**x", "x", "4**x*log(4)"),
  (41, "exp(t)", "t", "exp(t)"), (43, "t**2+sin(t)", "t", "2*t+cos(t)"),
 ],
}
