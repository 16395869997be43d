"""Model versions on disk: a folder with the joblib artifact, its sha256 and ``meta.json``.

joblib (pickle) runs code when it loads, so an artifact is loaded only when its bytes match the
sha256 recorded beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import joblib

from ..errors import ModelIntegrityError
from .features import STRUCT_NAMES
from .model import ScreeningModel

ARTIFACT = "model.joblib"
CURRENT = "current.txt"


def default_models_dir() -> Path:
    """``SCREENING_MODEL_DIR`` or the repository's ``models/`` folder."""
    env = os.environ.get("SCREENING_MODEL_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(model: ScreeningModel, meta: dict[str, Any], models_dir: Path) -> Path:
    """Write a version folder (not yet in use: ``registry.promote`` does that)."""
    folder = models_dir / model.version
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ARTIFACT
    joblib.dump(model, path, compress=3)
    digest = sha256_of(path)
    (folder / f"{ARTIFACT}.sha256").write_text(f"{digest}  {ARTIFACT}\n", encoding="utf-8")
    meta = {**meta, "version": model.version, "sha256": digest, "size_bytes": path.stat().st_size}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def current_version(models_dir: Path) -> str | None:
    pointer = models_dir / CURRENT
    if not pointer.exists():
        return None
    try:
        return pointer.read_text("utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        raise ModelIntegrityError(f"{pointer} 无法读取或不是 UTF-8 文本，请用 screening models promote 重新指定版本") from None


def load(folder: Path) -> ScreeningModel:
    path = folder / ARTIFACT
    if not path.is_file():
        raise ModelIntegrityError(f"模型版本 {folder.name} 不存在或不完整（找不到 {path}）")
    try:
        recorded = (folder / f"{ARTIFACT}.sha256").read_text("utf-8").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        raise ModelIntegrityError(f"模型版本 {folder.name} 缺少可读的 sha256 记录，拒绝加载") from None
    actual = sha256_of(path)
    if actual != recorded:
        raise ModelIntegrityError(f"模型文件 {path} 的 sha256 与记录不符（记录 {recorded[:12]}…，实际 {actual[:12]}…），拒绝加载")
    try:
        model = joblib.load(path)
    except Exception as exc:  # a file whose hash was recorded for it but that is not a joblib artifact
        raise ModelIntegrityError(f"{path} 无法载入（{type(exc).__name__}），不是有效的模型文件") from None
    if not isinstance(model, ScreeningModel):
        raise ModelIntegrityError(f"{path} 不是筛查模型")
    if getattr(model, "struct_names", None) != STRUCT_NAMES:
        raise ModelIntegrityError(f"模型 {model.version} 的特征与当前代码不一致，请用 screening train 重新训练")
    return model
