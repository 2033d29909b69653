"""`make mutation`'s own parts (mutation/): which mutants it makes, samples and leaves out, when a
stored result still holds, and that its tables name modules and tests that exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutation.__main__ import changed_lines, first_failure, is_reusable
from mutation.mutants import equivalence, mutants_of, sampled
from mutation.plan import Equivalent, load_equivalents, load_targets
from mutation.store import Result

ROOT = Path(__file__).resolve().parent.parent
SOURCE = '''from __future__ import annotations


def add(a: int | None, b: int) -> int | None:
    total: int | None = a + b
    return total


class Twice:
    def add(self, a: int, b: int) -> int:
        return a + b
'''


def result(outcome: str, source: str = "s", tests: str = "t") -> Result:
    return Result(outcome, 5, "core/ReplaceBinaryOperator_Add_Sub", "", source, tests, 1.0)


def test_annotations_are_never_mutated_and_the_code_is(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(SOURCE)
    mutants = mutants_of(module)
    # `int | None` appears only in annotations: a mutant of that `|` would change nothing.
    assert not [m for m in mutants if m.operator.startswith("core/ReplaceBinaryOperator_BitOr_")]
    assert [m for m in mutants if m.operator.startswith("core/ReplaceBinaryOperator_Add_")]
    adds = [m for m in mutants if m.operator == "core/ReplaceBinaryOperator_Add_Sub"]
    assert [(m.line, m.text, m.column) for m in adds] == [(5, "total: int | None = a + b", 22),
                                                           (11, "return a + b", 9)]
    assert len({m.key for m in mutants}) == len(mutants)  # every mutant has a key of its own


def test_a_mutants_key_follows_its_line_not_its_line_number(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(SOURCE)
    before = {m.key for m in mutants_of(module)}
    module.write_text("\n\n# moved down\n" + SOURCE)
    assert {m.key for m in mutants_of(module)} == before


def test_the_sample_is_the_same_every_run_and_near_its_rate(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(SOURCE * 20)
    mutants = mutants_of(module)
    half = [m.key for m in mutants if sampled(m, 0.5)]
    assert half == [m.key for m in mutants if sampled(m, 0.5)]
    assert 0.3 < len(half) / len(mutants) < 0.7
    assert all(sampled(m, 1.0) for m in mutants) and not any(sampled(m, 0.0) for m in mutants)


def test_an_equivalent_entry_matches_by_line_operator_and_optionally_column_and_scope(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(SOURCE)
    [in_class] = [m for m in mutants_of(module)
                  if m.operator == "core/ReplaceBinaryOperator_Add_Sub" and m.line == 11]

    def entry(**fields: object) -> Equivalent:
        base: dict[str, object] = {"module": "m.py", "line": "return a + b",
                                   "operator": "core/ReplaceBinaryOperator_Add_Sub", "reason": "r"}
        return Equivalent(**{**base, **fields})  # type: ignore[arg-type]

    assert equivalence(in_class, "m.py", [entry()]) is not None
    assert equivalence(in_class, "m.py", [entry(scope="add", column=9)]) is not None
    assert equivalence(in_class, "m.py", [entry(column=10)]) is None
    assert equivalence(in_class, "m.py", [entry(scope="other")]) is None
    assert equivalence(in_class, "other.py", [entry()]) is None
    assert equivalence(in_class, "m.py", [entry(operator="core/ReplaceBinaryOperator_Add_Mul")]) is None


def test_a_killed_mutant_stays_killed_and_a_survivor_runs_again_when_code_or_tests_change() -> None:
    assert is_reusable(result("killed"), "other", "other")
    assert is_reusable(result("survived"), "s", "t")
    assert not is_reusable(result("survived"), "s2", "t")
    assert not is_reusable(result("survived"), "s", "t2")
    assert not is_reusable(None, "s", "t")


def test_the_killing_test_is_read_from_pytests_summary() -> None:
    output = "....F\nFAILED tests/x.py::test_y - AssertionError: no\nFAILED tests/x.py::test_z\n"
    assert first_failure(output) == "tests/x.py::test_y"
    assert first_failure("ERROR tests/x.py - ImportError") == "tests/x.py"
    assert first_failure("timeout") == "timeout" and first_failure("1 passed") == ""


def test_a_survivor_is_shown_as_the_lines_it_changes() -> None:
    diff = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-    return a + b\n+    return a - b\n"
    assert changed_lines(diff) == "return a + b  →  return a - b"


def test_the_tables_name_modules_and_tests_that_exist() -> None:
    targets = load_targets()
    assert targets, "mutation/modules.toml lists no module"
    for target in targets.values():
        assert (ROOT / target.module).is_file(), target.module
        assert target.tests, f"{target.module} lists no tests"
        for test in target.tests:
            assert (ROOT / test).exists(), f"{target.module}: {test}"
        assert 0 < target.sample <= 1 and target.timeout > 0
    for entry in load_equivalents():
        assert entry.module in targets, entry
        assert len(entry.reason) > 20, f"{entry.module}: an equivalent mutant needs its reason"


@pytest.mark.parametrize("module", ["providers/sip_rule.py", "handlers/sma/actions.py",
                                    "components/settings.py", "pstn/action_checks.py",
                                    "emulator/request_parser.py"])
def test_the_issues_core_modules_are_in_the_table(module: str) -> None:
    assert module in load_targets()
