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
