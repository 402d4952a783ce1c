"""Construction tables added in the second round of the claims engine (passive agents,
descriptions of organisations, self-naming statements, possessive speech nouns, …), real spaCy
model. Sentences written for these tests; names fictional."""

from __future__ import annotations

import pytest

from tests.claim_table import ANY, Row, check, check_none, claims_of

# "It was announced by X that …", "Y were told by X that …": the agent of a passive
# reporting verb speaks; the passive subject is the addressee (or an expletive "it").
PASSIVE_AGENT = [
    Row("It was confirmed by the Harbour Authority on Monday that the pier would reopen.",
        "pier would reopen", "Harbour Authority", "confirm", "indirect", (), "reported_clause",
        "organisation"),
    Row("Shareholders were told by chief executive Mirela Dobrev that dividends would double.",
        "dividends would double", "Mirela Dobrev", "tell", "indirect", (), ANY, "person"),
    Row("Parents were warned by the school board that classes could be cancelled.",
        "classes could be cancelled", ANY, "warn", "indirect", (), ANY, "organisation"),
    Row("It has been reported by local radio that the bridge collapsed overnight.",
        "bridge collapsed", ANY, "report", "indirect", (), ANY),
    Row("Fans were assured by Kestrel Athletic that the match would go ahead.",
        "match would go ahead", "Kestrel Athletic", "assure", "indirect", (), ANY),
    Row("It is alleged by the tenants that the landlord ignored the damp for years.",
        "landlord ignored the damp", ANY, "allege", "indirect", (), ANY, "group"),
]  # fmt: skip

# A passive without an agent names no speaker: no claim for the addressee.
PASSIVE_NEGATIVE = [
    "The workers were told to leave the building at once.",
    "Residents were told they had to leave by noon.",
    "The minister was asked whether she would resign.",
    "The striker was accused of diving in the box.",
    "The ship is said to be the largest ever built.",
]


@pytest.mark.parametrize("row", PASSIVE_AGENT, ids=str)
def test_passive_agent_speaks(row: Row) -> None:
    check(row)


@pytest.mark.parametrize("text", PASSIVE_NEGATIVE, ids=lambda t: t[:50])
def test_passive_without_agent_is_no_claim(text: str) -> None:
    check_none(text)


# A definite description with no name of its own ("the Oslo-based watchdog") after an
# organisation spoke stands for that organisation; a nationality that does not fit rules it
# out; a name elsewhere in the text in passing is no antecedent.
DESCRIPTIONS = [
    Row("The Nordic Press Council said two editors had been fined. The Oslo-based watchdog "
        "said the fines were the largest in its history.", "fines were the largest",
        "Nordic Press Council", "say", kind="organisation"),
    Row("Velora Motors said it would cut 900 jobs. The carmaker said demand in Europe had "
        "collapsed.", "demand in Europe", "Velora Motors", "say", kind="organisation"),
    Row("The Sahel Liberation Front said it had seized the airport. The armed movement said "
        "its fighters controlled the road to the border.", "fighters controlled the road",
        "Sahel Liberation Front", "say", kind="organisation"),
    Row("The Pan-African Seed Institute warned that harvests would fail. The research body "
        "said rainfall had halved.", "rainfall had halved", "Pan-African Seed Institute", "say",
        kind="organisation"),
    Row("Helvetic Reinsurance reported a loss on Tuesday. The Zurich-based insurer said claims "
        "from floods had doubled.", "claims from floods", "Helvetic Reinsurance", "say",
        kind="organisation"),
]  # fmt: skip
DESCRIPTIONS_UNRESOLVED = [
    # a nationality that does not fit the organisation named before
    Row("Velora Motors said it would cut 900 jobs. The Japanese carmaker said its plants "
        "were full.", "plants were full", None, "say", kind="organisation"),
    # nothing named before it speaks
    Row("Prices rose by a third in Velora. The regulator said the rise was unjustified.",
        "rise was unjustified", None, "say", kind="organisation"),
]  # fmt: skip


@pytest.mark.parametrize("row", DESCRIPTIONS + DESCRIPTIONS_UNRESOLVED, ids=str)
def test_description_stands_for_the_organisation_before(row: Row) -> None:
    check(row)


