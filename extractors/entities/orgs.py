"""Organisations and places: the alias table, acronyms defined in the text, initials, and the
country of a place written "City, Country"."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.aliases import AliasEntry, AliasTable
from extractors.entities.model import EntMention

ACRONYM_STOPWORDS = frozenset(
    {"of", "for", "and", "the", "on", "in", "de", "du", "des", "la", "le", "&", "to", "at"}
)
ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")
_DEFINITION = re.compile(
    r"((?:[A-Z][\w'’.-]*|of|for|and|the|on|in|de|du|des|to|&)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|the|on|in|de|du|des|to|&)){1,9})"
    r"\s*\(\s*([A-Z][A-Za-z&]{1,9})\s*\)"
)
# "Kharkiv, Ukraine," / "Lyon, France on ..." : the country named after a place.
_COUNTRY_AFTER = re.compile(r",\s+([A-Z][\w .'-]{2,30}?)(?=[,.;)\n]|\s+(?:on|in|said)\b|$)")
ALIAS_KINDS = {"place": "place", "agency": "agency", "group": "group"}  # anything else: org


def initials(name: str) -> str:
    """Initials of the significant words: "National Security Office" -> "NSO"."""
    words = [w for w in name.split() if w and w.casefold() not in ACRONYM_STOPWORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@lru_cache(maxsize=8192)
def clean_surface(s: str) -> str:
    """A mention's text without a leading "the", a trailing possessive or edge punctuation."""
    s = _SPACES.sub(" ", s).strip()
    s = _LEADING_THE.sub("", s)
    s = _POSSESSIVE.sub("", s)
    return s.strip(" ,.;:")


def find_definitions(text: str) -> dict[str, str]:
    """Acronyms defined in the text: "National Security Office (NSO)" -> {"NSO": "National ..."}."""
    out: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        long_name, acr = m.group(1), m.group(2)
        words = long_name.split()
        # Keep only the trailing words whose initials spell the acronym.
        for k in range(len(words)):
            cand = " ".join(words[k:])
            if cand.split()[0].casefold() in ACRONYM_STOPWORDS:
                continue
            if initials(cand) == acr.upper().replace("&", ""):
                out[acr] = clean_surface(cand)
                break
    return out


def apply_alias(m: EntMention, e: AliasEntry) -> None:
    """Rule ``alias``: a surface in the curated table takes its canonical name and kind."""
    m.canonical, m.country_code, m.rule = e.canonical, e.country_code, "alias"
    m.kind = ALIAS_KINDS.get(e.kind, "org")
    if e.kind == "place" and m.label not in ("GPE", "LOC", "FAC", "NORP"):
        m.label = "GPE"  # a known place tagged ORG/PERSON by the model (e.g. "Kharkiv")


def resolve_org(m: EntMention, surface: str, table: AliasTable, acronyms: dict[str, str]) -> None:
    """Alias table first, then an acronym defined in this article (rule ``acronym-defined``)."""
    entry = table.lookup(surface)
    if entry is None and surface in acronyms:
        long_name = acronyms[surface]
        entry = table.lookup(long_name)
        if entry is None:
            m.canonical, m.kind, m.rule = long_name, "org", "acronym-defined"
            return
    if entry is not None:
        apply_alias(m, entry)


def resolve_acronyms_by_initials(mentions: list[EntMention], acronyms: dict[str, str]) -> None:
    """Rule ``acronym-initials``: "NSO" after "National Security Office" in the same article."""
    orgs = {m.canonical for m in mentions if m.kind in ("org", "agency", "group")}
    by_initials: dict[str, str] = {}
    for name in sorted(orgs):
        if " " in name:
            by_initials.setdefault(initials(name), name)
    for m in mentions:
        if m.kind in ("org", "misc", "group") and ACRONYM.match(m.canonical):
            defined = acronyms.get(m.canonical)
            long_name = defined or by_initials.get(m.canonical)
            if long_name:
                m.canonical, m.kind = long_name, "org"
                m.rule = "acronym-defined" if defined else "acronym-initials"


def country_after_place(m: EntMention, text: str, table: AliasTable) -> None:
    """An unknown place written "Place, Country" gets that country's code."""
    if m.kind != "place" or m.country_code is not None:
        return
    mm = _COUNTRY_AFTER.match(text[m.end : m.end + 40])
    if mm:
        e = table.lookup(mm.group(1))
        if e is not None and e.kind == "place" and e.country_code:
            m.country_code = e.country_code
