#!/usr/bin/python3
"""Write the dropout fixtures: a 2-layer stack of our cells with dropout inside the cells (Keras
semantics: one input mask and one recurrent mask per sequence, the same at every step) and between
the layers (PyTorch semantics: nn.GRU(dropout=p), a fresh value per step and element), its
equations written with torch ops in float64 and differentiated by autograd. The masks are drawn
exactly as the library draws them from rnncell::rng(seed).

The generator: xoshiro256** whose four state words are splitmix64's first four outputs from seed
(as in make_rng_jump_values.py). A mask of n values for rate p is drawn row-major, four values per
next_u64(), its 16-bit quarters from the lowest up (the last output's unused quarters are
discarded); a value is 0 if its 16 bits are below int(p * 2^16), else 1 / (1 - p)
(include/rnncell/detail/dropout.hpp). Masks are drawn in this order for one forward of
the stack:
  1. layer 0 input mask (B, In); 2. layer 0 recurrent mask (B, H); 3. the between-layers mask on
  layer 0's outputs (T, B, H), index order t, b, j; 4. layer 1 input mask (B, H); 5. layer 1
  recurrent mask (B, H).

Cells (row-vector layout, gate blocks side by side; x' = x * m_in, hr = h * m_rec, the recurrent
mask only where h enters a recurrent product, never the blend or carry; s = sigmoid):
  gru_rb [z|r|n]: z = s(x'Wxz + hr Whz + bz), r alike, n = tanh(x'Wxn + (r * hr) Whn + bn),
                  h' = (1 - z) h + z n
  gru_ra [z|r|n], with bh: z = s(x'Wxz + bz + hr Whz + bhz), r alike, q = hr Whn + bhn,
                  n = tanh(x'Wxn + bn + r * q), h' = (1 - z) h + z n
  mgu    [f|n]:   f = s(x'Wxf + hr Whf + bf), n = tanh(x'Wxn + (f * hr) Whn + bn), h' = (1 - f) h + f n
  lstm   [i|f|g|o], state [h|c]: a = x'Wx + hr Wh + b, c' = s(a_f) c + s(a_i) tanh(a_g),
                  h' = s(a_o) tanh(c')
In = 3, H = 4, T = 5, B = 4, lengths [4, 1, 5, 2] (past its length a sequence's state is held),
zero initial states. Layer 1 reads (layer 0's outputs * the between mask) and applies its own input
mask on top. Rates: dropout 0.3, recurrent_dropout 0.4 (both layers), between 0.25.
  out = layer 1's h_1..h_T (T, B, H), held past each length; last = layer 1's h at each sequence's
  own length (B, H); loss = sum(w * out) + sum(v * last), w zero past each length.

Written to fixtures/dropout/<cell>.npz (numpy.savez, every array float64): layer0.Wx, layer0.Wh,
layer0.b (layer0.bh for gru_ra), layer1.* alike, grad.<each parameter>, x, lengths, w, v, out,
last, grad.x, mask.layer0.input, mask.layer0.recurrent, mask.between0, mask.layer1.input,
mask.layer1.recurrent, and shape-(1,) seed, p.dropout, p.recurrent_dropout, p.between. Fixture k
(k = 0..3 in the order gru_rb, gru_ra, mgu, lstm) uses seed 20261206 + k both for rng(seed) and
torch.manual_seed, so a rerun writes identical files.

Before writing, the script checks itself and stops on a failure: rng(0)'s first outputs against
the values tests/test_random.cpp pins; with every rate 0, the gru_ra stack against
torch.nn.GRU(3, 4, num_layers=2) and the lstm stack against torch.nn.LSTM(3, 4, num_layers=2) over
the same lengths (pack_padded_sequence), outputs and gradients within 1e-12; and, for each fixture,
autograd against central finite differences on a few entries of every parameter and of x (masks
fixed), relative error below 1e-6. Run from anywhere:
    /usr/bin/python3 tests/oracle/make_dropout_fixtures.py
"""
import pathlib

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from xoshiro import seeded_state, step

