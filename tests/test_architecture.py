"""The shape of the code: layers that import only downwards, no import cycle between modules
(imports inside functions and ``lazy(...)`` modules count), and modules small enough to read."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "editor"
CORE = ("editor.content", "editor.checks", "editor.render", "editor.vcs", "editor.web", "editor.findings",
        "editor.lazy", "editor.resources")


def _modules() -> dict[str, Path]:
    found = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = list(file.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = file
    return found


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _imports(name: str, file: Path, modules: dict[str, Path]) -> set[str]:
    """Every module of the project that ``name`` imports when it (or any of its functions) runs."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    wanted: set[str] = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            wanted.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names} & set(modules)
            wanted.update(submodules)
            if len(submodules) < len(node.names):  # a name defined in ``base`` itself
                wanted.add(base)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy" and node.args and \
                isinstance(node.args[0], ast.Constant):
            wanted.add(node.args[0].value)
    edges = set()
    for module in wanted:
        while module and module not in modules:  # "from editor.x import name": the module editor.x
            module = module.rpartition(".")[0]
        if module and module != name:
            edges.add(module)
    return edges


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, file, modules) for name, file in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_layers_import_downwards_only():
    """The core knows nothing of Qt, the session or the UI; the session knows no widget."""
    graph = _graph()
    for name, targets in graph.items():
        source = _modules()[name].read_text(encoding="utf-8")
        if name.startswith(CORE):
            assert not any(t.startswith(("editor.session", "editor.ui", "editor.app", "editor.cli")) for t in targets), name
            assert "PySide6" not in source, name
        if name.startswith("editor.session"):
            assert not any(t.startswith(("editor.ui", "editor.app", "editor.cli")) for t in targets), name
            assert "QtWidgets" not in source and "QtGui" not in source, name


def test_modules_stay_small():
    sizes = {name: len(file.read_text(encoding="utf-8").splitlines()) for name, file in _modules().items()}
    assert sizes["editor.ui.main_window"] < 250
    assert {name: size for name, size in sizes.items() if size > 400} == {}
