#!/usr/bin/python3
"""Writes the seed corpus of the tensors fuzz harness into tests/fuzz/corpus/tensors/ (small files).

    /usr/bin/python3 tests/fuzz/make_tensors_corpus.py

The state dict the harness imports (a 2-layer nn.GRU(3, 4) named "rnn" and an nn.Linear(4, 2)
named "fc", random values) as .safetensors in float32 and float64 and as numpy.savez .npz files,
then hostile variants: a header length past the end, offsets past the data, overlapping tensors,
a byte count that is not shape x dtype size, an unsupported dtype, a repeated name, escapes in a
name, a misshapen tensor, trailing text, an empty header, a truncated file. No data from ../shared.
"""
import io
import json
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "tensors")
rng = np.random.default_rng(28)


def state_dict(dtype):
    d = {}
    for k, width in ((0, 3), (1, 4)):
        d[f"rnn.weight_ih_l{k}"] = rng.standard_normal((12, width))
        d[f"rnn.weight_hh_l{k}"] = rng.standard_normal((12, 4))
        d[f"rnn.bias_ih_l{k}"] = rng.standard_normal(12)
        d[f"rnn.bias_hh_l{k}"] = rng.standard_normal(12)
    d["fc.weight"] = rng.standard_normal((2, 4))
    d["fc.bias"] = rng.standard_normal(2)
    return {k: v.astype(dtype) for k, v in d.items()}


def safetensors(tensors, header_edit=None):
    """The format's own layout: 8-byte little-endian header length, JSON header padded with spaces
    to a multiple of 8 bytes, then each tensor's bytes in order."""
    header, data = {}, b""
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": {"float32": "F32", "float64": "F64"}[array.dtype.name],
                        "shape": list(array.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    header["__metadata__"] = {"format": "pt"}
    if header_edit:
        header_edit(header)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def npz(tensors):
    buffer = io.BytesIO()
    np.savez(buffer, **tensors)
    return buffer.getvalue()


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


os.makedirs(OUT, exist_ok=True)
f32, f64 = state_dict(np.float32), state_dict(np.float64)
write("gru_f32.safetensors", safetensors(f32))
write("gru_f64.safetensors", safetensors(f64))
write("gru_f32.npz", npz(f32))
write("gru_f64_fortran.npz", npz({k: np.asfortranarray(v) for k, v in f64.items()}))
good = safetensors(f32)
write("header_past_end.safetensors", struct.pack("<Q", len(good)) + good[8:])
write("truncated.safetensors", good[: len(good) // 2])
write("empty_header.safetensors", struct.pack("<Q", 2) + b"{}")
write("trailing_text.safetensors", struct.pack("<Q", 8) + b"{}    x ")


def edit(name, change):
    def apply(header):
        change(header[name]) if name in header else None
    return apply


write("offsets_past_data.safetensors",
      safetensors(f32, edit("fc.bias", lambda t: t.update(data_offsets=[t["data_offsets"][0], 10 ** 6]))))
write("overlap.safetensors",
      safetensors(f32, edit("fc.bias", lambda t: t.update(data_offsets=[0, 8]))))
write("wrong_byte_count.safetensors", safetensors(f32, edit("fc.weight", lambda t: t.update(shape=[2, 5]))))
write("bf16.safetensors", safetensors(f32, edit("fc.bias", lambda t: t.update(dtype="BF16"))))
write("misshapen.safetensors", safetensors({**f32, "rnn.weight_hh_l1": f32["rnn.weight_hh_l1"][:, :3].copy()}))
write("escaped_name.safetensors", safetensors({"rnn.\u00e9\U0001F600": f32["fc.bias"]}))
write("repeated_name.safetensors", safetensors(f32).replace(b'"fc.weight"', b'"fc.bias"  '))
