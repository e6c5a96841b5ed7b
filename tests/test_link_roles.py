"""Which schema field plays which part in cross-linking: `crosslink: fields:` of config/pages.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.links.states import lookup_from_states, states_from_snapshots
from bots.core.pipeline import Checked, Config, check_pages, render_generated
from bots.core.records.model import PageSnapshot
from bots.core.settings.crosslink_config import LinkRoles
from bots.core.settings.yaml_doc import ConfigError

FIELDS_BLOCK = """  fields:
    related: related
    recommendation: recommendation
    partner: partner
    type: type
"""


def config_dir(tmp_path: Path, fields: str | None = FIELDS_BLOCK, schema_edit: Any = None) -> Path:
    """A config folder like config/, with another `fields:` block and an edited schema."""
    pages = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    assert FIELDS_BLOCK in pages
    (tmp_path / "pages.yaml").write_text(pages.replace(FIELDS_BLOCK, fields or ""), encoding="utf-8")
    schema = yaml.safe_load((DEFAULT_CONFIG_DIR / "schema.yaml").read_text(encoding="utf-8"))
    if schema_edit is not None:
        schema_edit(schema["fields"])
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(schema, sort_keys=False), encoding="utf-8")
    return tmp_path


def fields_line(path: Path) -> int:
    """The line of `fields:` in the crosslink section."""
    lines = (path / "pages.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index("  fields:") + 1


def test_the_shipped_config_names_the_usual_fields() -> None:
    assert load_config().pages.crosslink.fields == LinkRoles()


@pytest.mark.parametrize(
    ("role", "field", "expected"),
    [
        ("related", "relates", "the related role names the field 'relates', which the schema does not have"),
        ("type", "partner", "the type role needs a field of type choice, but 'partner' has type text"),
        ("partner", "related", "the partner role needs a field of type text, but 'related' has type page"),
        ("recommendation", "name", "needs a field of type page, but 'name' has type text"),
    ],
)
def test_a_role_naming_a_missing_field_or_one_of_the_wrong_type_is_an_error_with_file_and_line(
    tmp_path: Path, role: str, field: str, expected: str
) -> None:
    block = FIELDS_BLOCK.replace(f"    {role}: {role}\n", f"    {role}: {field}\n")
    folder = config_dir(tmp_path, block)
    line = fields_line(folder) + 1 + ["related", "recommendation", "partner", "type"].index(role)
    with pytest.raises(ConfigError) as error:
        load_config(folder)
    message = str(error.value)
    assert message.startswith(f"{folder / 'pages.yaml'}, line {line}: crosslink.fields.{role}: ")
    assert expected in message
    assert f"`{role}: null`" in message


def test_related_must_hold_several_pages(tmp_path: Path) -> None:
    def single(fields: dict[str, Any]) -> None:
        del fields["related"]["multiple"]

    with pytest.raises(ConfigError, match="not `multiple: true`"):
        load_config(config_dir(tmp_path, schema_edit=single))


def test_a_schema_without_the_fields_needs_them_switched_off_explicitly(tmp_path: Path) -> None:
    def drop(fields: dict[str, Any]) -> None:
        del fields["partner"]

    with pytest.raises(ConfigError) as error:
        load_config(config_dir(tmp_path, None, drop))
    assert "crosslink.fields.partner" in str(error.value)
    assert "'partner' (the default, as the file does not set it)" in str(error.value)

    off = FIELDS_BLOCK.replace("partner: partner", "partner: null")
    assert load_config(config_dir(tmp_path, off, drop)).pages.crosslink.fields == LinkRoles(partner="")


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("  fields:\n    partners: partner\n", "unknown key 'partners'"),
        ("  fields:\n    related: [related]\n", "expected a field name of schema.yaml, or null"),
        ("  fields: related\n", "expected a mapping"),
    ],
)
def test_bad_fields_blocks(tmp_path: Path, block: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_config(config_dir(tmp_path, block))


def box(name: str, partner: str, **extra: str) -> str:
    lines = {"name": name, "partner": partner, "type": "content", "lead": "volunteers", "status": "active", **extra}
    return "{{Partnership\n" + "".join(f"| {k} = {v}\n" for k, v in lines.items()) + "}}\n"


def check(config: Config, pages: dict[str, str], others: dict[str, str] | None = None) -> Checked:
    """Check the infobox pages; ``others`` are further pages on the wiki."""
    snaps = [PageSnapshot(t, text, pageid=i + 1) for i, (t, text) in enumerate(pages.items())]
    wiki = [*snaps, *(PageSnapshot(t, text) for t, text in (others or {}).items())]
    lookup = lookup_from_states(states_from_snapshots(wiki))
    return check_pages(snaps, config.schema, config.schema.template_names, lookup, config.pages.crosslink.fields)


def test_a_renamed_related_field_is_the_one_kept_two_sided(tmp_path: Path) -> None:
    def rename(fields: dict[str, Any]) -> None:
        fields["see_also"] = fields.pop("related")

    config = load_config(config_dir(tmp_path, FIELDS_BLOCK.replace("related: related", "related: see_also"), rename))
    checked = check(config, {"P/A": box("A", "X", see_also="P/B"), "P/B": box("B", "Y")})
    assert [(i.page, i.field, i.code) for i in checked.issues] == [("P/A", "see_also", "related-not-reciprocal")]
    assert [(f.page, f.field, f.value) for f in checked.links.fixes] == [("P/B", "see_also", "P/A")]


def test_switched_off_roles_find_and_list_nothing(tmp_path: Path) -> None:
    off = "  fields:\n    related: null\n    recommendation: null\n    partner: null\n    type: null\n"
    config = load_config(config_dir(tmp_path, off))
    pages = {
        "P/A": box("A", "Same", related="P/B", recommendation="Task force/Recommendations/One"),
        "P/B": box("B", "Same"),
        "P/C": box("C", "Same"),
    }
    others = {"Task force/Recommendations/One": "A recommendation.\n"}
    checked = check(config, pages, others)
    assert [(i.page, i.code) for i in checked.issues] == []
    bodies = render_generated(checked, config, "now")
    assert "Task force/Recommendations/One" not in bodies
    partners, _ = bodies[config.pages.title_of("partners")]
    assert "switched off" in partners
    assert "Same" not in partners

    on = load_config()
    checked_on = check(on, pages, others)
    codes = [(i.page, i.code) for i in checked_on.issues]
    assert codes == [("P/A", "related-not-reciprocal"), ("P/C", "possible-duplicate")]
    assert "Task force/Recommendations/One" in render_generated(checked_on, on, "now")


def test_recommendation_pages_have_their_own_mass_removal_share(tmp_path: Path) -> None:
    pages = load_config().pages
    prefix = pages.crosslink.recommendation_prefix
    assert pages.removal_limit(f"{prefix}Some recommendation") == 1.0
    assert pages.removal_limit(pages.title_of("index")) == pages.max_removed_share == 0.2
    stricter = FIELDS_BLOCK + "  recommendation_max_removed_share: 0.5\n"
    assert load_config(config_dir(tmp_path, stricter)).pages.removal_limit(f"{prefix}X") == 0.5
    with pytest.raises(ConfigError, match=r"crosslink\.recommendation_max_removed_share: expected a share"):
        load_config(config_dir(tmp_path, FIELDS_BLOCK + "  recommendation_max_removed_share: 50%\n"))
