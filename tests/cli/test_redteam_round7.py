"""Red team, round 7: what `chainlens health -v` prints is true of the file.

R10: the remedies of a vanishing model name only what applies to it.  A
ReLU network is not told to use "ReLU/GELU instead of sigmoid or tanh"; its
vanishing at PyTorch's default init is the init's scale, and He init (the
remedy it is given) makes PyTorch's own first/last ratio healthy."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"

#: the models both ways: written to a file chainlens reads, imported to run with torch
MODELS = (ROOT / "tests" / "health" / "fixtures" / "remedy_models.py").read_text()


def remedies(out: str, model: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if f": {model}: |∂L/∂W| by layer" in line)
    block = []
    for line in lines[start + 1:]:
        if not line.startswith("      "):
            break
        block.append(line.strip())
    return [line for line in block if line.startswith("remedy: ")]


def torch_ratio(path: Path, name: str, he: bool) -> float:
    """Median over seeds of PyTorch's first/last weight-gradient norm."""
    spec = importlib.util.spec_from_file_location("redteam7_models", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ratios = []
    for seed in range(6):
        torch.manual_seed(seed)
        model = getattr(module, name)().double()
        if he:
            for layer in model.modules():
                if isinstance(layer, torch.nn.Linear):
                    torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                    torch.nn.init.zeros_(layer.bias)
        out = model(torch.randn(8, 24, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        weights = [p for p in model.parameters() if p.dim() == 2]
        ratios.append(float(weights[0].grad.norm() / weights[-1].grad.norm()))
    return float(torch.tensor(ratios).median())


def test_a_relu_model_is_told_about_he_init_not_about_replacing_sigmoid(tmp_path):
    path = tmp_path / "models.py"
    path.write_text(MODELS)
    run = subprocess.run([str(CHAINLENS), "health", "-v", str(path)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    relu = remedies(run.stdout, "Rectified")
    sigmoid = remedies(run.stdout, "Saturating")
    assert relu and sigmoid, run.stdout
    assert not any("instead of sigmoid or tanh" in r for r in relu), relu
    assert any("Kaiming (He) init" in r for r in relu), relu
    assert any("instead of sigmoid or tanh" in r for r in sigmoid), sigmoid
    assert not any("Kaiming (He) init for the ReLU" in r for r in sigmoid), sigmoid
    # a conv net is not told to put BatchNorm1d after each Linear only
    assert all("nn.BatchNorm2d" in r for r in relu + sigmoid if "normalisation" in r)
    # the finding and the remedy are PyTorch's: vanishing at its default init,
    # healthy (first/last above 1e-3) with He init
    assert torch_ratio(path, "Rectified", he=False) < 1e-3
    assert torch_ratio(path, "Rectified", he=True) > 1e-3


def test_a_note_past_the_size_limit_is_said_unread_never_clean(tmp_path):
    """S5: a 2 MB Markdown note was 'no derivative claims found', exit 0,
    although its first line is a claim: the reader refuses the whole file
    past MAX_SOURCE_CHARS, and check now says so (exit 2, as for a bad file)."""
    from chainlens.engine.core.limits import MAX_SOURCE_CHARS

    path = tmp_path / "long.md"
    filler = ("y" * 999 + "\n") * (MAX_SOURCE_CHARS // 1000 + 1)
    path.write_text("$\\frac{d}{dx} x^3 = 3x^2$\n\n" + filler)
    run = subprocess.run([str(CHAINLENS), "check", str(path)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert f"the limit is {MAX_SOURCE_CHARS}" in run.stderr
    assert "no derivative claims found" not in run.stdout
    # a note within the limit is read as before
    path.write_text("$\\frac{d}{dx} x^3 = 3x^2$\n")
    run = subprocess.run([str(CHAINLENS), "check", str(path)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0 and "1 correct, 0 wrong" in run.stdout, run.stdout
