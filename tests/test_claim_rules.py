"""Construction tables, one per rule family of the claims engine (text -> speaker, cue, type,
via, rule), with the real spaCy model. Sentences written for these tests; names fictional.
Held-out cases live in tests/data/claim_rules_heldout.jsonl (test_claim_heldout.py)."""

from __future__ import annotations

import pytest

from tests.claim_table import ANY, Row, check, check_none

QUOTATIONS = [
    # cue after the quotation: “…,” X said / “…,” said X
    Row('"The dam will hold," engineer Sofia Marquez said on Monday.', "dam will hold",
        "Sofia Marquez", "say", "direct", (), "cue_after_quote"),
    Row('"We have not received a single offer," said union leader Bram de Vries.', "single offer",
        "Bram de Vries", "say", "direct", (), "cue_after_quote"),
    Row("“Prices will keep rising,” warned economist Nadia Petrova.", "Prices will",
        "Nadia Petrova", "warn", "direct", (), "cue_after_quote"),
    Row('"Nobody was hurt," police chief Dario Conti told reporters.', "Nobody was hurt",
        "Dario Conti", "tell", "direct", (), "cue_after_quote"),
    Row('"It is too early to say," Ingrid Solberg, a spokeswoman for the airline, said.',
        "too early", "Ingrid Solberg", "say", "direct", (), "cue_after_quote"),
    # cue before the quotation: X said: “…”
    Row('Health Minister Lars Eriksen said: "Every hospital will get new staff."', "Every hospital",
        "Lars Eriksen", "say", "direct", (), "cue_before_quote"),
    Row('Judge Miriam Osei told the jury, "You must ignore the last remark."', "ignore the last",
        "Miriam Osei", "tell", "direct", (), "cue_before_quote"),
    Row('The striker Tomas Kral added: "We deserved to win this match."', "deserved to win",
        "Tomas Kral", "add", "direct", (), "cue_before_quote"),
    Row('Governor Paolo Ricci wrote on Twitter: "The roads are open again."',
        "roads are open", "Paolo Ricci", "write", "direct", (), "cue_before_quote"),
    Row('Mayor Olga Ivanova said on Friday that "the plan is dead for now."', "plan is dead",
        "Olga Ivanova", "say", ANY, (), ANY),
    # split and continued quotations keep their speaker
    Row('"The talks were useful," Erik Holm said, "but nothing has been agreed yet."',
        "nothing has been agreed", "Erik Holm", "say", "direct", (), "cue_after_quote"),
    Row('"We will appeal," said lawyer Paula Neri. "The verdict ignores the evidence."',
        "ignores the evidence", "Paula Neri", ANY, "direct", ANY, ANY),
    Row('"Stocks are low," said Rui Santos, who runs the depot. "We need fuel by Friday at the '
        'latest."', "fuel by Friday", "Rui Santos", ANY, "direct", ANY, ANY),
    Row('"The vote was fair," said observer Karin Lund.\n\n"We saw no irregularities at any '
        'polling station."', "no irregularities", "Karin Lund", ANY, "direct", ANY, ANY),
    Row('"The river is rising fast," Jan Novak said.\n\n"Residents should leave the lower town '
        'before the evening."', "Residents should leave", "Jan Novak", ANY, "direct", ANY, ANY),
]  # fmt: skip

