#!/usr/bin/python3
"""Turns one bench/run-peers.sh run (a folder of raw results) into bench/RESULTS.md on stdout.

Each configuration's time is the best (lowest) over the run's rounds of the per-round median, so
that a round disturbed by other work on the machine does not count. Flop counts come from the
sgemm peer, which prints the count of bench/step_gemms.hpp (the one place the formula lives) with
every record; GFLOP/s of every tool is that count over the tool's time. Ours runs in two builds
(report_common.BUILDS): its tools are "ours-default" and "ours-native", and every table gives both.
"""
import glob
import os
import sys

from report_common import BUILDS, SETTINGS, fmt, goal_line, kernel_paths, read_jsonl, read_ours
from report_sequence import load_sequence, sequence_section

PASSES = (("train_step", "Train step: forward, softmax-CE, backward, Adam"),
          ("fwd_bwd", "Forward + backward (loss gradient at the last step only)"),
          ("forward", "Forward"))
CELLS = ("gru_rb", "gru_ra", "mgu", "lstm")
PEER_NAMES = {
    "gru_rb": ("oneDNN vanilla GRU", "PyTorch scripted cell"),
    "gru_ra": ("oneDNN lbr_gru", "PyTorch nn.GRU"),
    "mgu": ("(none)", "PyTorch scripted cell"),
    "lstm": ("oneDNN LSTM", "PyTorch nn.LSTM"),
}


def read_environment(folder):
    env = {}
    with open(os.path.join(folder, "environment.txt")) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            env[key] = value
    return env


def parse_ours_name(name):
    """'gru_rb/train_step/L2/H128/B32' -> (cell, pass, layers, hidden, batch)."""
    cell, pass_, l, h, b = name.split("/")
    return cell, pass_, int(l[1:]), int(h[1:]), int(b[1:])


def load(folder):
    """Returns best times {(setting, tool, cell, L, H, B, pass): ms}, flops, peaks, core names, notes,
    and the kernel paths ours took {(setting, build): {path}}."""
    best, flops, peak, cores, notes, paths = {}, {}, {}, {}, {}, {}

    def keep(key, ms):
        best[key] = min(ms, best.get(key, float("inf")))

    for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
        setting = os.path.basename(path).split(".")[0]
        if setting in ("stream", "seq"):
            continue  # load_stream's, load_sequence's
        for r in read_jsonl(path):
            if "peak_gflops" in r:
                peak[setting] = max(r["peak_gflops"], peak.get(setting, 0.0))
                cores.setdefault(setting, set()).add(r["corename"])
                continue
            key = (setting, r["tool"], r["cell"], r["layers"], r["hidden"], r["batch"], r["pass"])
            keep(key, r["ms"])
            if "flops" in r:
                flops[key[2:]] = r["flops"]
            notes[(setting, r["tool"])] = r.get("note", "")
    for path in sorted(glob.glob(os.path.join(folder, "*.ours.*.json"))):
        setting = os.path.basename(path).split(".")[0]
        context, times = read_ours(path)
        build = context["rnncell_build"]
        cores.setdefault(setting, set()).add(context["openblas_core"])
        paths.setdefault((setting, build), set()).add(context["rnncell_kernel_path"])
        notes[(setting, "ours_threads")] = context.get("openblas_threads", "?")
        for name, ms in times:
            cell, pass_, l, h, batch = parse_ours_name(name)
            keep((setting, f"ours-{build}", cell, l, h, batch, pass_), ms)
    return best, flops, peak, cores, notes, paths


def load_stream(folder):
    """The streaming peer's records: best ns/step {(build, tool, cell, In, H, B): ns}, the kernel path
    ours used per build, and the tools that disagreed with ours (not timed)."""
    best, isa, disagreed = {}, {}, []
    for path in sorted(glob.glob(os.path.join(folder, "stream.*.jsonl"))):
        for r in read_jsonl(path):
            isa[r["build"]] = r["isa"]
            if r["ns_per_step"] < 0:
                disagreed.append(f"{r['tool']} ({r['build']}) at In {r['in']}, H {r['hidden']}: "
                                 f"relative difference {r['max_rel_diff']:.3g}")
                continue
            key = (r["build"], r["tool"], r["cell"], r["in"], r["hidden"], r["batch"])
            best[key] = min(r["ns_per_step"], best.get(key, float("inf")))
    return best, isa, disagreed


RTNEURAL_BACKENDS = ("rtneural-eigen", "rtneural-stl", "rtneural-xsimd")


