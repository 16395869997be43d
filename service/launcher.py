"""Start `screening serve` on a free loopback port and wait until it answers: for the tests and
the benchmarks that talk to a real server over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{base} did not come up in {seconds} s") from None
            time.sleep(0.2)


@contextmanager
def served(instance: Path, workers: int = 2, env: dict[str, str] | None = None) -> Iterator[str]:
    """A real server on loopback with its own instance folder; yields its base URL."""
    port = free_port()
    environ = {**os.environ, "SCREENING_INSTANCE_PATH": str(instance), **(env or {})}
    with subprocess.Popen([sys.executable, "-m", "screening.cli", "serve", "--port", str(port),
                           "--workers", str(workers)], env=environ, cwd=instance.parent,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=60)
