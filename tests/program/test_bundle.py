"""The Lambda bundle: what goes into the archive, and a hash that follows exactly that content."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.bundle import HANDLERS_DIR, collect_bundle


def _tree(root: Path) -> Path:
    files = {
        "call_handler.py": "def handler(event, context):\n    return {}\n",
        "backup_handler.py": "def handler(event, context):\n    return {}\n",
        "sma/__init__.py": "",
        "sma/actions.py": "X = 1\n",
        "tests/test_handler.py": "def test_x():\n    pass\n",
        "sma/test_actions.py": "",
        "conftest.py": "",
        "__pycache__/call_handler.cpython-311.pyc": "junk",
        "sma/__pycache__/actions.cpython-313.pyc": "junk",
        ".pytest_cache/v/cache": "{}",
        "stray.pyc": "junk",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_archive_leaves_out_tests_caches_and_compiled_files(tmp_path: Path) -> None:
    bundle = collect_bundle(_tree(tmp_path))
    assert bundle.files == ("backup_handler.py", "call_handler.py", "sma/__init__.py", "sma/actions.py")
    assert sorted(bundle.archive().assets) == list(bundle.files)


def test_hash_follows_code_not_caches(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    first = collect_bundle(root).sha256
    (root / "__pycache__" / "other.pyc").write_text("more junk")
    (root / "tests" / "test_more.py").write_text("")
    assert collect_bundle(root).sha256 == first
    (root / "sma" / "actions.py").write_text("X = 2\n")
    changed = collect_bundle(root).sha256
    assert changed != first
    (root / "sma" / "actions.py").rename(root / "sma" / "moved.py")
    assert collect_bundle(root).sha256 not in (first, changed)


def test_empty_or_missing_root_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        collect_bundle(tmp_path / "nope")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_only.py").write_text("")
    with pytest.raises(FileNotFoundError, match="no deployable files"):
        collect_bundle(tmp_path)


def test_real_bundle_has_both_handlers_and_the_sma_library() -> None:
    files = collect_bundle(HANDLERS_DIR).files
    assert {"call_handler.py", "backup_handler.py", "sma/__init__.py"} <= set(files)
    assert not [f for f in files if "test" in f.split("/")[0] or f.endswith(".pyc") or "__pycache__" in f]
