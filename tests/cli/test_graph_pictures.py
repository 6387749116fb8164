"""Pictures of deep programs: repeated layers collapsed to one box each
(``--expand``: one cluster per layer), colours from sampled inputs when no
point is given (the caption says so), a legend of a few rows in natural
order, and an SVG from the pure-Python layout when Graphviz is missing
(``make demo`` on a fresh machine)."""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from chainlens.cli.main import main
from chainlens.engine.graph.build import build_graph
from chainlens.engine.graph.dot import LEGEND_ROWS, path_legend
from chainlens.engine.graph.svg import to_svg
from chainlens.engine.language.reader import parse

ROOT = Path(__file__).resolve().parents[2]
DEEP = ROOT / "examples" / "deep_sigmoid.chain"
NEURON = ROOT / "examples" / "neuron.chain"
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"
NO_DOT = {"PATH": str(ROOT / ".venv" / "bin"), "HOME": os.environ.get("HOME", "/tmp"),
          "NO_COLOR": "1"}


def test_deep_program_is_one_box_per_layer_and_coloured(tmp_path, capsys):
    out = tmp_path / "deep.dot"
    assert main(["graph", str(DEEP), "-o", str(out)]) == 0
    dot = out.read_text()
    nodes = re.findall(r"^  n\d+ \[", dot, re.M)
    assert len(nodes) <= 16                       # was 255 nodes in a 26,129 px line
    assert "layer 1\\n" in dot and "layers 3–48" in dot and "layer 50\\n" in dot
    assert "colours at sampled inputs" in dot and "--at sets them" in dot
    assert "#ffffff" not in dot                   # every node coloured: values were sampled
    assert "drawn uniformly" in capsys.readouterr().err


def test_expand_draws_one_cluster_per_layer(tmp_path):
    out = tmp_path / "deep.dot"
    assert main(["graph", str(DEEP), "-o", str(out), "--expand"]) == 0
    dot = out.read_text()
    assert len(re.findall(r"subgraph cluster_\d+ \{ label=\"layer \d+\"", dot)) == 50
    assert len(re.findall(r"^    n\d+ \[", dot, re.M)) >= 200


def test_the_path_legend_is_a_few_rows_sorted_naturally():
    program = parse(DEEP.read_text())
    at = {n: 0.5 for n in program.inputs}
    graph = build_graph(program, at)
    rows = path_legend(graph)
    assert len(rows) == LEGEND_ROWS + 1 and rows[-1].startswith("… and 97 more")
    names = [re.match(r"∂L/∂(\S+) =", r).group(1) for r in rows[:-1]]
    digits = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
    keys = [(re.sub(r"\d", "", n.translate(digits)), int(re.sub(r"\D", "", n.translate(digits))
                                                         or 0)) for n in names]
    assert keys == sorted(keys)                   # b₂ before b₁₀, not b₁, b₁₀, b₁₁


def test_pure_python_svg_is_well_formed_and_says_the_same():
    graph = build_graph(parse(NEURON.read_text()))
    svg = to_svg(graph, paths=True)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = [t.text for t in root.iter() if t.tag.endswith("text")]
    assert any(t and t.startswith("∂L/∂w = ") for t in texts)
    assert any(t == "≥ 10" for t in texts)        # the legend's bands
    assert len([e for e in root.iter() if e.tag.endswith("path")]) >= len(graph.edges)


def test_without_graphviz_svg_is_still_drawn_and_png_is_a_clear_error(tmp_path):
    svg = tmp_path / "n.svg"
    done = subprocess.run([str(CHAINLENS), "graph", str(NEURON), "-o", str(svg), "--paths",
                           "--wrt", "w"], capture_output=True, text=True, env=NO_DOT)
    assert done.returncode == 0, done.stderr
    assert "laid out without Graphviz" in done.stdout
    assert ET.fromstring(svg.read_text()).tag.endswith("svg")
    png = subprocess.run([str(CHAINLENS), "graph", str(NEURON), "-o", str(tmp_path / "n.png")],
                         capture_output=True, text=True, env=NO_DOT)
    assert png.returncode == 2 and "-o FILE.svg" in png.stderr and "Traceback" not in png.stderr


def test_make_demo_without_graphviz_writes_svg_pictures(tmp_path):
    done = subprocess.run([str(CHAINLENS), "demo", "--out", str(tmp_path),
                           "--skip", "parse,diff,backprop,numeric,health,batch,grpc"],
                          capture_output=True, text=True, env=NO_DOT, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    for name in ("neuron.svg", "deep_sigmoid.svg"):
        text = (tmp_path / name).read_text()
        assert ET.fromstring(text).tag.endswith("svg") and "<text" in text
    assert "digraph" not in done.stdout           # no DOT dumped into the tour
    assert (tmp_path / "deep_sigmoid_layers.png").stat().st_size > 1000
