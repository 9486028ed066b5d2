#!/usr/bin/python3
"""Writes the seed corpus of the .npz fuzz harness into tests/fuzz/corpus/npz/ (small files).

    /usr/bin/python3 tests/fuzz/make_corpus.py BUILD/tests/fuzz/write_npz_seeds

The argument is the write_npz_seeds program (cmake --build BUILD --target write_npz_seeds): our
own save_npz output of the harness's two models comes first, and its names and shapes are used
for NumPy's np.savez and np.savez_compressed versions of the same checkpoints, a Fortran-ordered
and a float64 variant, truncations, and a few hand-made hostile archives. No data from ../shared.
"""
import io
import os
import struct
import subprocess
import sys
import tempfile
import warnings
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "npz")


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def savez(arrays, compressed=False):
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


def stored_zip(members):
    """A plain zip (no zip64) of (name, bytes) pairs, the layout save_npz writes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def npy(array, version=None):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.argv[1], tmp], check=True)
        ours = {n: open(os.path.join(tmp, n), "rb").read() for n in sorted(os.listdir(tmp))}
    for name, data in ours.items():
        stem = name[:-4]
        write("ours_" + name, data)
        with np.load(io.BytesIO(data)) as z:
            arrays = {k: z[k] for k in z.files}
        write("numpy_savez_" + name, savez(arrays))
        write("numpy_savez_compressed_" + name, savez(arrays, compressed=True))
        write("numpy_fortran_" + name, savez({k: np.asfortranarray(a) for k, a in arrays.items()}))
        write("numpy_float64_" + name, savez({k: a.astype(np.float64) for k, a in arrays.items()}))
        write("npy_v2_v3_" + name, stored_zip([(k + ".npy", npy(a, (2, 0) if i % 2 else (3, 0)))
                                               for i, (k, a) in enumerate(arrays.items())]))
        for keep in (len(data) - 1, len(data) - 22, len(data) // 2, 64):
            write("truncated_%d_%s" % (keep, name), data[:keep])
        first = next(iter(arrays))
        write("missing_entry_" + name, savez({k: a for k, a in arrays.items() if k != first}))
        with warnings.catch_warnings():  # zipfile warns about the duplicate name: that is the point
            warnings.simplefilter("ignore")
            write("duplicate_entry_" + stem + ".npz", stored_zip([(first + ".npy", npy(arrays[first]))] * 2))
    # Hand-made hostile archives, small models' names.
    header = npy(np.zeros(3, np.float32))
    write("huge_shape.npz", stored_zip([("head.b.npy", header.replace(b"(3,)", b"(99999999999,)"))]))
    write("garbage_header.npz", stored_zip([("head.b.npy", header[:10] + b"{'descr': [, 'shape': (((" + header[36:])]))
    write("comment.npz", stored_zip([("head.b.npy", header)]) [:-2] + struct.pack("<H", 5) + b"hello")
    overlap = bytearray(stored_zip([("a.npy", header), ("b.npy", header)]))
    central = overlap.rfind(b"PK\x01\x02")  # second entry's central record: point it at the first
    overlap[central + 42:central + 46] = struct.pack("<I", 0)
    write("overlapping_entries.npz", bytes(overlap))


if __name__ == "__main__":
    main()
