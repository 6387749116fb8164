"""A model's own initialisation (nn.init.*_ in __init__, self.apply(fn),
w.data.normal_) is what chainlens measures at, checked against PyTorch on
tests/health/fixtures/custom_init.py (read with ast, imported here to run
with torch); an init call chainlens does not model gives "not measured",
never a verdict at the default initialisation."""

import importlib.util
import json
import pathlib

import numpy as np
import pytest
from chainlens.cli.main import main
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health import init as laws
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.model import GRADIENT_EXPLODES

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FIXTURE = HERE / "fixtures" / "custom_init.py"
#: per-layer ratios must agree within this factor (16 seeded draws each side)
FACTOR = 5.0
_spec = importlib.util.spec_from_file_location("chainlens_torch_flow_init",
                                               HERE.parent / "models" / "torch_flow.py")
torch_flow = importlib.util.module_from_spec(_spec)  # tests are not a package
_spec.loader.exec_module(torch_flow)
models = torch_flow.load(FIXTURE, "chainlens_custom_init_fixtures")
DOC = read_document(FIXTURE.read_text(), path=str(FIXTURE))
UNITS = {u.label: u for u in DOC.programs}


@pytest.mark.parametrize("name", sorted(models.FIXTURES))
def test_flow_at_the_files_own_init_agrees_with_torch(name):
    grads = torch_flow.torch_layer_grads(getattr(models, name), models.FIXTURES[name])
    report = analyze(UNITS[name].program)
    flow = report.flow
    torch_flow.assert_layers_agree(flow, grads, FACTOR)
    # torch's measure: the first/last ratio, unless the gradients themselves
    # explode (N(0, 1) weights on width-64 ReLU layers: 1e7 in every layer)
    want = torch_flow.verdict(grads[0] / grads[-1])
    if want == "healthy" and max(grads) > GRADIENT_EXPLODES:
        want = "exploding"
    assert flow.verdict == want
    kinds = {f.kind for f in report.findings}
    if flow.verdict == "healthy":
        assert not kinds & {"vanishing", "exploding"}
    else:
        finding = next(f for f in report.findings if f.kind == flow.verdict)
        assert "the file's own initialisation" in finding.message


