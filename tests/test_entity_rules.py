"""Each entity rule on its own: name parsing and merging (pure), span rules and recall rules on
real parses, kind rules on mention lists. Names are fictional."""

from __future__ import annotations

import pytest

from extractors.aliases import alias_table
from extractors.claims import sentence_index
from extractors.entities import build_entities
from extractors.entities.build import retype_known_places, retype_person_names, vote_labels
from extractors.entities.context import Piece, SpanContext, is_headline_line, person_knowledge
from extractors.entities.model import EntMention
from extractors.entities.orgs import country_after_place, resolve_acronyms_by_initials, resolve_org
from extractors.entities.persons import (
    display_form,
    fullest_form,
    is_longer_form,
    parse_name,
    resolve_single,
)
from extractors.entities.spans import (
    cut_person_at_break,
    retype_dateline,
    retype_honorific,
    retype_relative_who,
    split_org_person,
    split_possessive,
    trim_edges,
    trim_leading_non_name,
    trim_person_title,
    trim_to_known_name,
    veto_common_word,
    veto_headline_fragment,
)
from extractors.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


# --- person names (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "title", "given", "surname", "suffix"),
    [
        ("Anna Kovacs", (), ("Anna",), "Kovacs", ""),
        ("Mr Moore", ("Mr",), (), "Moore", ""),
        ("Sir Keir", ("Sir",), (), "Keir", ""),
        ("Gen. Tobias M. Renk", ("Gen.",), ("Tobias", "M."), "Renk", ""),
        ("Prime Minister Jonas Albrecht", ("Prime", "Minister"), ("Jonas",), "Albrecht", ""),
        ("Patrick W. Carlino Jr.", (), ("Patrick", "W."), "Carlino", "Jr"),
        ("Robert Dunmore, Jr.", (), ("Robert",), "Dunmore", "Jr"),
        ("Ursula von der Leyen", (), ("Ursula",), "von der Leyen", ""),
        ("Ben Sasse", (), ("Ben",), "Sasse", ""),
        ("Osama bin Laden", (), ("Osama",), "bin Laden", ""),
        ("Abu Anas Al Saud", (), ("Abu", "Anas"), "Al Saud", ""),
        ("de Gaulle", (), (), "de Gaulle", ""),
        ("Afrasiab Anwar MBE", (), ("Afrasiab",), "Anwar", ""),
        ("Kessler's", (), (), "Kessler", ""),
        ("King Charles", (), ("King",), "Charles", ""),
        ("King Charles III", (), ("King",), "Charles", "III"),
    ],
)
def test_parse_name(surface, title, given, surname, suffix):
    p = parse_name(surface)
    assert (p.title, p.given, p.surname, p.suffix) == (title, given, surname, suffix)


@pytest.mark.parametrize(
    ("short", "full", "same"),
    [
        ("Anna Kovacs", "Anna Maria Kovacs", True),
        ("A. Kovacs", "Anna Kovacs", True),
        ("Patrick Carlino", "Patrick W. Carlino", True),
        ("Abu Amer", "Abu Hassan Amer", True),
        ("Hunter Biden", "Joe Biden", False),
        ("Elena Varga", "Tomas Varga", False),
        ("Donald Trump", "Donald Trump Jr", False),
        ("Anna Kovacs", "Anna Kovacs-Lind", False),
        ("Maria Ellwood", "Maria T. Ellwood", True),
    ],
)
def test_is_longer_form(short, full, same):
    assert is_longer_form(parse_name(short), parse_name(full)) is same


def _fulls(*names):
    return [parse_name(n) for n in names]


