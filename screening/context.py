"""Everything derived from one draft, computed lazily and at most once, shared by all checks."""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property
from typing import TYPE_CHECKING, Any, Sequence

from .cues import SentenceRole, sentence_roles
from .draft import Draft
from .figures import Figure, find_figures
from .settings import Settings
from .text import Doc

if TYPE_CHECKING:
    from .report import ElementResult, LowValueResult


class Context:
    def __init__(self, draft: Draft, settings: Settings, required_elements: Sequence[str] | None = None) -> None:
        self.draft = draft
        self.settings = settings
        # A solicitation's own list of required elements, when the draft answers one.
        self.required_elements = required_elements
        self.doc = Doc(draft.title, draft.body)
        # Filled by the judges (rules or trained models) before the checks run.
        self.low_value: "LowValueResult | None" = None
        self.elements: "dict[str, ElementResult] | None" = None
        self.timeliness: dict[str, Any] | None = None
        self.duplicates: list[dict[str, Any]] = []

    @cached_property
    def roles(self) -> list[SentenceRole]:
        return sentence_roles(self.doc.sentences)

    @cached_property
    def body_figures(self) -> tuple[Figure, ...]:
        return find_figures(self.draft.body)

    @cached_property
    def title_figures(self) -> tuple[Figure, ...]:
        return find_figures(self.draft.title)

    @cached_property
    def _figure_starts(self) -> list[int]:
        return [f.start for f in self.body_figures]

    def figures_in(self, start: int, end: int) -> list[Figure]:
        """Body figures inside [start, end) (figures are sorted by start: bisect, not scan)."""
        figures, i = self.body_figures, bisect_left(self._figure_starts, start)
        out = []
        while i < len(figures) and figures[i].start < end:
            if figures[i].end <= end:
                out.append(figures[i])
            i += 1
        return out

    def has_quantity(self, start: int, end: int) -> bool:
        """Whether a quantity (an amount or a percentage, not a date or numbering) stands in [start, end)."""
        return any(f.is_quantity for f in self.figures_in(start, end))