# A quoted statement whose first words name its author: the author speaks (the quoted words
# are the statement's: indirect), the statement and the agency relay it, innermost first.
SELF_NAMING = [
    Row('"Chairman of the Harbour Commission of Estonia Kristjan Saar said that the new quay '
        'would open in May," the commission said, ERR reported.', "new quay would open",
        "Kristjan Saar", "say", "indirect", ("commission", "ERR"), ANY, "person"),
    Row('"Spokeswoman of the Ministry of Water Resources Dilnoza Rakhimova stated at a '
        'briefing that the reservoirs were full," the ministry said.', "reservoirs were full",
        "Dilnoza Rakhimova", "state", "indirect", ("ministry",), ANY, "person"),
    Row('"Governor of the Central Bank of Moldova Ion Ciobanu said that rates would stay on '
        'hold," the bank said in a statement.', "rates would stay", "Ion Ciobanu", "say",
        "indirect", ("bank",), ANY, "person"),
    Row('"According to Head of the Border Guard Service Tomas Zilinskas, the fence had been '
        'cut in two places," the service said, LRT reported.', "fence had been cut",
        "Tomas Zilinskas", "according to", "indirect", ("service", "LRT"), "according_to",
        "person"),
    Row('"Director of the Institute of Seismology of Georgia Levan Beridze has stated that '
        'the tremor caused no damage," the statement said, according to the Sakinform agency.',
        "tremor caused no damage", "Levan Beridze", "state", "indirect",
        ("statement", "Sakinform"), ANY, "person"),
]  # fmt: skip
# Someone named inside a quotation that does not open with the name is no new speaker.
SELF_NAMING_NEGATIVE = [
    Row('"With Ortmann telling everyone he would quit, nobody planned ahead," said coach Ida '
        'Berg.', "With Ortmann", "Ida Berg", "say", "direct", kind="person"),
    Row('"After the mayor said the bridge was safe, we drove across," said driver Emil Roth.',
        "After the mayor", "Emil Roth", "say", "direct", kind="person"),
]  # fmt: skip


@pytest.mark.parametrize("row", SELF_NAMING + SELF_NAMING_NEGATIVE, ids=str)
def test_self_naming_statement(row: Row) -> None:
    check(row)


# A speech noun with a possessor and a that-clause: the possessor claims the clause; the
# noun's verb is the cue. No possessor, no speaker: no claim.
SPEECH_NOUNS = [
    Row("Dario Conti's claim that the tender had been rigged was rejected by the judge.",
        "tender had been rigged", "Dario Conti", "claim", "indirect", (), "speech_noun",
        "person"),
    Row("Norland's warning that the pipeline could leak was ignored by the operator.",
        "pipeline could leak", "Norland", "warn", "indirect", (), "speech_noun"),
    Row("The union's insistence that wages must rise stalled the talks.", "wages must rise",
        ANY, "insist", "indirect", (), "speech_noun"),
    Row("Velora Motors' denial that it had cut safety checks was published on Friday.",
        "cut safety checks", "Velora Motors", "deny", "indirect", (), "speech_noun"),
    Row("Minister Lea Brandt spoke on Monday. Her promise that no school would close was "
        "repeated by her aides.", "no school would close", "Lea Brandt", "promise",
        "indirect", (), "speech_noun", "person"),
]  # fmt: skip
SPEECH_NOUNS_NONE = [
    "The claim that the tender had been rigged was rejected by the judge.",
    "The report that the mayor had resigned turned out to be false.",
    "Dario Conti's house that he built in 1990 was sold.",
    "The union's claim for higher wages was rejected.",
    "Velora Motors' statement on Friday was short.",
]


@pytest.mark.parametrize("row", SPEECH_NOUNS, ids=str)
def test_speech_noun_with_possessor(row: Row) -> None:
    check(row)


@pytest.mark.parametrize("text", SPEECH_NOUNS_NONE, ids=lambda t: t[:50])
def test_speech_noun_without_speaker_or_clause(text: str) -> None:
    check_none(text)


