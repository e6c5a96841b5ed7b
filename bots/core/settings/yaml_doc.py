"""YAML text -> a document that knows the line of every key, so that each error names the file and line.

Unknown keys are errors (:meth:`YamlDoc.check_keys`), so that a typo in a config file is caught
at start-up instead of silently doing nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

Path_ = tuple[Any, ...]


class ConfigError(Exception):
    """A configuration file is wrong; the message names the file, line and key."""


class DuplicateKeyError(ValueError):
    """A key appears twice in one YAML mapping (PyYAML would silently keep the last)."""


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML with the line of every mapping key and sequence item."""

    filename: str
    data: Any
    lines: Mapping[Path_, int]

    def where(self, path: Path_) -> str:
        """'file, line N' for the deepest known part of ``path``."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return f"{self.filename}, line {line}"
        return self.filename

    def error(self, path: Path_, message: str) -> ConfigError:
        key = ".".join(str(p) for p in path)
        return ConfigError(f"{self.where(path)}: {key + ': ' if key else ''}{message}")

    def check_keys(
        self, path: Path_, mapping: Any, allowed: set[str], required: frozenset[str] | set[str] = frozenset()
    ) -> None:
        if not isinstance(mapping, dict):
            raise self.error(path, f"expected a mapping, found {type(mapping).__name__}")
        for key in mapping:
            if key not in allowed:
                raise self.error((*path, key), f"unknown key {key!r}; valid keys: {', '.join(sorted(allowed))}")
        for key in sorted(required - set(mapping)):
            raise self.error(path, f"missing required key {key!r}")


def _record_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = (
                yaml.safe_load(yaml.serialize(key_node))
                if not isinstance(key_node, yaml.ScalarNode)
                else key_node.value
            )
            line = key_node.start_mark.line + 1
            if key in seen:
                dotted = ".".join(str(p) for p in (*path, key))
                raise DuplicateKeyError(f"line {line}: {dotted}: defined twice (first on line {seen[key]}); keep one")
            seen[key] = line
            where = (*path, key)
            lines[where] = line
            _record_lines(value_node, where, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def parse_yaml(text: str, filename: str) -> YamlDoc:
    """Parse YAML text, keeping line numbers; a syntax error becomes a ConfigError."""
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{filename}: not valid YAML: {exc}") from exc
    lines: dict[Path_, int] = {}
    if root is not None:
        try:
            _record_lines(root, (), lines)
        except DuplicateKeyError as exc:
            raise ConfigError(f"{filename}, {exc}") from None
    return YamlDoc(filename=filename, data=data, lines=lines)


def share_from(doc: YamlDoc, path: Path_, value: Any) -> float:
    """A share between 0 and 1 (e.g. 0.2 for 20%)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise doc.error(path, f"expected a share between 0 and 1 (0.2 means 20%), found {value!r}")
    return float(value)
