"""Bundled data: the sample corpus of scraped news articles."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from sklearn.utils import Bunch

__all__ = ["load_sample_articles"]

_DESCR = """\
Sample articles
---------------
Five news articles about cyber-security alliances, scraped from the web as they
are (four in French, one in English), so they carry what real scraped text
carries: repeated newsletter blocks, comment forms, podcast lists, curly
apostrophes (L'OTAN), numbers written 30.000 and 1,000. Articles 000 (French)
and 002 (English) report the same Quad summit.

==============  ======================
Documents       5
Languages       fr (000, 001, 003, 004), en (002)
Encoding        UTF-8
==============  ======================
"""


def _article_paths() -> list[Path]:
    folder = resources.files(__name__) / "data" / "sample_articles"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def load_sample_articles(*, as_frame: bool = False) -> Bunch:
    """Load the five bundled sample articles.

    Parameters
    ----------
    as_frame : bool, default=False
        When True, ``data`` is a pandas Series indexed by article id and the
        Bunch also holds ``frame``, a DataFrame with columns ``id``,
        ``filename`` and ``text``.

    Returns
    -------
    sklearn.utils.Bunch
        ``data`` (the texts, list of str or Series), ``ids`` (``"000"`` ...
        ``"004"``), ``filenames`` (paths of the files) and ``DESCR``.

    Examples
    --------
    >>> from themescope.datasets import load_sample_articles
    >>> articles = load_sample_articles()
    >>> articles.ids
    ['000', '001', '002', '003', '004']
    >>> "Quad" in articles.data[2]
    True
    """
    paths = _article_paths()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    ids = [p.name.split("_", 1)[0] for p in paths]
    filenames = [str(p) for p in paths]
    bunch: dict[str, Any] = {"data": texts, "ids": ids, "filenames": filenames, "DESCR": _DESCR}
    if as_frame:
        import pandas as pd

        frame = pd.DataFrame({"id": ids, "filename": filenames, "text": texts})
        bunch["frame"] = frame
        bunch["data"] = pd.Series(texts, index=pd.Index(ids, name="id"), name="text")
    return Bunch(**bunch)
