"""Quality screening of 政务信息 drafts: low-value, duplicates, lateness, elements, titles."""

from .draft import Draft
from .engine import Screener
from .errors import DraftError
from .report import Finding, Report, Span
from .settings import Settings

__version__ = "0.1.0"
__all__ = ["Draft", "DraftError", "Finding", "Report", "Screener", "Settings", "Span", "__version__"]
