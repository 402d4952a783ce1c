"""Turn HTTP bodies into text, the way browsers do (WHATWG Encoding Standard): the BOM, then
the HTTP header charset, then the document's own declaration, then statistical detection.

Labels are resolved through the WHATWG table (the `webencodings` package), so "iso-8859-1",
"latin1" and "ascii" mean windows-1252 — real pages labelled Latin-1 use its curly quotes
(0x93/0x94), dashes and ellipsis, which true Latin-1 turns into control characters.

Real pages also lie: some were re-encoded to UTF-8 but still declare a legacy charset, in
<meta> or in the HTTP header. So a declaration is only trusted when the bytes do not
contradict it (valid, non-ASCII UTF-8 is never a legacy page in practice).
"""

from __future__ import annotations

import codecs
import logging
import re
from itertools import pairwise

import webencodings
from charset_normalizer import from_bytes

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)

# How far into a document a declaration may appear (HTML spec: the first 1024 bytes; many
# real pages put <meta charset> after long <script> blocks, so look further).
_DECL_WINDOW = 16384

# Encodings whose declaration valid non-ASCII UTF-8 bytes overrule (every declared encoding
# but the Unicode ones: UTF-16/32 bytes are not valid UTF-8 text anyway).
_UNICODE = frozenset({"utf-8", "utf-16le", "utf-16be", "utf-32-le", "utf-32-be"})
# Where Python's codec is narrower than the WHATWG decoder of the same name.
_PY_DECODER = {"gbk": "gb18030", "x-user-defined": None}


def _whatwg_c1(exc: UnicodeError) -> tuple[str, int]:
    """WHATWG windows-1252 maps its five undefined bytes (0x81 0x8D 0x8F 0x90 0x9D) to the
    C1 control of the same value; Python's cp1252 refuses them."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(chr(b) for b in bad), exc.end


codecs.register_error("mediamon-whatwg-c1", _whatwg_c1)


def resolve_label(label: str | bytes | None) -> str | None:
    """The WHATWG encoding name for a charset label ("ISO-8859-1" -> "windows-1252"), or None.
    Labels outside the WHATWG table but known to Python ("latin-1") are mapped through it."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    enc = webencodings.lookup(label.strip())
    if enc is None:
        try:
            enc = webencodings.lookup(codecs.lookup(label.strip()).name)
        except LookupError:
            return None
    return enc.name if enc is not None and enc.name != "replacement" else None


def _python_codec(name: str) -> str | None:
    if name in _PY_DECODER:
        return _PY_DECODER[name]
    enc = webencodings.lookup(name)
    return enc.codec_info.name if enc is not None else name


def charset_from_content_type(content_type: str | None) -> str | None:
    """The WHATWG encoding named by a Content-Type header's charset parameter, if any."""
    if not content_type:
        return None
    m = _CT_CHARSET.search(content_type)
    return resolve_label(m.group(1)) if m else None


def declared_charset(body: bytes) -> str | None:
    """The encoding a document declares for itself (XML declaration or HTML <meta>)."""
    head = body[:_DECL_WINDOW]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    name = resolve_label(m.group(1)) if m else None
    # A document can only declare UTF-16 if it is not readable as ASCII: HTML says UTF-8.
    return "utf-8" if name in ("utf-16le", "utf-16be") else name


def _is_utf8_with_non_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_contradicts(encoding: str, body: bytes) -> bool:
    """A legacy declaration the bytes contradict: they are valid, non-ASCII UTF-8."""
    return encoding not in _UNICODE and _is_utf8_with_non_ascii(body)


def detect_charset(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Return (WHATWG encoding name, how): how is bom | header | declared | utf-8 (valid UTF-8,
    undeclared or contradicting a legacy declaration) | detected | default."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, "bom"
    # The header first, then the document's own declaration; either is overruled by bytes
    # that are valid UTF-8 (the page was re-encoded without fixing its label).
    header = resolve_label(header_charset)
    if header:
        return ("utf-8", "utf-8") if _utf8_contradicts(header, body) else (header, "header")
    declared = declared_charset(body)
    if declared:
        return ("utf-8", "utf-8") if _utf8_contradicts(declared, body) else (declared, "declared")
    if body.isascii() or _is_utf8_with_non_ascii(body):
        return "utf-8", "utf-8"
    guess = guess_single_byte(body)
    if guess:
        return guess, "detected"
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        return resolve_label(best.encoding) or "windows-1252", "detected"
    return "windows-1252", "default"


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
    return resolve_label(best) if best and best_score >= 0.5 else None


def decode(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; never raises. Returns (text, WHATWG encoding used)."""
    encoding, how = detect_charset(body, header_charset)
    codec = _python_codec(encoding) or "cp1252"
    errors = "mediamon-whatwg-c1" if codec == "cp1252" else "strict"
    try:
        text = body.decode(codec, errors=errors)
    except (UnicodeDecodeError, LookupError):
        log.debug(
            "charset %s (%s) does not fit the bytes; decoding with replacement", encoding, how
        )
        try:
            text = body.decode(codec, errors="replace")
        except LookupError:
            encoding, text = "utf-8", body.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding
