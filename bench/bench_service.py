"""Requests per second and latency of ``/api/v1/screen`` next to a bare endpoint that only runs
pure-Python ``jieba.lcut`` on the same body, same gunicorn server (2 sync workers), same run.

    .venv/bin/python bench/bench_service.py [--connections 8] [--seconds 15]

Needs wrk (Debian package ``wrk``). Load goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_screen import make_draft  # noqa: E402

from service.launcher import free_port, wait_until_up  # noqa: E402


def start_server(port: int, instance: str) -> None:
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp())
    import jieba
    from flask import request
    from gunicorn.app.base import BaseApplication

    from service import create_app

    app = create_app({"instance_path": instance})
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()

    @app.post("/bare/jieba")
    def bare():  # the yardstick: parse the JSON, segment the body, answer
        return {"tokens": len(tokenizer.lcut(request.get_json()["body"]))}

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"127.0.0.1:{port}")
            self.cfg.set("workers", 2)
            self.cfg.set("preload_app", True)
            self.cfg.set("loglevel", "warning")

        def load(self):
            return app

    Server().run()


def wrk(url: str, body: str, connections: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as data:
        data.write(body)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                 f'local f = io.open("{data.name}", "rb")\nwrk.body = f:read("*a")\nf:close()\n')
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", fh.name, url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p: str) -> str:
        m = re.search(rf"\s{p}%\s+([\d.]+\w+)", out)
        return m.group(1) if m else "?"

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "non2xx": int(errors.group(1)) if errors else 0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    port = free_port()
    instance = tempfile.mkdtemp()
    server_pid = os.fork()
    if server_pid == 0:
        start_server(port, instance)
        os._exit(0)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, 60)
    body = json.dumps(make_draft(1000), ensure_ascii=False)
    try:
        bare = wrk(base + "/bare/jieba", body, args.connections, args.seconds)
        full = wrk(base + "/api/v1/screen", body, args.connections, args.seconds)
    finally:
        os.kill(server_pid, signal.SIGTERM)  # the gunicorn master stops its workers
        os.waitpid(server_pid, 0)
    print(f"gunicorn 2 sync workers, {args.connections} connections, {args.seconds} s each, 1,000-character body")
    print(f"bare jieba.lcut endpoint: {bare['rps']:.0f} req/s, p50 {bare['p50']}, p99 {bare['p99']}, non-2xx {bare['non2xx']}")
    print(f"/api/v1/screen:           {full['rps']:.0f} req/s, p50 {full['p50']}, p99 {full['p99']}, non-2xx {full['non2xx']}")
    print(f"ratio screen / bare = {full['rps'] / bare['rps']:.2f}")


if __name__ == "__main__":
    main()
