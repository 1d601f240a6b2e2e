"""Throughput and peak memory of TfidfVectorizer().fit_transform: themescope vs scikit-learn.

Both run on the same documents in the same invocation; every measurement is a
separate process, so its peak resident memory is its own. Prints MB/s, the
speed ratio, 1 -> 2 thread scaling, peak RSS, and checks that the outputs agree.

    .venv/bin/python benchmarks/bench_vectorize.py [--quick] [--repeat N] [--corpus bbc|bench|all]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
SHARED = Path(os.environ.get("THEMESCOPE_CORPORA", REPO.parent / "shared" / "corpora"))
TARGETS = {"speedup_1_thread": 8.0, "scaling_1_to_2": 1.7}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------- corpora


def bbc_corpus(target_mb: float) -> list[str]:
    files = sorted((SHARED / "bbc_news_en" / "bbc").glob("*/*.txt"))
    if not files:
        sys.exit(f"BBC corpus not found under {SHARED}")
    docs = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    size = sum(len(d.encode()) for d in docs) / 1e6
    return docs * max(1, round(target_mb / size))


def bench_corpus(target_mb: float) -> list[str]:
    out_dir = OUT / "bench_corpus"
    jsonl = out_dir / "corpus.jsonl"
    if not jsonl.exists():
        env = dict(os.environ, BENCH_SOURCES="linuxdoc pydoc man")
        subprocess.run(["bash", str(SHARED / "make_bench_corpus.sh"), str(out_dir)], check=True, env=env)
    docs, size = [], 0.0
    with jsonl.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            docs.append(text)
            size += len(text.encode()) / 1e6
            if size >= target_mb:
                break
    return docs


# -------------------------------------------------------------- worker


def worker(cache: Path, engine: str, threads: int, repeat: int, result_file: Path) -> None:
    if engine == "themescope":
        import themescope as ts

        ts.set_num_threads(threads)
        make = ts.TfidfVectorizer
    else:
        from sklearn.feature_extraction.text import TfidfVectorizer as make
    with cache.open("rb") as f:
        docs = pickle.load(f)
    baseline = peak_rss_mb()  # libraries imported and documents loaded
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        X = make().fit_transform(docs)
        times.append(time.perf_counter() - start)
        if len(times) < repeat:
            del X
    X.sort_indices()
    with result_file.open("wb") as f:
        pickle.dump({"seconds": min(times), "peak_mb": peak_rss_mb(), "baseline_mb": baseline, "X": X}, f)


def measure(cache: Path, engine: str, threads: int, repeat: int) -> dict:
    result_file = cache.with_suffix(f".{engine}{threads}.result")
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    subprocess.run([sys.executable, __file__, "--worker", str(cache), engine, str(threads), str(repeat),
                    str(result_file)], check=True, env=env)
    with result_file.open("rb") as f:
        result = pickle.load(f)
    result_file.unlink()
    return result


def run_corpus(name: str, docs: list[str], repeat: int) -> dict:
    import numpy as np

    OUT.mkdir(exist_ok=True)
    cache = OUT / f"{name}.pickle"
    with cache.open("wb") as f:
        pickle.dump(docs, f)
    mb = sum(len(d.encode()) for d in docs) / 1e6
    print(f"\n== {name}: {len(docs):,} documents, {mb:.1f} MB", flush=True)
    runs = {
        "scikit-learn": measure(cache, "sklearn", 1, max(1, repeat // 2)),
        "themescope 1 thread": measure(cache, "themescope", 1, repeat),
        "themescope 2 threads": measure(cache, "themescope", 2, repeat),
    }
    cache.unlink()
    reference = runs["scikit-learn"]["X"]
    rows = []
    for label, r in runs.items():
        X = r.pop("X")
        same = (X.shape == reference.shape and np.array_equal(X.indptr, reference.indptr)
                and np.array_equal(X.indices, reference.indices)
                and np.allclose(X.data, reference.data, rtol=0, atol=1e-12))
        r.update(mb_per_s=mb / r["seconds"], same_as_sklearn=bool(same))
        rows.append(label)
        print(f"  {label:22s} {r['seconds']:8.3f} s {r['mb_per_s']:8.1f} MB/s   peak RSS {r['peak_mb']:7.0f} MB "
              f"(+{r['peak_mb'] - r['baseline_mb']:.0f} MB over the loaded documents)   equal to sklearn: {same}")
    sk, one, two = (runs[k] for k in rows)
    summary = {
        "speedup_1_thread": sk["seconds"] / one["seconds"],
        "speedup_2_threads": sk["seconds"] / two["seconds"],
        "scaling_1_to_2": one["seconds"] / two["seconds"],
        "peak_mb_ratio_1_thread": (one["peak_mb"] - one["baseline_mb"]) / (sk["peak_mb"] - sk["baseline_mb"]),
    }
    print(f"  speed-up vs scikit-learn, 1 thread: {summary['speedup_1_thread']:.1f}x "
          f"(target >= {TARGETS['speedup_1_thread']:.0f}x); 2 threads: {summary['speedup_2_threads']:.1f}x")
    print(f"  1 -> 2 threads: {summary['scaling_1_to_2']:.2f}x (target >= {TARGETS['scaling_1_to_2']}x)")
    print(f"  peak memory growth, themescope / scikit-learn: {summary['peak_mb_ratio_1_thread']:.2f} (target <= 1)")
    return {"documents": len(docs), "megabytes": mb, "runs": runs, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 MB corpora, one repeat: a smoke run")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings (default 3)")
    parser.add_argument("--corpus", choices=("bbc", "bench", "all"), default="all")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        cache, engine, threads, repeat, result = args.worker
        worker(Path(cache), engine, int(threads), int(repeat), Path(result))
        return
    repeat = 1 if args.quick else args.repeat
    results = {}
    if args.corpus in ("bbc", "all"):
        results["bbc"] = run_corpus("bbc", bbc_corpus(2 if args.quick else 20), repeat)
    if args.corpus in ("bench", "all"):
        results["bench"] = run_corpus("linuxdoc+pydoc+man", bench_corpus(2 if args.quick else 50), repeat)
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_vectorize.json").write_text(json.dumps(results, indent=2))
    print(f"\nresults written to {OUT / 'bench_vectorize.json'}")


if __name__ == "__main__":
    main()
