"""The README example and the docstring examples run and say what they claim."""

from __future__ import annotations

import doctest
import re

import pytest

import themescope
import themescope._threads
import themescope.datasets
import themescope.lexicon
import themescope.analysis
import themescope.boilerplate
import themescope.language
import themescope.text
import themescope.dask
import themescope.incremental
import themescope.interactive
import themescope.metadata
import themescope.persist
import themescope.shaping
import themescope.timeline
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "README.md has no python example"
    exec(compile(blocks[0], "README.md", "exec"), {})
    printed = capsys.readouterr().out
    top = re.findall(r"'([^']+)'", printed)
    assert len(top) == 5
    # English stop words are filtered: the English article's top terms are content words.
    assert not set(top) & set(themescope.text._sk_text.ENGLISH_STOP_WORDS)
    assert "cybersecurity" in top


@pytest.mark.parametrize(
    "module",
    [themescope, themescope.text, themescope._threads, themescope.datasets, themescope.lexicon,
     themescope.language, themescope.analysis, themescope.phrases, themescope.boilerplate, themescope.metadata,
     themescope.timeline, themescope.shaping, themescope.interactive, themescope.incremental,
     themescope.dask],
    ids=lambda m: m.__name__,
)
def test_docstring_examples(module: object) -> None:
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)  # type: ignore[arg-type]
    assert tried > 0 and failures == 0
