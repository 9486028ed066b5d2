#!/usr/bin/python3
"""Write the ONNX fixtures: four PyTorch models exported by torch.onnx.export (opset 14), and
what PyTorch computes with them.

The models, GRU and LSTM alike (nn.GRU / nn.LSTM, batch_first=False, float32):
  rnn = nn.GRU(In, H, num_layers=L); fc = nn.Linear(H, C)
  x (T, B, In) -> rnn -> y (T, B, H), the top layer's h at every step -> fc(y[-1]) -> logits (B, C)
  gru_l2, lstm_l2: In = 5, H = 7, L = 2, C = 3      gru_l3, lstm_l3: In = 4, H = 16, L = 3, C = 10
Weights take PyTorch's default init, then every bias gets U(-0.2, 0.2) noise of its own, so
bias_ih and bias_hh differ and none is zero. Exported from an example input of T = 6, B = 1,
input "x", output "logits", dynamic axes x: {0: T, 1: B}, logits: {0: B}, constant folding on
(torch's default). Files, under fixtures/onnx/:
  <case>.onnx   the exported model, as torch.onnx.export writes it
  <case>.npz    numpy.savez: x float32 (T = 9, B = 3, In), standard normal;
                logits float32, the model on x; logits_f64 float64, the model after .double()
                (the same float32 weights, exact as doubles) on x as float64
Every file is checked: onnx.checker.check_model, and a small numpy evaluator of the ONNX graph
(the ONNX spec's GRU and LSTM equations, gates in ONNX's order, not PyTorch's) that must
reproduce logits_f64 within 1e-12 in float64 and logits within 1e-5 in float32, on x's B = 3.
torch warns on every RNN export that a batch size other than 1 may fail; the evaluator proves it
does not here (the initial states are zeros of the shape read from x at run time).

Seeded per case: a rerun writes identical files (numpy.savez's zip entries carry zipfile's fixed
1980-01-01 stamp; torch 1.13's export is byte-for-byte repeatable). It deletes and rewrites only
its own folder. Run from anywhere:
    /usr/bin/python3 tests/oracle/make_onnx_fixtures.py
"""
import copy
import io
import pathlib
import shutil
import warnings

import numpy as np
import onnx
import torch
from onnx import numpy_helper

OUT = pathlib.Path(__file__).resolve().parent / "fixtures" / "onnx"
T, B = 9, 3                    # the fixture input x
EXPORT_T, EXPORT_B = 6, 1      # the example input of the export
OPSET = 14

# name: (cell, In, H, L, C, seed)
CASES = {
    "gru_l2": (torch.nn.GRU, 5, 7, 2, 3, 20260311),
    "gru_l3": (torch.nn.GRU, 4, 16, 3, 10, 20260312),
    "lstm_l2": (torch.nn.LSTM, 5, 7, 2, 3, 20260313),
    "lstm_l3": (torch.nn.LSTM, 4, 16, 3, 10, 20260314),
}

# Printed on every RNN export whatever the batch (symbolic_opset9._generic_rnn), and shape
# inference's note on prim::Constant; check_onnx below covers what they warn about.
warnings.filterwarnings("ignore", message="Exporting a model to ONNX with a batch_size other than 1")
warnings.filterwarnings("ignore", message="The shape inference of prim::Constant type is missing")


class Net(torch.nn.Module):
    def __init__(self, cell, In, H, L, C):
        super().__init__()
        self.rnn = cell(In, H, num_layers=L)
        self.fc = torch.nn.Linear(H, C)

    def forward(self, x):  # x: (T, B, In)
        y, _ = self.rnn(x)
        return self.fc(y[-1])  # logits (B, C) from the last step


def build(cell, In, H, L, C):
    model = Net(cell, In, H, L, C).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "bias" in name:
                p.add_(torch.empty_like(p).uniform_(-0.2, 0.2))
    for k in range(L):
        b_ih, b_hh = getattr(model.rnn, f"bias_ih_l{k}"), getattr(model.rnn, f"bias_hh_l{k}")
        assert not torch.equal(b_ih, b_hh) and bool((b_ih != 0).all()) and bool((b_hh != 0).all())
    return model


