"""The `crosslink:` section of config/pages.yaml: what bots.crosslink may fix, and which field plays which link role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bots.core.records.words import DEFAULT_WORDS, Words
from bots.core.settings.yaml_doc import YamlDoc, share_from

#: The parts a schema field can play in cross-linking, and the field type each needs.
LINK_ROLE_TYPES = {"related": "page", "recommendation": "page", "partner": "text", "type": "choice"}


@dataclass(frozen=True)
class LinkRoles:
    """Which schema field plays which part in cross-linking; "" switches that part off (no record has a "" field).

    related:        the partnership pages a record links to, kept two-sided
    recommendation: the recommendation pages a record supports
    partner:        the partner organisations (the partners page, possible duplicates)
    type:           groups the recommendation pages' lists (and, with partner, finds duplicates)
    """

    related: str = "related"
    recommendation: str = "recommendation"
    partner: str = "partner"
    type: str = "type"

    def items(self) -> list[tuple[str, str]]:
        return [(role, getattr(self, role)) for role in LINK_ROLE_TYPES]


#: The roles played by the fields of the same names, as config/schema.yaml has them.
USUAL_ROLES = LinkRoles()


def crosslink_summary(words: Words = DEFAULT_WORDS) -> str:
    """crosslink's edit summary when pages.yaml gives none, in the records' words."""
    return f"Bot: cross-link {words.noun} records"


def recommendation_summary(words: Words = DEFAULT_WORDS) -> str:
    """The recommendation pages' edit summary when pages.yaml gives none, in the records' words."""
    return f"Bot: update the {words.nouns} supporting this recommendation"


@dataclass(frozen=True)
class CrosslinkConfig:
    """The `crosslink:` section of config/pages.yaml: what bots.crosslink may fix, and the recommendation pages."""

    #: Add the missing reciprocal entry to the `related` field of the other page.
    reciprocal_related: bool = True
    #: Replace a link to a redirect (a moved page) by the redirect's target.
    bypass_redirects: bool = True
    summary: str = crosslink_summary()
    #: Only recommendation pages under this prefix get a bot-owned region ("" for none).
    recommendation_prefix: str = ""
    recommendation_template: str = "recommendation.wikitext"
    recommendation_summary: str = recommendation_summary()
    #: Share of a recommendation page's rows one run may remove (bots.core.pages.guard). These lists are
    #: short and follow single records (one record dropping its link empties a one-row page), so 1.0.
    recommendation_max_removed_share: float = 1.0
    #: Which schema field plays which part (checked against the schema by pipeline.config_from).
    fields: LinkRoles = USUAL_ROLES
    #: One run adds at most this many reciprocal related links caused by one page; beyond, none (reported).
    max_links_per_page: int = 10


CROSSLINK_FLAGS = ("reciprocal_related", "bypass_redirects")
CROSSLINK_TEXTS = ("summary", "recommendation_prefix", "recommendation_template", "recommendation_summary")


RECOMMENDATION_SHARE = "recommendation_max_removed_share"
MAX_LINKS = "max_links_per_page"


def crosslink_config_from(doc: YamlDoc, data: Any) -> CrosslinkConfig:
    if data is None:
        return CrosslinkConfig()
    doc.check_keys(
        ("crosslink",), data, {*CROSSLINK_FLAGS, *CROSSLINK_TEXTS, "fields", RECOMMENDATION_SHARE, MAX_LINKS}
    )
    values: dict[str, Any] = {}
    if MAX_LINKS in data:
        limit = data[MAX_LINKS]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise doc.error(
                ("crosslink", MAX_LINKS),
                f"expected a whole number of links, 1 or more, found {limit!r} "
                "(to add no reciprocal links at all, set reciprocal_related: false)",
            )
        values[MAX_LINKS] = limit
    if RECOMMENDATION_SHARE in data:
        values[RECOMMENDATION_SHARE] = share_from(doc, ("crosslink", RECOMMENDATION_SHARE), data[RECOMMENDATION_SHARE])
    if "fields" in data:
        values["fields"] = link_roles_from(doc, data["fields"])
    for key in CROSSLINK_FLAGS:
        if key in data:
            if not isinstance(data[key], bool):
                raise doc.error(("crosslink", key), "expected true or false")
            values[key] = data[key]
    for key in CROSSLINK_TEXTS:
        if key in data:
            if not isinstance(data[key], str):
                raise doc.error(("crosslink", key), f'expected text, found {data[key]!r} (quote it: "...")')
            values[key] = data[key]
    return CrosslinkConfig(**values)


def link_roles_from(doc: YamlDoc, data: Any) -> LinkRoles:
    """`crosslink: fields:` role -> schema field name; null or "" switches it off, a role left out keeps its default."""
    path = ("crosslink", "fields")
    doc.check_keys(path, data, set(LINK_ROLE_TYPES))
    roles: dict[str, str] = {}
    for role, name in data.items():
        if name is not None and not isinstance(name, str):
            raise doc.error(
                (*path, role), f"expected a field name of schema.yaml, or null to switch off, found {name!r}"
            )
        roles[role] = name or ""
    return LinkRoles(**roles)
