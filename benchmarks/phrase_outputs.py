"""Fingerprints of everything the phrase stage makes in Explorer.fit, at 1 and 2 threads.

A speed change to the phrase stage must leave its output bit-identical: run this on the
wheel before the change and on the one after, and compare the lines (each is a SHA-256 of
the learned pairs and their statistics, the vocabulary, the display forms, the TF-IDF and
count matrices' data/indices/indptr, idf_, lsa_ and function_terms_).

    .venv/bin/python benchmarks/phrase_outputs.py            # gilets jaunes, then BBC x4
    PYTHONPATH=/path/to/unpacked/old/wheel .venv/bin/python benchmarks/phrase_outputs.py
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from typing import Any

import numpy as np

import _harness as h


def gilets_jaunes() -> list[str]:
    with open(h.SHARED / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def bbc_x4() -> list[str]:
    return [p.read_bytes().decode("utf-8", errors="replace") for p in h.bbc_files()] * 4


def fingerprint(explorer: Any) -> str:
    digest = hashlib.sha256()
    vectorizer = explorer.vectorizer_
    stage = vectorizer.analyzer.phrases_
    digest.update(repr(stage.pairs_).encode())
    digest.update(stage.statistics_.to_csv().encode())
    digest.update(repr(list(stage.statistics_.dtypes.astype(str))).encode())
    digest.update(repr(stage.n_tokens_).encode())
    digest.update(repr(sorted(vectorizer.vocabulary_.items())).encode())
    digest.update("\n".join(map(str, explorer.feature_names_)).encode())
    for matrix in (explorer.tfidf_, explorer.counts_):
        for array in (matrix.data, matrix.indices, matrix.indptr):
            digest.update(np.ascontiguousarray(array).tobytes())
    for array in (vectorizer.idf_, explorer.lsa_, explorer.function_terms_):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:16]


def main() -> None:
    import themescope as ts

    print(f"themescope from {ts.__file__}")
    for name, docs in (("gilets jaunes", gilets_jaunes()), ("BBC x4", bbc_x4())):
        for threads in (1, 2):
            ts.set_num_threads(threads)
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the boilerplate remover's notes on a few documents
                explorer = ts.Explorer(random_state=0).fit(docs)
            print(f"{name:<14} {threads} thread(s): {fingerprint(explorer)}  "
                  f"({len(explorer.vectorizer_.analyzer.phrases_.pairs_):,} phrases, "
                  f"{explorer.tfidf_.shape[1]:,} features, {time.perf_counter() - start:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
