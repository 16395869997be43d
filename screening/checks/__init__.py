"""The one registry of checks: every flag code maps to the check that raises it.

A check is a small module with a docstring and a function
decorated with :func:`register`, which names the codes it may raise and their default
severities. Settings can change a severity or ignore a code or a prefix (``title.``).
The docstring is what `screening rule CODE` prints to officers, so it is written in Chinese:
检查什么、为什么、示例、建议写法.
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


# Each code as officers name it: the page and the annotated Word file show these, not the codes.
CODE_NAMES = {
    "low_value.meeting": "会议学习类低价值信息", "low_value.visit": "领导调研类低价值信息", "duplicate": "疑似重复",
    "missing.situation": "缺少情况", "missing.problem": "缺少问题", "missing.case": "缺少事例", "missing.data": "缺少数据",
    "missing.analysis": "缺少分析", "missing.recommendation": "缺少建议", "late": "时效性信息迟报",
    "emergency.late": "突发事件迟报", "event_date.after_submission": "事件日期晚于报送时间",
    "title.too_long": "标题过长", "title.too_short": "标题过短",
    "title.vague": "标题空泛", "multi_event": "一稿多事", "unreviewed": "重要数据未注明审核签发人",
}


def code_name(code: str) -> str:
    """The officers' name of a flag code (a code registered by an extension without one: the code)."""
    return CODE_NAMES.get(code, code)


def explain(name: str) -> str | None:
    """What ``screening rule NAME`` prints: the check's explanation, found by a code (missing.case),
    a family (missing, title), a check's name or an officers' name (迟报); a module's ``CODE_NOTES``
    adds what is particular to the code asked. None when nothing or several checks match."""
    table = all_codes()
    named = [code for code in table if CODE_NAMES.get(code) == name]  # 缺少事例 is missing.case
    if name in table or named:
        code = name if name in table else named[0]
        check = table[code]
    else:
        found = {check.name: check for code, check in table.items()
                 if name in (check.name, code.split(".")[0]) or name in code_name(code)}
        if len(found) != 1:
            return None
        check, code = next(iter(found.values())), None
    notes = getattr(inspect.getmodule(check.fn), "CODE_NOTES", {})
    return check.doc + (f"\n\n{notes[code]}" if code in notes else "")


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
