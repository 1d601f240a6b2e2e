"""The measurement harness the benchmark scripts share.

Every benchmark runs each configuration in its own child process (the script itself in
--worker mode) so that each peak resident memory is its own; the worker times the best of
N runs with their CPU time, reads the peak RSS from VmHWM (reset after loading its input)
and pickles a result file that the parent reads back. The benchmark corpus of
../shared/corpora/make_bench_corpus.sh is built once and cached under benchmarks/out/.

Not a benchmark itself: the scripts import it as a sibling module (`python benchmarks/X.py`
puts benchmarks/ first on sys.path).
"""

from __future__ import annotations

import functools
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
from typing import Any, Callable, TypeVar

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
SHARED = Path(os.environ.get("THEMESCOPE_CORPORA", REPO.parent / "shared" / "corpora"))
BENCH_CORPUS_DIR = OUT / "bench_corpus"  # cache of make_bench_corpus.sh output (benchmarks/out/ is gitignored)
BENCH_SOURCES = "linuxdoc pydoc man"

CONTENTION_CORES = 0.1  # other processes' CPU use during a fit, in cores, above which its timing is flagged

MB = 1e6  # throughput and corpus sizes are in 10^6 bytes of UTF-8 text
MIB = 1024 * 1024  # memory is in MiB, as ps/top show it

M = TypeVar("M")
R = TypeVar("R")


# --------------------------------------------------------------------------- corpora


def utf8_mb(docs: list[str]) -> float:
    return sum(len(d.encode("utf-8", errors="surrogatepass")) for d in docs) / MB


def resize(docs: list[str], target_mb: float) -> list[str]:
    """Repeat `docs` to about `target_mb`, or keep an even stride of them when it is smaller.

    A stride (not a prefix) keeps the mix of sources and languages of the whole corpus.
    """
    size = utf8_mb(docs)
    if size >= target_mb:
        ratio = target_mb / size
        return [d for i, d in enumerate(docs) if int((i + 1) * ratio) > int(i * ratio)]
    return docs * max(1, round(target_mb / size))


def bbc_files() -> list[Path]:
    """The BBC news articles (bbc_news_en/bbc/<topic>/<n>.txt), sorted; exits when the corpus is absent."""
    files = sorted((SHARED / "bbc_news_en" / "bbc").glob("*/*.txt"))
    if not files:
        sys.exit(f"BBC corpus not found: {SHARED / 'bbc_news_en' / 'bbc'}/*/*.txt")
    return files


def bench_corpus_records(sources: str = BENCH_SOURCES, corpus_dir: Path = BENCH_CORPUS_DIR) -> list[dict[str, Any]]:
    """The records of make_bench_corpus.sh ({"id", "source", "lang", "title", "text"}), built once and cached.

    `sources` is its BENCH_SOURCES; each set of sources needs its own `corpus_dir`.
    """
    jsonl = corpus_dir / "corpus.jsonl"
    if not jsonl.exists():
        script = SHARED / "make_bench_corpus.sh"
        print(f"building the benchmark corpus once (BENCH_SOURCES={sources!r} bash {script}); "
              f"it apt-installs Debian documentation packages if missing ...", flush=True)
        OUT.mkdir(exist_ok=True)
        # build next to the cache and rename, so an interrupted build never leaves a partial cache
        tmp = Path(tempfile.mkdtemp(prefix="bench_corpus.", dir=OUT))
        try:
            env = dict(os.environ, BENCH_SOURCES=sources)
            subprocess.run(["bash", str(script), str(tmp)], check=True, env=env)
            tmp.chmod(0o755)
            shutil.rmtree(corpus_dir, ignore_errors=True)
            tmp.rename(corpus_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    with jsonl.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


# ---------------------------------------------------------------------------- worker side


def reset_peak_rss() -> bool:
    """Reset this process's peak-RSS counter (VmHWM) to its current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    """Peak RSS of this process image: VmHWM, reset by reset_peak_rss.

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


def busy_cpu_seconds() -> float | None:
    """CPU time all processes on the machine have used since boot (/proc/stat), steal included."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def start_measuring() -> dict[str, Any]:
    """After the worker loaded its input: its RSS now, the peak so far, and whether the peak could be reset.

    The keys (baseline_rss, load_peak_rss, peak_rss_reset) go into the worker's result.
    """
    gc.collect()
    baseline = rss_bytes()  # interpreter, libraries and input, nothing else
    load_peak = peak_rss_bytes()
    # without the reset, the peak may still be that of loading the input
    return {"baseline_rss": baseline, "load_peak_rss": load_peak, "peak_rss_reset": reset_peak_rss()}


def timed_run(run: Callable[[], R]) -> tuple[dict[str, Any], R]:
    """Time one call of run(): wall and CPU seconds, peak RSS, and the other processes' use of the CPUs."""
    busy0 = busy_cpu_seconds()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    result = run()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    busy1 = busy_cpu_seconds()
    # cores' worth of CPU that other processes (or the hypervisor) took while this run went on
    others = None if busy0 is None or busy1 is None else max(0.0, (busy1 - busy0 - cpu) / wall)
    return {"seconds": wall, "cpu_seconds": cpu, "peak_rss": peak_rss_bytes(), "other_cores": others}, result


def timed_fits(repeat: int, make: Callable[[], M], fit: Callable[[M], R]) -> tuple[list[dict[str, Any]], M, R]:
    """`repeat` times: make() an estimator (not timed), then time fit(estimator).

    Returns the timed_run record of each fit, and the last estimator and fit result. The
    previous ones are freed and the peak RSS reset before the next fit starts.
    """
    assert repeat >= 1
    runs = []
    estimator: M | None = None
    result: R | None = None
    for i in range(repeat):
        if i:
            estimator = result = None
            gc.collect()
            reset_peak_rss()
        estimator = make()
        run, result = timed_run(functools.partial(fit, estimator))
        runs.append(run)
    return runs, estimator, result  # type: ignore[return-value]  # set: repeat >= 1


def save_result(result: dict[str, Any], result_file: Path) -> None:
    with result_file.open("wb") as f:
        pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)


