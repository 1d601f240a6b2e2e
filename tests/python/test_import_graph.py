"""The package's imports point one way: no module imports, directly or through others, a module
that imports it back (issue 21).

The graph is read with `ast` from the installed package's sources, imports inside functions
included (a function-level import hides a cycle from Python's start-up, not from a reader).
Imports under ``if TYPE_CHECKING:`` are left out: they never run, they only name types.
"""

from __future__ import annotations

import ast
from pathlib import Path

import themescope

PACKAGE = "themescope"
ROOT = Path(themescope.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _modules() -> dict[str, Path]:
    """Python sources and compiled modules (``_core.cpython-311-x86_64-linux-gnu.so`` is ``_core``)."""
    found = {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}
    for path in sorted(ROOT.rglob("*.so")):
        found.setdefault(_module_name(path.with_name(path.name.split(".")[0] + ".so")), path)
    return found


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if _is_type_checking_block(node):
            assert isinstance(node, ast.If)
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's own modules that module `name` imports."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    targets: set[str] = set()
    if path.suffix != ".py":
        return targets
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from .x import y`: y is a submodule of x, or a name x's __init__ defines
            candidates = []
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                candidates.append(submodule if submodule in modules else base)
        for candidate in candidates:
            # `import themescope.a.b` runs themescope.a.b (its parents are the import system's doing)
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate.startswith(PACKAGE) and candidate != name:
                targets.add(candidate)
    return targets


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported_modules(name, path, modules) for name, path in modules.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path a -> b -> ... -> a) per strongly connected component (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    cycles = []
    for component in components:
        covered: set[str] = set()
        for member in component:  # one shortest cycle through each member not yet on one
            if member not in covered:
                cycle = _a_cycle_through(member, component, graph)
                covered.update(cycle)
                cycles.append(cycle)
    return cycles


def _a_cycle_through(start: str, component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from `start` back to itself inside its component (breadth first)."""
    members = set(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if target not in previous:
                    previous[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {component}")


def test_the_graph_is_read():
    # the walker sees what it must: a top-level, a relative and a function-level import
    graph = import_graph()
    assert "themescope.text" in graph["themescope"]
    assert "themescope._core" in graph["themescope.lexicon"]
    assert "themescope.report" in graph["themescope.cli"]  # imported inside a function


def test_the_cycle_finder_names_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_inside_the_package():
    cycles = import_cycles(import_graph())
    named = "\n".join(" -> ".join(cycle) for cycle in cycles)
    assert not cycles, f"{len(cycles)} import cycle(s) inside {PACKAGE}:\n{named}"


# The package's layers, lowest first: a module imports its own layer and the layers below, never
# one above (README.md, "How the Python package is laid out", shows the same table). Modules of
# one rank but different layers (cleaning, reading, neighbours, clusters) do not import each other.
LAYERS: list[tuple[int, str, set[str]]] = [
    (0, "foundation", {"_core", "_core_x86_64_v3", "_native", "_threads", "_version", "_validation", "_files",
                       "_sklearn_compat", "_sparse", "persist", "metadata", "datasets"}),
    (1, "text", {"lexicon", "language", "analysis", "phrases", "incremental", "text", "_themes", "_keyterms",
                 "search", "crosslang"}),
    (2, "cleaning", {"boilerplate", "_boilerplate_reference"}),
    (2, "reading", {"_corpus_files", "_corpus_chunks", "corpus"}),
    (2, "neighbours", {"similarity", "_lsa"}),
    (2, "clusters", {"cluster"}),
    (3, "views", {"plotting", "timeline", "interactive", "shaping"}),
    (4, "explore", {"clustering", "explorer", "_growth"}),
    (5, "scale-out", {"dask"}),
    (5, "application", {"_analyze", "report", "cli", "__main__"}),
    (6, "package", {""}),
]


def _layer_of(module: str) -> tuple[int, str]:
    short = module.removeprefix(PACKAGE).removeprefix(".")
    for rank, name, members in LAYERS:
        if short in members:
            return rank, name
    raise AssertionError(f"{module} is in no layer: add it to LAYERS (and to README.md's table)")


def test_every_module_has_a_layer():
    for module in import_graph():
        _layer_of(module)


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    upward = []
    for module, targets in sorted(graph.items()):
        rank, layer = _layer_of(module)
        for target in sorted(targets):
            target_rank, target_layer = _layer_of(target)
            if target_rank > rank or (target_rank == rank and target_layer != layer):
                upward.append(f"{module} ({layer}) imports {target} ({target_layer})")
    return upward


def test_the_layer_check_names_an_upward_import():
    graph = {"themescope.text": {"themescope.explorer", "themescope.lexicon"},
             "themescope.cluster": {"themescope.similarity"}, "themescope.cli": {"themescope.explorer"}}
    assert upward_imports(graph) == ["themescope.cluster (clusters) imports themescope.similarity (neighbours)",
                                     "themescope.text (text) imports themescope.explorer (explore)"]


def test_imports_only_point_down():
    upward = upward_imports(import_graph())
    assert not upward, "imports that do not point down:\n" + "\n".join(upward)
