"""Speaker resolution steps, part 1: pronouns, apposition, aliases, names, documents, groups.

Each step gets the resolver, the head token of the speaker phrase, its char span and text, and
returns a ``SpeakerChain`` when it decides (else None); ``speakers.STEPS`` orders them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from extractors.aliases import alias_table
from extractors.claims import lexicon as lx
from extractors.claims import salience as sal
from extractors.claims.candidate import SpeakerChain
from extractors.claims.syntax import named_apposition, speaker_span, subject
from extractors.entities import EntMention, clean_surface
from extractors.records import entity_id_for

if TYPE_CHECKING:
    from extractors.claims.speakers import SpeakerResolver

KIND = {"person": "person", "org": "organisation", "agency": "organisation",
        "group": "organisation", "place": "place"}  # fmt: skip
_ALIAS_KIND = {"place": "place", "agency": "agency", "group": "group"}
_MODIFIER_LABELS = ("NORP", "GPE", "LOC")


def from_mention(surface: str, m: EntMention, step: str, antecedent: str | None = None):
    kind = KIND.get(m.kind, "organisation")
    at = m.start if antecedent else None
    return SpeakerChain(surface, antecedent, m.canonical, m.entity_id, kind, step, at)


def from_referent(surface: str, r: sal.Referent, step: str) -> SpeakerChain:
    return SpeakerChain(surface, r.surface, r.canonical, r.entity_id, r.kind, step, r.start)


def _pronoun_fit(res: SpeakerResolver, low: str):
    """(agreement test, kind when nothing fits, boost) for a pronoun, or None for other
    pronouns. A person whose gender the article tells and fits weighs more than one whose
    gender is unknown."""
    if low in lx.PERSON_PRONOUNS:
        gender = "m" if low in lx.MALE_PRONOUNS else "f"

        def person(r: sal.Referent) -> bool:
            return r.kind == "person" and res.genders.of(r.entity_id) in (None, gender)

        def known(r: sal.Referent) -> float:
            return lx.GENDER_MATCH_BOOST if res.genders.of(r.entity_id) == gender else 1.0

        return person, "person", known
    if low in lx.PLURAL_PRONOUNS:  # "they" is never one person
        return (lambda r: r.plural and r.kind in ("organisation", "group", "place")), "group", None
    if low in lx.THING_PRONOUNS:
        return (lambda r: r.kind in ("organisation", "place", "document")), None, None
    return None


def pronoun(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    """he/she -> a person, they -> a group or organisation, it -> an organisation, place or
    document: the most salient fitting referent (``salience``)."""
    fit = _pronoun_fit(res, lx.POSSESSIVE_PRONOUNS.get(head.lower_, head.lower_))
    if fit is None and head.lower_ in lx.QUANTIFIER_PRONOUNS:
        return SpeakerChain(surface, kind="group", step="group")  # "some in Gaza", "others"
    if fit is None:
        return SpeakerChain(surface, step="pronoun") if head.pos_ == "PRON" else None
    ok, fallback_kind, boost = fit
    r = res.best(span[0], ok, boost)
    if r is None:
        return SpeakerChain(surface, kind=fallback_kind, step="pronoun")
    return from_referent(surface, r, "pronoun")


def apposition(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    """ "the minister, Anna Kovacs," / "said the envoy, Marco Ruiz": the name in apposition."""
    name = named_apposition(head)
    if name is None:
        return None
    for m in res.ix.ents.inside(name.left_edge.idx, res.ix.end_of(name.right_edge)):
        if m.kind in ("person", "org", "agency") and m.tok_start <= name.i < m.tok_end:
            return from_mention(surface, m, "apposition", m.text)
    return None


def alias(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    entry = alias_table().lookup(clean_surface(surface))
    if entry is None:
        return None
    kind = _ALIAS_KIND.get(entry.kind, "org")
    return SpeakerChain(surface, None, entry.canonical, entity_id_for(kind, entry.canonical),
                        KIND[kind], "alias")  # fmt: skip


_ATTACHED = ("compound", "appos", "nmod", "npadvmod", "flat")


def _attached(res: SpeakerResolver, m: EntMention, head: Token) -> bool:
    """The name is bound to the head noun itself ("coach Bruce Boudreau"; a long title
    "Director of the Security Service Jane Roe"), not a possessor or a prepositional object
    ("Trump's lawyer", "a lawyer for Mark Dobson", "the family of Mark Dobson")."""
    mh = sal.mention_head(res.ix, m.tok_start, m.tok_end)
    h = mh.head
    while h.dep_ == "compound" and h.i != head.i and h.head.i != h.i:
        h = h.head  # "the UzA news agency": a compound of a compound of the head
    if h.i == head.i and mh.dep_ in _ATTACHED:
        return True
    return (
        mh.dep_ == "pobj"
        and mh.head.lower_ == "of"
        and mh.head.head.i == head.i
        and mh.left_edge.i < m.tok_start  # "of [the Security Service] Jane Roe"
        and head.lemma_.lower() in lx.PERSON_ROLES
    )


def _company_before(res: SpeakerResolver, m: EntMention) -> bool:
    """ "Swiss lender Banque Alpina", "carmaker Veloz Motores": a name the model took for a
    person right after a noun for a company is the company."""
    if m.tok_start == 0:
        return False
    before = res.ix.doc[m.tok_start - 1]
    lemma = before.lemma_.lower()
    return before.pos_ == "NOUN" and lemma in lx.ORG_NOUNS and lemma not in lx.PERSON_ROLES


def _closes_title(m: EntMention, head: Token, span) -> bool:
    """ "Governor of the Bank of Albania Ilir Doda": a full name closing a phrase headed by a
    role is the role's holder, however the parser hung it."""
    return (
        m.kind == "person"
        and m.end == span[1]
        and len(m.text.split()) >= 2
        and head.lemma_.lower() in lx.PERSON_ROLES
    )