# ---------------------------------------------------------------------------- parent side


def run_worker(script: str, worker_args: list[Any], result_file: Path, threads: int,
               omp_threads: int = 1) -> dict[str, Any]:
    """Run `script --worker *worker_args` in a child process and return the result it saved in `result_file`.

    Raises subprocess.CalledProcessError when the worker fails (its traceback is on stderr).
    """
    # one thread for any BLAS pool (OpenMP too unless said); themescope's own count is set by ts.set_num_threads
    env = dict(os.environ, OMP_NUM_THREADS=str(omp_threads), OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               THEMESCOPE_NUM_THREADS=str(threads))
    cmd = [sys.executable, str(Path(script).resolve()), "--worker", *map(str, worker_args)]
    try:
        subprocess.run(cmd, check=True, env=env)
        with result_file.open("rb") as f:
            result: dict[str, Any] = pickle.load(f)
    finally:
        result_file.unlink(missing_ok=True)
    return result


def run_configurations(configs: list[tuple[str, str, int]], measure: Callable[[str, int], dict[str, Any]],
                       keep_failed: bool = True) -> dict[str, dict[str, Any]]:
    """measure(engine, threads) of each (label, engine, threads), one after the other, by label.

    A failed worker is reported and, with keep_failed, kept as {"engine", "threads", "error"}
    so that the table shows it; without, it is left out.
    """
    results: dict[str, dict[str, Any]] = {}
    for label, engine, threads in configs:
        print(f"   running {label} ...", flush=True)
        try:
            results[label] = measure(engine, threads)
        except subprocess.CalledProcessError as error:
            print(f"   {label} FAILED (exit status {error.returncode}); see the traceback above", flush=True)
            if keep_failed:
                results[label] = {"engine": engine, "threads": threads, "error": f"exit status {error.returncode}"}
    return results


def write_report(report: dict[str, Any], name: str, default: Callable[[Any], Any] | None = None) -> None:
    """benchmarks/out/<name>.json, and a line that says where it is and how long the run took."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(report, indent=2, default=default) + "\n")
    print(f"\nresults written to {path.relative_to(REPO)} ({report['elapsed_seconds']:.0f} s in all)")


def best_run(runs: list[dict[str, Any]]) -> tuple[dict[str, Any], int]:
    """The fastest of the runs nobody else competed with for the CPUs (of all of them if there is none),
    and how many such quiet runs there were."""
    quiet = [run for run in runs if (run["other_cores"] or 0.0) <= CONTENTION_CORES]
    return min(quiet or runs, key=lambda run: run["seconds"]), len(quiet)


def first_peak_rss(result: dict[str, Any]) -> int:
    """Peak RSS of the first run in a fresh worker.

    Later runs start from the allocator state the previous one left behind, so their peaks
    wander. Without a reset of the peak, loading the input may have been the peak.
    """
    peak: int = result["runs"][0]["peak_rss"]
    if not result["peak_rss_reset"]:
        peak = max(peak, result["load_peak_rss"])
    return peak


def throughput_row(result: dict[str, Any], megabytes: float) -> dict[str, Any]:
    """The table/JSON row of a worker's timed fits: best (quiet) time, MB/s, CPU/wall, peak RSS.

    The peak is that of the first fit (see first_peak_rss); the peaks of all are in all_peak_*.
    """
    runs = result["runs"]
    best, quiet_fits = best_run(runs)
    peak = first_peak_rss(result)
    baseline = result["baseline_rss"]
    return {
        "engine": result["engine"],
        "version": result["version"],
        "threads": result["threads"],
        "seconds": best["seconds"],
        "first_seconds": runs[0]["seconds"],
        "all_seconds": [run["seconds"] for run in runs],
        "all_peak_rss_mib": [run["peak_rss"] / MIB for run in runs],
        "all_peak_increase_mib": [(run["peak_rss"] - baseline) / MIB for run in runs],
        "mb_per_s": megabytes / best["seconds"],
        "cpu_over_wall": best["cpu_seconds"] / best["seconds"],
        "other_cores": best["other_cores"],
        "all_other_cores": [run["other_cores"] for run in runs],
        "quiet_fits": quiet_fits,
        "peak_rss_mib": peak / MIB,
        "baseline_rss_mib": baseline / MIB,
        "peak_increase_mib": (peak - baseline) / MIB,
    }


def print_table_header(header: str) -> None:
    print()
    print(header)
    print("   " + "-" * (len(header) - 3))


def fmt_ratio(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}x"


def check(value: float | None, target: float, at_least: bool) -> str:
    if value is None:
        return "n/a"
    return "yes" if (value >= target if at_least else value <= target) else "NO"


def busy_percent() -> float | None:
    """How busy the CPUs are right now (over one second): other work skews the timings."""
    try:
        import psutil
    except ImportError:
        return None
    return float(psutil.cpu_percent(interval=1.0))


def warn_if_busy(env: dict[str, Any]) -> None:
    busy = env.get("cpu_busy_percent_at_start")
    if busy is not None and busy > 20:
        print(f"WARNING: the CPUs were {busy:.0f}% busy at start: other work on this machine skews the timings")


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
