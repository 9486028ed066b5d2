"""What bench/report.py and its section modules share: the BLAS settings, our two builds, reading
our Google Benchmark output and the peers' JSON lines, and the formatting."""
import json
import sys

SETTINGS = ("as-is", "unrestricted")
# Our programs' two builds (bench/CMakeLists.txt), in the order the tables give them.
BUILDS = ("default", "native")
TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def read_jsonl(path):
    """The records of a peer's JSON-lines output, one dict per line; stops with the file and line
    of the first line that is not JSON."""
    with open(path) as f:
        for line_no, line in enumerate(f, 1):
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{line_no}: not a JSON record ({e})")


def read_ours(path):
    """One Google Benchmark JSON file of ours: its context block (which must name the build and the
    kernel path, bench_main.cpp writes both) and [(case name, ms)], failed runs and aggregates left out."""
    with open(path) as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            sys.exit(f"{path}: not Google Benchmark JSON output ({e})")
    context = data["context"]
    for key in ("rnncell_build", "rnncell_kernel_path", "openblas_core"):
        if key not in context:
            sys.exit(f"{path}: no '{key}' in the context block: expected the output of a program built "
                     "with bench/bench_main.cpp")
    times = []
    for b in data["benchmarks"]:
        if b.get("error_occurred") or b.get("run_type") == "aggregate":
            continue
        if b["time_unit"] not in TO_MS:
            sys.exit(f"{path}: {b['name']} in '{b['time_unit']}', expected one of {', '.join(TO_MS)}")
        times.append((b["name"], b["real_time"] * TO_MS[b["time_unit"]]))
    return context, times


def kernel_paths(paths, setting):
    """'default build avx512, native build avx512': the kernel path each build of ours took under a
    BLAS setting, from {(setting, build): {path, ...}}."""
    return ", ".join(f"{b} build {'/'.join(sorted(paths.get((setting, b), {'?'})))}" for b in BUILDS)


def fmt(v, digits=2):
    return "–" if v is None else f"{v:.{digits}f}"


def goal_line(text, found, limit):
    if found is None:
        return f"- {text}: not measured"
    value, where = found
    verdict = "met" if value <= limit else "NOT met"
    return f"- {text}: worst {value:.3f} at {where} (goal <= {limit:.3g}): {verdict}"
