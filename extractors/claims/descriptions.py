"""Speaker resolution steps, part 2: descriptions, roles and untagged names.

* ``description``: "the ministry", "the office", "the Russian intelligence service" -> the
  organisation named earlier whose name holds the noun (and the modifiers, a nationality
  matching the organisation's country); "the government" -> the country; "the agency" -> the
  news agency; else an organisation left unnamed (never the country of a modifier).
* ``role``: "the minister", "the 36-year-old" -> the person introduced with that role nearby,
  else the most salient person of the last sentences.
* ``bare_name``: a capitalised name the model did not tag (kept as written, a person).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from extractors.aliases import alias_table
from extractors.claims import lexicon as lx
from extractors.claims import salience as sal
from extractors.claims.candidate import SpeakerChain
from extractors.claims.speaker_steps import from_referent
from extractors.claims.syntax import is_agent_noun
from extractors.entities import clean_surface
from extractors.records import entity_id_for

if TYPE_CHECKING:
    from extractors.claims.speakers import SpeakerResolver

_ROLE_FALLBACK_SENTENCES = 2
SALIENT_ROLES = ("speaker", "subject")  # what a description may stand for: an actor, not a
# name in passing ("a violation of the Political Funds Control Law")


def _modifiers(head: Token) -> list[str]:
    return [
        c.lower_
        for c in head.children
        if c.dep_ in ("compound", "amod") and c.i < head.i and c.is_alpha
    ]


def _is_place_word(mod: str) -> bool:
    entry = alias_table().lookup(mod)
    return entry is not None and entry.kind == "place"


def _modifier_fits(mod: str, r: sal.Referent, text: str, upto: int) -> bool:
    """A modifier fits a named organisation when its name holds the word, or, for a
    nationality, the country ("Russian" fits "Foreign Intelligence Service of Russia"; the
    country may follow the name, never inside the description itself, at ``upto``)."""
    canon = (r.canonical or "").casefold()
    if mod in canon:
        return True
    entry = alias_table().lookup(mod)
    if entry is None or entry.kind != "place":
        return False
    near = text[r.start : min(upto, r.start + len(r.surface) + 40)].casefold()
    return entry.canonical.casefold() in canon or entry.canonical.casefold() in near


def _named_org(res: SpeakerResolver, pos: int, noun: str, mods: list[str]) -> sal.Referent | None:
    """The latest organisation named before ``pos`` whose name holds ``noun``: all modifiers
    fitting, else all but the nationalities (the name need not repeat the country)."""
    refs = [r for r in res.candidates(pos, back=10_000) if r.kind == "organisation" and r.canonical]
    refs.sort(key=lambda r: r.start, reverse=True)
    named = [r for r in refs if noun in r.canonical.casefold()]
    text = res.ix.text
    for r in named:
        if all(_modifier_fits(m, r, text, pos) for m in mods):
            return r
    plain = [m for m in mods if not _is_place_word(m)]
    if len(plain) < len(mods):
        for r in named:
            if all(_modifier_fits(m, r, text, pos) for m in plain):
                return r
    return named[0] if named and not mods else None


def description(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    lemma, low = head.lemma_.lower(), head.lower_
    noun = lemma if lemma in lx.ORG_NOUNS else (low if low in lx.ORG_NOUNS else None)
    if noun is None:
        return None
    mods = _modifiers(head)
    r = _named_org(res, span[0], noun, mods)
    if r is not None:
        return from_referent(surface, r, "description")
    if noun in lx.STATE_NOUNS:
        country = _country_chain(mods, surface)
        if country is not None:
            return country
        r = res.best(span[0], lambda x: x.kind == "place" and bool(x.canonical))
        if r is not None:
            return from_referent(surface, r, "description:state")
    if (noun in lx.MEDIA_NOUNS or noun in lx.ARMED_GROUP_NOUNS) and not mods:
        # "the agency" -> the news agency named last; "the group" -> the armed group.
        want = "agency" if noun in lx.MEDIA_NOUNS else "group"
        for m in res.ix.ents.before(span[0]):
            if m.kind == want and m.label != "NORP":
                return SpeakerChain(surface, m.text, m.canonical, m.entity_id, "organisation",
                                    f"description:{want}", m.start)  # fmt: skip
    r = _salient_org(res, head, span[0], mods)
    if r is not None:
        return from_referent(surface, r, "description:salient")
    return SpeakerChain(surface, kind="organisation", step="description")


def _salient_org(res: SpeakerResolver, head: Token, pos: int, mods: list[str]):
    """ "The Geneva-based organisation said …" right after "The International Committee of the
    Red Cross said …": a definite description with no name of its own stands for the most
    salient organisation of the last sentences (never one a nationality rules out)."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return None
    at = res.ix.sent_of[head.i]
    text = res.ix.text
    places = [m for m in mods if _is_place_word(m)]

    def fits(r: sal.Referent) -> bool:
        return (r.kind == "organisation" and bool(r.canonical) and r.role in SALIENT_ROLES
                and not res.ix.in_dateline(r.start)
                and all(_modifier_fits(m, r, text, pos) for m in places))  # fmt: skip

    refs = [r for r in res.candidates(pos, back=lx.DESCRIPTION_SENTENCES) if fits(r)]
    ranked = sal.rank(refs, at, res.ix)
    return ranked[0][1] if ranked else None


