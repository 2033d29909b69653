"""The emulator's backend imports run one way: operation modules (the ones with `OPERATIONS`) are
imported only by the registry, `emulator/backend/__init__.py`; cross-resource questions go through
the helper modules (`relations` above all), and no import cycle exists among the backend's modules.

Phone numbers, SIP rules, SIP media applications, Voice Connectors and tags once imported each
other in a circle; these tests fail if any such import comes back (a function-level one included).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = ROOT / "emulator"
BACKEND = "emulator.backend"
REGISTRY = BACKEND  # the package itself: emulator/backend/__init__.py


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, package: str) -> set[str]:
    """Every `emulator.backend.X` module a source imports, at any depth (`from emulator.backend
    import X, Y` names modules too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(package + ".")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == package:
                found |= {f"{package}.{a.name}" for a in node.names}
            elif node.module.startswith(package + "."):
                found.add(node.module)
    return found


def defines_operations(source: str) -> bool:
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "OPERATIONS" for t in targets):
            return True
    return False


def import_graph(root: Path) -> tuple[dict[str, set[str]], set[str]]:
    """Module → the backend modules it imports, for every module under `root`/emulator; and the
    backend modules that serve operations."""
    graph: dict[str, set[str]] = {}
    operation_modules: set[str] = set()
    backend_names = {module_name(root, p) for p in (root / "emulator" / "backend").glob("*.py")}
    for path in sorted((root / "emulator").rglob("*.py")):
        name = module_name(root, path)
        source = path.read_text()
        graph[name] = {m for m in imports_of(source, BACKEND) if m in backend_names}
        if name.startswith(BACKEND + ".") and defines_operations(source):
            operation_modules.add(name)
    return graph, operation_modules


def layer_violations(root: Path) -> list[str]:
    graph, operation_modules = import_graph(root)
    problems = [f"{importer} imports {imported}: only {REGISTRY} may import an operation module"
                for importer, imported_set in sorted(graph.items()) if importer != REGISTRY
                for imported in sorted(imported_set & operation_modules)]
    problems += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per back edge found by a depth-first walk (empty when the graph is acyclic)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_backend_imports_run_one_way() -> None:
    assert layer_violations(ROOT) == []


def test_every_resource_family_serves_operations_through_the_registry() -> None:
    graph, operation_modules = import_graph(ROOT)
    assert operation_modules == graph[REGISTRY] & operation_modules
    assert {f"{BACKEND}.{m}" for m in ("phone_numbers", "sip_rules", "sip_media_applications",
                                       "voice_connectors", "tags")} <= operation_modules


def _package(root: Path, files: dict[str, str]) -> Path:
    for relative, source in files.items():
        target = root / "emulator" / "backend" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source)
    (root / "emulator" / "__init__.py").write_text("")
    return root


@pytest.mark.parametrize(("files", "expected"), [
    # Two resource modules asking each other (the old circle), at function level.
    ({"sip_rules.py": "OPERATIONS = {}\ndef f():\n    from emulator.backend.phone_numbers import x\n",
      "phone_numbers.py": "OPERATIONS = {}\n"},
     "emulator.backend.sip_rules imports emulator.backend.phone_numbers"),
    # A helper importing a resource module, in the `from package import module` form.
    ({"relations.py": "from emulator.backend import tags\n", "tags.py": "OPERATIONS: dict = {}\n"},
     "emulator.backend.relations imports emulator.backend.tags"),
    # Helpers in a circle.
    ({"a.py": "import emulator.backend.b\n", "b.py": "from emulator.backend.a import x\n"},
     "import cycle: emulator.backend.a -> emulator.backend.b -> emulator.backend.a"),
])
def test_a_circle_or_a_sideways_import_is_reported(tmp_path: Path, files: dict[str, str],
                                                  expected: str) -> None:
    root = _package(tmp_path, {"__init__.py": "", **files})
    found = layer_violations(root)
    assert len(found) == 1 and expected in found[0], found


def test_the_registry_may_import_operation_modules(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "from emulator.backend import tags\nfrom emulator.backend.relations import q\n",
        "tags.py": "from emulator.backend import relations\nOPERATIONS = {}\n",
        "relations.py": "from emulator.backend.kinds import X\n",
        "kinds.py": "X = 1\n",
    })
    assert layer_violations(root) == []
