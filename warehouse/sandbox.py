"""The read sandbox: how every read-only connection is locked down, and the gate that lets an
analyst's SQL through (`mediamon sql`).

Two layers. The connection itself is opened read-only with DuckDB's external access disabled
and its configuration locked (no file reads or writes outside the warehouse, no ATTACH of
other files, no extension INSTALL/LOAD, no SET). In front of that, `run_user_query` accepts
exactly one statement of a read-only kind, so ATTACH/USE/DETACH/COPY/SET/PRAGMA/CALL never
reach the engine at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Every extension we use is built in; never reach for the network or the extension directory.
BASE_CONFIG: dict[str, object] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}

# Read-only connections: no file system access beyond the warehouse (and its temp directory
# for spilling), no extension loading, and no way to change any of that from SQL.
READ_CONFIG: dict[str, object] = {
    **BASE_CONFIG,
    "enable_external_access": False,
    "lock_configuration": True,
}

# What `mediamon sql` accepts. DESCRIBE, SHOW, SUMMARIZE, FROM-first, VALUES and PIVOT … IN (…)
# all parse as SELECT; plain EXPLAIN only plans.
ALLOWED_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})
ALLOWED_KINDS = "SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN"

_LEADING_COMMENTS = r"^(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*"
_FIRST_WORD = re.compile(_LEADING_COMMENTS + r"(?P<word>[A-Za-z_]+)", re.DOTALL)
# EXPLAIN [ANALYZE] <statement>: the explained statement must pass the gate too (EXPLAIN
# ANALYZE runs it). Comments between the keywords are not accepted, so nothing hides there.
_EXPLAIN = re.compile(
    _LEADING_COMMENTS + r"EXPLAIN(?:\s+ANALY[SZ]E)?\s+(?P<inner>(?!ANALY[SZ]E\b)[\w(].*)$",
    re.IGNORECASE | re.DOTALL,
)


class QueryRefused(Exception):
    """The SQL is not one read-only query; the message says why, in one line."""


class QueryFailed(Exception):
    """DuckDB could not run the query (syntax, unknown table, permission); one line."""


@dataclass(frozen=True, slots=True)
class Table:
    """A fully fetched result: column names and rows."""

    columns: list[str]
    rows: list[tuple]


def first_line(exc: BaseException) -> str:
    """DuckDB messages carry the statement and a caret on later lines; one line is enough."""
    lines = [x.strip() for x in str(exc).splitlines() if x.strip()]
    return lines[0] if lines else type(exc).__name__


def lock_down(con: duckdb.DuckDBPyConnection, write_dir: Path | None = None) -> None:
    """Sandbox a connection opened with BASE_CONFIG, optionally letting it write into one
    directory (used by `export`, whose COPY statements are ours, not the user's).

    DuckDB only accepts `allowed_directories` while external access is still enabled, so the
    order matters: allow the directory, disable external access, lock the configuration."""
    if write_dir is not None:
        con.execute("SET allowed_directories = ?", [[str(write_dir.resolve()) + "/"]])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def check_user_query(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise QueryRefused unless `sql` is exactly one read-only statement."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed(first_line(exc)) from exc
    if not statements:
        raise QueryRefused("no SQL statement given")
    if len(statements) > 1:
        raise QueryRefused(
            f"{len(statements)} statements given; `mediamon sql` runs exactly one query"
        )
    st = statements[0]
    if st.type not in ALLOWED_STATEMENTS:
        m = _FIRST_WORD.match(st.query)
        kind = m.group("word").upper() if m else st.type.name
        raise QueryRefused(
            f"{kind} is not allowed: the warehouse is read-only here; use one {ALLOWED_KINDS} query"
        )
    if st.type == duckdb.StatementType.EXPLAIN:
        m = _EXPLAIN.match(st.query)
        if not m:
            raise QueryRefused("write EXPLAIN [ANALYZE] directly followed by the query")
        check_user_query(con, m.group("inner"))


def run_user_query(con: duckdb.DuckDBPyConnection, sql: str) -> Table | None:
    """Run an analyst's query on a sandboxed read-only connection; None if it returns no
    relation. Raises QueryRefused or QueryFailed with a one-line message."""
    check_user_query(con, sql)
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return None
        return Table([d[0] for d in cur.description], cur.fetchall())
    except duckdb.PermissionException as exc:  # the sandbox said no (files, extensions)
        raise QueryRefused(first_line(exc)) from exc
    except duckdb.Error as exc:
        raise QueryFailed(first_line(exc)) from exc