def stream_rows(best, build, cell):
    """(In, H, ours, {backend: ns}, fastest RTNeural, ours with 8 streams) per size, for a cell both
    libraries have (gru_reset_after, lstm)."""
    sizes = sorted({(k[3], k[4]) for k in best if k[0] == build})
    rows = []
    for in_, h in sizes:
        peers = {b: best.get((build, b, cell, in_, h, 1)) for b in RTNEURAL_BACKENDS}
        timed = [v for v in peers.values() if v is not None]
        rows.append((in_, h, best.get((build, "rnncell", cell, in_, h, 1)), peers, min(timed) if timed else None,
                     best.get((build, "rnncell", cell, in_, h, 8))))
    return rows


def worst_stream_ratio(rows):
    """Largest ours / RTNeural's fastest over stream_rows' rows (None if nothing to compare)."""
    return max(((r[2] / r[4], f"In {r[0]}, H {r[1]}") for r in rows if r[2] is not None and r[4] is not None),
               default=None)


def stream_section(best, isa, disagreed):
    ratio = lambda a, b: None if a is None or b is None else a / b
    per_stream = lambda ns: fmt(None if ns is None else ns / 8, 0)
    out = ["", "## Streaming: one sample per stream per call, ns per step", "",
           "rnncell's `stream` (stream.hpp) against RTNeural's `GRULayerT` in `ModelT`, same weights "
           "(outputs agree to 1e-5 before timing), both behind the same virtual call; GRU reset-after "
           "in both. `native`: both built `-march=native`; `default`: both with the compiler's default "
           "flags (ours then picks its kernels at run time). The last two columns: ours with 8 streams "
           "in one call (`stream<Cell, 8>`), the call's time and that over 8. The LSTM tables: "
           "`LSTMCell` against RTNeural's `LSTMLayerT`, likewise."]
    out += [f"- {d}: not timed" for d in disagreed]
    goals = []
    for build in ("native", "default"):
        rows = stream_rows(best, build, "gru_reset_after")
        if not rows:
            continue
        goals.append(goal_line(f"ours GRU / RTNeural's fastest backend, {build} build", worst_stream_ratio(rows), 1.0))
        mgu = {(r[0], r[1]): best.get((build, "rnncell", "mgu", r[0], r[1], 1)) for r in rows}
        if build == "native":
            worst_mgu = max(((ratio(mgu[r[:2]], r[2]), f"In {r[0]}, H {r[1]}") for r in rows
                             if r[1] >= 50 and ratio(mgu[r[:2]], r[2])), default=None)
            goals.append(goal_line("ours MGU / ours GRU at H >= 50, native build", worst_mgu, 0.70))
        out += ["", f"### {build} build (ours ran its {isa.get(build, '?')} kernels)", "",
                "| In | H | ours GRU | ours MGU | RTNeural Eigen | RTNeural STL | RTNeural xsimd | "
                "ours GRU / RTNeural fastest | ours MGU / ours GRU | ours GRU, 8 streams: per call | per stream |",
                "|---|---|---|---|---|---|---|---|---|---|---|"]
        for in_, h, gru, peers, fastest, gru8 in rows:
            out.append(f"| {in_} | {h} | {fmt(gru, 0)} | {fmt(mgu[in_, h], 0)} | "
                       + " | ".join(fmt(peers[b], 0) for b in RTNEURAL_BACKENDS)
                       + f" | {fmt(ratio(gru, fastest))} | {fmt(ratio(mgu[in_, h], gru))} | {fmt(gru8, 0)} | "
                       + f"{per_stream(gru8)} |")
    for build in ("native", "default"):
        rows = [r for r in stream_rows(best, build, "lstm") if r[2] is not None or r[4] is not None]
        goals.append(goal_line(f"ours LSTM / RTNeural's fastest backend, {build} build", worst_stream_ratio(rows), 1.0))
        if not rows:
            continue
        out += ["", f"### LSTM, {build} build (ours ran its {isa.get(build, '?')} kernels)", "",
                "| In | H | ours LSTM | RTNeural Eigen | RTNeural STL | RTNeural xsimd | "
                "ours LSTM / RTNeural fastest | ours LSTM, 8 streams: per call | per stream |",
                "|---|---|---|---|---|---|---|---|---|"]
        for in_, h, lstm, peers, fastest, lstm8 in rows:
            out.append(f"| {in_} | {h} | {fmt(lstm, 0)} | "
                       + " | ".join(fmt(peers[b], 0) for b in RTNEURAL_BACKENDS)
                       + f" | {fmt(ratio(lstm, fastest))} | {fmt(lstm8, 0)} | {per_stream(lstm8)} |")
    return ["", "## Goals (streaming)", ""] + goals + out


def configs(best):
    seen = {(k[2], k[3], k[4], k[5]) for k in best}
    order = {c: i for i, c in enumerate(CELLS)}
    return sorted(seen, key=lambda c: (c[3], order.get(c[0], 9), c[1], c[2]))


