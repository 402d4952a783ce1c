"""Every bad input of issue 10 as a user meets it: a real `python -m flows.cli` process, the
documented exit status (2 for a wrong file, argument or setting; 1 when the run could not do
its job), exactly one line on stderr saying what is wrong, and never a traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.records import FeedSpec
from tests.conftest import REPO
from warehouse import load
from warehouse.db import Warehouse

GOOD_LINE = json.dumps({"id": "good", "text": '"Talks will resume," the ministry said.'})


def run(args: list[str], env: dict[str, str] | None = None, tmp: Path | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess:  # fmt: skip
    full_env = {**os.environ, **(env or {})}
    if tmp is not None:  # a cold Prefect home per test, as a new user has
        full_env.setdefault("PREFECT_HOME", str(tmp / "prefect-home"))
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=REPO, env=full_env, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def one_line(proc: subprocess.CompletedProcess, code: int, pattern: str) -> str:
    """The process exited with `code`, wrote one stderr line matching `pattern`, and no
    traceback anywhere."""
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-2000:]
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert proc.returncode == code, (proc.returncode, proc.stderr[-2000:])
    assert len(lines) == 1, proc.stderr[-2000:]
    assert re.search(pattern, lines[0]), lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bad")
    feed = '[[feed]]\nurl = "https://x.example/rss"\n'
    (d / "name.toml").write_text(feed + "name = 1\n")
    (d / "interval.toml").write_text(feed + 'min_interval_s = "soon"\n')
    (d / "tags.toml").write_text(feed + 'tags = "breaking"\n')
    (d / "unknown.toml").write_text(feed + 'colour = "blue"\n')
    (d / "outlet.toml").write_text('outlet = "Harbour Gazette"\n')
    (d / "feeds-str.toml").write_text('[[outlet]]\nname = "H"\nfeeds = "https://x.example"\n')
    (d / "broken.toml").write_text("[[feed]\nurl = \n")
    (d / "latin1.toml").write_bytes((feed + 'name = "Café"\n').encode("latin-1"))
    deep = 50_000
    (d / "deep.opml").write_text(
        "<opml><body>" + '<outline text="a">' * deep + "</outline>" * deep + "</body></opml>"
    )
    (d / "deep-feed.opml").write_text(
        "<opml><body>" + "".join(f'<outline text="f{i}">' for i in range(deep))
        + '<outline text="Bottom" xmlUrl="https://bottom.example/rss"/>'
        + "</outline>" * deep + "</body></opml>"
    )  # fmt: skip
    (d / "latin1.jsonl").write_bytes('{"id": "1", "text": "Le café a dit."}\n'.encode("latin-1"))
    (d / "a-file").write_text("I am a file\n")
    return d


WRONG_FILES = [
    (["feeds", "import", "{d}/name.toml"], r"feed #1: `name` must be a string, got a number 1"),
    (["feeds", "import", "{d}/interval.toml"], r"`min_interval_s` must be a whole number.*'soon'"),
    (["feeds", "import", "{d}/tags.toml"], r"`tags` must be a list of strings.*'breaking'"),
    (["feeds", "import", "{d}/unknown.toml"], r"unknown key\(s\) \['colour'\]"),
    (["feeds", "import", "{d}/outlet.toml"], r"`outlet` must be a list of tables"),
    (["feeds", "import", "{d}/feeds-str.toml"], r"`feeds` must be a list of tables"),
    (["feeds", "import", "{d}/broken.toml"], r"not valid TOML"),
    (["feeds", "import", "{d}/latin1.toml"], r"not UTF-8 text \(byte 0xe9"),
    (["feeds", "import", "{d}/deep.opml"], r"no feeds in this OPML"),
    (["feeds", "import", "{d}/missing.opml"], r"cannot read feeds file .*No such file"),
    (["ingest", "--feeds", "{d}/name.toml"], r"`name` must be a string"),
    (["backfill", "--feeds", "{d}/tags.toml"], r"`tags` must be a list of strings"),
    (["serve", "--feeds", "{d}/latin1.toml"], r"not UTF-8 text"),
    (["extract", "{d}/missing.jsonl"], r"extract: cannot read .*missing.jsonl: No such file"),
    (["extract", "{d}"], r"extract: cannot read .*: Is a directory"),
    (["export", "{d}/a-file"], r"export: .*a-file exists and is not a directory"),
]


@pytest.mark.parametrize("args, pattern", WRONG_FILES, ids=[" ".join(a) for a, _ in WRONG_FILES])
def test_wrong_files_exit_2(files: Path, args: list[str], pattern: str) -> None:
    args = [a.format(d=files) for a in args]
    one_line(run([*args, "--db", str(files / "w.duckdb")]), 2, pattern)


WRONG_ARGS = [
    (["claims", "--speaker", "x", "--limit", "-1"], r"--limit: must be 1 or more, not -1"),
    (["trends", "--limit", "0"], r"--limit: must be 1 or more"),
    (["trends", "--since", "999999999d"], r"--since 999999999d: more than 100 years back"),
    (["claims", "--speaker", "x", "--since", "yesterday-ish"], r"--since takes 7d"),
    (["ingest", "--feed", "http://"], r"--feed needs an http\(s\) URL with a host"),
    (["ingest", "--feed", "ftp://x.example/rss"], r"--feed needs an http\(s\) URL"),
    (["ingest-url", "not a url"], r"ingest-url needs an http\(s\) URL"),
    (["ingest", "--allow-private", "http://127.0.0.1"], r"not a host name or IP address"),
    (["ingest", "--workers", "0"], r"--workers: must be 1 or more"),
    (["ingest", "--workers", "257"], r"--workers: must be at most 256, not 257"),
    (["claims", "--speaker", "x", "--limit", "9" * 60], r"--limit: must be at most 1,000,000,000"),
    (["trends", "--limit", "x" * 60], r"--limit: expected a whole number, not 'x{37}\.\.\.' \(see"),
    (["demo", "--port", "70000"], r"a port is 0 to 65535"),
    (["serve", "--interval", "soon"], r"--interval: 'soon' is not a duration"),
    (["status", "--bogus"], r"unrecognized arguments: --bogus"),
    (["nonsense"], r"invalid choice: 'nonsense'"),
]


@pytest.mark.parametrize("args, pattern", WRONG_ARGS, ids=[" ".join(a) for a, _ in WRONG_ARGS])
def test_wrong_arguments_exit_2(files: Path, args: list[str], pattern: str) -> None:
    one_line(run([*args, "--db", str(files / "w.duckdb")]), 2, pattern)


BAD_SETTINGS = [
    ("MEDIAMON_WORKERS", "abc", r"MEDIAMON_WORKERS must be a whole number, not 'abc'"),
    ("MEDIAMON_HOST_INTERVALS", "x=y", r"MEDIAMON_HOST_INTERVALS: 'x=y'"),
    ("MEDIAMON_HOST_INTERVALS", "example.org", r"MEDIAMON_HOST_INTERVALS: 'example.org' is not"),
    ("MEDIAMON_CONCURRENCY", "0", r"MEDIAMON_CONCURRENCY must be 1 or more"),
    ("MEDIAMON_PER_HOST_CONCURRENCY", "two", r"MEDIAMON_PER_HOST_CONCURRENCY must be a whole"),
    ("MEDIAMON_MIN_HOST_INTERVAL_S", "soon", r"MEDIAMON_MIN_HOST_INTERVAL_S: 'soon' is not"),
    ("MEDIAMON_MIN_HOST_INTERVAL_S", "nan", r"MEDIAMON_MIN_HOST_INTERVAL_S: seconds must be"),
    ("MEDIAMON_MAX_ATTEMPTS", "-3", r"MEDIAMON_MAX_ATTEMPTS must be 1 or more"),
    ("MEDIAMON_ALLOW_PRIVATE_HOSTS", "http://127.0.0.1", r"MEDIAMON_ALLOW_PRIVATE_HOSTS: "),
    ("MEDIAMON_USER_AGENT", "bot\r\nX-Evil: 1", r"MEDIAMON_USER_AGENT must be printable ASCII"),
    # Values that parse but would overflow a pool, the clock or a column deep inside a run.
    ("MEDIAMON_WORKERS", "9" * 20, r"MEDIAMON_WORKERS must be at most 256, not 9{20}$"),
    ("MEDIAMON_CONCURRENCY", "100000", r"MEDIAMON_CONCURRENCY must be at most 1024"),
    ("MEDIAMON_PER_HOST_CONCURRENCY", "65", r"MEDIAMON_PER_HOST_CONCURRENCY must be at most 64"),
    ("MEDIAMON_MAX_ATTEMPTS", "9" * 30, r"MEDIAMON_MAX_ATTEMPTS must be at most 1000"),
    ("MEDIAMON_MIN_HOST_INTERVAL_S", "1e308", r"MEDIAMON_MIN_HOST_INTERVAL_S: at most 3600 sec"),
    ("MEDIAMON_HOST_INTERVALS", "a.org=1,b.org=86400", r"MEDIAMON_HOST_INTERVALS: 'b.org=86400'"),
    ("MEDIAMON_USER_AGENT", "bot/" + "a" * 300, r"MEDIAMON_USER_AGENT must be at most 256 char"),
    (
        "MEDIAMON_WORKERS",
        "7" * 5000,
        r"MEDIAMON_WORKERS must be a whole number, not '7{37}\.\.\.'$",
    ),
]


@pytest.mark.parametrize(
    "name, value, pattern", BAD_SETTINGS, ids=[f"{n}={v}" for n, v, _ in BAD_SETTINGS]
)
def test_bad_settings_name_the_variable(files: Path, name: str, value: str, pattern: str) -> None:
    one_line(run(["status", "--db", str(files / "w.duckdb")], env={name: value}), 2, pattern)


@pytest.mark.parametrize(
    "command", [["sql", "SELECT 1"], ["ingest", "--feed", "https://x.example/rss"],
                ["trends"], ["feeds", "list"], ["extract"], ["reextract"]],
)  # fmt: skip
@pytest.mark.parametrize("name, value", [("MEDIAMON_WORKERS", "abc"),
                                         ("MEDIAMON_HOST_INTERVALS", "x=y")])  # fmt: skip
def test_bad_settings_fail_every_command_alike(
    files: Path, command: list[str], name: str, value: str
) -> None:
    one_line(
        run([*command, "--db", str(files / "w.duckdb")], env={name: value}), 2, f"^mediamon: {name}"
    )


def test_bad_settings_stop_the_server_before_it_starts(tmp_path: Path) -> None:
    """Even a command that uses no MEDIAMON_* setting stops: the shell is wrong for the next."""
    proc = run(["server", "--port", "0"], env={"MEDIAMON_WORKERS": "abc"}, tmp=tmp_path)
    one_line(proc, 2, r"^mediamon: MEDIAMON_WORKERS must be a whole number")
    assert not (tmp_path / "prefect-home").exists()


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A real warehouse (20,000 feeds, 30,000 queued pages) and damaged copies of it."""
    d = tmp_path_factory.mktemp("damaged")
    good = d / "good.duckdb"
    with Warehouse(good).writer() as con:
        specs = [FeedSpec(url=f"https://site{i}.example/rss", outlet=f"Outlet {i % 300}")
                 for i in range(20_000)]  # fmt: skip
        load.upsert_feeds(con, specs)
        load.enqueue_urls(
            con, [f"https://s{i % 500}.example/story-{i}.html" for i in range(30_000)]
        )
    size = good.stat().st_size

    def copy(name: str) -> Path:
        p = d / f"{name}.duckdb"
        shutil.copy(good, p)
        return p

    def flip(p: Path, offsets: range | list[int]) -> None:
        with p.open("r+b") as f:
            for off in offsets:
                f.seek(off)
                b = f.read(1)
                f.seek(off)
                f.write(bytes([b[0] ^ 0x55]))

    out = {"header": copy("header"), "data": copy("data"), "truncated": copy("truncated")}
    flip(out["header"], [100])
    flip(out["data"], range(size // 2, size, 4096))
    os.truncate(out["truncated"], int(size * 0.4))
    out["not-duckdb"] = d / "text.duckdb"
    out["not-duckdb"].write_text("hello, I am not a database\n")
    return out


@pytest.mark.parametrize("kind", ["header", "data", "truncated", "not-duckdb"])
def test_damaged_warehouse_one_line_exit_1(damaged: dict[str, Path], kind: str,
                                           tmp_path: Path) -> None:  # fmt: skip
    db = str(damaged[kind])
    full_scan = run(["sql", "SELECT sum(length(url)) FROM pages", "--db", db])
    one_line(full_scan, 1, r"^mediamon: .*(Corrupt database file|not a valid DuckDB|"
                           r"Could not read enough bytes)")  # fmt: skip
    export = run(["export", str(tmp_path / "out"), "--db", db])
    one_line(export, 1, r"^mediamon: cannot (open|read) ")
    status = run(["status", "--db", db])
    if kind in ("header", "not-duckdb"):
        one_line(status, 1, r"^mediamon: cannot open ")
    else:  # the counts and small tables are intact: status shows them (and no traceback)
        assert status.returncode == 0 and "tables: outlets" in status.stdout
        assert "Traceback" not in status.stderr and status.stderr == ""


@pytest.mark.parametrize("kind", ["header", "not-duckdb"])
def test_damaged_warehouse_stops_ingest_before_any_flow(damaged: dict[str, Path], kind: str,
                                                        tmp_path: Path) -> None:  # fmt: skip
    proc = run(["ingest", "--feed", "https://x.example/rss", "-q", "--db", str(damaged[kind])],
               tmp=tmp_path)  # fmt: skip
    one_line(proc, 1, r"^mediamon: cannot open ")
    assert not (tmp_path / "prefect-home").exists()  # failed before Prefect started


@pytest.fixture(scope="module")
def flow_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """For the tests that run a real ingest flow: a Prefect home that starts cold, and room
    for Prefect's temporary API to start on a loaded machine (its default is 60 s)."""
    home = tmp_path_factory.mktemp("prefect") / "home"
    return {"PREFECT_HOME": str(home), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "240"}


def test_damaged_warehouse_under_a_running_ingest(
    damaged: dict[str, Path], tmp_path: Path, flow_env: dict[str, str]
) -> None:
    """Opening works, the damage shows mid-flow: still one line, no Prefect traceback."""
    db = tmp_path / "t.duckdb"
    shutil.copy(damaged["truncated"], db)
    proc = run(["ingest", "--feed", "http://127.0.0.1:9/rss", "-q", "--db", str(db)], flow_env)
    one_line(proc, 1, r"^mediamon: .*Could not read enough bytes")


def test_extract_keeps_its_per_line_promise(files: Path, tmp_path: Path) -> None:
    lines = [
        GOOD_LINE.encode(),
        b'{"id": "surrogate", "text": "He said \\ud800 it."}',
        b'{"id": "latin", "text": "caf\xe9"}',
        json.dumps({"id": "huge", "text": "word " * 4_000_000}).encode(),  # 20 MB line
        b"[" * 100_000,
        b"not json",
        GOOD_LINE.replace('"good"', '"good2"').encode(),
    ]
    src = tmp_path / "mixed.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    proc = run(["extract", str(src)])
    one_line(proc, 0, r"^mediamon: extract: 5 of 7 lines could not be analysed")
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["good", "surrogate", None, None, None, None, "good2"]
    assert out[0]["claims"] and out[6]["claims"]  # the good lines around them were analysed
    errors = [o.get("error", "") for o in out[1:6]]
    assert "lone surrogate" in errors[0] and "not UTF-8" in errors[1]
    assert "longer than" in errors[2] and "nested too deeply" in errors[3]
    assert "invalid JSON" in errors[4]


def test_extract_on_a_latin1_file(files: Path) -> None:
    proc = run(["extract", str(files / "latin1.jsonl")])
    one_line(proc, 2, r"1 of 1 lines could not be analysed")  # a wrong file: no line usable
    assert json.loads(proc.stdout)["error"].startswith("line 1: not UTF-8 (byte 0xe9")


def test_deep_opml_imports_its_feed(files: Path, tmp_path: Path) -> None:
    proc = run(["feeds", "import", str(files / "deep-feed.opml"), "--db", str(tmp_path / "w.db")])
    assert proc.returncode == 0 and "1 feeds read" in proc.stdout, proc.stderr[-2000:]
    assert proc.stderr == ""


def test_closed_pipe_ends_quietly(damaged: dict[str, Path], tmp_path: Path) -> None:
    good = tmp_path / "good.duckdb"
    shutil.copy(damaged["header"].with_name("good.duckdb"), good)
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "sql", "SELECT * FROM range(300000)", "--db",
         str(good), "--format", "csv"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"range"
    proc.stdout.close()  # `| head -1`
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141 and err == b""


def test_verbose_after_the_command(damaged: dict[str, Path], tmp_path: Path) -> None:
    good = damaged["header"].with_name("good.duckdb")
    for args in (["status", "-v"], ["-v", "status"], ["feeds", "list", "-v"]):
        proc = run([*args, "--db", str(good)])
        assert proc.returncode == 0 and proc.stdout, (args, proc.stderr)


def test_loopback_refusal_is_whole_and_names_the_setting(
    tmp_path: Path, flow_env: dict[str, str]
) -> None:
    proc = run(["ingest", "--feed", "http://127.0.0.1:9/feed.xml", "-q", "--db",
                str(tmp_path / "w.duckdb")], flow_env)  # fmt: skip
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    problem = next(x for x in proc.stdout.splitlines() if "refused" in x)
    assert problem.rstrip().endswith(
        "refused: 127.0.0.1 is a private, loopback or reserved address; allow it with "
        "--allow-private 127.0.0.1 or MEDIAMON_ALLOW_PRIVATE_HOSTS=127.0.0.1"
    )
    assert "allow_private_hosts" not in proc.stdout


def test_last_resort_handler_is_one_line_and_verbose_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Whatever we did not foresee: one line naming the error, the traceback only with -v."""
    from flows.cli import main, read_cmds

    def broken(args: object) -> int:
        raise KeyError("an unforeseen key")

    monkeypatch.setattr(read_cmds, "cmd_status", broken)
    assert main(["status", "--db", str(tmp_path / "w.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err == ("mediamon: internal error: KeyError: 'an unforeseen key'; "
                   "run with -v for details\n")  # fmt: skip
    assert main(["status", "-v", "--db", str(tmp_path / "w.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and err.rstrip().endswith("internal error: KeyError: "
                                                       "'an unforeseen key'")  # fmt: skip
