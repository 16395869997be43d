"""Choose the judges a screener uses: the current trained model when present, else the rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..settings import Settings
from . import artifact
from .model import TrainedElements, TrainedLowValue


def load_judges(settings: Settings, rules_only: bool = False) -> dict[str, Any]:
    """Keyword arguments for :class:`~screening.engine.Screener` (empty: the rule judges)."""
    if rules_only:
        return {}
    models_dir = Path(settings["model_dir"]) if settings["model_dir"] else artifact.default_models_dir()
    version = artifact.current_version(models_dir)
    if version is None:
        return {}
    model = artifact.load(models_dir / version)
    return {"low_value": TrainedLowValue(model), "elements": TrainedElements(model),
            "model_version": model.version, "model": model}
