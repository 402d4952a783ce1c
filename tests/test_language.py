"""Article language: markup parsing, py3langid detection, and the rules combining them.

Texts are short news paragraphs written for these tests. HELD_OUT is a second set, written
once and never used to choose a threshold: it checks that the rules generalise."""

from __future__ import annotations

import pytest

from extractors.language import (
    CLOSE_RELATIVES,
    OVERRIDE_MIN_LETTERS,
    decide_language,
    detect_language,
    language_from_markup,
    normalise_language,
)

NEWS = {
    "en": "The finance minister said on Tuesday that the government would raise spending on "
    "schools and hospitals next year, while opposition leaders warned that the plan could push "
    "up borrowing and interest rates.",
    "de": "Der Finanzminister kündigte am Dienstag an, dass die Regierung im kommenden Jahr mehr "
    "Geld für Schulen und Krankenhäuser ausgeben werde, während die Opposition vor steigenden "
    "Schulden und höheren Zinsen warnte.",
    "fr": "Le ministre des Finances a annoncé mardi que le gouvernement augmenterait l'an "
    "prochain les dépenses pour les écoles et les hôpitaux, tandis que l'opposition a mis en "
    "garde contre une hausse de la dette.",
    "es": "El ministro de Hacienda anunció el martes que el Gobierno aumentará el próximo año el "
    "gasto en escuelas y hospitales, mientras que la oposición advirtió de que el plan podría "
    "elevar la deuda y los tipos de interés.",
    "it": "Il ministro delle Finanze ha annunciato martedì che il governo aumenterà l'anno "
    "prossimo la spesa per scuole e ospedali, mentre l'opposizione ha avvertito che il piano "
    "potrebbe far crescere il debito.",
    "pt": "O ministro das Finanças anunciou na terça-feira que o governo vai aumentar no próximo "
    "ano os gastos com escolas e hospitais, enquanto a oposição alertou que o plano pode "
    "elevar a dívida e os juros.",
    "nl": "De minister van Financiën maakte dinsdag bekend dat de regering volgend jaar meer geld "
    "uitgeeft aan scholen en ziekenhuizen, terwijl de oppositie waarschuwde dat de schuld en "
    "de rente daardoor kunnen stijgen.",
    "sv": "Finansministern meddelade på tisdagen att regeringen nästa år ska öka utgifterna för "
    "skolor och sjukhus, medan oppositionen varnade för att planen kan leda till högre skulder "
    "och räntor.",
    "nb": "Finansministeren sa tirsdag at regjeringen vil øke bevilgningene til skoler og "
    "sykehus neste år, mens opposisjonen advarte mot at planen kan føre til høyere gjeld og "
    "renter for folk flest.",
    "da": "Finansministeren sagde tirsdag, at regeringen vil øge udgifterne til skoler og "
    "hospitaler næste år, mens oppositionen advarede om, at planen kan føre til højere gæld og "
    "stigende renter.",
    "pl": "Minister finansów zapowiedział we wtorek, że rząd w przyszłym roku zwiększy wydatki "
    "na szkoły i szpitale, a opozycja ostrzegła, że plan może podnieść zadłużenie i stopy "
    "procentowe.",
    "cs": "Ministr financí v úterý oznámil, že vláda příští rok zvýší výdaje na školy a "
    "nemocnice, zatímco opozice varovala, že plán může zvýšit zadlužení a úrokové sazby.",
    "tr": "Maliye Bakanı salı günü yaptığı açıklamada hükümetin gelecek yıl okullar ve "
    "hastaneler için harcamaları artıracağını söyledi, muhalefet ise planın borçlanmayı "
    "artırabileceği uyarısında bulundu.",
    "ru": "Министр финансов во вторник заявил, что в следующем году правительство увеличит "
    "расходы на школы и больницы, а оппозиция предупредила, что план может привести к росту "
    "долга и процентных ставок.",
    "uk": "Міністр фінансів у вівторок заявив, що наступного року уряд збільшить видатки на "
    "школи та лікарні, а опозиція попередила, що план може призвести до зростання боргу.",
    "el": "Ο υπουργός Οικονομικών ανακοίνωσε την Τρίτη ότι η κυβέρνηση θα αυξήσει του χρόνου "
    "τις δαπάνες για σχολεία και νοσοκομεία, ενώ η αντιπολίτευση προειδοποίησε για αύξηση του "
    "χρέους.",
    "ja": "財務大臣は火曜日、政府が来年度に学校と病院への支出を増やすと発表した。野党は、"
    "この計画によって借金と金利が上昇する恐れがあると警告した。",
    "ko": "재무장관은 화요일 정부가 내년에 학교와 병원에 대한 지출을 늘릴 것이라고 밝혔다. "
    "야당은 이 계획이 부채와 금리를 끌어올릴 수 있다고 경고했다.",
    "zh": "财政部长周二宣布，政府明年将增加对学校和医院的支出，反对派则警告说，该计划可能导致"
    "债务和利率上升。",
    "ar": "أعلن وزير المالية يوم الثلاثاء أن الحكومة ستزيد العام المقبل الإنفاق على المدارس "
    "والمستشفيات، بينما حذرت المعارضة من أن الخطة قد ترفع الديون وأسعار الفائدة.",
    "hi": "वित्त मंत्री ने मंगलवार को कहा कि सरकार अगले साल स्कूलों और अस्पतालों पर खर्च "
    "बढ़ाएगी, जबकि विपक्ष ने चेतावनी दी कि इससे कर्ज और ब्याज दरें बढ़ सकती हैं।",
    "vi": "Bộ trưởng Tài chính hôm thứ Ba cho biết chính phủ sẽ tăng chi tiêu cho trường học và "
    "bệnh viện trong năm tới, trong khi phe đối lập cảnh báo kế hoạch có thể làm tăng nợ công.",
    "id": "Menteri Keuangan mengatakan pada hari Selasa bahwa pemerintah akan menaikkan belanja "
    "untuk sekolah dan rumah sakit tahun depan, sementara pihak oposisi memperingatkan bahwa "
    "rencana itu bisa menambah utang.",
    "fi": "Valtiovarainministeri kertoi tiistaina, että hallitus lisää ensi vuonna kouluihin ja "
    "sairaaloihin käytettäviä varoja, kun taas oppositio varoitti suunnitelman kasvattavan "
    "velkaa ja korkoja.",
    "hu": "A pénzügyminiszter kedden bejelentette, hogy a kormány jövőre növeli az iskolákra és "
    "kórházakra fordított kiadásokat, az ellenzék viszont arra figyelmeztetett, hogy a terv "
    "növelheti az adósságot.",
    "he": "שר האוצר הודיע ביום שלישי כי הממשלה תגדיל בשנה הבאה את ההוצאות על בתי ספר ובתי "
    "חולים, ואילו האופוזיציה הזהירה כי התוכנית עלולה להגדיל את החוב.",
}

