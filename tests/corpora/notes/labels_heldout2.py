"""Hand labels for the fresh held-out notes of round 2 (heldout2/), written
by reading the notes only (chainlens was not run on them before these were
fixed): (line, expression, variable, claimed[, order]) in SymPy syntax, one
row per concrete claim (explicit expressions; generic f, g, limits, values at
a point, vector/matrix gradients are not concrete).  label.py decides each
row's correctness with SymPy."""

_LSE = "log(exp(x)+exp(y))"
_SIG = "1/(1+exp(-x))"
_F4 = ("(((w+x+y+z)**2+(w+x-y-z)**2)**2+((w+x+y+z)**2-(w+x-y-z)**2)**2)**2")
_DF4 = ("2*(2*(2*(w+x+y+z)-2*(w+x-y-z))*((w+x+y+z)**2-(w+x-y-z)**2)"
        "+2*(2*(w+x-y-z)+2*(w+x+y+z))*((w+x-y-z)**2+(w+x+y+z)**2))"
        "*(((w+x+y+z)**2-(w+x-y-z)**2)**2+((w+x-y-z)**2+(w+x+y+z)**2)**2)")
_LOG10 = "log(1+(x-1)**10)"
_Q = "x**2+4*x-2"

HELDOUT2 = {
 "d2l__calculus.md": [
  (171, "C", "x", "0"), (171, "x**n", "x", "n*x**(n-1)"), (171, "exp(x)", "x", "exp(x)"),
  (171, "log(x)", "x", "x**(-1)"),
  (185, "3*x**2-4*x", "x", "3*2*x-4"), (185, "3*x**2-4*x", "x", "6*x-4"),
 ],
 "d2l__single_variable_calculus.md": [
  (173, "c", "x", "0"), (174, "a*x", "x", "a"), (175, "x**n", "x", "n*x**(n-1)"),
  (176, "exp(x)", "x", "exp(x)"), (177, "log(x)", "x", "1/x"),
  (237, _LOG10, "x", "(1+(x-1)**10)**(-1)*10*(x-1)**9"),
  (238, _LOG10, "x", "(1+(x-1)**10)**(-1)*(0+10*(x-1)**9)"),
  (239, _LOG10, "x", "(1+(x-1)**10)**(-1)*(0+10*(x-1)**9*1)"),
  (240, _LOG10, "x", "10*(1+(x-1)**10)**(-1)*(x-1)**9"),
  (241, _LOG10, "x", "10*(x-1)**9/(1+(x-1)**10)"),
 ],
 "d2l__multivariable_calculus.md": [
  (54, _LSE, "x", "exp(x)/(exp(x)+exp(y))"), (54, _LSE, "y", "exp(y)/(exp(x)+exp(y))"),
  (195, "3*x**4-4*x**3-12*x**2", "x", "12*x**3-12*x**2-24*x"),
  (195, "3*x**4-4*x**3-12*x**2", "x", "12*x*(x-2)*(x+1)"),
  (247, _F4, "w", _DF4),
 ],
 "d2l__backprop.md": [
  (173, "L+s", "L", "1"), (173, "L+s", "s", "1"),
 ],
 "cs231n__optimization_2.md": [
  (37, "x*y", "x", "y"), (37, "x*y", "y", "x"),
  (55, "x+y", "x", "1"), (55, "x+y", "y", "1"),
  (71, "q*z", "q", "z"), (71, "q*z", "z", "q"), (71, "x+y", "x", "1"), (71, "x+y", "y", "1"),
  (132, "1/x", "x", "-1/x**2"), (136, "c+x", "x", "1"), (140, "exp(x)", "x", "exp(x)"),
  (144, "a*x", "x", "a"),
  (161, _SIG, "x", "exp(-x)/(1+exp(-x))**2"),
  (161, _SIG, "x", "((1+exp(-x)-1)/(1+exp(-x)))*(1/(1+exp(-x)))"),
  (162, _SIG, "x", "(1-1/(1+exp(-x)))*(1/(1+exp(-x)))"),
 ],
 "cs231n__backprop.ipynb": [],
 "gavinkao98__chapter2.tex": [
  (37, "exp(x)", "x", "exp(x)"),
  (226, _Q, "x", "2*x+4"), (226, _Q, "x", "2*x+4"),
  (244, "sqrt(x)", "x", "1/(2*sqrt(x))"), (244, "sqrt(x)", "x", "1/(2*sqrt(x))"),
  (262, "1/x", "x", "-1/x**2"), (262, "1/x", "x", "-1/x**2"),
  (266, "sqrt(x)", "x", "1/(2*sqrt(x))"),
  (273, _Q, "x", "2*x+4"),
 ],
 "gavinkao98__chapter3.tex": [
  (114, "sin(x)", "x", "cos(x)"), (129, "cos(x)", "x", "-sin(x)"),
  (138, "cos(x)", "x", "-sin(x)*1"), (138, "cos(x)", "x", "-sin(x)"),
  (171, "tan(x)", "x", "((cos(x))*(cos(x))-(sin(x))*(-sin(x)))/cos(x)**2"),
  (172, "tan(x)", "x", "(cos(x)**2+sin(x)**2)/cos(x)**2"),
  (173, "tan(x)", "x", "1/cos(x)**2"), (173, "tan(x)", "x", "sec(x)**2"),
  (182, "sec(x)", "x", "(0*cos(x)-1*(-sin(x)))/cos(x)**2"),
  (183, "sec(x)", "x", "sin(x)/cos(x)**2"),
  (184, "sec(x)", "x", "1/cos(x)*sin(x)/cos(x)"),
  (185, "sec(x)", "x", "sec(x)*tan(x)"),
  (188, "cot(x)", "x", "-csc(x)**2"), (188, "csc(x)", "x", "-csc(x)*cot(x)"),
  (198, "sin(t)", "t", "cos(t)"), (198, "sin(t)", "t", "-sin(t)", 2),
  (198, "sin(t)", "t", "-sin(t)", 2),
  (200, "sin(t)", "t", "-sin(t)", 2), (200, "sin(t)", "t", "-sin(t)", 2),
  (205, "sin(t)", "t", "cos(t)"), (205, "sin(t)", "t", "-sin(t)", 2),
  (212, "sin(x)", "x", "sin(x)", 4),
 ],
 "gavinkao98__chapter4.tex": [
  (30, "exp(x)", "x", "exp(x)"), (38, "exp(x)", "x", "exp(x)"), (41, "log(x)", "x", "1/x"),
  (43, "log(x)", "x", "1/x"), (65, "exp(x)", "x", "exp(x)"),
 ],
}
