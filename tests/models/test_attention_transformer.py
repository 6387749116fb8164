"""PyTorch's encoder-decoder layers (#12): ``nn.Transformer``,
``nn.TransformerDecoderLayer`` and ``nn.TransformerDecoder`` read as their
documented composition (attention at one position, dropout the identity,
``nn.Transformer``'s own Xavier re-draw of every matrix), checked per layer
against PyTorch at sequence length 1 (tests/models/fixtures/attention_transformer.py,
read with ast and imported to run)."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FACTOR = 3.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "attention_transformer.py",
                              "chainlens_attention_transformer_fixtures", FACTOR)
fixtures = READ.module
D = 16


def _one(width=D):
    return torch.randn(1, 1, width)  # (sequence 1, batch 1, features)


def _attention(get):
    """value rows of the packed in-projection, then the out-projection."""
    return [lambda m: get(m).in_proj_weight.grad[2 * D:], lambda m: get(m).out_proj.weight.grad]


def _encoder(get):
    return [*_attention(lambda m: get(m).self_attn), lambda m: get(m).linear1.weight.grad,
            lambda m: get(m).linear2.weight.grad]


def _decoder(get):
    return [*_attention(lambda m: get(m).self_attn),
            *_attention(lambda m: get(m).multihead_attn),
            lambda m: get(m).linear1.weight.grad, lambda m: get(m).linear2.weight.grad]


def _layer(stack, i):
    return lambda m: stack(m).layers[i]


def test_a_transformer_reads_as_its_encoder_and_decoder_stacks_as_in_torch():
    enc, dec = (lambda m: m.transformer.encoder), (lambda m: m.transformer.decoder)
    weights = [w for i in range(2) for w in _encoder(_layer(enc, i))]
    weights += [w for i in range(2) for w in _decoder(_layer(dec, i))]
    weights.append(lambda m: m.head.weight.grad)
    READ.agree("Seq2Seq", torch_flow.torch_ratios(fixtures.Seq2Seq, lambda: (_one(), _one()),
                                                  weights))
    assert "its _reset_parameters: every matrix xavier_uniform_" in READ.notes("Seq2Seq")


def test_the_transformers_xavier_redraw_is_the_init_measured():
    program = READ.units["Seq2Seq"].program
    laws = {d.init for d in program.declarations if d.role == "param"}
    assert any("xavier_uniform_" in (i or "") for i in laws)
    # a Linear's bias keeps PyTorch's default (1-D: not re-drawn), an attention's zeros
    assert "torch-bias" in laws and "torch-mha-out-bias" in laws
    model = fixtures.Seq2Seq()
    w = model.transformer.encoder.layers[0].linear1.weight
    # torch's own: Xavier U(±√(6/48)) = ±0.354, past Kaiming's U(±1/√16) = ±0.25
    assert 0.25 < float(w.detach().abs().max()) <= (6 / (D + 32)) ** 0.5


def test_a_pre_norm_gelu_transformer_with_positional_arguments_agrees_with_torch():
    enc, dec = (lambda m: m.transformer.encoder), (lambda m: m.transformer.decoder)
    weights = [*_encoder(_layer(enc, 0)), *_decoder(_layer(dec, 0)),
               lambda m: m.head.weight.grad]
    READ.agree("PreNorm", torch_flow.torch_ratios(fixtures.PreNorm, lambda: (_one(), _one()),
                                                  weights))


def test_a_decoder_stack_with_its_norm_agrees_with_torch():
    dec = lambda m: m.decoder  # noqa: E731
    weights = [lambda m: m.memory.weight.grad]
    weights += [w for i in range(3) for w in _decoder(_layer(dec, i))]
    weights.append(lambda m: m.out.weight.grad)
    READ.agree("Decoder", torch_flow.torch_ratios(fixtures.Decoder,
                                                  lambda: (_one(), _one(8)), weights))


def test_one_decoder_layer_called_with_its_memory_agrees_with_torch():
    weights = [*_decoder(lambda m: m.layer), lambda m: m.out.weight.grad]
    READ.agree("OneLayer", torch_flow.torch_ratios(fixtures.OneLayer,
                                                   lambda: (_one(), _one()), weights))
    # the memory is an input of the layer: its value projection gets the gradient
    assert len(READ.flow("OneLayer").layers) == 7
