#!/usr/bin/python3
"""Write the bidirectional fixtures: torch.nn.GRU and torch.nn.LSTM with bidirectional=True and
num_layers=2, in float64, over a ragged batch through pack_padded_sequence.

Each model: rnn = nn.GRU(3, 4, num_layers=2, bidirectional=True) (nn.LSTM alike), x (T = 5, B = 4,
3), lengths [4, 1, 5, 2] (unsorted: enforce_sorted=False),
  out, h_n = rnn(pack_padded_sequence(x, lengths)); out padded back to (T, B, 8) (zeros past each
  length, both halves); last = [h_n[-2] | h_n[-1]] (B, 8), the top layer's final state of each
  direction (the reverse one's at the sequence's first step);
  loss = sum(w * out) + sum(v * last), w zero past each length; its gradients by autograd.
Written to fixtures/bidirectional/<model>.npz (numpy.savez, float64): the state dict under the
module name "rnn" (rnn.weight_ih_l0, ..., rnn.bias_hh_l1_reverse), x, lengths, w, v, out, last,
and every gradient as grad.<name> (grad.rnn.weight_ih_l0_reverse, ...) and grad.x.
read by tests/test_bidirectional.cpp through read_tensors and import_pytorch_stack. Seeded: a
rerun writes identical files. Run from anywhere:
    /usr/bin/python3 tests/oracle/make_bidirectional_fixtures.py
"""
import pathlib

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = pathlib.Path(__file__).resolve().parent / "fixtures" / "bidirectional"
IN, H, LAYERS, T, B = 3, 4, 2, 5, 4
LENGTHS = [4, 1, 5, 2]


def write(name, rnn, seed):
    torch.manual_seed(seed)
    for p in rnn.parameters():  # all uniform, biases included (PyTorch's init, then distinct biases)
        torch.nn.init.uniform_(p, -0.5, 0.5)
    x = torch.empty(T, B, IN).uniform_(-1, 1).requires_grad_()
    w = torch.empty(T, B, 2 * H).uniform_(-1, 1)
    for b, n in enumerate(LENGTHS):
        w[n:, b] = 0
    v = torch.empty(B, 2 * H).uniform_(-1, 1)
    packed = pack_padded_sequence(x, torch.tensor(LENGTHS), enforce_sorted=False)
    out, state = rnn(packed)
    out, _ = pad_packed_sequence(out, total_length=T)
    h_n = state[0] if isinstance(state, tuple) else state
    last = torch.cat([h_n[-2], h_n[-1]], dim=1)
    loss = (w * out).sum() + (v * last).sum()
    loss.backward()
    arrays = {f"rnn.{k}": p.detach().numpy() for k, p in rnn.named_parameters()}
    arrays.update({f"grad.rnn.{k}": p.grad.numpy() for k, p in rnn.named_parameters()})
    arrays.update(x=x.detach().numpy(), lengths=np.array(LENGTHS, dtype=np.float64), w=w.numpy(), v=v.numpy(),
                  out=out.detach().numpy(), last=last.detach().numpy(), **{"grad.x": x.grad.numpy()})
    np.savez(OUT / f"{name}.npz", **arrays)
    return len(arrays)


def main():
    torch.set_default_dtype(torch.float64)
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob("*.npz"):
        f.unlink()
    n = write("gru", torch.nn.GRU(IN, H, num_layers=LAYERS, bidirectional=True), 20261206)
    n += write("lstm", torch.nn.LSTM(IN, H, num_layers=LAYERS, bidirectional=True), 20261207)
    print(f"wrote {n} arrays into {OUT}")


if __name__ == "__main__":
    main()
