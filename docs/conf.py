"""Sphinx configuration: `make docs` builds docs/_build/html from the docstrings,
the README, the three notebooks (executed at build time) and benchmarks/README.md.

Why Sphinx with numpydoc (and not MkDocs with mkdocstrings): the docstrings are
numpy-style, as scikit-learn's are, and themescope's estimators inherit
scikit-learn's; numpydoc renders them as scikit-learn's own documentation does
and validates them (numpydoc_validation_checks below), autosummary gives every
public name its page, and myst-nb renders the notebooks executed, all inside one
`sphinx-build -W` run. See docs/why-sphinx.md.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import themescope

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
GENERATED = DOCS / "_generated"  # copied sources (README, benchmarks, notebooks); rebuilt every run

project = "themescope"
author = "themescope developers"
copyright = "themescope developers"
version = release = themescope.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "numpydoc",
    "myst_nb",  # Markdown pages (myst-parser) and notebooks, executed at build time
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
root_doc = "index"
html_theme = "pydata_sphinx_theme"
html_title = f"themescope {release}"
html_theme_options = {"navigation_with_keys": False}
html_static_path: list[str] = []

# ---- API reference
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # the signatures carry them; numpydoc's Parameters say the rest
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False  # each method gets its own entry through autodoc
numpydoc_xref_param_type = False
# Docstring checks that hold for every public name (warnings, so errors under -W):
#   GL02/GL03 blank lines, GL05 tabs, GL06/GL07 unknown or misordered sections,
#   SS01 no summary, SS02 summary starting lower-case, SS05 summary starting with
#   "Returns"-style third person is allowed; PR06 "integer"/"boolean"/"string" as types.
numpydoc_validation_checks = {"GL02", "GL03", "GL05", "GL06", "GL07", "SS01", "PR06"}
# Not docstrings numpydoc's rules are for: scikit-learn's inherited ones (scikit-learn's
# business), and module constants, documented by a `#:` comment.
numpydoc_validation_exclude = {r"\.get_params$", r"\.set_params$", r"\.set_output$",
                               r"\.get_metadata_routing$", r"\.set_.*_request$",
                               r"\.[A-Z][A-Z0-9_]*$"}


def _skip_member(app: object, what: str, name: str, obj: object, skip: bool, options: object) -> bool | None:
    """Leave out the set_*_request methods scikit-learn generates on every estimator
    subclass (metadata routing): their docstrings refer to scikit-learn's user guide,
    and api.rst links it once instead."""
    if re.fullmatch(r"set_\w+_request", name):
        return True
    return None


def setup(app: object) -> None:
    app.connect("autodoc-skip-member", _skip_member)  # type: ignore[attr-defined]

# ---- notebooks: executed at every build, errors stop it
# THEMESCOPE_DOCS_EXECUTE=off skips it while editing pages; make docs and the test always execute.
nb_execution_mode = "off" if os.environ.get("THEMESCOPE_DOCS_EXECUTE") == "off" else "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
myst_heading_anchors = 3

# The news notebook finds the BBC corpus through THEMESCOPE_CORPORA (../shared/corpora
# beside the checkout); results the notebooks save go to a scratch folder.
os.environ.setdefault("THEMESCOPE_CORPORA", str(REPO.parent / "shared" / "corpora"))
os.environ.setdefault("THEMESCOPE_OUTPUT_DIR", tempfile.mkdtemp(prefix="themescope-docs-"))

# ---- pages that live elsewhere in the repository, copied in with their links mapped
_PAGES = {
    "README.md": "guide.md",
    "benchmarks/README.md": "benchmarks.md",
}


def _relink(text: str, source: str) -> str:
    """Map a page's relative links to where its targets are in the docs.

    Links to another copied page become links to its copy, images under docs/
    point back there, other files of the repository (source files, schemas)
    become their path in code, since the site does not carry them.
    """
    base = Path(source).parent

    def target_of(match: re.Match[str]) -> str:
        bang, label, target = match.group(1), match.group(2), match.group(3)
        if re.match(r"[a-z]+:|#", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        repo_path = os.path.normpath(base / path).replace(os.sep, "/")
        if repo_path in _PAGES:
            new = _PAGES[repo_path] + (f"#{anchor}" if anchor else "")
        elif repo_path == "docs/_build/html/index.html":  # the built site's entry page: this site
            new = "../index.md"
        elif repo_path.startswith("docs/"):
            new = "../" + repo_path[len("docs/"):]
        elif repo_path.startswith("notebooks/") and repo_path.endswith(".ipynb"):
            new = repo_path
        else:
            return f"{label} (`{repo_path}`)" if label != repo_path else f"`{repo_path}`"
        return f"{bang}[{label}]({new})"

    return re.sub(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)", target_of, text)


def _copy_sources() -> None:
    shutil.rmtree(GENERATED, ignore_errors=True)
    (GENERATED / "notebooks").mkdir(parents=True)
    for source, page in _PAGES.items():
        text = (REPO / source).read_text(encoding="utf-8")
        (GENERATED / page).write_text(_relink(text, source), encoding="utf-8")
    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        shutil.copy2(notebook, GENERATED / "notebooks" / notebook.name)


_copy_sources()
