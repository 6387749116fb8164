"""Foundations every layer stands on: places and errors, limits, the expression DAG.

:mod:`.ir` is imported here because it gives :class:`~.nodes.Node` its
arithmetic operators: whoever imports any part of the core gets nodes that
add and multiply.
"""

from chainlens.engine.core import ir as ir
