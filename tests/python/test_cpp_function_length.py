"""No C++ function in cpp/ runs over MAX_LINES lines unless it says why it must be one unit.

Issue 21: a newcomer reads a long function as a list of named steps, not as one block. A
function may stay longer when splitting it would hide what it is (a tight kernel whose
state lives in registers, say): the comment block right above it (above its ``template``
line, if any) then carries ``// one unit: <why>``. Lengths are lizard's (first line of the
signature to the closing brace, lambdas inside included), read from the source tree beside
this test, not from the installed wheel.
"""

from __future__ import annotations

import functools
from pathlib import Path

import lizard  # the test extra (pyproject.toml): a missing lizard fails here, never skips
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CPP_DIR = REPO_ROOT / "cpp"
MAX_LINES = 120
MARKER = "one unit:"
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".cc"}


def _sources() -> list[Path]:
    return sorted(p for p in CPP_DIR.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())


def _has_marker(lines: list[str], start_line: int) -> bool:
    """Whether the comment block right above line `start_line` (1-based) says why."""
    i = start_line - 2
    while i >= 0 and lines[i].lstrip().startswith("template"):
        i -= 1
    while i >= 0 and lines[i].lstrip().startswith("//"):
        if MARKER in lines[i]:
            return True
        i -= 1
    return False


def _unexplained_long_functions_in(path: Path) -> list[tuple[str, int, int]]:
    """(name, first line, lines) of each function of `path` over MAX_LINES without the marker."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (function.name, function.start_line, function.length)
        for function in lizard.analyze_file(str(path)).function_list
        if function.length > MAX_LINES and not _has_marker(lines, function.start_line)
    ]


@functools.cache
def _long_functions() -> tuple[tuple[str, str, int], ...]:
    """(function name, where, lines) of every function in cpp/ over MAX_LINES without the marker."""
    return tuple(
        (name, f"{path.relative_to(REPO_ROOT)}:{start}", length)
        for path in _sources()
        for name, start, length in _unexplained_long_functions_in(path)
    )


def test_the_sources_are_found() -> None:
    # A moved cpp/ (or lizard reading nothing) must not pass as "no long function".
    sources = _sources()
    assert len(sources) > 20
    functions = lizard.analyze_file(str(CPP_DIR / "src" / "boilerplate.cpp")).function_list
    assert any(f.name.endswith("clean_document") for f in functions)


def test_no_function_is_over_the_limit_without_saying_why() -> None:
    long = _long_functions()
    assert not long, (
        f"over {MAX_LINES} lines: split into named steps, or put '// {MARKER} <why>' in the "
        f"comment right above: {long}"
    )


def test_the_marker_is_read_above_a_template_line() -> None:
    marked = ["// a kernel", f"// {MARKER} its state stays in registers", "template <class T>", "void f() {"]
    assert _has_marker(marked, 4)
    assert not _has_marker(["// a kernel", "template <class T>", "void f() {"], 3)
    assert not _has_marker([f"// {MARKER} for g", "", "void f() {"], 3)


@pytest.mark.parametrize("lines", [MAX_LINES - 2, MAX_LINES + 5])
@pytest.mark.parametrize("marked", [False, True])
def test_a_long_function_is_caught_unless_marked(tmp_path: Path, lines: int, marked: bool) -> None:
    body = "\n".join(f"  total += {i};" for i in range(lines - 3))
    marker = f"// {MARKER} a kernel kept whole\n" if marked else ""
    source = tmp_path / "long.cpp"
    text = f"// sums\n{marker}int sum(int total) {{\n{body}\n  return total;\n}}\n"
    source.write_text(text, encoding="utf-8")
    caught = _unexplained_long_functions_in(source)
    if lines > MAX_LINES and not marked:
        assert caught == [("sum", 2, lines)]  # from its signature to its brace
    else:
        assert caught == []
