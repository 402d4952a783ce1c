#!/usr/bin/env python3
"""Bootstrap and run mediamon from a fresh clone with nothing but Python 3.11+.

    python3 dev.py demo     # the demo site on loopback -> ./mediamon.duckdb, with a summary
    python3 dev.py test     # the test suite
    python3 dev.py run ARGS # any `mediamon` command, e.g. `python3 dev.py run status`

It installs uv into ./.tools (once), creates ./.venv from uv.lock exactly (--frozen), then
runs the command inside it. Nothing outside the checkout is touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
UV_VERSION = "0.13.9"


def _uv() -> str:
    # Always our pinned uv, never one that happens to be on PATH: the lock file format and
    # resolution must be the ones this repo was locked with.
    exe = TOOLS / ("Scripts/uv.exe" if os.name == "nt" else "bin/uv")
    if not exe.exists():
        print(f"dev.py: installing uv {UV_VERSION} into {TOOLS} ...", file=sys.stderr)
        venv.create(TOOLS, with_pip=True)
        pip = TOOLS / ("Scripts/pip.exe" if os.name == "nt" else "bin/pip")
        subprocess.run([str(pip), "install", "-q", f"uv=={UV_VERSION}"], check=True)
    return str(exe)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script is what runs on older Pythons
        print("dev.py: mediamon needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("demo", "test", "run", "sync"):
        print(__doc__, file=sys.stderr)
        return 2
    uv = _uv()
    env = {**os.environ, "UV_PYTHON": sys.executable}
    # Bytecode compiled once at install: where PYTHONDONTWRITEBYTECODE is set (or the
    # environment is read-only) every command would otherwise compile Prefect's ~1,200
    # modules from source on each start (~7 s measured here).
    subprocess.run(
        [uv, "sync", "--frozen", "--quiet", "--compile-bytecode"], cwd=ROOT, env=env, check=True
    )
    command, rest = argv[0], argv[1:]
    if command == "demo":
        cmd = [uv, "run", "--frozen", "mediamon", "demo", *rest]
    elif command == "test":
        cmd = [uv, "run", "--frozen", "pytest", *rest]
    elif command == "run":
        cmd = [uv, "run", "--frozen", "mediamon", *rest]
    else:
        return 0
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