CLAUSES = [
    # X said (that) S
    Row("Finance Minister Rosa Lindgren said the deficit would shrink next year.",
        "deficit would shrink", "Rosa Lindgren", "say", "indirect", (), "reported_clause"),
    Row("The airline confirmed that two flights had been cancelled.", "two flights",
        ANY, "confirm", "indirect", (), "reported_clause", "organisation"),
    Row("Coach Pieter Jansen insisted his team was not tired.", "not tired",
        "Pieter Jansen", "insist", "indirect", (), "reported_clause"),
    Row("Senator Mia Kowalski told reporters she would vote against the bill.",
        "vote against", "Mia Kowalski", "tell", "indirect", (), "reported_clause"),
    Row("Officials warned that the storm could reach the coast by midnight.", "storm could",
        None, "warn", "indirect", (), "reported_clause", "anonymous"),
    # S, X said / S, X said, S
    Row("The factory will close in June, the owner Karl Weber said.", "factory will close",
        "Karl Weber", "say", "indirect", (), ANY),
    Row("Prices for bread will rise, the bakers' association said on Monday.", "Prices for bread",
        ANY, "say", "indirect", (), ANY, "organisation"),
    Row("The vaccine, Dr. Helen Park said, is safe for children.", "vaccine",
        "Helen Park", "say", "indirect", (), ANY),
    # inverted cue with an apposition: S, added the envoy, Marco Ruiz.
    Row("Talks would resume next week, added the envoy, Marco Ruiz.", "Talks would resume",
        "Marco Ruiz", "add", "indirect", (), "parenthetical_clause"),
    Row("The ceasefire was holding, said the UN envoy, Amadou Diallo.", "ceasefire was holding",
        "Amadou Diallo", "say", "indirect", (), ANY),
    Row("Water supplies were running low, said the mayor, Ines Moreau.", "Water supplies",
        "Ines Moreau", "say", "indirect", (), ANY),
    Row("The budget was balanced, noted the treasurer, Femi Adeyemi.", "budget was balanced",
        "Femi Adeyemi", "note", "indirect", (), ANY),
    Row("All passengers were safe, said the captain, Lucia Bianchi.", "All passengers",
        "Lucia Bianchi", "say", "indirect", (), ANY),
    # noun and that-complements
    Row("The group claimed responsibility for the blast.", "responsibility for the blast",
        ANY, "claim", "indirect", (), "light_verb_claim"),
    Row("A separatist militia claimed responsibility for the attack on the pipeline.",
        "the attack on the pipeline", ANY, "claim", "indirect", (), "light_verb_claim"),
    Row("The Red Hand Brigade claimed responsibility for Sunday's bombing.", "Sunday's bombing",
        ANY, "claim", "indirect", (), "light_verb_claim"),
    Row("The army denied that civilians were hit.", "civilians were hit",
        ANY, "deny", "indirect", (), "reported_clause", "organisation"),
    Row("The ministry denied reports that the minister had resigned.", "the minister had resigned",
        ANY, "deny", "indirect", (), ANY, "organisation"),
    Row("The company denied any wrongdoing in the tender.", "wrongdoing",
        ANY, "deny", "indirect", (), ANY, "organisation"),
    Row("Police denied that officers had used tear gas.", "tear gas",
        ANY, "deny", "indirect", (), ANY),
    Row("The rebels denied involvement in the kidnapping.", "the kidnapping",
        ANY, "deny", "indirect", (), ANY),
    # accusations: X accused Y of Z
    Row("Ankara has accused Athens of violating the airspace.", "violating the airspace",
        "Ankara", "accuse", "indirect", (), "accusation"),
    Row("The opposition accused the government of hiding the true figures.", "hiding the true",
        ANY, "accuse", "indirect", (), "accusation"),
    Row("Minister Pavel Horak blamed the heat wave for the power cuts.", "the power cuts",
        "Pavel Horak", "blame", "indirect", (), "accusation"),
    Row("Activists criticised the council for ignoring the petition.", "ignoring the petition",
        None, "criticise", "indirect", (), "accusation", "group"),
    Row("Coach Nils Berg praised his defenders for their discipline.", "their discipline",
        "Nils Berg", "praise", "indirect", (), "accusation"),
    # was quoted as saying
    Row("Ruben Alvarez was quoted as saying that the talks had failed.", "talks had failed",
        "Ruben Alvarez", "say", "indirect", (), ANY),
    Row("The governor, Mei Ling Chen, was quoted as saying the bridge would reopen.",
        "bridge would reopen", "Mei Ling Chen", "say", "indirect", (), ANY),
    Row("General Ivo Petrov was quoted by a local newspaper as saying the troops would stay.",
        "troops would stay", "Ivo Petrov", "say", "indirect", ("newspaper",), ANY),
    Row("Chancellor Britta Vogel was quoted as saying that taxes would not rise.",
        "taxes would not rise", "Britta Vogel", "say", "indirect", (), ANY),
    Row("Economist Sanjay Rao was quoted as saying inflation had peaked.", "inflation had peaked",
        "Sanjay Rao", "say", "indirect", (), ANY),
]  # fmt: skip

