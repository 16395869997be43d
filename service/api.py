"""The contract over HTTP: screen one draft, screen a batch, register submitted items."""

from __future__ import annotations

import json
import logging
import threading

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import BadRequest

from screening import Draft, DraftError
from screening.feedback import Outcome, correct_labels, record_outcome
from screening.io import NUMBER_TOO_LONG, invalid_value_at
from screening.report import Report
from screening.submission import screen_for, submit
from screening.models.loading import models_dir
from screening.store.db import JOB_HEARTBEAT_SECONDS

from . import metrics
from .auth import require
from .errors import REQUEST_BODY, ApiError, too_large
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger("screening.service")


def _state():
    return current_app.extensions["screening"]


def json_body() -> object:
    if not request.is_json:
        raise ApiError(415, field="Content-Type")
    try:
        data = request.get_json()
    except RecursionError:
        raise ApiError(400, "JSON 嵌套层数过多", field=REQUEST_BODY) from None
    except BadRequest:
        if len(request.get_data()) >= current_app.config["MAX_CONTENT_LENGTH"]:
            raise too_large() from None  # a chunked body cut off at the limit
        raise ApiError(400, _why_not_json(request.get_data()), field=REQUEST_BODY) from None
    invalid = invalid_value_at(data)
    if invalid:
        field, message = invalid
        raise ApiError(400, message, field=field)
    return data


def _why_not_json(raw: bytes) -> str:
    """Why a body Flask could not decode was refused: valid JSON with a huge integer is not broken JSON."""
    try:
        json.loads(raw)
    except ValueError as exc:
        if type(exc) is ValueError:  # not a JSONDecodeError, nor a UnicodeDecodeError
            return NUMBER_TOO_LONG
    return "请求体不是有效的 JSON"


def json_dict() -> dict:
    data = json_body()
    if not isinstance(data, dict):
        raise ApiError(400, "请求体应为 JSON 对象", field=REQUEST_BODY)
    return data


def parse_draft(data: object, field_prefix: str = "") -> Draft:
    try:
        return Draft.from_dict(data)
    except DraftError as exc:
        raise ApiError(exc.status, exc.message, field_prefix + exc.field) from None


def _count(report: Report) -> Report:
    metrics.DRAFTS.inc()
    for flag in report.flags:
        metrics.FLAGS.labels(flag.code).inc()
    return report


def screen_draft(draft: Draft, field_prefix: str = "") -> Report:
    """The draft screened as every endpoint screens it: held to its solicitation's elements."""
    state = _state()
    try:
        return screen_for(state.screener, draft, state.store)
    except DraftError as exc:  # an unknown solicitation
        raise ApiError(exc.status, exc.message, field_prefix + exc.field) from None


def _screen(draft: Draft, field_prefix: str = "") -> dict:
    return _count(screen_draft(draft, field_prefix)).to_dict()


@bp.post("/screen")
@require("screen")
def screen():
    return jsonify(_screen(parse_draft(json_body())))


@bp.post("/screen/batch")
@require("screen")
def screen_batch():
    data = json_body()
    drafts = data.get("drafts") if isinstance(data, dict) else None
    if not isinstance(drafts, list):
        raise ApiError(400, "请求体应为 {\"drafts\": [...]}", field="drafts")
    limit = _state().settings["max_batch"]
    if len(drafts) > limit:
        raise ApiError(413, f"一次最多筛查 {limit} 篇，本次 {len(drafts)} 篇", field="drafts")
    # Validate every draft before screening any: one bad draft rejects the batch, naming it.
    parsed = [parse_draft(item, f"drafts[{i}].") for i, item in enumerate(drafts)]
    return jsonify({"reports": [_screen(d, f"drafts[{i}].") for i, d in enumerate(parsed)]})


@bp.post("/items")
@require("submit")
def add_item():
    """Register a submitted item: it is screened (its flags feed the statistics), then stored."""
    state = _state()
    stored, report = next(submit(state.screener, state.finder, [parse_draft(json_body())]))
    return jsonify({"id": stored.id, "seq": stored.seq, "report": _count(report).to_dict()}), 201


@bp.post("/items/<path:item_id>/outcome")
@require("editor")
def item_outcome(item_id: str):
    data = json_dict()
    outcome = Outcome.from_dict({**data, "decided_by": data.get("decided_by") or g.get("key_name")}, item_id)
    created = record_outcome(_state().store, outcome)
    return jsonify({"item_id": item_id, "result": outcome.result, "points": outcome.points,
                    "recorded": created}), 201 if created else 200


@bp.post("/items/<path:item_id>/labels")
@require("editor")
def item_labels(item_id: str):
    data = json_dict()
    correct_labels(_state().store, item_id, data, g.get("key_name"))
    return jsonify({"item_id": item_id, "recorded": True}), 201


@bp.post("/retrain")
@require("admin")
def start_retrain():
    state = _state()
    job_id = state.store.create_job("retrain")
    threading.Thread(target=_run_retrain, args=(state, job_id), daemon=True, name=f"retrain-{job_id}").start()
    return jsonify({"job": job_id, "status": "running"}), 202


def _run_retrain(state, job_id: str) -> None:
    """The same job as ``screening retrain``, in the background; its result goes to the store."""
    from screening.models.retrain import retrain

    done = threading.Event()
    threading.Thread(target=_beat, args=(state.store, job_id, done), daemon=True, name=f"beat-{job_id}").start()
    try:
        result = retrain(state.store, state.settings, models_dir(state.settings), progress=False)
        state.store.finish_job(job_id, "done", result)
    except Exception as exc:  # the job fails, the service does not
        log.exception("retrain job %s failed", job_id)
        state.store.finish_job(job_id, "failed", {"error": type(exc).__name__, "message": str(exc)[:500]})
    finally:
        done.set()


def _beat(store, job_id: str, done: threading.Event) -> None:
    """Tell readers of the job that its process is alive, until the job is over."""
    while not done.wait(JOB_HEARTBEAT_SECONDS):
        try:
            store.beat_job(job_id)
        except Exception:  # a missed beat is retried; the job itself goes on
            log.warning("heartbeat of job %s not written", job_id)


@bp.get("/jobs/<job_id>")
@require("admin")
def job(job_id: str):
    found = _state().store.job(job_id)
    if found is None:
        raise ApiError(404, f"没有编号为 {job_id} 的任务", field="job_id")
    return jsonify(found)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(_state().settings["max_batch"]))
