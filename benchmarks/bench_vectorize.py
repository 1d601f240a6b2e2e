"""Throughput and peak memory of TfidfVectorizer().fit_transform: themescope vs scikit-learn.

Both libraries vectorize the same documents in the same invocation. Every
configuration (scikit-learn; themescope on 1 thread; themescope on 2 threads)
runs in its own child process (this script in --worker mode, reading the
documents from a cache file), so each peak resident memory is its own.

Printed per corpus: best-of-N seconds and MB/s of UTF-8 text, CPU time over
wall time, peak RSS and its increase over the process after imports and
loading the documents, whether the matrix equals scikit-learn's, and the
ratios against the targets (>= 8x scikit-learn on one thread, >= 1.7x from
1 to 2 threads, peak memory no higher than scikit-learn's). The results also
go to benchmarks/out/bench_vectorize.json.

    .venv/bin/python benchmarks/bench_vectorize.py [--quick] [--repeat N] [--corpus bbc|bench|all]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
SHARED = Path(os.environ.get("THEMESCOPE_CORPORA", REPO.parent / "shared" / "corpora"))
BENCH_CORPUS_DIR = OUT / "bench_corpus"  # cache of make_bench_corpus.sh output (benchmarks/out/ is gitignored)
BENCH_SOURCES = "linuxdoc pydoc man"

SIZES_MB = {"bbc": 20.0, "bench": 50.0}
QUICK_MB = 2.0

TARGET_SPEEDUP = 8.0  # themescope 1 thread / scikit-learn, fit_transform throughput
TARGET_SCALING = 1.7  # themescope 2 threads / themescope 1 thread
TARGET_MEMORY = 1.0  # themescope peak / scikit-learn peak, at most

# (label, engine, threads); the first one is the reference the others are compared with
CONFIGS = [
    ("scikit-learn", "sklearn", 1),
    ("themescope 1 thread", "themescope", 1),
    ("themescope 2 threads", "themescope", 2),
]

CONTENTION_CORES = 0.1  # other processes' CPU use during a fit, in cores, above which its timing is flagged

MB = 1e6  # throughput and corpus sizes are in 10^6 bytes of UTF-8 text
MIB = 1024 * 1024  # memory is in MiB, as ps/top show it


def utf8_mb(docs: list[str]) -> float:
    return sum(len(d.encode("utf-8", errors="surrogatepass")) for d in docs) / MB


# --------------------------------------------------------------------------- corpora


def resize(docs: list[str], target_mb: float) -> list[str]:
    """Repeat `docs` to about `target_mb`, or keep an even stride of them when it is smaller.

    A stride (not a prefix) keeps the mix of sources and languages of the whole corpus.
    """
    size = utf8_mb(docs)
    if size >= target_mb:
        ratio = target_mb / size
        return [d for i, d in enumerate(docs) if int((i + 1) * ratio) > int(i * ratio)]
    return docs * max(1, round(target_mb / size))


def bbc_corpus(target_mb: float) -> list[str]:
    files = sorted((SHARED / "bbc_news_en" / "bbc").glob("*/*.txt"))
    if not files:
        sys.exit(f"BBC corpus not found: {SHARED / 'bbc_news_en' / 'bbc'}/*/*.txt")
    docs = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    return resize(docs, target_mb)


def bench_corpus_records() -> list[dict[str, Any]]:
    """The records of make_bench_corpus.sh ({"id", "source", "lang", "title", "text"}), built once and cached."""
    jsonl = BENCH_CORPUS_DIR / "corpus.jsonl"
    if not jsonl.exists():
        script = SHARED / "make_bench_corpus.sh"
        print(f"building the benchmark corpus once (BENCH_SOURCES={BENCH_SOURCES!r} bash {script}); "
              f"it apt-installs Debian documentation packages if missing ...", flush=True)
        OUT.mkdir(exist_ok=True)
        # build next to the cache and rename, so an interrupted build never leaves a partial cache
        tmp = Path(tempfile.mkdtemp(prefix="bench_corpus.", dir=OUT))
        try:
            env = dict(os.environ, BENCH_SOURCES=BENCH_SOURCES)
            subprocess.run(["bash", str(script), str(tmp)], check=True, env=env)
            tmp.chmod(0o755)
            shutil.rmtree(BENCH_CORPUS_DIR, ignore_errors=True)
            tmp.rename(BENCH_CORPUS_DIR)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    with jsonl.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def bench_corpus(target_mb: float) -> list[str]:
    return resize([record["text"] for record in bench_corpus_records()], target_mb)


# ---------------------------------------------------------------------------- worker


def _reset_peak_rss() -> bool:
    """Reset this process's peak-RSS counter (VmHWM) to its current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss_bytes() -> int:
    """Peak RSS of this process image: VmHWM, reset by _reset_peak_rss.

    Not ru_maxrss: exec() carries the parent's peak over into it (subprocess forks a copy
    of the parent, whose RSS then counts as this process's peak).
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _busy_cpu_seconds() -> float | None:
    """CPU time all processes on the machine have used since boot (/proc/stat), steal included."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def worker(engine: str, threads: int, repeat: int, cache: Path, result_file: Path) -> None:
    """One configuration, in a fresh process: time `repeat` fits, record peak RSS, save the last matrix."""
    if engine == "themescope":
        import themescope as ts

        ts.set_num_threads(threads)
        if ts.get_num_threads() != threads:
            sys.exit(f"ts.set_num_threads({threads}) left get_num_threads() at {ts.get_num_threads()}")
        vectorizer_class: Any = ts.TfidfVectorizer
        version = ts.__version__
    else:
        import sklearn
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer_class = TfidfVectorizer
        version = sklearn.__version__
    with cache.open("rb") as f:
        docs = pickle.load(f)
    gc.collect()
    baseline = _rss_bytes()  # interpreter, libraries and documents, nothing else
    load_peak = _peak_rss_bytes()
    reset = _reset_peak_rss()

    runs = []
    X = vectorizer = None
    for i in range(repeat):
        if i:
            X = vectorizer = None  # the previous result is freed before the next fit starts
            gc.collect()
            _reset_peak_rss()
        vectorizer = vectorizer_class()
        busy0 = _busy_cpu_seconds()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        X = vectorizer.fit_transform(docs)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        busy1 = _busy_cpu_seconds()
        # cores' worth of CPU that other processes (or the hypervisor) took while this fit ran
        others = None if busy0 is None or busy1 is None else max(0.0, (busy1 - busy0 - cpu) / wall)
        runs.append({"seconds": wall, "cpu_seconds": cpu, "peak_rss": _peak_rss_bytes(), "other_cores": others})
    assert X is not None and vectorizer is not None

    # not timed: what the parent needs to compare the outputs
    X = X.tocsr()
    X.sort_indices()  # scikit-learn's rows come back with unsorted column indices
    result = {
        "engine": engine,
        "version": version,
        "threads": threads,
        "runs": runs,
        "baseline_rss": baseline,
        # without the reset, the peak may still be that of loading the documents
        "peak_rss_reset": reset,
        "load_peak_rss": load_peak,
        "X": X,
        "features": vectorizer.get_feature_names_out().tolist(),
        "idf": vectorizer.idf_,
    }
    with result_file.open("wb") as f:
        pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)


