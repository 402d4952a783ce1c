"""The architecture in one rule, enforced: extractors are pure, warehouse owns DuckDB,
flows is the edge that nothing else imports."""

from __future__ import annotations

import ast
import re
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


# SQL the user types (`mediamon sql`) and the read commands' queries are the CLI's for now;
# the flows themselves (ingest, reextract, maintenance, ...) call named warehouse functions.
SQL_ALLOWED_IN_FLOWS = {"flows/cli/read_cmds.py"}
# Statements as this repo writes them (upper-case keywords, so prose never matches).
SQL_START = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|COPY|ATTACH)\s")


def test_flows_run_no_sql() -> None:
    bad = []
    for p in _py("flows"):
        rel = p.relative_to(REPO).as_posix()
        if rel in SQL_ALLOWED_IN_FLOWS:
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            call = node.func if isinstance(node, ast.Call) else None
            if isinstance(call, ast.Attribute) and call.attr in {"execute", "executemany", "sql"}:
                bad.append(f"{rel}:{node.lineno} calls .{call.attr}()")
            if isinstance(node, ast.Constant) and SQL_START.match(str(node.value)):
                bad.append(f"{rel}:{node.lineno} has SQL: {node.value[:40]!r}")
        if "duckdb" in {_top(n) for n in _imports(p)}:
            bad.append(f"{rel} imports duckdb")
    assert not bad, bad