def test_a_denied_claim_keeps_both_speakers() -> None:
    """Who rejects a claim does not relay it: both claims stand, no via."""
    claims = claims_of("The ministry rejected the union's claim that wages had fallen.")
    got = {(c.rule, c.cue_lemma, c.via) for c in claims}
    assert got == {("speech_noun", "claim", ()), ("denied_object", "reject", ())}, claims


# A dateline the parser took for the subject: the speaker is the apposition after it, and a
# speaker phrase never holds the dateline.
DATELINES = [
    Row("LISBON (Reuters) — The head of the port authority, Rui Matos, said on Monday that "
        "exports had doubled.", "exports had doubled", "Rui Matos", "say", kind="person"),
    Row("HARARE, Zimbabwe — Finance Minister Tendai Moyo said on Tuesday that the currency "
        "would be floated.", "currency would be floated", "Tendai Moyo", "say", kind="person"),
    Row("OSLO, Norway (AP) — Norway's coast guard said two trawlers had collided.",
        "two trawlers had collided", None, "say", kind="organisation"),
    Row("QUITO, Ecuador — Energy Minister Lucia Paredes said the blackouts would end soon.",
        "blackouts would end", "Lucia Paredes", "say", kind="person"),
    Row("RIGA (AFP) — The mayor of Riga, Janis Berzins, said the tram line would reopen.",
        "tram line would reopen", "Janis Berzins", "say", kind="person"),
]  # fmt: skip


@pytest.mark.parametrize("row", DATELINES, ids=str)
def test_dateline_is_never_the_speaker(row: Row) -> None:
    check(row)
    (c,) = [c for c in claims_of(row.text) if row.key in c.content]
    assert "—" not in (c.speaker or "") and "(" not in (c.speaker or "")


# A name the model did not tag, described by a common noun before it ("British insurer
# Hollings Mutual"): the name speaks, an organisation when the description says so, never
# the country of the nationality.
DESCRIBED_NAMES = [
    Row("Danish shipper Nordlys Lines said freight rates had halved.", "freight rates",
        "Nordlys Lines", "say", kind="organisation"),
    Row("The Spanish daily El Faro Nacional reported that the minister would resign.",
        "minister would resign", "El Faro Nacional", "report", kind="organisation"),
    Row("Swiss lender Banque Alpina admitted that it had lost client files.",
        "lost client files", "Banque Alpina", "admit", kind="organisation"),
    Row("Canadian mining company Borealis Gold said output would fall.", "output would fall",
        "Borealis Gold", "say", kind="organisation"),
    Row("Brazilian carmaker Veloz Motores announced that it would build a new plant.",
        "build a new plant", "Veloz Motores", "announce", kind="organisation"),
]  # fmt: skip


@pytest.mark.parametrize("row", DESCRIBED_NAMES, ids=str)
def test_described_name_is_not_its_nationality(row: Row) -> None:
    check(row)


# Pronouns: the speaker of the previous attribution, however long the quotation in between
# (sentences wholly inside a quotation are not narrative distance); a person whose gender the
# article tells ("X said she …") beats one whose gender it does not tell.
PRONOUNS = [
    Row('Sir Edmund Hale said on Monday: "Every gift was declared. The rules are clear. We '
        'followed them. Nobody hid anything. The register is public." Asked whether he would '
        'accept more gifts from Lord Pemberton, he said: "I will follow the rules."',
        "I will follow the rules", "Edmund Hale", "say", kind="person"),
    Row('Coach Mirko Tal said: "We played well. We created chances. We defended as a team. The '
        'fans were great. I am proud." Asked about the referee Paolo Danti, he said the '
        'decision had been fair.', "decision had been fair", "Mirko Tal", "say",
        kind="person"),
    Row("Ilse Marten said she would appeal the ruling. The court had sided with Robin Vale, "
        "who owns the land next to her farm. \"This is not over,\" she told reporters.",
        "This is not over", "Ilse Marten", "tell", kind="person"),
    Row("Dana Whitcombe said she had not been consulted. She spoke after a meeting with Alex "
        "Morrow and Sam Keel. She said the plan was rushed.", "plan was rushed",
        "Dana Whitcombe", "say", kind="person"),
    Row('"The vote was rigged," said Rosa Ibanez, who backs Chris Dorne. She said she would '
        'file a complaint on Monday.', "file a complaint", "Rosa Ibanez", "say",
        kind="person"),
]  # fmt: skip
# Verbs that report only with their particle.
PHRASAL = [
    Row('Asked about the budget, the minister went on: "There will be no new taxes."',
        "no new taxes", ANY, "go on", "direct"),
    Row('Lena Brock went on: "Nobody warned us about the flood."', "Nobody warned us",
        "Lena Brock", "go on", "direct"),
    Row("The mayor hit back, saying the figures were out of date.", "figures were out",
        ANY, "say", "indirect"),
    Row('"That is simply false," Omar Haddad hit back.', "simply false", "Omar Haddad",
        "hit back", "direct"),
    Row('"We have answered every question," the company fired back.', "answered every",
        ANY, "fire back", "direct"),
]  # fmt: skip
PHRASAL_NONE = [
    "He went on to win the race.",
    "Prices went on rising for a year.",
    "The storm hit back-to-back villages.",
    "The striker fired back into the net.",
]


