"""``torch.autograd.Function`` classes of the file, used as ``Fn.apply(x)``.

Real model files write activations and normalisations as a Function with a
static ``forward(ctx, ...)`` and a hand-written ``backward(ctx, grad)``
(the "memory-efficient Swish" pattern), then call ``SwishFn.apply(x)`` in a
module's ``forward`` (or keep ``self.act = SwishFn.apply``).  The flow
through such a call is read from ``forward``, as the function of its
inputs it computes; ``ctx`` is a scratch object (``ctx.save_for_backward``
and ``ctx.mark_non_differentiable`` change no value, ``ctx.alpha = a``
is kept for the rest of ``forward``).

PyTorch, though, back-propagates through the user's ``backward``, which may
differ from the true derivative of ``forward``.  chainlens measures the
true derivative, and checks the hand-written one against it where it can
(:mod:`~chainlens.engine.frontends.python_backward`: one input, element-wise
math): when it agrees the flow is judged, said in the hover; when it
disagrees, or cannot be checked, the flow is shown but not judged
(``Program.unmodelled``), with the line of the ``backward`` named.

The classes are registered in the reader's tables under names no Python
identifier can take (``constants[name]`` a :class:`Ref` ``("<autograd>",
name)``, ``functions[name + ".forward"]`` the def), so no signature of the
reader changes and no plain name of the file resolves to them by accident.
"""

from __future__ import annotations

import ast

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_backward import backward_agrees
from chainlens.engine.frontends.python_values import Mod, Ref, Unknown, Unsupported

__all__ = ["AUTOGRAD", "autograd_classes", "nested_classes", "register_autograd",
           "apply_autograd"]

#: the first item of the Ref a Function class of the file resolves to
AUTOGRAD = "<autograd>"


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    return next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == name),
                None)


def autograd_classes(others: dict) -> dict:
    """The classes of ``others`` (the file's non-module classes) deriving from
    ``torch.autograd.Function`` (spelled ``autograd.Function`` or a bare
    ``Function``) whose ``forward`` is static and takes ``ctx`` first."""
    found = {}
    for name, cls in others.items():
        if not any((dotted(b) or [""])[-1] == "Function" for b in cls.bases):
            continue
        fwd = _method(cls, "forward")
        if fwd is None or not any(dotted(d) == ["staticmethod"] for d in fwd.decorator_list):
            continue
        params = fwd.args.posonlyargs + fwd.args.args
        if params:
            found[name] = cls
    return found


def nested_classes(classes: dict) -> dict:
    """Classes written inside the module classes, as ``{"Outer.Inner": node}``
    (yolov5's ``class MemoryEfficientMish(nn.Module): class F(Function)``,
    used as ``self.F.apply(x)``; python_init gives the instance its ``F``)."""
    return {f"{name}.{s.name}": s for name, cls in classes.items() for s in cls.body
            if isinstance(s, ast.ClassDef)}


def register_autograd(autograd: dict, functions: dict, constants: dict) -> None:
    """Enter each Function class in the reader's tables (see the module's
    docstring); a name the file already gives a constant is left alone."""
    for name, cls in autograd.items():
        if name in constants or name in functions:
            continue
        constants[name] = Ref((AUTOGRAD, name))
        functions[f"{name}.forward"] = _method(cls, "forward")
        backward = _method(cls, "backward")
        if backward is not None:
            functions[f"{name}.backward"] = backward


def apply_autograd(fw, f: Ref, args: list, kwargs: dict, where):
    """``Fn.apply(*args)`` inside ``forward``: the value of ``Fn.forward`` at
    ``args``, the call recorded as not judged when ``Fn`` has a hand-written
    ``backward``; ``Fn()`` an unknown instance, any other attribute of ``Fn``
    refused by name.  None when ``f`` is not a Function of the file."""
    if not f.path or f.path[0] != AUTOGRAD:
        return None
    name = f.path[1]
    if len(f.path) == 2:  # LN = Fn(): an instance, which modern PyTorch never calls
        return Unknown(f"{name}() is an instance of a torch.autograd.Function (only "
                       f"{name}.apply is read)")
    if len(f.path) != 3 or f.path[2] != "apply":
        raise Unsupported(where, f"{'.'.join(f.path[1:])} of the torch.autograd.Function "
                          f"{name} is not read (only {name}.apply)")
    fwd = fw.init.functions.get(f"{name}.forward")
    if fwd is None:
        return None
    backward = fw.init.functions.get(f"{name}.backward")
    agrees = None if backward is None else backward_agrees(fwd, backward)
    if agrees is True:
        fw.notes.append(f"{name}.backward (line {backward.lineno}) is the derivative of "
                        f"{name}.forward (checked), so PyTorch's gradient is the one measured")
    elif agrees is False:
        fw.unmodelled.append(
            f"the hand-written {name}.backward (line {backward.lineno}) disagrees with the "
            f"derivative of {name}.forward: PyTorch back-propagates through that backward, "
            "chainlens measured forward's derivative")
    elif backward is not None:
        fw.unmodelled.append(
            f"{name}.apply runs the hand-written {name}.backward (line {backward.lineno}) in "
            f"PyTorch; chainlens measured the derivative of {name}.forward and could not check "
            "that backward against it")
    holder = ast.ClassDef(name=name, bases=[], keywords=[], body=[], decorator_list=[],
                          type_params=[])
    ctx = Mod(holder, {}, "ctx")
    return fw.call_function(fwd, None, [ctx, *args], kwargs)
