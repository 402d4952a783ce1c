"""The curated alias table (``data/aliases.tsv``) plus country names from pycountry.

Lookups normalise the surface the same way for table and query: dots removed ("U.S." = "US"),
a leading "the" and a trailing possessive dropped, whitespace collapsed. Short all-capital
aliases ("IS", "AP", "RAW") only match in capitals, so the verb "is" never becomes Islamic State.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

log = logging.getLogger(__name__)

_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class AliasEntry:
    canonical: str
    kind: str  # place | org | agency | group
    country_code: str | None


def _strip(surface: str) -> str:
    s = _SPACES.sub(" ", surface.strip())
    s = _LEADING_THE.sub("", s)
    s = _POSSESSIVE.sub("", s)
    return s.replace(".", "").strip()


def _is_caps_code(s: str) -> bool:
    """Acronym-like aliases (all capitals, no space, <= 5 letters) match case-sensitively."""
    letters = [c for c in s if c.isalpha()]
    return 0 < len(letters) <= 5 and " " not in s and all(c.isupper() for c in letters)


def normalise_key(surface: str) -> str:
    """Key under which an alias is stored and looked up."""
    s = _strip(surface)
    return "=" + s if _is_caps_code(s) else s.casefold()


class AliasTable:
    def __init__(self) -> None:
        self._by_key: dict[str, AliasEntry] = {}
        self._by_canonical: dict[str, AliasEntry] = {}
        self._country_by_cc: dict[str, str] = {}

    def add(self, entry: AliasEntry, aliases: list[str], *, override: bool = True) -> None:
        self._by_canonical.setdefault(entry.canonical.casefold(), entry)
        for a in [entry.canonical, *aliases]:
            if not a:
                continue
            k = normalise_key(a)
            if override or k not in self._by_key:
                self._by_key[k] = entry
            # Acronyms also match when written in lower/mixed case only if long (e.g. "Nato");
            # short ones stay case-sensitive on purpose.
            s = _strip(a)
            if _is_caps_code(s) and len(s) >= 4 and (override or s.casefold() not in self._by_key):
                self._by_key.setdefault(s.casefold(), entry)
        if entry.kind == "place" and entry.country_code and entry.canonical in _COUNTRY_CANONICALS:
            self._country_by_cc.setdefault(entry.country_code, entry.canonical)

    def lookup(self, surface: str) -> AliasEntry | None:
        s = _strip(surface)
        if not s:
            return None
        if _is_caps_code(s):
            hit = self._by_key.get("=" + s)
            if hit:
                return hit
        return self._by_key.get(s.casefold())

    def by_canonical(self, canonical: str) -> AliasEntry | None:
        return self._by_canonical.get(canonical.casefold())

    def country_name(self, cc: str | None) -> str | None:
        return self._country_by_cc.get(cc) if cc else None

    def __len__(self) -> int:
        return len(self._by_key)


# Canonical names of country rows (curated "states" section + pycountry); filled while loading.
_COUNTRY_CANONICALS: set[str] = set()


def _read_tsv() -> list[tuple[AliasEntry, list[str]]]:
    text = resources.files("extractors").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    rows: list[tuple[AliasEntry, list[str]]] = []
    section = ""
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            section = line
            continue
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            log.warning("aliases.tsv line %d: expected >= 3 columns", n)
            continue
        canonical, kind, cc = parts[0].strip(), parts[1].strip(), parts[2].strip() or None
        aliases = [a.strip() for a in parts[3].split("|")] if len(parts) > 3 else []
        if kind == "place" and "states" in section:
            _COUNTRY_CANONICALS.add(canonical)
        rows.append((AliasEntry(canonical, kind, cc), [a for a in aliases if a]))
    return rows


@lru_cache(maxsize=1)
def alias_table() -> AliasTable:
    """The process-wide alias table (curated rows win over pycountry names)."""
    import pycountry

    table = AliasTable()
    rows = _read_tsv()
    for entry, aliases in rows:
        table.add(entry, aliases)
    known_cc = {e.country_code for e, _ in rows if e.canonical in _COUNTRY_CANONICALS}
    for c in pycountry.countries:
        cc = c.alpha_2
        names = [getattr(c, a, None) for a in ("common_name", "name", "official_name")]
        names = [n for n in names if n]
        if cc in known_cc:
            canonical = table.country_name(cc) or names[0]
        else:
            canonical = names[0]
            _COUNTRY_CANONICALS.add(canonical)
        entry = table.by_canonical(canonical) or AliasEntry(canonical, "place", cc)
        table.add(entry, names, override=False)
    log.debug("alias table: %d keys", len(table))
    return table
