"""The one registry of checks: every flag code maps to the check that raises it.

A check is a small module with a docstring (what it checks, why, an example) and a function
decorated with :func:`register`, which names the codes it may raise and their default
severities. Settings can change a severity or ignore a code or a prefix (``title.``).
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Callable, Iterable

from ..context import Context
from ..report import Finding

CheckFn = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    name: str
    codes: dict[str, str]  # code -> default severity
    since: str
    fn: CheckFn

    @property
    def doc(self) -> str:
        module = inspect.getmodule(self.fn)
        return inspect.cleandoc(module.__doc__ or "") if module else ""


REGISTRY: dict[str, Check] = {}


def register(name: str, codes: dict[str, str], since: str = "0.1.0") -> Callable[[CheckFn], CheckFn]:
    def decorate(fn: CheckFn) -> CheckFn:
        if name in REGISTRY:
            raise ValueError(f"check {name!r} registered twice")
        taken = {c for check in REGISTRY.values() for c in check.codes}
        if taken & set(codes):
            raise ValueError(f"codes {sorted(taken & set(codes))} already registered")
        REGISTRY[name] = Check(name, dict(codes), since, fn)
        return fn
    return decorate


# Built-in checks are registered the way an extension would be: by importing their modules.
BUILTIN_CHECKS = ("low_value", "duplicate", "missing_elements", "late", "title", "multi_event", "unreviewed")
for _module in BUILTIN_CHECKS:
    importlib.import_module(f"{__name__}.{_module}")


def all_codes() -> dict[str, Check]:
    """Every flag code with the check that raises it (the code table)."""
    return {code: check for check in REGISTRY.values() for code in check.codes}


def run_checks(ctx: Context) -> list[Finding]:
    """Run every check; apply the settings' severity overrides and ignores."""
    settings = ctx.settings
    overrides = settings["severity"]
    findings: list[Finding] = []
    for check in REGISTRY.values():
        for finding in check.fn(ctx):
            if settings.is_ignored(finding.code):
                continue
            severity = overrides.get(finding.code, check.codes.get(finding.code, finding.severity))
            if severity != finding.severity:
                finding = Finding(finding.code, severity, finding.message, finding.suggestion,
                                  finding.spans, finding.evidence)
            findings.append(finding)
    return findings
