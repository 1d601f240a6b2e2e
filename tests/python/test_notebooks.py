"""The notebooks are committed without outputs and run from top to bottom (nbclient)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 240  # seconds; the three notebooks take well under a minute each on 2 cores


def test_there_are_four_notebooks() -> None:
    assert [n.name for n in NOTEBOOKS] == [
        "01_sample_articles.ipynb", "02_news_themes.ipynb", "03_scripted_clustering.ipynb",
        "04_scale_out.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs committed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           request: pytest.FixtureRequest) -> None:
    import nbformat
    from nbclient import NotebookClient

    if path.stem.startswith("02"):
        request.getfixturevalue("corpora_dir")  # skips when the shared corpora are absent
    # results the notebooks save go to a scratch folder, not into the checkout
    monkeypatch.setenv("THEMESCOPE_OUTPUT_DIR", str(tmp_path))
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    figures = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
               if "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})]
    assert figures, f"{path.name} shows no figure"


def test_news_notebook_says_what_to_do_without_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = REPO_ROOT / "notebooks" / "02_news_themes.ipynb"
    monkeypatch.setenv("THEMESCOPE_CORPORA", str(tmp_path / "absent"))
    notebook = nbformat.read(path, as_version=4)
    # only the cells up to the one that finds the corpus
    last = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "THEMESCOPE_CORPORA" in c.source)
    notebook.cells = notebook.cells[: last + 1]
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with pytest.raises(CellExecutionError) as caught:
        client.execute()
    message = str(caught.value)
    assert "FileNotFoundError" in message
    assert "THEMESCOPE_CORPORA" in message and "bbc_news_en" in message
    assert os.fspath(tmp_path / "absent") in message
