"""One HTTP stack: FinerWorks calls go through httpx2, the MCP SDK's own, and nothing here loads the older httpx."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLD_STACK = {"httpx", "httpcore"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_module_of_the_server_its_tests_or_the_bench_imports_httpx() -> None:
    sources = [path for folder in ("finerworks_mcp", "tests", "bench") for path in (ROOT / folder).rglob("*.py")]
    offenders = sorted(str(path.relative_to(ROOT)) for path in sources if imported_roots(path) & OLD_STACK)
    assert offenders == [], f"import httpx2 instead of httpx/httpcore in: {offenders}"


def test_httpx_is_not_a_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    every = project["dependencies"] + [dep for extra in project["optional-dependencies"].values() for dep in extra]
    names = {dep.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip() for dep in every}
    assert "httpx2" in names
    assert not names & OLD_STACK
