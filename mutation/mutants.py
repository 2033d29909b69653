"""A module's mutants: cosmic-ray's list, each with a key that survives edits elsewhere in the file.

Mutants inside annotations are left out: every module has `from __future__ import annotations`, so
an annotation is never evaluated and changing `str | None` to `str & None` changes nothing.
"""

from __future__ import annotations

import ast
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cosmic_ray.commands.init import _all_work_items
from cosmic_ray.work_item import MutationSpec

from mutation.plan import Equivalent


@dataclass(frozen=True)
class Mutant:
    key: str  # stable while the mutated line's text is unchanged
    spec: MutationSpec
    line: int
    text: str  # the mutated source line, stripped
    column: int  # where the mutation starts on the stripped line

    @property
    def operator(self) -> str:
        return self.spec.operator_name


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    spans = []
    for node in ast.walk(ast.parse(source)):
        annotations: list[ast.expr] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                        arguments.vararg, arguments.kwarg]:
                if arg is not None and arg.annotation is not None:
                    annotations.append(arg.annotation)
            if node.returns is not None:
                annotations.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        for a in annotations:
            assert a.end_lineno is not None and a.end_col_offset is not None
            spans.append(((a.lineno, a.col_offset), (a.end_lineno, a.end_col_offset)))
    return spans


def mutants_of(path: Path) -> list[Mutant]:
    """Every mutant of the module outside its annotations, in cosmic-ray's order."""
    source = path.read_text()
    lines = source.splitlines()
    spans = annotation_spans(source)
    seen: Counter[str] = Counter()
    found = []
    for item in _all_work_items([path], {}):
        spec = item.mutations[0]
        start = tuple(spec.start_pos)
        if any(lo <= start < hi for lo, hi in spans):
            continue
        line_no, column = spec.start_pos
        text = "\n".join(lines[line_no - 1: spec.end_pos[0]])
        ident = f"{spec.operator_name}|{column}|{spec.end_pos[1]}|{text}"
        seen[ident] += 1
        key = hashlib.sha256(f"{ident}|{seen[ident]}".encode()).hexdigest()[:20]
        source_line = lines[line_no - 1]
        indent = len(source_line) - len(source_line.lstrip())
        found.append(Mutant(key=key, spec=spec, line=line_no, text=source_line.strip(),
                            column=column - indent))
    return found


def sampled(mutant: Mutant, rate: float) -> bool:
    """Whether the deterministic sample at `rate` includes this mutant (the same one every run)."""
    return rate >= 1.0 or int(mutant.key[:8], 16) / 0xFFFFFFFF < rate


def equivalence(mutant: Mutant, module: str, equivalents: list[Equivalent]) -> Equivalent | None:
    for entry in equivalents:
        if (entry.module == module and entry.operator == mutant.operator and entry.line == mutant.text
                and entry.column in (None, mutant.column)
                and entry.scope in (None, mutant.spec.definition_name)):
            return entry
    return None
