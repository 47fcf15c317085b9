"""The package's import graph: no cycle among module-level imports, and the rebuild room
(newsarchive/rebuild/) in no cycle even counting the imports made inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "newsarchive"


def import_graph(top_level_only: bool) -> dict[str, set[str]]:
    """Module → the package's modules it imports (what only type checkers read left out)."""
    def name_of(path: Path) -> str:
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    modules = {name_of(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                node.body = []
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in (tree.body if top_level_only else ast.walk(tree)):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                found |= {f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def in_cycles(graph: dict[str, set[str]]) -> set[str]:
    """The modules from which an import chain leads back to themselves."""
    def reaches(start: str) -> set[str]:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo += graph[module]
        return seen
    return {module for module in graph if module in reaches(module)}


def test_no_module_level_import_cycle():
    assert in_cycles(import_graph(top_level_only=True)) == set()


def test_the_rebuild_room_is_in_no_import_cycle():
    cycling = in_cycles(import_graph(top_level_only=False))
    assert "newsarchive.pipeline" in import_graph(False) and "newsarchive.rebuild.books" in import_graph(False)["newsarchive.pipeline"]
    # shown.py is read by views.py, which content.py's versions reach from inside a function
    assert {m for m in cycling if m.startswith("newsarchive.rebuild.")} <= {"newsarchive.rebuild.shown"}
