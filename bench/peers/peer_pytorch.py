#!/usr/bin/python3
"""PyTorch peer: the seed's training workload as a PyTorch user writes it, 1 thread, float32.

gru_ra: torch.nn.GRU (PyTorch's GRU is reset-after) + Linear + cross_entropy.
lstm: torch.nn.LSTM (gates [i, f, g, o], as ours) + Linear + cross_entropy.
gru_rb, mgu: PyTorch has no such layer, so the fastest formulation a user would write: a
torch.jit.script layer function whose input projection of all T steps is one matmul (addmm)
before the loop, with the recurrent products and gate math per step inside the scripted loop.

Passes (each timed as the median of repetitions after a warm-up, same rule as the C++ peers):
  forward     the recurrent stack + Linear under torch.no_grad()
  fwd_bwd     zero_grad, forward, cross_entropy, backward
  train_step  fwd_bwd + torch.optim.Adam step (lr 1e-3, eps 1e-7, foreach=True: no slower here)
Prints one JSON object per line (bench/report.py reads them). Needs Debian's python3-torch: run
with /usr/bin/python3. glibc's malloc settings cannot be changed from inside the process, so
bench/run-peers.sh starts this with MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ and
MALLOC_TOP_PAD_ large and OMP_WAIT_POLICY=PASSIVE; the records say which settings were in force.
"""
import argparse
import json
import os
import statistics
import sys
import time
from typing import List

import torch
import torch.nn.functional as F
from torch import Tensor

STEPS, INPUT, CLASSES = 28, 28, 10
TUNING_VARS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "OMP_WAIT_POLICY",
               "OMP_NUM_THREADS")


@torch.jit.script
def hoisted_projection(x: Tensor, wx: Tensor, b: Tensor) -> Tensor:
    """x Wx + b for all T steps in one matmul: (T, B, In) -> (T, B, G*H)."""
    return torch.addmm(b, x.reshape(-1, x.size(2)), wx).view(x.size(0), x.size(1), -1)


@torch.jit.script
def mgu_layer(x: Tensor, wx: Tensor, wh_f: Tensor, wh_n: Tensor, b: Tensor) -> Tensor:
    xp = hoisted_projection(x, wx, b)
    h = torch.zeros(x.size(1), wh_f.size(0), dtype=x.dtype)
    outs: List[Tensor] = []
    for t in range(x.size(0)):
        xf, xn = xp[t].chunk(2, 1)
        f = torch.sigmoid(xf + torch.mm(h, wh_f))
        n = torch.tanh(xn + torch.mm(f * h, wh_n))
        h = h + f * (n - h)
        outs.append(h)
    return torch.stack(outs)


@torch.jit.script
def gru_reset_before_layer(x: Tensor, wx: Tensor, wh_zr: Tensor, wh_n: Tensor, b: Tensor) -> Tensor:
    hidden = wh_n.size(0)
    xp = hoisted_projection(x, wx, b)
    h = torch.zeros(x.size(1), hidden, dtype=x.dtype)
    outs: List[Tensor] = []
    for t in range(x.size(0)):
        xzr, xn = xp[t].split([2 * hidden, hidden], 1)
        z, r = torch.sigmoid(xzr + torch.mm(h, wh_zr)).chunk(2, 1)
        n = torch.tanh(xn + torch.mm(r * h, wh_n))
        h = h + z * (n - h)
        outs.append(h)
    return torch.stack(outs)


class ScriptedStack(torch.nn.Module):
    """L layers of a scripted cell; Keras layout: Wx (In x GH), Wh split as the loop uses it."""

    def __init__(self, layer_fn, gates: int, first_block: int, layers: int, hidden: int):
        super().__init__()
        self.layer_fn = layer_fn
        self.params = torch.nn.ParameterList()
        for l in range(layers):
            width = INPUT if l == 0 else hidden
            limit = (6.0 / (width + 2 * hidden)) ** 0.5
            u = lambda *shape: torch.nn.Parameter(torch.empty(*shape).uniform_(-limit, limit))
            self.params.extend([u(width, gates * hidden), u(hidden, first_block * hidden),
                                u(hidden, hidden), torch.nn.Parameter(torch.zeros(gates * hidden))])

    def forward(self, x: Tensor) -> Tensor:
        p = list(self.params)
        for l in range(0, len(p), 4):
            x = self.layer_fn(x, p[l], p[l + 1], p[l + 2], p[l + 3])
        return x[-1]


class LastStep(torch.nn.Module):
    """A torch.nn recurrent layer (nn.GRU, nn.LSTM) whose output is its top layer's last h."""

    def __init__(self, rnn: torch.nn.Module):
        super().__init__()
        self.rnn = rnn

    def forward(self, x: Tensor) -> Tensor:
        return self.rnn(x)[0][-1]


def make_stack(cell: str, layers: int, hidden: int) -> torch.nn.Module:
    if cell == "gru_ra":
        return LastStep(torch.nn.GRU(INPUT, hidden, num_layers=layers))
    if cell == "lstm":
        return LastStep(torch.nn.LSTM(INPUT, hidden, num_layers=layers))
    if cell == "gru_rb":
        return ScriptedStack(gru_reset_before_layer, 3, 2, layers, hidden)
    if cell == "mgu":
        return ScriptedStack(mgu_layer, 2, 1, layers, hidden)
    raise ValueError(f"unknown cell '{cell}': expected gru_ra, gru_rb, mgu or lstm")


def median_ms(run_once, min_time: float, warmup: int = 5) -> float:
    for _ in range(warmup):  # also lets the TorchScript profiling executor specialise
        run_once()
    times = []
    start = time.perf_counter()
    while len(times) < 5 or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        run_once()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def measure(cell: str, layers: int, hidden: int, batch: int, min_time: float, note: str):
    torch.manual_seed(42)
    stack = make_stack(cell, layers, hidden)
    head = torch.nn.Linear(hidden, CLASSES)
    params = list(stack.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-7, foreach=True)
    x = torch.rand(STEPS, batch, INPUT)
    y = torch.randint(0, CLASSES, (batch,))

    def forward():
        with torch.no_grad():
            head(stack(x))

    def fwd_bwd():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(head(stack(x)), y).backward()

    def train_step():
        fwd_bwd()
        opt.step()

    for name, fn in (("forward", forward), ("fwd_bwd", fwd_bwd), ("train_step", train_step)):
        ms = median_ms(fn, min_time)
        print(json.dumps({"tool": "pytorch", "cell": cell, "layers": layers, "hidden": hidden,
                          "batch": batch, "pass": name, "ms": ms, "note": note}), flush=True)


def int_list(text: str) -> List[int]:
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': expected integers separated by commas")
    if any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"'{text}': expected positive integers")
    return values


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int_list, default=[32, 128])
    ap.add_argument("--hiddens", type=int_list, default=[50, 128, 256])
    ap.add_argument("--layers", type=int_list, default=[1, 2, 3])
    ap.add_argument("--cells", default="gru_ra,gru_rb,mgu,lstm")
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds per measurement")
    args = ap.parse_args()
    torch.set_num_threads(1)
    settings = ", ".join(f"{k}={os.environ.get(k, 'unset')}" for k in TUNING_VARS)
    note = f"torch {torch.__version__}, {torch.get_num_threads()} thread; {settings}"
    for batch in args.batches:
        for cell in args.cells.split(","):
            for layers in args.layers:
                for hidden in args.hiddens:
                    measure(cell, layers, hidden, batch, args.min_time, note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
