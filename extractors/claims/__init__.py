"""Attributed claims from a parsed article: who said what, with which cue, relayed by whom.

A package of small named rules; ``engine.py`` is the one place that lists their order. Read
``engine.py`` first, then a rule family (``quotations``, ``clauses`` with ``clause_rules``,
``according``, ``relays``, ``floating``), the ``vetoes``, and speaker resolution
(``speakers`` with ``speaker_steps``, ``descriptions``, ``salience``). Word lists and
thresholds are in ``lexicon``.
"""

from __future__ import annotations

from extractors.claims.engine import EngineRun, extract_claims, run_engine, to_claims
from extractors.claims.index import sentence_index

__all__ = ["EngineRun", "extract_claims", "run_engine", "sentence_index", "to_claims"]
