"""Which parts of the repository may import which: one table, checked on every .py file with ast.

Apps (`emulator`, `ops`, `providers`, `components`) share code only through the neutral packages
(`awsutil`, `pstn`), which import no app; `components` may use `providers`; nothing imports
`tests`. `bench` measures the apps, so it may import them (and `testbed`), never `tests`. The
Lambda bundle (`handlers`) imports nothing of the repository and only the standard library, so
nothing can add to a handler's cold start. README's "Repository layout" states the same table.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# part → the other parts it may import (every part may import itself).
ALLOWED: dict[str, frozenset[str]] = {
    "awsutil": frozenset(),
    "pstn": frozenset(),
    "testbed": frozenset(),
    "handlers": frozenset(),
    "policy": frozenset(),
    "mutation": frozenset(),  # `make mutation`: cosmic-ray and the standard library
    "engine": frozenset(),  # the Pulumi CLI tooling and our language host: stdlib and the SDK only
    "providers": frozenset({"awsutil"}),
    "components": frozenset({"awsutil", "providers"}),
    "emulator": frozenset({"awsutil", "pstn"}),
    "ops": frozenset({"awsutil", "pstn"}),
    "program": frozenset({"components"}),  # __main__.py, the Pulumi program
    "scripts": frozenset({"ops", "engine"}),
    "bench": frozenset({"awsutil", "pstn", "testbed", "emulator", "providers", "engine"}),
    "tests": frozenset({"awsutil", "pstn", "testbed", "handlers", "policy", "providers", "components",
                        "emulator", "ops", "program", "scripts", "bench", "engine", "mutation"}),
}
# Inside the Lambda bundle, handlers/ is the import root: `sma`, `call_handler`, `backup_handler`.
BUNDLE_ROOT = "handlers"


def part_of_file(root: Path, path: Path) -> str:
    relative = path.relative_to(root)
    return "program" if len(relative.parts) == 1 else relative.parts[0]


def top_level_names(root: Path) -> dict[str, str]:
    """Importable top-level name → the part it belongs to, for every name the repository defines."""
    names = {p.name: p.name for p in root.iterdir() if p.is_dir() and p.name in ALLOWED}
    bundle = root / BUNDLE_ROOT
    if bundle.is_dir():
        for entry in bundle.iterdir():
            if entry.suffix == ".py" or (entry / "__init__.py").exists():
                names[entry.stem] = BUNDLE_ROOT
    return names


def imported_names(source: str) -> list[tuple[int, str]]:
    """(line, top-level module name) of every absolute import, at any depth (function-level too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def python_files(root: Path) -> list[Path]:
    skipped = {".venv", ".git", ".pulumi", ".local", "__pycache__", "node_modules"}
    return sorted(p for p in root.rglob("*.py") if not skipped & set(p.relative_to(root).parts))


def violations(root: Path) -> list[str]:
    names = top_level_names(root)
    problems: list[str] = []
    for path in python_files(root):
        importer = part_of_file(root, path)
        if importer not in ALLOWED:
            problems.append(f"{path.relative_to(root)}: part {importer!r} is not in the ALLOWED table")
            continue
        for line, name in imported_names(path.read_text()):
            imported = names.get(name)
            if imported is None or imported == importer or imported in ALLOWED[importer]:
                continue
            problems.append(f"{path.relative_to(root)}:{line}: {importer} imports {name} ({imported})")
    return problems


def test_every_import_points_an_allowed_way() -> None:
    assert violations(ROOT) == []


def test_the_lambda_bundle_imports_only_the_standard_library_and_itself() -> None:
    own = {name for name, part in top_level_names(ROOT).items() if part == BUNDLE_ROOT}
    outside = [f"{path.relative_to(ROOT)}:{line}: {name}"
               for path in python_files(ROOT / BUNDLE_ROOT)
               for line, name in imported_names(path.read_text())
               if name not in own and name not in sys.stdlib_module_names]
    assert outside == []


@pytest.mark.parametrize(("importer", "source", "expected"), [
    ("ops/commands/x.py", "def f():\n    from emulator.calls import engine\n", "ops imports emulator"),
    ("emulator/x.py", "import providers.client\n", "emulator imports providers"),
    ("bench/x.py", "from tests.support import phone_numbers\n", "bench imports tests"),
    ("awsutil/x.py", "from ops import errors\n", "awsutil imports ops"),
    ("handlers/sma/x.py", "import pstn.answer_checks\n", "handlers imports pstn"),
    ("nowhere/x.py", "import json\n", "part 'nowhere' is not in the ALLOWED table"),
])
def test_a_forbidden_import_is_reported(tmp_path: Path, importer: str, source: str, expected: str) -> None:
    for part in ("ops", "emulator", "providers", "tests", "bench", "awsutil", "pstn", "handlers/sma"):
        (tmp_path / part).mkdir(parents=True, exist_ok=True)
        (tmp_path / part / "__init__.py").write_text("")
    target = tmp_path / importer
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source)
    found = violations(tmp_path)
    assert len(found) == 1 and expected in found[0], found


def test_allowed_imports_are_not_reported(tmp_path: Path) -> None:
    for part in ("components", "providers", "awsutil"):
        (tmp_path / part).mkdir()
        (tmp_path / part / "__init__.py").write_text("")
    (tmp_path / "components" / "x.py").write_text("import providers.client\nfrom awsutil import arn\n")
    (tmp_path / "providers" / "y.py").write_text("import json\nfrom awsutil.retry import OPERATOR\n")
    assert violations(tmp_path) == []
