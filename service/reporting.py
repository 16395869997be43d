"""The information office's side over HTTP: units, solicitations (约稿), statistics by period and
the quarterly 通报 (HTML, PDF and Word)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify, request

from screening import DraftError
from screening.draft import parse_day_end_or_moment
from screening.reporting.bulletin import REPORT_TYPES, download_name, render_html, write_pdf
from screening.reporting.bulletin_docx import render_docx
from screening.reporting.periods import Period
from screening.reporting.stats import PeriodStats, period_stats
from screening.solicitations import (Solicitation, create_solicitation, get_solicitation, list_solicitations,
                                     past_deadline_warning, replies)
from screening.units import Unit, list_units, save_units

from .api import json_dict
from .auth import require
from .downloads import attachment
from .errors import ApiError

bp = Blueprint("reporting", __name__, url_prefix="/api/v1")


def _state():
    return current_app.extensions["screening"]


def _as_of():
    value = request.args.get("as_of")
    return parse_day_end_or_moment(value, "as_of") if value else None


def stats_for_request() -> PeriodStats:
    """The statistics of ``?period=`` (default: the last complete quarter) as of ``?as_of=``."""
    period = Period.parse(request.args["period"]) if "period" in request.args else Period.last_complete_quarter()
    return period_stats(_state().store, period, _as_of(), _state().settings)


@bp.get("/units")
@require("editor")
def units():
    return jsonify({"units": [u.to_dict() for u in list_units(_state().store)]})


@bp.post("/units")
@require("admin")
def post_units():
    rows = json_dict().get("units")
    if not isinstance(rows, list) or not rows:
        raise ApiError(400, "请求体应为 {\"units\": [...]}，至少一个单位", field="units")
    parsed: dict[str, tuple[int, Unit]] = {}
    for i, row in enumerate(rows):  # all validated before any is saved
        try:
            unit = Unit.from_dict(row if isinstance(row, dict) else {})
        except DraftError as exc:
            raise ApiError(exc.status, exc.message, f"units[{i}].{exc.field}") from None
        first, earlier = parsed.setdefault(unit.name, (i, unit))
        if earlier != unit:  # which of two differing rows was meant is the caller's call, not the order
            raise ApiError(409, f"单位“{unit.name}”在 units[{first}] 中已出现，内容与这一项不同", f"units[{i}].name")
    parsed = [unit for _i, unit in parsed.values()]
    changed = save_units(_state().store, parsed)
    return jsonify({"saved": changed, "unchanged": len(parsed) - changed})


@bp.get("/solicitations")
@require("editor")
def solicitations():
    return jsonify({"solicitations": [s.to_dict() for s in list_solicitations(_state().store)]})


@bp.post("/solicitations")
@require("editor")
def new_solicitation():
    data = json_dict()
    solicitation = Solicitation.from_dict({**data, "created_by": data.get("created_by") or g.get("key_name")})
    create_solicitation(_state().store, solicitation)
    warning = past_deadline_warning(solicitation)
    return jsonify({**solicitation.to_dict(), **({"warnings": [warning]} if warning else {})}), 201


@bp.get("/solicitations/<solicitation_id>")
@require("editor")
def solicitation(solicitation_id: str):
    store = _state().store
    found = get_solicitation(store, solicitation_id)
    return jsonify({**found.to_dict(), "replies": [r.to_dict() for r in replies(store, found, _as_of())]})


@bp.get("/stats")
@require("editor")
def stats():
    return jsonify(stats_for_request().to_dict())


@bp.get("/report")
@require("editor")
def report():
    """The 通报: ``?format=html`` (default), ``pdf`` or ``docx``; the files download under the names
    `screening report` gives them (通报-2026Q3.pdf)."""
    fmt = request.args.get("format", "html")
    if fmt not in REPORT_TYPES:
        raise ApiError(422, "format 只能是 html、pdf 或 docx", field="format")
    computed = stats_for_request()
    settings = _state().settings
    issuer, hours = settings["report_issuer"], settings["emergency_late_hours"]
    if fmt == "docx":
        data = render_docx(computed, issuer, emergency_hours=hours)
    else:
        html = render_html(computed, issuer, emergency_hours=hours)
        if fmt == "html":
            return Response(html, mimetype="text/html")
        data = write_pdf(html)
    return attachment(data, REPORT_TYPES[fmt], download_name(computed, fmt), f"report-{computed.period.key}.{fmt}")