# --- a numpy evaluator of the few ONNX operators the exports use (ONNX operator spec, opset 14) ---

def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def rnn_inputs(node, values, dtype, count):
    """The node's inputs by position, None where absent ("" or beyond the list)."""
    names = list(node.input) + [""] * (count - len(node.input))
    return [values[n] if n else None for n in names]


def onnx_gru(node, attrs, values, dtype):
    assert set(attrs) <= {"hidden_size", "linear_before_reset"}, attrs  # forward, default activations
    X, W, R, Bias, seq_lens, h0 = rnn_inputs(node, values, dtype, 6)
    assert seq_lens is None and W.shape[0] == 1
    H, lbr = attrs["hidden_size"], attrs.get("linear_before_reset", 0)
    Wz, Wr, Wh = np.split(W[0], 3)
    Rz, Rr, Rh = np.split(R[0], 3)
    Wbz, Wbr, Wbh, Rbz, Rbr, Rbh = np.split(Bias[0] if Bias is not None else np.zeros(6 * H, dtype), 6)
    h = h0[0] if h0 is not None else np.zeros((X.shape[1], H), dtype)
    ys = []
    for x in X:
        z = sigmoid(x @ Wz.T + h @ Rz.T + Wbz + Rbz)
        r = sigmoid(x @ Wr.T + h @ Rr.T + Wbr + Rbr)
        if lbr:
            n = np.tanh(x @ Wh.T + r * (h @ Rh.T + Rbh) + Wbh)
        else:
            n = np.tanh(x @ Wh.T + (r * h) @ Rh.T + Rbh + Wbh)
        h = (1 - z) * n + z * h
        ys.append(h)
    Y = np.stack(ys)[:, None]  # (seq, num_directions, batch, H)
    return [Y, h[None]]


def onnx_lstm(node, attrs, values, dtype):
    assert set(attrs) <= {"hidden_size"}, attrs  # forward, default activations, no clip
    X, W, R, Bias, seq_lens, h0, c0, P = rnn_inputs(node, values, dtype, 8)
    assert seq_lens is None and P is None and W.shape[0] == 1
    H = attrs["hidden_size"]
    Wi, Wo, Wf, Wc = np.split(W[0], 4)
    Ri, Ro, Rf, Rc = np.split(R[0], 4)
    Wbi, Wbo, Wbf, Wbc, Rbi, Rbo, Rbf, Rbc = np.split(Bias[0] if Bias is not None else np.zeros(8 * H, dtype), 8)
    h = h0[0] if h0 is not None else np.zeros((X.shape[1], H), dtype)
    c = c0[0] if c0 is not None else np.zeros((X.shape[1], H), dtype)
    ys = []
    for x in X:
        i = sigmoid(x @ Wi.T + h @ Ri.T + Wbi + Rbi)
        f = sigmoid(x @ Wf.T + h @ Rf.T + Wbf + Rbf)
        g = np.tanh(x @ Wc.T + h @ Rc.T + Wbc + Rbc)
        c = f * c + i * g
        o = sigmoid(x @ Wo.T + h @ Ro.T + Wbo + Rbo)
        h = o * np.tanh(c)
        ys.append(h)
    return [np.stack(ys)[:, None], h[None], c[None]]


def onnx_slice(data, starts, ends, axes=None, steps=None):
    axes = range(data.ndim) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    index = [slice(None)] * data.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        index[a] = slice(int(s), int(e), int(st))  # Python clamps as the spec does
    return data[tuple(index)]


