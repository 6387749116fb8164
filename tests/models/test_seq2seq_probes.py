"""Seq2seq spellings found on files outside the corpus (#12; the
pytorch-seq2seq notebooks): a model built from modules the file builds
first (``enc = Encoder(...)``; ``model = Seq2Seq(enc, dec)``), a GRU fed a
concatenation, decoder outputs written into ``outputs[t]`` of a zeros
buffer, ``argmax`` as an index, ``bmm`` of one attention weight."""

import torch
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from torch import nn

SRC = '''
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, input_dim, emb_dim, hid_dim):
        super().__init__()
        self.embedding = nn.Embedding(input_dim, emb_dim)
        self.rnn = nn.GRU(emb_dim, hid_dim)

    def forward(self, src):
        outputs, hidden = self.rnn(self.embedding(src))
        return hidden


class Decoder(nn.Module):
    def __init__(self, output_dim, emb_dim, hid_dim):
        super().__init__()
        self.output_dim = output_dim
        self.embedding = nn.Embedding(output_dim, emb_dim)
        self.rnn = nn.GRU(emb_dim + hid_dim, hid_dim)
        self.fc_out = nn.Linear(emb_dim + hid_dim * 2, output_dim)

    def forward(self, input, hidden, context):
        embedded = self.embedding(input.unsqueeze(0))
        emb_con = torch.cat((embedded, context), dim=2)
        output, hidden = self.rnn(emb_con, hidden)
        output = torch.cat((embedded.squeeze(0), hidden.squeeze(0), context.squeeze(0)), dim=1)
        return self.fc_out(output), hidden


class Seq2Seq(nn.Module):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, src, trg):
        trg_len = trg.shape[0]
        batch_size = trg.shape[1]
        outputs = torch.zeros(trg_len, batch_size, self.decoder.output_dim)
        context = self.encoder(src)
        hidden = context
        input = trg[0, :]
        for t in range(1, trg_len):
            output, hidden = self.decoder(input, hidden, context)
            outputs[t] = output
            input = output.argmax(1)
        return outputs


INPUT_DIM = 20
OUTPUT_DIM = 24
enc = Encoder(INPUT_DIM, 16, 32)
dec = Decoder(OUTPUT_DIM, 16, 32)
model = Seq2Seq(enc, dec)


class Weighted(nn.Module):
    def __init__(self, hid=16):
        super().__init__()
        self.score = nn.Linear(hid, 1)
        self.out = nn.Linear(hid, 4)

    def forward(self, enc_out):
        a = torch.softmax(self.score(torch.tanh(enc_out)), dim=1)
        weighted = torch.bmm(a.unsqueeze(1), enc_out)
        return self.out(weighted)
'''


def _units():
    doc = read_document(SRC, path="s.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def test_a_model_built_from_modules_the_file_builds_first_is_read_with_them():
    units, skips = _units()
    assert "Seq2Seq" in units, skips
    unit = units["Seq2Seq"]
    assert any("built as the file builds it" in n for n in unit.notes)
    labels = [label for label, _, _ in unit.layers]
    assert labels == ["embedding", "rnn", "embedding", "rnn", "fc_out"], labels
    flow = analyze(unit.program).flow
    assert flow is not None and flow.layers
    # the decoder's output projection: Linear(16 + 2 * 32, 24), as enc/dec were built
    fc = [d for d in unit.program.declarations if d.name.startswith("W_fc_out")]
    assert fc and sum(d.shape[1] for d in fc) == 16 + 32 + 32 and fc[0].shape[0] == 24


def test_outputs_written_into_a_zeros_buffer_are_the_steps_each_with_its_target():
    units, _ = _units()
    notes = " | ".join(units["Seq2Seq"].notes)
    assert "over the concatenated parts" in notes  # each step meets its own target


def test_a_gru_fed_a_concatenation_has_one_input_block_per_part():
    units, skips = _units()
    assert "Decoder" in units, skips
    rnn = [d for d in units["Decoder"].program.declarations
           if d.role == "param" and d.name.startswith("W_rnn")]
    assert {d.shape[1] for d in rnn} == {16, 32}  # embedded, context


def test_bmm_of_one_attention_weight_passes_the_encoder_output_as_torch_at_one_position():
    units, skips = _units()
    assert "Weighted" in units, skips
    flow = analyze(units["Weighted"].program).flow
    # at one source position the softmax weight is 1: score gets no gradient
    assert [r.name for r in flow.layers] == ["W_out"]
    assert any("score" in n for n in flow.unreached)
    score, out = nn.Linear(16, 1).double(), nn.Linear(16, 4).double()
    enc = torch.randn(1, 1, 16, dtype=torch.float64)
    a = torch.softmax(score(torch.tanh(enc)), dim=1)
    y = out(torch.bmm(a.transpose(1, 2), enc))
    (torch.randn(y.shape, dtype=torch.float64) * y).sum().backward()
    assert float(score.weight.grad.abs().max()) == 0.0


PACKED = '''
import torch
import torch.nn as nn


class LSTM(nn.Module):
    def __init__(self, vocab_size=30, embedding_dim=16, hidden_dim=32, output_dim=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, batch_first=True)
        self.fc = nn.Linear(hidden_dim, output_dim)

    def forward(self, ids, length):
        embedded = self.embedding(ids)
        packed_embedded = nn.utils.rnn.pack_padded_sequence(
            embedded, length, batch_first=True, enforce_sorted=False
        )
        packed_output, (hidden, cell) = self.lstm(packed_embedded)
        output, output_length = nn.utils.rnn.pad_packed_sequence(packed_output)
        return self.fc(hidden[-1])
'''


class _Packed(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(30, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 2)

    def forward(self, ids, length):
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(ids), length,
                                                   batch_first=True, enforce_sorted=False)
        _, (hidden, _) = self.lstm(packed)
        return self.fc(hidden[-1])


def test_a_packed_padded_sequence_is_read_as_its_steps_and_matches_torch_at_one_step():
    doc = read_document(PACKED, path="p.py")
    units = {u.label: u for u in doc.programs}
    assert "LSTM" in units, doc.skipped
    flow = analyze(units["LSTM"].program).flow
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = _Packed().double()
        out = model(torch.tensor([[3]]), torch.tensor([1]))  # one step: h0 = 0, as read
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(model.lstm.weight_ih_l0.grad.norm()),
                     float(model.fc.weight.grad.norm())])
    med = sorted(r[0] / r[1] for r in rows)[8]
    assert len(flow.layers) == 2
    assert med / 2 <= flow.layers[0].ratio <= med * 2, (flow, med)