def _family_of(head: Token) -> bool:
    """ "the Kramer family", "the Okafor couple": a name on a collective noun names the group,
    never its one member."""
    return head.lower_ in lx.COLLECTIVE_NOUNS or head.lemma_.lower() in lx.COLLECTIVE_NOUNS


def _description_head(head: Token) -> bool:
    lemma = head.lemma_.lower()
    return (
        lemma in lx.DOCUMENT_NOUNS
        or lemma in lx.PERSON_ROLES
        or lemma in lx.ORG_NOUNS
        or sal.is_group_noun(head)
    )


def named(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    """The entity the phrase's head belongs to. A common-noun head takes a name only when the
    name is bound to it ("coach Bruce Boudreau"), or, for a spokesperson, the organisation it
    speaks for ("a ministry spokesman"); names that merely modify a description or a group
    ("the Russian intelligence service", "the family of Mark Dobson") leave it to the later
    steps."""
    inside = res.ix.ents.inside(*span)
    if not inside:
        return None
    own = [m for m in inside if m.tok_start <= head.i < m.tok_end]
    if own:
        person = sal.as_person(own[0], res.surnames)
        if person is not None:  # "Telford" typed as an organisation after "Hamish Telford"
            return SpeakerChain(surface, own[0].text, person[0], person[1], "person",
                                "named:surname", own[0].start)  # fmt: skip
        if own[0].kind == "person" and _company_before(res, own[0]):
            return SpeakerChain(surface, None, own[0].canonical, own[0].entity_id,
                                "organisation", "named:company")  # fmt: skip
        return from_mention(surface, own[0], "named")
    bound = [m for m in inside if _attached(res, m, head) or _closes_title(m, head, span)]
    persons = [m for m in bound if m.kind == "person"]
    if persons and head.tag_ not in ("NNS", "NNPS") and not _family_of(head):
        return from_mention(surface, persons[-1], "named:title")
    orgs = [m for m in inside if m.kind in ("org", "agency")]
    if head.lemma_.lower() in lx.SPOKES_ROLES and orgs:
        return from_mention(surface, orgs[-1], "named:spokesperson")
    bound_orgs = [m for m in bound if m.kind in ("org", "agency")]
    if bound_orgs and head.lemma_.lower() in lx.ORG_NOUNS:
        return from_mention(surface, bound_orgs[-1], "named")  # "the Interfax agency"
    if _description_head(head) or head.lower_ in lx.COLLECTIVE_NOUNS:
        return None
    if all(m.label in _MODIFIER_LABELS and m.tok_end <= head.i for m in inside):
        return None  # only nationalities or places modify a description or a name the model
        # missed ("British insurer Hollings Mutual"): never the speaker
    m = min(bound or inside, key=lambda x: abs(x.tok_end - 1 - head.i))
    return from_mention(surface, m, "named")


def document_issuer(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    """ "the ministry's statement said", "a statement from the club said" -> its owner;
    "Rosatom issued a statement. “…,” the statement said" -> Rosatom: a document stands for
    who issued it."""
    if head.lemma_.lower() not in lx.ISSUED_DOCUMENTS:
        return None
    issuer = next((c for c in head.children if c.dep_ == "poss"), None) or _issued_by(head)
    if issuer is None and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        issuer = _issuer_before(res, head)
    if issuer is None:
        return None
    chain = res.resolve(issuer.i, speaker_span(issuer))
    if chain.canonical is None:
        return None  # an unnamed issuer ("a statement from the club"): the document speaks
    return SpeakerChain(surface, chain.antecedent or chain.surface, chain.canonical,
                        chain.entity_id, chain.kind, "document:issuer", issuer.idx)  # fmt: skip


def _issued_by(head: Token) -> Token | None:
    """ "a statement from the club", "a letter by 40 senators": the preposition's object."""
    for p in head.children:
        if p.dep_ == "prep" and p.lower_ in ("from", "by"):
            return next((c for c in p.children if c.dep_ == "pobj"), None)
    return None


def _issuer_before(res: SpeakerResolver, head: Token) -> Token | None:
    """Subject of the latest "X issued/released a <document>" in the last sentences."""
    ix, lemma = res.ix, head.lemma_.lower()
    first = ix.sent_bounds[ix.first_sentence_back(ix.sent_of[head.i], lx.ISSUER_SENTENCES)][0]
    for t in reversed(ix.doc[first : head.i]):
        issued = t.dep_ == "dobj" and t.head.lemma_.lower() in lx.ISSUE_VERBS
        if t.lemma_.lower() == lemma and issued and (subj := subject(t.head)) is not None:
            return subj
    return None


def document(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    if head.lemma_.lower() in lx.DOCUMENT_NOUNS or head.lower_ in lx.DOCUMENT_NOUNS:
        return SpeakerChain(surface, kind="document", step="document")
    return None


def group(res: SpeakerResolver, head: Token, span, surface: str) -> SpeakerChain | None:
    """Unnamed sources and groups of people: never one person."""
    lemma = head.lemma_.lower()
    dets = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod", "amod")}
    plural = head.tag_ in ("NNS", "NNPS")
    if lemma in lx.ANON_NOUNS and (plural or dets & lx.INDEFINITE or "the" not in dets):
        return SpeakerChain(surface, kind="anonymous", step="anonymous")
    if head.pos_ in ("NOUN", "PROPN") and sal.is_group_noun(head) and not head.ent_type_:
        return SpeakerChain(surface, kind="group", step="group")
    titled_name = head.is_title and head.i != head.sent.start  # "Petrides" (NNS) is a name
    no_group = titled_name or lemma in lx.ORG_NOUNS | lx.DOCUMENT_NOUNS
    if head.pos_ == "NOUN" and plural and not no_group:
        return SpeakerChain(surface, kind="group", step="group")  # "Israeli settlers"
    if dets & lx.INDEFINITE and head.pos_ == "NOUN":
        return SpeakerChain(surface, kind="anonymous", step="anonymous")
    return None
