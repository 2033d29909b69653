"""The Lambda bundle: the files of `handlers/` that Lambda needs, as an archive plus a content hash.

Tests, caches and compiled files stay out of the archive (they would only add size and make the
hash change without a code change). The hash covers paths and bytes, so the deployment gate re-runs
exactly when what Lambda runs changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pulumi

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HANDLERS_DIR = PROJECT_ROOT / "handlers"

_EXCLUDED_DIRS = frozenset({"tests", "test", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})
_EXCLUDED_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class Bundle:
    root: Path
    files: tuple[str, ...]  # POSIX paths relative to root, sorted
    sha256: str

    def archive(self) -> pulumi.AssetArchive:
        return pulumi.AssetArchive({rel: pulumi.FileAsset(self.root / rel) for rel in self.files})


def _included(rel: Path) -> bool:
    if any(part in _EXCLUDED_DIRS or part.startswith(".") for part in rel.parts):
        return False
    name = rel.name
    if name.endswith(_EXCLUDED_SUFFIXES) or name == "conftest.py":
        return False
    return not (name.startswith("test_") or name.endswith("_test.py"))


def collect_bundle(root: Path = HANDLERS_DIR) -> Bundle:
    """Walk `root` once; raise FileNotFoundError when there is nothing to deploy."""
    if not root.is_dir():
        raise FileNotFoundError(f"Lambda bundle root {root} does not exist")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                   if p.is_file() and _included(p.relative_to(root)))
    if not files:
        raise FileNotFoundError(f"Lambda bundle root {root} holds no deployable files")
    digest = hashlib.sha256()
    for rel in files:
        data = (root / rel).read_bytes()
        # Length-prefixed so that moving bytes between a name and a body cannot keep the hash.
        digest.update(f"{len(rel)}:{rel}:{len(data)}:".encode())
        digest.update(data)
    return Bundle(root=root, files=tuple(files), sha256=digest.hexdigest())
