"""The 通报 as a Word file, for the office to add its 文号 and edit before issuing it.

The text comes from the same template as the HTML and the PDF: the page is rendered with a
placeholder where each chart goes and then read element by element into python-docx (headings,
paragraphs, tables, the charts as PNG), so there is one wording of the 通报, not two.
"""

from __future__ import annotations

import io
import re

import lxml.html
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from ..docx_io import xml_safe
from . import charts
from .bulletin import render_html
from .stats import PeriodStats

RED = RGBColor(0xB0, 0x00, 0x00)
GREY = RGBColor(0x66, 0x66, 0x66)
# The fonts of a Chinese official document; Word falls back to its own where they are missing.
BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "方正小标宋简体"
BODY_SIZE = Pt(12)
TEXT_WIDTH_CM = 15.6  # A4 less the margins of an official document


def render_docx(stats: PeriodStats, issuer: str = "市人民政府办公室", with_charts: bool = True,
                emergency_hours: float = 4) -> bytes:
    """The 通报 as .docx bytes (A4, one table per section of the page, charts as pictures)."""
    figures = {name: f'<img data-chart="{name}">' for name in charts.CHARTS} if with_charts else {}
    # a title or unit name may hold control characters (Word's own line break \x0b, pasted): a .docx cannot
    page = lxml.html.document_fromstring(xml_safe(render_html(stats, issuer, with_charts, figures, emergency_hours)))
    document = _blank_document()
    writer = _Writer(document, stats)
    for element in page.body:
        writer.block(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _blank_document():
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(21 - 2.8 - TEXT_WIDTH_CM)
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _east_asian_font(normal.element, BODY_FONT)
    _page_number(section.footer.paragraphs[0])
    return document


def _east_asian_font(element, name: str) -> None:
    """Set the font Word uses for Chinese characters (``font.name`` sets only the Latin one)."""
    rpr = element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_number(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    paragraph.add_run(" —")


# Layout whitespace of the template: a line break inside a sentence, with the indentation after
# it. Beside a Chinese character it is no space at all (a browser shows one; a Word document should
# not); elsewhere one space, as HTML shows it. Spaces without a line break are the data's own.
CHINESE = "[\u3000-\u9fff\uff00-\uffef]"
LAYOUT_BREAK = re.compile(rf"(?<={CHINESE})[ \t\r]*\n[ \t\r\n]*|[ \t\r]*\n[ \t\r\n]*(?={CHINESE})")
BR = "\u2028"  # a <br> while the layout whitespace is taken out


def _collapse(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", LAYOUT_BREAK.sub("", text))


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element) -> str:
    """An element's text, each <br> a line break."""
    for br in element.iter("br"):
        br.text = BR
    return "\n".join(line.strip() for line in _collapse("".join(element.itertext())).split(BR)).strip()


class _Writer:
    """Reads the 通报 page's blocks into the document."""

    def __init__(self, document, stats: PeriodStats) -> None:
        self.document = document
        self.stats = stats

    def block(self, element) -> None:
        classes = _classes(element)
        if element.tag == "div" and "masthead" in classes:
            self.masthead(element)
        elif element.tag == "h2":
            self.paragraph(_text(element), size=Pt(18), font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
                           space_before=Pt(12), space_after=Pt(12))
        elif element.tag == "h3":
            heading = self.paragraph(_text(element), font=HEADING_FONT, space_before=Pt(10), space_after=Pt(4))
            heading.paragraph_format.keep_with_next = True  # never the last line of a page
        elif element.tag == "p":
            self.body_paragraph(element, classes)
        elif element.tag == "table":
            self.table(element)
        elif element.tag == "div" and element.find(".//img") is not None:  # a chart, or charts side by side
            self.charts([img.get("data-chart") for img in element.iter("img")])
        elif element.tag == "div":  # a block kept on one page: the requirements with the signature
            first = len(self.document.paragraphs)
            for child in element:
                self.block(child)
            for paragraph in self.document.paragraphs[first:-1]:
                paragraph.paragraph_format.keep_with_next = True

    def masthead(self, element) -> None:
        title = element.find("h1")
        self.paragraph(_text(title), size=Pt(30), font=TITLE_FONT, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
        for line in element.findall("p"):
            paragraph = self.paragraph(_text(line), align=WD_ALIGN_PARAGRAPH.CENTER, space_after=Pt(6))
            _red_rule_below(paragraph)

    def body_paragraph(self, element, classes: set[str]) -> None:
        align = WD_ALIGN_PARAGRAPH.RIGHT if "foot" in classes else None
        paragraph = self.document.add_paragraph()
        if not classes & {"plain", "foot", "empty"}:
            paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
        if "plain" in classes:  # a table's caption stays with its table
            paragraph.paragraph_format.keep_with_next = True
        if align is not None:
            paragraph.alignment = align
        self._runs(paragraph, element, GREY if "empty" in classes else None)

    def _runs(self, paragraph, element, color) -> None:
        """The element's text as runs: <strong> bold, <br> a line break."""
        if element.text:
            self._run(paragraph, element.text, color)
        for child in element:
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif child.text:
                self._run(paragraph, child.text, color, bold=child.tag in ("strong", "b"))
            if child.tail:
                self._run(paragraph, child.tail, color)

    @staticmethod
    def _run(paragraph, text: str, color, bold: bool = False) -> None:
        text = _collapse(text)
        if text.strip():
            run = paragraph.add_run(text)
            run.bold = bold or None
            if color is not None:
                run.font.color.rgb = color

    def paragraph(self, text: str, size=None, font: str | None = None, color=None, align=None,
                  space_before=None, space_after=None):
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(text)
        if size is not None:
            run.font.size = size
        if font is not None:
            _east_asian_font(run._r, font)
        if color is not None:
            run.font.color.rgb = color
        if align is not None:
            paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = space_before, space_after
        return paragraph

    def table(self, element) -> None:
        trs = list(element.iter("tr"))
        rows = [[cell for cell in tr if cell.tag in ("th", "td")] for tr in trs]
        texts = [[_text(cell) for cell in row] for row in rows]
        table = self.document.add_table(rows=0, cols=max(map(len, rows)))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for tr, sources, row_texts in zip(trs, rows, texts):
            row = table.add_row()
            # the row's own cells: table.rows[i].cells walks the whole table each time (slow past 100 rows)
            for tc, source, text in zip(row._tr.tc_lst, sources, row_texts):
                paragraph = _Cell(tc, table).paragraphs[0]
                classes = _classes(source)
                if "name" not in classes:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(text)
                run.font.size = Pt(9)
                run.bold = source.tag == "th" or None
                if "late" in classes:
                    run.font.color.rgb = RED
            if tr.getparent().tag == "thead":
                _repeat_as_header(row)
        _fit_columns(table, texts)
        self.document.add_paragraph()

    def charts(self, names: list[str | None]) -> None:
        drawn = [charts.CHARTS[name] for name in names if name in charts.CHARTS]
        if not drawn:
            return
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        gap = 1.5  # between pictures side by side, so that the line holds them all
        width = Cm((TEXT_WIDTH_CM - gap * (len(drawn) - 1)) / len(drawn))
        for draw in drawn:
            paragraph.add_run().add_picture(io.BytesIO(draw(self.stats, fmt="png")), width=width)


def _red_rule_below(paragraph) -> None:
    """The red line under a 通报's masthead (a bottom border on the paragraph)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "B00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _fit_columns(table, texts: list[list[str]]) -> None:
    """Each column as wide as its longest line at the table's 9 pt; when the page is too narrow,
    the columns with most to spare give way first: headings wrap, then long names and titles, down
    to 3 cm; a short figure (37.5%, 1/0/0) never wraps. Word's own fit wraps every column alike.
    ``texts`` are the cells' texts, row by row, the first row the heading."""
    def width_cm(text: str) -> float:  # a Chinese character is 9 pt wide, a digit or letter about half
        longest = max((sum(2 if ord(ch) > 0x2e7f else 1 for ch in line) for line in text.split("\n")), default=0)
        return longest * 0.17 + 0.5  # plus the cell's margins

    columns = [[row[i] if i < len(row) else "" for row in texts] for i in range(len(table.columns))]
    widths, floors = [], []
    for cells in columns:
        data = max((width_cm(text) for text in cells[1:]), default=0.0)
        widths.append(max(data, width_cm(cells[0])))
        floors.append(min(data, 3.0) if data else min(widths[-1], 3.0))
    while sum(widths) > TEXT_WIDTH_CM + 1e-6:
        i = max(range(len(widths)), key=lambda k: widths[k] - floors[k])
        if widths[i] - floors[i] < 0.05:  # nothing left to give: shrink all alike
            break
        widths[i] = max(floors[i], widths[i] - (sum(widths) - TEXT_WIDTH_CM))
    widths = [Cm(w * TEXT_WIDTH_CM / sum(widths)) for w in widths]  # fill the line
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid, which LibreOffice reads
    for tr in table._tbl.tr_lst:  # each cell, which Word reads
        for tc, width in zip(tr.tc_lst, widths):
            tc.width = width


def _repeat_as_header(row) -> None:
    """A table's heading row repeats at the top of every page it runs onto."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)
