"""Shared fixtures: the real corpora from ../shared/corpora (skipped when absent)."""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_corpora_dir() -> Path:
    """Where the shared corpora live: $THEMESCOPE_CORPORA or ../shared/corpora."""
    env = os.environ.get("THEMESCOPE_CORPORA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    path = shared_corpora_dir()
    if not path.is_dir():
        pytest.skip(f"shared corpora not found at {path} (set THEMESCOPE_CORPORA)")
    return path


@pytest.fixture(scope="session")
def bbc_raw(corpora_dir: Path) -> list[tuple[str, str, bytes]]:
    """BBC news as (label, file id, raw bytes), in a fixed order.

    Raw bytes on purpose: one file (sport/199.txt) is Latin-1, not UTF-8.
    """
    root = corpora_dir / "bbc_news_en" / "bbc"
    items = []
    for path in sorted(root.glob("*/*.txt")):
        items.append((path.parent.name, f"{path.parent.name}/{path.name}", path.read_bytes()))
    assert len(items) == 2225, f"expected 2,225 BBC articles, found {len(items)}"
    return items


@pytest.fixture(scope="session")
def bbc_texts(bbc_raw: list[tuple[str, str, bytes]]) -> list[str]:
    """BBC articles as str (the one Latin-1 file decoded with replacement)."""
    return [raw.decode("utf-8", errors="replace") for _, _, raw in bbc_raw]


def largest_pause_of_a_python_thread(work: Callable[[], Any]) -> tuple[float, float, int]:
    """Run work() in a thread while this thread ticks every millisecond.

    Returns (duration of work, longest time between two ticks, number of ticks). A thread
    waiting for the GIL cannot tick: while work holds the GIL in one native call, the pause
    lasts that whole call; released, the pauses stay at a few scheduling quanta.
    """
    started = threading.Event()
    finished = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        started.set()
        try:
            work()
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            finished.set()

    worker = threading.Thread(target=run)
    ticks = [time.perf_counter()]
    worker.start()
    started.wait()
    while not finished.is_set():
        time.sleep(0.001)  # releases the GIL; ticking needs it back
        ticks.append(time.perf_counter())
    end = time.perf_counter()
    worker.join()
    if errors:
        raise errors[0]
    return end - ticks[0], float(np.max(np.diff(ticks))), len(ticks) - 1


@pytest.fixture
def gil_pauses() -> Callable[[Callable[[], Any]], tuple[float, float, int]]:
    """largest_pause_of_a_python_thread: shows whether native work releases the GIL."""
    return largest_pause_of_a_python_thread


def load_benchmark_module(name: str) -> ModuleType:
    """Import benchmarks/<name>.py, the evaluation code whose measured figures some tests check."""
    path = REPO_ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def load_benchmark() -> Callable[[str], ModuleType]:
    """load_benchmark_module: benchmarks/ is not a package (and conftest is not importable by name)."""
    return load_benchmark_module


@pytest.fixture(scope="session")
def news_sample() -> "pd.DataFrame":
    """The five sample articles with made-up metadata, for the tests of issue 20 (dates, titles, outlets).

    000-002 are about the Quad (002 in English), 003 about China, 004 about Russian cyberattacks. Dates in
    three weeks (Mondays 2021-09-20, 09-27, 10-04; none in the week of 09-27), 004 undated; 003 without a
    title, 004 without an outlet; 002's title has markup to escape. Callers copy it before changing it.
    """
    import pandas as pd

    import themescope as ts

    articles = ts.datasets.load_sample_articles()
    return pd.DataFrame({
        "id": articles.ids, "text": articles.data,
        "title": ["Le Quad s'allie contre les cyberattaques", "Le Japon et l'Inde", "Quad summit: <cyber> pledge",
                  None, "Cyberattaques russes"],
        "date": ["2021-09-24", "2021-09-25", "2021-09-21", "2021-10-05", None],
        "outlet": ["Le Monde", "Le Figaro", "Guardian", "Le Monde", None],
    })
