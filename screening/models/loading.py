"""Choose the judges a screener uses: the shipped trained model when present, else the rules."""

from __future__ import annotations

from typing import Any

from ..settings import Settings


def load_judges(settings: Settings, rules_only: bool = False) -> dict[str, Any]:
    """Keyword arguments for :class:`~screening.engine.Screener` (empty: the rule judges)."""
    return {}
