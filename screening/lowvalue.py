"""The transparent low-value baseline: is this draft mainly a meeting or a visit report?

It weighs what the title and the lead sentences announce (召开…会议, 到…调研) against what the
body delivers: sentences that state results with figures count for substance; demands
(强调…要…), attendance and itinerary lines count for the event itself. The weights are set by
hand and documented here; the trained model of ``screening.models`` replaces or joins it.
"""

from __future__ import annotations

import math
import re

from . import cues
from .context import Context
from .elements import data_figures
from .report import LOW_VALUE_LABELS, LowValueResult, Span

WEIGHTS = {
    "title": 2.0,        # the title announces a meeting / a visit
    "lead": 1.5,         # the first sentences do
    "event_share": 3.0,  # share of sentences that are demands, attendance or itinerary
    "result": 0.55,      # each result figure (up to 6) argues for substance
    "result_sentence": 0.35,  # each factual sentence with a result verb (up to 6)
    "bias_none": 1.2,
}


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    exp = {k: math.exp(v - top) for k, v in scores.items()}
    total = sum(exp.values())
    return {k: exp[k] / total for k in LOW_VALUE_LABELS}


class RuleLowValue:
    name = "rules"

    def predict(self, ctx: Context) -> LowValueResult:
        title = ctx.draft.title
        lead = ctx.doc.lead()
        cue_spans: list[Span] = []

        def hits(title_pattern: re.Pattern[str], lead_pattern: re.Pattern[str]) -> tuple[float, float]:
            found = [0.0, 0.0]
            t = title_pattern.search(title)
            if t:
                cue_spans.append(Span("title", t.start(), t.end()))
                found[0] = 1.0
            for s in lead:
                m = lead_pattern.search(s.text)
                if m:
                    cue_spans.append(Span("body", s.start + m.start(), s.start + m.end()))
                    found[1] = 1.0
                    break
            return found[0], found[1]

        m_title, m_lead = hits(cues.MEETING_TITLE, cues.MEETING_LEAD)
        v_title, v_lead = hits(cues.VISIT_TITLE, cues.VISIT_LEAD)

        roles = ctx.roles or []
        n = max(len(roles), 1)
        demands = sum(1 for r in roles if r.directive) / n
        attendance = sum(1 for r in roles if r.attendance and not r.itinerary) / n
        itinerary = sum(1 for r in roles if r.itinerary) / n
        results = min(len(data_figures(ctx)), 6)
        result_sentences = min(sum(1 for r in roles if r.reports_fact and cues.RESULT.search(r.sentence.text)), 6)

        w = WEIGHTS
        substance = w["result"] * results + w["result_sentence"] * result_sentences
        scores = {
            "none": w["bias_none"] + substance,
            "meeting": w["title"] * m_title + w["lead"] * m_lead + w["event_share"] * (demands + attendance),
            "visit": w["title"] * v_title + w["lead"] * v_lead + w["event_share"] * (demands * 0.6 + itinerary),
        }
        probabilities = _softmax(scores)
        label = max(probabilities, key=probabilities.get)
        return LowValueResult(label, probabilities, tuple(cue_spans))
