"""Entity mentions from spaCy NER, cleaned by named rules and merged into canonical entities.

* ``spans``: spaCy's spans trimmed, split (possessives, an organisation followed by a person,
  "Kharkiv and Odesa"), retyped (datelines, "Mr Moore" tagged ORG) or vetoed (headline
  fragments, common words);
* ``build``: one kind per name across the article, then canonical names;
* ``persons``: the forms of one person's name merged into its fullest unambiguous form;
* ``orgs``: alias table, acronyms defined in the text, initials, "City, Country".
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
