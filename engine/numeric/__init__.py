"""Numeric kernels: tape, generated code, backends, shapes, paths."""
