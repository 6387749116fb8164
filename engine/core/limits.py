"""The documented limits every front door enforces.

They exist so that no input, however large or deep, can exhaust the stack,
the memory or the time of a server that other people's requests share.  The
README's "Limits" section lists the same numbers; change both together.
"""

#: Characters in one source text (expression or ``.chain`` program).
MAX_SOURCE_CHARS = 1_000_000
#: Bracket / operator nesting depth the parser accepts.
MAX_NESTING = 200
#: Layers one ``repeat`` may expand to, and layers in a whole program.
MAX_REPEAT = 10_000
#: Distinct nodes in a program after expansion (repeats, inlined functions).
MAX_NODES = 2_000_000
#: Order of derivative accepted by ``diff(..., order=n)``.
MAX_ORDER = 10
#: Distinct nodes a derivative may reach (checked after each order): repeated
#: differentiation multiplies a DAG's size, and a shared server must not let
#: one request take all its memory.
MAX_DERIVATIVE_NODES = 50_000
#: Product-rule work in one differentiation pass (factor visits: a product of
#: k factors that all depend on the variable costs k * k).  About 5 s here.
MAX_DIFF_WORK = 1_000_000
#: Elements in one tensor (inputs, parameters, batch x shape).
MAX_TENSOR_ELEMENTS = 50_000_000
#: Work (node visits weighted by arity) the simplifier may spend on one result
#: before returning the last complete pass.  A count, not a clock, so that the
#: answer does not depend on how busy the machine is.
SIMPLIFY_WORK = 400_000
#: Wall-clock guard behind the work budget (never reached in normal use).
SIMPLIFY_SECONDS = 10.0
#: Node count above which the simplifier only applies its cheap passes.
SIMPLIFY_MAX_NODES = 5_000
#: Characters an uncapped printing (``max_chars=None``) may form in all its
#: fragments together: a deep chain printed whole copies each level's text
#: into the next (quadratic), and a DAG printed as a tree doubles per shared
#: level (exponential).  About 0.5 s here; a capped printing is bounded by
#: its cap and needs no budget.
MAX_PRINT_WORK = 50_000_000
#: Work of one symbolic backprop, counted as (names reaching the output) x
#: (nodes of the output written in the inputs): every name's adjoint is also
#: written, and simplified, in the inputs, so the work is quadratic in the
#: depth of the program.  About 1 s here (a 100-layer network); the numeric
#: kernels (``compile``/``evaluate``) have no such limit.
MAX_BACKPROP_WORK = 100_000
#: Nodes (summed over the assignments, as written through the names) whose
#: gradient health is analysed: every stage of the analysis is linear in
#: them but slow per node (intervals, path bounds, generated code), about
#: 0.1 ms each here.  Beyond it ``analyze`` raises a LimitError.
MAX_HEALTH_NODES = 15_000
#: Nodes up to which the analysis also measures (runs the program on sampled
#: points, about 0.15 ms a node more: 1.4 s at the limit); beyond, it says "not measured" in a note.
MAX_MEASURED_NODES = 5_000
#: Nodes of an expression above which a derivative has no written steps
#: (``Derivative.steps`` is empty): each of the up to 24 steps prints its
#: sub-expressions in three notations, and printing is linear in the DAG, so
#: the steps of a 3,000-layer program took minutes of a server's thread.
MAX_STEPS_NODES = 2_000
