#!/usr/bin/python3
"""Write the .npy fixtures that tests/test_sequence_model_oracle.cpp compares SequenceModel against.

PyTorch is the independent implementation of a per-step language model: token ids (T, B) ->
torch.nn.Embedding -> a recurrent stack -> Linear -> activation -> Linear at every step, then
torch.nn.functional.cross_entropy over all T*B rows (the mean). Two cases:
  seqmodel_torch          torch.nn.GRU itself (reset-after), tanh between the Linear layers
  seqmodel_reset_before   two reset-before GRU layers written with torch ops (make_fixtures.py's
                          equations) through autograd, relu between the Linear layers
  seqmodel_lengths        a padded batch (lengths [5, 2, 4], T = 6: one step past the longest): torch.nn.GRU over
                          pack_padded_sequence, targets -100 (ignore_index) at the padded steps, so
                          the loss is the mean over the valid steps; padded logits saved as zero
Every parameter is saved in rnncell's layout, named as tests/support/oracle.hpp reads it
("rnn.layer0.Wx" in rnn.layer0_Wx.npy, its gradient in rnn.layer0_dWx.npy); ids, targets and
lengths as int64. The GRU
weights of nn.GRU are mapped by make_fixtures.py's pytorch_to_ours, proven there.

Each fixture script deletes and rewrites only its own case folders. Run from anywhere:  /usr/bin/python3 tests/oracle/make_sequence_model_fixtures.py
"""
import shutil
import sys
import pathlib

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (the equations, the mapping, save(); H = 7)

T, B, VOCAB, EMBED, DOWN, CLASSES = 4, 3, 6, 5, 4, 5
H = mf.H

torch.manual_seed(20251127)
torch.set_default_dtype(torch.float64)


def token_batch(steps=T):
    ids = torch.randint(0, VOCAB, (steps, B))
    ids[1, 0] = ids[3, 2] = ids[0, 1]  # one id three times: its gradient row is a sum of three
    return ids, torch.randint(0, CLASSES, (steps, B))


def fixture_name(parameter, gradient):
    """As tests/support/oracle.hpp reads them: "rnn.layer0.Wx" in rnn.layer0_Wx.npy, its gradient
    in rnn.layer0_dWx.npy."""
    prefix, _, leaf = parameter.rpartition(".")
    return (prefix + "_" if prefix else "") + ("d" if gradient else "") + leaf


def linear_head(activation):
    down, out = torch.nn.Linear(H, DOWN), torch.nn.Linear(DOWN, CLASSES)
    for p in [*down.parameters(), *out.parameters()]:
        torch.nn.init.normal_(p, std=0.5)  # non-zero biases: every term of their gradient shows
    head = torch.nn.Sequential(down, activation, out)
    # rnncell name -> (value, gradient) in rnncell's layout. Our Dense is y = h W + b with W
    # (In x Out): torch's weight transposed.
    return head, {"head.layer0.W": lambda: (down.weight.T, down.weight.grad.T),
                  "head.layer0.b": lambda: (down.bias, down.bias.grad),
                  "head.layer2.W": lambda: (out.weight.T, out.weight.grad.T),
                  "head.layer2.b": lambda: (out.bias, out.bias.grad)}


def finish(case, ids, targets, embedding, hs, head, parameters, lengths=None):
    logits = head(hs)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, CLASSES), targets.reshape(-1), ignore_index=-100)
    loss.backward()
    parameters["input.E"] = lambda: (embedding.weight, embedding.weight.grad)
    arrays = {}
    for name, value_and_grad in parameters.items():
        value, grad = value_and_grad()
        arrays[fixture_name(name, False)], arrays[fixture_name(name, True)] = value, grad
    if lengths is not None:
        arrays["lengths"] = torch.tensor(lengths)
        logits = logits.detach() * (targets != -100).unsqueeze(-1)  # rnncell's padded logits are zero
    mf.save(case, ids=ids, targets=targets, logits=logits, loss=loss, **arrays)


def torch_gru_case(case, lengths=None):
    ids, targets = token_batch(1 + max(lengths) if lengths else T)
    embedding = torch.nn.Embedding(VOCAB, EMBED)
    gru = torch.nn.GRU(EMBED, H)
    head, parameters = linear_head(torch.nn.Tanh())
    if lengths is None:
        hs, _ = gru(embedding(ids))
    else:
        # T is one more than the longest: a step no sequence reaches
        packed = torch.nn.utils.rnn.pack_padded_sequence(embedding(ids), torch.tensor(lengths), enforce_sorted=False)
        out, _ = gru(packed)
        hs, _ = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=ids.shape[0])
        for b, length in enumerate(lengths):
            targets[length:, b] = -100
    p = dict(gru.named_parameters())
    ours = {"Wx": "weight_ih_l0", "Wh": "weight_hh_l0", "b": "bias_ih_l0", "bh": "bias_hh_l0"}
    for name, torch_name in ours.items():
        parameters["rnn." + name] = lambda n=torch_name: (mf.pytorch_to_ours(p[n]), mf.pytorch_to_ours(p[n].grad))
    finish(case, ids, targets, embedding, hs, head, parameters, lengths)


def reset_before_case(case, layers=2):
    ids, targets = token_batch()
    embedding = torch.nn.Embedding(VOCAB, EMBED)
    head, parameters = linear_head(torch.nn.ReLU())
    stack = [mf.cell_params(EMBED if i == 0 else H, 3) for i in range(layers)]
    hs = embedding(ids)
    for params in stack:
        hs = mf.run(mf.gru_reset_before_step, hs, torch.zeros(B, H), params.values())
    for i, params in enumerate(stack):
        for name, value in params.items():
            parameters[f"rnn.layer{i}.{name}"] = lambda v=value: (v, v.grad)
    finish(case, ids, targets, embedding, hs, head, parameters)


def main():
    for case in ("seqmodel_torch", "seqmodel_reset_before", "seqmodel_lengths"):
        shutil.rmtree(mf.OUT / case, ignore_errors=True)
    torch_gru_case("seqmodel_torch")
    reset_before_case("seqmodel_reset_before")
    torch_gru_case("seqmodel_lengths", lengths=[5, 2, 4])
    print("wrote seqmodel_torch, seqmodel_reset_before and seqmodel_lengths under", mf.OUT)


if __name__ == "__main__":
    main()
