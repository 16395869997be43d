"""Choose the judges a screener uses: the current trained model when present, else the rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..settings import Settings
from . import artifact
from .model import TrainedElements, TrainedLowValue


def models_dir(settings: Settings) -> Path:
    """The models folder the settings name, or the default one."""
    return Path(settings["model_dir"]) if settings["model_dir"] else artifact.default_models_dir()


def load_judges(settings: Settings, rules_only: bool = False) -> dict[str, Any]:
    """Keyword arguments for :class:`~screening.engine.Screener` (empty: the rule judges)."""
    if rules_only:
        return {}
    folder = models_dir(settings)
    if settings["model_dir"] and not folder.is_dir():
        # a configured folder that is missing is a mistake, not a reason to fall back to the rules
        raise artifact.ModelIntegrityError(f"模型目录 {folder} 不存在")
    version = artifact.current_version(folder)
    if version is None:
        if settings["model_dir"]:  # a folder named on purpose that holds no model: say so
            raise artifact.ModelIntegrityError(f"模型目录 {folder} 中没有在用的模型（缺少 {artifact.CURRENT}）")
        return {}
    model = artifact.load(folder / version)
    return {"low_value": TrainedLowValue(model), "elements": TrainedElements(model),
            "model_version": model.version, "model": model}
