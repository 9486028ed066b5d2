#!/usr/bin/python3
"""Write the .npy fixtures that tests/test_clipping.cpp compares rnncell's clipped Adam against.

PyTorch is the independent implementation: torch.nn.utils.clip_grad_norm_ / clip_grad_value_
on three parameters with set gradients, then torch.optim.Adam(eps=1e-7), for a few steps. The
Keras formulas (global_clipnorm's scale min(c / norm, 1), epsilon added to sqrt(v) of the
uncorrected moments) are written out in numpy beside them. Float64, seeded: a rerun writes the
same numbers into fixtures/clipping/ (this folder only).

make_fixtures.py deletes the whole fixtures/ folder first: after running it, run this one too.
Run from anywhere:  /usr/bin/python3 tests/oracle/make_clipping_fixtures.py
"""
import pathlib
import shutil

import numpy as np
import torch

OUT = pathlib.Path(__file__).resolve().parent / "fixtures" / "clipping"
SIZES = (12, 4, 10)           # three parameters of distinct sizes, saved flat
# Per step, the global norm the gradients are drawn with: above the clip norm (clipped), below it
# (untouched), far above; Adam's update then depends on the ratios between steps, so a clipped
# run and an unclipped one part ways.
STEP_NORMS = (20.0, 0.3, 5.0, 50.0)
LR, BETA1, BETA2, EPS = 1e-2, 0.9, 0.999, 1e-7
MAX_NORM, CLIP_VALUE = 1.0, 0.05

torch.manual_seed(20251126)
torch.set_default_dtype(torch.float64)


def draw_gradients():
    """grads[step][k]: random directions scaled so the norm over all three is STEP_NORMS[step]."""
    out = []
    for norm in STEP_NORMS:
        gs = [torch.randn(n) for n in SIZES]
        total = torch.sqrt(sum((g * g).sum() for g in gs))
        out.append([g * (norm / total) for g in gs])
    return out


def torch_trajectory(p0, grads, clip):
    """p after each step of torch.optim.Adam, clip(params) applied to the gradients first."""
    params = [p.clone().requires_grad_() for p in p0]
    opt = torch.optim.Adam(params, lr=LR, betas=(BETA1, BETA2), eps=EPS)
    out = [[] for _ in params]
    for step in grads:
        for p, g in zip(params, step):
            p.grad = g.clone()
        clip(params)
        opt.step()
        for k, p in enumerate(params):
            out[k].append(p.detach().clone().numpy())
    return [np.stack(o) for o in out]


def keras_global_norm_trajectory(p0, grads, norm_offset=0.0):
    """Keras: g *= min(c / (norm + norm_offset), 1) with norm_offset 0, then
    p -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)."""
    q = [p.numpy().copy() for p in p0]
    m = [np.zeros(n) for n in SIZES]
    v = [np.zeros(n) for n in SIZES]
    out = [[] for _ in SIZES]
    for t, step in enumerate(grads, start=1):
        gs = [g.numpy() for g in step]
        norm = np.sqrt(sum((g * g).sum() for g in gs))
        gs = [g * min(MAX_NORM / (norm + norm_offset), 1.0) for g in gs]
        for k, g in enumerate(gs):
            m[k] = BETA1 * m[k] + (1 - BETA1) * g
            v[k] = BETA2 * v[k] + (1 - BETA2) * g * g
            q[k] = q[k] - LR * np.sqrt(1 - BETA2**t) / (1 - BETA1**t) * m[k] / (np.sqrt(v[k]) + EPS)
            out[k].append(q[k].copy())
    return [np.stack(o) for o in out]


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    p0 = [torch.randn(n) for n in SIZES]
    grads = draw_gradients()
    norm_pytorch = torch_trajectory(p0, grads, lambda ps: torch.nn.utils.clip_grad_norm_(ps, MAX_NORM))
    value_pytorch = torch_trajectory(p0, grads, lambda ps: torch.nn.utils.clip_grad_value_(ps, CLIP_VALUE))
    unclipped = torch_trajectory(p0, grads, lambda ps: None)
    norm_keras = keras_global_norm_trajectory(p0, grads)

    def max_difference(a, b):
        return max(np.abs(x - y).max() for x, y in zip(a, b))

    # Each pinned trajectory must stand far from the others at the tests' 1e-12.
    assert max_difference(norm_pytorch, unclipped) > 1e-3, "norm clipping must change the steps"
    assert max_difference(value_pytorch, unclipped) > 1e-3, "value clipping must change the steps"
    assert max_difference(norm_pytorch, norm_keras) > 1e-9, "Keras' and PyTorch's Adam must differ"
    # and the norm formulas alone (PyTorch's + 1e-6 in Keras' Adam) by far more than 1e-12
    assert max_difference(norm_keras, keras_global_norm_trajectory(p0, grads, norm_offset=1e-6)) > 1e-10
    entries = np.abs(np.concatenate([g.numpy() for step in grads for g in step]))
    assert (entries < CLIP_VALUE).sum() >= 5 and (entries > CLIP_VALUE).sum() >= 5, "clamp some, not all"

    arrays = dict(lr=LR, beta1=BETA1, beta2=BETA2, epsilon=EPS, max_norm=MAX_NORM, clip_value=CLIP_VALUE)
    for k in range(len(SIZES)):
        arrays[f"p0_{k}"] = p0[k]
        arrays[f"grads_{k}"] = torch.stack([step[k] for step in grads])
        arrays[f"p_norm_pytorch_{k}"] = norm_pytorch[k]
        arrays[f"p_norm_keras_{k}"] = norm_keras[k]
        arrays[f"p_value_pytorch_{k}"] = value_pytorch[k]
    for name, a in arrays.items():
        a = a.numpy() if torch.is_tensor(a) else np.asarray(a, dtype=np.float64)
        np.save(OUT / f"{name}.npy", np.ascontiguousarray(a.reshape(a.shape or (1,))))
    print(f"wrote {len(arrays)} files under {OUT}")


if __name__ == "__main__":
    main()
