"""The settings files and templates on disk -> the core's data: the one place that reads them.

The core parses and checks text (bots.core.settings, bots.core.records.schema,
bots.core.upkeep.migrate) and renders from the templates' texts; this module only
reads the files and hands their text over, named by path so that every mistake
still names its file and line.
"""

from __future__ import annotations

from pathlib import Path

from bots.core.pipeline import Config, config_from
from bots.core.records.schema import Schema, schema_from_yaml
from bots.core.settings.yaml_doc import ConfigError, YamlDoc, parse_yaml
from bots.core.upkeep.migrate import Migration, migration_from_yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG_DIR = PROJECT_DIR / "config"
DEFAULT_TEMPLATE_DIR = PROJECT_DIR / "templates"


def read_config_text(path: Path) -> str:
    """A settings file's text; a ConfigError naming the file if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def read_yaml(path: Path) -> YamlDoc:
    return parse_yaml(read_config_text(path), str(path))


def load_schema(path: Path) -> Schema:
    return schema_from_yaml(read_config_text(path), str(path))


def load_migration(path: Path, schema: Schema) -> Migration:
    return migration_from_yaml(read_config_text(path), str(path), schema)


def read_templates(folder: Path) -> dict[str, str]:
    """Every file below ``folder``, by the name Jinja knows it by (its path below the folder, with "/")."""
    return {
        path.relative_to(folder).as_posix(): read_config_text(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def onwiki_templates(template_dir: Path = DEFAULT_TEMPLATE_DIR) -> dict[str, str]:
    """The templates of the on-wiki pages (bots.core.onwiki.infobox.onwiki_pages)."""
    return read_templates(template_dir / "onwiki")


def load_config(config_dir: Path = DEFAULT_CONFIG_DIR, template_dir: Path = DEFAULT_TEMPLATE_DIR) -> Config:
    """Read schema.yaml, pages.yaml and the page templates; any mistake is a ConfigError naming file and line.

    A folder without schema.yaml records what config/ does (e.g. config/examples/outreach: another wiki, the
    same records): it holds only what differs.
    """
    schema_file = config_dir / "schema.yaml"
    schema = load_schema(schema_file if schema_file.exists() else DEFAULT_CONFIG_DIR / "schema.yaml")
    pages_doc = read_yaml(config_dir / "pages.yaml")
    return config_from(schema, pages_doc, read_templates(template_dir / "pages"))
