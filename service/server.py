"""``screening serve``: the app under gunicorn, models loaded once in the master before fork."""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

from .state import LOOPBACK


def serve(overrides: dict[str, Any], settings_file: str | None = None) -> int:
    # Named by `screening serve` before anything imported prometheus_client (which fixes its storage
    # then); without it each worker would count only for itself and /metrics would be empty.
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        raise RuntimeError("PROMETHEUS_MULTIPROC_DIR must be set before the service is imported")
    from gunicorn.app.base import BaseApplication
    from prometheus_client import multiprocess

    from . import create_app

    app = create_app({**overrides, **({"settings_file": settings_file} if settings_file else {})})
    state = app.extensions["screening"]
    settings = state.settings
    has_keys = state.store.has_keys()  # opens the store here, once: migrations run before the fork
    state.store.record_model(state.model_version, "served", {"host": settings["host"], "port": settings["port"]})
    if settings["host"] not in LOOPBACK and settings["auth"] != "off" and not has_keys:
        print(f"screening：拒绝启动：监听 {settings['host']}（非本机地址）时必须先创建 API 密钥"
              "（screening keys create --name …），或在设置中明确写 auth = \"off\"。", file=sys.stderr)
        return 2
    state.close()  # workers open their own connections after the fork

    class Application(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{settings['host']}:{settings['port']}")
            self.cfg.set("workers", settings["workers"])
            self.cfg.set("worker_class", "service.gunicorn_worker.JSONErrorWorker")
            self.cfg.set("preload_app", True)
            self.cfg.set("timeout", 60)
            self.cfg.set("child_exit", lambda _server, worker: multiprocess.mark_process_dead(worker.pid))

        def load(self):
            return app

    print(f"筛查服务：http://{settings['host']}:{settings['port']}  模型 {state.model_version}  "
          f"工作进程 {settings['workers']}", file=sys.stderr, flush=True)
    Application().run()
    return 0


def address_in_use(host: str, port: int) -> str | None:
    """Why the address cannot be listened on (already in use, not this machine's), or None."""
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror:
        return "无法解析的地址"
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            return "端口已被占用" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
    return None
