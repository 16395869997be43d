"""The verdict policy: from the findings' severities to reject / revise / pass.

- reject: at least one finding of severity ``error`` (low-value, duplicate, emergency reported
  late by default): the draft should not be submitted as it is;
- revise: no error but at least one ``warning`` (missing elements, late, title, 一事一报,
  unreviewed figures): fix before submitting;
- pass: nothing, or only ``info`` findings.

Severities per code can be changed in the settings (``severity``), which moves a code between
these tiers without touching code.
"""

from __future__ import annotations

from typing import Iterable

from .report import Finding


def verdict(findings: Iterable[Finding]) -> str:
    severities = {f.severity for f in findings}
    if "error" in severities:
        return "reject"
    if "warning" in severities:
        return "revise"
    return "pass"
