"""The sequence-model section of bench/RESULTS.md (issue 13): RLtools' GRU benchmark model, one
train step, RLtools' builds (bench/peers/peer_rltools.cpp) beside ours (the cases of
rnncell_bench_sequence_model_{default,native} that match sequence_model.*train). bench/run-peers.sh
writes their raw results as seq.<setting>.<round>.rltools-<backend>_<build>.jsonl and
seq.<setting>.<round>.rnncell_bench_sequence_model_<build>.json.
"""
import glob
import os

from report_common import BUILDS, SETTINGS, fmt, goal_line, kernel_paths, read_jsonl, read_ours


def load_sequence(folder):
    """The sequence-model records (RLtools' peer and ours): best ms per train step
    {(setting, tool, build or case name): ms} (ours' tools: rnncell-<build>), the RLtools builds
    that did not train, and the kernel paths ours took {(setting, build): {path}}."""
    best, untrained, paths = {}, [], {}

    def keep(key, ms):
        best[key] = min(ms, best.get(key, float("inf")))

    for path in sorted(glob.glob(os.path.join(folder, "seq.*.jsonl"))):
        setting = os.path.basename(path).split(".")[1]
        for r in read_jsonl(path):
            if r["ns_per_train_step"] < 0:
                untrained.append(f"{r['tool']} ({r['build']}, BLAS {setting}): loss {r['loss_initial']:.3f} -> "
                                 f"{r['loss_trained']:.3f} after {r['check_steps']} steps")
                continue
            keep((setting, r["tool"], r["build"]), r["ns_per_train_step"] / 1e6)
    for path in sorted(glob.glob(os.path.join(folder, "seq.*.rnncell_bench_*.json"))):
        setting = os.path.basename(path).split(".")[1]
        context, times = read_ours(path)
        build = context["rnncell_build"]
        paths.setdefault((setting, build), set()).add(context["rnncell_kernel_path"])
        for name, ms in times:
            keep((setting, f"rnncell-{build}", name), ms)
    return best, untrained, paths


RLTOOLS_BUILDS = (("generic", "default"), ("generic", "native"), ("openblas", "default"),
                  ("openblas", "native"), ("openblas", "ofast"))


def sequence_section(best, untrained, paths, commit):
    """Goal lines and tables for the RLtools comparison (issue 13), ours in both builds."""
    ours = sorted({k[2] for k in best if k[1].startswith("rnncell-")})
    fastest = {}
    for s in SETTINGS:
        timed = [(best[(s, f"rltools-{b}", f)], f"{b} {f}") for b, f in RLTOOLS_BUILDS if (s, f"rltools-{b}", f) in best]
        if timed:
            fastest[s] = min(timed)
    goals = []
    for build in BUILDS:
        for s in SETTINGS:
            ratios = [(best[(s, f"rnncell-{build}", n)] / fastest[s][0], n) for n in ours
                      if (s, f"rnncell-{build}", n) in best and s in fastest]
            goals.append(goal_line(f"ours ({build}) / RLtools' fastest build "
                                   f"({fastest[s][1] if s in fastest else '?'}), BLAS {s}",
                                   max(ratios) if ratios else None, 0.8))
    out = ["", "## Goals (sequence model, issue 13)", ""] + goals
    out += ["", "## Sequence model: RLtools' GRU benchmark model, ms per train step", "",
            f"RLtools {commit}, its model of tests/src/nn/layers/gru (B = 32, T = 64, embedding 256 x 32, "
            "GRU 64, Dense 64 -> 32 -> 256, loss at every step, Adam), random tokens; one train step = forward, "
            "softmax-CE gradient, zero gradients, BPTT, Adam (bench/README.md, \"Sequence model against RLtools\", has "
            "the details ours must match). Builds: `default` the compiler's defaults (-O3), `native` -O3 -march=native, `ofast` "
            "-Ofast -march=native (RLtools' own flags for its example; OpenBLAS backend only). Ours: "
            "`rnncell_bench_sequence_model_{default,native}`, the same two builds; its kernels ran: "
            + "; ".join(f"BLAS {s}: {kernel_paths(paths, s)}" for s in SETTINGS) + "."]
    out += [f"- {u}: did not train, not timed" for u in untrained]
    out += ["", "| tool | build | " + " | ".join(f"ms, BLAS {s} | ours / this, default / native, BLAS {s}"
                                                 for s in SETTINGS) + " |",
            "|---|---|" + "---|---|" * len(SETTINGS)]
    ratio = lambda a, b: None if a is None or b is None else a / b
    first_ours = {(s, b): next((best[(s, f"rnncell-{b}", n)] for n in ours if (s, f"rnncell-{b}", n) in best), None)
                  for s in SETTINGS for b in BUILDS}
    for b, f in RLTOOLS_BUILDS:
        cells = []
        for s in SETTINGS:
            t = best.get((s, f"rltools-{b}", f))
            cells += [fmt(t), " / ".join(fmt(ratio(first_ours[(s, build)], t)) for build in BUILDS)]
        out.append(f"| RLtools {b} | {f} | " + " | ".join(cells) + " |")
    for n in ours:
        for build in BUILDS:
            out.append(f"| rnncell `{n}` | {build} | "
                       + " | ".join(f"{fmt(best.get((s, f'rnncell-{build}', n)))} | –" for s in SETTINGS) + " |")
    if not ours:
        out.append("| rnncell (no sequence_model train case built) | – | " + " | ".join("– | –" for _ in SETTINGS) + " |")
    if len(ours) > 1:
        out.append("\nThe ratio columns use the first of ours' cases measured under that setting.")
    return out
