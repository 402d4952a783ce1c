"""Shared helpers for the construction tables of the claims engine (real spaCy model)."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.analysis import analyse
from extractors.nlp import load_nlp
from extractors.records import Claim

ANY = object()  # a column the row does not check


@dataclass(frozen=True)
class Row:
    """One sentence of a construction table: the claim whose content holds ``key`` must have
    these values (``ANY`` skips a column)."""

    text: str
    key: str
    speaker: object = ANY  # speaker_canonical (None: must be unresolved)
    cue: object = ANY  # cue_lemma
    qtype: object = ANY  # quote_type
    via: object = ANY  # tuple of relays (case-insensitive, each a substring of the relay)
    rule: object = ANY
    kind: object = ANY  # speaker_kind

    def __str__(self) -> str:
        return self.text[:60]


def claims_of(text: str) -> list[Claim]:
    (a,) = list(analyse(load_nlp(), [("t", text, "en")]))
    assert a.status == "ok", a.error
    return list(a.claims)


def _via_ok(want: tuple[str, ...], got: tuple[str, ...]) -> bool:
    if len(want) != len(got):
        return False
    return all(w.casefold() in g.casefold() for w, g in zip(want, got, strict=True))


def check(row: Row) -> None:
    claims = claims_of(row.text)
    found = [c for c in claims if row.key in c.content]
    summary = [
        (c.rule, c.speaker, c.speaker_canonical, c.cue_lemma, c.content[:50]) for c in claims
    ]
    assert found, f"no claim holds {row.key!r}: {summary}"
    c = found[0]
    got = {"speaker": c.speaker_canonical, "cue": c.cue_lemma, "qtype": c.quote_type,
           "rule": c.rule, "kind": c.speaker_kind}  # fmt: skip
    for col, value in got.items():
        want = getattr(row, col)
        assert want is ANY or want == value, f"{col}: want {want!r}, got {value!r} in {c}"
    if row.via is not ANY:
        assert _via_ok(row.via, c.via), f"via: want {row.via!r}, got {c.via!r}"


def check_none(text: str) -> None:
    claims = claims_of(text)
    assert claims == [], [(c.rule, c.speaker, c.cue_lemma, c.content) for c in claims]
