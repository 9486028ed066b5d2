"""The sequence-model section of bench/RESULTS.md (issue 13): RLtools' GRU benchmark model, one
train step, RLtools' builds (bench/peers/peer_rltools.cpp) beside ours (the cases of
rnncell_bench_sequence_model that match sequence_model.*train). bench/run-peers.sh writes their
raw results as seq.<setting>.<round>.rltools-<backend>_<build>.jsonl and
seq.<setting>.<round>.rnncell.json.
"""
import glob
import json
import os
import sys

from report_common import SETTINGS, fmt, goal_line


def load_sequence(folder):
    """The sequence-model records (RLtools' peer and ours): best ms per train step
    {(setting, tool, build or case name): ms}, and the RLtools builds that did not train."""
    best, untrained = {}, []

    def keep(key, ms):
        best[key] = min(ms, best.get(key, float("inf")))

    for path in sorted(glob.glob(os.path.join(folder, "seq.*.jsonl"))):
        setting = os.path.basename(path).split(".")[1]
        with open(path) as f:
            for line_no, line in enumerate(f, 1):
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{line_no}: not a JSON record ({e})")
                if r["ns_per_train_step"] < 0:
                    untrained.append(f"{r['tool']} ({r['build']}, BLAS {setting}): loss {r['loss_initial']:.3f} -> "
                                     f"{r['loss_trained']:.3f} after {r['check_steps']} steps")
                    continue
                keep((setting, r["tool"], r["build"]), r["ns_per_train_step"] / 1e6)
    to_ms = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
    for path in sorted(glob.glob(os.path.join(folder, "seq.*.rnncell.json"))):
        setting = os.path.basename(path).split(".")[1]
        with open(path) as f:
            try:
                data = json.load(f)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}: not Google Benchmark JSON output ({e})")
        for b in data["benchmarks"]:
            if b.get("error_occurred") or b.get("run_type") == "aggregate":
                continue
            keep((setting, "rnncell", b["name"]), b["real_time"] * to_ms[b["time_unit"]])
    return best, untrained


RLTOOLS_BUILDS = (("generic", "default"), ("generic", "native"), ("openblas", "default"),
                  ("openblas", "native"), ("openblas", "ofast"))


def sequence_section(best, untrained, commit):
    """Goal lines and tables for the RLtools comparison (issue 13)."""
    ours = sorted({k[2] for k in best if k[1] == "rnncell"})
    fastest = {}
    for s in SETTINGS:
        timed = [(best[(s, f"rltools-{b}", f)], f"{b} {f}") for b, f in RLTOOLS_BUILDS if (s, f"rltools-{b}", f) in best]
        if timed:
            fastest[s] = min(timed)
    goals = []
    for s in SETTINGS:
        ratios = [(best[(s, "rnncell", n)] / fastest[s][0], n) for n in ours if (s, "rnncell", n) in best and s in fastest]
        goals.append(goal_line(f"ours / RLtools' fastest build ({fastest[s][1] if s in fastest else '?'}), BLAS {s}",
                               max(ratios) if ratios else None, 0.8))
    out = ["", "## Goals (sequence model, issue 13)", ""] + goals
    out += ["", "## Sequence model: RLtools' GRU benchmark model, ms per train step", "",
            f"RLtools {commit}, its model of tests/src/nn/layers/gru (B = 32, T = 64, embedding 256 x 32, "
            "GRU 64, Dense 64 -> 32 -> 256, loss at every step, Adam), random tokens; one train step = forward, "
            "softmax-CE gradient, zero gradients, BPTT, Adam (bench/README.md, \"Sequence model against RLtools\", has "
            "the details ours must match). Builds: `default` the compiler's defaults (-O3), `native` -O3 -march=native, `ofast` "
            "-Ofast -march=native (RLtools' own flags for its example; OpenBLAS backend only). Ours: "
            "`rnncell_bench_sequence_model`, -O3 -march=native."]
    out += [f"- {u}: did not train, not timed" for u in untrained]
    out += ["", "| tool | build | " + " | ".join(f"ms, BLAS {s} | ours / this, BLAS {s}" for s in SETTINGS) + " |",
            "|---|---|" + "---|---|" * len(SETTINGS)]
    ratio = lambda a, b: None if a is None or b is None else a / b
    first_ours = {s: next((best[(s, "rnncell", n)] for n in ours if (s, "rnncell", n) in best), None) for s in SETTINGS}
    for b, f in RLTOOLS_BUILDS:
        cells = []
        for s in SETTINGS:
            t = best.get((s, f"rltools-{b}", f))
            cells += [fmt(t), fmt(ratio(first_ours[s], t))]
        out.append(f"| RLtools {b} | {f} | " + " | ".join(cells) + " |")
    for n in ours:
        out.append(f"| rnncell `{n}` | native | "
                   + " | ".join(f"{fmt(best.get((s, 'rnncell', n)))} | –" for s in SETTINGS) + " |")
    if not ours:
        out.append("| rnncell (no sequence_model train case built) | – | " + " | ".join("– | –" for _ in SETTINGS) + " |")
    if len(ours) > 1:
        out.append("\nThe ratio columns use the first of ours' cases measured under that setting.")
    return out
