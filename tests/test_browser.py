"""The page in real headless Chromium (Debian's package), driven by Playwright."""

import os
import shutil

import pytest

from screening.store.db import Store
from service.launcher import served
from conftest import check_fixture

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")

MEETING = check_fixture("low_value")["flagged"][0]["draft"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with served(tmp_path_factory.mktemp("browser") / "instance", workers=1) as base:
        yield base


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"])


@pytest.fixture
def page(server):
    with playwright.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(server + "/")
        yield page
        browser.close()


def test_paste_a_draft_and_see_spans_and_checklist(page, tmp_path):
    page.fill("#title", MEETING["title"])
    page.fill("#body", MEETING["body"])
    page.click("#check")
    page.wait_for_selector("#result:not([hidden])")
    assert page.text_content("#verdict") == "不宜报送"
    assert page.locator("#marked-title mark").count() >= 1
    assert "low_value.meeting" in page.text_content("#flags")
    assert page.get_attribute("#element-situation", "class") == "present"
    assert page.get_attribute("#element-data", "class") == "absent"
    page.locator("#marked-title mark").first.click()
    assert page.locator("#flags li.active").count() >= 1
    assert page.input_value("#body") == MEETING["body"]  # the text stays for editing
    page.screenshot(path=os.environ.get("SCREENSHOT_PATH", str(tmp_path / "page.png")), full_page=True)


def test_findings_by_name_a_stale_result_and_a_field_error(page, tmp_path):
    page.fill("#title", MEETING["title"])
    page.fill("#body", MEETING["body"])
    page.click("#check")
    page.wait_for_selector("#result:not([hidden])")
    assert "会议学习类低价值信息" in page.text_content("#flags")
    assert page.is_hidden("#stale") and page.is_enabled("#download")
    page.fill("#title", MEETING["title"] + "（修改稿）")  # the result on screen is now of another text
    assert page.is_visible("#stale") and page.is_disabled("#download")
    page.fill("#title", "   ")  # passes the browser's required check, not the server's
    page.click("#check")
    page.wait_for_function("document.getElementById('error').textContent.length > 0")
    assert "标题（title）" in page.text_content("#error")
    assert "invalid" in page.get_attribute("#title", "class")
    # a file chosen over typed text asks first; declining keeps what was typed
    path = tmp_path / "另一篇.txt"
    path.write_text("另一篇的标题\n另一篇的正文。", encoding="utf-8")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.set_input_files("#file", str(path))
    page.wait_for_timeout(300)
    assert page.input_value("#body") == MEETING["body"]


def test_html_in_a_draft_is_shown_as_text(page):
    evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    page.fill("#title", "县里召开会议" + evil)
    page.fill("#body", "会议强调，要提高站位。" + evil)
    page.click("#check")
    page.wait_for_selector("#result:not([hidden])")
    assert page.evaluate("window.__pwned") is None
    assert evil in page.text_content("#marked-body")
    assert page.locator("#marked-body img, #marked-body script").count() == 0


def test_marks_land_on_their_words_after_characters_outside_the_bmp(page):
    # 𨱏 is one character to Python (report offsets) and two UTF-16 units to JavaScript
    page.fill("#title", "𨱏𨱏镇召开理论学习中心组学习会")
    page.fill("#body", "𨱏𨱏镇𬌗𬌗村召开理论学习中心组学习会。会议传达了上级精神。会议强调，要提高站位，要压实责任。")
    page.click("#check")
    page.wait_for_selector("#result:not([hidden])")
    marks = page.locator("#marked-title mark, #marked-body mark").all_text_contents()
    assert marks and all("\ufffd" not in m and not any(0xD800 <= ord(c) <= 0xDFFF for c in m) for m in marks)
    assert any("召开" in m for m in marks)


def _instance_with_key(tmp_path, name: str, scopes: list[str]):
    """An instance folder whose store holds one key: (folder, key)."""
    instance = tmp_path / "instance"
    instance.mkdir()
    store = Store(f"sqlite:///{instance / 'screening.db'}")
    key = store.create_key(name, scopes)
    store.close()
    return instance, key


def test_keys_on_sign_in_then_check(tmp_path):
    env_dir, key = _instance_with_key(tmp_path, "信息员", ["screen"])
    with served(env_dir, workers=1) as base:
        with playwright.sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.goto(base + "/")
            page.fill("#key", key)
            page.click("#login")
            page.wait_for_selector("#draft-form")
            page.fill("#title", MEETING["title"])
            page.fill("#body", MEETING["body"])
            page.click("#check")
            page.wait_for_selector("#result:not([hidden])")
            assert page.text_content("#verdict") == "不宜报送"
            browser.close()


def test_upload_a_docx_then_download_the_annotated_docx(page, tmp_path):
    import docx

    source = docx.Document()
    source.add_paragraph(MEETING["title"])
    for paragraph in MEETING["body"].split("\n"):
        source.add_paragraph(paragraph)
    path = tmp_path / "草稿.docx"
    source.save(path)
    page.set_input_files("#file", str(path))
    page.wait_for_function("document.getElementById('title').value.length > 0")
    assert page.input_value("#title") == MEETING["title"]
    assert page.input_value("#body") == MEETING["body"]
    page.click("#check")
    page.wait_for_selector("#result:not([hidden])")
    with page.expect_download() as download:
        page.click("#download")
    saved = tmp_path / "annotated.docx"
    download.value.save_as(saved)
    comments = [c.text for c in docx.Document(saved).comments]
    assert any(c.startswith("【会议学习类低价值信息】") and "low_value.meeting" in c for c in comments)
    assert any(c.startswith("【缺少数据】") for c in comments)
    assert download.value.suggested_filename == f"{MEETING['title']}_筛查批注.docx"


def test_the_quarterly_report_page(tmp_path):
    from reporting_year import build_year

    instance = tmp_path / "instance"
    instance.mkdir()
    store = Store(f"sqlite:///{instance / 'screening.db'}")
    build_year(store)
    store.close()
    with served(instance, workers=1) as base:
        with playwright.sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(base + "/")
            page.click("text=季度通报")
            page.fill("input[name=period]", "2026Q3")
            page.click("text=查看")
            page.wait_for_selector("h2.title")
            assert page.text_content("h2.title") == "关于2026年第三季度政务信息报送采用情况的通报"
            assert page.locator(".chart svg").count() == 3
            assert page.locator(".chart svg").first.bounding_box()["width"] > 300  # the charts are drawn
            first_row = page.locator("table").first.locator("tbody tr").first.inner_text()
            assert "U01乐都区" in first_row and "35" in first_row
            assert "下载 PDF" in page.text_content(".toolbar")
            page.screenshot(path=os.environ.get("REPORT_SCREENSHOT_PATH", str(tmp_path / "report.png")), full_page=True)
            browser.close()


def test_the_form_carries_the_reviewer_and_the_emergency(page):
    figures = "截至6月底，全县完成固定资产投资48.6亿元，同比增长12.3%，其中工业投资21.4亿元，增长18.5%；新开工项目36个。"
    page.fill("#title", "全县上半年固定资产投资增长12.3%")
    page.fill("#body", figures)
    page.click("#check")
    page.wait_for_selector("#result:not([hidden])")
    assert "unreviewed" in page.text_content("#flags")  # important figures without a sign-off
    page.fill("#reviewer", "张三")
    page.check("#emergency")
    page.click("#check")
    page.wait_for_function("!document.querySelector('#flags').textContent.includes('unreviewed')")
    assert "unreviewed" not in page.text_content("#flags")


def test_an_emergency_is_judged_by_the_time_of_day_and_the_submission_time_given(page):
    page.fill("#title", "某镇一在建工地发生脚手架坍塌事故")
    page.fill("#body", "11月20日8时许，某镇一在建工地发生脚手架坍塌，造成2人受伤，伤者已送医救治，现场已封闭。")
    page.check("#emergency")
    page.fill("#event_date", "2026-11-20")
    page.fill("#event_time", "08:00")
    page.fill("#submitted_at", "2026-11-20T15:30")  # seven and a half hours later
    page.click("#check")
    page.wait_for_selector("#result:not([hidden])")
    assert "emergency.late" in page.text_content("#flags")
    page.fill("#submitted_at", "2026-11-20T10:00")  # within four hours
    page.click("#check")
    page.wait_for_function("!document.querySelector('#flags').textContent.includes('emergency.late')")
    page.fill("#event_date", "")  # a time of day with no day is refused on the page, naming the date
    page.click("#check")
    page.wait_for_function("document.querySelector('#error').textContent.includes('事件日期')")
    assert page.evaluate("document.activeElement.id") == "event_date"


def test_signing_in_returns_to_the_asked_page_of_this_site_only(tmp_path):
    instance, key = _instance_with_key(tmp_path, "信息科", ["admin"])
    with served(instance, workers=1) as base:
        with playwright.sync_playwright() as p:
            browser = launch(p)
            page = browser.new_context().new_page()  # one context: a second tab shares its cookies
            # /\host and /<tab>/host look like paths but the browser reads them as another site
            for sneaky in ("/%5Cexample.com/phish", "/%09/example.com/phish"):
                page.goto(f"{base}/?next={sneaky}")
                page.fill("#key", key)
                page.click("#login")
                page.wait_for_selector("#draft-form")
                assert page.url.startswith(base)
                page.click("#logout")
                page.wait_for_selector("#login-form")
            page.goto(f"{base}/report?period=2026Q3")  # signed out: to the sign-in form, then back
            page.wait_for_selector("#login-form")
            page.fill("#key", key)
            page.click("#login")
            page.wait_for_selector("h2.title")
            assert page.url == f"{base}/report?period=2026Q3"
            # signed out and in again in another tab: the first tab's form token is stale; its draft is kept
            page.goto(base + "/")
            page.fill("#title", MEETING["title"])
            page.fill("#body", MEETING["body"])
            other = page.context.new_page()
            other.goto(base + "/")
            other.click("#logout")
            other.wait_for_selector("#login-form")
            other.fill("#key", key)
            other.click("#login")
            other.wait_for_selector("#draft-form")
            page.click("#check")
            page.wait_for_function("document.getElementById('title').value.length > 0"
                                   " && !document.getElementById('error').textContent")
            page.wait_for_timeout(500)
            assert page.input_value("#title") == MEETING["title"] and page.input_value("#body") == MEETING["body"]
            browser.close()
