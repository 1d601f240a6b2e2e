"""atheris fuzzing of the Python entry points: read_corpus, the themescope command, Explorer.

Each input becomes a small folder of files (text, JSON lines, CSV; any bytes) and a command
line; the command must exit 0, or 2 with one `themescope: error:` line (1 for a missing
extra), and read_corpus and Explorer.fit must answer or raise the documented exceptions
(ValueError, TypeError, OSError, UnicodeDecodeError, ImportError for a missing extra).
Anything else, or a crash, is a finding. Run by `make fuzz-python FUZZ_SECONDS=N`.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import warnings
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["themescope"]):
    import themescope as ts
    from themescope.cli import main

EXPECTED = (ValueError, TypeError, OSError, UnicodeDecodeError, ImportError)
SUFFIXES = [".txt", ".md", ".jsonl", ".csv", ".tsv", ".json", ""]
COMMANDS = [["analyze", "--format", "json"], ["analyze", "--format", "csv", "--clusters", "2"],
            ["languages"], ["similar", "query"], ["analyze", "--clusters", "auto", "--cross-language"]]
OPTIONS = ["--text-column", "--id-column", "--encoding-errors", "-k", "--top-terms", "--language", "--neighbors"]


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i in range(fdp.ConsumeIntInRange(0, 4)):
            suffix = SUFFIXES[fdp.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
            (root / f"doc{i}{suffix}").write_bytes(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 600)))
        target = root if fdp.ConsumeBool() else next(iter(sorted(root.iterdir())), root)
        arguments = list(COMMANDS[fdp.ConsumeIntInRange(0, len(COMMANDS) - 1)])
        arguments.insert(1, str(target))
        for _ in range(fdp.ConsumeIntInRange(0, 2)):
            arguments += [OPTIONS[fdp.ConsumeIntInRange(0, len(OPTIONS) - 1)], fdp.ConsumeUnicodeNoSurrogates(8)]
        arguments.append("--quiet")
        stderr = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
            status = main(arguments)
        lines = stderr.getvalue().strip().splitlines()
        errors = [line for line in lines if "error:" in line]
        if status not in (0, 1, 2) or (status != 0 and len(errors) != 1):
            raise AssertionError(f"{arguments}: status {status}, stderr {stderr.getvalue()!r}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                corpus = ts.read_corpus(str(target))
            except EXPECTED:
                corpus = None
            texts = [fdp.ConsumeUnicode(200) for _ in range(fdp.ConsumeIntInRange(0, 5))]
            if corpus is not None:
                texts += corpus["text"].tolist()
            try:
                ts.Explorer(random_state=0).fit(texts)
            except EXPECTED:
                pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
