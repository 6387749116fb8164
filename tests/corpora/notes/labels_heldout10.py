# ruff: noqa: E501  (a table of transcribed claims)
"""Hand labels for the fresh held-out notes of round 10 (heldout10/), written
by reading the built copies only: chainlens (and benchmarks/notes_corpus.py)
was not run on these notes before the labels were committed.  The sources
(sources.json, "split": "heldout10") are fourteen repositories no earlier
split uses: a student's wiki pages (an A-level assessment answered line by
line, partly unfinished and wrong; inverse-trig derivatives with a 1 + for a
1 -), a teacher's Jekyll notes (the rules and the x^n proof, exp/log
derivatives proved from the limit, log_k written with \\log_k; arctan's
derivative written tan^inv'; the trig-derivative cycle; undoing the chain
rule; a product-rule problem page that is generic only), a
problem set's worked solutions (45 exercises: roots, quotient and chain
rule, parameters a, b, c, p, r, m, n, variables t, z, v; one side retracted
with "Wait."), a student's Obsidian calculus pages (implicit
differentiation, differentials), a student's Danish formula page, a LaTeX
cheat sheet (a subfile; main.tex's \\DeclareMathOperator lines as preamble;
two claims per align row, theta as the variable), a one-page LaTeX rule
list with \\( \\), a LaTeX handout with its own \\newcommand lines, a
Markdown guide (a table, four examples with u and v defined), a MyST page
({math} blocks with & columns), and notebooks: a course notebook copy
(slopes as numbers), two notebooks whose derivatives are in code cells, an
exercise notebook (f in a heading line, f' in a quote line) and a
chain-rule notebook (f(g) = g + 3).

Format as in labels_heldout9.py: (line, expression, variable, claimed[,
order]) in SymPy syntax, one row per concrete claim; line = the line of the
claimed side in the built copy (a claimed side broken over two lines: its
first line).  Not concrete (left out on purpose), as in rounds 3-9: generic
f, g, h, u, v (u, v, t defined on the page are substituted, as a named f is);
limits and difference quotients, and sides in an unknown constant L (the
limit lim (a^h - 1)/h before the note identifies it); values at a point;
implicit and logarithmic-differentiation steps in y (and z' = z/2 (...),
finyak4 243); steps mixing t and t' (finyak4 144's first two sides);
restatements and sides that still hold an unevaluated d/dx or ()'; lines
without '=' and lines without the operand ("Inner: ... = ...", "num'",
"den'"); differentials (dV = 4kr^3 dr).  Round 10 adds: decimals that are
rounded approximations (0.693 2^x for d/dx 2^x) are left out; a side the
note retracts at once ("= Wait. ...", finyak4 149) is not a claim;
tan^{inv'}(tan theta) = cos^2 theta (arctan' at a point tan theta) is left
out, tan^{inv'}(x) = 1/(x^2 + 1) is a claim.  label.py decides each row's
correctness with SymPy; the rows it calls wrong are real mistakes in the
notes (comments below)."""

