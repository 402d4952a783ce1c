#!/usr/bin/env python3
"""Full newsweb ingest vs the bare parts, measured side by side in one run.

    uv run python bench/newsweb_ingest.py [--root ../shared/data/newsweb] [--workers N]

1. pipeline: the real `ingest` Prefect flow (poll 312 feeds -> fetch 412 pages -> clean ->
   claims + entities -> DuckDB) into a fresh file, against newsweb's serve.py on loopback;
2. rerun: the same flow again on the unchanged site (every feed should answer 304);
3. bare: one loop of httpx GET + trafilatura.extract(include_comments=False) + the spaCy
   pipeline with our claim/entity rules over the same page URLs, no Prefect and no database,
   in one process, and split over all cores (one loop per core, model loaded in each).
Prints a Markdown table; pages/s are over wall time of each part.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.newsweb_server import DEFAULT_ROOT, served  # noqa: E402


def _bare_trafilatura(urls: list[str]) -> int:
    """GET + trafilatura only (the cleaning part alone), one process."""
    import httpx
    import trafilatura

    words = 0
    with httpx.Client() as client:
        for url in urls:
            html = client.get(url).text
            words += len((trafilatura.extract(html, url=url, include_comments=False) or "").split())
    return words


def _bare_chunk(urls: list[str]) -> int:
    """The bare parts in one loop: GET, trafilatura, then the spaCy pipeline with our claim
    and entity rules over the English texts. Returns words of extracted text."""
    import httpx
    import trafilatura

    from extractors.analysis import analyse
    from extractors.language import decide_language, language_from_markup
    from extractors.nlp import load_nlp

    nlp = load_nlp()
    words = 0
    items = []
    with httpx.Client() as client:
        for url in urls:
            html = client.get(url).text
            text = trafilatura.extract(html, url=url, include_comments=False) or ""
            words += len(text.split())
            lang = decide_language(text, language_from_markup(html[:20000])).language
            items.append((url, text, lang))
    for _ in analyse(nlp, items):
        pass
    return words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--root", default=str(DEFAULT_ROOT))
    ap.add_argument("--workers", type=int, default=0)
    args = ap.parse_args()
    root = Path(args.root)

    from flows.feeds_config import load_feeds_file
    from flows.fetcher import FetchSettings
    from flows.ingest import ingest
    from flows.settings import Settings

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with served(root) as base:
        host = base.split("//")[1]
        tmp = Path(tempfile.mkdtemp(prefix="mediamon-bench-"))
        opml = tmp / "index.opml"
        opml.write_text((root / "feeds" / "index.opml").read_text().replace("{HOST}", host))
        feeds = load_feeds_file(opml)
        settings = Settings(
            db=tmp / "bench.duckdb", workers=args.workers,
            fetch=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"})),
        )  # fmt: skip
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            ingest(feeds=[], only_these_feeds=True, settings=Settings(db=tmp / "warm.duckdb"))
            t0 = time.perf_counter()
            first = ingest(feeds=feeds, only_these_feeds=True, settings=settings)
            t_first = time.perf_counter() - t0
            peak_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            peak_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            t0 = time.perf_counter()
            second = ingest(feeds=feeds, only_these_feeds=True, settings=settings)
            t_second = time.perf_counter() - t0

        import duckdb

        with duckdb.connect(str(settings.db), read_only=True) as con:
            urls = [r[0] for r in con.execute("SELECT url FROM pages ORDER BY url").fetchall()]
            words = con.execute("SELECT sum(word_count) FROM articles").fetchall()[0][0]
        n = len(urls)

        t0 = time.perf_counter()
        traf_words = _bare_trafilatura(urls)
        t_traf = time.perf_counter() - t0
        t0 = time.perf_counter()
        bare_words = _bare_chunk(urls)
        t_bare1 = time.perf_counter() - t0
        workers = args.workers or os.cpu_count() or 1
        chunks = [urls[i::workers] for i in range(workers)]
        t0 = time.perf_counter()
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            list(pool.map(_bare_chunk, chunks))
        t_bare_n = time.perf_counter() - t0

    print(f"newsweb: {n} pages, {len(feeds)} feeds; machine: {os.cpu_count()} cores; "
          f"load before: {load_before}\n")  # fmt: skip
    print("| part | wall s | pages/s | words/s | notes |")
    print("|---|---|---|---|---|")
    print(
        f"| pipeline: ingest flow (poll+fetch+clean+load) | {t_first:.1f} | {n / t_first:.1f} "
        f"| {words / t_first:,.0f} "
        f"| {first['articles_new']} articles, {first['failures']} failures |"
    )
    print(
        f"| bare: httpx + trafilatura only, 1 process | {t_traf:.1f} | {n / t_traf:.1f} "
        f"| {traf_words / t_traf:,.0f} | cleaning alone, no NLP |"
    )
    print(
        f"| bare: httpx + trafilatura + spaCy, 1 process | {t_bare1:.1f} | {n / t_bare1:.1f} "
        f"| {bare_words / t_bare1:,.0f} | |"
    )
    print(
        f"| bare: same, {workers} processes | {t_bare_n:.1f} | {n / t_bare_n:.1f} "
        f"| {bare_words / t_bare_n:,.0f} | |"
    )
    print(
        f"| rerun on unchanged site (flow) | {t_second:.2f} | | | "
        f"{second['feeds_not_modified']}/{second['feeds_polled']} feeds 304, "
        f"{second['pages_fetched']} pages fetched |"
    )
    print(
        f"\npeak RSS during the ingest: flow process {peak_main:.0f} MB, "
        f"largest worker process {peak_worker:.0f} MB"
    )
    print(
        f"\nratio pipeline / bare (1 process): {t_bare1 / t_first:.2f}; "
        f"pipeline / bare ({workers} processes): {t_bare_n / t_first:.2f}; "
        f"rerun / first run: {t_second / t_first:.1%}"
    )


if __name__ == "__main__":
    main()