@pytest.mark.parametrize(
    ("single", "fulls", "want", "rule"),
    [
        ("Starmer", ["Keir Starmer", "Boris Johnson"], "Keir Starmer", "person-surname"),
        ("Mr Moore", ["Tom Moore"], "Tom Moore", "person-title-surname"),
        ("Sir Keir", ["Keir Starmer"], "Keir Starmer", "person-title-given"),
        ("Oriana", ["Oriana Feld", "Lena Marsh"], "Oriana Feld", "person-given"),
        ("Biden", ["Hunter Biden", "Joe Biden"], None, "person-ambiguous"),
        ("Taylor", ["Taylor Brooks", "Nina Taylor"], None, "person-ambiguous"),
        ("Kovacs", ["Anna Kovacs", "Anna Maria Kovacs"], "Anna Maria Kovacs", "person-surname"),
        ("Mrs Hartmann", ["Lena Hartmann", "Jakob Hartmann"], None, "person-ambiguous"),
        ("Quill", ["Harriet Moss"], None, "person-alone"),
    ],
)
def test_resolve_single(single, fulls, want, rule):
    target, got_rule = resolve_single(parse_name(single), _fulls(*fulls))
    assert (target.full if target else None, got_rule) == (want, rule)


def test_fullest_form_is_unique_or_none():
    fulls = _fulls("Anna Kovacs", "Anna Maria Kovacs", "Anna Beata Kovacs")
    assert fullest_form(parse_name("Anna Kovacs"), fulls) is None  # two fuller forms
    assert fullest_form(parse_name("Anna Kovacs"), fulls[:2]).full == "Anna Maria Kovacs"


@pytest.mark.parametrize(
    ("variants", "want"),
    [(["TRUMP", "Trump", "Trump"], "Trump"), (["Kovacs"], "Kovacs"), (["ROE"], "ROE")],
)
def test_display_form(variants, want):
    assert display_form(variants) == want


@pytest.mark.parametrize(
    ("line", "tags", "headline"),
    [
        ("Trump's Lawyers Argue He Is Immune",
         ["NNP", "POS", "NNPS", "VBP", "PRP", "VBZ", "JJ"], True),
        ("Man Shot Near Station", ["NN", "VBN", "IN", "NN"], True),
        ("Questioning Vindman's judgment", ["VBG", "NNP", "POS", "NN"], False),  # lower case
        ("Lawyers for Donald Trump argued on Tuesday.", ["NNS", "IN", "NNP", "NNP", "VBD"], False),
        ("RUGBY UNION - CUTTITTA BACK FOR ITALY", ["NNP"] * 7, False),  # all capitals
        ("Manchester United 2 Leicester 1", ["NNP", "NNP", "CD", "NNP", "CD"], False),
        ("William Hill betting on Saturday's", ["NNP", "NNP", "VBG", "IN", "NNP", "POS"], False),
        ("Keir Starmer", ["NNP", "NNP"], False),  # no verb: a caption or byline
    ],
)  # fmt: skip
def test_is_headline_line(line, tags, headline):
    assert is_headline_line(line, tags) is headline


# --- span rules on real parses ---------------------------------------------------------------


def _ctx(nlp, text):
    doc = nlp(text)
    ctx = SpanContext(doc, alias_table(), doc.text)
    person_knowledge([Piece(list(e), e.label_) for e in doc.ents], ctx)
    return doc, ctx


