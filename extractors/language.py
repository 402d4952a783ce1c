"""Article language: what the page declares, checked against what its text actually is.

Markup (``<html lang>``, Content-Language and ``og:locale`` meta, the feed's language) costs
nothing and is usually right, but templates often say "en" on every page of a site in any
language. py3langid (a naive Bayes model over byte n-grams, 140 languages, shipped inside the
wheel) reads the text itself; it is loaded once per process on first use. ``decide_language``
combines the two by small named rules, and the decision names the rule that made it.

``None`` means "could not tell": it is never English by default (such articles are stored
but not analysed).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass

# -- named data -----------------------------------------------------------------------------

# Fewer letters than this say too little for a detection to count at all.
MIN_DETECT_LETTERS = 20
# A detection overrules declared markup only when it is this sure, on at least this many
# letters (short texts — a headline and a teaser — can look like a neighbouring language).
OVERRIDE_CONFIDENCE = 0.90
OVERRIDE_MIN_LETTERS = 150
# With nothing declared, a detection is accepted from this probability on.
UNDECLARED_MIN_CONFIDENCE = 0.50
# Only the start of an article is read: detection is linear in length and saturates early.
DETECT_SAMPLE_CHARS = 5000

# Legacy, macro-language and dialect codes (markup or model labels) -> the ISO 639-1 code we
# store. Norwegian: "no" is the macro-language; Bokmål ("nb") is what nearly all of it is.
LANGUAGE_ALIASES: dict[str, str] = {
    "no": "nb", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro", "sh": "hr",
    "ary": "ar", "arz": "ar", "wuu": "zh", "yue": "zh", "uzs": "uz", "sdh": "ku", "hbo": "he",
    "gug": "gn", "fil": "tl",
}  # fmt: skip
# ISO 639-2 codes sometimes written in markup instead of ISO 639-1.
ISO_639_2: dict[str, str] = {
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it",
    "por": "pt", "rus": "ru", "jpn": "ja", "kor": "ko", "zho": "zh", "chi": "zh", "ara": "ar",
    "nld": "nl", "dut": "nl", "swe": "sv", "nor": "nb", "nob": "nb", "nno": "nn", "dan": "da",
    "pol": "pl", "tur": "tr", "ces": "cs", "cze": "cs", "ukr": "uk", "hin": "hi", "vie": "vi",
    "ind": "id", "ell": "el", "gre": "el", "fin": "fi", "hun": "hu", "ron": "ro", "rum": "ro",
}  # fmt: skip
# Model labels that are not a language of a news article.
NOT_A_LANGUAGE = frozenset({"zxx", "und"})
# Languages the model confuses with each other on real text; between them, the page's own
# declaration is the better judge, so detection never overrules it inside a group.
CLOSE_RELATIVES: tuple[frozenset[str], ...] = (
    frozenset({"nb", "nn", "da"}),
    frozenset({"hr", "sr", "bs"}),
    frozenset({"id", "ms", "jv"}),
    frozenset({"cs", "sk"}),
    frozenset({"es", "gl", "ca", "an", "ext", "ast"}),
    frozenset({"pt", "gl"}),
    frozenset({"hi", "mr", "ne", "sa"}),
    frozenset({"fa", "tg"}),
)

# Scripts each language is written in (Unicode character-name prefixes); a language not listed
# is written in Latin. Text in a script its declared language does not use is never that
# language, however short: detection decides.
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "kk", "ky", "mn", "tg", "tt", "ba"),
                    frozenset({"CYRILLIC"})),
    **dict.fromkeys(("sr",), frozenset({"CYRILLIC", "LATIN"})),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug", "sd"), frozenset({"ARABIC"})),
    **dict.fromkeys(("he", "yi"), frozenset({"HEBREW"})),
    **dict.fromkeys(("hi", "mr", "ne", "sa"), frozenset({"DEVANAGARI"})),
    **dict.fromkeys(("bn", "as"), frozenset({"BENGALI"})),
    "el": frozenset({"GREEK"}), "ta": frozenset({"TAMIL"}), "te": frozenset({"TELUGU"}),
    "kn": frozenset({"KANNADA"}), "ml": frozenset({"MALAYALAM"}),
    "gu": frozenset({"GUJARATI"}), "pa": frozenset({"GURMUKHI"}), "si": frozenset({"SINHALA"}),
    "th": frozenset({"THAI"}), "lo": frozenset({"LAO"}), "km": frozenset({"KHMER"}),
    "my": frozenset({"MYANMAR"}), "ka": frozenset({"GEORGIAN"}), "hy": frozenset({"ARMENIAN"}),
    "am": frozenset({"ETHIOPIC"}), "ja": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "zh": frozenset({"CJK"}), "ko": frozenset({"HANGUL", "CJK"}),
}  # fmt: skip
_LATIN = frozenset({"LATIN"})

# -- markup -----------------------------------------------------------------------------------

_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\s(?:xml:)?lang\s*=\s*["']?\s*([A-Za-z]{2,3})(?![A-Za-z])""", re.I
)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Meta names/properties declaring a language, best first.
_META_KEYS = ("content-language", "language", "og:locale", "dc.language", "dcterms.language")
_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def normalise_language(tag: str | None) -> str | None:
    """ISO 639-1 code from a language tag ("en-GB", "pt_BR", "deu", "no") or a model label;
    None for anything that is not one."""
    if not tag:
        return None
    m = _TAG.match(tag.split(",")[0])
    if not m:
        return None
    code = m.group(1).lower()
    code = ISO_639_2.get(code, code)
    code = LANGUAGE_ALIASES.get(code, code)
    return None if code in NOT_A_LANGUAGE else code