def measure(engine: str, threads: int, repeat: int, cache: Path) -> dict[str, Any]:
    result_file = cache.with_name(f"{cache.stem}.{engine}{threads}.result")
    # one thread for any BLAS/OpenMP pool; themescope's own count is set by ts.set_num_threads
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               THEMESCOPE_NUM_THREADS=str(threads))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, str(threads), str(repeat),
           str(cache), str(result_file)]
    try:
        subprocess.run(cmd, check=True, env=env)
        with result_file.open("rb") as f:
            result: dict[str, Any] = pickle.load(f)
    finally:
        result_file.unlink(missing_ok=True)
    return result


# ---------------------------------------------------------------------------- parent


def compare(X: Any, features: list[str], idf: Any, ref: dict[str, Any]) -> dict[str, Any]:
    """Same vocabulary (same terms, same columns), same sparsity pattern, allclose values."""
    import numpy as np

    R = ref["X"]
    same_vocabulary = features == ref["features"]
    same_pattern = (X.shape == R.shape and X.nnz == R.nnz and np.array_equal(X.indptr, R.indptr)
                    and np.array_equal(X.indices, R.indices))
    max_abs_diff = float(np.max(np.abs(X.data - R.data), initial=0.0)) if same_pattern else None
    data_close = same_pattern and bool(np.allclose(X.data, R.data, rtol=1e-12, atol=1e-12))
    idf_close = len(idf) == len(ref["idf"]) and bool(np.allclose(idf, ref["idf"], rtol=1e-12, atol=1e-12))
    return {
        "equal": bool(same_vocabulary and same_pattern and data_close and idf_close),
        "same_vocabulary": bool(same_vocabulary),
        "same_sparsity_pattern": bool(same_pattern),
        "data_allclose": data_close,
        "idf_allclose": idf_close,
        "max_abs_diff": max_abs_diff,
    }


