"""Reading drafts from files: JSON Lines (one draft a line) or a plain .txt (title, then body)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .draft import Draft
from .errors import DraftError, describe_os_error

MAX_FILE_BYTES = 200 * 1024 * 1024


def read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DraftError("file", f"无法读取文件 {p}：{describe_os_error(exc)}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DraftError("file", f"文件过大（{len(raw)} 字节）", 413)
    return decode_text(raw, p)


def decode_utf8(raw: bytes, path: str | Path) -> str:
    """A file's bytes as text: UTF-8, with or without the BOM Windows editors write."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DraftError("file", f"文件 {path} 不是 UTF-8 编码（第 {exc.start + 1} 字节处无法解码），请另存为 UTF-8",
                         400, line) from None


# Encodings a Chinese office's file may be in. Detection tells which reads the bytes as coherent
# text of its language (charset-normalizer); only GBK is read, the others are named.
CANDIDATE_ENCODINGS = ("gb18030", "big5", "shift_jis", "euc_kr", "utf_8")
ENCODING_NAMES = {"big5": "Big5（繁体中文）", "shift_jis": "Shift_JIS（日文）", "euc_kr": "EUC-KR（韩文）"}


def decode_text(raw: bytes, path: str | Path) -> str:
    """A drafts file's bytes as text: UTF-8, or GBK (GB18030), which Excel and older Notepad write
    on Chinese Windows. UTF-8 with a few bad bytes is refused at the first of them, a line pasted
    in UTF-8 into a file that is not at its line, and a file that another East Asian encoding reads
    clearly better than GBK (Japanese, Korean, Big5) naming that encoding: a mis-read encoding would
    otherwise screen mojibake without a word."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    as_utf8 = raw.decode("utf-8", errors="replace")
    bad = as_utf8.count("\ufffd")
    valid = sum(ch > "\x7f" for ch in as_utf8) - bad
    if valid >= 3 and bad * 3 < valid:  # UTF-8 with a few bad bytes: GBK gives almost only U+FFFD
        return decode_utf8(raw, path)
    pasted = UTF8_IDEOGRAPHS.search(raw)
    if pasted:  # some UTF-8, mostly not: a line pasted into a GBK file
        number = raw.count(b"\n", 0, pasted.start()) + 1
        raise DraftError("file", f"文件 {path} 第 {number} 行有一段 UTF-8 编码的文字，其余不是（可能是从别处粘贴的）；"
                                 "请整份另存为 UTF-8", 400, number)
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DraftError("file", f"文件 {path} 不是 UTF-8 或 GBK 编码{_seems(raw)}（第 {exc.start + 1} 字节处无法解码），"
                                 "请另存为 UTF-8", 400, raw.count(b"\n", 0, exc.start) + 1) from None
    seems = _seems(raw, gbk_too=True)
    if seems:
        raise DraftError("file", f"文件 {path} 不是 UTF-8 或 GBK 编码{seems}，请另存为 UTF-8", 400)
    return text


def _seems(raw: bytes, gbk_too: bool = False) -> str:
    """"，看起来是 X 编码" when another East Asian encoding reads ``raw`` as coherent text (and, with
    ``gbk_too``, clearly better than GBK does); "" otherwise (charset-normalizer's reading)."""
    from charset_normalizer import from_bytes

    # threshold 1.0: by default one chunk holding ℃ or Ⅱ drops GBK from the candidates
    found = from_bytes(raw, cp_isolation=list(CANDIDATE_ENCODINGS), threshold=1.0)
    chaos = {match.encoding: match.chaos for match in found}
    other = min((e for e in chaos if e in ENCODING_NAMES), key=chaos.__getitem__, default=None)
    if other is None or (gbk_too and chaos[other] + GBK_MARGIN >= chaos.get("gb18030", 1.0)):
        return ""
    return f"，看起来是 {ENCODING_NAMES[other]}编码"


# How much more chaotic GBK must read than another encoding for the file to be refused: real
# Chinese titles read up to 0.075 worse as GBK than as EUC-KR (the byte ranges overlap); Japanese
# reads 0.2 worse as GBK, a Korean sentence 0.16 (a Korean phrase of a few words, 0.09: too short).
GBK_MARGIN = 0.1
# Four ideographs in a row as UTF-8 writes them: GBK text all but never holds this byte pattern.
UTF8_IDEOGRAPHS = re.compile(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){4}")


def decode_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(line number, decoded object or the DraftError for that line) for each non-blank line."""
    for number, line in enumerate(lines_of(read_text(path)), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, DraftError("line", f"不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）", 400, number)
        except RecursionError:
            yield number, DraftError("line", "JSON 嵌套层数过多", 400, number)
        except ValueError:  # an integer of more than 4,300 digits (Python's conversion limit)
            yield number, DraftError("line", NUMBER_TOO_LONG, 400, number)
        else:
            invalid = invalid_value_at(data)
            yield number, (DraftError(*invalid, 400, number) if invalid else data)


# Valid JSON that Python will not read: an integer of more than sys.get_int_max_str_digits() digits.
NUMBER_TOO_LONG = "JSON 中的数值过长（整数超过 4300 位）"
SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE = "含有无效的 Unicode 字符（孤立的代理项）"
NOT_FINITE = "数值不能是 NaN 或无穷大"


def invalid_value_at(data: Any, path: str = "") -> tuple[str, str] | None:
    """(field, message) of the first value in decoded JSON that no draft, outcome or setting can
    hold: a string with a lone surrogate (``"\\ud800"`` is valid JSON but no text: it cannot be
    segmented, stored or sent back), or NaN / Infinity (Python's decoder accepts them; every
    comparison with them is false, so a range check would let them through)."""
    if isinstance(data, str):
        return ((path or "body"), LONE_SURROGATE) if SURROGATE.search(data) else None
    if isinstance(data, float):
        return None if math.isfinite(data) else ((path or "body"), NOT_FINITE)
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(key, str) and SURROGATE.search(key):
            return (path or "body"), LONE_SURROGATE
        found = invalid_value_at(value, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key)
        if found:
            return found
    return None


def lines_of(text: str) -> list[str]:
    """Lines split at line feeds only: U+2028, U+0085 and form feeds are valid inside a JSON
    string or a title, and ``str.splitlines`` would cut there."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def iter_json_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Like :func:`decode_lines`, but the first broken line raises, naming the file."""
    for number, data in decode_lines(path):
        if isinstance(data, DraftError):
            raise DraftError(data.field, f"{path}：{data.message}", data.status, number)
        yield number, data


def read_rows(path: str | Path, key_columns: Sequence[str] = ()) -> Iterator[tuple[int, dict[str, Any] | DraftError]]:
    """(line number, row or that line's error) from a CSV file (a header row, then records; values
    are strings) or a JSON Lines file (one object a line). A CSV header must name one of
    ``key_columns`` (when given): a file without a header would lose its first row silently. Any other
    kind of file (.txt, .xlsx) is refused whole: read as JSON Lines it would be refused line by line."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".jsonl", ".json"):
        raise DraftError("file", f"{path}：只能导入 .csv 或 .jsonl 文件（不是 {suffix or '没有扩展名的文件'}）；"
                                 "Excel 表格请另存为“CSV UTF-8（逗号分隔）”")
    if suffix == ".csv":
        # the csv module refuses a field over 128 KiB with an exception mid-file; let every field
        # through (the file's size is bounded) so that the row's own check refuses it by name
        csv.field_size_limit(MAX_FILE_BYTES)
        # strict: a quote left open is an error, not a value that swallows every row after it
        reader = csv.DictReader(io.StringIO(read_text(path)), strict=True)
        header = [name.strip() for name in reader.fieldnames or ()]
        if key_columns and not set(header) & set(key_columns):
            raise DraftError("file", f"CSV 第一行应为表头（逗号分隔），且含 {'、'.join(key_columns)} 中的一列；"
                                     f"实际第一行是：{'，'.join(header)[:80]}")
        next_line = 2
        while True:
            number = next_line  # a quoted value may hold line breaks: a row starts after the last one
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield number, DraftError("line", "CSV 格式有误：这一行的引号没有配对（或引号后紧跟着其他字符），"
                                                 "这一行及之后的行都没有读入；请改正引号后重新导入", 400, number)
                return
            next_line = reader.line_num + 1
            if None in row:  # csv puts values beyond the header under None: they would be dropped
                yield number, DraftError("line", f"该行有 {len(header) + len(row[None])} 个值，比表头的 {len(header)} 列多", 400, number)
                continue
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


def import_rows(path: str | Path, apply: Callable[[dict[str, Any]], bool],
                key_columns: Sequence[str] = ()) -> ImportReport:
    """Apply each row of a CSV/JSONL file; ``apply`` returns False for a row already recorded and
    raises :class:`DraftError` for a bad one, which is refused without stopping the import."""
    report = ImportReport()
    for number, row in read_rows(path, key_columns):
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


DOCUMENT_SUFFIXES = (".txt", ".docx")


@dataclass
class DraftFile:
    """The drafts of one file, with the line each came from (None for a .txt or .docx file)."""

    drafts: list[Draft]
    lines: list[int] | None = None

    def place(self, index: int) -> str:
        """Where the ``index``-th draft is, as an officer finds it in the file."""
        return f"第 {self.lines[index]} 行" if self.lines is not None else f"第 {index + 1} 篇草稿"


def read_drafts(path: str | Path, required: Sequence[str] = ()) -> tuple[DraftFile, list[DraftError]]:
    """All drafts of a .jsonl file, or the one draft of a .txt or .docx file, and every bad line's
    error (validation never stops early). Each line must give the ``required`` fields, even those
    a draft may leave out (``submitted_at`` of a history item)."""
    suffix = Path(path).suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        try:
            if suffix == ".txt":
                return DraftFile([draft_from_txt(read_text(path))]), []
            return DraftFile([draft_from_docx(path)]), []
        except DraftError as exc:
            return DraftFile([]), [exc]
    drafts: list[Draft] = []
    lines: list[int] = []
    errors: list[DraftError] = []
    for number, data in decode_lines(path):
        try:
            if isinstance(data, DraftError):
                raise data
            missing = next((name for name in required if isinstance(data, dict) and not data.get(name)), None)
            if missing:
                raise DraftError(missing, f"缺少 {missing}")
            drafts.append(Draft.from_dict(data))
            lines.append(number)
        except DraftError as exc:
            exc.line = number
            errors.append(exc)
    return DraftFile(drafts, lines), errors


def draft_from_docx(path: str | Path) -> Draft:
    from .docx_io import read_docx

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DraftError("file", f"无法读取文件 {path}：{describe_os_error(exc)}") from None
    title, body = read_docx(data)
    return Draft.from_dict({"title": title, "body": body})


def draft_from_txt(text: str) -> Draft:
    # a plain-text file may end its lines with CR alone (old Mac editors): a line break all the same
    if not text.strip():
        raise DraftError("file", "文件为空：第一行应为标题，其后为正文")
    lines = lines_of(text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return Draft.from_dict({"title": lines[0], "body": "\n".join(lines[1:])})