OUT = pathlib.Path(__file__).resolve().parent / "fixtures" / "dropout"
IN, H, T, B = 3, 4, 5, 4
LENGTHS = [4, 1, 5, 2]
DROPOUT, RECURRENT_DROPOUT, BETWEEN = 0.3, 0.4, 0.25
CELLS = ["gru_rb", "gru_ra", "mgu", "lstm"]
GATES = {"gru_rb": 3, "gru_ra": 3, "mgu": 2, "lstm": 4}
BASE_SEED = 20261206

# --- rnncell::rng: xoshiro256** seeded by splitmix64 (xoshiro.py) ------------------------------

class Rng:
    def __init__(self, seed):
        self.s = seeded_state(seed)

    def next_u64(self):
        return step(self.s)

    def mask(self, shape, p):
        """Row-major, four values per next_u64() (16-bit quarters, lowest first): 0 if below
        int(p * 2^16), else 1 / (1 - p)."""
        n = int(np.prod(shape))
        keep = 1.0 / (1.0 - p)
        threshold = int(p * 65536.0)
        quarters = []
        while len(quarters) < n:
            bits = self.next_u64()
            quarters += [(bits >> (16 * q)) & 0xFFFF for q in range(4)]
        return torch.tensor([0.0 if u < threshold else keep for u in quarters[:n]]).reshape(shape)


def draw_masks(seed):
    g = Rng(seed)
    return {  # dict order is the draw order
        "mask.layer0.input": g.mask((B, IN), DROPOUT),
        "mask.layer0.recurrent": g.mask((B, H), RECURRENT_DROPOUT),
        "mask.between0": g.mask((T, B, H), BETWEEN),
        "mask.layer1.input": g.mask((B, H), DROPOUT),
        "mask.layer1.recurrent": g.mask((B, H), RECURRENT_DROPOUT),
    }


def ones_masks():
    return {"mask.layer0.input": torch.ones(B, IN), "mask.layer0.recurrent": torch.ones(B, H),
            "mask.between0": torch.ones(T, B, H), "mask.layer1.input": torch.ones(B, H),
            "mask.layer1.recurrent": torch.ones(B, H)}


# --- the cells and the stack -----------------------------------------------------------------------
def blocks(a, g):
    return [a[..., k * H:(k + 1) * H] for k in range(g)]


def cell_step(kind, p, x, h, c, m_rec):
    """One step of `kind` from (h, c) on the already input-masked x; returns (h', c')."""
    s = torch.sigmoid
    hr = h * m_rec
    if kind == "gru_rb":
        ax, ah, b = blocks(x @ p["Wx"], 3), blocks(hr @ p["Wh"][:, :2 * H], 2), blocks(p["b"], 3)
        z = s(ax[0] + ah[0] + b[0])
        r = s(ax[1] + ah[1] + b[1])
        n = torch.tanh(ax[2] + (r * hr) @ p["Wh"][:, 2 * H:] + b[2])
        return (1 - z) * h + z * n, c
    if kind == "gru_ra":
        ax, ah = blocks(x @ p["Wx"], 3), blocks(hr @ p["Wh"], 3)
        b, bh = blocks(p["b"], 3), blocks(p["bh"], 3)
        z = s(ax[0] + b[0] + ah[0] + bh[0])
        r = s(ax[1] + b[1] + ah[1] + bh[1])
        q = ah[2] + bh[2]
        n = torch.tanh(ax[2] + b[2] + r * q)
        return (1 - z) * h + z * n, c
    if kind == "mgu":
        ax, b = blocks(x @ p["Wx"], 2), blocks(p["b"], 2)
        f = s(ax[0] + hr @ p["Wh"][:, :H] + b[0])
        n = torch.tanh(ax[1] + (f * hr) @ p["Wh"][:, H:] + b[1])
        return (1 - f) * h + f * n, c
    if kind == "lstm":
        a = blocks(x @ p["Wx"] + hr @ p["Wh"] + p["b"], 4)
        i, f, g, o = s(a[0]), s(a[1]), torch.tanh(a[2]), s(a[3])
        c2 = f * c + i * g
        return o * torch.tanh(c2), c2
    raise ValueError(kind)