def _parameter_grads(cls, width: int, seeds: int = 16) -> list[float]:
    """torch's ‖∂L/∂P‖ of every 2-D parameter, median over seeds."""
    per_seed = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = cls().double()
        out = model(torch.randn(1, width, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        per_seed.append([float(p.grad.norm()) for p in model.parameters() if p.dim() == 2])
    return [float(v) for v in np.median(np.array(per_seed), axis=0)]


@pytest.mark.parametrize("name", sorted(models.PARAMETERS))
def test_a_reinitialised_parameter_agrees_with_torch(name):
    grads = _parameter_grads(getattr(models, name), models.PARAMETERS[name])
    flow = analyze(UNITS[name].program).flow
    torch_flow.assert_layers_agree(flow, grads, FACTOR)
    # torch's measure: the first/last ratio, unless the gradients themselves
    # explode (N(0, 1) weights on width-64 ReLU layers: 1e7 in every layer)
    want = torch_flow.verdict(grads[0] / grads[-1])
    if want == "healthy" and max(grads) > GRADIENT_EXPLODES:
        want = "exploding"
    assert flow.verdict == want
    assert "measured at the file's own initialisation" in UNITS[name].notes[-1]


def test_the_default_init_is_not_what_a_reinitialised_stack_is_measured_at():
    # the same stack without its init lines vanishes (torch: 1.3e-4); with
    # xavier_normal_(gain=5/3) it does not (torch: 3.8)
    src = FIXTURE.read_text().split("class XavierUniformSigmoid")[0]
    plain = src.replace("            nn.init.xavier_normal_(layer.weight, gain=5.0 / 3)\n", "")
    plain = plain.replace("            nn.init.zeros_(layer.bias)\n", "")
    plain = plain.replace("        for layer in self.layers:\n\n", "\n")
    unit = next(u for u in read_document(plain, path="p.py").programs
                if u.label == "XavierNormalTanh")
    assert analyze(unit.program).flow.verdict == "vanishing"
    assert analyze(UNITS["XavierNormalTanh"].program).flow.verdict == "healthy"


@pytest.mark.parametrize("name", sorted(models.NOT_MODELLED))
def test_an_init_chainlens_does_not_model_is_named_not_measured(name):
    report = analyze(UNITS[name].program)
    assert report.flow is None
    assert not {f.kind for f in report.findings} & {"vanishing", "exploding", "saturation"}
    hint = next(f for f in report.findings if f.kind == "not-measured")
    assert hint.severity == "hint"
    assert hint.message.startswith("not measured: the file re-initialises")
    assert models.NOT_MODELLED[name] in hint.message


def test_a_norm_gain_zeroed_by_the_file_is_read_and_no_layer_gets_a_gradient():
    """zeros_(norm.weight) is read as that constant: the norm's output is 0, so
    torch measures fc1's and fc2's weight gradients at exactly 0; chainlens
    names both layers as unreached and does not judge the model."""
    theirs = torch_grads(models.NormGainZero, 16)
    assert all(g == 0.0 for g in theirs)
    report = analyze(UNITS["NormGainZero"].program)
    assert report.flow is not None and report.flow.verdict == "not judged"
    assert set(report.flow.unreached) == {"W_fc1", "W_fc2"}
    assert not {f.kind for f in report.findings} & {"vanishing", "exploding", "saturation"}


def torch_grads(cls, width: int) -> list[float]:
    torch.manual_seed(0)
    model = cls()
    model(torch.randn(4, width)).sum().backward()
    return [float(m.weight.grad.norm()) for m in (model.fc1, model.fc2)]


def test_law_draws_have_torchs_moments():
    rng = np.random.default_rng(0)
    # normal_(std=0.02) of a 64-wide weight, declared per fan-in, measured at 64
    key = laws.law_key("w", "normal", 0.0, 0.02, 64, "normal_")
    lo, hi = laws.init_range(key, 64)
    draws = laws.draw(key, lo, hi, (64, 64, 64), rng)
    assert abs(draws.std() - 0.02) < 0.001 and abs(draws.mean()) < 0.001
    # measured narrower (16 of 64 columns): the same gain per layer, std·√fan_in
    lo, hi = laws.init_range(key, 16)
    assert abs(laws.draw(key, lo, hi, (64, 64, 16), rng).std() - 0.04) < 0.002
    # trunc_normal_(std=0.3, a=-0.4, b=0.4): inside [a, b], torch's std
    key = laws.law_key("a", "trunc", 0.0, 0.3, None, "t", -0.4 / 0.3, 0.4 / 0.3)
    lo, hi = laws.init_range(key, 8)
    d = laws.draw(key, lo, hi, (200_000,), rng)
    t = torch.nn.init.trunc_normal_(torch.empty(200_000, dtype=torch.float64), std=0.3,
                                    a=-0.4, b=0.4)
    assert d.min() >= -0.4 and d.max() <= 0.4
    assert abs(d.std() - float(t.std())) < 0.003
    # orthogonal_(gain=2): every draw is 2 × an orthogonal matrix
    key = laws.law_key("w", "orth", 0.0, 2.0, 8, "o")
    lo, hi = laws.init_range(key, 8)
    q = laws.draw(key, lo, hi, (3, 8, 8), rng)
    assert np.allclose(q[0] @ q[0].T, 4 * np.eye(8))


def test_the_hover_words_name_the_files_init():
    decls = [d for d in UNITS["KaimingNormalReLU"].program.declarations if d.role == "param"]
    words = {laws.init_words(d.init) for d in decls if d.name.startswith("W_")}
    assert words == {'nn.init.kaiming_normal_(layer.weight, nonlinearity=\'relu\') '
                     "(the file's own initialisation)"}


def test_the_cli_names_a_not_modelled_init_in_text_and_sarif(capsys):
    main(["health", str(FIXTURE)])
    text = capsys.readouterr().out
    assert "hint: not measured: the file re-initialises layers.0.weight with " \
           "`nn.init.sparse_(layer.weight, sparsity=0.9)`" in text
    main(["health", str(FIXTURE), "--format", "sarif"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    hints = [r for r in results if r["ruleId"] == "not-measured"
             and "re-initialises" in r["message"]["text"]]
    assert len(hints) == len(models.NOT_MODELLED) and {r["level"] for r in hints} == {"note"}


def test_an_init_under_a_test_on_data_is_named_and_its_layers_still_read():
    src = '''import torch
from torch import nn


class Gated(nn.Module):
    def __init__(self, flag):
        super().__init__()
        if flag:
            self.fc = nn.Linear(8, 8)
            nn.init.orthogonal_(self.fc.weight)
        self.out = nn.Linear(8, 1)

    def forward(self, x):
        return self.out(torch.tanh(self.fc(x)))
'''
    unit = read_document(src, path="g.py").programs[0]
    report = analyze(unit.program)
    assert report.flow is None
    assert [f.message.split(",")[0] for f in report.findings if f.kind == "not-measured"] == [
        "not measured: the file re-initialises weights under `if flag`"]


def test_orthogonal_rows_measured_narrower_than_written_are_not_modelled():
    # W (32, 128): orthonormal rows, gain √(32/128), which a 64-wide measurement would change
    src = '''import torch
from torch import nn


class Wide(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(128, 32)
        self.fc2 = nn.Linear(32, 128)
        nn.init.orthogonal_(self.fc1.weight)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))
'''
    report = analyze(read_document(src, path="w.py").programs[0].program)
    assert report.flow is None
    assert any(f.kind == "not-measured" and "orthogonal_" in f.message for f in report.findings)


def test_a_bare_init_name_not_of_torch_is_named_not_ignored():
    src = '''import torch
from torch import nn
from mylib import lecun_


class U(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 8)
        lecun_(self.fc1.weight)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))
'''
    report = analyze(read_document(src, path="u.py").programs[0].program)
    assert report.flow is None
    assert any(f.kind == "not-measured" and "lecun_(self.fc1.weight)" in f.message
               for f in report.findings)


def test_bounds_alone_never_give_a_model_its_verdict():
    # --static (red team F59): 20 tanh layers at Xavier(5/3), torch 3.8, healthy
    report = analyze(UNITS["XavierNormalTanh"].program, thresholds={"measure": False})
    assert report.flow is None
    assert not [f for f in report.findings if f.severity in ("error", "warning")]
    # a model whose init is not modelled gets its hint without measuring
    report = analyze(UNITS["SparseInit"].program, thresholds={"measure": False})
    assert [f.kind for f in report.findings] == ["not-measured"]
