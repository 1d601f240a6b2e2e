"""A corpus larger than memory: partial_fit over read_corpus chunks, then a second pass, bounded RSS.

Writes a JSON-lines corpus of at least ``--gigabytes`` GB (BBC and gilets-jaunes articles,
lightly edited copies, ids unique: ``benchmarks/out/stream_corpus.jsonl``, reused when it is
there and large enough), then in a fresh process: ``ts.TfidfVectorizer(min_df=2,
sublinear_tf=True).partial_fit`` over ``ts.read_corpus(path, chunksize=N)``, and a second pass
that transforms each chunk (the rows counted and dropped, as a job writing them to disk
would). Reports the corpus size, the time of each pass, MB/s and the peak RSS (VmHWM) of
the process (target: under 1.5 GB for a 3 GB corpus).

    .venv/bin/python benchmarks/bench_stream.py [--gigabytes 3] [--chunksize 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import _harness as h
from _harness import MIB, OUT

TARGET_PEAK_GB = 1.5

WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[3])
import _harness as h
import themescope as ts
path, chunksize = sys.argv[1], int(sys.argv[2])
h.reset_peak_rss()
start = time.perf_counter()
vectorizer = ts.TfidfVectorizer(min_df=2, sublinear_tf=True)
documents = 0
for chunk in ts.read_corpus(path, chunksize=chunksize):
    vectorizer.partial_fit(chunk["text"])
    documents += len(chunk)
learned = time.perf_counter()
rows = stored = 0
for chunk in ts.read_corpus(path, chunksize=chunksize):
    X = vectorizer.transform(chunk["text"])
    rows += X.shape[0]
    stored += X.nnz
done = time.perf_counter()
print(json.dumps({"documents": documents, "rows": rows, "stored": stored, "terms": len(vectorizer.vocabulary_),
                  "terms_seen": len(vectorizer.term_statistics_.terms), "fit_s": learned - start,
                  "transform_s": done - learned, "peak_rss_mib": h.peak_rss_bytes() / (1024 * 1024)}))
"""


def write_corpus(path: Path, gigabytes: float) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_explorer import bbc_labelled, gilets_jaunes, lightly_edited

    base = bbc_labelled()[0] + [r["text"] for r in gilets_jaunes()]
    rng = random.Random(0)
    target = int(gigabytes * 1e9)
    written = 0
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            line = json.dumps({"id": f"d{n}", "text": lightly_edited(base[n % len(base)], rng)},
                              ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=3.0)
    parser.add_argument("--chunksize", type=int, default=20_000)
    args = parser.parse_args()
    began = time.perf_counter()
    OUT.mkdir(exist_ok=True)
    path = OUT / "stream_corpus.jsonl"
    if not path.exists() or path.stat().st_size < args.gigabytes * 1e9:
        start = time.perf_counter()
        write_corpus(path, args.gigabytes)
        print(f"wrote {path} ({path.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - start:.0f} s")
    size_mb = path.stat().st_size / 1e6
    out = subprocess.run([sys.executable, "-c", WORKER, str(path), str(args.chunksize), str(Path(__file__).parent)],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    report = {"elapsed_seconds": time.perf_counter() - began, "corpus_mb": size_mb, "chunksize": args.chunksize,
              **result, "environment": h.environment()}
    h.write_report(report, "bench_stream")
    peak_gb = result["peak_rss_mib"] * MIB / 1e9
    print(f"{size_mb / 1e3:.2f} GB, {result['documents']:,} documents in chunks of {args.chunksize:,}: "
          f"partial_fit pass {result['fit_s']:.0f} s ({size_mb / result['fit_s']:.0f} MB/s), transform pass "
          f"{result['transform_s']:.0f} s ({size_mb / result['transform_s']:.0f} MB/s); {result['terms']:,} terms kept "
          f"of {result['terms_seen']:,} seen; peak RSS {peak_gb:.2f} GB (target < {TARGET_PEAK_GB} GB: "
          f"{h.check(peak_gb, TARGET_PEAK_GB, False)})")


if __name__ == "__main__":
    main()