def run_layer(kind, p, xs, m_in, m_rec):
    """xs (T, B, width) -> outputs (T, B, H), each sequence's state held past its length."""
    h = torch.zeros(B, H)
    c = torch.zeros(B, H)
    alive = torch.tensor([[[1.0 if t < n else 0.0] for n in LENGTHS] for t in range(T)]) > 0  # (T, B, 1)
    outs = []
    for t in range(T):
        h2, c2 = cell_step(kind, p, xs[t] * m_in, h, c, m_rec)
        h = torch.where(alive[t], h2, h)
        c = torch.where(alive[t], c2, c)
        outs.append(h)
    return torch.stack(outs)


def run_stack(kind, params, x, masks):
    out0 = run_layer(kind, params[0], x, masks["mask.layer0.input"], masks["mask.layer0.recurrent"])
    out1 = run_layer(kind, params[1], out0 * masks["mask.between0"], masks["mask.layer1.input"],
                     masks["mask.layer1.recurrent"])
    last = torch.stack([out1[n - 1, b] for b, n in enumerate(LENGTHS)])
    return out1, last


def make_params(kind):
    g = GATES[kind]
    params = []
    for width in (IN, H):
        p = {"Wx": torch.empty(width, g * H), "Wh": torch.empty(H, g * H), "b": torch.empty(g * H)}
        if kind == "gru_ra":
            p["bh"] = torch.empty(g * H)
        for v in p.values():
            v.uniform_(-0.5, 0.5)
        params.append(p)
    return params


def leaves(params, x):
    return [(f"layer{l}.{k}", v) for l, p in enumerate(params) for k, v in p.items()] + [("x", x)]


# --- self-checks -----------------------------------------------------------------------------------
def check_rng():
    g = Rng(0)
    first = [g.next_u64() for _ in range(3)]
    print("rng(0) first outputs:", ", ".join(f"0x{u:016x}" for u in first))
    assert first[:2] == [0x99EC5F36CB75F2B4, 0xBF6E1F784956452A], "differs from tests/test_random.cpp"
    print("  the first two match the values pinned in tests/test_random.cpp")


def check_finite_differences(kind, params, x, w, v, masks):
    """Central differences on 3 entries of every parameter and of x; returns the worst relative error."""
    def loss():
        out, last = run_stack(kind, params, x, masks)
        return float((w * out).sum() + (v * last).sum())

    worst, eps = 0.0, 1e-5
    with torch.no_grad():
        for name, t in leaves(params, x):
            flat = t.view(-1)
            for idx in np.random.RandomState(len(name)).choice(flat.numel(), 3, replace=False):
                old = flat[idx].item()
                flat[idx] = old + eps
                up = loss()
                flat[idx] = old - eps
                down = loss()
                flat[idx] = old
                numeric = (up - down) / (2 * eps)
                exact = t.grad.view(-1)[idx].item()
                rel = abs(numeric - exact) / max(abs(exact), abs(numeric), 1e-3)
                worst = max(worst, rel)
    assert worst < 1e-6, (kind, worst)
    return worst


