"""What comes back: findings with spans, element results and the report, as in the contract."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

Field = Literal["title", "body"]
Severity = Literal["error", "warning", "info"]

ELEMENTS = ("situation", "problem", "case", "data", "analysis", "recommendation")
ELEMENT_NAMES = {"situation": "情况", "problem": "问题", "case": "事例", "data": "数据",
                 "analysis": "分析", "recommendation": "建议"}
LOW_VALUE_LABELS = ("none", "meeting", "visit")


@dataclass(frozen=True)
class Span:
    """Character offsets (Python ``str`` indices) into the draft's title or body."""

    field: Field
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    suggestion: str | None = None
    spans: tuple[Span, ...] = ()
    # Extra evidence an officer can read (cue words, weights); not part of the v1 contract.
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "severity": self.severity,
                               "message": self.message, "spans": [s.to_dict() for s in self.spans]}
        if self.suggestion:
            out["suggestion"] = self.suggestion
        if self.evidence:
            out["evidence"] = list(self.evidence)
        return out


@dataclass(frozen=True)
class ElementResult:
    present: bool
    evidence: tuple[Span, ...] = ()
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"present": self.present,
                               "evidence": [s.to_dict() for s in self.evidence]}
        if self.score is not None:
            out["score"] = round(self.score, 4)
        return out


@dataclass(frozen=True)
class LowValueResult:
    label: str
    probabilities: dict[str, float]
    cues: tuple[Span, ...] = ()
    top_terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label,
                               "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()}}
        if self.cues:
            out["cues"] = [s.to_dict() for s in self.cues]
        if self.top_terms:
            out["top_terms"] = list(self.top_terms)
        return out


@dataclass
class Report:
    verdict: str
    low_value: LowValueResult
    elements: dict[str, ElementResult]
    flags: list[Finding]
    model_version: str
    elapsed_ms: float
    id: str | None = None
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    timeliness: dict[str, Any] | None = None
    adoption_probability: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.id is not None:
            out["id"] = self.id
        out.update({
            "verdict": self.verdict,
            "low_value": self.low_value.to_dict(),
            "elements": {k: self.elements[k].to_dict() for k in ELEMENTS},
            "duplicates": list(self.duplicates),
            "flags": [f.to_dict() for f in self.flags],
            "model_version": self.model_version,
            "elapsed_ms": round(self.elapsed_ms, 3),
        })
        if self.timeliness is not None:
            out["timeliness"] = self.timeliness
        if self.adoption_probability is not None:
            out["adoption"] = {"probability": round(self.adoption_probability, 4)}
        return out


def shift_spans(report: Report, title_offset: int, body_offset: int) -> Report:
    """Move every span from the trimmed text to the text as the client sent it."""
    if not (title_offset or body_offset):
        return report

    def move(spans: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(Span(s.field, s.start + (title_offset if s.field == "title" else body_offset),
                          s.end + (title_offset if s.field == "title" else body_offset)) for s in spans)

    report.flags = [replace(f, spans=move(f.spans)) for f in report.flags]
    report.elements = {k: replace(e, evidence=move(e.evidence)) for k, e in report.elements.items()}
    report.low_value = replace(report.low_value, cues=move(report.low_value.cues))
    return report
