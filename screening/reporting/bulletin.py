"""The quarterly 《内部情况通报》: statistics of a period rendered as an HTML page (the same page the
web app shows), as a PDF (WeasyPrint) and as Word (`bulletin_docx`), in Chinese."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..docx_io import DOCX_TYPE
from ..draft import CHINA_TZ
from ..errors import DraftError
from ..feedback import POINTS, PUBLICATION_NAMES
from ..plotting import cjk_font
from ..solicitations import STATUS_NAMES
from ..units import UNIT_TYPES
from . import charts
from .stats import CRITICISMS, FLAG_FAMILIES, KIND_NAMES, UNREGISTERED, PeriodStats

_env = Environment(loader=PackageLoader("screening.reporting", "templates"), autoescape=select_autoescape(),
                   trim_blocks=True, lstrip_blocks=True)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _points(value: float) -> str:
    return f"{value:g}"


def _chinese_date(moment: dt.datetime) -> str:
    """2026年1月5日: an official document writes month and day without a leading zero (GB/T 9704)."""
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _day(iso: str | None) -> str:
    if not iso:
        return "—"
    moment = dt.datetime.fromisoformat(iso).astimezone(CHINA_TZ)
    return f"{moment.month}月{moment.day}日"




def points_rule() -> str:
    """The notice's points, in words, from the same table that scores them."""
    parts = [f"{PUBLICATION_NAMES[p]}采用" + "、".join(f"{KIND_NAMES[k]} {POINTS[(p, k)]} 分" for k in ("single", "dynamic"))
             for p in ("haidong", "qinghai")]
    return "；".join(parts) + f"；{PUBLICATION_NAMES['state_council']}采用另加 {POINTS[('state_council', 'single')]} 分"


FILTERS = {"percent": _percent, "points": _points, "day": _day}
_env.filters.update(FILTERS)


def render_html(stats: PeriodStats, issuer: str = "市人民政府办公室", with_charts: bool = True,
                figures: dict[str, str] | None = None, emergency_hours: float = 4) -> str:
    """The 通报 as one self-contained HTML page (styles and charts inline). ``figures`` replaces the
    charts' markup by name (the Word writer puts placeholders there); ``emergency_hours`` is the
    setting the requirements restate."""
    return _env.get_template("bulletin.html").render(**context(stats, issuer, with_charts, figures, emergency_hours))


def context(stats: PeriodStats, issuer: str, with_charts: bool = True, figures: dict[str, str] | None = None,
            emergency_hours: float = 4) -> dict:
    """What ``bulletin.html`` is rendered with (the web page extends the same template)."""
    criticised = stats.criticised
    if figures is None:
        figures = {name: draw(stats) for name, draw in charts.CHARTS.items()} if with_charts else {}
    return dict(
        s=stats, totals=stats.totals, charts=figures, issuer=issuer,
        problems=[(name, criticised[key], text) for key, name, text in CRITICISMS if criticised[key]],
        points_rule=points_rule(),
        publications=PUBLICATION_NAMES, unit_types={**UNIT_TYPES, UNREGISTERED: "未登记"},
        flag_names=FLAG_FAMILIES, kind_names=KIND_NAMES, status_names=STATUS_NAMES,
        font=cjk_font() or "sans-serif",
        generated=_chinese_date(dt.datetime.now(CHINA_TZ)), emergency_hours=f"{emergency_hours:g}")


def write_pdf(html: str, target: str | Path | None = None) -> bytes:
    """The HTML page as a PDF (A4); written to ``target`` when given."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint needs the system's Pango
        raise DraftError("pdf", f"无法生成 PDF：缺少系统库 Pango（Debian：apt-get install libpango-1.0-0 libpangoft2-1.0-0）：{exc}",
                         503) from None
    data = HTML(string=html).write_pdf()
    if target is not None:
        write_whole(Path(target), data)
    return data


def write_whole(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place: a full disk leaves the
    previous file or none, never a truncated one that looks finished."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def write_bulletin(stats: PeriodStats, folder: str | Path, issuer: str = "市人民政府办公室",
                   emergency_hours: float = 4) -> tuple[Path, ...]:
    """``通报-<period>.html``, ``.pdf`` and ``.docx`` in ``folder``; returns their paths."""
    from .bulletin_docx import render_docx

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(stats, issuer, emergency_hours=emergency_hours)
    contents = {"html": html.encode("utf-8"), "pdf": write_pdf(html),
                "docx": render_docx(stats, issuer, emergency_hours=emergency_hours)}
    written: list[Path] = []  # all made before any is written
    try:
        for suffix, data in contents.items():
            path = folder / download_name(stats, suffix)
            write_whole(path, data)
            written.append(path)
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)  # the set is one report: not part of it
        raise
    return tuple(written)


# The 通报's formats and their media types.
REPORT_TYPES = {"html": "text/html", "pdf": "application/pdf", "docx": DOCX_TYPE}


def download_name(stats: PeriodStats, suffix: str) -> str:
    """The file name of the 通报 of ``stats``'s period, the same from the CLI and the web."""
    return f"通报-{stats.period.key}.{suffix}"
