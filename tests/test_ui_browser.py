"""`mediamon ui` in a real browser: Playwright driving Debian's chromium (never Playwright's
own download), against the real command serving a real warehouse.

A person's path through the pages (overview -> speaker -> claim -> article -> spread, and
entity and claim search), a planted hostile article that must stay inert, and three ingests
that must finish while the pages are being clicked. Screenshots of every page go to
tests/artifacts/ui/ (ignored by git). Without /usr/bin/chromium these tests fail: CI
installs it (.ci/run)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO
from tests.ui_helpers import (
    ARTIFACTS,
    BROWSER_ARGS,
    SCRIPT,
    plant_hostile_article,
    require_chromium,
    stop,
    thread_server,
    ui_server,
    wait_for_exit,
)

BUSY_HEADING = "Warehouse busy, retrying…"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(executable), args=BROWSER_ARGS)
        yield b
        b.close()


class Watch:
    """A page with its console errors, uncaught exceptions and dialogs recorded."""

    def __init__(self, browser: object) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        return path

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()


def test_click_through_the_demo(browser: object, demo_warehouse: Path) -> None:
    with ui_server(demo_warehouse) as (proc, base):
        w = Watch(browser)
        page = w.page
        page.goto(base + "/")
        assert page.locator("h1").inner_text() == "Overview"
        assert w.count("#articles-per-day svg rect.bar") > 5  # a drawn chart, not an empty box
        assert w.count("#claims-per-day svg rect.bar") > 5
        assert w.count("#rising tbody tr") > 3 and w.count("#rising svg polyline") > 3
        assert w.count("#speakers tbody tr") > 3
        w.shot("overview")

        # -> a speaker
        page.locator("#speakers a[href^='/speakers/']").first.click()
        page.wait_for_url("**/speakers/**")
        name = page.locator("h1").inner_text()
        assert w.count("#claims-over-time svg rect.bar") >= 1
        assert w.count("#outlets .bars .row") >= 1
        assert w.count("#latest tbody tr") >= 1
        w.shot("speaker")

        # -> one of its claims, in its article
        claim = page.locator("#latest a.claim-link").first
        quoted = claim.inner_text().rstrip("…")
        claim.click()
        page.wait_for_url("**/articles/**#claim-*")
        rows = w.count("#claims tbody tr")
        assert rows >= 1
        # Every claim highlighted once (a mark split around other marks continues without
        # its number).
        assert w.count(".article-text mark.hl-content[data-claim]") == rows
        assert w.count(".article-text mark.hl-speaker") >= 1
        assert w.count(".article-text a.hl-entity") >= 1
        assert w.count(".article-text mark.hl-cue") >= 1
        target = page.locator("#claims tr:target")
        assert target.count() == 1 and quoted[:40] in target.inner_text()
        assert name.split()[0] in page.locator("#claims tr:target td").nth(1).inner_text()
        w.shot("article")

        # -> how that claim spread
        target.locator("a.spread-link").click()
        page.wait_for_url("**/spread/**")
        carriers = w.count("#carriers tbody tr")
        assert carriers >= 1 and w.count("#timeline svg circle.dot") == carriers
        w.shot("spread")

        # -> an entity from the article's highlights
        page.go_back()
        page.locator(".article-text a.hl-entity").first.click()
        page.wait_for_url("**/entities/**")
        assert w.count("#mentions-over-time svg rect.bar") >= 1
        assert w.count("#cooccurring .bars .row") >= 1
        w.shot("entity")

        # Claim search, as typed into the form, and its CSV.
        page.goto(base + "/claims")
        page.fill("input[name=speaker]", "Interfax")
        page.click("button[type=submit]")
        page.wait_for_url("**/claims?*speaker=Interfax*")
        speakers = page.locator("table.claims tbody tr td:first-child").all_inner_texts()
        assert speakers and all("interfax" in s.lower() for s in speakers)
        w.shot("claims")
        with page.expect_download() as download:
            page.click("text=Download CSV")
        csv_text = Path(download.value.path()).read_text(encoding="utf-8")
        assert len(csv_text.strip().splitlines()) == len(speakers) + 1
        assert w.errors == [] and w.dialogs == []
        code, err = stop(proc)
    assert code == 130 and err.strip() == ""


INERT_CHECK = """() => ({
    pwned: window.__pwned ?? null,
    scripts: document.scripts.length,
    handlers: [...document.querySelectorAll('*')].filter(
        e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length,
    scriptLinks: [...document.querySelectorAll('a[href]')].filter(
        a => (a.getAttribute('href') || '').trim().toLowerCase().startsWith('javascript:')).length,
    text: document.body.innerText,
})"""


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_hostile_article_renders_inert(browser: object, demo_warehouse: Path, tmp_path: Path,
                                       csp: bool) -> None:  # fmt: skip
    """Title, text, URL, outlet, speaker, cue, claim, relay, rule, entity and a feed carry
    <script>, onerror handlers and javascript: links. Nothing runs, no dialog opens, and
    the payloads show as text. Run with the app's CSP and without it (so escaping alone is
    what is tested)."""
    db = tmp_path / "hostile.duckdb"
    shutil.copy(demo_warehouse, db)
    ids = plant_hostile_article(db)
    from flows.ui.app import create_app

    paths = [f"/articles/{ids['article']}", "/", "/claims", f"/speakers/{ids['entity']}",
             f"/entities/{ids['entity']}", f"/spread/{ids['key']}", "/claims?q=talks"]  # fmt: skip
    app = create_app(db) if csp else create_app(db, csp=None)
    with thread_server(app) as base:
        w = Watch(browser)
        for path in paths:
            w.page.goto(base + path)
            w.page.wait_for_timeout(300)  # time for anything that would run
            state = w.page.evaluate(INERT_CHECK)
            assert state["pwned"] is None, path
            assert state["scripts"] == 0 and state["handlers"] == 0, path
            assert state["scriptLinks"] == 0, path
            if path.startswith("/articles/"):
                assert SCRIPT in state["text"]  # shown, as text
                w.page.hover(".article-text a.hl-entity >> nth=0")
                w.shot(f"hostile-article-{'csp' if csp else 'no-csp'}")
        assert w.dialogs == [] and w.errors == []


@pytest.mark.timeout(1800)  # three ingests, each starting Prefect, on a shared machine
def test_ingests_finish_while_the_ui_is_clicked(browser: object, demo_site: object,
                                               tmp_path: Path) -> None:  # fmt: skip
    """Three ingests of the demo site at once, while a person clicks through the UI of the
    same warehouse: every ingest exits 0, the UI shows "warehouse busy, retrying" (and
    reloads itself) rather than an error, and afterwards shows everything loaded."""
    from flows.demo import demo_feeds
    from flows.fetcher import FetchSettings
    from flows.ingest import ingest
    from flows.settings import Settings

    feeds = demo_feeds(demo_site)
    db = tmp_path / "live.duckdb"
    settings = Settings(db=db, fetch=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"})))
    assert ingest(feeds=feeds[:1], only_these_feeds=True, settings=settings)["ok"]
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text("".join(f"[[feed]]\nurl = {json.dumps(f.url)}\noutlet = "
                                  f"{json.dumps(f.outlet)}\n\n" for f in feeds))  # fmt: skip
    cmd = [sys.executable, "-m", "flows.cli", "ingest", "--feeds", str(feeds_file), "--db",
           str(db), "--allow-private", "127.0.0.1", "-q"]  # fmt: skip
    with ui_server(db) as (_proc, base):
        w = Watch(browser)
        # Room for Prefect's temporary API to start on a loaded machine (its default is
        # 60 s; three at once on two busy cores have taken longer), as in the other tests
        # of concurrent ingests.
        env = {**os.environ, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "240"}
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "env": env}
        ingests = [subprocess.Popen(cmd, cwd=REPO, **pipes) for _ in range(3)]
        loads = busy = 0

        def visit(action: object) -> None:
            nonlocal loads, busy
            with w.page.expect_navigation(timeout=180_000):
                action()
            # A busy page reloads itself every 2 s until the warehouse is free.
            if w.page.locator("h1").inner_text() == BUSY_HEADING:
                busy += 1
                w.shot("busy")
                deadline = time.monotonic() + 180
                while time.monotonic() < deadline:  # (the page's CSP forbids eval'd waits)
                    w.page.wait_for_timeout(500)
                    w.page.wait_for_load_state()
                    heading = w.page.locator("h1")
                    if heading.count() == 1 and heading.inner_text() != BUSY_HEADING:
                        break
                else:
                    raise AssertionError("the busy page never turned into the page")
            loads += 1

        while any(p.poll() is None for p in ingests) or loads < 10:
            visit(lambda: w.page.goto(base + "/"))
            speaker = w.page.locator("#speakers a[href^='/speakers/']")
            if speaker.count():
                visit(speaker.first.click)
                claim = w.page.locator("#latest a.claim-link")
                if claim.count():
                    visit(claim.first.click)
                    spread = w.page.locator("#claims a.spread-link")
                    if spread.count():
                        visit(spread.first.click)
            visit(lambda: w.page.goto(base + "/claims?type=direct"))
        wait_for_exit(ingests, 600)
        outputs = [p.communicate(timeout=60) for p in ingests]
        for p, (out, err) in zip(ingests, outputs, strict=True):
            assert p.returncode == 0, out + err
        with duckdb.connect(str(db), read_only=True) as con:
            articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        w.page.goto(base + "/")
        assert f"{articles:,}\narticles" in w.page.locator(".stats").inner_text()
        assert articles == len(__import__("demosite").articles())
        # Only the busy pages' own 503 answers may show up as console errors.
        assert [e for e in w.errors if "status of 503" not in e] == []
        assert w.dialogs == []
        print(f"{loads} page loads while ingesting, {busy} of them waited for the warehouse")
        assert loads >= 10
