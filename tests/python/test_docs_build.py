"""`make docs` builds: the HTML documentation with no warning, every public name in it.

The build (Sphinx, numpydoc, myst-nb: docs/conf.py) executes the three notebooks, so it
takes a few minutes: marked ``slow`` (``-m "not slow"`` leaves it out).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import themescope
import themescope.cli
import themescope.corpus
import themescope.crosslang
import themescope.dask
import themescope.incremental
import themescope.interactive
import themescope.metadata
import themescope.persist
import themescope.plotting
import themescope.report
import themescope.timeline

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS = REPO_ROOT / "docs"
NOTEBOOKS = sorted(p.stem for p in (REPO_ROOT / "notebooks").glob("*.ipynb"))
# The modules whose __all__ the API page documents: the package and the submodules users import.
DOCUMENTED_MODULES = [themescope, themescope.datasets, themescope.lexicon, themescope.corpus,
                      themescope.crosslang, themescope.plotting, themescope.report, themescope.cli,
                      themescope.metadata, themescope.timeline, themescope.interactive,
                      themescope.incremental, themescope.persist, themescope.dask]


def documented_names(module: ModuleType) -> list[str]:
    """Full names of the API page's entries for module's __all__ (modules: their own section)."""
    names = []
    for name in module.__all__:
        value = getattr(module, name)
        if isinstance(value, ModuleType):
            assert value in DOCUMENTED_MODULES, f"{module.__name__}.{name}: a public module not documented"
            continue
        if name == "__version__":
            continue
        home = module.__name__
        names.append(f"{home}.{name}")
    return names


def api_entries() -> set[str]:
    """Every name the autosummary tables of docs/api.rst list, with their currentmodule."""
    entries, module = set(), "themescope"
    in_table = False
    for line in (DOCS / "api.rst").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"\.\. currentmodule:: (\S+)", line):
            module = m.group(1)
        elif line.startswith(".. autosummary::"):
            in_table = True
        elif in_table and re.match(r"   [A-Za-z_]\w*$", line):
            entries.add(f"{module}.{line.strip()}")
        elif in_table and line and not line.startswith(" "):
            in_table = False
    return entries


def test_api_page_lists_every_public_name() -> None:
    entries = api_entries()
    # a name of the package that a submodule also exports is documented once, as themescope.NAME
    package_level = {f"themescope.{n}" for n in themescope.__all__}
    missing = [
        name for module in DOCUMENTED_MODULES for name in documented_names(module)
        if name not in entries and f"themescope.{name.rsplit('.', 1)[1]}" not in (entries & package_level)
    ]
    assert missing == []


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path: Path, corpora_dir: Path) -> None:
    # corpora_dir: the news notebook reads ../shared/corpora (the test skips without it)
    out = tmp_path / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(out)],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=1500,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    # -q: what Sphinx prints is a warning or an error; the notebook kernels' own start-up
    # notices ("[IPKernelApp] WARNING | Kernel is running over TCP ...") are not Sphinx's.
    printed = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("[IPKernelApp]")]
    assert printed == []
    assert (out / "index.html").is_file()
    # every entry of the API page has its page, from its docstring
    for name in api_entries():
        page = out / "generated" / f"{name}.html"
        assert page.is_file(), name
    text = (out / "generated" / "themescope.TfidfVectorizer.html").read_text(encoding="utf-8")
    assert "drop-in replacement" in text and "fit_transform" in text
    # the notebooks, executed: their outputs (tables, figures) are in the pages
    for stem in NOTEBOOKS:
        page = (out / "_generated" / "notebooks" / f"{stem}.html").read_text(encoding="utf-8")
        assert 'class="cell_output' in page, stem
        assert "<img" in page, f"{stem}: no figure rendered"
    # the README as the user guide, the benchmarks page, their link mapped
    guide = (out / "_generated" / "guide.html").read_text(encoding="utf-8")
    assert "Two commands" in guide and 'href="benchmarks.html"' in guide
    assert "bench_vectorize.py" in (out / "_generated" / "benchmarks.html").read_text(encoding="utf-8")