def language_from_markup(html_head: str) -> str | None:
    """The language a page declares: <html lang> (or xml:lang), then Content-Language /
    language / og:locale / Dublin Core meta tags."""
    m = _HTML_LANG.search(html_head)
    if m and (code := normalise_language(m.group(1))):
        return code
    found: dict[str, str] = {}
    for tag in _META.finditer(html_head):
        attrs = {k.lower(): (a or b or c) for k, a, b, c in _ATTR.findall(tag.group(0))}
        key = (attrs.get("http-equiv") or attrs.get("name") or attrs.get("property") or "").lower()
        if key in _META_KEYS and key not in found and attrs.get("content"):
            found[key] = attrs["content"]
    for key in _META_KEYS:
        if code := normalise_language(found.get(key)):
            return code
    return None


# -- detection ----------------------------------------------------------------------------

_model_lock = threading.Lock()
_model: list = []  # the identifier, once loaded (a list: no `global` needed)


def _identifier():
    """py3langid's identifier with probabilities, loaded on first use, once per process."""
    if not _model:
        with _model_lock:
            if not _model:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _model.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    return _model[0]


@dataclass(frozen=True, slots=True)
class Detection:
    language: str | None  # ISO 639-1 (None: the model's best label is not a language)
    confidence: float  # probability of that label
    letters: int  # letters in the sample the model read
    script: str  # the script most of those letters are in (LATIN, CYRILLIC, CJK, ...)


def _dominant_script(letters: list[str]) -> str:
    counts = Counter(unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0] for ch in letters)
    return counts.most_common(1)[0][0]


def detect_language(text: str) -> Detection | None:
    """What the text itself is written in; None when it has too few letters to tell."""
    sample = text[:DETECT_SAMPLE_CHARS]
    letters = _LETTER.findall(sample)
    if len(letters) < MIN_DETECT_LETTERS:
        return None
    label, confidence = _identifier().classify(sample)
    return Detection(
        normalise_language(label), float(confidence), len(letters), _dominant_script(letters)
    )


# -- combining ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LanguageDecision:
    language: str | None
    rule: str  # which rule decided (see decide_language)


def _close(a: str, b: str) -> bool:
    return any(a in group and b in group for group in CLOSE_RELATIVES)


def _rule_undeclared(found: Detection | None) -> LanguageDecision:
    """Nothing declared: a detection of reasonable probability, else unknown."""
    if found and found.language and found.confidence >= UNDECLARED_MIN_CONFIDENCE:
        return LanguageDecision(found.language, "detected")
    return LanguageDecision(None, "unknown")


def _rule_agreement(declared: list[str], found: Detection) -> LanguageDecision | None:
    """The text is in one of the declared languages (or a close relative of the first)."""
    if found.language in declared:
        return LanguageDecision(found.language, "declared+detected")
    if found.language and _close(declared[0], found.language):
        return LanguageDecision(declared[0], "declared (close relative detected)")
    return None


def _rule_script(declared: str, found: Detection) -> LanguageDecision | None:
    """The text is in a script the declared language is not written in (Japanese under a
    template's lang="en"): the detection wins, however short the text."""
    if (
        found.language
        and found.confidence >= UNDECLARED_MIN_CONFIDENCE
        and found.script not in LANGUAGE_SCRIPTS.get(declared, _LATIN)
    ):
        return LanguageDecision(found.language, "detected (script contradicts markup)")
    return None


def _rule_override(found: Detection) -> LanguageDecision | None:
    """Markup contradicted by a confident detection on enough text: the text wins."""
    if (
        found.language
        and found.confidence >= OVERRIDE_CONFIDENCE
        and found.letters >= OVERRIDE_MIN_LETTERS
    ):
        return LanguageDecision(found.language, "detected over markup")
    return None


def decide_language(
    text: str, markup: str | None = None, feed: str | None = None
) -> LanguageDecision:
    """The article's language from its text and what the page (then the feed) declares.

    Rules, in order: nothing declared -> the detection if it is at least fairly sure;
    text too short to detect -> the declaration; detection agrees with a declaration (or is
    a close relative of it) -> the declaration; the text is in a script the declared
    language does not use -> the detection; a confident detection on enough text contradicts
    the declaration -> the detection; otherwise the declaration."""
    declared = [c for c in dict.fromkeys((normalise_language(markup), normalise_language(feed)))
                if c]  # fmt: skip
    found = detect_language(text)
    if not declared:
        return _rule_undeclared(found)
    if found is None:
        return LanguageDecision(declared[0], "declared (text too short)")
    return (
        _rule_agreement(declared, found)
        or _rule_script(declared[0], found)
        or _rule_override(found)
        or LanguageDecision(declared[0], "declared (detection unsure)")
    )
