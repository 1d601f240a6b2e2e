#!/usr/bin/env python3
"""Convert Snowball `stop.txt` files into themescope's stop word files.

Usage: convert_snowball.py [RAW_DIR [OUT_DIR]]

RAW_DIR (default: the `snowball/` folder beside this file) holds the source files as
`<snowball name>_stop.txt` (e.g. `french_stop.txt`), byte for byte as listed in SOURCES
below. One `<iso639-1>.txt` per language is written to OUT_DIR (default: this file's
folder).

The Snowball format: text from a `|` to the end of the line is a comment; what is left
of a line holds zero or more words separated by white space. The conversion keeps
every word, in file order, one per line, drops repeats (first occurrence kept) and
changes nothing else: no case folding or normalization (the C++ core normalizes
when it loads the lists, see README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

LUCENE = "apache/lucene"
LUCENE_SOLR = "apache/lucene-solr"
LUCENE_DIR = "lucene/analysis/common/src/resources/org/apache/lucene/analysis/snowball/"

# iso639-1 -> (Snowball algorithm name, repository, path, commit) of the copy used.
# Apache Lucene copies Snowball's stop.txt files with a licence notice added (itself a
# comment) and the encoding converted to UTF-8. Lucene later edited three of them
# (French: ten homonyms commented out; Spanish: estado/estada/estados/estadas removed;
# Swedish: sitta -> sitt); for those the commit before the edit is used, whose words are
# Snowball's (see README.md for the cross-checks).
SOURCES: dict[str, tuple[str, str, str, str]] = {
    "da": ("danish", LUCENE, LUCENE_DIR + "danish_stop.txt", "37bfb6074e43b312cb8a4e6eadf0a41a9f6e17fe"),
    "de": ("german", LUCENE, LUCENE_DIR + "german_stop.txt", "f1f8c3f24d073d1bef1acb526d1de8beed92e775"),
    "en": ("english", LUCENE, LUCENE_DIR + "english_stop.txt", "f1f8c3f24d073d1bef1acb526d1de8beed92e775"),
    "es": ("spanish", LUCENE, LUCENE_DIR + "spanish_stop.txt", "f1f8c3f24d073d1bef1acb526d1de8beed92e775"),
    "fr": ("french", LUCENE_SOLR, LUCENE_DIR + "french_stop.txt", "0203815ab2bf72a77fe8f58daa0e6e269e00e9a8"),
    "it": ("italian", LUCENE, LUCENE_DIR + "italian_stop.txt", "966ac99fb3f3769d0e26fd9c826afada57127919"),
    "nl": ("dutch", LUCENE, LUCENE_DIR + "dutch_stop.txt", "334e8036a8e02d6463e2fa0ccc498e441eae0bf1"),
    "no": ("norwegian", LUCENE, LUCENE_DIR + "norwegian_stop.txt", "f1f8c3f24d073d1bef1acb526d1de8beed92e775"),
    "pt": ("portuguese", LUCENE, LUCENE_DIR + "portuguese_stop.txt", "f3444f49d7ecabf274e59a9e06ea2a7655151817"),
    "sv": ("swedish", LUCENE_SOLR, LUCENE_DIR + "swedish_stop.txt", "e6406249d99f7ed023b71a792a0c0de13cd31b5a"),
}


def snowball_words(text: str) -> list[str]:
    """Words of a Snowball stop list, in file order, repeats dropped."""
    words: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        for word in line.split("|", 1)[0].split():
            if word not in seen:
                seen.add(word)
                words.append(word)
    return words


def header(iso: str, name: str, repo: str, path: str, commit: str) -> str:
    lines = [
        f"Snowball stop words: {name} ({iso}).",
        f"Source: the Snowball project, https://snowballstem.org/algorithms/{name}/stop.txt",
        f"Copy used: {repo} {path} at commit {commit} (verbatim in snowball/)",
        "Licence: BSD 3-clause (Snowball project); text in README.md beside this file.",
        "Converted by convert_snowball.py: comments after '|' removed, one word per line, repeats dropped.",
    ]
    return "".join(f"# {line}\n" for line in lines)


def main(argv: list[str]) -> int:
    if len(argv) > 3:
        print(__doc__, file=sys.stderr)
        return 2
    here = Path(__file__).resolve().parent
    raw_dir = Path(argv[1]) if len(argv) >= 2 else here / "snowball"
    out_dir = Path(argv[2]) if len(argv) == 3 else here
    for iso, (name, repo, path, commit) in sorted(SOURCES.items()):
        text = (raw_dir / f"{name}_stop.txt").read_text(encoding="utf-8")
        words = snowball_words(text)
        if any(w.startswith("#") for w in words):
            raise SystemExit(f"{name}: a word starts with '#', which the loader reads as a comment")
        body = header(iso, name, repo, path, commit) + "".join(f"{w}\n" for w in words)
        (out_dir / f"{iso}.txt").write_text(body, encoding="utf-8", newline="\n")
        print(f"{iso}: {len(words)} words from {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
