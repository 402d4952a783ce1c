"""Article language: the page's own markup first, then the feed's, then a stopword guess.

The guess only needs to separate English (which gets claims and entities) from everything
else reliably; for other languages it is a best effort over common European languages."""

from __future__ import annotations

import re

_HTML_LANG = re.compile(
    r"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?""", re.I
)
_META_LANG = re.compile(
    r"""<meta[^>]+(?:http-equiv=["']content-language["']|property=["']og:locale["'])"""
    r"""[^>]*content=["']([A-Za-z]{2,3})""",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "that",
            "for",
            "it",
            "was",
            "on",
            "with",
            "as",
            "by",
            "he",
            "said",
            "at",
            "from",
            "his",
            "are",
            "have",
            "be",
            "this",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "und",
            "in",
            "den",
            "von",
            "zu",
            "das",
            "mit",
            "sich",
            "des",
            "auf",
            "für",
            "ist",
            "im",
            "dem",
            "nicht",
            "ein",
            "eine",
            "als",
            "auch",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "de",
            "des",
            "et",
            "en",
            "un",
            "une",
            "du",
            "est",
            "que",
            "qui",
            "dans",
            "pour",
            "pas",
            "sur",
            "au",
            "par",
            "avec",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "de",
            "que",
            "y",
            "en",
            "los",
            "del",
            "se",
            "las",
            "por",
            "un",
            "para",
            "con",
            "una",
            "su",
            "al",
            "lo",
            "como",
            "más",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "di",
            "che",
            "e",
            "la",
            "per",
            "un",
            "in",
            "è",
            "del",
            "una",
            "non",
            "sono",
            "le",
            "con",
            "da",
            "della",
            "al",
            "si",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "de",
            "a",
            "que",
            "e",
            "do",
            "da",
            "em",
            "um",
            "para",
            "com",
            "não",
            "uma",
            "os",
            "no",
            "se",
            "na",
            "por",
            "mais",
            "as",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "in",
            "is",
            "dat",
            "op",
            "te",
            "zijn",
            "met",
            "voor",
            "niet",
            "aan",
            "er",
            "ook",
            "als",
        ]
    ),
    "sv": frozenset(
        [
            "och",
            "i",
            "att",
            "det",
            "som",
            "en",
            "på",
            "är",
            "av",
            "för",
            "med",
            "till",
            "den",
            "har",
            "inte",
            "om",
            "ett",
        ]
    ),
    "da": frozenset(
        [
            "og",
            "i",
            "at",
            "det",
            "er",
            "en",
            "til",
            "på",
            "som",
            "de",
            "med",
            "for",
            "af",
            "ikke",
            "der",
            "har",
            "et",
        ]
    ),
    "pl": frozenset(
        [
            "i",
            "w",
            "na",
            "z",
            "się",
            "nie",
            "do",
            "to",
            "że",
            "jest",
            "o",
            "jak",
            "po",
            "a",
            "co",
            "przez",
            "od",
        ]
    ),
    "tr": frozenset(
        [
            "ve",
            "bir",
            "bu",
            "da",
            "de",
            "için",
            "ile",
            "olarak",
            "çok",
            "daha",
            "gibi",
            "olan",
            "ne",
            "ama",
        ]
    ),
    "cs": frozenset(
        [
            "a",
            "v",
            "se",
            "na",
            "je",
            "že",
            "s",
            "z",
            "do",
            "to",
            "o",
            "jako",
            "ve",
            "by",
            "k",
            "pro",
        ]
    ),
}


def language_from_markup(html_head: str) -> str | None:
    """The language a page declares (<html lang>, content-language, og:locale)."""
    m = _HTML_LANG.search(html_head) or _META_LANG.search(html_head)
    return m.group(1).lower() if m else None


def guess_language(text: str) -> str | None:
    """Stopword vote over the first few thousand words; None when nothing is convincing."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < 5:
        return None
    scores = {lang: sum(w in sw for w in words) for lang, sw in _STOPWORDS.items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best >= max(2, len(words) * 0.05) else None
