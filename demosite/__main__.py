"""``python -m demosite --port 0``: serve the demo news site until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from demosite.server import DemoSite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="demosite", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to delay each response")
    args = parser.parse_args(argv)

    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    with DemoSite(args.host, args.port, latency=args.latency) as site:
        # First stdout line is machine-readable: callers parse the URL from it.
        print(f"serving {site.base_url}/", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
