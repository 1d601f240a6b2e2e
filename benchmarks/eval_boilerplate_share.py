"""Share of words boilerplate removal takes, per source: it must never eat content.

Issue 17's figures: on BBC News (clean articles) at most 0.5% of the words, on the manual
pages and the Python documentation of ``make_bench_corpus.sh`` at most 1%, while the sample
articles still lose their newsletter, comment-form and podcast blocks. Each source is
cleaned twice in the same run: with the defaults, and with ``max_removed_share=1.0`` (no
document kept whole, what the stage did to wrapped text before), so the figures sit side by
side. Words are ``\\w+`` runs. The documents kept whole and the warning are counted too.

    .venv/bin/python benchmarks/eval_boilerplate_share.py [--bench-corpus DIR/corpus.jsonl]

The bench corpus is optional (``bash ../shared/corpora/make_bench_corpus.sh DIR`` installs
Debian packages and writes it; ``BENCH_SOURCES="pydoc man"`` is enough here).
"""

from __future__ import annotations

import argparse
import json
import re
import warnings
from pathlib import Path

import themescope as ts
from _harness import SHARED

WORD = re.compile(r"\w+")


def words(texts: list[str]) -> int:
    return sum(len(WORD.findall(t)) for t in texts)


def corpora(bench: Path | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"sample articles": list(ts.datasets.load_sample_articles().data)}
    root = SHARED
    bbc = sorted((root / "bbc_news_en" / "bbc").glob("*/*.txt"))
    out["BBC News"] = [p.read_bytes().decode("utf-8", errors="replace") for p in bbc]
    with (root / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl").open(encoding="utf-8") as lines:
        out["gilets jaunes press"] = [json.loads(line)["text"] for line in lines]
    if bench is not None:
        with bench.open(encoding="utf-8") as lines:
            docs = [json.loads(line) for line in lines]
        for source in sorted({d["source"] for d in docs}):
            for lang in sorted({d["lang"] for d in docs if d["source"] == source}):
                out[f"{source} ({lang})"] = [d["text"] for d in docs if d["source"] == source and d["lang"] == lang]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench-corpus", type=Path, default=None, help="corpus.jsonl of make_bench_corpus.sh")
    args = parser.parse_args()
    print(f"{'source':24s} {'docs':>7s} {'words':>10s} {'removed':>9s} {'kept whole':>11s} "
          f"{'removed, max_removed_share=1':>30s}")
    for name, docs in corpora(args.bench_corpus).items():
        languages = ts.detect_languages(docs)
        total = words(docs)
        shares = []
        for share in (0.1, 1.0):
            remover = ts.BoilerplateRemover(max_removed_share=share)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # counted below, from kept_whole_
                out = remover.fit_transform(docs, languages=languages)
            shares.append((1 - words(out) / total, len(remover.kept_whole_)))
        (removed, whole), (removed_all, _) = shares
        print(f"{name:24s} {len(docs):7d} {total:10d} {100 * removed:8.2f}% {whole:11d} {100 * removed_all:29.2f}%")


if __name__ == "__main__":
    main()
