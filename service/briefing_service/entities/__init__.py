"""The entity table: the entity tagger's names (over the encoder's word-piece states) and spaCy's values,
merged into one row per name."""

from briefing_service.entities.labels import COARSE
from briefing_service.entities.table import (
    DEFAULT_EXCLUDED_TYPES,
    build_entity_table,
    resolve_mentions,
    tag_entities,
)
from briefing_service.entities.tagging import Tagged

__all__ = [
    "COARSE",
    "DEFAULT_EXCLUDED_TYPES",
    "Tagged",
    "build_entity_table",
    "resolve_mentions",
    "tag_entities",
]