# Written once, never used to tune anything.
HELD_OUT = {
    "en": "Firefighters battled the blaze through the night before bringing it under control "
    "early on Sunday, a spokesman for the regional fire service told reporters outside the "
    "damaged warehouse.",
    "de": "Nach tagelangen Verhandlungen einigten sich Gewerkschaft und Arbeitgeber in der Nacht "
    "auf einen neuen Tarifvertrag, der eine Lohnerhöhung in zwei Stufen vorsieht.",
    "fr": "Après plusieurs jours de grève, les conducteurs de bus ont repris le travail lundi "
    "matin, a indiqué la direction de la société de transport dans un communiqué.",
    "es": "Los bomberos lograron controlar el incendio forestal después de tres días de trabajo, "
    "según informó el domingo la protección civil de la provincia.",
    "ro": "Ministrul Sănătății a declarat miercuri că spitalele vor primi fonduri suplimentare "
    "pentru modernizarea secțiilor de urgență până la sfârșitul anului viitor.",
    "bg": "Министърът на здравеопазването заяви в сряда, че болниците ще получат допълнително "
    "финансиране за обновяване на спешните отделения до края на следващата година.",
    "fa": "وزیر بهداشت روز چهارشنبه اعلام کرد که بیمارستان‌ها تا پایان سال آینده بودجه بیشتری "
    "برای نوسازی بخش‌های اورژانس دریافت خواهند کرد.",
    "th": "รัฐมนตรีว่าการกระทรวงสาธารณสุขกล่าวเมื่อวันพุธว่าโรงพยาบาลจะได้รับงบประมาณเพิ่มเติม"
    "เพื่อปรับปรุงแผนกฉุกเฉินภายในสิ้นปีหน้า",
    "lt": "Sveikatos apsaugos ministras trečiadienį pareiškė, kad ligoninės iki kitų metų "
    "pabaigos gaus papildomą finansavimą skubios pagalbos skyriams atnaujinti.",
    "ja": "大雨の影響で、鉄道会社は日曜日の朝から一部の路線で運転を見合わせており、"
    "再開の見通しは立っていないという。",
    "ru": "Из-за сильного снегопада аэропорт в воскресенье отменил более сорока рейсов, "
    "сообщила пресс-служба авиагавани.",
    "ko": "폭설로 인해 공항은 일요일 오전 40편 이상의 항공편을 취소했다고 공항 관계자가 밝혔다.",
}


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-GB", "en"), ("pt_BR", "pt"), ("DE", "de"), ("deu", "de"), ("eng", "en"),
     ("no", "nb"), ("no-NO", "nb"), ("nob", "nb"), ("nn", "nn"), ("iw", "he"), ("in", "id"),
     ("zh-Hans-CN", "zh"), ("en, de", "en"), ("x-default", None), ("", None), (None, None),
     ("zxx", None), ("english", None)],
)  # fmt: skip
def test_normalise_language(tag: str | None, code: str | None) -> None:
    assert normalise_language(tag) == code


