#!/usr/bin/python3
"""Write the torch.nn.LSTM fixtures that tests/test_lstm_oracle.cpp compares rnncell's LSTMCell
and Stacked<LSTMCell, 3> against, through import_pytorch_lstm.

Same conventions as make_fixtures.py (float64, seeded, one folder per case, scalars shape (1,),
In = 5, H = 7, B = 3, T = 4); run it after make_fixtures.py, which deletes fixtures/. Weights and
their gradients are saved in PyTorch's layout (weight_ih_l<k> (4H x In), gate rows [i|f|g|o], two
biases); states h0, c0 are (layers, B, H) as nn.LSTM takes them.

Two losses, each with its own gradients, so that backward() and backward_last() are both pinned:
  all steps:  sum over t of sum(w_t * h_t)      files loss, dx, dh0, dc0, d<weight>
  last step:  sum(w_last * h_T)                  the same names with the suffix _last
"""
import pathlib
import shutil

import numpy as np
import torch

IN, H, B, T = 5, 7, 3, 4
OUT = pathlib.Path(__file__).resolve().parent / "fixtures"

torch.manual_seed(20261126)
torch.set_default_dtype(torch.float64)


def save(case, **arrays):
    folder = OUT / case
    folder.mkdir(parents=True)
    for name, a in arrays.items():
        a = a.detach().numpy() if torch.is_tensor(a) else np.asarray(a)
        np.save(folder / f"{name}.npy", np.ascontiguousarray(a.reshape(a.shape or (1,))))


def lstm_step_ours(x, h, c, Wx, Wh, b):
    """rnncell's layout and equations (lstm.hpp): a = x Wx + h Wh + b, blocks [i|f|g|o]."""
    a_i, a_f, a_g, a_o = (x @ Wx + h @ Wh + b).split(H, -1)
    i, f, g, o = torch.sigmoid(a_i), torch.sigmoid(a_f), torch.tanh(a_g), torch.sigmoid(a_o)
    c = f * c + i * g
    return o * torch.tanh(c), c


def check_mapping(lstm, layers, x, h0, c0, hs):
    """The importer's mapping (Wx = weight_ih^T, Wh = weight_hh^T, b = bias_ih + bias_hh), proven
    in PyTorch itself before the C++ side relies on it."""
    p = dict(lstm.named_parameters())
    inputs = x
    for k in range(layers):
        Wx, Wh = p[f"weight_ih_l{k}"].T, p[f"weight_hh_l{k}"].T
        b = p[f"bias_ih_l{k}"] + p[f"bias_hh_l{k}"]
        h, c, out = h0[k], c0[k], []
        for t in range(T):
            h, c = lstm_step_ours(inputs[t], h, c, Wx, Wh, b)
            out.append(h)
        inputs = torch.stack(out)
    assert torch.allclose(inputs, hs, rtol=0, atol=1e-13)


def lstm_case(case, layers):
    lstm = torch.nn.LSTM(IN, H, num_layers=layers)
    names = [n for n, _ in lstm.named_parameters()]
    x = (torch.randn(T, B, IN) * 0.8).requires_grad_()
    h0 = (torch.randn(layers, B, H) * 0.5).requires_grad_()
    c0 = (torch.randn(layers, B, H) * 0.8).requires_grad_()
    w, w_last = torch.randn(T, B, H), torch.randn(B, H)

    arrays = {"x": x, "h0": h0, "c0": c0, "w": w, "w_last": w_last}
    arrays.update({n: p for n, p in lstm.named_parameters()})
    for suffix in ["", "_last"]:
        lstm.zero_grad()
        for leaf in (x, h0, c0):
            leaf.grad = None
        hs, (h_T, c_T) = lstm(x, (h0, c0))
        loss = (hs * w).sum() if suffix == "" else (hs[-1] * w_last).sum()
        loss.backward()
        arrays.update({"loss" + suffix: loss, "dx" + suffix: x.grad.clone(),
                       "dh0" + suffix: h0.grad.clone(), "dc0" + suffix: c0.grad.clone()})
        arrays.update({"d" + n + suffix: p.grad.clone() for n, p in lstm.named_parameters()})
    check_mapping(lstm, layers, x, h0, c0, hs)
    assert len(names) == 4 * layers
    save(case, hs=hs, h_T=h_T, c_T=c_T, **arrays)


def main():
    for case in ["torch_lstm", "torch_lstm_stacked3"]:
        shutil.rmtree(OUT / case, ignore_errors=True)  # no stale fixture may survive a regeneration
    lstm_case("torch_lstm", layers=1)
    lstm_case("torch_lstm_stacked3", layers=3)
    files = [f for case in ["torch_lstm", "torch_lstm_stacked3"] for f in (OUT / case).glob("*.npy")]
    print(f"wrote {len(files)} files, {sum(f.stat().st_size for f in files)} bytes, under {OUT}")


if __name__ == "__main__":
    main()
