"""The package's direction of dependency: the import contract holds, and no two modules import each other in a
circle (lazy imports inside functions included); test modules share helpers only through tests/support.py, and
bench/ never imports tests/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_the_layer_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("finerworks_mcp", cache_dir=None)
    cycles: list[str] = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                cycles.append(" -> ".join((importer, *back)))
    assert cycles == [], "\n".join(cycles)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_test_modules_share_helpers_only_through_the_support_module() -> None:
    def another_test_module(name: str) -> bool:  # `tests.support` and the names it holds are shared on purpose
        return name.startswith("tests.") and name.split(".")[1] not in ("support", "conftest")

    offenders = {
        path.name: sorted(filter(another_test_module, imported_modules(path)))
        for path in sorted((ROOT / "tests").glob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_bench_does_not_import_the_tests() -> None:
    offenders = {
        path.name: sorted(name for name in imported_modules(path) if name == "tests" or name.startswith("tests."))
        for path in sorted((ROOT / "bench").glob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}
