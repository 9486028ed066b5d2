#!/usr/bin/python3
"""Writes the seed corpora of the notmnist_grid fuzz harnesses (small synthetic files, made here):

    /usr/bin/python3 examples/notmnist_grid/fuzz/make_corpus.py

corpus/png:        PNGs of every colour type and bit depth, interlaced, palette with tRNS, 1x1,
                   64x64 and 2048x1 images, text chunks, and damaged ones (truncated, bad CRC,
                   a header claiming 100000x100000 pixels).
corpus/archive:    class-folder archives (A/*.png, B/*.png) as tar, tar.gz, tar.bz2, tar.xz and
                   zip (stored and deflated), plus an empty, a truncated and a mixed one.
corpus/run_record: run files as the grid writes them (finished, failed, NaN in a history, an old
                   file without format_version, dropout rates) and a few the reader refuses.
Standard library only; no data from ../shared. Rerun it after changing a format.
"""
import io
import json
import os
import struct
import tarfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def rows_bytes(width, height, channels, depth, value):
    """Filtered scanlines (filter 0, 1, 2, 3, 4 in turn) of a diagonal ramp."""
    bits = width * channels * depth
    row_len = (bits + 7) // 8
    out = b""
    for y in range(height):
        row = bytes((value + 37 * x + 11 * y) & 0xFF for x in range(row_len))
        out += bytes([y % 5]) + row
    return out


def png(width, height, color_type, depth, interlace=0, extra=b"", value=0, idat=None):
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, interlace)
    if idat is None:
        if interlace:
            raw = b""
            for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)):
                pw, ph = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
                if pw > 0 and ph > 0:
                    raw += rows_bytes(pw, ph, channels, depth, value)
        else:
            raw = rows_bytes(width, height, channels, depth, value)
        idat = zlib.compress(raw, 9)
    plte = chunk(b"PLTE", bytes(range(48))) if color_type == 3 else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + plte + extra + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write_all(name, files):
    folder = os.path.join(HERE, "corpus", name)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        os.remove(os.path.join(folder, old))
    for file_name, data in files.items():
        with open(os.path.join(folder, file_name), "wb") as f:
            f.write(data)


def png_corpus():
    files = {
        "gray8_28x28.png": png(28, 28, 0, 8),
        "gray1_28x28.png": png(28, 28, 0, 1),
        "gray2_9x7.png": png(9, 7, 0, 2),
        "gray4_13x5.png": png(13, 5, 0, 4),
        "gray16_28x28.png": png(28, 28, 0, 16),
        "gray_alpha8_6x6.png": png(6, 6, 4, 8),
        "gray_alpha16_5x3.png": png(5, 3, 4, 16),
        "rgb8_28x28.png": png(28, 28, 2, 8),
        "rgb16_4x4.png": png(4, 4, 2, 16),
        "rgba8_7x9.png": png(7, 9, 6, 8),
        "rgba16_3x3.png": png(3, 3, 6, 16),
        "palette8_trns_8x8.png": png(8, 8, 3, 8, extra=chunk(b"tRNS", bytes([0, 128, 255]))),
        "palette4_10x3.png": png(10, 3, 3, 4),
        "interlaced_gray8_11x13.png": png(11, 13, 0, 8, interlace=1),
        "interlaced_rgba8_9x9.png": png(9, 9, 6, 8, interlace=1),
        "gray8_1x1.png": png(1, 1, 0, 8),
        "gray8_64x64.png": png(64, 64, 0, 8),
        "gray8_2048x1.png": png(2048, 1, 0, 8),
        "text_chunks.png": png(8, 8, 0, 8, extra=chunk(b"tEXt", b"Title\x00notMNIST") +
                               chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a comment")) +
                               chunk(b"gAMA", struct.pack(">I", 45455))),
        "claims_100000x100000.png": png(8, 8, 0, 8)[:16] + struct.pack(">II", 100000, 100000) + png(8, 8, 0, 8)[24:],
    }
    good = png(28, 28, 0, 8)
    files["truncated.png"] = good[: len(good) * 6 // 10]
    broken = bytearray(good)
    broken[-13] ^= 1  # the IDAT CRC's last byte (IEND is the last 12 bytes)
    files["bad_crc.png"] = bytes(broken)
    raw = rows_bytes(8, 8, 1, 8, 0)
    stream = zlib.compress(raw, 9)
    files["two_idat.png"] = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)) +
                             chunk(b"IDAT", stream[:10]) + chunk(b"IDAT", stream[10:]) + chunk(b"IEND", b""))
    files["signature_only.png"] = good[:8]
    write_all("png", files)


