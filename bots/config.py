"""The settings files and templates on disk -> the core's data: the one place that reads them.

The core parses and checks text (bots.core.settings, bots.core.records.schema,
bots.core.upkeep.migrate) and renders from the templates' texts; this module only
reads the files and hands their text over, named by path so that every mistake
still names its file and line.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from bots.core.pipeline import Config, ConfigFiles, config_from
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


def page_template_files(config_dir: Path, template_dir: Path = DEFAULT_TEMPLATE_DIR) -> dict[str, Path]:
    """The page templates' files by name: the folder's own (DIR/templates/pages/), and the project's for the rest."""
    found: dict[str, Path] = {}
    for folder in (template_dir / "pages", config_dir / "templates" / "pages"):
        if folder.is_dir():
            found.update(
                (path.relative_to(folder).as_posix(), path) for path in sorted(folder.rglob("*")) if path.is_file()
            )
    return found


def folder_key(config_dir: Path) -> str:
    """The name a config folder's run state (cache, lock, render state) carries, so that folders run side by side.

    Empty for config/ itself, whose files keep their names (existing caches stay valid); otherwise the
    folder's name and a short digest of its full path (two folders of one name stay apart).
    """
    folder = config_dir.resolve()
    if folder == DEFAULT_CONFIG_DIR.resolve():
        return ""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", folder.name).strip("-") or "config"
    return f"{name}-{hashlib.sha256(str(folder).encode()).hexdigest()[:8]}"


def shown_path(path: Path) -> str:
    """A file as messages name it: relative to the project when it lies inside, in full otherwise."""
    resolved = path.resolve()
    return resolved.relative_to(PROJECT_DIR).as_posix() if resolved.is_relative_to(PROJECT_DIR) else str(resolved)


def load_config(config_dir: Path = DEFAULT_CONFIG_DIR, template_dir: Path = DEFAULT_TEMPLATE_DIR) -> Config:
    """Read schema.yaml, pages.yaml and the page templates; any mistake is a ConfigError naming file and line.

    A folder without schema.yaml records what config/ does (e.g. config/examples/outreach: another wiki, the
    same records): it holds only what differs. Its page templates likewise: DIR/templates/pages/ holds
    those it has of its own, the project's templates/pages/ the rest.
    """
    schema_file = config_dir / "schema.yaml"
    schema_file = schema_file if schema_file.exists() else DEFAULT_CONFIG_DIR / "schema.yaml"
    schema = load_schema(schema_file)
    pages_file = config_dir / "pages.yaml"
    pages_doc = read_yaml(pages_file)
    files = page_template_files(config_dir, template_dir)
    return config_from(
        schema,
        pages_doc,
        {name: read_config_text(path) for name, path in files.items()},
        template_files={name: shown_path(path) for name, path in files.items()},
        files=ConfigFiles(schema=shown_path(schema_file), pages=shown_path(pages_file), key=folder_key(config_dir)),
    )
