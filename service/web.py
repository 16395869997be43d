"""The officers' page: paste or upload a draft, see every finding where it is, download a Word
file with the findings as comments. Everything is served from here (no CDN)."""

from __future__ import annotations

import re
import secrets

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for

from screening import DraftError
from screening.checks import CODE_NAMES
from screening.errors import FIELD_LABELS
from screening.docx_io import DOCX_TYPE, annotated_docx, read_docx
from screening.io import decode_text, draft_from_txt
from screening.reporting.bulletin import context

from .api import json_body, json_dict, parse_draft, screen_draft
from .auth import require
from .downloads import attachment
from .reporting import stats_for_request
from .errors import ApiError
from .state import LOOPBACK

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static")


@bp.get("/")
def index():
    state = current_app.extensions["screening"]
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    live = state.store.session_scopes(session["sid"]) if isinstance(session.get("sid"), str) else None
    officer = live[0] if live else None
    # the 通报 link only for those who may read it (editors); without keys, everyone may
    can_edit = not state.auth_required() or bool(live and live[1] & {"editor", "admin"})
    return render_template("index.html", model_version=state.model_version,
                           needs_login=state.auth_required() and officer is None,
                           csrf=session["csrf"], officer=officer, can_edit=can_edit, code_names=CODE_NAMES,
                           field_names=FIELD_LABELS, emergency_hours=f"{state.settings['emergency_late_hours']:g}")


@bp.get("/report")
def report_page():
    """The 通报 of ``?period=`` (default: the last complete quarter), with a period picker. An
    officer who is not signed in is sent to sign in; a wrong period is explained on the page."""
    try:
        return _report()
    except ApiError as exc:
        if exc.status == 401:  # back here once signed in
            return redirect(url_for("web.index", next=request.full_path.rstrip("?")))
        message, status = exc.message, exc.status
    except DraftError as exc:
        message, status = exc.message, exc.status
    return render_template("report_error.html", message=message, period=request.args.get("period", "")), status


@require("editor")
def _report() -> str:
    state = current_app.extensions["screening"]
    return render_template("report.html", **context(stats_for_request(), state.settings["report_issuer"],
                                                     emergency_hours=state.settings["emergency_late_hours"]))


@bp.post("/web/login")
def login():
    """An officer signs in with an officer key; the page then works with a session cookie."""
    key = json_dict().get("key")
    store = current_app.extensions["screening"].store
    if not isinstance(key, str) or not key:
        raise ApiError(401, "密钥无效", field="key")
    # A browser keeps a Secure cookie only over HTTPS (and on localhost): say so rather than sign in
    # for nothing and show the login form again. Checked before the key, so the key is looked up
    # once, and this answer says nothing about whether the key was valid.
    if (current_app.config["SESSION_COOKIE_SECURE"] and not request.is_secure
            and request.host.rsplit(":", 1)[0].strip("[]") not in LOOPBACK):
        raise ApiError(400, "通过 HTTP 访问时浏览器不会保存登录状态：请用 HTTPS 访问本页，"
                            "或（仅限可信内网）在设置中写 cookie_secure = false", field="key")
    opened = store.open_session(key, current_app.config["PERMANENT_SESSION_LIFETIME"])
    if opened is None:
        raise ApiError(401, "密钥无效", field="key")
    token, name, _scopes = opened
    if isinstance(session.get("sid"), str):  # signing in again ends the session this cookie held
        store.close_session(session["sid"])
    session.clear()
    session.permanent = True  # the cookie expires with the stored session, after PERMANENT_SESSION_LIFETIME
    session.update(sid=token, key_name=name, csrf=secrets.token_urlsafe(24))
    return jsonify({"name": name, "csrf": session["csrf"]})


@bp.post("/web/logout")
def logout():
    if isinstance(session.get("sid"), str):  # ends the session for any copy of the cookie too
        current_app.extensions["screening"].store.close_session(session["sid"])
    session.clear()
    return jsonify({"signed_out": True})


@bp.post("/web/upload")
@require("screen")
def upload():
    """A .docx or .txt file → its title and body, for the form."""
    file = request.files.get("file")
    if file is None or not file.filename:
        raise ApiError(400, "请选择 .docx 或 .txt 文件", field="file")
    data = file.read()
    name = file.filename.lower()
    if name.endswith(".docx"):
        title, body = read_docx(data)
    elif name.endswith(".txt"):
        try:
            text = decode_text(data, file.filename)
        except DraftError as exc:
            raise ApiError(422, exc.message, field="file") from None
        draft = draft_from_txt(text)
        title, body = draft.title, draft.body
    else:
        raise ApiError(415, "只支持 .docx 和 .txt 文件", field="file")
    return jsonify({"title": title, "body": body})


@bp.post("/web/annotated.docx")
@require("screen")
def download_docx():
    """The draft screened and written to Word, each finding a comment at its span."""
    draft = parse_draft(json_body())
    report = screen_draft(draft)
    return attachment(annotated_docx(draft, report), DOCX_TYPE, annotated_name(draft.title), "screened.docx")


def annotated_name(title: str) -> str:
    """The annotated file's name: the title's first 30 characters a file name can hold, then 批注."""
    stem = UNSAFE_IN_NAME.sub("", title)[:30]
    return f"{stem}_筛查批注.docx" if stem else "筛查批注.docx"


# what a file system refuses, controls, and the invisible and direction marks that could show the
# name reversed (U+202E)
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+')