def _piece(doc, surface, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(surface, start + 1)
    span = doc.char_span(start, start + len(surface), alignment_mode="expand")
    return Piece(list(span), label)


def _run(rule, nlp, text, surface, label, nth=0):
    doc, ctx = _ctx(nlp, text)
    return [(p.text, p.label) for p in rule(_piece(doc, surface, label, nth), ctx)]


@pytest.mark.parametrize(
    ("text", "surface", "label", "want"),
    [
        ("Russian Foreign Intelligence Service Sergey Naryshkin said so.",
         "Russian Foreign Intelligence Service Sergey Naryshkin", "ORG",
         [("Russian Foreign Intelligence Service", "ORG"), ("Sergey Naryshkin", "PERSON")]),
        ("SVR Director Sergey Naryshkin added that talks were possible.",
         "SVR Director Sergey Naryshkin", "ORG", [("SVR", "ORG"), ("Sergey Naryshkin", "PERSON")]),
        ("Interior Minister Jane Roe said the border would stay closed.",
         "Interior Minister Jane Roe", "ORG", [("Jane Roe", "PERSON")]),
        ("The Northland Border Agency Petra Holm said the queues were long.",
         "Northland Border Agency Petra Holm", "ORG",
         [("Northland Border Agency", "ORG"), ("Petra Holm", "PERSON")]),
        ("Envoy Kurt Lemke spoke. Then Ukraine Kurt Lemke met officials.",
         "Ukraine Kurt Lemke", "ORG", [("Ukraine", "ORG"), ("Kurt Lemke", "PERSON")]),
        # an "of" name ends at a place or a plural; a place after "of"/"to" ends it too
        ("Governor of the Bank of Moldova Ion Ciobanu spoke.", "Bank of Moldova Ion Ciobanu",
         "ORG", [("Bank of Moldova", "ORG"), ("Ion Ciobanu", "PERSON")]),
        ("Head of the Ministry of Water Resources Dilnoza Rakhimova spoke.",
         "Ministry of Water Resources Dilnoza Rakhimova", "ORG",
         [("Ministry of Water Resources", "ORG"), ("Dilnoza Rakhimova", "PERSON")]),
        ("The former envoy to Latvia Anders Holm spoke.", "Latvia Anders Holm", "ORG",
         [("Latvia", "ORG"), ("Anders Holm", "PERSON")]),
        ("President of the Union of Farmers of Estonia Kristjan Saar spoke.",
         "Estonia Kristjan Saar", "ORG", [("Estonia", "ORG"), ("Kristjan Saar", "PERSON")]),
        ("Flights of Ukraine International Airlines resumed.", "Ukraine International Airlines",
         "ORG", [("Ukraine International Airlines", "ORG")]),  # a plural: no person
        ("The Ministry of Foreign Affairs Press Office replied.",
         "Ministry of Foreign Affairs Press Office", "ORG",
         [("Ministry of Foreign Affairs Press Office", "ORG")]),  # a head noun: no person
        ("The Bank of England raised rates.", "Bank of England", "ORG",
         [("Bank of England", "ORG")]),
        ("Officials at the Coastal Defence Command said the drills ended.",
         "Coastal Defence Command", "ORG", [("Coastal Defence Command", "ORG")]),
    ],
)  # fmt: skip
def test_split_org_person(nlp, text, surface, label, want):
    assert _run(split_org_person, nlp, text, surface, label) == want


@pytest.mark.parametrize(
    ("text", "surface", "want"),
    [
        ("Jeff Ostrow's Blue Harbor won the bid.", "Jeff Ostrow's Blue Harbor",
         [("Jeff Ostrow", "PERSON"), ("Blue Harbor", "ORG")]),
        ("Gary Heidmann's Kyiv flat was searched.", "Gary Heidmann's Kyiv",
         [("Gary Heidmann", "PERSON"), ("Kyiv", "GPE")]),
        ("Trump's Lawyers Argue He Is Immune", "Trump's Lawyers Argue",
         [("Trump", "ORG"), ("Lawyers Argue", "ORG")]),
        # a trailing possessive is trim_edges' work
        ("Critics attacked Lindt's plan.", "Lindt's", [("Lindt's", "PERSON")]),
        # a members' genitive before an organisation's head noun is part of the name
        ("The European Federation of Farmers' Unions said prices would fall.",
         "European Federation of Farmers' Unions",
         [("European Federation of Farmers' Unions", "ORG")]),
        ("The Guild of Dockworkers' Associations met.", "Guild of Dockworkers' Associations",
         [("Guild of Dockworkers' Associations", "ORG")]),
        ("The Taxi Drivers' Council met.", "Taxi Drivers' Council",
         [("Taxi Drivers' Council", "ORG")]),
        ("The Nurses' Union said pay was too low.", "Nurses' Union",
         [("Nurses' Union", "ORG")]),
        ("The Riverside Tenants' Association said rents rose.", "Riverside Tenants' Association",
         [("Riverside Tenants' Association", "ORG")]),
        # an owner that is no plural class still owns what follows
        ("Halvorsen's Shipping Group bought it.", "Halvorsen's Shipping Group",
         [("Halvorsen", "ORG"), ("Shipping Group", "ORG")]),
    ],
)  # fmt: skip
def test_split_possessive(nlp, text, surface, want):
    label = "ORG" if any(w in surface for w in ("Lawyers", "Union", "Council", "Group",
                                                "Association")) else "PERSON"  # fmt: skip
    assert _run(split_possessive, nlp, text, surface, label) == want


@pytest.mark.parametrize(
    ("text", "surface", "want"),
    [
        ("Aiden Haig 1 goal, Grace Hanks 2", "Aiden Haig 1 goal", ["Aiden Haig"]),
        ("Issam Abdallah - found dead", "Issam Abdallah - found", ["Issam Abdallah", "found"]),
        ("Boulter, Burrage, Draper all won.", "Boulter, Burrage, Draper",
         ["Boulter", "Burrage", "Draper"]),
        ("Anna Kovacs-Lind spoke.", "Anna Kovacs-Lind", ["Anna Kovacs-Lind"]),
        ("Elizabeth 2 won.", "Elizabeth 2", ["Elizabeth"]),
    ],
)  # fmt: skip
def test_cut_person_at_break(nlp, text, surface, want):
    assert [t for t, _ in _run(cut_person_at_break, nlp, text, surface, "PERSON")] == want


@pytest.mark.parametrize(
    ("text", "surface", "want"),
    [
        ("the Kremlin said", "the Kremlin", "Kremlin"),
        ("Ostrow's allies met", "Ostrow's", "Ostrow"),
        ("a statement by 's Haqqani today", "'s Haqqani", "Haqqani"),
        ("the report (the Audit Board) said", "Audit Board)", "Audit Board"),
    ],
)
def test_trim_edges(nlp, text, surface, want):
    assert [t for t, _ in _run(trim_edges, nlp, text, surface, "ORG")] == [want]


@pytest.mark.parametrize(
    ("text", "surface", "want"),
    [
        ("Foreign Minister Sergei Lavrov said no.", "Foreign Minister Sergei Lavrov",
         "Sergei Lavrov"),
        ("Councillor Afrasiab Anwar MBE said the council was ready.",
         "Councillor Afrasiab Anwar MBE", "Afrasiab Anwar"),
        ("Mrs Jane Smith was there.", "Mrs Jane Smith", "Jane Smith"),
        ("Prime Minister Jonas Albrecht met unions.", "Prime Minister Jonas Albrecht",
         "Jonas Albrecht"),
        ("Jane Roe KC appeared for the family.", "Jane Roe KC", "Jane Roe"),
        ("John Major spoke.", "John Major", "John Major"),  # "Major" after a name is the name
    ],
)  # fmt: skip
def test_trim_person_title(nlp, text, surface, want):
    assert _run(trim_person_title, nlp, text, surface, "PERSON") == [(want, "PERSON")]


@pytest.mark.parametrize(
    ("text", "surface", "want"),
    [
        ("Wearing Alaïa again, Zendaya sported a white gown.", "Wearing Alaïa", "Alaïa"),
        ("Tim Cook spoke. Hosting Cook at the summit is our dream, Benioff said.",
         "Hosting Cook", "Cook"),
        ("Alexander Vindman testified. Questioning Vindman's judgment, Castor pressed on.",
         "Questioning Vindman", "Vindman"),
        ("Sterling Moss won the race.", "Sterling Moss", "Sterling Moss"),  # a real first name
        ("Mrs Quill spoke. Later Harriet Quill resigned.", "Later Harriet Quill", "Harriet Quill"),
    ],
)  # fmt: skip
def test_trim_leading_non_name(nlp, text, surface, want):
    assert _run(trim_leading_non_name, nlp, text, surface, "PERSON") == [(want, "PERSON")]


@pytest.mark.parametrize(
    ("text", "surface", "want"),
    [
        ("Myles Garrett was fined. DL Myles Garrett will appeal.", "DL Myles Garrett",
         "Myles Garrett"),
        ("Greedy Williams starts. Browns Greedy Williams was injured.",
         "Browns Greedy Williams", "Greedy Williams"),
        ("Anna Maria Kovacs spoke.", "Anna Maria Kovacs", "Anna Maria Kovacs"),  # nothing known
        # the longer form first is the introduction: a given name, not glued words
        ("The board named Kathleen Rook Weller. Rook Weller said she was ready.",
         "Kathleen Rook Weller", "Kathleen Rook Weller"),
        ("Finance Minister María Inés Vidal Soto spoke. Vidal Soto added more.",
         "María Inés Vidal Soto", "María Inés Vidal Soto"),
        ("Coach Joel Lind Ek praised them. Lind Ek said so.", "Joel Lind Ek", "Joel Lind Ek"),
    ],
)  # fmt: skip
def test_trim_to_known_name(nlp, text, surface, want):
    assert _run(trim_to_known_name, nlp, text, surface, "PERSON") == [(want, "PERSON")]


@pytest.mark.parametrize(
    ("text", "surface", "label", "want"),
    [
        ("BUFFALO, N.Y. (AP) — A man was charged.", "BUFFALO", "NORP", "GPE"),
        ("HONOLULU (AP) — Scientists said the volcano was calm.", "HONOLULU", "ORG", "GPE"),
        ("SANTA FE, N.M. — Officials said the shelter would reopen.", "SANTA FE", "ORG", "GPE"),
        ("ROME 1996-12-06\nItaly recalled the winger.", "ROME", "ORG", "GPE"),
        ("The NATO summit opened (briefly) today.", "NATO", "ORG", "ORG"),  # not at a line start
        ("IBM said profits rose.", "IBM", "ORG", "ORG"),  # no dateline after it
        ("DETROIT 4 Edmonton 2\nBOSTON 3 Hartford 1", "DETROIT", "ORG", "ORG"),  # a score line
    ],
)
def test_retype_dateline(nlp, text, surface, label, want):
    assert _run(retype_dateline, nlp, text, surface, label)[0][1] == want


@pytest.mark.parametrize(
    ("text", "surface", "label", "want"),
    [
        ("Mr Moore said so.", "Moore", "ORG", [("Moore", "PERSON")]),
        ("Dame Ottilie said art belonged to everyone.", "Dame Ottilie", "ORG",
         [("Ottilie", "PERSON")]),
        ("Lt. Col. Ruben Okafor briefed reporters.", "Ruben Okafor", "ORG",
         [("Ruben Okafor", "PERSON")]),
        ("The Foreign Ministry said so.", "Ministry", "ORG", [("Ministry", "ORG")]),
        ("Reuters reported it.", "Reuters", "ORG", [("Reuters", "ORG")]),
    ],
)  # fmt: skip
def test_retype_honorific(nlp, text, surface, label, want):
    assert _run(retype_honorific, nlp, text, surface, label) == want


@pytest.mark.parametrize(
    ("text", "surface", "label", "kept"),
    [
        ("Trump's Lawyers Argue He Is Immune\nLawyers for Donald Trump argued.",
         "Lawyers Argue", "ORG", False),
        ("Trump's Lawyers Argue He Is Immune\nLawyers for Donald Trump argued.",
         "Trump", "ORG", True),
        ("Police Say Man Was Shot\nA man was shot, police said.", "Man", "PERSON", False),
        ("Kovacs Wins Vote In Parliament\nAnna Kovacs won the vote.", "Kovacs", "PERSON", True),
        ("Anna Kovacs won the vote in parliament on Monday.", "Anna Kovacs", "PERSON", True),
    ],
)  # fmt: skip
def test_veto_headline_fragment(nlp, text, surface, label, kept):
    assert bool(_run(veto_headline_fragment, nlp, text, surface, label)) is kept


@pytest.mark.parametrize(
    ("text", "surface", "kept"),
    [
        ("Studies show that the plan failed.", "Studies", False),
        ("After several rounds of talks they left.", "rounds", False),
        ("The old man left.", "old", False),
        ("It was Ostrow's plan.", "'s", False),
        ("Anna Kovacs spoke. Kovacs left.", "Kovacs", True),
        ("Ingrid Solberg arrived.", "Ingrid Solberg", True),
    ],
)
def test_veto_common_word(nlp, text, surface, kept):
    assert bool(_run(veto_common_word, nlp, text, surface, "PERSON")) is kept


# --- kind rules on mention lists (pure) ------------------------------------------------------


def _m(text, label):
    return EntMention(0, len(text), text, label, 0, 0, 1)


@pytest.mark.parametrize(
    ("mentions", "want"),
    [
        ([("Ghislaine Maxwell", "PERSON"), ("Maxwell", "ORG")], ["PERSON", "PERSON"]),
        ([("Kamala Harris", "PERSON"), ("Kamala", "GPE")], ["PERSON", "PERSON"]),
        ([("Yahya Sinwar", "PERSON"), ("Yahya Sinwar", "GPE")], ["PERSON", "PERSON"]),
        ([("Petrescu", "PERSON"), ("Nadia Petrescu", "ORG")], ["PERSON", "PERSON"]),
        ([("Petrescu", "PERSON"), ("Petrescu Holdings Group", "ORG")], ["PERSON", "ORG"]),
        ([("Michael Jordan", "PERSON"), ("Jordan", "GPE")], ["PERSON", "GPE"]),  # alias table
        ([("Tom Ford", "PERSON"), ("Reuters", "ORG")], ["PERSON", "ORG"]),
    ],
)
def test_retype_person_names(mentions, want):
    ms = [_m(t, lab) for t, lab in mentions]
    retype_person_names(ms, alias_table())
    assert [m.label for m in ms] == want


@pytest.mark.parametrize(
    ("mentions", "want"),
    [
        ([("Australia", "PERSON"), ("Tom Ford", "PERSON")], ["GPE", "PERSON"]),
        ([("Kyiv", "PERSON")], ["GPE"]),
        ([("Michael Jordan", "PERSON"), ("Jordan", "PERSON")], ["PERSON", "PERSON"]),
        ([("Harriet Quill", "PERSON")], ["PERSON"]),
    ],
)
def test_retype_known_places(mentions, want):
    ms = [_m(t, lab) for t, lab in mentions]
    retype_known_places(ms, alias_table())
    assert [m.label for m in ms] == want


@pytest.mark.parametrize(
    ("labels", "want"),
    [
        (["ORG", "FAC", "ORG"], ["ORG", "ORG", "ORG"]),
        (["ORG", "GPE"], ["ORG", "GPE"]),  # a tie: no evidence either way
        (["PERSON", "PERSON", "ORG"], ["PERSON", "PERSON", "PERSON"]),
    ],
)
def test_vote_labels(labels, want):
    ms = [_m("Fairmont Lodge", lab) for lab in labels]
    vote_labels(ms, alias_table())
    assert [m.label for m in ms] == want


# --- recall rules and the whole article ------------------------------------------------------


def _mentions(nlp, text):
    doc = nlp(text)
    return build_entities(doc, sentence_index(doc)).mentions


@pytest.mark.parametrize(
    ("text", "surface", "canonical", "rule"),
    [
        ("Investigators questioned Leona Farrant on Tuesday. Farrant denied any wrongdoing.",
         "Farrant", "Leona Farrant", "add-surname"),
        ("Kwame Mensah moved to the city in 2019. Kwame now runs a bakery.",
         "Kwame", "Kwame Mensah", "add-given-name"),
        ("Dame Ottilie Marsh opened the gallery on Friday.", "Ottilie Marsh", "Ottilie Marsh",
         "add-honorific-name"),
        ('"We will not back down," Sir Keir Starmer said. Starmer later added that it was final.',
         "Starmer", "Keir Starmer", "add-surname"),
    ],
)  # fmt: skip
def test_recall_rules(nlp, text, surface, canonical, rule):
    found = [m for m in _mentions(nlp, text) if m.text == surface]
    assert found and (found[0].canonical, found[0].kind) == (canonical, "person")
    assert any(m.span_rule == rule for m in found)


def test_recall_skips_a_surname_the_article_uses_as_a_word(nlp):
    text = "Economist Tom Price spoke. Price rises slowed in May, and the price of fuel fell."
    added = [m for m in _mentions(nlp, text) if m.span_rule == "add-surname"]
    assert [m.text for m in added if m.start == text.index("Price rises")] == []


def test_recall_never_takes_part_of_a_longer_name(nlp):
    text = "Leona Farrant spoke first. Farrant Road was closed. Tom Farrant was not there."
    ms = _mentions(nlp, text)
    added = [m for m in ms if m.span_rule.startswith("add-")]
    assert not any(text[m.end : m.end + 5] == " Road" for m in added)
    by_text = {m.text: m for m in ms}
    assert by_text["Tom Farrant"].kind == "person"
    assert by_text["Tom Farrant"].entity_id != by_text["Leona Farrant"].entity_id


@pytest.mark.parametrize(
    ("text", "surface", "canonical"),
    [
        ("Mr Pryce arrived late. Alden Pryce's aides said he had been delayed.",
         "Alden Pryce", "Alden Pryce"),
        ("Mrs Quill spoke first. Later Harriet Quill told the committee she would resign.",
         "Harriet Quill", "Harriet Quill"),
    ],
)  # fmt: skip
def test_recall_full_name_of_a_known_surname(nlp, text, surface, canonical):
    found = [m for m in _mentions(nlp, text) if m.text == surface]
    assert found and (found[0].canonical, found[0].kind) == (canonical, "person")


def test_same_person_same_id_across_articles(nlp):
    a = _mentions(nlp, "Prime Minister Alden Pryce said the plan would work. Pryce left.")
    b = _mentions(nlp, "Mr Pryce arrived late. Alden Pryce's aides said he had been delayed.")
    ids_a = {m.entity_id for m in a if m.kind == "person"}
    ids_b = {m.entity_id for m in b if m.kind == "person"}
    assert len(ids_a) == 1 and ids_a == ids_b


# --- organisations and places (pure) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "acronyms", "canonical", "kind", "rule"),
    [
        ("SVR", {}, "Foreign Intelligence Service of Russia", "org", "alias"),
        ("Interfax", {}, "Interfax", "agency", "alias"),
        ("Hezbollah", {}, "Hezbollah", "group", "alias"),
        ("CWA", {"CWA": "Coastal Water Authority"}, "Coastal Water Authority", "org",
         "acronym-defined"),
        ("AFP", {"AFP": "Agence France-Presse"}, "Agence France-Presse", "agency", "alias"),
        ("Harbour Trust", {}, "Harbour Trust", "org", "surface"),
    ],
)  # fmt: skip
def test_resolve_org(surface, acronyms, canonical, kind, rule):
    m = _m(surface, "ORG")
    m.canonical, m.kind, m.rule = surface, "org", "surface"
    resolve_org(m, surface, alias_table(), acronyms)
    assert (m.canonical, m.kind, m.rule) == (canonical, kind, rule)


