"""Person names: parse, compare, and merge the forms one article uses for one person.

A person's canonical name is the fullest form the article gives that no other person in the
article could also claim: "Sir Keir", "Starmer" and "Keir Starmer" are one person; "Biden"
beside "Hunter Biden" and "Joe Biden" stays "Biden" (ambiguous), and "Hunter Biden" never
merges with "Joe Biden". Each merge rule is a small function named in ``EntMention.rule``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from extractors.entities.model import EntMention
from extractors.entities.orgs import clean_surface
from extractors.entities.words import (
    NAME_PARTICLES,
    NAME_SUFFIXES,
    POST_NOMINALS,
    REGNAL_TITLES,
    is_title_word,
    norm_word,
)


@dataclass(frozen=True, slots=True)
class PersonName:
    """A written name split into parts: "Gen. Anna M. Kovacs Jr" -> title ("Gen.",),
    given ("Anna", "M."), surname "Kovacs", suffix "Jr"."""

    title: tuple[str, ...]
    given: tuple[str, ...]
    surname: str
    suffix: str = ""
    full: str = ""  # given + surname + suffix, as written (filled by ``make_name``)
    key: str = ""  # ``full`` case-folded without dots: what two forms must share to be equal

    @property
    def is_single(self) -> bool:
        return not self.given


def make_name(
    title: tuple[str, ...], given: tuple[str, ...], surname: str, suffix: str
) -> PersonName:
    full = " ".join((*given, surname, *((suffix,) if suffix else ())))
    return PersonName(title, given, surname, suffix, full, full.casefold().replace(".", ""))


@lru_cache(maxsize=8192)
def parse_name(surface: str) -> PersonName | None:
    """Split a person mention into title, given names, surname and suffix (None if no name)."""
    words = clean_surface(surface).split()
    while len(words) > 1 and norm_word(words[-1]) in POST_NOMINALS:
        words.pop()
    suffix = ""
    if len(words) > 1 and norm_word(words[-1]).strip(",") in NAME_SUFFIXES:
        suffix = words.pop().rstrip(".,")
        words[-1] = words[-1].rstrip(",")
    title: list[str] = []
    while len(words) > 1 and is_title_word(words[0]):
        if len(words) == 2 and norm_word(words[0]) in REGNAL_TITLES:
            break  # "King Charles", "Pope Francis": the title is part of a one-word name
        title.append(words.pop(0))
    if not words or not words[-1]:
        return None
    # Particles before the last word belong to the surname: "von der Leyen", "Al Saud".
    # A capitalised particle opening the name is a given name ("Ben Sasse", "Van Morrison").
    k = len(words) - 1
    while k > 0 and norm_word(words[k - 1]) in NAME_PARTICLES and (k > 1 or words[0].islower()):
        k -= 1
    return make_name(tuple(title), tuple(words[:k]), " ".join(words[k:]), suffix)


def _given_matches(short: str, full: str) -> bool:
    """A given name or its initial: "J." / "J" match "John"; "John" matches "John"."""
    s, f = short.casefold().rstrip("."), full.casefold().rstrip(".")
    if len(s) == 1:
        return f[:1] == s
    return s == f


def _is_subsequence(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    it = iter(full)
    return all(any(_given_matches(s, f) for f in it) for s in short)


def is_longer_form(short: PersonName, full: PersonName) -> bool:
    """Rule ``person-longer-form``: "Anna Kovacs" is "Anna M. Kovacs Jr" (same surname, given
    names in order, no conflicting suffix); a different given name never matches."""
    if short.is_single or short.key == full.key:
        return False
    if short.surname.casefold() != full.surname.casefold():
        return False
    if short.suffix.casefold() != full.suffix.casefold():
        return False  # "Donald Trump" is not "Donald Trump Jr" (a lone "Trump" may be either)
    return len(short.given) <= len(full.given) and _is_subsequence(short.given, full.given)


def fullest_form(name: PersonName, fulls: list[PersonName]) -> PersonName | None:
    """The unique fullest name ``name`` is a shorter form of; None if none or ambiguous."""
    tops = [f for f in fulls if is_longer_form(name, f)]
    tops = [f for f in tops if not any(is_longer_form(f, g) for g in tops)]
    keys = {f.key for f in tops}
    return tops[0] if len(keys) == 1 else None


def by_surname(word: str, fulls: list[PersonName]) -> list[PersonName]:
    """Full names whose surname is ``word`` ("Starmer", "Al Saud")."""
    w = word.casefold()
    return [f for f in fulls if f.surname.casefold() == w]


def by_given_name(word: str, fulls: list[PersonName]) -> list[PersonName]:
    """Full names whose first given name is ``word`` ("Keir" -> "Keir Starmer")."""
    w = word.casefold()
    return [f for f in fulls if f.given and f.given[0].casefold() == w]


def top_forms(fulls: list[PersonName]) -> list[PersonName]:
    """Full names that are not a shorter form of a unique fuller one ("Anna Kovacs" is not a
    top beside "Anna M. Kovacs"): what a one-word name may stand for."""
    return [f for f in fulls if fullest_form(f, fulls) is None]


def resolve_single(name: PersonName, fulls: list[PersonName]) -> tuple[PersonName | None, str]:
    """A one-word name (maybe with a title) -> the unique full name it stands for, and the rule.

    Surname first ("Mr Moore" -> "Tom Moore"); a given name only when no full name has it as
    surname ("Sir Keir" -> "Keir Starmer"). Two candidates of either kind: ambiguous, None."""
    return resolve_single_among(name, top_forms(fulls))


def resolve_single_among(name: PersonName, tops: list[PersonName]) -> tuple[PersonName | None, str]:
    sur = {f.key: f for f in by_surname(name.surname, tops)}
    giv = {f.key: f for f in by_given_name(name.surname, tops)}
    if len(sur) == 1 and not giv:
        rule = "person-title-surname" if name.title else "person-surname"
        return next(iter(sur.values())), rule
    if len(giv) == 1 and not sur:
        rule = "person-title-given" if name.title else "person-given"
        return next(iter(giv.values())), rule
    return None, "person-ambiguous" if sur or giv else "person-alone"


def display_form(variants: list[str]) -> str:
    """How to write a canonical name seen in several casings: the most frequent form that is
    not all capitals ("TRUMP" in a headline, "Trump" in the text -> "Trump")."""
    counts = Counter(variants)
    ranked = sorted(counts, key=lambda v: (v.isupper(), -counts[v], variants.index(v)))
    return ranked[0]


def assign_person_canonicals(persons: list[EntMention]) -> None:
    """Set canonical name and rule of every person mention of one article."""
    parsed = [(m, parse_name(_with_regnal_title(m))) for m in persons]
    forms: dict[str, list[str]] = {}
    by_key: dict[str, PersonName] = {}
    for _m, p in parsed:
        if p is not None and not p.is_single:
            forms.setdefault(p.key, []).append(p.full)
            by_key.setdefault(p.key, p)
    fulls = list(by_key.values())
    longer = {k: fullest_form(p, fulls) for k, p in by_key.items()}  # once per distinct name
    tops = [p for k, p in by_key.items() if longer[k] is None]
    singles: dict[str, tuple[PersonName | None, str]] = {}
    for m, p in parsed:
        if p is None:
            m.canonical, m.rule = clean_surface(m.text) or m.text, "person-alone"
            continue
        m.title = m.title or " ".join(p.title)
        if p.is_single:
            skey = f"{p.key}|{bool(p.title)}"
            if skey not in singles:
                singles[skey] = resolve_single_among(p, tops)
            target, rule = singles[skey]
        else:
            target = longer[p.key]
            rule = "person-longer-form" if target else "person-full"
            target = target or p
        if target is None:
            m.canonical = p.full
        else:
            m.canonical = display_form(forms.get(target.key, [target.full]))
        m.rule = rule


def _with_regnal_title(m: EntMention) -> str:
    """ "Charles" after "King" is named "King Charles": the title identifies a one-word name."""
    last = m.title.split()[-1] if m.title else ""
    return f"{last} {m.text}" if last and norm_word(last) in REGNAL_TITLES else m.text
