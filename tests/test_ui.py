"""`mediamon ui` without a browser: the pieces (highlighting, charts, parameters) and the
real server, started by the real command, over real HTTP on the demo warehouse."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import httpx
import pytest

from flows.ui import charts, highlight, params
from tests.conftest import REPO
from tests.ui_helpers import FORMULA, plant_hostile_article, stop, ui_server

# ------------------------------------------------------------------------------ highlight


class _Balance(HTMLParser):
    """Checks that tags nest properly and collects the text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.stack.append(tag)
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Balance:
    p = _Balance()
    p.feed(html)
    p.close()
    assert p.stack == []
    return p


def S(start: int, end: int, kind: str, tag: str | None = None, href: str | None = None,
      no: int | None = None) -> highlight.Span:  # fmt: skip
    return highlight.Span(start, end, kind, f"{kind} {start}-{end}", tag, href, no)


@pytest.mark.parametrize(
    "spans",
    [
        [S(0, 10, "content", no=1), S(2, 5, "entity", "ORG", "/entities/x")],  # inside
        [S(0, 6, "speaker"), S(4, 12, "content", no=1)],  # crossing
        [
            S(3, 9, "entity", "GPE", "/entities/y"),
            S(0, 5, "content", no=1),
            S(7, 14, "cue"),
        ],  # crossing both ways
        [S(0, 14, "content", no=1), S(0, 14, "entity", "X", "/entities/z")],  # identical
        [S(5, 5, "cue"), S(-4, 3, "speaker"), S(12, 99, "entity", "X", "/e")],  # clipped/empty
    ],
    ids=["inside", "crossing", "two-crossings", "identical", "out-of-range"],
)
def test_highlight_nests_properly_and_keeps_the_text(spans: list[highlight.Span]) -> None:
    text = 'Kyiv <said> & "Moscow" warned'[:14]
    html = str(highlight.render(text, spans))
    parsed = _parse(html)
    # Every character of the text is there once, in order (tags and labels aside).
    visible = "".join(parsed.text)
    labels = {s.tag for s in spans if s.tag} | {str(s.claim_no) for s in spans if s.claim_no}
    for label in labels:
        visible = visible.replace(label, "")
    assert visible == text
    assert "<said" not in html and "&lt;" in html and "&amp;" in html


def test_highlight_escapes_everything_from_the_warehouse() -> None:
    text = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'
    spans = [highlight.Span(0, 8, "entity", '"><b onclick=x>', "<i>", '/entities/"><x')]
    html = str(highlight.render(text, spans))
    parsed = _parse(html)
    assert {t for t, _ in parsed.tags} <= {"a", "span", "mark", "sup"}
    assert all(not k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    # The hostile values arrive intact as attribute values and text, never as markup.
    assert parsed.tags[0][1]["title"] == '"><b onclick=x>'
    assert parsed.tags[0][1]["href"] == '/entities/"><x'
    assert "".join(parsed.text) == text[:8] + "<i>" + text[8:]


@pytest.mark.parametrize(
    ("text", "cue", "speaker", "content", "expected"),
    [
        ('"We will stay," the minister said on Monday.', "said", (16, 28), (1, 14), (29, 33)),
        ('The ministry warned that "said" words matter.', "warned", (0, 12), (25, 45), (13, 19)),
        ("Said Ali said the plan said nothing.", "said", (0, 8), (14, 35), (9, 13)),
        ("According to Reuters, prices rose.", "according to", (13, 20), (22, 33), (0, 12)),
        ("Nothing here matches.", "told", (0, 7), (8, 20), None),
    ],
    ids=["after-speaker", "inside-content-skipped", "nearest-of-three", "two-words", "absent"],
)
def test_find_cue(text, cue, speaker, content, expected) -> None:
    found = highlight.find_cue(text, cue, [content, speaker], [content])
    assert found == expected
    if found:
        assert text[found[0] : found[1]].lower() == cue.lower()


# ------------------------------------------------------------------------------ charts


def test_daily_bars_fill_missing_days_and_stack_copies() -> None:
    start = date(2026, 11, 1)
    values = {start: (3, 1), start + timedelta(days=4): (0, 2)}
    c = charts.daily_bars(values, start, start + timedelta(days=6), "articles", "copies")
    assert c.total == 6 and not c.empty
    assert len(c.bars) == 3  # day 1: main + extra, day 5: extra only
    assert {b.part for b in c.bars} == {"main", "extra"}
    assert all(b.h > 0 and b.y + b.h <= c.baseline + 1e-6 for b in c.bars)
    assert c.y_ticks[0].label == "0" and c.y_ticks[-1].label == "4"
    assert "2026-11-01: 3 articles, 1 copies" in {b.title for b in c.bars}
    assert charts.daily_bars({}, start, start, "x").empty


@pytest.mark.parametrize(("top", "step"), [(0, 1), (3, 1), (9, 5), (40, 10), (1234, 500)])
def test_nice_step(top: int, step: int) -> None:
    assert charts.nice_step(top) == step


def test_spread_timeline_marks_copies_clusters_and_first() -> None:
    t = datetime(2026, 11, 18, 10, tzinfo=UTC)
    rows = [
        {"ts": t, "outlet": "A", "is_copy": False, "cluster": "c1", "title": "a", "href": "/a"},
        {"ts": t + timedelta(hours=3), "outlet": "B", "is_copy": True, "cluster": "c1",
         "title": "b", "href": "/b"},
        {"ts": t + timedelta(hours=5), "outlet": "A", "is_copy": False, "cluster": None,
         "title": "c", "href": "/c"},
    ]  # fmt: skip
    tl = charts.spread_timeline(rows)
    assert [lane.label for lane in tl.lanes] == ["A", "B"]
    assert [d.first for d in tl.dots] == [True, False, False]
    assert tl.dots[0].colour == tl.dots[1].colour != tl.dots[2].colour
    assert tl.dots[1].copy and tl.dots[0].x < tl.dots[1].x < tl.dots[2].x
    assert tl.x_ticks and all(tl.plot_left <= x.at <= tl.plot_right for x in tl.x_ticks)


# ------------------------------------------------------------------------------ parameters


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://news.example/a?b=1", True), ("http://127.0.0.1:8478/x", True),
        ("javascript:alert(1)", False), ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False), ("java\tscript:alert(1)", False),
        ("data:text/html,<script>", False), ("//evil.example/x", False), ("/relative", False),
        ("https://", False), ("vbscript:x", False), ("https://a.example/\nb", False), (None, False),
    ],
)  # fmt: skip
def test_only_http_urls_become_links(url: str | None, ok: bool) -> None:
    assert params.is_web_url(url) is ok