ACCORDING = [
    Row("According to the Harbour Authority, the port will reopen on Monday.", "port will reopen",
        ANY, "according to", "indirect", (), "according_to", "organisation"),
    Row("The fire started in the kitchen, according to the fire brigade.", "fire started",
        ANY, "according to", "indirect", (), "according_to", "organisation"),
    Row("According to Professor Lena Moretti, the glacier lost a tenth of its mass.",
        "glacier lost", "Lena Moretti", "according to", "indirect", (), "according_to"),
    Row("Six people were injured, according to witnesses.", "Six people",
        None, "according to", "indirect", (), "according_to"),
    Row("According to a statement from the club, the coach has resigned.", "coach has resigned",
        ANY, "according to", "indirect", (), "according_to", "document"),
]  # fmt: skip

RELAYS = [
    # chained reporting clauses: “…,” the statement said, TASS reported
    Row('"Two drones were shot down," the statement said, TASS reported.', "Two drones",
        None, "say", "direct", ("TASS",), ANY, "document"),
    Row('"The convoy crossed at dawn," the ministry said, Interfax reported.', "convoy crossed",
        ANY, "say", "direct", ("Interfax",), ANY, "organisation"),
    Row('"The vote is postponed," the commission said in a statement, Reuters reported.',
        "vote is postponed", ANY, "say", "direct", ("Reuters",), ANY, "organisation"),
    # nested: an accusation relayed by an agency
    Row("Ankara has accused Athens of violating the airspace, the Anadolu agency said.",
        "violating the airspace", "Ankara", "accuse", "indirect", ("Anadolu",), "accusation"),
    Row("Moscow has accused Kyiv of shelling the plant, the RIA news agency reported.",
        "shelling the plant", "Moscow", "accuse", "indirect", ("RIA",), "accusation"),
    Row("The army said it had destroyed two launchers, Xinhua reported.", "destroyed two launchers",
        ANY, "say", "indirect", ("Xinhua",), ANY, "organisation"),
    # citing: the reporter speaks, whom it cites is kept in via
    Row("The firm will cut 3,000 jobs, the newspaper reported, citing people familiar with the "
        "matter.", "3,000 jobs", None, "report", "indirect", (), "cited_source", "organisation"),
    Row("The merger was called off, Bloomberg reported, citing two sources.", "merger was called",
        "Bloomberg", "report", "indirect", (), "cited_source"),
    Row("The election will be held in May, the Daily Courier reported, citing a senior official.",
        "held in May", "Daily Courier", "report", "indirect", (), "cited_source"),
    Row("Citing unnamed officials, the Harbour Times said the port would be sold.",
        "port would be sold", "Harbour Times", "say", "indirect", (), ANY),
    Row("Exports fell by a fifth, the agency said, citing customs data.", "Exports fell",
        None, "say", "indirect", (), "cited_source", "organisation"),
    # "quoted as saying": the quoted person speaks, whoever quotes relays
    Row("Interfax quoted the deputy minister, Oleg Sorin, as saying that the pipeline was "
        "repaired.", "pipeline was repaired", "Oleg Sorin", "say", "indirect", ("Interfax",)),
    Row('"We will not allow a second front," army chief Aharon Benami was quoted as saying by '
        "the Haifa Courier.", "second front", "Aharon Benami", "say", "direct",
        ("Haifa Courier",)),
    # a quoted statement whose own first words name its author
    Row('"Director of the National Security Office Ivan Petrenko has stated that the rebels '
        'receive weapons through the northern corridor," the statement said, the Interfax agency '
        "reported.", "rebels receive weapons", "Ivan Petrenko", "state", "indirect",
        ("statement", "Interfax"), ANY, "person"),
    Row('"Head of the Border Guard Service Olena Marchuk has stated that all crossings in the '
        "western region will remain closed to freight traffic until the end of the month and "
        'that passenger traffic will be checked more strictly than before," the statement said, '
        "the agency reported.", "crossings in the western region", "Olena Marchuk", "state",
        "indirect", ("statement", "agency"), ANY),
    Row('"Commander of the Eastern Fleet Admiral Yuri Sokolov said that the exercises would '
        'continue," the statement said, the agency reported.', "exercises would continue",
        "Yuri Sokolov", "say", "indirect", ("statement", "agency"), ANY),
    Row('"Chairman of the Electoral Commission Dana Ilieva has announced that turnout reached 61 '
        'percent," the statement said, BTA reported.', "turnout reached", "Dana Ilieva",
        "announce", "indirect", ("statement", "BTA"), ANY),
    Row('"Minister of Health Tarik Hadzic has confirmed that the clinic will reopen," the '
        'statement read, the agency reported.', "clinic will reopen", "Tarik Hadzic",
        "confirm", "indirect", ANY, ANY),
]  # fmt: skip

