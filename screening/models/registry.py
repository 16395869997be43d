"""The model versions on disk: list them, promote one, roll back to the one before.

``current.txt`` names the version in use; ``promotions.log`` keeps every change of it, appended
and never rewritten: ``<time> <version> from <previous>`` for a promotion (older lines have no
``from``), ``<time> <version> rollback from <previous>`` for a rollback. Replayed, the log is a
stack of versions made current and not since rolled back from, so each rollback undoes one more
promotion: A, B, C promoted, rollback → B, rollback → A, rollback → refused. A version is loaded
(its sha256 and features checked) before it is made current.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

from . import artifact

LOG = "promotions.log"
ROLLBACK = "rollback"  # third field of a log line written by rollback()


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
    os.fchmod(fd, 0o644)  # mkstemp makes it private; the service may run as another user than the admin
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(version + "\n")
    os.replace(tmp, models_dir / artifact.CURRENT)


def _append_log(models_dir: Path, version: str, note: str = "") -> None:
    stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with open(models_dir / LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{stamp} {version}{' ' + note if note else ''}\n")


def _current_or_none(models_dir: Path) -> str | None:
    try:
        return artifact.current_version(models_dir)
    except artifact.ModelIntegrityError:  # an unreadable current.txt is what promote() mends
        return None


def promote(models_dir: Path, version: str) -> None:
    artifact.load(models_dir / version)  # refuses a damaged or incompatible artifact
    # Name the version replaced, so a rollback can return to it even when current.txt was set
    # without a log line (by hand, or by a copied models folder).
    previous = _current_or_none(models_dir)
    _write_current(models_dir, version)
    _append_log(models_dir, version, f"from {previous}" if previous and previous != version else "")


def history(models_dir: Path) -> list[str]:
    """The versions made current and not since rolled back from, oldest first, replayed from the log.

    A rollback line pops the version rolled back from (and any it skipped) down to its target, so
    a version once rolled back from is never the target of a later rollback unless promoted again.
    """
    log = models_dir / LOG
    lines = log.read_text("utf-8").splitlines() if log.exists() else []
    stack: list[str] = []
    for line in lines:
        fields = line.split()
        if len(fields) < 2:
            continue
        version = fields[1]
        if len(fields) > 2 and fields[2] == ROLLBACK:
            rolled_back_from = fields[4] if len(fields) > 4 else None
            # wherever it stood: promoted A, S, A again, a rollback from A must not lead back to A
            stack = [v for v in stack if v != rolled_back_from]
            while stack and stack[-1] != version:
                stack.pop()
            if not stack:  # a log that does not reach back to the target (edited by hand)
                stack.append(version)
            continue
        replaced = fields[3] if len(fields) > 3 and fields[2] == "from" else None
        if replaced and (not stack or stack[-1] != replaced):
            stack.append(replaced)
        if not stack or stack[-1] != version:  # promoting the current version again changes nothing
            stack.append(version)
    return stack


def rollback(models_dir: Path) -> str:
    """Make current the version that was current before the current one; return it.

    Repeated, it steps further back; versions rolled back from, deleted since, or equal to the
    current one are skipped. Raises ValueError (a Chinese message) when there is nothing older.
    """
    stack = history(models_dir)
    current = artifact.current_version(models_dir)
    if current is not None and (not stack or stack[-1] != current):
        stack.append(current)  # current.txt written by hand: rolling back undoes that first
    if stack:
        stack.pop()
    while stack and (stack[-1] == current or not (models_dir / stack[-1]).is_dir()):
        stack.pop()
    if not stack:
        raise ValueError(f"没有可回退的更早版本：{current} 之前启用的版本都已回退过或已不在模型目录中"
                         if current else "没有可回退的更早版本")
    target = stack[-1]
    artifact.load(models_dir / target)  # refuses a damaged or incompatible artifact
    _write_current(models_dir, target)
    _append_log(models_dir, target, f"{ROLLBACK} from {current or '-'}")
    return target
