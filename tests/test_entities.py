"""Entities, aliases and speaker resolution with the real model."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from extractors.aliases import alias_table
from extractors.analysis import analyse, analysis_to_json
from extractors.entities import find_definitions, initials
from extractors.nlp import load_nlp
from extractors.records import entity_id_for

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _analyse(nlp, text):
    (a,) = list(analyse(nlp, [("t", text, "en")]))
    return a, analysis_to_json(a, text)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("ISIL", "Islamic State"),
        ("ISIS", "Islamic State"),
        ("Daesh", "Islamic State"),
        ("the Islamic State", "Islamic State"),
        ("US", "United States"),
        ("U.S.", "United States"),
        ("the Americans", "United States"),
        ("MNA", "Mehr News Agency"),
        ("Mehr", "Mehr News Agency"),
        ("AFP", "Agence France-Presse"),
        ("AP", "Associated Press"),
        ("RIA Novosti", "RIA Novosti"),
        ("Xinhua", "Xinhua"),
        ("IRNA", "IRNA"),
        ("Russian Federation", "Russia"),
        ("Iran, Islamic Republic of", "Iran"),
        ("Bolivia", "Bolivia"),
        ("Nato", "NATO"),
        ("the Kremlin", "Kremlin"),
        ("SBU", "Security Service of Ukraine"),
        ("SVR", "Foreign Intelligence Service of Russia"),
        ("Russian Foreign Intelligence Service", "Foreign Intelligence Service of Russia"),
        ("Rosgvardia", "National Guard of Russia"),
        ("Russian Investigative Committee", "Investigative Committee of Russia"),
        ("NABU", "National Anti-Corruption Bureau of Ukraine"),
        ("Ukraine's Interior Ministry", "Ukrainian Ministry of Internal Affairs"),
        ("ASIO", "Australian Security Intelligence Organisation"),
        ("Verfassungsschutz", "Federal Office for the Protection of the Constitution"),
        ("Scotland Yard", "Metropolitan Police"),
        ("FDA", "Food and Drug Administration"),
        ("U.S. Securities and Exchange Commission", "Securities and Exchange Commission"),
        ("OHCHR", "UN Human Rights Office"),
        ("International Labour Organisation", "International Labour Organization"),
        ("Interpol", "Interpol"),
        ("CSTO", "Collective Security Treaty Organization"),
        ("The Wall Street Journal", "Wall Street Journal"),
    ],
)
def test_alias_table(alias, canonical):
    e = alias_table().lookup(alias)
    assert e is not None and e.canonical == canonical


def test_short_acronyms_are_case_sensitive():
    t = alias_table()
    assert t.lookup("is") is None and t.lookup("us") is None and t.lookup("ap") is None
    assert t.lookup("ice") is None and t.lookup("sec") is None and t.lookup("cis") is None
    assert t.lookup("IS").canonical == "Islamic State"


def test_places_have_country_codes():
    t = alias_table()
    assert t.lookup("Kyiv").country_code == "UA"
    assert t.lookup("Kiev").canonical == "Kyiv"
    assert t.lookup("Germany").country_code == "DE"


def test_acronym_definitions():
    assert initials("National Security Office") == "NSO"
    defs = find_definitions("The Organization of American States (OAS) met. The OAS said.")
    assert defs == {"OAS": "Organization of American States"}


def test_mentions_merge_into_one_entity(nlp):
    text = (
        "Islamic State claimed the attack. ISIS fighters were seen nearby, and Daesh later "
        "posted a video. Ivan Petrenko spoke first; Petrenko said the U.S. and the Americans "
        "had been warned."
    )
    a, out = _analyse(nlp, text)
    canon = {e["text"]: e["canonical"] for e in out["entities"]}
    assert canon.get("Petrenko") == "Ivan Petrenko"
    assert canon.get("U.S.") == "United States"
    ids = {m.entity_id for m in a.mentions if m.surface in ("ISIS", "Daesh", "Islamic State")}
    assert ids == {entity_id_for("group", "Islamic State")}
    for e in out["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]


def test_acronym_in_text_and_by_initials(nlp):
    text = (
        "The Organization of American States (OAS) held an emergency session. "
        "The OAS said the results could not be verified. "
        "Officials at the National Security Office spoke. The NSO noted the risks."
    )
    _a, out = _analyse(nlp, text)
    by_text = {e["text"]: e["canonical"] for e in out["entities"]}
    assert by_text.get("OAS") == "Organization of American States"
    assert by_text.get("NSO") == "National Security Office"


def test_known_places_split_and_normalised(nlp):
    a, _out = _analyse(nlp, "New attacks were being planned in Kharkiv and Odesa, officials said.")
    places = {e.canonical_name: e.country_code for e in a.entities if e.kind == "place"}
    assert places == {"Kharkiv": "UA", "Odesa": "UA"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Sergei Lavrov arrived in Ankara. He said the talks were useful.", "Sergei Lavrov"),
        ("Kaja Kallas spoke first. She said sanctions would stay.", "Kaja Kallas"),
        (
            "The Russian Foreign Ministry summoned the envoy. The ministry said the move was hostile.",  # noqa: E501
            "Russian Ministry of Foreign Affairs",
        ),
        (
            "Amnesty International issued a report. They warned that abuses were rising.",
            "Amnesty International",
        ),
        ("The Americans said the deal was close.", "United States"),
        ("ISIL claimed that its fighters carried out the attack.", "Islamic State"),
        (
            "Agence France-Presse (AFP) obtained the letter. AFP said the letter was genuine.",
            "Agence France-Presse",
        ),
    ],
)
def test_speaker_resolution(nlp, text, speaker):
    _a, out = _analyse(nlp, text)
    assert [c["speaker_canonical"] for c in out["claims"]] == [speaker]


def test_anonymous_and_document_speakers(nlp):
    _a, out = _analyse(nlp, "A senior official said the decision had been made weeks ago.")
    assert out["claims"][0]["speaker_kind"] == "anonymous"
    _a, out = _analyse(nlp, "A report released on Monday said that wages had stalled.")
    assert out["claims"][0]["speaker_kind"] == "document"


def _bench():
    spec = importlib.util.spec_from_file_location("eval_claims", REPO / "bench" / "eval_claims.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_ner_not_worse_than_plain_spacy(nlp):
    """Canonicalisation must not cost accuracy: exact-span F1 >= the plain model's (sample)."""
    bench = _bench()
    docs = bench.load_jsonl(SHARED / "ner" / "conll2003.dev.jsonl", 25)
    preds, _dt, _w = bench.run_extract(docs, nlp)
    ours = {
        i: bench._mapped((e["start"], e["end"], e["label"]) for e in p["entities"])
        for i, p in preds.items()
    }
    base = {
        d["id"]: bench._mapped((e.start_char, e.end_char, e.label_) for e in doc.ents)
        for doc, d in zip(nlp.pipe(x["text"] for x in docs), docs, strict=True)
    }
    f_ours = bench.score_ner(docs, ours)["ALL"].f
    f_base = bench.score_ner(docs, base)["ALL"].f
    assert f_ours >= f_base
