"""The stubs (python/themescope/_core.pyi) say what the compiled module has.

``mypy.stubtest`` (``make stubtest``, part of ``make test``) checks names, classes,
properties and metaclasses, but cannot see the parameters of pybind11 functions: they
have no ``__text_signature__``. pybind11 writes each signature as the first line of the
docstring instead (``name(a: int, *, b: str = 'x') -> list``). This test reads those
lines and compares every function and method of the stub with them: parameter names,
order, which are keyword-only, which have defaults and the defaults' values. Types are
left to mypy: pybind11 names them by their Python class (``list``), the stub more exactly
(``list[str]``).
"""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import themescope._core as core

STUB = Path(core.__file__).with_name("_core.pyi")  # the stub installed beside the module
# pybind11's placeholder for a class bound without a constructor (it raises TypeError)
NO_CONSTRUCTOR = "Initialize self.  See help(type(self)) for accurate signature."


@dataclass(frozen=True)
class Param:
    name: str
    keyword_only: bool
    default: Any  # NO_DEFAULT, a literal, or UNKNOWN (not a Python literal)


NO_DEFAULT = object()
UNKNOWN = object()


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return UNKNOWN


def _split_top_level(text: str) -> list[str]:
    """Split at commas outside brackets and quotes."""
    parts, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def _params_of_text(params: str) -> list[Param]:
    result, keyword_only = [], False
    for part in _split_top_level(params):
        if part == "*":
            keyword_only = True
            continue
        if part == "/":
            continue
        name, _, rest = part.partition(":")
        default = NO_DEFAULT
        if "=" in (rest if rest else name):
            default_text = (rest if rest else name).split("=", 1)[1].strip()
            default = _literal(default_text)
            name = name.split("=", 1)[0]
        result.append(Param(name.strip(), keyword_only, default))
    return result


def runtime_signatures(name: str, obj: Any) -> list[list[Param]]:
    """Each overload's parameters, from pybind11's docstring lines ``name(...) -> ...``."""
    doc = inspect.getdoc(obj) or ""
    found = []
    for line in doc.splitlines():
        match = re.match(rf"^(?:\d+\. )?{re.escape(name)}\((.*)\) -> .*$", line.strip())
        if match:
            found.append(_params_of_text(match.group(1)))
    return found


def _stub_params(node: ast.FunctionDef) -> list[Param]:
    args = node.args
    positional = args.posonlyargs + args.args
    defaults: list[Any] = [NO_DEFAULT] * (len(positional) - len(args.defaults)) + list(args.defaults)
    result = [
        Param(a.arg, False, NO_DEFAULT if d is NO_DEFAULT else _literal(ast.unparse(d)))
        for a, d in zip(positional, defaults)
    ]
    result += [
        Param(a.arg, True, NO_DEFAULT if d is None else _literal(ast.unparse(d)))
        for a, d in zip(args.kwonlyargs, args.kw_defaults)
    ]
    return result


def stub_functions() -> list[tuple[str, ast.FunctionDef]]:
    """(dotted name, node) of every function and method in the stub, properties excepted."""
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    found = []

    def is_property(node: ast.FunctionDef) -> bool:
        return any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            found.append((node.name, node))
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and not is_property(member):
                    found.append((f"{node.name}.{member.name}", member))
    return found


def runtime_object(dotted: str) -> Any:
    obj: Any = core
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


STUB_FUNCTIONS = stub_functions()


def test_the_stub_has_functions_and_methods() -> None:
    names = [name for name, _ in STUB_FUNCTIONS]
    assert len(names) > 20 and "TermCounter.take_matrix" in names and "stem" in names


def test_every_runtime_callable_has_a_signature_line() -> None:
    """The comparison below relies on pybind11's docstring signatures: each bound
    function and method has one (a plain-Python callable would have a real signature)."""
    missing = []
    for name, obj in vars(core).items():
        if callable(obj) and not isinstance(obj, type) and not name.startswith("_"):
            if not runtime_signatures(name, obj):
                missing.append(name)
    assert missing == []


@pytest.mark.parametrize("dotted, node", STUB_FUNCTIONS, ids=[name for name, _ in STUB_FUNCTIONS])
def test_stub_parameters_match_the_compiled_module(dotted: str, node: ast.FunctionDef) -> None:
    runtime = runtime_object(dotted)
    name = dotted.rsplit(".", 1)[-1]
    if name == "__init__" and inspect.getdoc(runtime) == NO_CONSTRUCTOR:
        pytest.fail(f"{dotted}: the stub declares a constructor the module does not bind")
    overloads = runtime_signatures(name, runtime)
    assert overloads, f"{dotted}: no pybind11 signature line in {inspect.getdoc(runtime)!r:.80}"
    stub = _stub_params(node)
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
    if "." in dotted and not static:  # method: pybind11 names the instance "self" too
        assert stub[:1] == [Param("self", False, NO_DEFAULT)], dotted
    for params in overloads:
        if [(p.name, p.keyword_only, p.default is NO_DEFAULT) for p in params] != [
            (p.name, p.keyword_only, p.default is NO_DEFAULT) for p in stub
        ]:
            continue
        for ours, theirs in zip(stub, params):
            if ours.default is not UNKNOWN and theirs.default is not UNKNOWN:
                assert ours.default == theirs.default, f"{dotted}({ours.name}=...)"
        return
    described = [[(p.name, "kw" if p.keyword_only else "pos", p.default is not NO_DEFAULT) for p in o]
                 for o in overloads]
    pytest.fail(
        f"{dotted}: stub parameters {[(p.name, 'kw' if p.keyword_only else 'pos', p.default is not NO_DEFAULT) for p in stub]}"
        f" match no overload of the module: {described}"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: int, b: str = 'x'", [Param("a", False, NO_DEFAULT), Param("b", False, "x")]),
        ("self: m.C, *, k: tuple[int, int] = (1, 1), f: object = <m.F object>",
         [Param("self", False, NO_DEFAULT), Param("k", True, (1, 1)), Param("f", True, UNKNOWN)]),
        ("x: dict[str, list[int]] = {}, /", [Param("x", False, {})]),
    ],
)
def test_parsing_of_pybind11_signature_lines(text: str, expected: list[Param]) -> None:
    assert _params_of_text(text) == expected
