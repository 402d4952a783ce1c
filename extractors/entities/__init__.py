"""Entity mentions from spaCy NER, cleaned by named rules and merged into canonical entities.

* ``context``: what rules see (a ``Piece`` of tokens + label, the article's lines, headlines
  and the person names it gives in full);
* ``spans``: spaCy's spans trimmed, split (possessives, an organisation followed by a person,
  "Kharkiv and Odesa", figures and spaced dashes), retyped (datelines, "Mr Moore" tagged ORG)
  or vetoed (headline fragments, common words), in the order of ``SPAN_RULES``;
* ``build``: one kind per name across the article (``KIND_RULES``), missed person mentions
  added (``recall``), then canonical names;
* ``persons``: the forms of one person's name merged into its fullest unambiguous form;
* ``orgs``: alias table, acronyms defined in the text, initials, "City, Country";
* ``words``: the word lists and thresholds, as named data.

Every mention says which rules made it: ``span_rule`` (span or kind rule, ``ner`` = spaCy's
own span) and ``rule`` (the rule that set its canonical name).
"""

from extractors.entities.build import build_entities
from extractors.entities.model import ArticleEntities, EntMention, kind_for_label
from extractors.entities.orgs import clean_surface, find_definitions, initials
from extractors.entities.words import ACTOR_LABELS, OTHER_LABELS

__all__ = [
    "ACTOR_LABELS",
    "OTHER_LABELS",
    "ArticleEntities",
    "EntMention",
    "build_entities",
    "clean_surface",
    "find_definitions",
    "initials",
    "kind_for_label",
]