def fmt_ratio(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}x"


def check(value: float | None, target: float, at_least: bool) -> str:
    if value is None:
        return "n/a"
    return "yes" if (value >= target if at_least else value <= target) else "NO"


def run_corpus(key: str, title: str, docs: list[str], repeat: int, have_themescope: bool) -> dict[str, Any]:
    OUT.mkdir(exist_ok=True)
    cache = OUT / f"docs_{key}.pickle"
    with cache.open("wb") as f:
        pickle.dump(docs, f, protocol=pickle.HIGHEST_PROTOCOL)
    mb = utf8_mb(docs)
    n_chars = sum(map(len, docs))
    print(f"\n== {title}: {len(docs):,} documents, {mb:.1f} MB of UTF-8 text ({n_chars / 1e6:.1f} M characters); "
          f"best of {repeat}", flush=True)

    configs = [c for c in CONFIGS if c[1] == "sklearn" or have_themescope]
    results: dict[str, dict[str, Any]] = {}
    try:
        for label, engine, threads in configs:
            print(f"   running {label} ...", flush=True)
            try:
                results[label] = measure(engine, threads, repeat, cache)
            except subprocess.CalledProcessError as error:
                print(f"   {label} FAILED (exit status {error.returncode}); see the traceback above", flush=True)
                results[label] = {"engine": engine, "threads": threads, "error": f"exit status {error.returncode}"}
    finally:
        cache.unlink(missing_ok=True)

    reference = results["scikit-learn"]
    rows: dict[str, dict[str, Any]] = {}
    for label, r in results.items():
        if "error" in r:
            rows[label] = {"engine": r["engine"], "threads": r["threads"], "error": r["error"]}
            continue
        # best of the fits that nobody else competed with for the CPUs; of all of them if there is none
        quiet = [run for run in r["runs"] if (run["other_cores"] or 0.0) <= CONTENTION_CORES]
        best = min(quiet or r["runs"], key=lambda run: run["seconds"])
        # the first fit in a fresh process: later fits start from the allocator state the previous
        # one left behind, so their peaks wander (all of them are in the JSON)
        peak = r["runs"][0]["peak_rss"]
        if not r["peak_rss_reset"]:
            peak = max(peak, r["load_peak_rss"])
        row = {
            "engine": r["engine"],
            "version": r["version"],
            "threads": r["threads"],
            "seconds": best["seconds"],
            "first_seconds": r["runs"][0]["seconds"],
            "all_seconds": [run["seconds"] for run in r["runs"]],
            "all_peak_rss_mib": [run["peak_rss"] / MIB for run in r["runs"]],
            "all_peak_increase_mib": [(run["peak_rss"] - r["baseline_rss"]) / MIB for run in r["runs"]],
            "mb_per_s": mb / best["seconds"],
            "cpu_over_wall": best["cpu_seconds"] / best["seconds"],
            "other_cores": best["other_cores"],
            "all_other_cores": [run["other_cores"] for run in r["runs"]],
            "quiet_fits": len(quiet),
            "peak_rss_mib": peak / MIB,
            "baseline_rss_mib": r["baseline_rss"] / MIB,
            "peak_increase_mib": (peak - r["baseline_rss"]) / MIB,
            "shape": list(r["X"].shape),
            "nnz": int(r["X"].nnz),
        }
        if r is not reference and "error" not in reference:
            row["comparison"] = compare(r["X"], r["features"], r["idf"], reference)
        rows[label] = row
    for r in results.values():  # free the matrices before the next corpus
        r.pop("X", None)

    # ---- table
    header = (f"   {'configuration':<22} {'first s':>8} {'best s':>8} {'MB/s':>8} {'CPU/wall':>8} {'others':>6} "
              f"{'peak RSS':>10} {'increase':>10}  equal to scikit-learn")
    print()
    print(header)
    print("   " + "-" * (len(header) - 3))
    for label, row in rows.items():
        if "error" in row:
            print(f"   {label:<22} {'FAILED: ' + row['error']}")
            continue
        if "comparison" in row:
            c = row["comparison"]
            if c["equal"]:
                equal = f"yes (max |diff| {c['max_abs_diff']:.1e})"
            else:
                failed = [k for k in ("same_vocabulary", "same_sparsity_pattern", "data_allclose", "idf_allclose")
                          if not c[k]]
                equal = "NO: " + ", ".join(failed) + " false"
        else:
            equal = f"reference: {row['shape'][0]:,} x {row['shape'][1]:,}, nnz {row['nnz']:,}"
        others = "n/a" if row["other_cores"] is None else f"{row['other_cores']:.2f}"
        print(f"   {label:<22} {row['first_seconds']:>8.3f} {row['seconds']:>8.3f} {row['mb_per_s']:>8.1f} "
              f"{row['cpu_over_wall']:>8.2f} {others:>6} {row['peak_rss_mib']:>6.0f} MiB "
              f"{row['peak_increase_mib']:>+6.0f} MiB  {equal}")
    contended = [label for label, row in rows.items()
                 if "error" not in row and (row["other_cores"] or 0.0) > CONTENTION_CORES]
    if contended:
        print(f"   WARNING: other processes used the CPUs during every fit of {', '.join(contended)} "
              f"('others' > {CONTENTION_CORES:g} cores): those timings are not trustworthy, run again on an "
              f"idle machine")

    # ---- ratios against the targets
    def ok(label: str) -> dict[str, Any] | None:
        row = rows.get(label)
        return row if row and "error" not in row else None

    sk, one, two = ok("scikit-learn"), ok("themescope 1 thread"), ok("themescope 2 threads")
    summary: dict[str, Any] = {
        "speedup_1_thread": sk["seconds"] / one["seconds"] if sk and one else None,
        "speedup_2_threads": sk["seconds"] / two["seconds"] if sk and two else None,
        "scaling_1_to_2_threads": one["seconds"] / two["seconds"] if one and two else None,
        "peak_rss_ratio_1_thread": one["peak_rss_mib"] / sk["peak_rss_mib"] if sk and one else None,
        "peak_rss_ratio_2_threads": two["peak_rss_mib"] / sk["peak_rss_mib"] if sk and two else None,
        "peak_increase_ratio_1_thread": one["peak_increase_mib"] / sk["peak_increase_mib"] if sk and one else None,
        "peak_increase_ratio_2_threads": two["peak_increase_mib"] / sk["peak_increase_mib"] if sk and two else None,
        "outputs_equal": all(row.get("comparison", {}).get("equal", True) for row in rows.values()
                             if "error" not in row) if sk and (one or two) else None,
    }
    targets = [
        ("speed-up over scikit-learn, 1 thread", "speedup_1_thread", TARGET_SPEEDUP, True, 1),
        ("speed-up over scikit-learn, 2 threads", "speedup_2_threads", None, True, 1),
        ("themescope scaling, 1 -> 2 threads", "scaling_1_to_2_threads", TARGET_SCALING, True, 2),
        ("peak RSS / scikit-learn's, 1 thread", "peak_rss_ratio_1_thread", TARGET_MEMORY, False, 3),
        ("peak RSS / scikit-learn's, 2 threads", "peak_rss_ratio_2_threads", TARGET_MEMORY, False, 3),
        ("peak increase / sklearn's, 1 thread", "peak_increase_ratio_1_thread", TARGET_MEMORY, False, 3),
        ("peak increase / sklearn's, 2 threads", "peak_increase_ratio_2_threads", TARGET_MEMORY, False, 3),
    ]
    met: dict[str, bool | None] = {}
    print()
    print(f"   {'ratio':<40} {'measured':>9} {'target':>8}  met")
    print("   " + "-" * 64)
    for text, name, target, at_least, digits in targets:
        value = summary[name]
        if target is None:
            print(f"   {text:<40} {fmt_ratio(value, digits):>9}")
            continue
        met[name] = None if value is None else (value >= target if at_least else value <= target)
        bound = f"{'>=' if at_least else '<='} {target:g}x"
        print(f"   {text:<40} {fmt_ratio(value, digits):>9} {bound:>8}  {check(value, target, at_least)}")
    summary["targets_met"] = met
    summary["contended_configurations"] = contended
    return {"title": title, "documents": len(docs), "megabytes": mb, "characters": n_chars, "repeat": repeat,
            "configurations": rows, "summary": summary}


