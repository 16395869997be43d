"""Reading drafts from files: JSON Lines (one draft a line) or a plain .txt (title, then body)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .draft import Draft
from .errors import DraftError

MAX_FILE_BYTES = 200 * 1024 * 1024


def read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DraftError("file", f"无法读取文件 {p}：{exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DraftError("file", f"文件过大（{len(raw)} 字节）", 413)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftError("file", f"文件不是 UTF-8 编码（第 {exc.start} 字节处无法解码），请另存为 UTF-8") from None


def decode_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(line number, decoded object or the DraftError for that line) for each non-blank line."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, DraftError("line", f"不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）", 400, number)


def iter_json_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Like :func:`decode_lines`, but the first broken line raises."""
    for number, data in decode_lines(path):
        if isinstance(data, DraftError):
            raise data
        yield number, data


def read_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any] | DraftError]]:
    """(line number, row or that line's error) from a CSV file (a header row, then records; values
    are strings) or a JSON Lines file (one object a line)."""
    if str(path).lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(read_text(path)))
        for number, row in enumerate(reader, start=2):
            yield number, {k.strip(): (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        return
    for number, data in decode_lines(path):
        if not isinstance(data, (dict, DraftError)):
            data = DraftError("line", "每行应是一个 JSON 对象", 400, number)
        yield number, data


@dataclass
class ImportReport:
    """What importing a file did: rows accepted, rows already there, rows refused (line, field, reason)."""

    accepted: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str, str]] = field(default_factory=list)


def import_rows(path: str | Path, apply: Callable[[dict[str, Any]], bool]) -> ImportReport:
    """Apply each row of a CSV/JSONL file; ``apply`` returns False for a row already recorded and
    raises :class:`DraftError` for a bad one, which is refused without stopping the import."""
    report = ImportReport()
    for number, row in read_rows(path):
        try:
            if isinstance(row, DraftError):
                raise row
            if apply(row):
                report.accepted += 1
            else:
                report.unchanged += 1
        except DraftError as exc:
            report.refused.append((number, exc.field, exc.message))
    return report


def read_drafts(path: str | Path) -> tuple[list[Draft], list[DraftError]]:
    """All drafts of a .jsonl or .txt file, and every bad line's error (validation never stops early)."""
    if str(path).endswith(".txt"):
        return [draft_from_txt(read_text(path))], []
    drafts: list[Draft] = []
    errors: list[DraftError] = []
    for number, data in decode_lines(path):
        try:
            if isinstance(data, DraftError):
                raise data
            drafts.append(Draft.from_dict(data))
        except DraftError as exc:
            exc.line = number
            errors.append(exc)
    return drafts, errors


def draft_from_txt(text: str) -> Draft:
    lines = text.strip().splitlines()
    if not lines:
        raise DraftError("title", "文件为空：第一行应为标题，其后为正文")
    return Draft.from_dict({"title": lines[0], "body": "\n".join(lines[1:])})
