#!/usr/bin/python3
"""Write the variable-length (ragged batch) fixtures that tests/test_oracle_lengths.cpp reads.

PyTorch is the independent implementation, in float64:
- lengths_torch_gru: torch.nn.GRU (reset-after, 2 layers) over pack_padded_sequence (unsorted
  lengths, enforce_sorted=False), the way a PyTorch user runs a padded batch; weights and
  gradients in PyTorch's layout.
- lengths_gru_reset_before, lengths_mgu: the seed-lab equations (make_fixtures.py's steps) with
  autograd, a sequence's state held where t >= its length: h_t = where(t < len, step, h_{t-1}).
Loss: sum over valid steps of w_t * h_t (w is zero on padded steps; pad_packed_sequence gives
zeros there) plus sum(v * h_last), h_last being each sequence's state at its own length (torch's
h_n). Sizes as make_fixtures.py: In = 5, H = 7; B = 4, T = 6, lengths [5, 1, 3, 2]: the last
step is past every sequence. Run from the repository root:

    /usr/bin/python3 tests/oracle/make_lengths_fixtures.py
"""
import shutil

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import make_fixtures as base

B, T = 4, 6
LENGTHS = [5, 1, 3, 2]
LAYERS = 2
CASES = ["lengths_torch_gru", "lengths_gru_reset_before", "lengths_mgu"]

torch.manual_seed(20261126)


def valid_mask():
    """(T, B, 1): 1 where step t is inside sequence b."""
    t = torch.arange(T).unsqueeze(1)
    return (t < torch.tensor(LENGTHS).unsqueeze(0)).to(torch.float64).unsqueeze(2)


def inputs():
    x, w, v = base.leaf(T, B, base.IN), base.rand(T, B, base.H) * valid_mask(), base.rand(B, base.H)
    return x, w, v


def masked_run(step, x, h0, params):
    mask, hs, h = valid_mask(), [], h0
    for t in range(T):
        h = mask[t] * step(x[t], h, *params) + (1 - mask[t]) * h
        hs.append(h)
    return torch.stack(hs)


def autograd_case(case, step, gates):
    x, w, v = inputs()
    h0 = base.leaf(B, base.H)
    params = base.cell_params(base.IN, gates)
    hs = masked_run(step, x, h0, params.values())
    loss = (hs * w).sum() + (hs[-1] * v).sum()
    loss.backward()
    base.save(case, x=x, h0=h0, w=w, v=v, lengths=torch.tensor(LENGTHS), hs=hs, loss=loss, dx=x.grad,
              dh0=h0.grad, **base.with_grads(params))


def torch_gru_case(case):
    gru = torch.nn.GRU(base.IN, base.H, num_layers=LAYERS)
    x, w, v = inputs()
    h0 = base.leaf(LAYERS, B, base.H)
    packed = pack_padded_sequence(x, torch.tensor(LENGTHS), enforce_sorted=False)
    out, h_n = gru(packed, h0)
    hs, _ = pad_packed_sequence(out, total_length=T)  # zeros past each length
    loss = (hs * w).sum() + (h_n[-1] * v).sum()
    loss.backward()
    params = dict(gru.named_parameters())
    save = {n: p for n, p in params.items()} | {"d" + n: p.grad for n, p in params.items()}
    base.save(case, x=x, h0=h0, w=w, v=v, lengths=torch.tensor(LENGTHS), hs=hs, h_last=h_n[-1], loss=loss,
              dx=x.grad, dh0=h0.grad, **save)


def main():
    for case in CASES:
        shutil.rmtree(base.OUT / case, ignore_errors=True)
    torch_gru_case("lengths_torch_gru")
    autograd_case("lengths_gru_reset_before", base.gru_reset_before_step, gates=3)
    autograd_case("lengths_mgu", base.mgu_step, gates=2)
    written = [f for case in CASES for f in (base.OUT / case).rglob("*.npy")]
    print(f"wrote {len(written)} files, {sum(f.stat().st_size for f in written)} bytes, under {base.OUT}")


if __name__ == "__main__":
    main()
