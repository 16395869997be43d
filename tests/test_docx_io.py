"""Reading drafts from Word files: every paragraph and every table cell, in reading order."""

import io

import docx

from screening.docx_io import read_docx

ROWS = [("指标", "完成值", "同比增长"), ("地区生产总值", "85.3亿元", "5.2%"), ("规上工业增加值", "31.6亿元", "7.8%"),
        ("固定资产投资", "42.1亿元", "9.3%"), ("社会消费品零售总额", "27.4亿元", "4.6%")]


def _with_table(rows, merge_first_column: bool = False) -> bytes:
    document = docx.Document()
    document.add_paragraph("乐都区前三季度主要经济指标稳中有升")
    document.add_paragraph("前三季度，全区经济运行总体平稳，主要指标如下：")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if merge_first_column:
        table.cell(1, 0).merge(table.cell(2, 0))
    document.add_paragraph("下一步，区发改局将于12月底前完成重点项目年度评估。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_every_cell_of_a_table_is_read_each_time():
    data = _with_table(ROWS)
    for _ in range(20):  # proxies of dropped cells were once taken for merged ones, a different set each time
        title, body = read_docx(data)
        assert title == "乐都区前三季度主要经济指标稳中有升"
        assert body.split("\n") == ["前三季度，全区经济运行总体平稳，主要指标如下：",
                                    *("，".join(row) for row in ROWS),
                                    "下一步，区发改局将于12月底前完成重点项目年度评估。"]


def test_a_merged_cell_is_read_once():
    title, body = read_docx(_with_table(ROWS, merge_first_column=True))
    # python-docx gives the merged cell both labels, as two paragraphs; every row still reads in full
    assert body.count("地区生产总值") == 1 and body.count("规上工业增加值") == 1
    for value in ("85.3亿元", "5.2%", "31.6亿元", "7.8%", "42.1亿元", "9.3%"):
        assert body.count(value) == 1
    assert "固定资产投资，42.1亿元，9.3%" in body.split("\n")


def test_a_table_nested_in_a_cell_is_read_too():
    document = docx.Document()
    document.add_paragraph("红土乡村级集体经济收入全部超过10万元")
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "全乡8个村集体经济收入如下："
    inner = cell.add_table(rows=2, cols=2)
    for r, row in enumerate((("上庄村", "18.6万元"), ("下滩村", "12.3万元"))):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    _title, body = read_docx(out.getvalue())
    assert body.split("\n") == ["全乡8个村集体经济收入如下：", "上庄村，18.6万元", "下滩村，12.3万元"]
