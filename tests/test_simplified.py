"""Drafts typed in traditional characters are screened as their simplified twins, spans unchanged."""

from screening import Draft, Screener, Settings
from screening.simplified import as_simplified

SIMPLIFIED = {"title": "民和县举行招商引资项目集中签约仪式",
              "body": "11月5日，民和县举行招商引资项目集中签约仪式，签约项目3个，总投资12亿元。为此建议加大金融支持力度，设立专项贷款。",
              "submitted_at": "2026-11-15T10:00:00+08:00"}
TRADITIONAL = {**SIMPLIFIED, "title": "民和縣舉行招商引資項目集中簽約儀式",
               "body": "11月5日，民和縣舉行招商引資項目集中簽約儀式，簽約項目3個，總投資12億元。為此建議加大金融支持力度，設立專項貸款。"}


def test_a_traditional_draft_is_screened_as_its_simplified_twin():
    screener = Screener(Settings.from_mapping())
    twin, sent = screener.screen(SIMPLIFIED).to_dict(), screener.screen(TRADITIONAL).to_dict()
    assert [f["code"] for f in sent["flags"]] == [f["code"] for f in twin["flags"]]
    assert "late" in {f["code"] for f in sent["flags"]}  # its date and 签约 were read
    assert {n: e["present"] for n, e in sent["elements"].items()} == {n: e["present"] for n, e in twin["elements"].items()}
    assert sent["elements"]["data"]["present"] and sent["elements"]["recommendation"]["present"]
    # the spans are the twin's, and they point into the text as sent
    assert sent["elements"]["recommendation"]["evidence"] == twin["elements"]["recommendation"]["evidence"]
    span = sent["elements"]["recommendation"]["evidence"][0]
    assert "建議" in TRADITIONAL["body"][span["start"]:span["end"]]


def test_a_simplified_draft_with_a_name_in_a_traditional_form_is_left_as_it_is():
    draft = Draft.from_dict({"title": "昇辉公司新建生产线投产", "body": "11月5日，昇辉公司新建生产线投产，年产值可达3亿元。"})
    assert as_simplified(draft) is draft
    converted = as_simplified(Draft.from_dict(TRADITIONAL))
    assert (converted.title, converted.body) == (SIMPLIFIED["title"], SIMPLIFIED["body"])
