"""The screener: one draft in, one report out. Judges fill the context, then checks read it."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Mapping, Protocol, Sequence

from . import timeliness
from .checks import run_checks
from .context import Context
from .draft import Draft
from .elements import RuleElements
from .lowvalue import RuleLowValue
from .report import ElementResult, LowValueResult, Report, shift_spans
from .settings import DEFAULT_SETTINGS, Settings
from .simplified import as_simplified
from .verdict import verdict

if TYPE_CHECKING:
    from .duplicates import DuplicateFinder

RULES_VERSION = "rules-0.1.0"


class LowValueJudge(Protocol):
    name: str

    def predict(self, ctx: Context) -> LowValueResult: ...


class ElementJudge(Protocol):
    name: str

    def predict(self, ctx: Context) -> dict[str, ElementResult]: ...


class Screener:
    """Screens drafts with the given judges (rules by default) and an optional history."""

    def __init__(self, settings: Settings = DEFAULT_SETTINGS, low_value: LowValueJudge | None = None,
                 elements: ElementJudge | None = None, history: "DuplicateFinder | None" = None,
                 model_version: str = RULES_VERSION, model=None) -> None:
        self.settings = settings
        self.low_value = low_value or RuleLowValue()
        self.elements = elements or RuleElements()
        self.history = history
        self.model_version = model_version
        self.model = model  # the trained ScreeningModel, when one is loaded (adoption probability)

    def screen(self, draft: Draft | Mapping[str, Any], required_elements: Sequence[str] | None = None) -> Report:
        """Screen one draft; ``required_elements`` overrides the kind's list (a solicitation's own)."""
        started = time.perf_counter()
        if not isinstance(draft, Draft):
            draft = Draft.from_dict(draft)
        draft = as_simplified(draft)  # same length: the report's spans hold for the text as sent
        ctx = Context(draft, self.settings, required_elements)
        ctx.low_value = self.low_value.predict(ctx)
        ctx.elements = {name: replace(result, evidence=tuple(map(ctx.doc.whole_words, result.evidence)))
                        for name, result in self.elements.predict(ctx).items()}
        ctx.timeliness = timeliness.assess(
            draft.title, draft.body, ctx.doc.lead_in_body, draft.event_date, draft.submitted_at, draft.emergency,
            self.settings["late_days"], self.settings["emergency_late_hours"])
        if self.history is not None:
            ctx.duplicates = self.history.find(draft.title, draft.body, exclude=draft.id,
                                                before=draft.submitted_at)
        findings = run_checks(ctx)
        adoption = None
        if self.model is not None:
            from .models.model import adoption_probability

            adoption = adoption_probability(self.model, ctx)
        report = Report(
            id=draft.id,
            verdict=verdict(findings),
            low_value=ctx.low_value,
            elements=ctx.elements,
            duplicates=ctx.duplicates,
            flags=findings,
            model_version=self.model_version,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            timeliness=ctx.timeliness.to_dict(),
            adoption_probability=adoption,
        )
        return shift_spans(report, draft.title_offset, draft.body_offset)