@pytest.mark.parametrize(
    ("names", "acronym", "want"),
    [
        (["National Audit Board"], "NAB", "National Audit Board"),
        (["Coastal Water Authority", "Harbour Trust"], "CWA", "Coastal Water Authority"),
        (["Harbour Trust"], "NAB", "NAB"),  # no organisation with those initials
    ],
)
def test_resolve_acronyms_by_initials(names, acronym, want):
    ms = [_m(n, "ORG") for n in [*names, acronym]]
    for m in ms:
        m.canonical, m.kind = m.text, "org"
    resolve_acronyms_by_initials(ms, {})
    assert ms[-1].canonical == want


@pytest.mark.parametrize(
    ("text", "place", "cc"),
    [
        ("Shelling hit Vovchansk, Ukraine, on Monday.", "Vovchansk", "UA"),
        ("The plant in Lyon, France said output fell.", "Lyon", "FR"),
        ("Residents of Springfield gathered.", "Springfield", None),
    ],
)
def test_country_after_place(text, place, cc):
    start = text.index(place)
    m = EntMention(start, start + len(place), place, "GPE", 0, 0, 1, place, "place")
    country_after_place(m, text, alias_table())
    assert m.country_code == cc


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The Coastal Defence Agency of Norway said the drills ended.",
         "Coastal Defence Agency of Norway"),
        ("The Federation of Olive Growers of Greece warned that prices would fall.",
         "Federation of Olive Growers of Greece"),
        ("The Supreme Electoral Council of Peru announced the results.",
         "Supreme Electoral Council of Peru"),
        ("The Canadian Embassy in Lima said it was following the case.",
         "Canadian Embassy in Lima"),
        ("The Maritime Safety Authority of Kenya said the port was closed.",
         "Maritime Safety Authority of Kenya"),
    ],
)  # fmt: skip
def test_join_org_place(nlp, text, want):
    """An organisation's name runs on through "of <country>" (or a mission's "in <city>")."""
    orgs = [m.canonical for m in _mentions(nlp, text) if m.kind == "org"]
    assert want in orgs, orgs


