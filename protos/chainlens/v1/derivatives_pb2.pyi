from chainlens.v1 import tensor_pb2 as _tensor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DifferentiateRequest(_message.Message):
    __slots__ = ("source", "wrt", "order", "steps")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    WRT_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    source: str
    wrt: _containers.RepeatedScalarFieldContainer[str]
    order: int
    steps: bool
    def __init__(self, source: _Optional[str] = ..., wrt: _Optional[_Iterable[str]] = ..., order: _Optional[int] = ..., steps: _Optional[bool] = ...) -> None: ...

class Rendering(_message.Message):
    __slots__ = ("text", "unicode", "latex", "python")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    UNICODE_FIELD_NUMBER: _ClassVar[int]
    LATEX_FIELD_NUMBER: _ClassVar[int]
    PYTHON_FIELD_NUMBER: _ClassVar[int]
    text: str
    unicode: str
    latex: str
    python: str
    def __init__(self, text: _Optional[str] = ..., unicode: _Optional[str] = ..., latex: _Optional[str] = ..., python: _Optional[str] = ...) -> None: ...

class Step(_message.Message):
    __slots__ = ("rule", "text", "latex", "depth", "unicode")
    RULE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LATEX_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    UNICODE_FIELD_NUMBER: _ClassVar[int]
    rule: str
    text: str
    latex: str
    depth: int
    unicode: str
    def __init__(self, rule: _Optional[str] = ..., text: _Optional[str] = ..., latex: _Optional[str] = ..., depth: _Optional[int] = ..., unicode: _Optional[str] = ...) -> None: ...

class Derivative(_message.Message):
    __slots__ = ("of", "wrt", "order", "result", "steps", "conditions", "expression")
    OF_FIELD_NUMBER: _ClassVar[int]
    WRT_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    of: str
    wrt: str
    order: int
    result: Rendering
    steps: _containers.RepeatedCompositeFieldContainer[Step]
    conditions: _containers.RepeatedCompositeFieldContainer[Condition]
    expression: Rendering
    def __init__(self, of: _Optional[str] = ..., wrt: _Optional[str] = ..., order: _Optional[int] = ..., result: _Optional[_Union[Rendering, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[Step, _Mapping]]] = ..., conditions: _Optional[_Iterable[_Union[Condition, _Mapping]]] = ..., expression: _Optional[_Union[Rendering, _Mapping]] = ...) -> None: ...

class Condition(_message.Message):
    __slots__ = ("kind", "text")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    text: str
    def __init__(self, kind: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class DifferentiateResponse(_message.Message):
    __slots__ = ("derivatives",)
    DERIVATIVES_FIELD_NUMBER: _ClassVar[int]
    derivatives: _containers.RepeatedCompositeFieldContainer[Derivative]
    def __init__(self, derivatives: _Optional[_Iterable[_Union[Derivative, _Mapping]]] = ...) -> None: ...

class GradientRequest(_message.Message):
    __slots__ = ("program", "inputs", "wrt", "outputs", "batched", "request_id")
    class InputsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _tensor_pb2.Tensor
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ...) -> None: ...
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    WRT_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    BATCHED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    program: str
    inputs: _containers.MessageMap[str, _tensor_pb2.Tensor]
    wrt: _containers.RepeatedScalarFieldContainer[str]
    outputs: _containers.RepeatedScalarFieldContainer[str]
    batched: bool
    request_id: str
    def __init__(self, program: _Optional[str] = ..., inputs: _Optional[_Mapping[str, _tensor_pb2.Tensor]] = ..., wrt: _Optional[_Iterable[str]] = ..., outputs: _Optional[_Iterable[str]] = ..., batched: _Optional[bool] = ..., request_id: _Optional[str] = ...) -> None: ...

class BatchInfo(_message.Message):
    __slots__ = ("requests", "points")
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    requests: int
    points: int
    def __init__(self, requests: _Optional[int] = ..., points: _Optional[int] = ...) -> None: ...

