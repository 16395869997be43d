"""The HTTP service: a Flask app factory over the screening library."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, g, request
from jinja2 import ChoiceLoader, PackageLoader

from screening import Settings
from screening.reporting import bulletin

from . import api, errors, health, metrics, reporting, web
from .state import ServiceState

log = logging.getLogger("screening.service")


def _instance_secret(instance_path: str) -> str:
    """The session key, made once and kept in the instance folder: every worker signs alike."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Settings: defaults, then the TOML file named by ``SCREENING_SETTINGS``, then ``SCREENING_*``
    variables, then ``config`` (tests pass theirs here)."""
    config = dict(config or {})
    toml_path = config.pop("settings_file", None) or os.environ.get("SCREENING_SETTINGS")
    settings = Settings.load(toml_path, os.environ, config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings["max_request_bytes"]
    app.config.update(SECRET_KEY=settings["secret_key"] or _instance_secret(settings["instance_path"]),
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
                      SESSION_COOKIE_SECURE=bool(settings["cookie_secure"]),
                      # the session is a signed cookie: a copy of it stays valid until it expires,
                      # logout or not, so it expires after a working day
                      PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8))
    # The web page extends the library's 通报 template: one template for the page, the HTML and the PDF.
    app.jinja_loader = ChoiceLoader([app.jinja_loader, PackageLoader("screening.reporting", "templates")])
    app.jinja_env.filters.update(bulletin.FILTERS)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    state = ServiceState(settings)
    app.extensions["screening"] = state

    errors.register(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(reporting.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(web.bp)

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _log(response):
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.REQUESTS.labels(endpoint, str(response.status_code)).inc()
        metrics.LATENCY.labels(endpoint).observe(elapsed)
        # Ids, sizes, codes and timings only: drafts are internal government information.
        log.info("%s %s %s in=%sB out=%sB %.1fms key=%s", request.method, endpoint, response.status_code,
                 request.content_length or 0, response.calculate_content_length() or 0, elapsed * 1000,
                 g.get("key_name"))
        return response

    return app
