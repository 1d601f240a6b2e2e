"""Throughput of boilerplate removal: the native stage against its Python reference.

`ts.BoilerplateRemover().fit_transform(docs, languages=...)` (cpp/src/boilerplate.cpp,
1 and 2 threads) against the same estimator computed in plain Python
(`themescope._boilerplate_reference.ReferenceBoilerplateRemover`, what themescope ran
before issue 15: regular expressions and str methods). The languages are identified
beforehand (as Explorer.fit does, once per document) and given to both, so the table is
the stage alone; identification itself is timed on its own line. Both must make the same
decisions: the kept texts and report of every configuration are compared.

Every configuration runs in its own child process (this script in --worker mode), N fits
each (min / median / max), peak RSS from VmHWM, the other processes' CPU use beside each
fit ("others", in cores: the machine may be shared). Results go to
benchmarks/out/bench_boilerplate.json.

Corpora: BBC News x4 (8,900 clean articles, 20 MB) and the gilets jaunes press corpus
(3,112 scraped articles, French and English).

    .venv/bin/python benchmarks/bench_boilerplate.py [--repeat N] [--corpus bbc4|gj|all]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import _harness as h
from _harness import OUT, SHARED

CONFIGS = [
    ("Python reference", "reference", 1),
    ("themescope, 1 thread", "native", 1),
    ("themescope, 2 threads", "native", 2),
]


def bbc_x4() -> list[str]:
    return [path.read_bytes().decode("utf-8", errors="replace") for path in h.bbc_files()] * 4


def gilets_jaunes() -> list[str]:
    path = SHARED / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]


def digest(out: list[str], report: Any) -> str:
    """What the decisions were: the kept texts and the report, hashed."""
    sha = hashlib.sha256()
    for text in out:
        sha.update(text.encode("utf-8", errors="surrogatepass") + b"\0")
    sha.update(report.to_csv(index=False).encode("utf-8", errors="surrogatepass"))
    return sha.hexdigest()


def worker(engine: str, threads: int, repeat: int, cache: Path, result_file: Path) -> None:
    import themescope as ts
    from themescope._boilerplate_reference import ReferenceBoilerplateRemover

    ts.set_num_threads(threads)
    with cache.open("rb") as f:
        docs, languages = pickle.load(f)
    cls = ReferenceBoilerplateRemover if engine == "reference" else ts.BoilerplateRemover
    memory = h.start_measuring()
    runs, remover, out = h.timed_fits(repeat, cls, lambda r: r.fit_transform(docs, languages=languages))
    h.save_result({"engine": engine, "version": ts.__version__, "threads": threads, "runs": runs, **memory,
                   "digest": digest(out, remover.report_), "removed_lines": len(remover.report_)}, result_file)


def measure(engine: str, threads: int, repeat: int, cache: Path) -> dict[str, Any]:
    result_file = cache.with_name(f"{cache.stem}.{engine}{threads}.result")
    return h.run_worker(__file__, [engine, threads, repeat, cache, result_file], result_file, threads)


def run_corpus(key: str, title: str, docs: list[str], repeat: int) -> dict[str, Any]:
    import themescope as ts

    OUT.mkdir(exist_ok=True)
    mb = h.utf8_mb(docs)
    ts.set_num_threads(2)
    started = time.perf_counter()
    languages = ts.detect_languages(docs)
    detection = time.perf_counter() - started
    cache = OUT / f"docs_boilerplate_{key}.pickle"
    with cache.open("wb") as f:
        pickle.dump((docs, languages), f, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"\n== {title}: {len(docs):,} documents, {mb:.1f} MB of UTF-8 text; {repeat} fits each "
          f"(the reference: 1)\n   language identification beforehand, 2 threads: {detection:.2f} s "
          f"({mb / detection:.0f} MB/s)", flush=True)
    try:
        results = h.run_configurations(
            CONFIGS, lambda engine, threads: measure(engine, threads, 1 if engine == "reference" else repeat, cache))
    finally:
        cache.unlink(missing_ok=True)
    reference = results.get("Python reference", {})
    h.print_table_header(f"   {'configuration':<24} {'min s':>7} {'median':>7} {'max':>7} {'MB/s':>7} "
                         f"{'vs ref':>7} {'others':>7} {'peak RSS':>9} {'same decisions':>15}")
    rows = {}
    for label, r in results.items():
        if "error" in r:
            print(f"   {label:<24} {r['error']}")
            continue
        seconds = [run["seconds"] for run in r["runs"]]
        row = {**h.throughput_row(r, mb), "min_s": min(seconds), "median_s": statistics.median(seconds),
               "max_s": max(seconds), "digest": r["digest"], "removed_lines": r["removed_lines"]}
        row["mb_per_s"] = mb / row["median_s"]
        row["over_reference"] = (min(reference["runs"], key=lambda run: run["seconds"])["seconds"] / row["median_s"]
                                 if reference and "runs" in reference else None)
        same = "reference" if label == "Python reference" else (
            "yes" if reference and r["digest"] == reference.get("digest") else "NO")
        others = max((run["other_cores"] or 0.0) for run in r["runs"])
        print(f"   {label:<24} {row['min_s']:>7.2f} {row['median_s']:>7.2f} {row['max_s']:>7.2f} "
              f"{row['mb_per_s']:>7.1f} {h.fmt_ratio(row['over_reference'], 1):>7} {others:>7.2f} "
              f"{row['peak_rss_mib']:>5.0f} MiB {same:>15}")
        rows[label] = row
    return {"title": title, "documents": len(docs), "megabytes": mb, "detection_seconds": detection, "rows": rows}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        engine, threads, repeat, cache, result_file = sys.argv[2:7]
        worker(engine, int(threads), int(repeat), Path(cache), Path(result_file))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", choices=["bbc4", "gj", "all"], default="all")
    args = parser.parse_args()
    started = time.perf_counter()
    env = h.environment()
    h.warn_if_busy(env)
    report: dict[str, Any] = {"environment": env, "corpora": {}}
    if args.corpus in ("bbc4", "all"):
        report["corpora"]["bbc4"] = run_corpus("bbc4", "BBC News x4", bbc_x4(), args.repeat)
    if args.corpus in ("gj", "all"):
        report["corpora"]["gj"] = run_corpus("gj", "gilets jaunes press corpus", gilets_jaunes(), args.repeat)
    report["elapsed_seconds"] = time.perf_counter() - started
    h.write_report(report, "bench_boilerplate")


if __name__ == "__main__":
    main()
