"""The quarterly 通报 rendered from the generated year: HTML content, a PDF whose pages, turned
into PNG by pdftoppm, are not blank and whose text and fonts are Chinese, and a Word file that says
what the page says."""

import io
import re
import shutil
from pathlib import Path
import subprocess

import docx
import lxml.html
import pytest
from docx.shared import RGBColor

from screening.plotting import cjk_font
from screening.reporting.bulletin import render_html, write_bulletin
from screening.reporting.bulletin_docx import render_docx
from screening.reporting.stats import period_stats

from reporting_year import AS_OF, Q3, build_year

needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) is not installed")


@pytest.fixture(scope="module")
def q3(tmp_path_factory):
    from screening.store.db import Store

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('bulletin') / 'year.db'}")
    build_year(store)
    yield period_stats(store, Q3, as_of=AS_OF)
    store.close()


def test_html_names_the_ranking_the_adopted_and_the_criticised(q3):
    html = render_html(q3, "海东市人民政府办公室")
    assert "关于2026年第三季度政务信息报送采用情况的通报" in html and "海东市人民政府办公室" in html
    assert "各单位共报送政务信息65条，被采用11条，采用率16.9%；按刊物计" in html
    ranking = html[html.index("一、积分排名"):html.index("二、采用信息目录")]
    assert ranking.index("U01乐都区") < ranking.index("U02平安区") < ranking.index("U03民和县")
    assert "（一）不报。U20市交投公司本期未报送任何信息。" in html
    assert "（二）漏报。" in html and "U11市农业农村局" in html and "U14市文体旅游广电局" in html
    assert "（四）扎堆报送。U19市城投集团" in html
    assert "U01乐都区报送的信息B01-08" in html  # the item the State Council adopted
    assert html.count("<svg") == 3
    assert 'id="points-' in html and 'id="flags-' in html  # chart ids kept apart on one page


def test_the_requirements_restate_the_emergency_setting(q3):
    assert "突发事件 4 小时内首报" in render_html(q3, with_charts=False)
    assert "突发事件 2.5 小时内首报" in render_html(q3, with_charts=False, emergency_hours=2.5)


def test_html_escapes_what_units_wrote(q3):
    import copy

    stats = copy.deepcopy(q3)
    stats.adopted[0]["title"] = "<script>alert(1)</script>"
    html = render_html(stats, with_charts=False)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@needs_poppler
def test_pdf_pages_are_readable_chinese(q3, tmp_path):
    assert cjk_font(), "a CJK font (fonts-noto-cjk) must be installed for the charts"
    html_path, pdf_path, _ = write_bulletin(q3, tmp_path)
    assert html_path.read_text("utf-8").startswith("<!doctype html>")
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # the text is set in an embedded CJK font, not a fallback without the glyphs
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for phrase in ("内部情况通报", "积分排名", "U19市城投集团", "约稿完成情况", "迟报", "第 1 页"):
        assert phrase in text, phrase
    assert "\ufffd" not in text
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf_path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    from PIL import Image

    for page in pages:
        pixels = Image.open(page).convert("L").getextrema()
        assert pixels[0] < 100 and pixels[1] > 200  # ink on paper, not a blank page


