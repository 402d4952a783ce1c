#!/usr/bin/env python3
"""Clean inputs on the newsweb pages: language, publication date and outlet name, per page,
against the corpus manifest. Pure: the cleaning step over the stored page bytes (decoded by
the charset the server would send), no network, no database.

    uv run python bench/eval_inputs.py [--root ../shared/data/newsweb] [--show-disagreements]

Language, three ways, per manifest language: the detector alone on the article text, the
markup alone, and the stored decision (markup + detection, without the feed's language,
which newsweb's generated feeds copy from the manifest). Dates: source counts, plausibility
(1990-01-01 <= date <= fetch + 1 day) and agreement with the truth date (same day in the
truth's zone; same instant within 2 minutes where the truth has a time and zone). Outlets:
the page-derived name vs the manifest's publisher name (fundus pages), case/space-folded.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_ROOT = REPO.parent / "shared" / "data" / "newsweb"


def _day_and_instant(got: datetime, truth: datetime) -> tuple[bool, bool | None]:
    zone = truth.tzinfo or UTC
    day_ok = got.astimezone(zone).date() == truth.date()
    has_time = truth.tzinfo is not None and (truth.hour, truth.minute) != (0, 0)
    instant_ok = abs((got - truth).total_seconds()) <= 120 if has_time else None
    return day_ok, instant_ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--root", default=str(DEFAULT_ROOT))
    ap.add_argument("--show-disagreements", action="store_true")
    args = ap.parse_args()
    root = Path(args.root)

    from extractors.charset import charset_from_content_type, decode
    from extractors.clean import ExtractionError, PageInput, clean_page
    from extractors.dates import plausible
    from extractors.language import detect_language, language_from_markup, normalise_language

    rows = [json.loads(line) for line in (root / "manifest.jsonl").open(encoding="utf-8")]
    fetched_at = datetime.now(UTC)
    lang = defaultdict(Counter)  # manifest language -> counts
    disagreements = []
    sources, date_stats, outlet_stats = Counter(), Counter(), Counter()
    outlet_misses = []
    squash = lambda s: re.sub(r"[\W_]+", "", s or "").casefold()  # noqa: E731
    for r in rows:
        body = (root / r["path"]).read_bytes()
        ctype = f"text/html; charset={r['charset']}" if r.get("charset") else "text/html"
        page = PageInput(r["url"], r["url"], body, ctype, charset_from_content_type(ctype),
                         fetched_at)  # fmt: skip
        try:
            article = clean_page(page)
        except ExtractionError:
            lang[r["lang"]]["no article"] += 1
            continue
        want = normalise_language(r["lang"])
        html, _ = decode(body, page.header_charset)
        found = detect_language(f"{article.title or ''}\n{article.text}")
        markup = language_from_markup(html[:300_000])
        c = lang[want]
        c["pages"] += 1
        c["detector"] += bool(found and found.language == want)
        c["markup"] += markup == want
        c["stored"] += article.language == want
        if article.language != want or not found or found.language != want:
            disagreements.append((r["id"], want, markup, found, article.language,
                                  article.text[:100].replace("\n", " ")))  # fmt: skip
        sources[article.date_source] += 1
        date_stats["plausible"] += plausible(article.published_at, fetched_at)
        truth = r["truth"].get("date")
        if truth:
            t = datetime.fromisoformat(truth)
            day_ok, instant_ok = _day_and_instant(article.published_at, t)
            date_stats["with truth"] += 1
            date_stats["same day"] += day_ok
            if instant_ok is not None:
                date_stats["truth has time"] += 1
                date_stats["same instant"] += instant_ok
        if r["origin"] == "fundus" and r.get("publisher_name"):
            outlet_stats["pages"] += 1
            a, b = squash(article.outlet), squash(r["publisher_name"])
            same = a == b or a.startswith(b) or b.startswith(a)
            outlet_stats["matches publisher name"] += same
            outlet_stats["fell back to host"] += article.outlet == article.host
            if not same:
                outlet_misses.append((r["publisher_name"], article.outlet))

    print("| manifest lang | pages | detector alone | markup alone | stored decision |")
    print("|---|---|---|---|---|")
    tot = Counter()
    for code, c in sorted(lang.items(), key=lambda kv: (-kv[1]["pages"], str(kv[0]))):
        tot.update(c)
        print(f"| {code} | {c['pages']} | {c['detector']} | {c['markup']} | {c['stored']} |")
    print(f"| all | {tot['pages']} | {tot['detector']} | {tot['markup']} | {tot['stored']} |")
    print(f"\ndate sources: {dict(sources)}; plausible: {date_stats['plausible']}")
    print(f"dates vs truth: {dict(date_stats)}")
    print(f"outlets (fundus pages, no feed name): {dict(outlet_stats)}")
    if args.show_disagreements:
        print("\nlanguage disagreements (id, manifest, markup, detection, stored, text):")
        for d in disagreements:
            print("  ", d)
        print("\noutlet names differing from the manifest's publisher name:")
        for m in outlet_misses:
            print("  ", m)


if __name__ == "__main__":
    main()
