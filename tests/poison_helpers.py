"""Pages for the poison-page tests, and a worker function that dies on one item (importable
by spawned worker processes)."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime

from extractors.clean import PageInput

BIG_TEXT_CHARS = 2_100_000  # over spaCy's limit (2,000,000 here), far under the 10 MB body cap

ARTICLES = [
    ("Minister speaks", '"Talks will resume next week," the minister said on Tuesday, Interfax '
     "reported. The ministry added that the delegation would travel to Geneva."),
    ("Port strike", "Dock workers walked out at the northern port on Monday. \"We will stay out "
     'until the contract is signed," the union leader told reporters.'),
    ("Flood warning", "The weather office issued a flood warning for the river valley. Officials "
     "said that evacuation centres had been opened in three towns."),
    ("Budget vote", "Parliament approved the budget by a narrow margin. The finance minister said "
     "the vote showed that the coalition remained united."),
]  # fmt: skip


def article_html(title: str, text: str) -> bytes:
    filler = (
        "<p>Officials from both sides confirmed the schedule and said that preparations were "
        "under way for a longer round of negotiations later in the month.</p>"
    )
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p>{filler}</article></body></html>"
    ).encode()


def big_html(chars: int = BIG_TEXT_CHARS) -> bytes:
    """An article page with `chars` characters of text in distinct paragraphs."""
    paras, size, n = [], 0, 0
    while size < chars:
        p = (
            f"Paragraph {n}: the regional council met on day {n} and its spokesperson said "
            f"that the budget for item {n} would rise by {n % 97} percent next year."
        )
        paras.append(f"<p>{p}</p>")
        size += len(p) + 1
        n += 1
    body = "".join(paras)
    return f"<html><head><title>Huge report</title></head><body><article><h1>Huge report</h1>{body}</article></body></html>".encode()  # noqa: E501


def slow_html(elements: int = 300_000) -> bytes:
    """A page of many small elements (8 MB at 300,000): trafilatura needs ~75 s of CPU for
    it, against 5-40 ms for a normal article."""
    return b"<html><body>" + b"<div><span>a</span> b</div>" * elements + b"</body></html>"


def page(url: str, body: bytes) -> PageInput:
    return PageInput(
        url=url, final_url=url, body=body, content_type="text/html; charset=utf-8",
        header_charset="utf-8", fetched_at=datetime.now(UTC),
    )  # fmt: skip


def die_on_poison(items: list[str]) -> list[str]:
    """A worker function: ends its own process on the item "poison" (like an out-of-memory
    kill), echoes the others."""
    if "poison" in items:
        os._exit(1)
    return [f"done {item}" for item in items]


def hang_on_poison(items: list[str]) -> list[str]:
    """A worker function: blocks for good on the item "poison" (stuck where no time limit of
    its own reaches, using no CPU), echoes the others."""
    if "poison" in items:
        threading.Event().wait()
    return [f"done {item}" for item in items]


def nap(seconds: float) -> float:
    """A worker function that takes `seconds` of wall time."""
    time.sleep(seconds)
    return seconds