@pytest.mark.parametrize("row", PRONOUNS + PHRASAL, ids=str)
def test_pronouns_and_phrasal_cues(row: Row) -> None:
    check(row)


@pytest.mark.parametrize("text", PHRASAL_NONE, ids=lambda t: t[:50])
def test_phrasal_verbs_without_speech(text: str) -> None:
    check_none(text)


# Someone else's claim that the subject answers: the clause is that claim, not the subject's.
ANSWERED_CLAIMS = [
    ("Councillor Ruth Amani is firing back at accusations that she misled the planning board.",
     "misled the planning board"),
    ("The minister responded on Monday to claims that the tender had been rigged.",
     "tender had been rigged"),
    ("Velora Motors hit back at allegations that its engines failed emissions tests.",
     "engines failed emissions"),
    ("Coach Pieter Jansen laughed off suggestions that his team was tired.",
     "team was tired"),
    ("The ministry reacted angrily to rumours that the governor would resign.",
     "governor would resign"),
]  # fmt: skip
SAID_IN_A_PHRASE = [
    Row("Mayor Olga Ivanova said during a news conference that the bridge would reopen in May.",
        "bridge would reopen", "Olga Ivanova", "say", "indirect"),
    Row("The company said in a statement on Friday that no jobs would be lost.",
        "no jobs would be lost", ANY, "say", "indirect"),
    Row("Senator Mia Kowalski told a rally in Dayton that the plant would stay open.",
        "plant would stay open", "Mia Kowalski", "tell", "indirect"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "key"), ANSWERED_CLAIMS, ids=lambda t: t[:40])
def test_an_answered_claim_is_not_the_answer(text: str, key: str) -> None:
    got = [(c.rule, c.speaker, c.content) for c in claims_of(text) if key in c.content]
    assert got == [], got


@pytest.mark.parametrize("row", SAID_IN_A_PHRASE, ids=str)
def test_clause_after_a_phrase_is_what_was_said(row: Row) -> None:
    check(row)


# A quantity heading the role phrase: "One of the protesters, Hayley Walsh, said" names her.
QUANTITY_APPOSITION = [
    Row('One of the protesters, Hayley Walsh, 42, a lecturer from Nottingham, said: "Years of '
        'writing to MPs has not worked."', "writing to MPs", "Hayley Walsh", "say", "direct",
        kind="person"),
    Row("One of the survivors, Amir Haddad, told reporters the boat had capsized at night.",
        "boat had capsized", "Amir Haddad", "tell", "indirect", kind="person"),
    Row('"We lost everything," said one of the farmers, Jonas Petrauskas.', "lost everything",
        "Jonas Petrauskas", "say", "direct", kind="person"),
    Row("One of the lawyers, Sara Lindqvist, said the ruling would be appealed.",
        "ruling would be appealed", "Sara Lindqvist", "say", "indirect", kind="person"),
    Row("One of the firefighters, Marek Nowak, 35, said the roof collapsed within minutes.",
        "roof collapsed", "Marek Nowak", "say", "indirect", kind="person"),
    Row("One of the doctors said the patient was stable.", "patient was stable", None, "say",
        "indirect", kind="anonymous"),
]  # fmt: skip


