"""Word files: read a draft from .docx, and write a draft back with each finding as a comment
on the text it points at (python-docx), so officers can fix it in the tool they already use."""

from __future__ import annotations

import io
import re
from typing import Iterable, Iterator

from docx import Document

from .checks import code_name
from .draft import Draft
from .errors import DraftError
from .report import Report

MAX_DOCX_BYTES = 20 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read_docx(data: bytes) -> tuple[str, str]:
    """(title, body): the first non-empty paragraph is the title, the rest the body."""
    if len(data) > MAX_DOCX_BYTES:
        raise DraftError("file", "Word 文件过大", 413)
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises several types for a file that is not .docx
        raise DraftError("file", "无法读取：不是有效的 .docx 文件（.doc 请先另存为 .docx）", 422) from None
    paragraphs = [text.strip() for text in _texts_in_order(document) if text.strip()]
    if not paragraphs:
        raise DraftError("file", "Word 文件中没有文字", 422)
    if len(paragraphs) == 1:
        raise DraftError("file", "Word 文件中只有一段文字（当作标题），没有正文", 422)
    return paragraphs[0], "\n".join(paragraphs[1:])


def _texts_in_order(document) -> Iterator[str]:
    """The document's paragraphs, and its tables' rows, in reading order (a body laid out in a table
    is still the body)."""
    yield from _lines_of(document.iter_inner_content())


def _lines_of(blocks) -> Iterator[str]:
    from docx.table import Table

    for block in blocks:
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield block.text


def _table_lines(table) -> Iterator[str]:
    """A row of one-line cells is one line, its cells joined by "，" (指标，完成值，同比增长), so a figure
    keeps its label; other cells give their lines in turn, tables nested in them included. A merged
    cell is read once."""
    # Hold the cells' XML elements themselves: lxml keeps one proxy per element only while it is
    # referenced, so the id() of a dropped proxy is reused and unrelated cells looked merged.
    seen: set = set()
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc not in seen:
                seen.add(cell._tc)
                cells.append([text.strip() for text in _lines_of(cell.iter_inner_content()) if text.strip()])
        if all(len(lines) <= 1 for lines in cells):
            yield "，".join(lines[0] for lines in cells if lines)
        else:
            for lines in cells:
                yield from lines


# Characters XML 1.0 cannot hold (control characters, U+FFFE/U+FFFF): a draft may carry them, a .docx
# cannot. Each becomes U+FFFD, one for one, so that the findings' offsets still point at their text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _segments(start: int, end: int, cuts: Iterable[int]) -> list[tuple[int, int]]:
    points = sorted({start, end, *(c for c in cuts if start < c < end)})
    return list(zip(points, points[1:]))


def annotated_docx(draft: Draft, report: Report, author: str = "政务信息筛查") -> bytes:
    """The draft as a Word document, every finding a comment anchored on its first span (or the
    title), headed by the finding's name as officers read it."""
    document = Document()
    lines = [("title", draft.title_offset, draft.title)]
    offset = draft.body_offset
    for line in draft.body.split("\n"):
        lines.append(("body", offset, line))
        offset += len(line) + 1
    spans = [(f, s) for f in report.flags for s in f.spans]
    runs_by_line = []
    for field, base, text in lines:
        paragraph = document.add_heading(level=1) if field == "title" else document.add_paragraph()
        cuts = [c - base for f, s in spans if s.field == field for c in (s.start, s.end)]
        runs = []
        for a, b in _segments(0, len(text), cuts):
            runs.append((base + a, base + b, paragraph.add_run(xml_safe(text[a:b]))))
        runs_by_line.append((field, runs))
    title_runs = [r for _a, _b, r in runs_by_line[0][1]]
    texts = {"title": draft.title, "body": draft.body}
    for finding in report.flags:
        note = xml_safe(f"【{code_name(finding.code)}】{finding.message}"
                         + (f"\n建议：{finding.suggestion}" if finding.suggestion else ""))
        anchors = []  # (runs, span) of every span that covers text
        for span in finding.spans:
            covered = [r for field, runs in runs_by_line if field == span.field
                       for a, b, r in runs if a >= span.start and b <= span.end and b > a]
            if covered:
                anchors.append((covered, span))
        # One comment per finding, on its first place: a finding with ten figures would otherwise
        # put ten identical comments in the margin. The other places are named in it.
        others = [texts[s.field][s.start:s.end] for _runs, s in anchors[1:6]]
        if others:
            note += xml_safe("\n另见：" + "、".join(others) + ("等" if len(anchors) > 6 else ""))
        note += f"\n（提示代码 {finding.code}）"
        runs = anchors[0][0] if anchors else title_runs
        if runs:
            document.add_comment(runs, text=note, author=author, initials="SC")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
