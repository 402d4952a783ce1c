"""Trends that answer: one window rule for `trends` and `claims` (back from now or --until),
one line saying why when a window is empty, and a minimum support for rising entities."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.cli.windows import empty_reason, parse_window
from flows.feeds_config import ConfigError
from warehouse import queries

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("since", "until", "start", "end", "days", "words"),
    [
        ("7d", None, NOW - timedelta(days=7), NOW, 7, "the last 7 days"),
        ("36h", None, NOW - timedelta(hours=36), NOW, 2, "the last 2 days"),
        ("2w", "2026-10-12", datetime(2026, 9, 29, tzinfo=UTC), datetime(2026, 10, 13, tzinfo=UTC),
         14, "the 14 days up to 2026-10-12"),
        ("7d", "30d", NOW - timedelta(days=37), NOW - timedelta(days=30), 7,
         "the 7 days up to 2026-11-03"),
        ("2026-11-01", None, datetime(2026, 11, 1, tzinfo=UTC), NOW, 33, "since 2026-11-01"),
        ("2026-11-01", "2026-11-07", datetime(2026, 11, 1, tzinfo=UTC),
         datetime(2026, 11, 8, tzinfo=UTC), 7, "2026-11-01 to 2026-11-07"),
        (None, None, None, NOW, None, "the warehouse"),
        (None, "2026-11-07", None, datetime(2026, 11, 8, tzinfo=UTC), None, "up to 2026-11-07"),
    ],
)  # fmt: skip
def test_parse_window(since, until, start, end, days, words) -> None:
    w = parse_window(since, until, default_days=None, now=NOW)
    assert (w.since, w.until, w.days, w.describe()) == (start, end, days, words)


def test_default_window_counts_back_from_now() -> None:
    w = parse_window(None, None, default_days=7, now=NOW)
    assert (w.since, w.until, w.last_day) == (NOW - timedelta(days=7), NOW, NOW.date())


@pytest.mark.parametrize(("since", "until"), [("yesterday", None), ("7d", "soon"),
                                              ("2026-12-01", "2026-11-01")])  # fmt: skip
def test_bad_windows_are_usage_errors(since: str, until: str | None) -> None:
    with pytest.raises(ConfigError):
        parse_window(since, until, default_days=7, now=NOW)


OLD, NEW = datetime(2026, 9, 1, 8, tzinfo=UTC), datetime(2026, 10, 12, 18, tzinfo=UTC)


@pytest.mark.parametrize(
    ("since", "until", "line"),
    [
        ("7d", None, "no articles published in the last 7 days; the newest is from 2026-10-12 "
                     "— try --since 60d or --until 2026-10-12"),
        ("30d", "2026-11-30", "no articles published in the 30 days up to 2026-11-30; the newest "
                              "is from 2026-10-12 — try --since 50d or --until 2026-10-12"),
        ("7d", "2026-08-01", "no articles published in the 7 days up to 2026-08-01; the oldest "
                             "is from 2026-09-01 — try --until 2026-09-07"),
    ],
)  # fmt: skip
def test_empty_reason_names_the_data_and_a_window_that_has_some(since, until, line) -> None:
    w = parse_window(since, until, default_days=7, now=NOW)
    assert empty_reason(w, "articles published", OLD, NEW) == line


def test_empty_reason_for_a_gap_and_an_empty_warehouse() -> None:
    w = parse_window("7d", "2026-10-01", default_days=7, now=NOW)
    assert "(the warehouse holds 2026-09-01 to 2026-10-12" in empty_reason(w, "x", OLD, NEW)
    assert empty_reason(w, "articles published", None, None) == (
        "no articles published in the warehouse yet")  # fmt: skip


def _newest_day(db: Path) -> date:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT max(day) FROM article_facts").fetchall()[0][0]


def test_trends_on_old_articles_says_why_and_what_to_try(
    demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = _newest_day(demo_warehouse)
    later = newest + timedelta(days=45)  # a window well after the newest article
    db = ["--db", str(demo_warehouse)]
    assert main(["trends", "--until", later.isoformat(), *db]) == 0
    out = capsys.readouterr().out.strip()
    m = re.fullmatch(rf"no articles published in the 7 days up to {later}; the newest is from "
                     rf"{newest} — try --since (\d+)d or --until {newest}", out)  # fmt: skip
    assert m, out
    # Both suggestions answer.
    for args in (["--since", f"{m.group(1)}d", "--until", later.isoformat()],
                 ["--until", newest.isoformat()]):  # fmt: skip
        assert main(["trends", *args, *db]) == 0
        out = capsys.readouterr().out
        assert "no articles published" not in out and "(0 rows)" not in out
        assert re.search(r"\(\d+ rows?\)", out), out


def test_rising_entities_need_two_outlets(demo_warehouse: Path, capsys) -> None:
    newest = _newest_day(demo_warehouse)
    assert main(["trends", "--until", newest.isoformat(), "--format", "csv",
                 "--db", str(demo_warehouse)]) == 0  # fmt: skip
    rising_block = capsys.readouterr().out.split("\n\n")[0].splitlines()
    table = list(csv.DictReader(rising_block[1:]))  # after the heading line
    assert table and all(int(r["outlets"]) >= queries.MIN_OUTLETS for r in table)
    # Without the floor an entity of one outlet would top the list: the floor is what keeps
    # a single article from ranking first.
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        loose = queries.rising_entities(con, 7, 28, last_day=newest, min_outlets=1).fetchall()
        strict = queries.rising_entities(con, 7, 28, last_day=newest).fetchall()
        view = con.execute("SELECT min(outlets_7d) FROM rising_entities").fetchall()[0][0]
    assert loose[0][3] == 1 and strict and all(r[3] >= 2 for r in strict)
    assert view >= queries.MIN_OUTLETS


def test_claims_since_counts_back_from_until_and_explains_an_empty_window(
    demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = _newest_day(demo_warehouse)
    later = newest + timedelta(days=45)
    db = ["--db", str(demo_warehouse)]
    assert main(["claims", "--speaker", "Interfax", "--since", "7d", "--until",
                 later.isoformat(), *db]) == 0  # fmt: skip
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"no claims by 'Interfax' in the 7 days up to {later}; the newest is "
                          "from "), out  # fmt: skip
    day = out.rsplit("--until ", 1)[1]
    assert main(["claims", "--speaker", "Interfax", "--since", "1d", "--until", day, *db]) == 0
    assert "Interfax" in capsys.readouterr().out
    assert main(["claims", "--speaker", "Nobody Atall", *db]) == 0
    assert capsys.readouterr().out.startswith("no claims by 'Nobody Atall' in the warehouse")
    assert main(["claims", "--speaker", "Interfax", "--since", "soon", *db]) == 2