HELDOUT10 = {
 # Minion3665/Wiki: an assessment answered step by step (47-49 stop at a TODO)
 "minion3665__Differentiation_4_Assessment_20221004.md": [
  (10, "log(1+4*x**2)", "x", "8*x/(1+4*x**2)"), (11, "log(1+4*x**2)", "x", "8*x*(1+4*x**2)**(-1)"),
  (12, "log(1+4*x**2)", "x", "8*(1+4*x**2)**(-1)+8*x*4*x*(-1)*(1+4*x**2)**(-2)", 2),   # the chain factor of (1+4x^2)^-1 is 8x, not 4x: wrong
  (13, "log(1+4*x**2)", "x", "8*(1+4*x**2)**(-1)-32*x**2*(1+4*x**2)**(-2)", 2),        # the same slip carried (is -64x^2): wrong
  (21, "(y+5)*log(2*y-7)", "y", "log(2*y-7)+2*y*1/(2*y-7)+10*1/(2*y-7)"),
  (22, "(y+5)*log(2*y-7)", "y", "log(2*y-7)+(2*y+10)/(2*y-7)"),
  (47, "x/log(x)", "x", "1/log(x)+1/x*log(x**(-2))"),     # d/dx (ln x)^-1 is -1/(x (ln x)^2): wrong (read either way, ln(x^-2) or (ln x)^-2)
  (48, "x/log(x)", "x", "1/log(x)+1/x*1/log(x)**2"),      # sign and the factor x lost: wrong
  (49, "x/log(x)", "x", "1/log(x)"),                      # wrong
  (56, "pi*h**2", "h", "2*pi*h"),
  (65, "2*x*cos(3*x)+3*x**2*sin(3*x)-4*sin(3*x)", "x", "2*cos(3*x)-6*x*sin(3*x)+6*x*sin(3*x)+9*x**2*cos(3*x)-12*cos(3*x)"),
  (66, "2*x*cos(3*x)+3*x**2*sin(3*x)-4*sin(3*x)", "x", "9*x**2*cos(3*x)-10*cos(3*x)"),
  (67, "2*x*cos(3*x)+3*x**2*sin(3*x)-4*sin(3*x)", "x", "(9*x**2-10)*cos(3*x)"),
  (71, "2*x*cos(3*x)+3*x**2*sin(3*x)-4*sin(3*x)", "x", "18*x*cos(3*x)-27*x**2*sin(3*x)+30*sin(3*x)", 2),
 ],
 "minion3665__differentiating_inverse_trigonometry_20221124.md": [   # 15-18, 23-26, 62-66: in y; 47: a value
  (9, "asin(x)", "x", "1/sqrt(1-x**2)"), (10, "acos(x)", "x", "-1/sqrt(1-x**2)"), (11, "atan(x)", "x", "1/(1+x**2)"),
  (19, "asin(x)", "x", "1/cos(asin(x))"),
  (33, "x**2*atan(4*x)", "x", "2*x*atan(4*x)+4*x**2/(1+(4*x)**2)"),
  (38, "acos(sqrt(x-3))", "x", "-1/sqrt(1+(sqrt(x-3))**2)*Rational(1,2)*(x-3)**Rational(-1,2)"),   # 1 + (x-3) for 1 - (x-3): wrong (the domain is 3 < x < 4, where label.py finds no sample point; sympy at x = 3.5: -1 against -0.577)
  (46, "x*atan(3*x)", "x", "atan(3*x)+3*x/(1+(3*x)**2)"),
  (52, "atan(3*x+2)", "x", "3/(1+(3*x+2)**2)"), (53, "atan(3*x+2)", "x", "3/(1+(9*x**2+4+12*x))"),
  (54, "atan(3*x+2)", "x", "3/(9*x**2+12*x+5)"),
  (58, "x*asin(x)", "x", "asin(x)+x/sqrt(1-x**2)"),
 ],
 # amalex5/proof-pilgrim: exp/log notes (97-112: rounded decimals; 55-78: limits and L)
 "amalex5__derivatives_logs_exponentials.md": [
  (16, "a**x", "x", "log(a)*a**x"), (20, "log(x)/log(a)", "x", "1/(x*log(a))"),
  (131, "exp(x)", "x", "exp(x)"), (149, "a**x", "x", "log(a)*a**x"),
  (167, "a**x", "x", "exp(x*log(a))*log(a)"), (171, "a**x", "x", "a**x*log(a)"), (172, "a**x", "x", "log(a)*a**x"),
  (179, "7**x", "x", "log(7)*7**x"), (180, "exp(5*x)", "x", "5*exp(5*x)"),
  (181, "5**(x**3)", "x", "log(5)*5**(x**3)*3*x**2"),
  (182, "(3*pi)**(2*x+1)", "x", "log(3*pi)*(3*pi)**(2*x+1)*2"),
  (186, "exp(x)", "x", "log(E)*exp(x)"), (186, "exp(x)", "x", "1*exp(x)"), (186, "exp(x)", "x", "exp(x)"),
  (200, "a**x", "x", "log(a)*a**x"),
  (237, "k**(log(x)/log(k))", "x", "1"),
  (239, "log(x)/log(k)", "x", "1/(k**(log(x)/log(k))*log(k))"), (240, "log(x)/log(k)", "x", "1/(x*log(k))"),
  (248, "log(x)/log(7)", "x", "1/(x*log(7))"),
  (249, "log(x)", "x", "1/(x*log(E))"), (249, "log(x)", "x", "1/x"),
  (250, "log(x**5)/log(9)", "x", "1/(x**5*log(9))*5*x**4"), (250, "log(x**5)/log(9)", "x", "5/(x*log(9))"),
 ],
 "amalex5__derivative_of_inverse_tangent.md": [   # 46-66: tan^inv' at tan(theta)
  (44, "atan(tan(theta))", "theta", "1"),
  (73, "atan(x)", "x", "1/(x**2+1)"), (75, "atan(x)", "x", "1/(x**2+1)"),
 ],
 "amalex5__product_rule_problems.md": [],   # f, g, f_1 ... f_n only
 "amalex5__differentiation.md": [   # 25: a limit; 35-37, 60-61, 84-96, 117, 146-170, 225: generic; 177, 231, 235, 239, 243's first sides hold ()'
  (19, "x**n", "x", "n*x**(n-1)"), (21, "x**n", "x", "n*x**(n-1)"), (29, "x**12", "x", "12*x**11"),
  (46, "5*x**2", "x", "5*2*x"), (47, "5*x**2", "x", "10*x"),   # the chain of line 41, continued in the next align block
  (54, "x**12+x**5", "x", "12*x**11+5*x**4"),
  (104, "7*x**10+3*x**9-2*x**13+5", "x", "7*10*x**9+3*9*x**8-2*13*x**12+0"), (105, "7*x**10+3*x**9-2*x**13+5", "x", "70*x**9+27*x**8-26*x**12"),
  (111, "10*x**15-12*x**4+5*x**3+2*x-7", "x", "10*15*x**14-12*4*x**3+5*3*x**2+2*x**0-0"),
  (112, "10*x**15-12*x**4+5*x**3+2*x-7", "x", "150*x**14-48*x**3+15*x**2+2"),
  (178, "x**2*sin(x)", "x", "2*x*sin(x)+x**2*cos(x)"),
  (208, "x**2/sin(x)", "x", "(2*x*sin(x)-x**2*cos(x))/sin(x)**2"),   # 204: a '!=' line
  (232, "sin(x**4)", "x", "cos(x**4)*4*x**3"), (236, "sin(x)**4", "x", "4*sin(x)**3*cos(x)"),
  (240, "(x**3+x**9)**22", "x", "22*(x**3+x**9)**21*(3*x**2+9*x**8)"), (244, "exp(x**2)", "x", "exp(x**2)*2*x"),
 ],
 "amalex5__derivative_of_x_n.md": [   # 12: '=?'; 61-64, 131-133: answers without '='; 156: a difference quotient
  (10, "x**2", "x", "2*x"), (10, "x**3", "x", "3*x**2"), (10, "x**4", "x", "4*x**3"),
  (67, "x**2", "x", "2*x"), (68, "x**3", "x", "3*x**2"), (69, "x**4", "x", "4*x**3"), (70, "x**5", "x", "5*x**4"),
  (135, "x**n", "x", "n*x**(n-1)"), (145, "x**n", "x", "n*x**(n-1)"), (152, "x**n", "x", "n*x**(n-1)"),
  (154, "1/x**n", "x", "-n/x**(n+1)"), (154, "1/x**n", "x", "-n*x**(-n-1)"),
 ],
 "amalex5__undoing_the_chain_rule.md": [   # integrals elsewhere; 72, 101, 128, 141's first sides hold d/dx
  (29, "x**2", "x", "2*x"), (73, "sin(x**2+5*x)", "x", "cos(x**2+5*x)*(2*x+5)"),
  (102, "(x**5-2*x**3+7)**347", "x", "347*(x**5-2*x**3+7)**346*(5*x**4-6*x**2+0)"),
  (103, "(x**5-2*x**3+7)**347", "x", "347*(x**5-2*x**3+7)**346*(5*x**4-6*x**2)"),
  (129, "(x**8+3*x**4)**7", "x", "7*(x**8+3*x**4)**6*(8*x**7+12*x**3)"), (130, "(x**8+3*x**4)**7", "x", "7*(x**8+3*x**4)**6*(8*x**7+12*x**3)"),
  (142, "(x**8+3*x**4)**7/7", "x", "Rational(1,7)*7*(x**8+3*x**4)**6*(8*x**7+12*x**3)"),
  (143, "(x**8+3*x**4)**7/7", "x", "1/7*7*(x**8+3*x**4)**6*(8*x**7+12*x**3)"),   # \cancel{7} read as 7
  (144, "(x**8+3*x**4)**7/7", "x", "(x**8+3*x**4)**6*(8*x**7+12*x**3)"),
 ],
 "amalex5__trig_derivatives.md": [
  (8, "sin(x)", "x", "cos(x)"), (9, "cos(x)", "x", "-sin(x)"), (16, "sin(x)", "x", "-sin(x)", 2),
 ],
 # finyak4/Math_Problems_Repo: 45 worked exercises
 "finyak4__03_derivatives_solution.md": [
  (8, "x**3/3-Rational(3,2)*x**4+Rational(13,5)*x**5-2*x**6", "x", "Rational(1,3)*(3*x**2)-Rational(3,2)*(4*x**3)+Rational(13,5)*(5*x**4)-2*(6*x**5)"),
  (8, "x**3/3-Rational(3,2)*x**4+Rational(13,5)*x**5-2*x**6", "x", "x**2-6*x**3+13*x**4-12*x**5"),
  (12, "5*x**15-x**2+x/3-2", "x", "5*(15*x**14)-2*x+Rational(1,3)-0"), (12, "5*x**15-x**2+x/3-2", "x", "75*x**14-2*x+Rational(1,3)"),
  (17, "a*x**3+b/x+c", "x", "3*a*x**2-b*x**(-2)+0"), (17, "a*x**3+b/x+c", "x", "3*a*x**2-b/x**2"),
  (22, "4/x**3", "x", "4*(-3*x**(-4))"), (22, "4/x**3", "x", "-12*x**(-4)"), (22, "4/x**3", "x", "-12/x**4"),
  (26, "9*x**7+3*x**(-5)-3*x**(-11)", "x", "9*(7*x**6)+3*(-5*x**(-6))-3*(-11*x**(-12))"),
  (26, "9*x**7+3*x**(-5)-3*x**(-11)", "x", "63*x**6-15*x**(-6)+33*x**(-12)"),
  (26, "9*x**7+3*x**(-5)-3*x**(-11)", "x", "63*x**6-15/x**6+33/x**12"),
  (30, "3*x**Rational(7,3)-4*x**Rational(13,4)+Rational(4,7)*x**Rational(-1,2)+7**Rational(3,2)", "x", "3*(Rational(7,3)*x**Rational(4,3))-4*(Rational(13,4)*x**Rational(9,4))+Rational(4,7)*(-Rational(1,2)*x**Rational(-3,2))+0"),
  (31, "3*x**Rational(7,3)-4*x**Rational(13,4)+Rational(4,7)*x**Rational(-1,2)+7**Rational(3,2)", "x", "7*x**Rational(4,3)-13*x**Rational(9,4)-Rational(2,7)*x**Rational(-3,2)"),
  (36, "(x**2)**Rational(1,3)", "x", "Rational(2,3)*x**(Rational(2,3)-1)"), (36, "(x**2)**Rational(1,3)", "x", "Rational(2,3)*x**Rational(-1,3)"),
  (36, "(x**2)**Rational(1,3)", "x", "2/(3*x**Rational(1,3))"),
  (41, "5*(x**7)**Rational(1,3)", "x", "5*(Rational(7,3)*x**Rational(4,3))"), (41, "5*(x**7)**Rational(1,3)", "x", "Rational(35,3)*x**Rational(4,3)"),
  (41, "5*(x**7)**Rational(1,3)", "x", "Rational(35,3)*x*x**Rational(1,3)"),
  (46, "3*x**Rational(1,3)-x**3+Rational(2,3)*(x**4)**Rational(1,3)", "x", "3*(Rational(1,3)*x**Rational(-2,3))-3*x**2+Rational(2,3)*(Rational(4,3)*x**Rational(1,3))"),
  (47, "3*x**Rational(1,3)-x**3+Rational(2,3)*(x**4)**Rational(1,3)", "x", "x**Rational(-2,3)-3*x**2+Rational(8,9)*x**Rational(1,3)"),
  (47, "3*x**Rational(1,3)-x**3+Rational(2,3)*(x**4)**Rational(1,3)", "x", "1/(x**2)**Rational(1,3)-3*x**2+Rational(8,9)*x**Rational(1,3)"),
  (52, "sqrt(x)-5*(x**2)**Rational(1,3)-2*sqrt(x**3)", "x", "Rational(1,2)*x**Rational(-1,2)-5*(Rational(2,3)*x**Rational(-1,3))-2*(Rational(3,2)*x**Rational(1,2))"),
  (53, "sqrt(x)-5*(x**2)**Rational(1,3)-2*sqrt(x**3)", "x", "1/(2*sqrt(x))-10/(3*x**Rational(1,3))-3*sqrt(x)"),
  (58, "2/sqrt(x)-3/sqrt(x**3)", "x", "2*(-Rational(1,2)*x**Rational(-3,2))-3*(-Rational(3,2)*x**Rational(-5,2))"),
  (58, "2/sqrt(x)-3/sqrt(x**3)", "x", "-x**Rational(-3,2)+Rational(9,2)*x**Rational(-5,2)"),
  (58, "2/sqrt(x)-3/sqrt(x**3)", "x", "-1/(x*sqrt(x))+9/(2*x**2*sqrt(x))"),
  (63, "5/(7*x**Rational(1,3))-2*x**7+3/(2*sqrt(x))", "x", "Rational(5,7)*(-Rational(1,3)*x**Rational(-4,3))-14*x**6+Rational(3,2)*(-Rational(1,2)*x**Rational(-3,2))"),
  (64, "5/(7*x**Rational(1,3))-2*x**7+3/(2*sqrt(x))", "x", "-Rational(5,21)*x**Rational(-4,3)-14*x**6-Rational(3,4)*x**Rational(-3,2)"),
  (69, "t**3*sqrt(t)", "t", "Rational(7,2)*t**Rational(5,2)"), (69, "t**3*sqrt(t)", "t", "3.5*t**2*sqrt(t)"),
  (74, "2/(x**3*sqrt(x))", "x", "2*(-3.5)*x**(-4.5)"), (74, "2/(x**3*sqrt(x))", "x", "-7*x**Rational(-9,2)"),
  (74, "2/(x**3*sqrt(x))", "x", "-7/(x**4*sqrt(x))"),
  (82, "(2*(x**2)**Rational(1,3)-x)*(4*(x**4)**Rational(1,3)+2*(x**5)**Rational(1,3)+x**2)", "x", "16*x-3*x**2"),
  (90, "(4*x**2-2*x*sqrt(x)+x)*(2*x+sqrt(x))", "x", "24*x**2+Rational(3,2)*x**Rational(1,2)"),
  (90, "(4*x**2-2*x*sqrt(x)+x)*(2*x+sqrt(x))", "x", "24*x**2+1.5*sqrt(x)"),
  (95, "3/(3*x-2)", "x", "3*(-1)*(3*x-2)**(-2)*3"), (95, "3/(3*x-2)", "x", "-9*(3*x-2)**(-2)"), (95, "3/(3*x-2)", "x", "-9/(3*x-2)**2"),
  (100, "5/(2*x**2-5*x+1)", "x", "5*(-1)*(2*x**2-5*x+1)**(-2)*(4*x-5)"), (100, "5/(2*x**2-5*x+1)", "x", "-5*(4*x-5)/(2*x**2-5*x+1)**2"),
  (105, "3*x**2/(7*x**5-x+2)", "x", "(6*x*(7*x**5-x+2)-3*x**2*(35*x**4-1))/(7*x**5-x+2)**2"),
  (105, "3*x**2/(7*x**5-x+2)", "x", "(42*x**6-6*x**2+12*x-(105*x**6-3*x**2))/(7*x**5-x+2)**2"),
  (106, "3*x**2/(7*x**5-x+2)", "x", "(-63*x**6-3*x**2+12*x)/(7*x**5-x+2)**2"),
  (111, "8*x**3/(x**3+x-1)", "x", "(24*x**2*(x**3+x-1)-8*x**3*(3*x**2+1))/(x**3+x-1)**2"),
  (111, "8*x**3/(x**3+x-1)", "x", "(24*x**5+24*x**3-24*x**2-24*x**5-8*x**3)/(x**3+x-1)**2"),
  (111, "8*x**3/(x**3+x-1)", "x", "(16*x**3-24*x**2)/(x**3+x-1)**2"),
  (115, "(x+1)/(x-1)", "x", "(1*(x-1)-(x+1)*1)/(x-1)**2"), (115, "(x+1)/(x-1)", "x", "(x-1-x-1)/(x-1)**2"),
  (115, "(x+1)/(x-1)", "x", "-2/(x-1)**2"),
  (120, "(5*x**2+x-2)/(x**2+7)", "x", "((10*x+1)*(x**2+7)-(5*x**2+x-2)*(2*x))/(x**2+7)**2"),
  (121, "(5*x**2+x-2)/(x**2+7)", "x", "(10*x**3+70*x+x**2+7-10*x**3-2*x**2+4*x)/(x**2+7)**2"),
  (121, "(5*x**2+x-2)/(x**2+7)", "x", "(-x**2+74*x+7)/(x**2+7)**2"),
  (126, "(x**2-2*x+3)/(x**2+2*x-3)", "x", "((2*x-2)*(x**2+2*x-3)-(x**2-2*x+3)*(2*x+2))/(x**2+2*x-3)**2"),
  (129, "(x**2-2*x+3)/(x**2+2*x-3)", "x", "(4*x**2-12*x)/(x**2+2*x-3)**2"),
  (135, "3*(1-x**2)**(-1)", "x", "-3*(1-x**2)**(-2)*(-2*x)"), (135, "3*(1-x**2)**(-1)", "x", "6*x*(1-x**2)**(-2)"),
  (136, "(1-2*x**3)**(-1)", "x", "-(1-2*x**3)**(-2)*(-6*x**2)"), (136, "(1-2*x**3)**(-1)", "x", "6*x**2*(1-2*x**3)**(-2)"),
  (137, "3/((1-x**2)*(1-2*x**3))", "x", "6*x/((1-x**2)**2*(1-2*x**3))+18*x**2/((1-x**2)*(1-2*x**3)**2)"),
  (138, "3/((1-x**2)*(1-2*x**3))", "x", "(6*x*(1-2*x**3)+18*x**2*(1-x**2))/((1-x**2)**2*(1-2*x**3)**2)"),
  (138, "3/((1-x**2)*(1-2*x**3))", "x", "(6*x-12*x**4+18*x**2-18*x**4)/((1-x**2)**2*(1-2*x**3)**2)"),
  (138, "3/((1-x**2)*(1-2*x**3))", "x", "6*x*(1+3*x-5*x**3)/((1-x**2)**2*(1-2*x**3)**2)"),
  (143, "x**Rational(1,3)", "x", "Rational(1,3)*x**Rational(-2,3)"),
  (144, "x**Rational(1,3)/(1-x**Rational(1,3))", "x", "1/(3*(x**2)**Rational(1,3)*(1-x**Rational(1,3))**2)"),
  (148, "1+sqrt(t)", "t", "1/(2*sqrt(t))"), (149, "1+sqrt(2*t)", "t", "1/sqrt(2*t)"),
  (150, "(1+sqrt(t))/(1+sqrt(2*t))", "t", "(1/(2*sqrt(t))*(1+sqrt(2*t))-(1+sqrt(t))*1/sqrt(2*t))/(1+sqrt(2*t))**2"),
  (150, "(1+sqrt(t))/(1+sqrt(2*t))", "t", "(sqrt(2)*(1+sqrt(2*t))-2*(1+sqrt(t)))/(2*sqrt(2*t)*(1+sqrt(2*t))**2)"),
  (151, "(1+sqrt(t))/(1+sqrt(2*t))", "t", "(sqrt(2)+sqrt(4*t)-2-2*sqrt(t))/(2*sqrt(2*t)*(1+sqrt(2*t))**2)"),
  (151, "(1+sqrt(t))/(1+sqrt(2*t))", "t", "(sqrt(2)-2)/(2*sqrt(2*t)*(1+sqrt(2*t))**2)"),
  (156, "(3*t+1)**7", "t", "21*(3*t+1)**6"),
  (161, "(4*z**2-5*z+13)**5", "z", "5*(4*z**2-5*z+13)**4*(8*z-5)"),
  (165, "1/t+4", "t", "-t**(-2)"),
  (166, "(1/t+4)**4", "t", "4*(1/t+4)**3*(-1/t**2)"), (166, "(1/t+4)**4", "t", "-4/t**2*(1/t+4)**3"),
  (171, "7*t-Rational(1,2)+6/t", "t", "7-6*t**(-2)"),
  (172, "((7*t**2-t/2+6)/t)**6", "t", "6*(7*t-0.5+6/t)**5*(7-6/t**2)"),
  (177, "sqrt(x**2-4)", "x", "Rational(1,2)*(x**2-4)**Rational(-1,2)*(2*x)"), (177, "sqrt(x**2-4)", "x", "x/sqrt(x**2-4)"),
  (182, "sqrt(a*x**2+b*x+c)", "x", "Rational(1,2)*(a*x**2+b*x+c)**Rational(-1,2)*(2*a*x+b)"),
  (182, "sqrt(a*x**2+b*x+c)", "x", "(2*a*x+b)/(2*sqrt(a*x**2+b*x+c))"),
  (187, "1/sqrt(2-3*t)", "t", "-Rational(1,2)*(2-3*t)**Rational(-3,2)*(-3)"), (187, "1/sqrt(2-3*t)", "t", "3/(2*(2-3*t)**Rational(3,2))"),
  (192, "1/sqrt(6*t-t**2)", "t", "-Rational(1,2)*(6*t-t**2)**Rational(-3,2)*(6-2*t)"),
  (192, "1/sqrt(6*t-t**2)", "t", "-(3-t)/(6*t-t**2)**Rational(3,2)"), (192, "1/sqrt(6*t-t**2)", "t", "(t-3)/sqrt((6*t-t**2)**3)"),
  (197, "1/((2-x**3)**4)**Rational(1,3)", "x", "-Rational(4,3)*(2-x**3)**Rational(-7,3)*(-3*x**2)"),
  (197, "1/((2-x**3)**4)**Rational(1,3)", "x", "4*x**2*(2-x**3)**Rational(-7,3)"),
  (197, "1/((2-x**3)**4)**Rational(1,3)", "x", "4*x**2/((2-x**3)**7)**Rational(1,3)"),
  (202, "a/((a+b*x)**r)**(1/p)", "x", "a*(-r/p)*(a+b*x)**(-r/p-1)*b"), (202, "a/((a+b*x)**r)**(1/p)", "x", "-a*b*r/p*(a+b*x)**(-(r+p)/p)"),
  (207, "1/(b-x**n)**m", "x", "-m*(b-x**n)**(-m-1)*(-n*x**(n-1))"), (207, "1/(b-x**n)**m", "x", "m*n*x**(n-1)*(b-x**n)**(-m-1)"),
  (212, "((x-1)**3)**Rational(1,4)", "x", "Rational(3,4)*(x-1)**Rational(-1,4)"), (212, "((x-1)**3)**Rational(1,4)", "x", "3/(4*(x-1)**Rational(1,4))"),
  (217, "1/(v-sqrt(a**2+b**2))", "v", "-(v-sqrt(a**2+b**2))**(-2)*1"), (217, "1/(v-sqrt(a**2+b**2))", "v", "-1/(v-sqrt(a**2+b**2))**2"),
  (222, "sqrt((a-x)/(a**2-x**2))", "x", "-Rational(1,2)*(a+x)**Rational(-3,2)"), (222, "sqrt((a-x)/(a**2-x**2))", "x", "-1/(2*sqrt((a+x)**3))"),
  (227, "z/sqrt(a**2-z**2)", "z", "(1*sqrt(a**2-z**2)-z*(-z/sqrt(a**2-z**2)))/(a**2-z**2)"),
  (227, "z/sqrt(a**2-z**2)", "z", "((a**2-z**2+z**2)/sqrt(a**2-z**2))/(a**2-z**2)"),
  (227, "z/sqrt(a**2-z**2)", "z", "a**2/(a**2-z**2)**Rational(3,2)"),
  (231, "3*sqrt(x)", "x", "1.5*x**(-0.5)"), (231, "x**2+1", "x", "2*x"),
  (232, "3*sqrt(x)/(x**2+1)", "x", "(1.5*x**(-0.5)*(x**2+1)-3*x**0.5*(2*x))/(x**2+1)**2"),
  (232, "3*sqrt(x)/(x**2+1)", "x", "1.5*x**(-0.5)*(x**2+1-4*x**2)/(x**2+1)**2"),
  (232, "3*sqrt(x)/(x**2+1)", "x", "3*(1-3*x**2)/(2*sqrt(x)*(x**2+1)**2)"),
  (237, "x**2/(x**3+1)**Rational(1,3)", "x", "(2*x*(x**3+1)**Rational(1,3)-x**2*Rational(1,3)*(x**3+1)**Rational(-2,3)*(3*x**2))/(x**3+1)**Rational(2,3)"),
  (237, "x**2/(x**3+1)**Rational(1,3)", "x", "(2*x*(x**3+1)-x**4)/(x**3+1)**Rational(4,3)"),
  (238, "x**2/(x**3+1)**Rational(1,3)", "x", "(2*x**4+2*x-x**4)/(x**3+1)**Rational(4,3)"),
  (238, "x**2/(x**3+1)**Rational(1,3)", "x", "(x**4+2*x)/(x**3+1)**Rational(4,3)"),
  (249, "sqrt((a**2-x**2)/(a**2+x**2))", "x", "Rational(1,2)*sqrt((a**2+x**2)/(a**2-x**2))*(-4*a**2*x)/(a**2+x**2)**2"),
  (249, "sqrt((a**2-x**2)/(a**2+x**2))", "x", "-2*a**2*x/(sqrt(a**2-x**2)*(a**2+x**2)**Rational(3,2))"),
 ],
 # AzimathGstan/poorly-made-notes: implicit differentiation in y; a differential dV = 4kr^3 dr
 "azimathgstan__week7.md": [],
 "azimathgstan__1023.md": [],
 # BalderHolst/uni-notes: the quotient rule (generic) and three inverse-trig rows
 "balderholst__Differentialregning_Regneregler.md": [
  (15, "asin(x)", "x", "1/sqrt(1-x**2)"), (16, "acos(x)", "x", "-1/sqrt(1-x**2)"), (17, "atan(x)", "x", "1/(1+x**2)"),
 ],

 # fyyrraaa/calc-cheat-sheets: a LaTeX cheat sheet (subfile; main.tex's \DeclareMathOperator lines as preamble, 1-11); two claims per align row
 "fyyrraaa__differentiation.tex": [   # 33: generic f; 63-103: f'(a), mean value, Newton
  (37, "sin(theta)", "theta", "cos(theta)"), (37, "cos(theta)", "theta", "-sin(theta)"),
  (38, "tan(theta)", "theta", "sec(theta)**2"), (38, "cot(theta)", "theta", "-csc(theta)**2"),
  (39, "sec(theta)", "theta", "sec(theta)*tan(theta)"), (39, "csc(theta)", "theta", "-csc(theta)*cot(theta)"),
  (40, "asin(theta)", "theta", "1/sqrt(1-theta**2)"), (40, "acos(theta)", "theta", "-1/sqrt(1-theta**2)"),
  (41, "atan(theta)", "theta", "1/(1+theta**2)"), (41, "acot(theta)", "theta", "-1/(1+theta**2)"),
  (42, "asec(theta)", "theta", "1/(theta*sqrt(theta**2-1))"),     # without |theta|: right for theta > 1 (where label.py samples), wrong for theta < -1
  (42, "acsc(theta)", "theta", "-1/(theta*sqrt(theta**2-1))"),    # the same
  (47, "a**x", "x", "a**x*log(a)"), (47, "exp(x)", "x", "exp(x)"),
  (48, "log(x)", "x", "1/x"), (48, "log(Abs(x))", "x", "1/x"),
  (54, "cosh(x)", "x", "sinh(x)"), (55, "sech(x)", "x", "-sech(x)*tanh(x)"),
  (56, "asinh(x)", "x", "1/sqrt(1+x**2)"), (56, "acosh(x)", "x", "1/sqrt(x**2-1)"),
  (57, "atanh(x)", "x", "1/(1-x**2)"), (57, "acoth(x)", "x", "1/(1-x**2)"),
  (58, "asech(x)", "x", "-1/(x*sqrt(1-x**2))"), (58, "acsch(x)", "x", "-1/(Abs(x)*sqrt(1+x**2))"),
 ],
 # Alx-nder/math_4_u: a one-page LaTeX rule list with \( \) (generic f, g, u elsewhere)
 "alx__derivatives.tex": [
  (16, "x**n", "x", "n*x**(n-1)"), (17, "c", "x", "0"),
  (34, "exp(x)", "x", "exp(x)"), (35, "a**x", "x", "a**x*log(a)"),
  (38, "log(x)", "x", "1/x"), (39, "log(x)/log(a)", "x", "1/(x*log(a))"),
 ],
 # eraldoribeiro/functions-and-their-derivatives: a LaTeX handout with its own \newcommand lines (the rest: limits, gradients)
 "eraldoribeiro__derivatives.tex": [(110, "x*sin(x**2)+1", "x", "2*x**2*cos(x**2)+sin(x**2)")],
 # AlexanderSychev2005/Math_ML: a course notebook (markdown cells: slopes as numbers, the limit definition)
 "alexandersychev2005__Differentiation.ipynb": [(500001, "x**2", "x", "2*x")],   # cell 50; "= 2(5) = 10" is a value
 # progressivepull/Calculus: notebooks whose derivatives are computed in code cells
 "progressivepull__Differentiation.ipynb": [],
 "progressivepull__Applications_of_Derivatives.ipynb": [],   # dV/dt = 4 pi r^2 dr/dt: related rates in r(t)
 # Hamida2007/math: a Markdown guide (table rows, four worked examples with u, v defined)
 "hamida2007__derivatives.md": [
  (53, "x**n", "x", "n*x**(n-1)"), (55, "x**3", "x", "3*x**2"),
  (95, "c", "x", "0"), (96, "x**n", "x", "n*x**(n-1)"), (97, "exp(x)", "x", "exp(x)"), (98, "a**x", "x", "a**x*log(a)"),
  (99, "log(x)", "x", "1/x"), (100, "log(x)/log(a)", "x", "1/(x*log(a))"), (101, "sin(x)", "x", "cos(x)"),
  (102, "cos(x)", "x", "-sin(x)"), (103, "tan(x)", "x", "sec(x)**2"), (104, "cot(x)", "x", "-csc(x)**2"),
  (105, "sec(x)", "x", "sec(x)*tan(x)"), (106, "csc(x)", "x", "-csc(x)*cot(x)"),
  (143, "5*x**4-3*x**2+7", "x", "5*4*x**3-3*2*x+0"), (143, "5*x**4-3*x**2+7", "x", "20*x**3-6*x"),
  (153, "2*x+1", "x", "2"), (153, "x**2-3", "x", "2*x"),
  (156, "(2*x+1)*(x**2-3)", "x", "2*(x**2-3)+(2*x+1)*(2*x)"), (157, "(2*x+1)*(x**2-3)", "x", "2*x**2-6+4*x**2+2*x"),
  (158, "(2*x+1)*(x**2-3)", "x", "6*x**2+2*x-6"),
  (166, "3*x**2+2", "x", "6*x"),
  (169, "(3*x**2+2)**5", "x", "5*(3*x**2+2)**4*6*x"), (169, "(3*x**2+2)**5", "x", "30*x*(3*x**2+2)**4"),
  (179, "x**2+1", "x", "2*x"), (179, "x-1", "x", "1"),
  (182, "(x**2+1)/(x-1)", "x", "(2*x*(x-1)-(x**2+1)*1)/(x-1)**2"), (183, "(x**2+1)/(x-1)", "x", "(2*x**2-2*x-x**2-1)/(x-1)**2"),
  (184, "(x**2+1)/(x-1)", "x", "(x**2-2*x-1)/(x-1)**2"),
 ],
 # mjcasper/mth142: a MyST page ({math} blocks with & columns, two claims per row)
 "mjcasper__derivatives.md": [
  (10, "sin(x)", "x", "cos(x)"), (10, "cos(x)", "x", "-sin(x)"), (11, "sec(x)", "x", "sec(x)*tan(x)"), (11, "csc(x)", "x", "-csc(x)*cot(x)"),
  (12, "tan(x)", "x", "sec(x)**2"), (12, "cot(x)", "x", "-csc(x)**2"),
  (19, "asin(x)", "x", "1/sqrt(1-x**2)"), (19, "acos(x)", "x", "-1/sqrt(1-x**2)"), (20, "atan(x)", "x", "1/(1+x**2)"),
  (27, "exp(x)", "x", "exp(x)"), (27, "log(x)", "x", "1/x"), (28, "b**x", "x", "b**x*log(b)"), (28, "log(Abs(x))", "x", "1/x"),
  (29, "log(x)/log(b)", "x", "1/(x*log(b))"), (39, "x**n", "x", "n*x**(n-1)"),
 ],
 # davefriedman01/Calculus: an exercise notebook (function in a heading cell line, f' in a quote line; x^3 sin(1/x) unanswered)
 "davefriedman01__first_derivative_exercises.ipynb": [
  (30002, "x*sin(1/x)", "x", "sin(1/x)-cos(1/x)/x"), (80002, "x**2*sin(1/x)", "x", "2*x*sin(1/x)-cos(1/x)"),
  (180002, "x**4*sin(1/x)", "x", "4*x**3*sin(1/x)-x**2*cos(1/x)"),
 ],
 # mukeshyellabilli/Deep_learning_tutorials: a chain-rule notebook (f(g) = g + 3, g(x) = x^2)
 "mukeshyellabilli__Chain_Rule.ipynb": [
  (10030, "g+3", "g", "1"), (10035, "x**2", "x", "2*x"),
  (10040, "x**2+3", "x", "1*2*x"), (10040, "x**2+3", "x", "2*x"), (10043, "x**2+3", "x", "2*x"),
 ],
}
