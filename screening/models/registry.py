"""The model versions on disk: list them, promote one, roll back to the one before.

``current.txt`` names the version in use; ``promotions.log`` keeps every promotion (time and
version) so that a rollback returns to the previous one. A version is loaded (its sha256 and
features checked) before it is promoted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

from . import artifact

LOG = "promotions.log"


def versions(models_dir: Path) -> list[dict]:
    out = []
    for folder in sorted(p for p in models_dir.iterdir() if (p / "meta.json").exists()):
        try:
            meta = json.loads((folder / "meta.json").read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise artifact.ModelIntegrityError(f"{folder / 'meta.json'} 无法读取或不是有效的 JSON") from None
        if not isinstance(meta, dict):
            raise artifact.ModelIntegrityError(f"{folder / 'meta.json'} 不是 JSON 对象")
        out.append({"version": folder.name, "created": meta.get("created"),
                    "items": meta.get("training_data", {}).get("items"),
                    "cv_low_value": meta.get("cv", {}).get("low_value", {}).get("macro_f1"),
                    "cv_elements": meta.get("cv", {}).get("elements_macro_f1"),
                    "eval": {k: {"low_value": v.get("low_value", {}).get("macro_f1"),
                                 "elements": v.get("elements", {}).get("macro_f1")}
                             for k, v in meta.get("eval", {}).items()},
                    "current": folder.name == artifact.current_version(models_dir)})
    return out


def _write_current(models_dir: Path, version: str) -> None:
    # Atomic: a worker reading current.txt sees the old name or the new one, never half a name.
    fd, tmp = tempfile.mkstemp(dir=models_dir, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(version + "\n")
    os.replace(tmp, models_dir / artifact.CURRENT)


def promote(models_dir: Path, version: str) -> None:
    artifact.load(models_dir / version)  # refuses a damaged or incompatible artifact
    _write_current(models_dir, version)
    with open(models_dir / LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds')} {version}\n")


def rollback(models_dir: Path) -> str:
    """Promote the version promoted before the current one; return it."""
    log = models_dir / LOG
    history = [line.split()[1] for line in log.read_text("utf-8").splitlines() if line.strip()] if log.exists() else []
    current = artifact.current_version(models_dir)
    earlier = [v for v in history if v != current and (models_dir / v).exists()]
    if not earlier:
        raise ValueError("没有可回退的更早版本")
    previous = earlier[-1]
    promote(models_dir, previous)
    return previous
