"""Charsets as browsers read them (WHATWG): labels through the WHATWG table, the BOM first,
declarations (HTTP header or the document's own) overruled by bytes that are valid UTF-8."""

from __future__ import annotations

import pytest

from extractors.charset import (
    charset_from_content_type,
    decode,
    detect_charset,
    guess_single_byte,
    resolve_label,
)

GREEK = "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία και την ενέργεια σήμερα."
PORTUGUESE = "Eleições: candidato à presidência promete ação contra a corrupção e inflação."
# Typographic punctuation that only windows-1252 has (0x84 0x93 0x94 0x85 0x96 0x80).
CURLY = [
    "\u201eWir schaffen das\u201c, sagte die Kanzlerin \u2013 und ging.",
    "\u201cTalks will resume,\u201d the ministry said\u2026 It costs \u20ac5.",
    "Le ministre a dit \u201cnon\u201d \u2014 puis il est parti.",
]


def test_header_charset_wins_over_a_contradicting_meta() -> None:
    body = '<meta charset="utf-8"><p>Ação</p>'.encode("latin-1")
    assert decode(body, "iso-8859-1")[0].endswith("Ação</p>")
    # The WHATWG label table: ISO-8859-1 is read as windows-1252, like every browser does.
    assert detect_charset(body, "ISO-8859-1") == ("windows-1252", "header")


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "ascii", "us-ascii",
                                   "l1", "cp1252", "iso_8859-1:1987"])  # fmt: skip
def test_latin1_labels_mean_windows_1252(label: str) -> None:
    assert resolve_label(label) == "windows-1252"


@pytest.mark.parametrize("sentence", CURLY)
@pytest.mark.parametrize("label", ["iso-8859-1", "latin1", "ascii"])
def test_latin1_labelled_page_keeps_its_curly_quotes(sentence: str, label: str) -> None:
    body = f"<html><body><p>{sentence}</p></body></html>".encode("cp1252")
    text, encoding = decode(body, label)
    assert sentence in text and encoding == "windows-1252"
    assert not any("\x80" <= ch <= "\x9f" for ch in text)  # no C1 control characters


@pytest.mark.parametrize("sentence", [*CURLY, PORTUGUESE, GREEK])
@pytest.mark.parametrize("header", ["iso-8859-1", "windows-1252", "iso-8859-7", "koi8-r"])
def test_utf8_bytes_overrule_a_legacy_header(sentence: str, header: str) -> None:
    body = f"<html><body><p>{sentence}</p></body></html>".encode()
    text, encoding = decode(body, header)
    assert encoding == "utf-8" and sentence in text
    assert "\u00e2\u20ac" not in text  # no mojibake (â€)


def test_a_legacy_header_is_kept_when_the_bytes_are_not_utf8() -> None:
    body = ("<p>" + GREEK + "</p>").encode("iso-8859-7")
    assert decode(body, "iso-8859-7") == ("<p>" + GREEK + "</p>", "iso-8859-7")


def test_undefined_windows_1252_bytes_do_not_break_decoding() -> None:
    # 0x81 0x8D 0x8F 0x90 0x9D are undefined in windows-1252; WHATWG maps them to U+0081 ...
    body = b"<p>caf\xe9 \x81\x8d \x93ok\x94</p>"
    text, encoding = decode(body, "iso-8859-1")
    assert encoding == "windows-1252" and text == "<p>café \x81\x8d \u201cok\u201d</p>"


def test_bom_before_header_and_declaration() -> None:
    body = b"\xef\xbb\xbf" + '<?xml version="1.0" encoding="iso-8859-1"?><a>é</a>'.encode()
    text, enc = decode(body, "windows-1251")
    assert enc == "utf-8" and "é" in text and not text.startswith("\ufeff")
    utf16 = "\ufeff<p>Ação</p>".encode("utf-16-le")
    assert decode(utf16, "iso-8859-1") == ("<p>Ação</p>", "utf-16le")


def test_declaration_used_when_bytes_agree() -> None:
    body = ('<?xml version="1.0" encoding="ISO-8859-7"?><rss><title>' + GREEK).encode("iso-8859-7")
    text, enc = decode(body)
    assert enc == "iso-8859-7" and GREEK in text


def test_wrong_meta_charset_on_utf8_page_is_overruled() -> None:
    # Real trap from the corpus: re-encoded to UTF-8, <meta> still says iso-8859-15.
    body = ('<meta charset="iso-8859-15"><p>' + PORTUGUESE + "</p>").encode("utf-8")
    text, enc = decode(body)
    assert enc == "utf-8" and PORTUGUESE in text


def test_meta_declaring_latin1_on_cp1252_bytes_keeps_the_quotes() -> None:
    body = ('<meta charset="iso-8859-1"><p>' + CURLY[1] + "</p>").encode("cp1252")
    text, enc = decode(body)
    assert enc == "windows-1252" and CURLY[1] in text


def test_gbk_label_decodes_with_the_gb18030_superset() -> None:
    sentence = "政府宣布新的经济措施"
    assert decode(sentence.encode("gb18030"), "gb2312") == (sentence, "gbk")


def test_undeclared_latin1_is_detected() -> None:
    body = ("<rss><item><title>" + PORTUGUESE * 5 + "</title></item></rss>").encode("latin-1")
    text, _ = decode(body)
    assert "Eleições" in text and "à presidência" in text


def test_content_type_parsing() -> None:
    assert charset_from_content_type('text/html; charset="UTF-8"') == "utf-8"
    assert charset_from_content_type("text/html; charset=ISO-8859-1") == "windows-1252"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type("text/html; charset=bogus-charset") is None
    assert charset_from_content_type(None) is None


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (PORTUGUESE, "latin-1"),
        ("Vláda schválila nový zákon o životním prostředí a účinnosti energií.", "cp1250"),
        ("Die Regierung prüft höhere Zölle für Stahl aus Übersee, sagte er.", "latin-1"),
        (GREEK, "iso-8859-7"),
        ("Правительство объявило новые меры поддержки экономики", "cp1251"),
        ("Hükümet çelik ithalatına yeni gümrük vergisi getirdiğini açıkladı", "cp1254"),
    ],
)
def test_undeclared_legacy_text_is_decoded_right(text: str, encoding: str) -> None:
    body = text.encode(encoding)
    assert guess_single_byte(body) is not None
    assert decode(body)[0] == text
