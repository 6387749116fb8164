"""Loads torch_flow.py (PyTorch's own measurement of the fixtures) once,
as the module ``torch_flow``: the tests are not a package and run with
``--import-mode=importlib``, so a plain ``import torch_flow`` would not
find it; each test file pasted the same loading lines before."""

import importlib.util
import pathlib
import sys

if importlib.util.find_spec("torch") is not None:  # a test without torch skips itself
    _spec = importlib.util.spec_from_file_location("torch_flow",
                                                   pathlib.Path(__file__).parent / "torch_flow.py")
    _module = importlib.util.module_from_spec(_spec)
    sys.modules.setdefault("torch_flow", _module)
    _spec.loader.exec_module(_module)
