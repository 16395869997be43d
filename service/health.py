"""Liveness, readiness and metrics."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from . import metrics

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    state = current_app.extensions["screening"]
    try:
        items = state.store.count()
    except Exception:  # the store is down: not ready, say so without a trace
        return jsonify({"status": "unavailable", "store": False}), 503
    return jsonify({"status": "ready", "model_version": state.model_in_use(), "store": True, "items": items})


@bp.get("/metrics")
def prometheus():
    body, content_type = metrics.exposition(current_app.extensions["screening"].model_in_use())
    return Response(body, content_type=content_type)