@pytest.mark.parametrize("row", QUANTITY_APPOSITION, ids=str)
def test_quantity_with_a_named_apposition(row: Row) -> None:
    check(row)


# A name on a collective noun names the group, never one of its members.
FAMILY_GROUPS = [
    Row('"We are heartbroken and ask for privacy," the Kramer family wrote in a message on '
        "Facebook.", "heartbroken", None, "write", "direct", kind="group"),
    Row("The Okafor family said in a statement that they were grateful for the support.",
        "grateful for the support", None, "say", "indirect", kind="group"),
    Row('"He was a gentle soul," the Marino family said.', "gentle soul", None, "say", "direct",
        kind="group"),
    Row("The Haddad couple said they had lost everything in the fire.", "lost everything",
        None, "say", "indirect", kind="group"),
    Row("Coach Bruce Boudreau said the team was tired.", "team was tired", "Bruce Boudreau",
        "say", "indirect", kind="person"),
]  # fmt: skip


@pytest.mark.parametrize("row", FAMILY_GROUPS, ids=str)
def test_a_named_family_is_a_group(row: Row) -> None:
    check(row)


# An inverted cue set off by commas between a fronted subject and a quotation: the name after
# the cue speaks, the words before it open the (mixed) claim.
FRONTED_SPLIT = [
    Row('The aid convoy, said UN coordinator Ingrid Dahl, "must be allowed through without '
        'delay."', "aid convoy", "Ingrid Dahl", "say", "mixed", kind="person"),
    Row('The new law, said Senator Mia Kowalski, "will protect every tenant in the state."',
        "new law", "Mia Kowalski", "say", "mixed", kind="person"),
    Row('Such attacks, warned General Omar Haddad, "could happen again at any time."',
        "Such attacks", "Omar Haddad", "warn", "mixed", kind="person"),
    Row('The border, added Interior Minister Lea Brandt, "will stay closed until further '
        'notice."', "The border", "Lea Brandt", "add", "mixed", kind="person"),
    Row('Senator Mia Kowalski said, "The law will protect every tenant."', "every tenant",
        "Mia Kowalski", "say", "direct", kind="person"),
]  # fmt: skip


@pytest.mark.parametrize("row", FRONTED_SPLIT, ids=str)
def test_fronted_subject_before_an_inverted_cue(row: Row) -> None:
    check(row)


# A document stands for its owner or for who issued it just before.
ISSUED_DOCUMENTS = [
    Row("Velora Motors issued a statement on Monday. The statement said no jobs would be lost.",
        "no jobs would be lost", "Velora Motors", "say", "indirect", kind="organisation"),
    Row("Senator Mia Kowalski sent a letter to the governor on Tuesday. The letter said the "
        "budget ignored rural schools.", "ignored rural schools", "Mia Kowalski", "say",
        "indirect", kind="person"),
    Row("A statement from the club said the coach had resigned.", "coach had resigned", None,
        "say", "indirect", kind="document"),
    Row("Norland Energy published a letter to shareholders on Friday. “We will not sell the "
        "refinery,” the letter said.", "not sell the refinery", "Norland Energy", "say",
        "direct", kind="organisation"),
    Row("The Transport Workers Union of Ireland's statement said the offer was too low.",
        "offer was too low", "Transport Workers Union of Ireland", "say", "indirect",
        kind="organisation"),
    Row("A statement from the Committee to Protect Journalists said four reporters had been "
        "detained.", "four reporters", "Committee to Protect Journalists", "say", "indirect",
        kind="organisation"),
    Row("The statement said the plant was safe.", "plant was safe", None, "say", "indirect",
        kind="document"),
]  # fmt: skip


@pytest.mark.parametrize("row", ISSUED_DOCUMENTS, ids=str)
def test_a_document_stands_for_who_issued_it(row: Row) -> None:
    check(row)
