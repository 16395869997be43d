"""Model inputs built from the draft's context, so segmentation and rule analysis run once.

A :class:`ModelInput` carries the words (from the shared segmentation), the title (for character
n-grams: the few characters that say what the draft is about; the lead's words are in the word
block, and its character n-grams cost a tenth of a screening for a gain within noise) and structural
features computed by the rules — who speaks (demands, attendance, itinerary), what is reported
as done (result sentences), figures about results. Those carry meaning across writers' voices.
It also carries the words of the sentences the element rules took as evidence, tagged by element,
so a head can learn which rule hits are not the element (建议 in 征求群众建议, 问题 in 整改问题).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass
from typing import Iterator

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .. import cues
from ..context import Context
from ..elements import DETECTORS, data_figures, explicit_proposals
from ..report import ELEMENTS

STRUCT_NAMES = (
    "title_meeting", "title_visit", "lead_meeting", "lead_visit", "share_directive", "share_attendance",
    "share_itinerary", "share_fact", "log_result_figures", "log_result_sentences", "log_length",
    *(f"rule_{e}" for e in ELEMENTS), "unframed", "leader",
)


# What each structural feature means, for officers reading why a draft was flagged.
STRUCT_LABELS = {
    "title_meeting": "标题写的是开会学习", "title_visit": "标题写的是调研检查", "lead_meeting": "导语写的是开会学习",
    "lead_visit": "导语写的是调研检查", "share_directive": "“强调、要求”类句子多", "share_attendance": "“出席、参加”类句子多",
    "share_itinerary": "行程类句子多", "share_fact": "陈述事实的句子多", "log_result_figures": "有反映成效的数据",
    "log_result_sentences": "有写成效的句子", "log_length": "篇幅",
    **{f"rule_{e}": f"规则找到“{n}”" for e, n in zip(ELEMENTS, ("情况", "问题", "事例", "数据", "分析", "建议"))},
    "unframed": "不是以会议或调研开头", "leader": "标题或导语写的是领导",
}
# What the tags evidence_words puts among the words mean, for the same readers.
EVIDENCE_TAGS = {**{f"<pos{i}>": "句子位置" for i in range(4)}, "<itinerary>": "行程句", "<attendance>": "出席句",
                 "<demand_deadline>": "带时限的要求", "<demand_figure>": "带数字的要求"}


@dataclass(frozen=True)
class ModelInput:
    words: tuple[str, ...]
    head: str                      # the title: the input of the character n-grams
    struct: tuple[float, ...]
    rule_spans: dict               # element -> evidence spans found by the rules
    evidence: tuple[str, ...] = ()  # words of the sentences the rules took as evidence, tagged by element
    explicit_proposals: tuple = ()  # clauses opening with 建议 in the draft's own voice (see TrainedElements)


def model_input(ctx: Context) -> ModelInput:
    doc, roles = ctx.doc, ctx.roles
    lead = doc.lead_text
    n = max(len(roles), 1)
    spans = {key: DETECTORS[key](ctx) for key in ELEMENTS}
    framing = (cues.MEETING_TITLE.search(doc.title), cues.VISIT_TITLE.search(doc.title),
               cues.MEETING_LEAD.search(lead), cues.VISIT_LEAD.search(lead))
    attendance = sum(r.attendance for r in roles) / n
    itinerary = sum(r.itinerary for r in roles) / n
    struct = (
        *(float(bool(m)) for m in framing),
        sum(r.directive for r in roles) / n,
        attendance,
        itinerary,
        sum(r.reports_fact for r in roles) / n,
        math.log1p(len(data_figures(ctx))),
        math.log1p(sum(1 for r in roles if r.reports_fact and cues.RESULT.search(r.sentence.text))),
        math.log1p(len(doc.body)) / 8,
        *(float(bool(spans[e])) for e in ELEMENTS),
        # Neither a meeting nor a visit frames the draft: 886 of the 887 such training items are not
        # low-value. Explicit, it holds drafts without results but without a frame (套话 pieces)
        # at "none" when retraining teaches a new kind of low-value report.
        float(not any(framing) and not attendance and not itinerary),
        float(bool(cues.LEADER.search(doc.title) or cues.LEADER.search(lead))),
    )
    return ModelInput(tuple(doc.words), doc.title, struct, spans, evidence_words(ctx, spans),
                      tuple(explicit_proposals(ctx)))


def evidence_words(ctx: Context, spans: dict) -> tuple[str, ...]:
    """Per element, the words of the sentences holding the rules' evidence, tagged ``element|word``,
    and the roles of those sentences: lets a head learn which rule hits are not the element. Demands
    with a deadline or a figure add ``recommendation|<demand_…>``."""
    out: list[str] = list(_concrete_demands(ctx))
    if not any(spans[e] for e in EVIDENCE_ELEMENTS):
        return tuple(out)
    words = ctx.doc.body_words
    ends = list(accumulate(map(len, words)))       # where each word ends in the body
    sentences = ctx.doc.sentences
    sentence_starts = [s.start for s in sentences]
    for key in EVIDENCE_ELEMENTS:
        seen: set[int] = set()
        for span in spans[key][:8]:
            i = bisect_right(sentence_starts, span.start) - 1
            if i < 0 or i in seen or span.start >= sentences[i].end:
                continue
            seen.add(i)
            role = ctx.roles[i]
            s = role.sentence
            lo, hi = bisect_right(ends, s.start), bisect_left(ends, s.end) + 1
            tag = key + "|"
            out.extend(map(tag.__add__, filter(str.strip, words[lo:hi])))  # C loops: no blank words
            out.append(f"{tag}<pos{min(i, 3)}>")
            if role.itinerary:
                out.append(tag + "<itinerary>")
            if role.attendance:
                out.append(tag + "<attendance>")
    return tuple(out)


EVIDENCE_ELEMENTS = ("problem", "case", "analysis", "recommendation")


def _concrete_demands(ctx: Context) -> Iterator[str]:
    """Demands voiced at a meeting or on a visit that carry a deadline or a figure: the rules skip
    every demand, but SCHEMA.md counts concrete tasks deployed there as next-step measures, and
    only the head can learn where a demand stops being general."""
    for role in ctx.roles:
        if role.directive:
            s = role.sentence
            if cues.DEADLINE.search(s.text):
                yield "recommendation|<demand_deadline>"
            if ctx.has_quantity(s.start, s.end):
                yield "recommendation|<demand_figure>"


def evidence_of(item: ModelInput) -> list[str]:
    """Analyzer for the evidence vectorizer (module-level so the pipeline pickles)."""
    return list(item.evidence)


def words_of(item: ModelInput) -> list[str]:
    """Analyzer for the word vectorizer (module-level so the pipeline pickles)."""
    return [w for w in item.words if w.strip()]


def head_char_ngrams(item: ModelInput, sizes: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    """Character 1–3-grams of the title (analyzer; module-level so it pickles)."""
    text = "".join(item.head.split())
    return [text[i:i + n] for n in sizes for i in range(len(text) - n + 1)]


class StructuralFeatures(BaseEstimator, TransformerMixin):
    """The rule-derived features as a dense block, scaled so a linear model can weigh them."""

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale

    def fit(self, X, y=None) -> "StructuralFeatures":
        self.n_features_in_ = len(STRUCT_NAMES)
        return self

    def transform(self, X) -> np.ndarray:
        return np.asarray([item.struct for item in X], dtype=float) * self.scale

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray([f"struct:{n}" for n in STRUCT_NAMES], dtype=object)