class GradientResponse(_message.Message):
    __slots__ = ("values", "gradients", "nonfinite", "points", "batch", "request_id", "problem")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _tensor_pb2.Tensor
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ...) -> None: ...
    class GradientsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _tensor_pb2.TensorMap
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_tensor_pb2.TensorMap, _Mapping]] = ...) -> None: ...
    VALUES_FIELD_NUMBER: _ClassVar[int]
    GRADIENTS_FIELD_NUMBER: _ClassVar[int]
    NONFINITE_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    values: _containers.MessageMap[str, _tensor_pb2.Tensor]
    gradients: _containers.MessageMap[str, _tensor_pb2.TensorMap]
    nonfinite: _containers.RepeatedScalarFieldContainer[str]
    points: int
    batch: BatchInfo
    request_id: str
    problem: _tensor_pb2.Problem
    def __init__(self, values: _Optional[_Mapping[str, _tensor_pb2.Tensor]] = ..., gradients: _Optional[_Mapping[str, _tensor_pb2.TensorMap]] = ..., nonfinite: _Optional[_Iterable[str]] = ..., points: _Optional[int] = ..., batch: _Optional[_Union[BatchInfo, _Mapping]] = ..., request_id: _Optional[str] = ..., problem: _Optional[_Union[_tensor_pb2.Problem, _Mapping]] = ...) -> None: ...

class AnalyzeRequest(_message.Message):
    __slots__ = ("program", "at", "top_paths")
    class AtEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _tensor_pb2.Tensor
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_tensor_pb2.Tensor, _Mapping]] = ...) -> None: ...
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    TOP_PATHS_FIELD_NUMBER: _ClassVar[int]
    program: str
    at: _containers.MessageMap[str, _tensor_pb2.Tensor]
    top_paths: int
    def __init__(self, program: _Optional[str] = ..., at: _Optional[_Mapping[str, _tensor_pb2.Tensor]] = ..., top_paths: _Optional[int] = ...) -> None: ...

