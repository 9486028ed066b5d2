#!/usr/bin/python3
"""Write the state-dict fixtures that tests/test_state_dict.cpp loads by name (issue 29): two
PyTorch models' state_dicts as .safetensors and .npz, in float32 and float64, and what PyTorch
computes with them.

The models, GRU and LSTM alike (nn.GRU / nn.LSTM, float64):
  rnn = nn.GRU(5, 8); rnn2 = nn.GRU(8, 8, num_layers=3); fc = nn.Linear(8, 4)
  x (T = 60, B = 2, 5) -> rnn -> rnn2 -> y (60, 2, 8), the top layer's h at every step
                                      -> fc(y[-1]) -> logits (2, 4)
Every parameter is drawn from U(-0.9, 0.9) and, like x, rounded to float32 before the forward
pass, so the float32 and the float64 files hold the same values and one set of outputs serves
both (a float32 value is exact as a double). Files, under fixtures/state_dict/:
  <model>_f32.safetensors, <model>_f64.safetensors   the state_dict, keys as PyTorch names them
  <model>_f32.npz, <model>_f64.npz                   the same through numpy.savez
  x.npy, <model>_logits.npy, <model>_y.npy           float64, as the other oracle cases
There is no safetensors package here: safetensors_bytes lays the file out as the format's
reference writer does (huggingface/safetensors, safetensors/src/tensor.rs: prepare, serialize).

Seeded: a rerun writes identical files (numpy.savez's zip entries carry zipfile's fixed
1980-01-01 stamp). It deletes and rewrites only its own folder. Run from anywhere:
    /usr/bin/python3 tests/oracle/make_state_dict_fixtures.py
"""
import json
import pathlib
import shutil
import struct

import numpy as np
import torch

IN, H, CLASSES, T, B = 5, 8, 4, 60, 2
OUT = pathlib.Path(__file__).resolve().parent / "fixtures" / "state_dict"

torch.manual_seed(20260301)
torch.set_default_dtype(torch.float64)

# safetensors' dtype names; the reference writer orders tensors by descending dtype (its enum
# order, F64 after F32), then by name.
DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64"}
DTYPE_RANK = {"F32": 0, "F64": 1}


def safetensors_bytes(tensors, metadata):
    """The reference serialize(): an 8-byte little-endian header length N, N bytes of compact
    UTF-8 JSON ("__metadata__" first, then each tensor's dtype, shape and data_offsets relative
    to the byte after the header, contiguous from 0) padded with spaces to a multiple of 8 so that
    every tensor starts aligned, then the tensors' bytes, row-major little-endian, in that order."""
    arrays = {name: np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")) for name, a in tensors.items()}
    order = sorted(arrays, key=lambda name: (-DTYPE_RANK[DTYPES[arrays[name].dtype]], name))
    header, offset = {"__metadata__": metadata}, 0
    for name in order:
        a = arrays[name]
        header[name] = {"dtype": DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(arrays[name].tobytes() for name in order)


def check_safetensors(data, tensors):
    """Reads data back as a reader would (the header's offsets only) and asserts it holds tensors:
    a guard on the writer above, not an independent reader (that is the C++ side's job)."""
    (n,) = struct.unpack_from("<Q", data)
    assert n % 8 == 0
    header = json.loads(data[8:8 + n].decode("utf-8"))
    assert header.pop("__metadata__") == {"format": "pt"} and header.keys() == tensors.keys()
    body, end = data[8 + n:], 0
    for info in sorted(header.values(), key=lambda info: info["data_offsets"]):
        assert info["data_offsets"][0] == end  # contiguous, no gap, no overlap
        end = info["data_offsets"][1]
    assert end == len(body)
    for name, info in header.items():
        begin, stop = info["data_offsets"]
        dtype = {"F32": "<f4", "F64": "<f8"}[info["dtype"]]
        a = np.frombuffer(body[begin:stop], dtype=dtype).reshape(info["shape"])
        assert a.dtype == tensors[name].dtype and np.array_equal(a, tensors[name])


def float32_exact(t):
    """t rounded to the nearest float32, kept as float64: the values both file dtypes hold."""
    return t.float().double()


def build(recurrent):
    rnn, rnn2, fc = recurrent(IN, H), recurrent(H, H, num_layers=3), torch.nn.Linear(H, CLASSES)
    model = torch.nn.ModuleDict({"rnn": rnn, "rnn2": rnn2, "fc": fc})
    with torch.no_grad():
        for p in model.parameters():
            # Wider than PyTorch's default U(-1/sqrt(H), 1/sqrt(H)) = +-0.35: with it, four layers
            # damp the input so much that the LSTM's two sequences end within 1e-3 of each other.
            torch.nn.init.uniform_(p, -0.9, 0.9)
            p.copy_(float32_exact(p))
    return model


def forward(model, x):
    with torch.no_grad():
        h1, _ = model["rnn"](x)
        y, _ = model["rnn2"](h1)
        return model["fc"](y[-1]), y


def write_model(name, model, x):
    state = {k: v.numpy() for k, v in model.state_dict().items()}
    layers = {"rnn": 1, "rnn2": 3}
    expected = [f"{m}.{w}_l{k}" for m, n in layers.items() for k in range(n)
                for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")] + ["fc.weight", "fc.bias"]
    assert sorted(state) == sorted(expected), sorted(state)  # PyTorch's names, nothing else
    logits, y = forward(model, x)
    for bits, dtype in [(32, np.float32), (64, np.float64)]:
        tensors = {k: v.astype(dtype) for k, v in state.items()}
        assert all(np.array_equal(v, state[k]) for k, v in tensors.items())  # float32 rounding was exact
        data = safetensors_bytes(tensors, {"format": "pt"})
        check_safetensors(data, tensors)
        (OUT / f"{name}_f{bits}.safetensors").write_bytes(data)
        np.savez(OUT / f"{name}_f{bits}.npz", **tensors)
        with np.load(OUT / f"{name}_f{bits}.npz") as back:
            assert sorted(back.files) == sorted(tensors)
            assert all(back[k].dtype == dtype and np.array_equal(back[k], v) for k, v in tensors.items())
    np.save(OUT / f"{name}_logits.npy", logits.numpy())
    np.save(OUT / f"{name}_y.npy", y.numpy())


def main():
    shutil.rmtree(OUT, ignore_errors=True)  # no stale fixture may survive a regeneration
    OUT.mkdir(parents=True)
    x = float32_exact(torch.randn(T, B, IN))
    np.save(OUT / "x.npy", x.numpy())
    write_model("gru", build(torch.nn.GRU), x)
    write_model("lstm", build(torch.nn.LSTM), x)
    files = sorted(OUT.iterdir())
    print(f"wrote {len(files)} files, {sum(f.stat().st_size for f in files)} bytes, under {OUT}")


if __name__ == "__main__":
    main()
