from extractors.charset import charset_from_content_type, decode, detect_charset

GREEK = "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία και την ενέργεια σήμερα."
PORTUGUESE = "Eleições: candidato à presidência promete ação contra a corrupção e inflação."


def test_header_charset_wins_over_everything() -> None:
    body = '<meta charset="utf-8"><p>Ação</p>'.encode("latin-1")
    assert decode(body, "iso-8859-1")[0].endswith("Ação</p>")
    assert detect_charset(body, "ISO-8859-1") == ("iso8859-1", "header")


def test_bom_before_declaration() -> None:
    body = b"\xef\xbb\xbf" + '<?xml version="1.0" encoding="iso-8859-1"?><a>é</a>'.encode()
    text, enc = decode(body)
    assert enc == "utf-8" and "é" in text and not text.startswith("\ufeff")


def test_declaration_used_when_bytes_agree() -> None:
    body = ('<?xml version="1.0" encoding="ISO-8859-7"?><rss><title>' + GREEK).encode("iso-8859-7")
    text, enc = decode(body)
    assert enc == "iso8859-7" and GREEK in text


def test_wrong_meta_charset_on_utf8_page_is_overruled() -> None:
    # Real trap from the corpus: re-encoded to UTF-8, <meta> still says iso-8859-15.
    body = ('<meta charset="iso-8859-15"><p>' + PORTUGUESE + "</p>").encode("utf-8")
    text, enc = decode(body)
    assert enc == "utf-8" and PORTUGUESE in text


def test_undeclared_latin1_is_detected() -> None:
    body = ("<rss><item><title>" + PORTUGUESE * 5 + "</title></item></rss>").encode("latin-1")
    text, _ = decode(body)
    assert "Eleições" in text and "à presidência" in text


def test_content_type_parsing() -> None:
    assert charset_from_content_type('text/html; charset="UTF-8"') == "utf-8"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type("text/html; charset=bogus-charset") is None
    assert charset_from_content_type(None) is None


import pytest  # noqa: E402

from extractors.charset import guess_single_byte  # noqa: E402


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
