"""The values the Python model reader computes with while it reads a class.

Reading ``__init__`` and ``forward`` without running them needs a small
abstract interpreter: a constant is a Python constant, a tensor is an IR
node with the width of its feature axis, a layer is a spec waiting to be
applied, an unknown configuration value stays unknown (and is only an
error if a size or a branch depends on it).  These are the values.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from chainlens.engine.core.nodes import Node
from chainlens.engine.frontends.python_layers import LayerSpec

__all__ = ["Unsupported", "DataDependent", "Dim", "Const", "Unknown", "Tensor", "Linear",
           "Concat", "Layer",
           "Seq", "Items", "Mod", "Param", "Ref", "Func", "Lazy", "Shape", "Tup", "Positions",
           "Closure", "Mask", "UNROLLED_STEPS", "feature_cut"]

#: width assumed for a feature axis no literal or default fixes
TYPICAL_WIDTH = 16
#: steps a loop over a length the file does not fix is unrolled to
#: (``for t in range(seq.size(0))``, ``for x_t in x.split(1, dim=1)``): enough
#: for a recurrence to show how its gradient changes per step, small enough
#: to measure in milliseconds; the hover says so
UNROLLED_STEPS = 4


class Unsupported(Exception):
    def __init__(self, node: ast.AST | None, reason: str):
        super().__init__(reason)
        self.node = node
        self.reason = reason


class DataDependent(Unsupported):
    """A branch or a value that depends on a tensor's data (``if x.sum() > 0``):
    never guessed, unlike a constructor flag chainlens cannot see."""


class Dim:
    """A feature width, possibly still unknown; unified as the reader learns."""

    def __init__(self, value: int | None = None):
        self.value = value

    def unify(self, other: Dim) -> Dim:
        if self.value is None:
            self.value = other.value
        elif other.value is None:
            other.value = self.value
        return self


@dataclass
class Const:
    value: object


@dataclass
class Unknown:
    why: str


@dataclass
class Tensor:
    node: Node
    dim: Dim
    scalar: bool = False


@dataclass
class Linear:
    """A sum of layer applications not yet built, so that ``chunk``/``split``
    can cut each weight by rows (an LSTM's gates) before it is declared."""

    terms: list  # [(Layer, Tensor)]


@dataclass
class Concat:
    parts: list  # [Tensor]
    #: torch.stack: a new axis (time steps), which a layer maps part by part
    #: with its one weight; else a concatenation a layer reads as wider input
    stacked: bool = False
    #: the axis torch.cat was given (-1, 1, 0...; "sequence" for a class
    #: token's), None when not known: a reduction, softmax, norm or product
    #: over the whole reads the parts together only along the feature axis
    #: (python_concat)
    axis: int | str | None = None
    #: the line of the torch.cat that made it (named by a skip downstream)
    line: int | None = None


@dataclass(eq=False)
class Layer:
    spec: LayerSpec
    label: str
    span: object
    built: dict = field(default_factory=dict)  # (rows piece, k) -> (W, b)


@dataclass
class Seq:
    items: list
    label: str
    #: Sequential(OrderedDict(...)): its entries' names, PyTorch's (python_names)
    keys: list | None = None


@dataclass
class Items:
    """ModuleList / Python list of layers / dict of layers."""

    items: list
    label: str
    names: dict | None = None
    #: wrapped by nn.ModuleList / nn.ModuleDict: PyTorch registers (and names) its entries
    registered: bool = False


@dataclass(eq=False)
class Mod:
    cls: ast.ClassDef
    attrs: dict
    label: str


@dataclass
class Param:
    name: str
    shape: tuple
    init: str  # "normal" | "zeros" | "ones" | "uniform"
    label: str
    span: object
    symbol: str | None = None
    #: a torch tensor not wrapped in nn.Parameter: state the forward reads
    buffer: bool = False
    #: a constant factor written on the draw (torch.randn(d, d) * 0.02, / math.sqrt(d))
    scale: float = 1.0


@dataclass
class Ref:
    """A dotted name of a library (``torch.nn.functional``)."""

    path: tuple


@dataclass
class Func:
    node: ast.FunctionDef
    bound: object = None  # the instance, for a method


@dataclass
class Lazy:
    """A forward() argument: becomes one input, or several when unpacked
    (``argument`` False: a registered buffer, data the module adds)."""

    name: str
    span: object
    made: object = None
    argument: bool = True


@dataclass
class Shape:
    of: Tensor


@dataclass
class Tup:
    items: list


@dataclass
class Positions:
    """Integer positions (``torch.arange(T)``): an index no gradient reaches.
    Shape methods keep it; used as a tensor (sinusoidal features of it) it
    becomes one input of unit variance."""

    made: object = None


@dataclass
class Mask:
    """A comparison of a tensor's values (``adj > 0``): fine as the mask of a
    ``torch.where``/``masked_fill`` (the kept values are read), never as the
    test of an ``if``."""


@dataclass
class Closure:
    """A ``lambda`` written in ``__init__`` (``self.mlpf = lambda x: ...``)
    with the names it closes over."""

    node: ast.Lambda
    env: dict
    bound: object = None


def feature_cut(lin: Linear, axis) -> bool:
    """Is cutting ``lin`` along ``axis`` a cut of its features?  A
    convolution's output is (N, C, ...): only dim=1 (its channels) is; a
    linear layer's is read as cut along its features (``gates.chunk(4, 1)``)
    as before."""
    if all(layer.spec.kind != "conv" for layer, _ in lin.terms):
        return True
    return isinstance(axis, Const) and axis.value == 1