def test_the_word_file_says_what_the_page_says(q3):
    document = docx.Document(io.BytesIO(render_docx(q3, "海东市人民政府办公室")))
    text = "\n".join(p.text for p in document.paragraphs)
    html = lxml.html.document_fromstring(render_html(q3, "海东市人民政府办公室", with_charts=False))
    for element in html.body.iter("h1", "h2", "h3", "p"):  # every paragraph of the page, in order
        wanted = re.sub(r"\s+", "", element.text_content())
        assert wanted in re.sub(r"\s+", "", text), wanted
    assert "各单位共报送政务信息65条，被采用11条，采用率16.9%" in text  # no layout spaces between Chinese
    masthead = document.paragraphs[0]
    assert masthead.text == "内部情况通报" and masthead.runs[0].font.color.rgb == RGBColor(0xB0, 0x00, 0x00)
    ranking = document.tables[0]
    assert [c.text for c in ranking.rows[0].cells][:3] == ["名次", "单位", "类型"]
    assert [row.cells[1].text for row in ranking.rows[1:4]] == ["U01乐都区", "U02平安区", "U03民和县"]
    assert len(document.tables) == len(html.body.findall(".//table"))
    assert len(document.inline_shapes) == 3  # the three charts, as pictures
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_the_word_file_keeps_the_spaces_units_wrote(q3):
    import copy

    stats = copy.deepcopy(q3)
    stats.adopted[0]["title"] = "秋粮收购进度过半 带动农民增收32万元"
    stats.adopted[1]["title"] = "标题\x0b换行"  # Word's line break, pasted: a .docx cannot hold it
    stats.units[0].unit = "乐都区\x01"
    document = docx.Document(io.BytesIO(render_docx(stats, with_charts=False)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "秋粮收购进度过半 带动农民增收32万元" in cells and "标题\ufffd换行" in cells and "乐都区\ufffd" in cells


def test_the_word_file_without_charts_has_no_pictures(q3):
    document = docx.Document(io.BytesIO(render_docx(q3, with_charts=False)))
    assert len(document.inline_shapes) == 0 and "积分排名" in "".join(p.text for p in document.paragraphs)


def test_a_full_disk_leaves_no_half_written_report(q3, tmp_path, monkeypatch):
    import errno
    from pathlib import Path

    real_write = Path.write_bytes

    for last in (".pdf.partial", ".docx.partial"):
        def full_at(self, data, last=last):
            if self.name.endswith(last):
                real_write(self, data[:100])  # the disk fills part-way through this file
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(self, data)

        monkeypatch.setattr(Path, "write_bytes", full_at)
        with pytest.raises(OSError):
            write_bulletin(q3, tmp_path)
        assert list(tmp_path.iterdir()) == []  # no file of the set, nor a truncated one that looks finished


@pytest.mark.skipif(not any(Path("/usr/share/fonts").rglob("NotoSansCJK*")), reason="fonts-noto-cjk is not installed")
def test_a_cjk_font_installed_after_matplotlib_listed_its_fonts_is_found(monkeypatch):
    # matplotlib caches its font list on first use; an officer who installs fonts-noto-cjk after
    # the warning must get Chinese charts without clearing that cache by hand
    from matplotlib import font_manager

    from screening import plotting

    stale = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    monkeypatch.setattr(plotting, "_disk_scanned", False)
    assert cjk_font() == "Noto Sans CJK SC"


@pytest.mark.skipif(not any(Path("/usr/share/fonts").rglob("NotoSansCJK*")), reason="fonts-noto-cjk is not installed")
def test_a_machine_without_the_wanted_fonts_is_scanned_once(monkeypatch):
    # a CJK file on disk that is none of CJK_FONTS must not be added again at every chart
    from matplotlib import font_manager

    from screening import plotting

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name])
    monkeypatch.setattr(plotting, "CJK_FONTS", ("No Such Font SC",))
    monkeypatch.setattr(plotting, "_disk_scanned", False)
    assert cjk_font() is None
    listed = len(font_manager.fontManager.ttflist)
    assert cjk_font() is None and len(font_manager.fontManager.ttflist) == listed


def test_the_points_chart_shortens_long_names_and_has_an_axis_when_nobody_scored(q3, monkeypatch):
    import copy

    from screening.reporting import charts

    monkeypatch.setattr(charts, "_render", lambda fig, prefix, fmt: fig)  # the figure, not its image
    stats = copy.deepcopy(q3)
    stats.units[0].unit = "某某自治州某某县某某乡镇人民政府某某办公室综合服务中心"
    stats.units[1].unit = "某某自治州某某县某某乡镇人民政府某某办公室"  # shortens to the same label
    fig = charts.points_by_unit(stats)
    labels = [label.get_text() for label in fig.axes[0].get_yticklabels()]
    assert labels.count("某某自治州某某县某某乡镇人…") == 2 and max(map(len, labels)) <= 14
    assert len(fig.axes[0].patches) == len(labels) == len(stats.units)  # one row a unit
    for unit in stats.units:
        unit.points = 0
    assert charts.points_by_unit(stats).axes[0].get_xlim() == (0.0, 1.0)
