"""The link roles of `crosslink: fields:` checked against the schema: each names a field of the right type."""

from __future__ import annotations

from bots.core.records.fields import field_type
from bots.core.records.schema import Schema
from bots.core.settings.crosslink_config import LINK_ROLE_TYPES, LinkRoles
from bots.core.settings.yaml_doc import YamlDoc

#: What switching a role off (`null` in `crosslink: fields:`) gives up.
ROLE_FEATURES = {
    "related": "two-sided related links and the possible-duplicate warning",
    "recommendation": "the recommendation pages' lists",
    "partner": "the partners page and the possible-duplicate warning",
    "type": "grouping by type on recommendation pages and the possible-duplicate warning",
}


def check_link_roles(doc: YamlDoc, roles: LinkRoles, schema: Schema) -> None:
    """Every role names a schema field of the right type; otherwise a ConfigError naming file and line."""
    for role, name in roles.items():
        if not name:
            continue
        path = ("crosslink", "fields", role)
        default = "" if path in doc.lines else " (the default, as the file does not set it)"
        spec = next((s for s in schema.fields if s.name == name), None)
        off = f"set `{role}: null` to switch off {ROLE_FEATURES[role]}"
        if spec is None:
            raise doc.error(
                path,
                f"the {role} role names the field {name!r}{default}, which the schema does not have. "
                f"Name one of its {LINK_ROLE_TYPES[role]} fields, or {off}.",
            )
        if spec.kind is not field_type(LINK_ROLE_TYPES[role]):
            raise doc.error(
                path,
                f"the {role} role needs a field of type {LINK_ROLE_TYPES[role]}, but {name!r}{default} "
                f"has type {spec.type}. Name another field, or {off}.",
            )
        if role == "related" and not spec.multiple:
            raise doc.error(
                path,
                f"the related role needs a field that holds several pages, but {name!r}{default} "
                f"is not `multiple: true` in the schema. Name another field, or {off}.",
            )
