"""Drawing pictures: DOT text to SVG/PNG/PDF bytes with Graphviz, and the
per-layer gradient plot with matplotlib.

Both are optional dependencies, imported when a picture is asked for (so
``import chainlens.engine`` never loads them); without Graphviz :func:`render`
returns None and the caller prints the DOT text instead.  This is the one
place in the engine that runs another program (Graphviz's ``dot``) or writes
a file (the plot), on the caller's explicit request.
"""

from __future__ import annotations

__all__ = ["render", "render_svg", "plot_layers"]


def render(dot_text: str, fmt: str = "svg") -> bytes | None:
    """``dot_text`` drawn by Graphviz as ``fmt`` bytes, or None when Graphviz
    (the Python package or the ``dot`` binary) is not available."""
    try:
        import graphviz
    except ImportError:
        return None
    try:
        return graphviz.Source(dot_text).pipe(format=fmt)
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, OSError):
        return None


def render_svg(dot_text: str) -> str | None:
    """SVG text for ``dot_text`` (for notebooks' ``_repr_svg_``), or None
    without Graphviz."""
    data = render(dot_text, "svg")
    return data.decode("utf-8") if data is not None else None


def plot_layers(norms, path: str) -> None:
    """The per-layer gradient-norm plot of a
    :class:`chainlens.engine.graph.layers.LayerGradients`: |∂L/∂value|
    against the layer, log y axis, one line per value the layer assigns."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    for label, values in norms.series.items():
        ax.plot(norms.layers, [v if v > 0 else float("nan") for v in values],
                marker="o", markersize=3, label=f"|∂{norms.output}/∂{label}|")
    ax.set_yscale("log")
    ax.set_xlabel(f"layer {norms.var}")
    ax.set_ylabel("gradient magnitude (log scale)")
    ax.set_title(f"Gradient of {norms.output} per layer")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
