"""newsweb's own loopback server (../shared/data/newsweb/serve.py), for the benchmarks."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = REPO.parent / "shared" / "data" / "newsweb"


@contextmanager
def served(root: Path, *extra: str) -> Iterator[str]:
    """Start serve.py on a free loopback port; yields its base URL (no trailing slash)."""
    proc = subprocess.Popen(
        [sys.executable, str(root / "serve.py"), "--port", "0", "--quiet", *extra],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("serving http://"):
            raise RuntimeError(f"serve.py did not start: {line!r}")
        yield line.split()[1].rstrip("/")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
