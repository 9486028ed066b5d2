#!/usr/bin/python3
"""Write the .npy fixtures that tests/test_oracle.cpp compares rnncell against.

PyTorch (Debian's python3-torch) is the independent implementation: autograd on the
seed-lab equations written with torch ops, torch.nn.GRU itself, torch.optim.Adam and
torch's cross-entropy. Everything is float64 and seeded, so a rerun writes the same numbers.
Scalars are saved with shape (1,). One folder per case under fixtures/.

Layouts are rnncell's (Keras row-vector): Wx (In x G*H), Wh (H x G*H), b (G*H), GRU gate
blocks [z|r|n], MGU [f|n], sequences time-major (T, B, In). Update h' = (1-z)*h + z*n.
Loss of every recurrent case: sum over t of sum(w_t * h_t), so dLoss/dh_t = w_t.
"""
import pathlib
import shutil

import numpy as np
import torch

IN, H, B, T = 5, 7, 3, 4      # odd, distinct sizes so a transposed block cannot pass
CLASSES = 4
LAYERS = 3
OUT = pathlib.Path(__file__).resolve().parent / "fixtures"

torch.manual_seed(20240607)
torch.set_default_dtype(torch.float64)


def rand(*shape, scale=0.5):
    """Normal values small enough that no gate saturates (saturated gates hide bugs)."""
    return torch.randn(*shape) * scale


def leaf(*shape):
    return rand(*shape).requires_grad_()


def save(case, **arrays):
    folder = OUT / case
    folder.mkdir(parents=True)
    for name, a in arrays.items():
        a = a.detach().numpy() if torch.is_tensor(a) else np.asarray(a)
        np.save(folder / f"{name}.npy", np.ascontiguousarray(a.reshape(a.shape or (1,))))


# ---- the equations, in our layout -------------------------------------------------------

def gru_reset_before_step(x, h, Wx, Wh, b):
    xz, xr, xn = (x @ Wx + b).split(H, -1)
    Whz, Whr, Whn = Wh.split(H, -1)
    z = torch.sigmoid(xz + h @ Whz)
    r = torch.sigmoid(xr + h @ Whr)
    n = torch.tanh(xn + (r * h) @ Whn)
    return (1 - z) * h + z * n


def gru_reset_after_step(x, h, Wx, Wh, b, bh):
    xz, xr, xn = (x @ Wx + b).split(H, -1)
    hz, hr, hn = (h @ Wh + bh).split(H, -1)
    z = torch.sigmoid(xz + hz)
    r = torch.sigmoid(xr + hr)
    n = torch.tanh(xn + r * hn)
    return (1 - z) * h + z * n


def mgu_step(x, h, Wx, Wh, b):
    xf, xn = (x @ Wx + b).split(H, -1)
    Whf, Whn = Wh.split(H, -1)
    f = torch.sigmoid(xf + h @ Whf)
    n = torch.tanh(xn + (f * h) @ Whn)
    return (1 - f) * h + f * n


def run(step, x, h0, params):
    hs, h = [], h0
    for t in range(x.shape[0]):
        h = step(x[t], h, *params)
        hs.append(h)
    return torch.stack(hs)


def weighted_loss(hs, w):
    return (hs * w).sum()


def cell_params(in_width, gates):
    return {"Wx": leaf(in_width, gates * H), "Wh": leaf(H, gates * H), "b": leaf(gates * H)}


def with_grads(params, prefix=""):
    """name -> value and d<name> -> gradient, e.g. layer0_Wx and layer0_dWx."""
    out = {}
    for name, p in params.items():
        out[prefix + name] = p
        out[prefix + "d" + name] = p.grad
    return out


# ---- cases -------------------------------------------------------------------------------

def single_cell_case(case, step, gates):
    x, h0, w = leaf(T, B, IN), leaf(B, H), rand(T, B, H)
    params = cell_params(IN, gates)
    hs = run(step, x, h0, params.values())
    loss = weighted_loss(hs, w)
    loss.backward()
    save(case, x=x, h0=h0, w=w, hs=hs, loss=loss, dx=x.grad, dh0=h0.grad, **with_grads(params))


def stacked_case(case):
    x, h0, w = leaf(T, B, IN), leaf(LAYERS, B, H), rand(T, B, H)
    layers = [cell_params(IN if i == 0 else H, 3) for i in range(LAYERS)]
    hs = x
    for i, params in enumerate(layers):
        hs = run(gru_reset_before_step, hs, h0[i], params.values())
    loss = weighted_loss(hs, w)
    loss.backward()
    named = {}
    for i, params in enumerate(layers):
        named.update(with_grads(params, prefix=f"layer{i}_"))
    save(case, x=x, h0=h0, w=w, hs=hs, loss=loss, dx=x.grad, dh0=h0.grad, **named)