def run_onnx(model, x, dtype):
    """Evaluates model's graph on x with every floating tensor as dtype; returns its outputs."""
    def cast(a):
        return a.astype(dtype) if a.dtype.kind == "f" else a

    values = {init.name: cast(numpy_helper.to_array(init)) for init in model.graph.initializer}
    values[model.graph.input[0].name] = x.astype(dtype)
    for node in model.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        ins = [values[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            out = [cast(numpy_helper.to_array(attrs["value"]))]
        elif op == "Shape":
            out = [np.array(ins[0].shape, np.int64)]
        elif op == "Gather":
            data, index = ins
            axis = attrs.get("axis", 0)
            assert ((-data.shape[axis] <= index) & (index < data.shape[axis])).all()
            out = [np.take(data, np.where(index < 0, index + data.shape[axis], index), axis=axis)]
        elif op == "Unsqueeze":
            out = [np.expand_dims(ins[0], tuple(int(a) for a in ins[1]))]
        elif op == "Squeeze":
            out = [np.squeeze(ins[0], tuple(int(a) for a in ins[1]))]
        elif op == "Concat":
            out = [np.concatenate(ins, axis=attrs["axis"])]
        elif op == "ConstantOfShape":
            fill = cast(numpy_helper.to_array(attrs["value"]))
            out = [np.full(tuple(ins[0]), fill[0], fill.dtype)]
        elif op == "Slice":
            out = [onnx_slice(*ins)]
        elif op == "Gemm":
            A, Bm, Cm = ins
            A = A.T if attrs.get("transA", 0) else A
            Bm = Bm.T if attrs.get("transB", 0) else Bm
            out = [attrs.get("alpha", 1.0) * (A @ Bm) + attrs.get("beta", 1.0) * Cm]
        elif op == "GRU":
            out = onnx_gru(node, attrs, values, dtype)
        elif op == "LSTM":
            out = onnx_lstm(node, attrs, values, dtype)
        else:
            raise NotImplementedError(f"{op} in {node.name}")
        for name, value in zip(node.output, out):
            if name:
                values[name] = value
    return [values[o.name] for o in model.graph.output]


def check_onnx(data, x, logits, logits_f64):
    model = onnx.load_from_string(data)
    onnx.checker.check_model(model)
    assert [i.name for i in model.graph.input] == ["x"] and [o.name for o in model.graph.output] == ["logits"]
    assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [OPSET]
    (got64,) = run_onnx(model, x, np.float64)
    (got32,) = run_onnx(model, x, np.float32)
    assert got64.shape == logits_f64.shape and got32.dtype == np.float32
    assert np.abs(got64 - logits_f64).max() < 1e-12, np.abs(got64 - logits_f64).max()
    assert np.abs(got32 - logits).max() < 1e-5, np.abs(got32 - logits).max()


def write_case(name, cell, In, H, L, C, seed):
    torch.manual_seed(seed)
    model = build(cell, In, H, L, C)
    example = torch.randn(EXPORT_T, EXPORT_B, In)
    x = torch.randn(T, B, In)
    with torch.no_grad():
        logits = model(x).numpy()
        logits_f64 = copy.deepcopy(model).double()(x.double()).numpy()
    f = io.BytesIO()
    torch.onnx.export(model, example, f, opset_version=OPSET, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "T", 1: "B"}, "logits": {0: "B"}})
    data = f.getvalue()
    arrays = {"x": x.numpy(), "logits": logits, "logits_f64": logits_f64}
    assert [a.dtype for a in arrays.values()] == [np.float32, np.float32, np.float64]
    check_onnx(data, arrays["x"], logits, logits_f64)
    (OUT / f"{name}.onnx").write_bytes(data)
    np.savez(OUT / f"{name}.npz", **arrays)
    with np.load(OUT / f"{name}.npz") as back:
        assert sorted(back.files) == sorted(arrays)
        assert all(back[k].dtype == v.dtype and np.array_equal(back[k], v) for k, v in arrays.items())


def main():
    shutil.rmtree(OUT, ignore_errors=True)  # no stale fixture may survive a regeneration
    OUT.mkdir(parents=True)
    for name, case in CASES.items():
        write_case(name, *case)
    files = sorted(OUT.iterdir())
    print(f"wrote {len(files)} files, {sum(f.stat().st_size for f in files)} bytes, under {OUT}")


if __name__ == "__main__":
    main()
