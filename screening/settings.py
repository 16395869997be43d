"""Every tunable threshold and policy in one table, overridable by a TOML file.

Each entry is (default, help). A TOML file may override any of them at top level, e.g.::

    late_days = 5
    [required_elements]
    single = ["data"]
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .io import decode_utf8
from .report import ELEMENTS

SETTINGS: dict[str, tuple[Any, str]] = {
    "late_days": (3, "时效性事件（展会、签约、开工等）发生后超过多少天报送算迟报"),
    "emergency_late_hours": (4, "突发事件发生后超过多少小时首报算迟报"),
    "title_max_chars": (40, "标题超过多少字提示过长"),
    "title_min_chars": (8, "标题少于多少字提示过短"),
    "required_elements": ({"single": ["data", "recommendation"], "dynamic": [],
                           "solicited": list(ELEMENTS)},
                          "各类稿件必须具备的要素（单篇、动态、约稿）"),
    "low_value_min_probability": (0.5, "低价值（会议、调研类）判定所需的最低概率"),
    "unreviewed_min_figures": (3, "正文含多少个重要数字（金额、增速、伤亡等）时要求写明审核签发人"),
    "severity": ({}, "按代码覆盖严重程度，如 {\"title.vague\" = \"info\"}"),
    "ignore": ([], "不检查的代码或前缀，如 [\"title.\"]"),
    "model_dir": ("", "模型目录；为空时使用随包发布的默认模型"),
    "instance_path": ("instance", "实例目录：内置 SQLite 数据库和查重索引快照放在这里"),
    "database_url": ("", "数据库地址；为空时使用实例目录中的 SQLite，如 postgresql://user@host/db"),
    "gate_tolerance": (0.01, "再训练的候选模型在任一受保护指标上比当前模型低多少以内仍可启用（约为固定检验集上两篇稿件的差别）"),
    "feedback_holdout_share": (0.2, "最近的反馈中留作检验（不参与训练）的比例"),
    "retrain_min_feedback": (20, "可用于训练的编辑反馈少于这么多条时不训练（训练出的候选与当前模型几乎相同，检验也无从说起）"),
    "host": ("127.0.0.1", "服务监听地址；默认只在本机回环地址上提供服务"),
    "port": (8000, "服务端口"),
    "workers": (2, "gunicorn 工作进程数"),
    "auth": ("auto", "API 密钥认证：auto（回环地址且无密钥时免认证，否则必须带密钥）、on、off（明确关闭）"),
    "secret_key": ("", "网页会话签名密钥；为空时在实例目录中生成并保存（各工作进程共用）"),
    "cookie_secure": (True, "会话 Cookie 只经 HTTPS（本机 127.0.0.1 / localhost 浏览器视为安全）发送"),
    "max_request_bytes": (32_000_000, "单个请求体的最大字节数（默认 32 MB：500 篇万字以内的草稿也放得下），超过返回 413"),
    "max_batch": (500, "批量筛查一次最多的草稿数"),
    "report_issuer": ("市人民政府办公室", "季度通报的发文单位"),
    "burst_items": (4, "扎堆报送：连续几天内至少报送多少条"),
    "burst_days": (3, "扎堆报送：在连续多少天内"),
    "burst_gap_days": (30, "扎堆报送：此前至少连续多少天未报送"),
}


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any] | None = None) -> "Settings":
        values = {name: default for name, (default, _help) in SETTINGS.items()}
        for name, value in (overrides or {}).items():
            if name not in SETTINGS:
                raise KeyError(f"未知设置项：{name}")
            default = SETTINGS[name][0]
            _checked(name, value, default)  # as written, so that an error quotes what the user wrote
            values[name] = {**default, **value} if isinstance(default, dict) else value
        if values["title_min_chars"] > values["title_max_chars"]:
            raise ValueError(f"设置项 title_min_chars（{values['title_min_chars']}）不能大于 title_max_chars"
                             f"（{values['title_max_chars']}）")
        if overrides and ("ignore" in overrides or "severity" in overrides):
            _check_codes(values["ignore"], values["severity"])
        return cls(values)

    @classmethod
    def from_toml(cls, path: str | Path) -> "Settings":
        return cls.from_mapping(read_toml(path))

    @classmethod
    def load(cls, toml_path: str | Path | None = None, environ: Mapping[str, str] | None = None,
             overrides: Mapping[str, Any] | None = None) -> "Settings":
        """Defaults, then a TOML file, then ``SCREENING_<NAME>`` variables, then explicit overrides."""
        values: dict[str, Any] = {}
        if toml_path:
            values.update(read_toml(toml_path))
        for name, (default, _help) in SETTINGS.items():
            raw = (environ or {}).get(f"SCREENING_{name.upper()}")
            if raw is not None:
                values[name] = _parse_env(name, raw, default)
        values.update(overrides or {})
        return cls.from_mapping(values)

    def is_ignored(self, code: str) -> bool:
        return any(code == rule or (rule.endswith(".") and code.startswith(rule))
                   for rule in self.values["ignore"])


def read_toml(path: str | Path) -> dict[str, Any]:
    """A settings file as a table (UTF-8, a BOM allowed); a file that is not UTF-8 or not TOML is a
    ValueError saying where, in Chinese."""
    text = decode_utf8(Path(path).read_bytes(), path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        at = f"第 {where[1]} 行第 {where[2]} 列" if where else "某处"
        raise ValueError(f"TOML 格式错误：{at}无法解析（如缺少值、引号或括号不成对）") from None


SEVERITIES = ("error", "warning", "info")
# Counts, sizes and ports; the other numbers may be fractional (late_days = 1.5, emergency_late_hours = 2.5).
WHOLE_NUMBERS = frozenset({"title_max_chars", "title_min_chars", "unreviewed_min_figures", "port", "workers",
                           "max_request_bytes", "max_batch", "burst_items", "burst_days", "burst_gap_days",
                           "retrain_min_feedback"})
KINDS_REQUIRED = ("single", "dynamic", "solicited")
# (lowest, highest) a number may take; other numbers need only be ≥ 0. A probability above 1 or a
# burst of 0 items would not fail: it would silently switch a check off or flag every unit.
RANGES: dict[str, tuple[float, float | None]] = {
    "low_value_min_probability": (0, 1), "gate_tolerance": (0, 1), "feedback_holdout_share": (0, 0.9), "retrain_min_feedback": (0, None),
    "port": (1, 65535), "workers": (1, 64), "burst_items": (1, None), "burst_days": (1, None),
    "max_batch": (1, None), "max_request_bytes": (1, None), "title_max_chars": (1, None),
}


def _check_codes(ignore: list[str], severity: Mapping[str, str]) -> None:
    """Every code named in ``ignore`` or ``severity`` must be one the checks raise (a prefix such as
    ``title.`` must match one): a misspelt code would otherwise change nothing, silently."""
    from .checks import all_codes

    codes = all_codes()
    for where, named in (("ignore", ignore), ("severity", list(severity))):
        for rule in named:
            known = rule in codes or (rule.endswith(".") and any(c.startswith(rule) for c in codes))
            if not known:
                raise ValueError(f"设置项 {where} 中的 {rule!r} 不是已有的提示代码（用 screening rule 查看全部代码）")


def _checked(name: str, value: Any, default: Any) -> None:
    """A ValueError naming the setting unless ``value`` has its type and range (a wrong type in a
    settings file must not surface later as a crash or a silent no-op)."""
    def bad(expected: str) -> ValueError:
        return ValueError(f"设置项 {name} 应为{expected}，实际是 {value!r}")

    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise bad("true 或 false")
    elif isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad("数字")
        if name in WHOLE_NUMBERS and not isinstance(value, int):
            raise bad("整数")
        low, high = RANGES.get(name, (0, None))
        if not math.isfinite(value) or value < low or (high is not None and value > high):
            raise bad(f"介于 {low} 和 {high} 之间的数" if high is not None else f"不小于 {low} 的数")
    elif isinstance(default, str):
        if not isinstance(value, str):
            raise bad("字符串")
    elif isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("字符串列表")
    elif name == "severity":
        if not isinstance(value, Mapping) or any(v not in SEVERITIES for v in value.values()):
            raise bad(f"代码到严重程度（{'、'.join(SEVERITIES)}）的表")
    elif name == "required_elements":
        if (not isinstance(value, Mapping) or set(value) - set(KINDS_REQUIRED)
                or any(not isinstance(v, list) or not all(isinstance(e, str) and e in ELEMENTS for e in v)
                       for v in value.values())):
            raise bad(f"稿件类型（{'、'.join(KINDS_REQUIRED)}）到要素列表（{'、'.join(ELEMENTS)}）的表")


def _parse_env(name: str, raw: str, default: Any) -> Any:
    """An environment value read with the type of the setting's default (lists and tables as JSON)."""
    import json

    try:
        if isinstance(default, bool):
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes", "on")
        if isinstance(default, (int, float)):  # whole or not by the setting, as in a settings file
            return int(raw) if name in WHOLE_NUMBERS else float(raw)
        if isinstance(default, (list, dict)):
            return json.loads(raw)
        return raw
    except ValueError:
        raise ValueError(f"环境变量 SCREENING_{name.upper()} 的值无效：{raw!r}") from None


DEFAULT_SETTINGS = Settings.from_mapping()


INSTANCE_DATABASE = "screening.db"  # the embedded SQLite store, in the instance folder


def database_url(settings: Settings) -> str:
    """The configured database, or SQLite in the instance folder (created if needed)."""
    if settings["database_url"]:
        return settings["database_url"]
    folder = Path(settings["instance_path"])
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder.resolve() / INSTANCE_DATABASE}"


def index_snapshot(settings: Settings) -> Path:
    """Where the duplicate index snapshot of this database lives."""
    import hashlib

    key = hashlib.sha256(database_url(settings).encode()).hexdigest()[:12]
    return Path(settings["instance_path"]) / f"dupindex-{key}.npz"
