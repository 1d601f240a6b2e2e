"""No function of the package is longer than a reader can hold, unless it says why (issue 21).

A function's length is its lines from ``def`` to its end, its docstring left out (numpy-style
docstrings with examples are what the house style asks for, and no burden on the logic). Over
:data:`MAX_LINES`, the function must carry the marker :data:`MARKER` in the comment block right
above it (above its decorators, if any), followed by the reason it must be one unit.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import themescope

ROOT = Path(themescope.__file__).parent
MAX_LINES = 80
MARKER = "# one unit:"
_MARKED = re.compile(r"^\s*# one unit: \S")


def _length(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = function.body
    first = body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(
        first.value.value, str)
    assert function.end_lineno is not None
    if docstring and len(body) > 1:
        return (first.lineno - function.lineno) + (function.end_lineno - body[1].lineno + 1)
    if docstring:
        return first.lineno - function.lineno + 1
    return function.end_lineno - function.lineno + 1


def _marked(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    """Whether the comment block right above the function (and its decorators) has the marker."""
    top = min([function.lineno, *(d.lineno for d in function.decorator_list)]) - 1  # 0-based
    row = top - 1
    while row >= 0 and lines[row].lstrip().startswith("#"):
        if _MARKED.match(lines[row]):
            return True
        row -= 1
    return False


def long_functions(source: str, name: str = "<source>") -> list[tuple[str, int, int, bool]]:
    """(qualified name, first line, length, marked) of every function over MAX_LINES lines."""
    tree = ast.parse(source, name)
    lines = source.splitlines()
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qualified = f"{prefix}{child.name}"
                length = _length(child)
                if length > MAX_LINES:
                    found.append((qualified, child.lineno, length, _marked(child, lines)))
                visit(child, qualified + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def test_the_measure_and_the_marker():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))  # with its def: one line too many
    source = (f"def short():\n    '''A docstring\n{chr(10).join(['    line'] * 100)}\n    '''\n    return 1\n\n\n"
              f"def long():\n{body}\n\n\n"
              f"# Why:\n{MARKER} the passes share state\n@staticmethod\ndef marked():\n{body}\n")
    line_of = {text: number for number, text in enumerate(source.splitlines(), 1)}
    assert long_functions(source) == [("long", line_of["def long():"], MAX_LINES + 1, False),
                                      ("marked", line_of["def marked():"], MAX_LINES + 1, True)]
    fits = "def fits():\n" + "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES - 1)) + "\n"
    assert long_functions(fits) == []


def test_no_long_function_without_a_reason():
    unmarked = []
    for path in sorted(ROOT.rglob("*.py")):
        for name, line, length, marked in long_functions(path.read_text(encoding="utf-8"), str(path)):
            if not marked:
                unmarked.append(f"{path.relative_to(ROOT)}:{line} {name}: {length} lines")
    assert not unmarked, (f"functions over {MAX_LINES} lines (docstrings left out) without a "
                          f"'{MARKER} <why>' comment above them:\n" + "\n".join(unmarked))
