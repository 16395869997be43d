"""Files sent for download under a Chinese name, with an ASCII name for clients that cannot read
one (curl -OJ, older tools): Flask's own fallback strips the Chinese and leaves "-2026Q3.pdf"."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response


def attachment(data: bytes, mimetype: str, name: str, ascii_name: str) -> Response:
    """``data`` as an attachment named ``name`` (RFC 6266 ``filename*``), ``ascii_name`` otherwise."""
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})
