"""Shared fixtures: the real corpora from ../shared/corpora (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

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
