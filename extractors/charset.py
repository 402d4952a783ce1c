"""Turn HTTP bodies into text: HTTP header charset, then BOM, then the document's own
declaration, then statistical detection.

Real pages lie: some were re-encoded to UTF-8 but still declare iso-8859-1 in <meta>; some
legacy feeds are Latin-1 and say nothing. So a declaration is only trusted when the bytes do
not contradict it (valid, non-ASCII UTF-8 is never a legacy single-byte page in practice).
"""

from __future__ import annotations

import codecs
import logging
import re
from itertools import pairwise

from charset_normalizer import from_bytes

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)

# How far into a document a declaration may appear (HTML spec: the first 1024 bytes; many
# real pages put <meta charset> after long <script> blocks, so look further).
_DECL_WINDOW = 16384


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _CT_CHARSET.search(content_type)
    return _normalise(m.group(1)) if m else None


def _normalise(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def declared_charset(body: bytes) -> str | None:
    """The encoding a document declares for itself (XML declaration or HTML <meta>)."""
    head = body[:_DECL_WINDOW]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return _normalise(m.group(1)) if m else None


def _is_utf8_with_non_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_charset(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Return (encoding, how) where how is header | bom | declared | utf-8 | detected | default."""
    header = _normalise(header_charset)
    if header:
        return header, "header"
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, "bom"
    declared = declared_charset(body)
    if declared:
        if declared != "utf-8" and _is_utf8_with_non_ascii(body):
            # Declaration contradicted by the bytes: the page was re-encoded without fixing it.
            return "utf-8", "utf-8"
        return declared, "declared"
    if body.isascii() or _is_utf8_with_non_ascii(body):
        return "utf-8", "utf-8"
    guess = guess_single_byte(body)
    if guess:
        return guess, "detected"
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        return _normalise(best.encoding) or "utf-8", "detected"
    return "cp1252", "default"


# Letters outside ASCII that each language family actually uses. Undeclared legacy text is
# decoded with every candidate code page, and the candidate whose non-ASCII letters best fit
# one family wins. General-purpose detectors get short Latin-1 texts wrong (they pick cp1250
# for Portuguese); this does not, and the order of candidates breaks ties toward the commonest.
_FAMILIES = [
    frozenset("ãõçáéíóúâêôàÃÕÇÁÉÍÓÚÂÊÔÀ"),  # Portuguese
    frozenset("ñáéíóúü¿¡ÑÁÉÍÓÚÜ"),  # Spanish
    frozenset("éèêàâçîïôûùëœÉÈÊÀÂÇÎÏÔÛÙËŒ«»"),  # French
    frozenset("äöüßÄÖÜ"),  # German
    frozenset("àèéìòùÀÈÉÌÒÙ"),  # Italian
    frozenset("åäöøæéÅÄÖØÆÉ"),  # Nordic
    frozenset("čšžřěůýťďňáéíóúČŠŽŘĚŮÝŤĎŇÁÉÍÓÚ"),  # Czech / Slovak
    frozenset("ąęłńóśźżćĄĘŁŃÓŚŹŻĆ"),  # Polish
    frozenset("ăâîșțşţőűáéíóöüĂÂÎȘȚŞŢŐŰ"),  # Romanian / Hungarian
    frozenset("çğıöşüÇĞİÖŞÜ"),  # Turkish
    frozenset(chr(c) for c in range(0x0386, 0x03CF)),  # Greek
    frozenset(chr(c) for c in range(0x0401, 0x0460)),  # Cyrillic
]
_CANDIDATES = ("cp1252", "cp1250", "cp1251", "iso8859-7", "cp1254", "iso8859-2", "cp1257")


_WORDS = re.compile(r"[^\W\d_]+")


def _oddness(text: str) -> float:
    """Share of non-ASCII words that no language writes: a capital after a small letter
    inside a word, or ASCII letters mixed with another script (wrong code page symptoms)."""
    odd = total = 0
    for w in _WORDS.findall(text):
        if w.isascii():
            continue
        total += 1
        mid_caps = any(a.islower() and b.isupper() for a, b in pairwise(w))
        scripts = {"latin" if ch.isascii() or ord(ch) < 0x250 else "other" for ch in w}
        odd += mid_caps or len(scripts) > 1
    return odd / total if total else 0.0


def guess_single_byte(body: bytes) -> str | None:
    """Best single-byte code page for undeclared legacy text, or None."""
    sample = body[:100_000]
    best, best_score = None, 0.0
    for enc in _CANDIDATES:
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
        others = sum(1 for ch in text if ord(ch) > 127 and not ch.isalpha())
        if not letters:
            continue
        fit = max(sum(ch in fam for ch in letters) for fam in _FAMILIES) / len(letters)
        score = fit * len(letters) / (len(letters) + others) - _oddness(text)
        if score > best_score + 1e-9:
            best, best_score = enc, score
    return _normalise(best) if best and best_score >= 0.5 else None


def decode(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; never raises. Returns (text, encoding used)."""
    encoding, how = detect_charset(body, header_charset)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        log.debug(
            "charset %s (%s) does not fit the bytes; decoding with replacement", encoding, how
        )
        text = body.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding
