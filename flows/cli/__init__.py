"""The `mediamon` command line. Every command takes --db PATH (default ./mediamon.duckdb or
$MEDIAMON_DB). Run `mediamon COMMAND --help` for the details of each."""

from flows.cli.common import parse_since
from flows.cli.main import build_parser, main

__all__ = ["build_parser", "main", "parse_since"]
