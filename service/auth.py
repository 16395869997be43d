"""API keys: ``Authorization: Bearer <key>`` (or ``X-API-Key``), checked against hashed keys.

Scopes: ``screen`` (screening), ``submit`` (registering items), ``editor`` (outcomes and label
corrections), ``admin`` (everything).
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

import hmac

from flask import current_app, g, request, session

from .errors import ApiError

if TYPE_CHECKING:
    from screening.store.db import Store

# The key scopes (Store.SCOPES) as officers name them.
SCOPE_NAMES = {"screen": "筛查", "submit": "报送", "editor": "编辑", "admin": "管理"}


def presented_key() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("X-API-Key") or None


def require(*scopes: str):
    """The key must hold one of ``scopes`` (``admin`` holds them all)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            state = current_app.extensions["screening"]
            g.key_name = None
            if state.auth_required():
                key = presented_key()
                if key is None and isinstance(session.get("sid"), str):
                    found = signed_in(state.store)
                else:
                    found = state.store.key_scopes(key) if key else None
                if found is None:
                    raise ApiError(401, field="Authorization")
                name, held = found
                if not held & {*scopes, "admin"}:
                    names = "或".join(SCOPE_NAMES.get(scope, scope) for scope in scopes)
                    raise ApiError(403, f"该密钥没有“{names}”权限", field="Authorization")
                g.key_name = name
            return view(*args, **kwargs)
        return wrapper
    return decorate


def signed_in(store: "Store") -> tuple[str, frozenset[str]] | None:
    """The officer signed in on the page, while the stored session lives (None once signed out,
    expired or its key revoked); a form post must carry the session's CSRF token."""
    found = store.session_scopes(session["sid"])
    if found is None:
        session.clear()
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sent = request.headers.get("X-CSRF-Token", "")
        # bytes: compare_digest refuses str with non-ASCII characters (a 500, not a 403)
        if not hmac.compare_digest(sent.encode(), str(session.get("csrf", "")).encode()):
            raise ApiError(403, "页面已过期或请求来源不明，请刷新页面后重试", field="X-CSRF-Token")
    return found
