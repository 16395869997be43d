"""gunicorn's sync worker, answering the requests it refuses itself in the service's JSON error shape.

gunicorn rejects some requests before the application sees them — a request line over its limit
(414), too many or too large header fields (431), a malformed request line (400) — and writes a
small HTML page for each. A client of a JSON API should get the same ``{"error": …}`` body as for
every other 4xx. gunicorn's ``handle_error`` picks the status and logs; only its final
``util.write_error`` call is swapped, for the duration of that call (a sync worker handles one
request at a time), so the status mapping stays gunicorn's own.
"""

from __future__ import annotations

import json

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

from .errors import ApiError

# What the client sent wrong, by the status gunicorn chose.
REFUSALS = {
    414: ("uri_too_long", "请求地址（URL）过长", "url"),
    431: ("headers_too_large", "请求头过大或过多", "headers"),
    400: ("bad_request", "HTTP 请求格式有误", "request"),
    403: ("forbidden", "请求被拒绝", None),
    417: ("expectation_failed", "不支持该 Expect 请求头", "headers"),
    501: ("not_implemented", "不支持该传输编码（Transfer-Encoding）", "headers"),
}


def json_error_response(status: int, reason: str) -> bytes:
    """A complete HTTP/1.1 response with the JSON error body; the connection closes after it."""
    code, message, field = REFUSALS.get(status, (None, None, None))
    body = json.dumps(ApiError(status, message, field, code).to_dict(), ensure_ascii=False).encode("utf-8")
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


def _write_json_error(sock, status_int: int, reason: str, _mesg: str) -> None:
    util.write_nonblock(sock, json_error_response(status_int, reason))


class JSONErrorWorker(SyncWorker):
    def handle_error(self, req, client, addr, exc) -> None:
        html_writer = util.write_error
        util.write_error = _write_json_error
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            util.write_error = html_writer
