"""Page timings in headless Chromium: load of `/`, and from clicking 检查 to the result shown,
for a 1,500-character draft. Needs Debian's chromium and the playwright package.

    .venv/bin/python bench/bench_page.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_screen import make_draft  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    from service.launcher import served

    with served(Path(tempfile.mkdtemp()) / "instance", workers=1) as base:
        draft = make_draft(1500)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            page = browser.new_page()
            loads, checks = [], []
            for _ in range(10):
                t0 = time.perf_counter()
                page.goto(base + "/")
                page.wait_for_load_state("load")
                loads.append((time.perf_counter() - t0) * 1000)
                page.fill("#title", draft["title"])
                page.fill("#body", draft["body"])
                t0 = time.perf_counter()
                page.click("#check")
                page.wait_for_selector("#result:not([hidden])")
                checks.append((time.perf_counter() - t0) * 1000)
            browser.close()
        print(f"page load (median of 10): {statistics.median(loads):.0f} ms")
        print(f"1,500-character draft, click to result shown (median of 10): {statistics.median(checks):.0f} ms")


if __name__ == "__main__":
    main()
