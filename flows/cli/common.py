"""Shared pieces of the command line: exit codes, settings from flags, output formats."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from flows import progress
from flows.feeds_config import ConfigError
from flows.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment, with the command's flags winning."""
    overrides: dict[str, Any] = {}
    if getattr(args, "db", None):
        overrides["db"] = Path(args.db)
    if getattr(args, "workers", None):
        overrides["workers"] = args.workers
    if getattr(args, "no_claims", False):
        overrides["claims"] = False
    settings = Settings.from_env(**overrides)
    allow = getattr(args, "allow_private", None) or []
    return settings.allowing_hosts(*allow) if allow else settings


@contextmanager
def progress_bars(enabled: bool):
    reporter = progress.RichReporter() if enabled else None
    progress.set_reporter(reporter)
    try:
        yield
    finally:
        progress.set_reporter(None)
        if reporter is not None:
            reporter.close()


def json_default(o: object) -> object:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, Decimal):
        return float(o)
    if isinstance(o, bytes):
        return o.hex()
    return str(o)


def print_relation(columns: Sequence[str], rows: Sequence[tuple], fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        w = csv.writer(out)
        w.writerow(columns)
        w.writerows(rows)
    elif fmt == "json":
        json.dump([dict(zip(columns, r, strict=True)) for r in rows], out, default=json_default,
                  ensure_ascii=False, indent=1)  # fmt: skip
        out.write("\n")
    else:
        cells = [[("" if v is None else str(v)).replace("\n", " ") for v in r] for r in rows]
        widths = [len(c) for c in columns]
        for r in cells:
            widths = [min(max(w, len(v)), 60) for w, v in zip(widths, r, strict=True)]
        line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
        print(line, file=out)
        print("  ".join("-" * w for w in widths), file=out)
        for r in cells:
            print(
                "  ".join(
                    (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                    for v, w in zip(r, widths, strict=True)
                ).rstrip(),
                file=out,
            )
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def parse_since(value: str | None) -> datetime | None:
    """ "7d", "36h", "2w" (before now) or an ISO date/time."""
    if not value:
        return None
    m = re.fullmatch(r"(\d+)\s*([hdw])", value.strip().lower())
    if m:
        hours = int(m.group(1)) * {"h": 1, "d": 24, "w": 168}[m.group(2)]
        return datetime.now(UTC) - timedelta(hours=hours)
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"--since takes 7d, 36h, 2w or an ISO date, not {value!r}") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def show(cur: Any, fmt: str = "table") -> None:
    print_relation([d[0] for d in cur.description], cur.fetchall(), fmt, sys.stdout)


def summary_line(doc: str | None) -> str:
    """The first sentence of a docstring, on one line (for --help listings)."""
    text = " ".join((doc or "").split())
    for stop in (". ", ": "):
        if stop in text:
            text = text[: text.index(stop)]
    return text.rstrip(".")