def _country_chain(mods: list[str], surface: str) -> SpeakerChain | None:
    """ "the Russian government": the country its nationality names."""
    for m in mods:
        entry = alias_table().lookup(m)
        if entry is not None and entry.kind == "place":
            eid = entity_id_for("place", entry.canonical)
            return SpeakerChain(surface, m, entry.canonical, eid, "place", "description:state")
    return None


def _is_age(head: Token, surface: str) -> bool:
    return head.lower_ == "old" and "year" in surface.lower()


def _is_role(head: Token, surface: str) -> bool:
    """A noun for one person: a listed role, a noun for someone by what they do ("the
    neurologist", "the real estate agent"), or an age ("the 36-year-old")."""
    lemma = head.lemma_.lower()
    if lemma in lx.PERSON_ROLES or head.lower_ in lx.PERSON_ROLES or _is_age(head, surface):
        return True
    return is_agent_noun(head)


def _person_with_role(res: SpeakerResolver, head: Token, surface: str) -> SpeakerChain | None:
    """The person introduced with this role just before their name ("Foreign Minister Lea
    Brandt", "the minister, Lea Brandt") or right after it ("Lea Brandt, the minister"); never
    for someone else's role ("Morrison's lawyer")."""
    if _is_age(head, surface) or any(c.dep_ == "poss" for c in head.children):
        return None
    words = [head.lower_, *_modifiers(head)]
    text = res.ix.text
    for n, m in enumerate(res.ix.ents.before(res.ix.doc[head.i].idx)):
        if n > lx.RECENT_MENTIONS:
            break
        if m.kind != "person":
            continue
        before = text[max(0, m.start - lx.ROLE_WINDOW_CHARS) : m.start].casefold()
        after = text[m.end : m.end + lx.ROLE_WINDOW_CHARS].casefold()
        near = before[before.rfind(".") + 1 :] + " " + (after if after.startswith(",") else "")
        if all(w in near for w in words):
            return SpeakerChain(
                surface, m.text, m.canonical, m.entity_id, "person", "role", m.start
            )
    return None


def role(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    if not _is_role(head, surface):
        return None
    if head.tag_ in ("NNS", "NNPS"):
        return SpeakerChain(surface, kind="group", step="group")
    named = _person_with_role(res, head, surface)
    if named is not None:
        return named
    if _is_age(head, surface):
        # "the 36-year-old": the person the last sentences are about.
        at = res.ix.sent_of[head.i]

        def near_person(r: sal.Referent) -> bool:
            return r.kind == "person" and at - r.sentence <= _ROLE_FALLBACK_SENTENCES

        ranked = sal.rank([r for r in res.candidates(span[0]) if near_person(r)], at, res.ix)
        if ranked:
            return from_referent(surface, ranked[0][1], "role:age")
    # "the captain", "a police spokesman": an individual the article does not name.
    return SpeakerChain(surface, kind="anonymous", step="role")


def bare_name(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    """A name the model did not tag: kept as written, most likely a person."""
    at_start = head.i == res.ix.sent_bounds[res.ix.sent_of[head.i]][0]
    determiner = any(c.dep_ == "det" for c in head.children)
    titled = head.is_title and head.pos_ in ("AUX", "VERB", "ADJ", "NOUN") and not at_start
    titled = titled and not determiner
    if not (head.pos_ == "PROPN" or titled) or head.tag_ in ("NNPS",):
        return None
    names = [t.text for t in head.subtree if t.pos_ == "PROPN"] or [head.text]
    name = clean_surface(" ".join(names))
    if not name or name.lower() in lx.NEVER_SPEAKERS:
        return None
    if any(c.lemma_.lower() in lx.ORG_NOUNS | lx.MEDIA_NOUNS for c in head.lefts):
        # "British insurer Hollings Mutual", "the Italian daily Corriere della Sera"
        eid = entity_id_for("org", name)
        return SpeakerChain(surface, None, name, eid, "organisation", "bare_name:described")
    return SpeakerChain(surface, None, name, entity_id_for("person", name), "person", "bare_name")
