"""Fail-fast patterns: the lookahead is derived from the pattern and changes no match."""

import re

import pytest

from screening import cues
from screening.patterns import first_characters, starting_with


def test_first_characters_of_literal_alternations():
    assert first_characters(r"问题|困难|(?:融资|用工)(?:难|慢)") == {"问", "困", "融", "用"}
    with pytest.raises(ValueError):
        first_characters(r"[一二]是")         # a class: give the characters by hand
    with pytest.raises(ValueError):
        first_characters(r"(?:近|约)?三成")    # an optional start


@pytest.mark.parametrize("pattern", [cues.PROBLEM_PREDICATE, cues.PROBLEM_HARD, cues.PROBLEM_NOUN])
def test_same_matches_with_the_lookahead(pattern):
    text = ("全县融资难问题仍然存在，部分企业用工短缺、资金缺口较大；但风险总体可控，下滑趋势不明显。"
            "经排查，未发现安全隐患。压力较大的是老旧管网，差距和不足依然存在。")
    fast = starting_with(pattern.pattern)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("text, found", [
    ("宜加快推进老旧小区改造。", ["宜"]),            # 宜 opening the sentence proposes
    ("宜居乡村建设成效明显。", []),
    ("该地区气候适宜，宜于种植。", []),              # 宜 inside a sentence does not
    ("群众提出的意见建议已全部办结。", []),
    ("向县政府发出检察建议书。", []),
    ("建议县财政安排专项资金。", ["建议"]),
    ("研究提出对策。", ["对策"]),
])
def test_recommendation_cue_anchors_and_guards(text, found):
    # the guards stand behind 建议 and the opening 宜 is read by a lookbehind, so that re can skip ahead
    assert [m.group(0) for m in cues.RECOMMENDATION.finditer(text)] == found


@pytest.mark.parametrize("text, directive", [
    ("一是要加强组织领导。", True),
    ("（二）要压实责任。", True),
    ("会议强调，各地要高度重视。", True),
    ("要求各单位于月底前报送。", True),
    ("县长强调，要确保按期完工。", True),
    ("全县新建村级服务站12个。", False),
    ("他要求不高，只想多卖点菜。", False),
])
def test_directive_sentences_whether_searched_or_opening(text, directive):
    from screening.text import split_sentences

    assert cues.sentence_roles(split_sentences(text))[0].directive is directive


@pytest.mark.parametrize("text, deadline", [
    ("于6月底前完成改造。", True), ("年底前全部建成。", True), ("三季度开工。", True),
    ("十月上旬完成验收。", True), ("月底召开推进会。", True), ("前完成整改。", True),
    ("本月开展检查。", False), ("一月份收入增长。", False),
])
def test_deadline_presence(text, deadline):
    assert bool(cues.DEADLINE.search(text)) is deadline