def test_claim_filter_parsing() -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    f = params.claim_filter({"q": " cease ", "since": "7d", "until": "2026-11-29",
                             "type": "direct"}, now)  # fmt: skip
    assert f.q == "cease" and f.type == "direct"
    assert f.since == now - timedelta(days=7)
    assert f.until == datetime(2026, 11, 30, tzinfo=UTC)  # the whole of the 29th
    for bad, name in [({"since": "yesterday"}, "since"), ({"type": "rumour"}, "type"),
                      ({"q": "x" * 201}, "q"), ({"speaker": "a\x00b"}, "speaker"),
                      ({"since": "2026-11-02", "until": "2026-11-01"}, "since")]:  # fmt: skip
        with pytest.raises(params.BadParameter, match=rf"^{name}:"):
            params.claim_filter(bad, now)
    with pytest.raises(params.BadParameter, match=r"^page:"):
        params.page_paging({"page": "0"})
    with pytest.raises(params.BadParameter, match=r"^days:"):
        params.window_days({"days": "7"})


# ------------------------------------------------------------------------------ the server


@pytest.fixture(scope="module")
def ui(demo_warehouse: Path):
    with ui_server(demo_warehouse) as (_proc, base):
        yield base


def _interfax_claims(db: Path) -> set[str]:
    """The demo's claims by Interfax, by any name: canonical name, alias, or as written."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute("""
            SELECT c.claim_id FROM claims c
            LEFT JOIN entities e ON e.entity_id = c.speaker_entity_id
            WHERE lower(e.canonical_name) = 'interfax'
               OR list_contains(list_transform(e.aliases, lambda x: lower(x)), 'interfax')
               OR lower(c.speaker_canonical) = 'interfax' OR lower(c.speaker) LIKE '%interfax%'
        """).fetchall()}  # fmt: skip


def test_overview_answers_with_the_demo(ui: str, demo_warehouse: Path) -> None:
    r = httpx.get(ui + "/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        articles, claims = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM claims)"
        ).fetchall()[0]  # fmt: skip
    assert f"<b>{articles:,}</b><span>articles" in r.text
    assert f"<b>{claims:,}</b><span>claims" in r.text
    assert r.text.count('<rect class="bar') >= 10  # the daily charts are drawn
    assert "script-src" not in r.headers["content-security-policy"]  # none allowed at all
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "<script" not in r.text


def test_claims_by_interfax_page_api_and_cli_agree(ui: str, demo_warehouse: Path) -> None:
    expected = _interfax_claims(demo_warehouse)
    assert expected, "the demo quotes Interfax"
    api = httpx.get(ui + "/api/claims", params={"speaker": "Interfax", "limit": 500}).json()
    assert {c["claim_id"] for c in api["claims"]} == expected
    assert api["filters"] == {"speaker": "Interfax"}
    page = httpx.get(ui + "/claims", params={"speaker": "Interfax"}).text
    for c in api["claims"]:
        assert f"#claim-{c['claim_id']}" in page
    # What `mediamon claims --speaker Interfax` prints is among them.
    cli = subprocess.run([sys.executable, "-m", "flows.cli", "claims", "--speaker", "Interfax",
                          "--db", str(demo_warehouse), "--format", "json"],
                         cwd=REPO, capture_output=True, text=True, check=True)  # fmt: skip
    import json

    cli_contents = {c["content"] for c in json.loads(cli.stdout)}
    assert cli_contents and cli_contents <= {c["content"] for c in api["claims"]}


def test_claims_filters_paging_and_csv(ui: str, demo_warehouse: Path) -> None:
    first = httpx.get(ui + "/api/claims", params={"limit": 20}).json()
    second = httpx.get(ui + "/api/claims", params={"limit": 20, "offset": 20}).json()
    assert len(first["claims"]) == 20 and first["has_next"]
    ids = [c["claim_id"] for c in first["claims"] + second["claims"]]
    assert len(set(ids)) == len(ids)  # pages do not overlap
    times = [c["published"] for c in first["claims"] + second["claims"]]
    assert times == sorted(times, reverse=True)  # newest first
    direct = httpx.get(ui + "/api/claims", params={"type": "direct", "limit": 500}).json()
    assert direct["claims"] and {c["quote_type"] for c in direct["claims"]} == {"direct"}
    outlet = first["claims"][0]["outlet"]
    by_outlet = httpx.get(ui + "/api/claims", params={"outlet": outlet, "limit": 500}).json()
    assert {c["outlet"] for c in by_outlet["claims"]} == {outlet}
    word = httpx.get(ui + "/api/claims", params={"q": "MINISTRY", "limit": 500}).json()
    assert word["claims"] and all("ministry" in c["content"].lower() for c in word["claims"])
    r = httpx.get(ui + "/claims.csv", params={"type": "direct"})
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["claim_id"] for row in rows} == {c["claim_id"] for c in direct["claims"]}


def test_detail_pages_and_their_json(ui: str, demo_warehouse: Path) -> None:
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        speaker = con.execute(
            "SELECT speaker_entity_id FROM claims WHERE speaker_entity_id "
            "IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchall()[0][0]
        entity, mentions = con.execute(
            "SELECT entity_id, count(*) FROM mentions GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        ).fetchall()[0]
        key, outlets = con.execute(
            "SELECT content_key, outlets FROM claim_spread "
            "ORDER BY outlets DESC, articles DESC LIMIT 1"
        ).fetchall()[0]
        article, n_claims = con.execute("SELECT article_id, count(*) FROM claims GROUP BY 1 "
                                        "ORDER BY 2 DESC LIMIT 1").fetchall()[0]  # fmt: skip
    sp = httpx.get(ui + f"/api/speakers/{speaker}", params={"days": "all"}).json()
    assert sum(r["claims"] for r in sp["timeline"]) >= len(sp["claims"]) > 0
    assert httpx.get(ui + f"/speakers/{speaker}").text.count('class="bar') > 0
    ent = httpx.get(ui + f"/api/entities/{entity}/timeline", params={"days": "all"}).json()
    assert sum(r["mentions"] for r in ent) == mentions
    assert httpx.get(ui + f"/entities/{entity}").status_code == 200
    spread = httpx.get(ui + f"/api/spread/{key}").json()
    assert spread["outlets"] == outlets == len({r["outlet"] for r in spread["rows"]})
    assert httpx.get(ui + f"/spread/{key}").text.count('<circle class="dot"') == len(spread["rows"])
    art = httpx.get(ui + f"/api/articles/{article}").json()
    assert len(art["claims"]) == n_claims and art["mentions"]
    html = httpx.get(ui + f"/articles/{article}").text
    assert html.count('class="hl hl-content"') == n_claims
    assert 'class="hl hl-speaker"' in html and 'class="hl hl-entity"' in html


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("/speakers/nope", 404, "no speaker 'nope'"),
        ("/api/articles/nope", 404, "no article 'nope'"),
        ("/claims?since=soon", 400, "since: expected a date"),
        ("/api/claims?limit=9999", 400, "limit: a whole number"),
        ("/entities/x?days=7", 400, "days: one of"),
        ("/no/such/page", 404, "no such page"),
    ],
)
def test_bad_requests_get_one_line_answers(ui: str, path: str, status: int, fragment: str) -> None:
    r = httpx.get(ui + path)
    assert r.status_code == status
    assert fragment in (r.json()["error"] if path.startswith("/api") else unescape(r.text))
    assert "Traceback" not in r.text


def test_read_only_and_loopback_only(ui: str) -> None:
    assert httpx.post(ui + "/claims", data={"q": "x"}).status_code == 405
    assert httpx.delete(ui + "/api/claims").status_code == 405
    # A page elsewhere that rebinds its name to 127.0.0.1 is still refused (Host check).
    assert httpx.get(ui + "/", headers={"Host": "evil.example"}).status_code == 400


def test_busy_warehouse_shows_retrying_page_then_recovers(demo_warehouse: Path,
                                                          tmp_path: Path) -> None:  # fmt: skip
    db = tmp_path / "busy.duckdb"
    shutil.copy(demo_warehouse, db)
    from flows.ui import access

    with ui_server(db) as (_proc, base):
        writer = duckdb.connect(str(db))  # an ingest holding the write lock
        try:
            r = httpx.get(base + "/", timeout=60)
            assert r.status_code == 503 and r.headers["retry-after"] == "2"
            assert "Warehouse busy, retrying" in r.text
            assert '<meta http-equiv="refresh" content="2">' in r.text
            assert r.elapsed.total_seconds() >= access.WAIT_S * 0.9  # it waited first
            api = httpx.get(base + "/api/claims", timeout=60)
            assert api.status_code == 503 and api.json() == {"error": "warehouse busy, retrying"}
        finally:
            writer.close()
        assert httpx.get(base + "/").status_code == 200


def test_hostile_article_is_escaped_everywhere(demo_warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "hostile.duckdb"
    shutil.copy(demo_warehouse, db)
    ids = plant_hostile_article(db)
    with ui_server(db) as (_proc, base):
        pages = ["/", "/claims", f"/articles/{ids['article']}", f"/speakers/{ids['entity']}",
                 f"/entities/{ids['entity']}", f"/spread/{ids['key']}"]  # fmt: skip
        for path in pages:
            html = httpx.get(base + path).text
            assert "<script" not in html and "<img" not in html and "<svg onload" not in html
            assert 'href="javascript:' not in html.lower()
        article = httpx.get(base + f"/articles/{ids['article']}").text
        assert "&lt;script&gt;" in article and "&#34;&gt;&lt;img" in article
        # A spreadsheet would run a cell starting with "=": the CSV defuses it.
        csv_text = httpx.get(base + "/claims.csv", params={"speaker_id": ids["entity"]}).text
        (row,) = list(csv.DictReader(io.StringIO(csv_text)))
        assert row["cue"] == "'" + FORMULA and row["speaker"].startswith("Minister")
        data = httpx.get(base + f"/api/articles/{ids['article']}").json()
        assert data["article"]["title"].startswith("Title <script>")  # JSON keeps the data


def test_ui_command_errors_and_ctrl_c(demo_warehouse: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flows.cli", "ui", *args], cwd=REPO,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    missing = run("--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 2 and "no warehouse at" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    bad = run("--db", str(junk))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert run("--db", str(demo_warehouse), "--port", "70000").returncode == 2
    with ui_server(demo_warehouse) as (proc, base):
        assert base.startswith("http://127.0.0.1:")
        assert httpx.get(base + "/").status_code == 200
        taken = run("--db", str(demo_warehouse), "--port", base.rsplit(":", 1)[1])
        assert taken.returncode == 1 and "pick another --port" in taken.stderr
        code, err = stop(proc)
    assert code == 130 and err.strip() == ""


def test_pages_follow_every_write(demo_warehouse: Path, tmp_path: Path) -> None:
    """Pages are kept between requests only while the warehouse is unchanged: a commit by
    another process shows at the next request."""
    db = tmp_path / "live.duckdb"
    shutil.copy(demo_warehouse, db)
    with ui_server(db) as (_proc, base):
        before = httpx.get(base + "/api/overview").json()["totals"]
        assert httpx.get(base + "/api/overview").json()["totals"] == before  # (from memory)
        with duckdb.connect(str(db)) as con:
            con.execute("INSERT INTO outlets VALUES ('Brand New Outlet', 'GB', 'en', [], now())")
        after = httpx.get(base + "/api/overview").json()["totals"]
        assert after["outlets"] == before["outlets"] + 1
        assert "Brand New Outlet" in httpx.get(base + "/claims").text  # the filter's outlets
