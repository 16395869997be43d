"""The error types the CLI and the service report to users: bad input, and a model that cannot be loaded."""

from __future__ import annotations

import errno


class DraftError(ValueError):
    """Invalid input, naming the field at fault.

    ``status`` follows HTTP semantics so that the service and the CLI report the same error the
    same way: 400 for malformed input, 413 for an over-long field, 422 for a well-formed value
    that does not make sense (a date that does not parse).
    """

    def __init__(self, field: str, message: str, status: int = 400, line: int | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status
        self.line = line

    def to_dict(self) -> dict:
        out = {"code": "invalid_input" if self.status != 413 else "too_large",
               "message": self.message, "field": self.field}
        if self.line is not None:
            out["line"] = self.line
        return out

    def __str__(self) -> str:
        where = f"第 {self.line} 行，" if self.line is not None else ""
        return f"{where}字段 {self.field}：{self.message}"


# What officers call the fields a message names: "标题（title）不能为空" reads for the officer on the
# page and still names the JSON field for a programmer.
FIELD_LABELS = {
    "title": "标题", "body": "正文", "unit": "报送单位", "id": "编号", "kind": "类型", "reviewer": "审核签发人",
    "solicitation": "约稿编号", "event_date": "事件日期", "submitted_at": "报送时间", "emergency": "突发事件",
    "file": "上传文件", "key": "密钥",
}


def field_label(name: str) -> str:
    """The field as officers and programmers both read it: 标题（title）; unknown names as they are."""
    label = FIELD_LABELS.get(name)
    return f"{label}（{name}）" if label else name


def field_subject(name: str) -> str:
    """The field opening a message: 标题（title）不能为空 with no space after the closing parenthesis;
    a name without a label (deadline) keeps a space before the Chinese that follows."""
    return field_label(name) if name in FIELD_LABELS else f"{name} "


class ModelIntegrityError(RuntimeError):
    """A model version that is missing, damaged (sha256 mismatch) or built for other code."""


# The system's own wording is English: officers get these in Chinese.
_OS_ERRORS = {
    errno.ENOENT: "文件或目录不存在", errno.EISDIR: "这是一个目录，不是文件", errno.ENOTDIR: "路径中有一段不是目录",
    errno.EEXIST: "已存在同名的文件", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
    errno.EROFS: "只读文件系统，不能写入", errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名过长", errno.EMFILE: "打开的文件过多", errno.EIO: "读写出错（I/O 错误）",
}


def describe_os_error(exc: OSError) -> str:
    """Why a file operation failed, in Chinese (the caller names the file)."""
    return _OS_ERRORS.get(exc.errno) or exc.strerror or str(exc)