def busy_percent() -> float | None:
    """How busy the CPUs are right now (over one second): other work skews the timings."""
    try:
        import psutil
    except ImportError:
        return None
    return float(psutil.cpu_percent(interval=1.0))


def environment() -> dict[str, Any]:
    import numpy
    import scipy
    import sklearn

    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "--",
                                ".", ":!benchmarks"], capture_output=True, text=True, check=True).stdout.strip()
        commit += " + uncommitted changes" if dirty else ""  # outside benchmarks/
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    try:
        import themescope

        themescope_version: str | None = themescope.__version__
    except ImportError:
        themescope_version = None
    return {
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "cpu_busy_percent_at_start": busy_percent(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "themescope": themescope_version,
        "git_commit": commit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_MB:g} MB corpora, one timing")
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="keep the best of N timings per configuration (default 5, 1 with --quick)")
    parser.add_argument("--corpus", choices=("bbc", "bench", "all"), default="all",
                        help="bbc: BBC news repeated to ~20 MB; bench: ~50 MB of Linux/Python docs and man "
                             "pages; all: both (default)")
    parser.add_argument("--worker", nargs=5, metavar=("ENGINE", "THREADS", "REPEAT", "CACHE", "RESULT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, threads, repeat, cache, result = args.worker
        worker(engine, int(threads), int(repeat), Path(cache), Path(result))
        return
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    if repeat < 1:
        parser.error("--repeat must be at least 1")

    started = time.perf_counter()
    env = environment()
    print(f"TfidfVectorizer().fit_transform(docs): themescope {env['themescope'] or '(not importable)'} vs "
          f"scikit-learn {env['scikit-learn']}")
    print(f"{env['cpu']}, {env['cpu_count']} CPUs; Python {env['python']}, numpy {env['numpy']}, "
          f"scipy {env['scipy']}; git {env['git_commit']}")
    print("each configuration runs in its own process; MB = 10^6 bytes of UTF-8 text; memory in MiB; "
          "'increase' = peak RSS minus RSS after imports and loading the documents")
    busy = env["cpu_busy_percent_at_start"]
    if busy is not None and busy > 20:
        print(f"WARNING: the CPUs were {busy:.0f}% busy at start: other work on this machine skews the timings")
    if env["themescope"] is None:
        print("WARNING: themescope is not importable (run `make venv`): scikit-learn figures only")

    corpora: list[tuple[str, str, Callable[[float], list[str]]]] = []
    if args.corpus in ("bbc", "all"):
        corpora.append(("bbc", "BBC news, repeated", bbc_corpus))
    if args.corpus in ("bench", "all"):
        corpora.append(("bench", f"Debian docs ({BENCH_SOURCES})", bench_corpus))
    results: dict[str, Any] = {}
    for key, title, load in corpora:
        docs = load(QUICK_MB if args.quick else SIZES_MB[key])
        results[key] = run_corpus(key, title, docs, repeat, env["themescope"] is not None)
        del docs

    if len(results) > 1 and env["themescope"] is not None:
        print("\n== summary")
        print(f"   {'corpus':<8} {'sklearn MB/s':>12} {'ts 1t MB/s':>11} {'ts 2t MB/s':>11} {'1t speed-up':>12} "
              f"{'1->2 scaling':>13} {'peak 1t/sk':>11} {'equal':>6}")
        for key, r in results.items():
            c, s = r["configurations"], r["summary"]

            def rate(label: str) -> str:
                row = c.get(label, {})
                return "failed" if "error" in row else f"{row['mb_per_s']:.1f}"

            equal = {True: "yes", False: "NO", None: "n/a"}[s["outputs_equal"]]
            print(f"   {key:<8} {rate('scikit-learn'):>12} {rate('themescope 1 thread'):>11} "
                  f"{rate('themescope 2 threads'):>11} {fmt_ratio(s['speedup_1_thread'], 1):>12} "
                  f"{fmt_ratio(s['scaling_1_to_2_threads']):>13} {fmt_ratio(s['peak_rss_ratio_1_thread']):>11} "
                  f"{equal:>6}")
        print(f"   targets: speed-up >= {TARGET_SPEEDUP:g}x, scaling >= {TARGET_SCALING:g}x, "
              f"peak RSS ratio <= {TARGET_MEMORY:g}")
        for key, r in results.items():
            if r["summary"]["contended_configurations"]:
                print(f"   WARNING: {key}: other processes used the CPUs during "
                      f"{', '.join(r['summary']['contended_configurations'])}: run again on an idle machine")

    elapsed = time.perf_counter() - started
    report = {
        "benchmark": "TfidfVectorizer().fit_transform(docs)",
        "quick": args.quick,
        "repeat": repeat,
        "targets": {"speedup_1_thread": TARGET_SPEEDUP, "scaling_1_to_2_threads": TARGET_SCALING,
                    "peak_rss_ratio": TARGET_MEMORY},
        "environment": env,
        "corpora": results,
        "elapsed_seconds": elapsed,
    }
    OUT.mkdir(exist_ok=True)
    path = OUT / "bench_vectorize.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nresults written to {path.relative_to(REPO)} ({elapsed:.0f} s in all)")


if __name__ == "__main__":
    main()
