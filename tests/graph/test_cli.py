"""``chainlens graph`` end to end: pictures written by the real Graphviz and
matplotlib, and a clear message (with the DOT text) when Graphviz is absent."""

import shutil

import pytest
from chainlens.cli.main import main
from chainlens.engine.graph.render import render_svg

NEURON = """\
z = w*x + b
a = sigmoid(z)
L = (a - y)^2
@at x=0.5, w=0.8, b=-0.1, y=1
"""

DEEP = """\
input x in [-1, 1]
a = x
repeat k in 1..30 {
  param w_k in [-1, 1]
  param b_k in [-1, 1]
  z_k = w_k * a + b_k
  a = sigmoid(z_k)
}
L = (a - y)^2
@at x=0.5, y=1
"""

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's `dot` binary is not installed")


@pytest.fixture
def neuron_file(tmp_path):
    path = tmp_path / "neuron.chain"
    path.write_text(NEURON)
    return path


@needs_dot
def test_an_svg_is_drawn(neuron_file, tmp_path, capsys):
    out = tmp_path / "neuron.svg"
    assert main(["graph", str(neuron_file), "-o", str(out), "--paths"]) == 0
    svg = out.read_text()
    assert "<svg" in svg and "∂L/∂a = −0.8511" in svg
    assert "wrote" in capsys.readouterr().out


@needs_dot
def test_a_png_is_drawn(neuron_file, tmp_path):
    out = tmp_path / "neuron.png"
    assert main(["graph", str(neuron_file), "-o", str(out), "--at", "x=2"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_dot
def test_render_svg_returns_svg_text():
    assert "<svg" in render_svg("digraph { a -> b }")


def test_without_graphviz_an_svg_is_still_drawn_and_png_says_why_not(neuron_file, tmp_path,
                                                                     monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no `dot` to be found
    out = tmp_path / "neuron.svg"
    assert main(["graph", str(neuron_file), "-o", str(out)]) == 0   # issue #15
    assert "laid out without Graphviz" in capsys.readouterr().out
    assert out.read_text().startswith("<svg ")
    assert main(["graph", str(neuron_file), "-o", str(tmp_path / "neuron.png")]) == 2
    captured = capsys.readouterr()
    assert "Graphviz is not installed" in captured.err and "Traceback" not in captured.err
    assert not (tmp_path / "neuron.png").exists()
    assert render_svg("digraph { a -> b }") is None


def test_dot_text_goes_to_a_dot_file_or_standard_output(neuron_file, tmp_path, capsys):
    out = tmp_path / "neuron.dot"
    assert main(["graph", str(neuron_file), "-o", str(out)]) == 0
    assert out.read_text().startswith("digraph chainlens {")
    capsys.readouterr()
    assert main(["graph", "sin(x^2)", "--at", "x=1"]) == 0
    assert "f at x=1" in capsys.readouterr().out


def test_a_bad_point_is_an_error_with_a_caret(neuron_file, capsys):
    assert main(["graph", str(neuron_file), "--at", "q=1"]) == 2
    err = capsys.readouterr().err
    assert "'q' is not an input" in err and "^" in err


def test_the_layer_plot_is_a_png(tmp_path, capsys):
    source = tmp_path / "deep.chain"
    source.write_text(DEEP)
    out = tmp_path / "layers.png"
    assert main(["graph", str(source), "--layers", "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    captured = capsys.readouterr()
    assert "30 layers" in captured.out
    assert "drawn uniformly from the declared range" in captured.err  # w_k, b_k filled


def test_the_layer_table_without_a_file_shows_the_vanishing(tmp_path, capsys):
    source = tmp_path / "deep.chain"
    source.write_text(DEEP)
    assert main(["graph", str(source), "--layers"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 30 and rows[0].startswith("k=1 ")
    first = float(rows[0].split("a=")[1])
    last = float(rows[-1].split("a=")[1])
    assert first < 1e-10 * last  # 30 sigmoid layers: at most 1/4 each


def test_layers_of_a_program_without_repeat_is_a_clear_error(neuron_file, capsys):
    assert main(["graph", str(neuron_file), "--layers"]) == 2
    assert "no `repeat` block" in capsys.readouterr().err


@pytest.mark.parametrize("where", [
    pytest.param("missing/out.svg", marks=needs_dot),
    pytest.param("folder.svg", marks=needs_dot),
    "missing/out.dot",
    "folder.dot",
])
def test_a_picture_that_cannot_be_written_is_a_message(neuron_file, tmp_path, capsys, where):
    (tmp_path / "folder.svg").mkdir()
    (tmp_path / "folder.dot").mkdir()
    assert main(["graph", str(neuron_file), "-o", str(tmp_path / where)]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_a_layer_plot_that_cannot_be_written_is_a_message(tmp_path, capsys):
    source = tmp_path / "deep.chain"
    source.write_text(DEEP)
    out = tmp_path / "missing" / "layers.png"
    assert main(["graph", str(source), "--layers", "-o", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err


@needs_dot
def test_a_graph_shows_itself_inline_in_a_notebook():
    from chainlens.engine.graph.build import build_graph

    svg = build_graph(NEURON)._repr_svg_()
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "∂L/∂a = −0.8511" in svg
