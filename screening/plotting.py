"""Matplotlib set up for Chinese labels: a CJK font, when the machine has one (fonts-noto-cjk)."""

from __future__ import annotations

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Noto Sans CJK JP")


def cjk_font() -> str | None:
    """The first installed CJK font of :data:`CJK_FONTS`, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def pyplot():
    """pyplot on the Agg backend with a CJK sans-serif font when one is installed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font]
        plt.rcParams["axes.unicode_minus"] = False
    return plt
