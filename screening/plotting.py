"""Matplotlib set up for Chinese labels: a CJK font, when the machine has one (fonts-noto-cjk)."""

from __future__ import annotations

from pathlib import Path

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Noto Sans CJK JP")


# File names of the fonts above (fonts-noto-cjk, fonts-wqy-*, Source Han), to find them on disk.
_CJK_FILE_HINTS = ("cjk", "wqy", "sourcehan")


def cjk_font() -> str | None:
    """The first installed CJK font of :data:`CJK_FONTS`, or None.

    Matplotlib keeps the font list it found on first use: a font installed since (as the warning
    about a missing one asks) is looked for on disk and added, so the charts use it at once. The disk
    is read once a process: a machine with none of the fonts is not scanned again at every chart."""
    from matplotlib import font_manager

    found = _first_cjk(font_manager.fontManager)
    if found is None and not _disk_scanned:
        _add_cjk_files_on_disk(font_manager)
        found = _first_cjk(font_manager.fontManager)
    return found


_disk_scanned = False


def _add_cjk_files_on_disk(font_manager) -> None:
    global _disk_scanned
    _disk_scanned = True
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known and any(hint in Path(path).name.lower() for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # an unreadable font file: skip it
                continue


def _first_cjk(manager) -> str | None:
    installed = {f.name for f in manager.ttflist}
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