def check_against_torch(kind):
    """All rates 0: our gru_ra / lstm stack equals torch.nn.GRU / nn.LSTM(3, 4, num_layers=2)."""
    torch.manual_seed(7)
    rnn = (torch.nn.GRU if kind == "gru_ra" else torch.nn.LSTM)(IN, H, num_layers=2)
    for p in rnn.parameters():
        torch.nn.init.uniform_(p, -0.5, 0.5)
    x = torch.empty(T, B, IN).uniform_(-1, 1)
    w = torch.empty(T, B, H).uniform_(-1, 1)
    for b, n in enumerate(LENGTHS):
        w[n:, b] = 0
    v = torch.empty(B, H).uniform_(-1, 1)

    def gru_cols(m):  # torch rows [r|z|n] (z = our 1 - z) -> our columns [z|r|n]
        r, z, n = m[:H], m[H:2 * H], m[2 * H:]
        return torch.cat([-z, r, n]).T if m.dim() == 2 else torch.cat([-z, r, n])

    def ours_from(get):  # our parameter (or gradient) tensors from torch's, by name
        out = []
        for l in range(2):
            wi, wh, bi, bh = (get(f"{k}_l{l}") for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
            if kind == "gru_ra":
                out.append({"Wx": gru_cols(wi), "Wh": gru_cols(wh), "b": gru_cols(bi), "bh": gru_cols(bh)})
            else:
                out.append({"Wx": wi.T, "Wh": wh.T, "b": bi + bh})
        return out

    named = dict(rnn.named_parameters())
    params = [{k: t.detach().clone().requires_grad_() for k, t in p.items()}
              for p in ours_from(lambda n: named[n])]
    xo = x.clone().requires_grad_()
    out, last = run_stack(kind, params, xo, ones_masks())
    ((w * out).sum() + (v * last).sum()).backward()

    xt = x.clone().requires_grad_()
    packed_out, state = rnn(pack_padded_sequence(xt, torch.tensor(LENGTHS), enforce_sorted=False))
    tout, _ = pad_packed_sequence(packed_out, total_length=T)
    tlast = (state[0] if isinstance(state, tuple) else state)[-1]
    ((w * tout).sum() + (v * tlast).sum()).backward()

    alive = torch.tensor([[[1.0 if t < n else 0.0] for n in LENGTHS] for t in range(T)])
    diffs = [(out * alive - tout).abs().max(), (last - tlast).abs().max(), (xo.grad - xt.grad).abs().max()]
    if kind == "lstm":  # d/d bias_ih = d/d bias_hh = d/d b
        named_grads = {n: t.grad for n, t in named.items()}
        expected = [{"Wx": g["Wx"], "Wh": g["Wh"], "b": named_grads[f"bias_ih_l{l}"]}
                    for l, g in enumerate(ours_from(lambda n: named_grads[n]))]
    else:  # the map is a signed permutation, its own transpose-inverse
        expected = ours_from(lambda n: named[n].grad)
    for p, e in zip(params, expected):
        diffs += [(p[k].grad - e[k]).abs().max() for k in p]
    worst = max(float(d) for d in diffs)
    assert worst < 1e-12, (kind, worst)
    return worst


# --- the fixtures ----------------------------------------------------------------------------------
def write(k, kind):
    seed = BASE_SEED + k
    torch.manual_seed(seed)
    params = make_params(kind)
    x = torch.empty(T, B, IN).uniform_(-1, 1)
    w = torch.empty(T, B, H).uniform_(-1, 1)
    for b, n in enumerate(LENGTHS):
        w[n:, b] = 0
    v = torch.empty(B, H).uniform_(-1, 1)
    masks = draw_masks(seed)
    for _, t in leaves(params, x):
        t.requires_grad_()
    out, last = run_stack(kind, params, x, masks)
    ((w * out).sum() + (v * last).sum()).backward()
    fd = check_finite_differences(kind, params, x, w, v, masks)

    arrays = {name: t.detach().numpy() for name, t in leaves(params, x)}
    arrays.update({f"grad.{name}": t.grad.numpy() for name, t in leaves(params, x)})
    arrays.update(lengths=np.array(LENGTHS, dtype=np.float64), w=w.numpy(), v=v.numpy(),
                  out=out.detach().numpy(), last=last.detach().numpy())
    arrays.update({name: m.numpy() for name, m in masks.items()})
    arrays.update({"seed": np.array([seed], dtype=np.float64), "p.dropout": np.array([DROPOUT]),
                   "p.recurrent_dropout": np.array([RECURRENT_DROPOUT]), "p.between": np.array([BETWEEN])})
    assert all(a.dtype == np.float64 for a in arrays.values())
    np.savez(OUT / f"{kind}.npz", **arrays)
    dropped = {name: int((m == 0).sum()) for name, m in masks.items()}
    print(f"{kind}: seed {seed}, {len(arrays)} arrays, finite differences worst rel. error {fd:.2e}, "
          f"zeros per mask {dropped}")
    return len(arrays)


def main():
    torch.set_default_dtype(torch.float64)
    check_rng()
    for kind in ("gru_ra", "lstm"):
        print(f"rates 0, {kind} stack vs torch.nn.{'GRU' if kind == 'gru_ra' else 'LSTM'}: "
              f"max abs difference (out, last, every gradient) {check_against_torch(kind):.2e}")
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob("*.npz"):
        f.unlink()
    n = sum(write(k, kind) for k, kind in enumerate(CELLS))
    print(f"wrote {n} arrays into {OUT}")


if __name__ == "__main__":
    main()
