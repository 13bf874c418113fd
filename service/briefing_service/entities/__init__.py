"""The entity table: mentions from spaCy, re-typed and merged into one row per name."""

from briefing_service.entities.table import DEFAULT_EXCLUDED_TYPES, build_entity_table

__all__ = ["DEFAULT_EXCLUDED_TYPES", "build_entity_table"]
