"""One JSON error shape for every 4xx and 5xx: ``{"error": {"code", "message", "field"}}``; a
browser that asks for a page that does not exist gets a page saying so."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from screening import DraftError
from screening.draft import ID_CONTROL

log = logging.getLogger("screening.service")

try:  # gunicorn raises these while the app reads a body whose chunked framing is broken
    from gunicorn.http.errors import NoMoreData, ParseException
    BROKEN_BODY: tuple[type[Exception], ...] = (ParseException, NoMoreData)
except ImportError:  # another WSGI server
    BROKEN_BODY = ()

MESSAGES = {
    400: "请求有误", 401: "需要有效的 API 密钥", 403: "该密钥没有此操作的权限", 404: "没有这个地址",
    405: "该地址不支持这种请求方法", 413: "请求体过大", 415: "请求体必须是 JSON（Content-Type: application/json）",
    422: "内容无法处理", 429: "请求过多", 500: "服务内部错误", 503: "服务暂不可用",
}


# The field named by errors of the request body as a whole (not JSON, too large, broken framing):
# "body" is the draft's 正文, and a client (or the page) would point at the wrong input.
REQUEST_BODY = "request_body"


class ApiError(Exception):
    def __init__(self, status: int, message: str | None = None, field: str | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message or MESSAGES.get(status, "请求有误")
        self.field = field
        self.code = code or _code(status)

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


def _code(status: int) -> str:
    return {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
            422: "unprocessable", 500: "internal_error", 503: "unavailable"}.get(status, "error")


def too_large() -> ApiError:
    """413 that says what the limit is and what to do about it."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return ApiError(413, f"请求体超过上限（{limit:,} 字节，约 {limit / 1e6:g} MB）：请把批量请求拆成几次发送，"
                         f"或由管理员调大 max_request_bytes", REQUEST_BODY)


def respond(error: ApiError):
    response = jsonify(error.to_dict())
    response.status_code = error.status
    return response


def _browser_page_request() -> bool:
    """A browser following a link (it prefers HTML to JSON), not an API client (*/* or JSON)."""
    accept = request.accept_mimetypes
    return (request.method == "GET" and not request.path.startswith("/api/")
            and accept["text/html"] > accept["application/json"])


def register(app: Flask) -> None:
    @app.before_request
    def _no_control_characters_in_ids() -> None:
        # No stored id holds one (registration refuses them), and PostgreSQL cannot even look up
        # a text with NUL in it: such an id names nothing, whatever the store.
        for name, value in (request.view_args or {}).items():
            if isinstance(value, str) and ID_CONTROL.search(value):
                raise ApiError(404, "编号含控制字符，没有这样的记录", field=name)

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return respond(error)

    @app.errorhandler(DraftError)
    def _draft_error(error: DraftError):
        return respond(ApiError(error.status, error.message, error.field))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        if status == 404 and _browser_page_request():
            return render_template("not_found.html"), 404
        response = respond(too_large() if status == 413 else ApiError(status, MESSAGES.get(status)))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, BROKEN_BODY):
            return respond(ApiError(400, "请求体的分块传输（chunked）格式有误或不完整", REQUEST_BODY))
        # The trace goes to the log (no draft text in it), never to the client.
        log.exception("unexpected error: %s", type(error).__name__)
        return respond(ApiError(500))