def tar_bytes(members, mode="w"):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode, format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def zip_bytes(members, compression):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buffer.getvalue()


def archive_corpus():
    classes = [("notMNIST_small/A/a0.png", png(8, 8, 0, 8, value=10)),
               ("notMNIST_small/A/a1.png", png(8, 8, 0, 8, value=90)),
               ("notMNIST_small/B/b0.png", png(6, 6, 2, 8, value=5)),
               ("notMNIST_small/B/empty.png", b"")]
    mixed = classes[:2] + [("notMNIST_small/B/notes.txt", b"not an image\n"), ("loose.png", png(4, 4, 0, 8)),
                           ("notMNIST_small/C/truncated.png", png(8, 8, 0, 8)[:30])]
    files = {
        "classes.tar": tar_bytes(classes),
        "classes.tar.gz": tar_bytes(classes, "w:gz"),
        "classes.tar.bz2": tar_bytes(classes, "w:bz2"),
        "classes.tar.xz": tar_bytes(classes, "w:xz"),
        "classes_stored.zip": zip_bytes(classes, zipfile.ZIP_STORED),
        "classes_deflated.zip": zip_bytes(classes, zipfile.ZIP_DEFLATED),
        "mixed.tar.gz": tar_bytes(mixed, "w:gz"),
        "empty.tar": tar_bytes([]),
    }
    files["truncated.tar.gz"] = files["classes.tar.gz"][: len(files["classes.tar.gz"]) // 2]
    write_all("archive", files)


REMOVE = object()  # a run_record() change that leaves the field out


def run_record(status="ok", epochs=2, history=None, **changes):
    history = history or {"loss": [0.9, 0.5], "accuracy": [0.7, 0.8], "val_loss": [0.8, 0.6],
                          "val_accuracy": [0.75, 0.79], "seconds_per_epoch": [1.5, 1.4]}
    record = {"format_version": 1, "config": "MGU_1l_50h", "cell": "MGU", "layers": 1, "hidden": 50, "seed": 1000,
              "epochs": epochs, "batch": 32, "lr": 0.001, "split_seed": 0, "parameter_count": 8410,
              "status": status, "history": history}
    record.update(changes)
    return json.dumps({k: v for k, v in record.items() if v is not REMOVE}, indent=1).encode()


def run_record_corpus():
    one_epoch = {"loss": [2.1], "accuracy": [0.3], "val_loss": [1.9], "val_accuracy": [0.35], "seconds_per_epoch": [3.0]}
    files = {
        "finished.json": run_record(),
        "failed.json": run_record(status="failed", history=one_epoch,
                                  failure={"epoch": 2, "message": "training loss became NaN in epoch 2"}),
        "nan_in_history.json": run_record(history={"loss": ["nan", "inf"], "accuracy": [0.7, 0.8], "val_loss": ["-inf", 0.6],
                                                   "val_accuracy": [0.75, 0.79], "seconds_per_epoch": [1.5, 1.4]}),
        "without_format_version.json": run_record(format_version=REMOVE),
        "format_version_2.json": run_record(format_version=2),
        "lr_null.json": run_record(lr=None),
        "gru_3l_256h_seed_max.json": run_record(cell="GRU", layers=3, hidden=256, seed=18446744073709551615),
        "negative_epochs.json": run_record(epochs=-1),
        "dropout.json": run_record(dropout=0.1, recurrent_dropout=0.2),
        "recurrent_dropout_1.json": run_record(recurrent_dropout=1),
    }
    write_all("run_record", files)


def main():
    png_corpus()
    archive_corpus()
    run_record_corpus()


if __name__ == "__main__":
    main()
