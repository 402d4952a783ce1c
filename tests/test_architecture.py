"""The architecture in one rule, enforced: extractors are pure, warehouse owns DuckDB,
flows is the edge that nothing else imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _py(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".")[0]


FORBIDDEN = {
    "extractors": {"httpx", "requests", "urllib3", "prefect", "duckdb", "flows", "warehouse",
                   "socket", "demosite", "aiohttp"},
    "warehouse": {"httpx", "requests", "prefect", "flows", "demosite"},
    "demosite": {"flows", "warehouse", "extractors", "prefect", "duckdb"},
}  # fmt: skip


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_forbidden_imports(package: str) -> None:
    bad = {
        f"{p.relative_to(REPO)} imports {name}"
        for p in _py(package)
        for name in _imports(p)
        if _top(name) in FORBIDDEN[package] or name == "urllib.request"
    }
    assert not bad, sorted(bad)


def test_extractors_read_no_environment() -> None:
    for p in _py("extractors"):
        text = p.read_text(encoding="utf-8")
        assert "os.environ" not in text and "getenv" not in text, p


def test_nothing_imports_flows() -> None:
    for package in ("extractors", "warehouse", "demosite"):
        for p in _py(package):
            assert not any(_top(n) == "flows" for n in _imports(p)), p