class Edge(_message.Message):
    __slots__ = ("source", "target", "op", "derivative", "value")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    DERIVATIVE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    source: str
    target: str
    op: str
    derivative: str
    value: float
    def __init__(self, source: _Optional[str] = ..., target: _Optional[str] = ..., op: _Optional[str] = ..., derivative: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...

class GradientPath(_message.Message):
    __slots__ = ("edges", "product")
    EDGES_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    edges: _containers.RepeatedCompositeFieldContainer[Edge]
    product: float
    def __init__(self, edges: _Optional[_Iterable[_Union[Edge, _Mapping]]] = ..., product: _Optional[float] = ...) -> None: ...

class InputPaths(_message.Message):
    __slots__ = ("wrt", "count", "gradient", "paths")
    WRT_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    GRADIENT_FIELD_NUMBER: _ClassVar[int]
    PATHS_FIELD_NUMBER: _ClassVar[int]
    wrt: str
    count: str
    gradient: float
    paths: _containers.RepeatedCompositeFieldContainer[GradientPath]
    def __init__(self, wrt: _Optional[str] = ..., count: _Optional[str] = ..., gradient: _Optional[float] = ..., paths: _Optional[_Iterable[_Union[GradientPath, _Mapping]]] = ...) -> None: ...

class Factor(_message.Message):
    __slots__ = ("label", "op", "magnitude", "count", "log10", "place")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    MAGNITUDE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    LOG10_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    label: str
    op: str
    magnitude: float
    count: int
    log10: float
    place: _tensor_pb2.Place
    def __init__(self, label: _Optional[str] = ..., op: _Optional[str] = ..., magnitude: _Optional[float] = ..., count: _Optional[int] = ..., log10: _Optional[float] = ..., place: _Optional[_Union[_tensor_pb2.Place, _Mapping]] = ...) -> None: ...

class Remedy(_message.Message):
    __slots__ = ("kind", "title")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    title: str
    def __init__(self, kind: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class Finding(_message.Message):
    __slots__ = ("kind", "severity", "message", "names", "place", "factors", "bound", "measured", "first_layer", "last_layer", "remedies")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    FACTORS_FIELD_NUMBER: _ClassVar[int]
    BOUND_FIELD_NUMBER: _ClassVar[int]
    MEASURED_FIELD_NUMBER: _ClassVar[int]
    FIRST_LAYER_FIELD_NUMBER: _ClassVar[int]
    LAST_LAYER_FIELD_NUMBER: _ClassVar[int]
    REMEDIES_FIELD_NUMBER: _ClassVar[int]
    kind: str
    severity: str
    message: str
    names: _containers.RepeatedScalarFieldContainer[str]
    place: _tensor_pb2.Place
    factors: _containers.RepeatedCompositeFieldContainer[Factor]
    bound: float
    measured: float
    first_layer: int
    last_layer: int
    remedies: _containers.RepeatedCompositeFieldContainer[Remedy]
    def __init__(self, kind: _Optional[str] = ..., severity: _Optional[str] = ..., message: _Optional[str] = ..., names: _Optional[_Iterable[str]] = ..., place: _Optional[_Union[_tensor_pb2.Place, _Mapping]] = ..., factors: _Optional[_Iterable[_Union[Factor, _Mapping]]] = ..., bound: _Optional[float] = ..., measured: _Optional[float] = ..., first_layer: _Optional[int] = ..., last_layer: _Optional[int] = ..., remedies: _Optional[_Iterable[_Union[Remedy, _Mapping]]] = ...) -> None: ...

class Magnitude(_message.Message):
    __slots__ = ("name", "layer", "value", "gradient", "bound")
    NAME_FIELD_NUMBER: _ClassVar[int]
    LAYER_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    GRADIENT_FIELD_NUMBER: _ClassVar[int]
    BOUND_FIELD_NUMBER: _ClassVar[int]
    name: str
    layer: int
    value: float
    gradient: float
    bound: float
    def __init__(self, name: _Optional[str] = ..., layer: _Optional[int] = ..., value: _Optional[float] = ..., gradient: _Optional[float] = ..., bound: _Optional[float] = ...) -> None: ...

class RepeatHealth(_message.Message):
    __slots__ = ("var", "place", "ratio", "layers")
    VAR_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    RATIO_FIELD_NUMBER: _ClassVar[int]
    LAYERS_FIELD_NUMBER: _ClassVar[int]
    var: str
    place: _tensor_pb2.Place
    ratio: float
    layers: _containers.RepeatedCompositeFieldContainer[Magnitude]
    def __init__(self, var: _Optional[str] = ..., place: _Optional[_Union[_tensor_pb2.Place, _Mapping]] = ..., ratio: _Optional[float] = ..., layers: _Optional[_Iterable[_Union[Magnitude, _Mapping]]] = ...) -> None: ...

class AnalyzeResponse(_message.Message):
    __slots__ = ("summary", "output", "ok", "findings", "magnitudes", "repeats", "assumptions", "points", "points_from", "notes", "paths")
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    OK_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    MAGNITUDES_FIELD_NUMBER: _ClassVar[int]
    REPEATS_FIELD_NUMBER: _ClassVar[int]
    ASSUMPTIONS_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    POINTS_FROM_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    PATHS_FIELD_NUMBER: _ClassVar[int]
    summary: str
    output: str
    ok: bool
    findings: _containers.RepeatedCompositeFieldContainer[Finding]
    magnitudes: _containers.RepeatedCompositeFieldContainer[Magnitude]
    repeats: _containers.RepeatedCompositeFieldContainer[RepeatHealth]
    assumptions: _containers.RepeatedScalarFieldContainer[str]
    points: int
    points_from: str
    notes: _containers.RepeatedScalarFieldContainer[str]
    paths: _containers.RepeatedCompositeFieldContainer[InputPaths]
    def __init__(self, summary: _Optional[str] = ..., output: _Optional[str] = ..., ok: _Optional[bool] = ..., findings: _Optional[_Iterable[_Union[Finding, _Mapping]]] = ..., magnitudes: _Optional[_Iterable[_Union[Magnitude, _Mapping]]] = ..., repeats: _Optional[_Iterable[_Union[RepeatHealth, _Mapping]]] = ..., assumptions: _Optional[_Iterable[str]] = ..., points: _Optional[int] = ..., points_from: _Optional[str] = ..., notes: _Optional[_Iterable[str]] = ..., paths: _Optional[_Iterable[_Union[InputPaths, _Mapping]]] = ...) -> None: ...

class CheckRequest(_message.Message):
    __slots__ = ("expression", "claimed", "wrt")
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_FIELD_NUMBER: _ClassVar[int]
    WRT_FIELD_NUMBER: _ClassVar[int]
    expression: str
    claimed: str
    wrt: str
    def __init__(self, expression: _Optional[str] = ..., claimed: _Optional[str] = ..., wrt: _Optional[str] = ...) -> None: ...

class CheckResponse(_message.Message):
    __slots__ = ("correct", "message", "expected", "method", "counterexample", "expected_value", "claimed_value", "points")
    class CounterexampleEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    CORRECT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    COUNTEREXAMPLE_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VALUE_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_VALUE_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    correct: bool
    message: str
    expected: Rendering
    method: str
    counterexample: _containers.ScalarMap[str, float]
    expected_value: float
    claimed_value: float
    points: int
    def __init__(self, correct: _Optional[bool] = ..., message: _Optional[str] = ..., expected: _Optional[_Union[Rendering, _Mapping]] = ..., method: _Optional[str] = ..., counterexample: _Optional[_Mapping[str, float]] = ..., expected_value: _Optional[float] = ..., claimed_value: _Optional[float] = ..., points: _Optional[int] = ...) -> None: ...
