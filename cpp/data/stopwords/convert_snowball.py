#!/usr/bin/env python3
"""Convert Snowball `stop.txt` files into themescope's stop word files.

Usage: convert_snowball.py RAW_DIR [OUT_DIR]

RAW_DIR holds the upstream files as `<snowball name>.txt` (e.g. `french.txt`), byte for
byte as listed in SOURCES below. One `<iso639-1>.txt` per language is written to OUT_DIR
(default: this file's folder).

The Snowball format: text from a `|` to the end of the line is a comment; what is left
of a line holds zero or more words separated by white space. The conversion keeps
every word, in file order, one per line, drops repeats (first occurrence kept) and
changes nothing else: no case folding or normalization (the C++ core normalizes
when it loads the lists, see README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

SNOWBALL_SITE = "snowballstem/snowball-website"
SPHINX = "sphinx-doc/sphinx"

# iso639-1 -> (Snowball algorithm name, repository, path, commit) of the copy used.
# snowball-website is the upstream; where its stored copy lacked a language, the file
# comes from Sphinx, which copies the upstream stop.txt files unchanged except for a
# first line `| source: <upstream URL>` (itself a comment).
SOURCES: dict[str, tuple[str, str, str, str]] = {
    "da": ("danish", SNOWBALL_SITE, "algorithms/danish/stop.txt", "073b42ad9fb154f4150ef6329bfd2ca58000d6f0"),
    "de": ("german", SPHINX, "sphinx/search/_stopwords/de.txt", "9a4163634884b00414d23efd28e1520fdcd824c0"),
    "en": ("english", SNOWBALL_SITE, "algorithms/english/stop.txt", "8ee5cf948ac1e90c4eeb4f5258b8e01950baa765"),
    "es": ("spanish", SPHINX, "sphinx/search/_stopwords/es.txt", "2ba0368101252b78a97e6c988d90149f87738ce7"),
    "fr": ("french", SPHINX, "sphinx/search/_stopwords/fr.txt", "75400aff91758c3f605a81a8d2afb4ff6a304d49"),
    "it": ("italian", SNOWBALL_SITE, "algorithms/italian/stop.txt", "013d96b2fcaee7caf78846656d2146b4a0cd82e8"),
    "nl": ("dutch", SPHINX, "sphinx/search/_stopwords/nl.txt", "c30effe714ac79f1556b41fea4a1be80269a3141"),
    "no": ("norwegian", SNOWBALL_SITE, "algorithms/norwegian/stop.txt", "8886ccb8005a2f8dbec873d068a09d41336e868a"),
    "pt": ("portuguese", SPHINX, "sphinx/search/_stopwords/pt.txt", "c30effe714ac79f1556b41fea4a1be80269a3141"),
    "sv": ("swedish", SPHINX, "sphinx/search/_stopwords/sv.txt", "9a4163634884b00414d23efd28e1520fdcd824c0"),
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
        f"Copy used: {repo} {path} at commit {commit}",
        "Licence: BSD 3-clause (Snowball project); text in README.md beside this file.",
        "Converted by convert_snowball.py: comments after '|' removed, one word per line, repeats dropped.",
    ]
    return "".join(f"# {line}\n" for line in lines)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    raw_dir = Path(argv[1])
    out_dir = Path(argv[2]) if len(argv) == 3 else Path(__file__).resolve().parent
    for iso, (name, repo, path, commit) in sorted(SOURCES.items()):
        text = (raw_dir / f"{name}.txt").read_text(encoding="utf-8")
        words = snowball_words(text)
        if any(w.startswith("#") for w in words):
            raise SystemExit(f"{name}: a word starts with '#', which the loader reads as a comment")
        body = header(iso, name, repo, path, commit) + "".join(f"{w}\n" for w in words)
        (out_dir / f"{iso}.txt").write_text(body, encoding="utf-8", newline="\n")
        print(f"{iso}: {len(words)} words from {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
