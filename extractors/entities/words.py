"""Word lists and thresholds the entity rules read (named data, not literals inside logic).

All entries are lower case without a trailing dot; look words up with ``norm_word``.
"""

from __future__ import annotations

# spaCy labels that become canonical actors/places.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# Kept as plain mentions (canonical = surface) so the CLI output covers CoNLL's MISC too.
OTHER_LABELS = frozenset({"EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

# Forms of address written before a name: "Mr Moore", "Sir Keir", "Dr. Kovacs".
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend hon".split()
)
# Offices and ranks written before a name: "President Trump", "Gen. Ruiz", "SVR Director X".
OFFICES = frozenset("""
    president minister secretary senator sen rep representative congressman congresswoman gov
    governor mayor judge justice chancellor premier chairman chairwoman chair director chief
    ceo spokesman spokeswoman spokesperson ambassador envoy councillor councilor cllr coach
    commissioner inspector detective superintendent constable officer attorney speaker leader
    founder head commander gen general col colonel lt lieutenant maj major capt captain sgt
    sergeant adm admiral cmdr marshal brig brigadier cpl corporal pvt private lawmaker mp
    witness datuk dato datin tan sri seri tun
""".split())  # fmt: skip
# Words that only qualify an office: "Prime Minister", "Foreign Minister", "Deputy Director".
OFFICE_MODIFIERS = frozenset("""
    vice prime deputy acting assistant former foreign interior home defence defense finance
    economy health education justice trade energy state general
""".split())  # fmt: skip
ROLE_TITLES = OFFICES | OFFICE_MODIFIERS
# Titles that stay part of a one-word name ("King Charles", "Pope Francis", "Prince Andrew").
REGNAL_TITLES = frozenset("king queen prince princess pope emperor empress sheikh emir".split())
# Honours and degrees written after a name: "Afrasiab Anwar MBE", "Jane Roe KC".
POST_NOMINALS = frozenset("mbe obe cbe kbe dbe kc qc mp msp mep phd md esq".split())
# Generational suffixes: part of the name ("Donald Trump Jr" is not "Donald Trump").
NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
# Lower-case words that may sit inside a name ("Ursula von der Leyen", "Abu Bakr al-Baghdadi").
NAME_PARTICLES = frozenset(
    "van von de da di del della der den du la le al el bin ibn ben dos das st y".split()
)
# Head nouns that end an organisation's name: a capitalised name after one of them is a new
# entity ("Russian Foreign Intelligence Service Sergey Naryshkin").
ORG_HEAD_NOUNS = frozenset("""
    service services ministry agency agencies committee council office department party bank
    company corporation corp inc ltd llc plc group university institute commission authority
    directorate bureau embassy organisation organization court parliament assembly union
    federation association foundation army navy police forces force guard command fund board
    network campaign coalition alliance center centre administration government cabinet
    secretariat
""".split())  # fmt: skip
# Diplomatic missions are named by the city they sit in: "US Embassy in Baku".
MISSION_NOUNS = frozenset({"embassy", "consulate", "mission", "consulate-general"})
# A place that completes an organisation's name ("… of Chile") is at most this long.
ORG_PLACE_MAX_WORDS = 3
# Prepositions before a place that may end an organisation's or an office's name ("envoy to
# Ukraine Kurt Volker").
PLACE_PREPOSITIONS = frozenset({"of", "to", "for"})
# Subject pronouns that only stand for a person ("Ilse Marten said she would appeal").
PERSON_SUBJECTS = frozenset({"he", "she"})
# Tags the tagger gives to proper names; anything else on a lone "person" is a common word.
PROPER_TAGS = frozenset({"NNP", "NNPS"})
COMMON_NOUN_TAGS = frozenset({"NN", "NNS"})
# A line is a headline when at least this share of its content words is capitalised (1.0:
# Title Case proper; a sentence broken over lines, "William Hill betting on Saturday's", is not).
HEADLINE_CAPS_SHARE = 1.0
HEADLINE_MIN_WORDS = 2
HEADLINE_MAX_CHARS = 200
# Short words a Title Case headline may leave in lower case.
HEADLINE_SMALL_WORDS = frozenset(
    "a an the of to in on for and or but at by with from as vs v is are was be".split()
)
# Tags of words that never open a name: verbs, adverbs, function words ("Later Harriet Quill").
NON_NAME_TAG_PREFIXES = ("VB", "RB", "IN", "CC", "DT", "PRP", "WP", "WRB", "MD", "UH", "TO")
# A sentence-opening verb in -ing the model glues to a name ("Hosting Cook at ...").
GERUND_SUFFIX = "ing"
GERUND_MIN_LEN = 6
# Longest run of words read as one person's name after a form of address.
MAX_NAME_WORDS = 3
# Punctuation tokens that never sit inside one person's name.
NAME_BREAKS = frozenset({",", ";", ":", "-", "–", "—", "(", ")", "|", "/", "&", "+"})
# Possessive clitics (spaCy splits them off as their own token, tag POS).
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
# The possessive of a plural in -s ("Farmers' Union") and the tags of plural nouns ("People").
BARE_APOSTROPHES = frozenset({"'", "’"})
PLURAL_NOUN_TAGS = frozenset({"NNS", "NNPS"})
LEADING_DETERMINERS = frozenset({"the", "a", "an"})


def norm_word(word: str) -> str:
    """Lower case without dots at the end: "Gen." -> "gen", "Mr" -> "mr"."""
    return word.casefold().rstrip(".")


def is_address(word: str) -> bool:
    """A form of address or an office, never a mere modifier: what marks the next words as a
    person ("Mr", "Dame", "Col.", "President"; not "Foreign")."""
    w = norm_word(word)
    return w in HONORIFICS or w in OFFICES or w in REGNAL_TITLES


def is_title_word(word: str) -> bool:
    """An honorific or an office written before a name."""
    w = norm_word(word)
    return w in HONORIFICS or w in ROLE_TITLES or w in REGNAL_TITLES