@pytest.mark.parametrize(
    ("head", "code"),
    [
        ('<html lang="de-DE"><head>', "de"),
        ("<html class='x' lang=fr>", "fr"),
        ('<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="es" lang="es">', "es"),
        ('<html lang="no"><head>', "nb"),
        ('<html><head><meta http-equiv="Content-Language" content="it">', "it"),
        ('<html><head><meta property="og:locale" content="pt_BR">', "pt"),
        ('<html><head><meta content="en_US" property="og:locale">', "en"),
        ('<html><head><meta name="language" content="Polish">', None),
        ('<html lang=""><head><meta property="og:locale" content="ja_JP">', "ja"),
        # <html lang> wins over og:locale (sites often leave og:locale at a default)
        ('<html lang="ko"><head><meta property="og:locale" content="en_US">', "ko"),
        ("<html><head><title>none</title>", None),
    ],
)
def test_language_from_markup(head: str, code: str | None) -> None:
    assert language_from_markup(head) == code


@pytest.mark.parametrize("code", sorted(NEWS))
def test_detection_on_news_text(code: str) -> None:
    found = detect_language(NEWS[code])
    assert found is not None and found.language == code, found


@pytest.mark.parametrize("code", sorted(HELD_OUT))
def test_held_out_detection(code: str) -> None:
    found = detect_language(HELD_OUT[code])
    assert found is not None and found.language == code, found


@pytest.mark.parametrize("text", ["", "12:30", "Foto: dpa", "© 2026", "   \n\t  "])
def test_too_little_text_is_not_detected(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize("code", sorted(NEWS))
def test_undeclared_pages_get_the_detected_language(code: str) -> None:
    decision = decide_language(NEWS[code])
    assert (decision.language, decision.rule) == (code, "detected")


@pytest.mark.parametrize("text", ["", "Foto: dpa", "Mehr dazu"])
def test_undeclared_and_undetectable_is_unknown_not_english(text: str) -> None:
    assert decide_language(text).language is None


@pytest.mark.parametrize("declared", ["de", "fr", "ja"])
def test_short_text_keeps_the_declaration(declared: str) -> None:
    decision = decide_language("OK", markup=declared)
    assert (decision.language, decision.rule) == (declared, "declared (text too short)")


@pytest.mark.parametrize("code", ["ja", "ru", "ar", "ko", "zh", "hi", "el", "he", "uk"])
def test_template_lang_en_on_another_script_is_overruled(code: str) -> None:
    """The commonest lie: a CMS template says lang="en" on every page of a site. Text in a
    script English does not use is never English, however short."""
    decision = decide_language(NEWS[code], markup="en")
    assert (decision.language, decision.rule) == (code, "detected (script contradicts markup)")


@pytest.mark.parametrize("code", ["de", "fr", "es", "it", "nl", "sv", "pl", "tr", "fi", "hu"])
def test_template_lang_en_on_a_latin_article_is_overruled(code: str) -> None:
    text = f"{NEWS[code]}\n{NEWS[code]}"  # an article, not a teaser
    decision = decide_language(text, markup="en")
    assert (decision.language, decision.rule) == (code, "detected over markup")


@pytest.mark.parametrize("code", sorted(HELD_OUT))
def test_held_out_template_lie(code: str) -> None:
    """Held out. Expected by the documented rules: another script, or a Latin text long
    enough to overrule markup, gets its true language; a Latin paragraph shorter than
    OVERRIDE_MIN_LETTERS keeps the (wrong) declaration, by design (teasers are short).
    Measured when first run: 7 of 12 paragraphs overruled the lie, the 5 Latin ones (123 to
    139 letters) kept it."""
    lie = "de" if code == "en" else "en"
    text = HELD_OUT[code]
    found = detect_language(text)
    assert found is not None
    decision = decide_language(text, markup=lie)
    if found.script != "LATIN" or found.letters >= OVERRIDE_MIN_LETTERS:
        assert decision.language == code
    else:
        assert decision.language == lie
    assert decide_language(f"{text}\n{text}", markup=lie).language == code  # a longer article


def test_markup_decides_between_close_relatives() -> None:
    assert any({"nb", "da"} <= group for group in CLOSE_RELATIVES)
    for text, markup in ((NEWS["da"], "nb"), (NEWS["nb"], "da"), (NEWS["nb"], "no")):
        decision = decide_language(text, markup=markup)
        assert decision.language == normalise_language(markup), (markup, decision)


def test_short_teaser_does_not_overrule_the_markup() -> None:
    teaser = "Breaking: Minister resigns"  # English words on a German page's teaser
    assert len(teaser) < OVERRIDE_MIN_LETTERS
    assert decide_language(teaser, markup="de").language == "de"


def test_feed_language_counts_as_a_declaration() -> None:
    assert decide_language("Kurz gemeldet", feed="de-AT").language == "de"
    # Markup and feed disagree: the text picks between them.
    decision = decide_language(NEWS["fr"], markup="en", feed="fr")
    assert (decision.language, decision.rule) == ("fr", "declared+detected")


def test_unknown_language_is_never_analysed_as_english() -> None:
    from extractors.analysis import _is_english

    assert _is_english(None) is False and _is_english("") is False
    assert _is_english("en-GB") is True and _is_english("de") is False