@pytest.mark.parametrize(
    "text",
    [
        "The president of Portugal met the Harbour Board in Lisbon.",
        "Shares of Velora Motors rose in Germany.",
        "Staff at the Lindqvist Clinic in Sweden said they were tired.",
        "A spokesman for Nordvik Energy of all people said so.",
        "The Harbour Board of Directors met in Oslo.",
    ],
)
def test_join_org_place_leaves_other_places(nlp, text):
    places = [m.text for m in _mentions(nlp, text) if m.kind == "place"]
    orgs = [m.canonical for m in _mentions(nlp, text) if m.kind == "org"]
    assert not any(" of " + p in o or " in " + p in o for o in orgs for p in places), orgs


@pytest.mark.parametrize(
    ("text", "surface", "label", "want"),
    [
        ("Dorian Vale, who represents the tenants, said the rent was illegal.", "Dorian Vale",
         "ORG", "PERSON"),
        ("Marisol Quint, who chairs the panel, spoke first.", "Marisol Quint", "GPE", "PERSON"),
        ("Tobias Renn Castell, who wrote the report, declined to comment.", "Tobias Renn Castell",
         "ORG", "PERSON"),
        # an organisation's head noun, a known organisation, or no "who": unchanged
        ("Harbour Union, who called the strike, met again.", "Harbour Union", "ORG", "ORG"),
        ("Amnesty International, who published the report, said so.", "Amnesty International",
         "ORG", "ORG"),
        ("Dorian Vale, which owns the site, said it would sell.", "Dorian Vale", "ORG", "ORG"),
    ],
)  # fmt: skip
def test_retype_relative_who(nlp, text, surface, label, want):
    assert _run(retype_relative_who, nlp, text, surface, label) == [(surface, want)]
