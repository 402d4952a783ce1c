"""The command line as a user runs it: read-only analysis commands on a real warehouse,
`extract` over JSON lines, ad-hoc URL ingestion and backfill against the demo site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import demosite
from flows.cli import main, parse_since
from tests.conftest import REPO

PASSAGE = (
    '"Director of the National Security Office Ivan Petrenko has stated that the rebels receive '
    'weapons through the northern corridor," the statement said, the Interfax agency reported. '
    "According to the security office, the convoys cross the border at night. "
    '"They are escorted by foreign advisers," the office said. The NSO noted that the deliveries '
    "had doubled since March. They warned that new attacks were being planned in Kharkiv and Odesa."
)
# The demo's articles carry fixed dates: windows end at its newest day, not at today.
DEMO_NEWEST_DAY = max(a["published"] for a in demosite.articles())[:10]


def test_trends_claims_and_export(demo_warehouse: Path, tmp_path: Path, capsys) -> None:
    db = ["--db", str(demo_warehouse)]
    assert main(["trends", *db, "--until", DEMO_NEWEST_DAY, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "rising entities" in out and "most-quoted speakers" in out
    assert main(["trends", *db, "--kind", "person", "--limit", "3"]) == 0
    capsys.readouterr()
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        speaker = con.execute(
            "SELECT speaker_canonical FROM claims WHERE speaker_kind = 'person' "
            "AND speaker_canonical IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchall()[0][0]
    assert main(["claims", "--speaker", speaker, *db, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["speaker"] == speaker and r["link"].startswith("http") for r in rows)
    assert all(r["rule"] for r in rows)  # every claim names the rule that made it
    assert main(["export", str(tmp_path / "out"), *db]) == 0
    capsys.readouterr()
    claims = duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'out' / 'claims.parquet'}'").fetchall()
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        assert claims == con.execute("SELECT count(*) FROM claims").fetchall()
    assert main(["export", str(tmp_path / "csv"), *db, "--format", "csv"]) == 0
    assert (tmp_path / "csv" / "articles.csv").stat().st_size > 1000


def test_extract_reads_and_writes_json_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "p1", "text": PASSAGE})
        + "\n"
        + "not json\n"
        + json.dumps(
            {"id": "de", "text": "Der Minister sagte, dass alles gut sei.", "language": "de"}
        )
        + "\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "extract", str(src)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    first = lines[0]
    assert first["id"] == "p1" and len(first["claims"]) == 5
    c0 = first["claims"][0]
    for key in ("speaker", "speaker_canonical", "speaker_kind", "cue", "cue_lemma", "content",
                "quote_type", "via", "content_start", "content_end", "speaker_start",
                "speaker_end"):  # fmt: skip
        assert key in c0
    assert PASSAGE[c0["content_start"] : c0["content_end"]] == c0["content"]
    ents = {e["canonical"] for e in first["entities"]}
    assert {"Ivan Petrenko", "Interfax", "Kharkiv", "Odesa"} <= ents
    assert "error" in lines[1]  # a bad line is reported, not fatal


def test_ingest_url_and_backfill(demo_site, tmp_path: Path, capsys) -> None:
    db = ["--db", str(tmp_path / "adhoc.duckdb"), "--allow-private", "127.0.0.1", "-q"]
    article = demosite.articles()[3]
    url = demo_site.base_url + article["path"]
    assert main(["ingest-url", url, *db]) == 0
    assert "1 new, 1 in the warehouse" in capsys.readouterr().out
    feeds = tmp_path / "feeds.toml"
    feed = demo_site.feeds()[0]
    feeds.write_text(f'[[feed]]\nurl = "{feed["url"]}"\noutlet = "{feed["name"]}"\n')
    assert main(["ingest", "--feeds", str(feeds), *db]) == 0
    capsys.readouterr()
    demo_site.reset_stats()
    assert main(["backfill", "--feeds", str(feeds), *db]) == 0
    out = capsys.readouterr().out
    assert "0 not modified" in out and "pages fetched    0" in out
    stats = demo_site.stats()
    assert stats["by_status"].get("200", 0) >= 1 and "304" not in stats["by_status"]


def test_errors_are_clear(tmp_path: Path, capsys) -> None:
    assert main(["sql", "SELECT 1", "--db", str(tmp_path / "missing.duckdb")]) == 1
    assert "no warehouse at" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nurl = "ftp://x"\n')
    assert main(["ingest", "--feeds", str(bad), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "must be an http(s) URL" in capsys.readouterr().err
    with pytest.raises(Exception, match="--since"):
        parse_since("yesterday-ish")