FLOATING = [
    # a quotation of its own after a claim (not its continuation: a clause comes between)
    Row('"The roof collapsed in seconds," said firefighter Omar Haddad, who led the team.\n\n'
        '"We got everyone out just in time."', "got everyone out", "Omar Haddad", None,
        "direct", (), "floating_quote"),
    Row('"We will rebuild," said baker Marta Sousa, whose shop burned down.\n\n"The shop has '
        'been in the family for three generations and it will stay."', "three generations",
        "Marta Sousa", None, "direct", (), "floating_quote"),
    # continued over paragraphs: the same cue
    Row('"The roof collapsed in seconds," said firefighter Omar Haddad.\n\n"We got everyone '
        'out just in time."', "got everyone out", "Omar Haddad", "say", "direct", (),
        "quote_continued"),
    # nobody quoted nearby: the person named last, for a long quotation
    Row('Paolo Ricci has run the animal shelter in Verona for ten years.\n\n"We have never had '
        'so many dogs left here in one summer."', "so many dogs", "Paolo Ricci", None, "direct",
        (), "floating_orphan"),
    # a pull quote signed at the end of its paragraph
    Row("Victims of the flood are still waiting for help from the city and its insurers. "
        "Fatima Yilmaz, resident", "waiting for help", "Fatima Yilmaz", None, "indirect", (),
        "signed_paragraph"),
]  # fmt: skip


@pytest.mark.parametrize("row", QUOTATIONS, ids=str)
def test_quotation_rules(row: Row) -> None:
    check(row)


@pytest.mark.parametrize("row", CLAUSES, ids=str)
def test_clause_rules(row: Row) -> None:
    check(row)


@pytest.mark.parametrize("row", ACCORDING, ids=str)
def test_according_to(row: Row) -> None:
    check(row)


@pytest.mark.parametrize("row", RELAYS, ids=str)
def test_relays(row: Row) -> None:
    check(row)


@pytest.mark.parametrize("row", FLOATING, ids=str)
def test_floating_quotations(row: Row) -> None:
    check(row)


NEGATIVES = [
    # "said goodbye" and other objects that are not a report
    "He said goodbye and walked out.",
    "The players said goodbye to their coach at the station.",
    "The priest said a prayer for the victims.",
    "She said thanks to the volunteers and left.",
    "The crowd said farewell to the old stadium on Sunday.",
    # asked whether / was asked: a question, not a claim of the one asked
    "Asked whether he would resign, the minister declined to comment.",
    "The mayor was asked if the budget would be cut.",
    "Reporters asked whether the plant would close.",
    "She was asked about the merger on Tuesday.",
    "When asked if the talks had failed, the envoy smiled.",
    # headlines and captions
    "Minister says taxes will fall\n\nThe budget was published on Monday.",
    "Police say suspect fled by boat\n\nThe harbour was closed for two hours.",
    "Coach warns of tough season\n\nThe team trained in the rain.",
    "Farmers claim drought losses\n\nFields in the south are dry.",
    "Mayor vows to fix roads\n\nThe council meets on Thursday.",
    # datelines open the copy; they never speak
    "BUFFALO, N.Y. — The snowstorm closed every school in the county.",
    "LONDON (Reuters) - Shares rose on Monday after a quiet week.",
    "KYIV, Ukraine (AP) — Trains ran again between the two cities.",
    "NAIROBI — Heavy rains flooded the main road to the airport.",
    "ROME — The museum reopened after a long restoration.",
    # the writer's own voice, refusals, addressees
    "I think the council made the right choice.",
    "We believe the new rules are fair.",
    "The spokesman declined to say why the meeting was cancelled.",
    "The company refused to comment on the report.",
    "He was told he had lost his job.",
]


@pytest.mark.parametrize("text", NEGATIVES, ids=lambda t: t[:40])
def test_negatives(text: str) -> None:
    check_none(text)
