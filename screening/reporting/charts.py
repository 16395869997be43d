"""The 通报's charts: points by unit, submissions by month, and the mix of flags raised. As SVG for
the HTML and the PDF (glyphs drawn as paths, so the PDF needs no font of its own), as PNG for Word,
which cannot show SVG."""

from __future__ import annotations

import io
import re

from matplotlib.ticker import MaxNLocator

from ..plotting import pyplot
from .stats import FLAG_FAMILIES, PeriodStats

BLUE, GREY, RED = "#2f5d8a", "#9aa5b1", "#b23a3a"


def _render(fig, prefix: str, fmt: str) -> str | bytes:
    """The figure as inline SVG (``fmt="svg"``) or as PNG bytes (``"png"``)."""
    if fmt == "png":
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=200, bbox_inches="tight")
        pyplot().close(fig)
        return buffer.getvalue()
    return _svg(fig, prefix)


def _svg(fig, prefix: str) -> str:
    """The figure as inline SVG; its ids carry ``prefix`` so that several charts on one page do not
    define the same id twice (matplotlib numbers them from 1 in every file)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    pyplot().close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prologue: the SVG goes inline into the HTML
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    return re.sub(r'(href="#|url\(#)([^")]+)', rf"\1{prefix}-\2", text)


def points_by_unit(stats: PeriodStats, limit: int = 30, fmt: str = "svg") -> str | bytes:
    """Horizontal bars, highest first; units with no points are shown as empty rows up to ``limit``."""
    plt = pyplot()
    units = stats.units[:limit][::-1]
    fig, ax = plt.subplots(figsize=(7.2, 0.28 * len(units) + 0.9))
    values = [u.points for u in units]
    # bars by position, names as tick labels: two names that shorten alike must not share a row
    bars = ax.barh(range(len(units)), values, color=[BLUE if v else GREY for v in values])
    ax.set_yticks(range(len(units)), [_short(u.unit) for u in units])
    ax.bar_label(bars, labels=[f"{v:g}" if v else "" for v in values], padding=3, fontsize=8)
    ax.set_xlabel("积分")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    shown = f"（前 {limit} 名）" if len(stats.units) > limit else ""
    ax.set_title(f"{stats.period.name}各单位积分{shown}", fontsize=11)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    if not any(values):  # an axis from -0.05 to 0.05 says nothing: show 0 to 1
        ax.set_xlim(0, 1)
    return _render(fig, "points", fmt)


def _short(name: str, limit: int = 14) -> str:
    """A unit's name as a bar's label: one very long name would squeeze every bar to a sliver."""
    return name if len(name) <= limit else name[:limit - 1] + "…"


def _counts(labels: list[str], counts: list[int], color: str, ylabel: str, title: str, width: float,
            prefix: str, fmt: str) -> str | bytes:
    """Vertical bars of whole counts, each labelled with its value."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(width, 2.8))
    bars = ax.bar(labels, counts, color=color, width=0.6)
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.15)
    return _render(fig, prefix, fmt)


def monthly_submissions(stats: PeriodStats, fmt: str = "svg") -> str | bytes:
    labels = [f"{m.month}月" for m in stats.months]
    return _counts(labels, stats.totals["monthly"], BLUE, "报送条数", "各月报送信息条数",
                   max(3.6, 0.55 * len(labels) + 1.6), "monthly", fmt)


def flag_mix(stats: PeriodStats, fmt: str = "svg") -> str | bytes:
    flags = stats.totals["flags"]
    return _counts([FLAG_FAMILIES[k] for k in flags], list(flags.values()), RED, "涉及信息条数", "筛查提示分布",
                   3.8, "flags", fmt)


# The charts by the name the 通报 template places them under.
CHARTS = {"points": points_by_unit, "monthly": monthly_submissions, "flags": flag_mix}