def pytorch_to_ours(m):
    """PyTorch stacks gate rows [r|z|n] with h' = z*h + (1-z)*n; ours is [z|r|n] with
    h' = (1-z)*h + z*n, i.e. z_ours = 1 - z_torch = sigmoid(-a): negate the z block."""
    r, z, n = m.split(H, 0)
    ours = torch.cat([-z, r, n], 0)
    return ours.T if ours.dim() == 2 else ours


def torch_gru_case(case):
    gru = torch.nn.GRU(IN, H, num_layers=1)
    x, h0, w = leaf(T, B, IN), leaf(B, H), rand(T, B, H)
    hs, _ = gru(x, h0.unsqueeze(0))
    loss = weighted_loss(hs, w)
    loss.backward()
    torch_params = dict(gru.named_parameters())

    # Prove the mapping before the C++ side relies on it: the hand-written reset-after GRU
    # with mapped weights gives the same outputs and, mapped back, the same gradients.
    names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    ours = [pytorch_to_ours(torch_params[n].detach()).requires_grad_() for n in names]
    x2, h02 = x.detach().clone().requires_grad_(), h0.detach().clone().requires_grad_()
    hs2 = run(gru_reset_after_step, x2, h02, ours)
    weighted_loss(hs2, w).backward()
    assert torch.allclose(hs2, hs, rtol=0, atol=1e-12)
    assert torch.allclose(x2.grad, x.grad, rtol=0, atol=1e-12)
    assert torch.allclose(h02.grad, h0.grad, rtol=0, atol=1e-12)
    for name, mine in zip(names, ours):
        # the mapping is linear and its own inverse up to transpose/reorder: map the
        # torch gradient the same way and compare in our layout
        assert torch.allclose(mine.grad, pytorch_to_ours(torch_params[name].grad), rtol=0, atol=1e-12), name

    grads = {"d" + n: torch_params[n].grad for n in names}
    save(case, x=x, h0=h0, w=w, hs=hs, loss=loss, dx=x.grad, dh0=h0.grad,
         **{n: torch_params[n] for n in names}, **grads)


def adam_case(case, lr=1e-3, b1=0.9, b2=0.999, eps=1e-7, size=6, steps=3):
    p0 = rand(size, scale=1.0)
    # magnitudes 1e-4..1e-1: where sqrt(v) is not far above eps the two styles differ
    magnitude = 10.0 ** torch.empty(steps, size).uniform_(-4, -1)
    grads = magnitude * torch.sign(torch.randn(steps, size))

    p = p0.clone().requires_grad_()
    opt = torch.optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps)
    p_pytorch = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        p_pytorch.append(p.detach().clone())
    p_pytorch = torch.stack(p_pytorch).numpy()

    # Keras / TF2: the bias corrections are folded into the step size, eps is not corrected.
    def trajectory(keras):
        q, m, v, out = p0.numpy().copy(), np.zeros(size), np.zeros(size), []
        for t, g in enumerate(grads.numpy(), start=1):
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            if keras:
                q = q - lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
            else:
                q = q - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
            out.append(q.copy())
        return np.stack(out)

    assert np.allclose(trajectory(keras=False), p_pytorch, rtol=0, atol=1e-15)
    p_keras = trajectory(keras=True)
    assert np.abs(p_keras - p_pytorch).max() > 1e-7, "styles must differ measurably"
    save(case, p0=p0, grads=grads, p_pytorch=p_pytorch, p_keras=p_keras,
         lr=lr, beta1=b1, beta2=b2, epsilon=eps)


def dense_ce_case(case):
    h, W, b = leaf(B, H), leaf(H, CLASSES), leaf(CLASSES)
    labels = torch.randint(0, CLASSES, (B,), dtype=torch.int64)
    logits = h @ W + b
    logits.retain_grad()
    loss = torch.nn.functional.cross_entropy(logits, labels)  # mean over the batch
    loss.backward()
    save(case, h=h, W=W, b=b, labels=labels, logits=logits, loss=loss,
         dlogits=logits.grad, dW=W.grad, db=b.grad, dh=h.grad)


CASES = ["gru_reset_before", "mgu", "stacked3_gru", "torch_gru", "adam", "dense_ce"]


def main():
    for case in CASES:  # no stale fixture of this script's cases may survive a regeneration
        shutil.rmtree(OUT / case, ignore_errors=True)
    single_cell_case("gru_reset_before", gru_reset_before_step, gates=3)
    single_cell_case("mgu", mgu_step, gates=2)
    stacked_case("stacked3_gru")
    torch_gru_case("torch_gru")
    adam_case("adam")
    dense_ce_case("dense_ce")
    written = [f for case in CASES for f in (OUT / case).rglob("*.npy")]
    print(f"wrote {len(written)} files, {sum(f.stat().st_size for f in written)} bytes, under {OUT}")


if __name__ == "__main__":
    main()