def table(best, flops, peak, setting, pass_):
    """One row per configuration; every column about ours gives the default build, then the native."""
    get = lambda tool, c: best.get((setting, tool) + c + (pass_,))
    ratio = lambda a, b: None if a is None or b is None else a / b
    rows = ["| cell | L | H | B | ours ms, default / native | GFLOP/s | % sgemm peak | sgemm-sum ms | "
            "ours/sgemm, default / native | oneDNN ms | ours/oneDNN, default / native | PyTorch ms | "
            "ours/PyTorch, default / native |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in configs(best):
        ours = [get(f"ours-{b}", c) for b in BUILDS]
        f = flops.get(c + (pass_,))
        gflops = [None if t is None or f is None else f / (t * 1e6) for t in ours]
        pct = [None if g is None or setting not in peak else 100 * g / peak[setting] for g in gflops]
        both = lambda values, digits=2: " / ".join(fmt(v, digits) for v in values)
        versus = lambda peer: both([ratio(t, get(peer, c)) for t in ours])
        rows.append(f"| {c[0]} | {c[1]} | {c[2]} | {c[3]} | {both(ours, 3)} | {both(gflops, 1)} | "
                    f"{both(pct, 0)} | {fmt(get('sgemm', c), 3)} | {versus('sgemm')} | "
                    f"{fmt(get('onednn', c), 3)} | {versus('onednn')} | {fmt(get('pytorch', c), 2)} | "
                    f"{versus('pytorch')} |")
    return rows


def worst(best, setting, num_tool, den_tool, cells, batch=32, pass_="train_step", num_cell=None, hiddens=None):
    """Largest time ratio num/den over the configurations, those of `hiddens` only if given (None if
    nothing to compare)."""
    ratios = []
    for c in configs(best):
        if c[0] not in cells or c[3] != batch or (hiddens is not None and c[2] not in hiddens):
            continue
        num = best.get((setting, num_tool, num_cell or c[0]) + c[1:] + (pass_,))
        den = best.get((setting, den_tool) + c + (pass_,))
        if num is not None and den is not None:
            where = f"L{c[1]} H{c[2]}" if num_cell else f"{c[0]} L{c[1]} H{c[2]}"
            ratios.append((num / den, where))
    return max(ratios) if ratios else None


def avx2_section(best, flops, peak, cores, paths):
    """Issue 10's AVX2 goal: the default build's train step at H = 256 with its kernels forced to
    AVX2 (RNNCELL_ISA=avx2), as a share of the AVX2 sgemm peak (OpenBLAS forced to Haswell)."""
    s = "avx2"
    rows = []
    for c in configs(best):
        ms = best.get((s, "ours-default") + c + ("train_step",))
        f = flops.get(c + ("train_step",))
        if ms is None or f is None or s not in peak:
            continue
        gflops = f / (ms * 1e6)
        rows.append((c, ms, gflops, 100 * gflops / peak[s]))
    if not rows:
        return []
    lowest = min(rows, key=lambda r: r[3])
    verdict = "met" if lowest[3] >= 90 else "NOT met"
    out = ["", "## AVX2 forced: train step at H = 256, default build", "",
           f"RNNCELL_ISA=avx2 (our kernels ran: {'/'.join(sorted(paths.get((s, 'default'), {'?'})))}); "
           "OPENBLAS_CORETYPE=Haswell, "
           f"OpenBLAS core {', '.join(sorted(cores.get(s, {'?'})))}, whose sgemm peak {fmt(peak[s], 1)} GFLOP/s "
           "is the 100%.", "",
           f"- Goal (issue 10): >= 90% of the AVX2 sgemm peak; lowest {lowest[3]:.0f}% at {lowest[0][0]} "
           f"L{lowest[0][1]}: {verdict}", "",
           "| cell | L | H | B | ms | GFLOP/s | % AVX2 sgemm peak |", "|---|---|---|---|---|---|---|"]
    out += [f"| {c[0]} | {c[1]} | {c[2]} | {c[3]} | {ms:.3f} | {g:.1f} | {pct:.0f} |" for c, ms, g, pct in rows]
    return out


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: report.py RESULTS_FOLDER (a folder written by bench/run-peers.sh)")
    folder = sys.argv[1]
    env = read_environment(folder)
    best, flops, peak, cores, notes, paths = load(folder)
    out = ["# rnncell benchmarks and peers", "",
           "Written by `bench/run-peers.sh` (do not edit by hand; rerun it on a quiet machine).", "",
           "## Environment", "",
           f"- CPU: {env.get('cpu_model', '?')}, {env.get('cores', '?')} cores; every tool on 1 thread "
           f"(OpenBLAS threads reported by ours: {notes.get(('as-is', 'ours_threads'), '?')}).",
           f"- Measured {env.get('date', '?')}, {env.get('rounds', '?')} rounds interleaved (ours in its default "
           f"and native builds, PyTorch, oneDNN, sgemm, under both BLAS settings per round), {env.get('min_time', '?')} s per measurement; "
           f"a time is the best round's median; {env.get('seconds', '?')} s in all.",
           "- **Smoke run** (RNNCELL_BENCH_SMOKE=1): L1 H50 B32 only; it checks the pipeline, its numbers "
           "say nothing about speed." if env.get("smoke") == "1" else
           f"- B = 32 for every configuration; B = 128 for layers {{{env.get('b128_layers', '?')}}} x hidden "
           f"{{{env.get('b128_hiddens', '?')}}} (RNNCELL_BENCH_FULL_B128=1 runs all).",
           "- T = 28, In = 28, float32, 10 classes. Flops: 2*M*N*K over the GEMMs of bench/step_gemms.hpp.",
           "- Peers: oneDNN 2.6 GRU and LSTM training primitives (weights reordered and gradients zeroed each step as "
           "a training loop must; train step adds a plain Adam loop; no Dense head); PyTorch "
           f"({notes.get(('as-is', 'pytorch'), '?')}); sgemm-sum: OpenBLAS sgemm at exactly the step's "
           "GEMM shapes, back to back.",
           "- Ours in two builds of the same source: `default`, -O3 alone (a user's Release build without "
           "-march; the kernels pick their instruction set at run time, kernels/isa.hpp) and `native`, "
           "RNNCELL_BENCH_FLAGS (-O3 -march=native). Every column about ours gives default / native.",
           ""]
    as_is = (f"the environment as it is: OPENBLAS_CORETYPE={env.get('openblas_coretype_as_is')}, "
             f"OPENBLAS_L2_SIZE={env.get('openblas_l2_size_as_is')}")
    for s in SETTINGS:
        how = as_is if s == "as-is" else "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"
        out.append(f"- BLAS `{s}` ({how}): OpenBLAS core {', '.join(sorted(cores.get(s, {'?'})))}, "
                   f"sgemm peak {fmt(peak.get(s), 1)} GFLOP/s (1024^3, 1 thread); our kernels ran: "
                   f"{kernel_paths(paths, s)}.")
    out += ["", "Ratios are time ratios, ours / peer: below 1 means ours is faster.", "",
            "## Goals (train step, B = 32)", ""]
    gru = ("gru_rb", "gru_ra")
    for b in BUILDS:
        ours = f"ours-{b}"
        out += [goal_line(f"GRU ours ({b})/oneDNN, BLAS {s} (issue 10)", worst(best, s, ours, "onednn", gru), 0.85)
                for s in SETTINGS]
        out += [goal_line(f"GRU ours ({b})/PyTorch, BLAS unrestricted", worst(best, "unrestricted", ours, "pytorch", gru), 1 / 3),
                goal_line(f"GRU ours ({b})/sgemm-sum, BLAS as-is", worst(best, "as-is", ours, "sgemm", gru), 1.15)]
        for s in SETTINGS:
            out.append(goal_line(f"MGU step / GRU (reset-before) step, ours ({b}), BLAS {s}",
                                 worst(best, s, ours, ours, ("gru_rb",), num_cell="mgu"), 0.70))
    lstm = ("lstm",)
    for s in SETTINGS:
        out += [goal_line(f"LSTM ours (default)/oneDNN LSTM, BLAS {s} (issue 28)",
                          worst(best, s, "ours-default", "onednn", lstm), 1.0),
                goal_line(f"LSTM ours (default)/oneDNN LSTM at H <= 128, BLAS {s} (issue 28)",
                          worst(best, s, "ours-default", "onednn", lstm, hiddens=(50, 128)), 0.85),
                goal_line(f"LSTM step / GRU (reset-before) step at H = 256, ours (default), BLAS {s} (issue 28)",
                          worst(best, s, "ours-default", "ours-default", ("gru_rb",), num_cell="lstm", hiddens=(256,)),
                          1.45)]
    out += avx2_section(best, flops, peak, cores, paths)
    stream_best, stream_isa, stream_disagreed = load_stream(folder)
    if stream_best or stream_disagreed:
        out += stream_section(stream_best, stream_isa, stream_disagreed)
    seq_best, seq_untrained, seq_paths = load_sequence(folder)
    if seq_best or seq_untrained:
        out += sequence_section(seq_best, seq_untrained, seq_paths, env.get("rltools_commit", "?"))
    for s in SETTINGS:
        for pass_, title in PASSES:
            out += ["", f"## {title}; BLAS {s}", "",
                    f"OpenBLAS core {', '.join(sorted(cores.get(s, {'?'})))}; our kernels ran: {kernel_paths(paths, s)}.", ""]
            out += table(best, flops, peak, s, pass_)
    out += ["", "Peers per cell: " + "; ".join(f"{c}: {a}, {b}" for c, (a, b) in PEER_NAMES.items()) + "."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
