"""A generated page's `split:` settings: one subpage per choice of a field, or per range of letters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bots.core.settings.yaml_doc import Path_, YamlDoc

#: `split: by:` values that are not a schema field: alphabetical ranges of the partnership's name,
#: of the page's name (its title after the last "/"), or of the partner organisation's name.
SPLIT_BY_RANGES = ("name", "page", "partner")
#: The ranges when `split:` names none: one per letter.
DEFAULT_RANGES = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))


@dataclass(frozen=True)
class LetterRange:
    """Names whose first letters fall between ``low`` and ``high`` (upper case, both ends included).

    Each end is compared with as many letters of the name as it has: "T-Tg" holds "Tango"
    and "Tgv" but not "The"; "Th" holds "The" and "Thursday".
    """

    label: str
    low: str
    high: str

    def holds(self, key: str) -> bool:
        return key[: len(self.low)] >= self.low and key[: len(self.high)] <= self.high


@dataclass(frozen=True)
class SplitConfig:
    """A generated page's `split:`: one subpage per choice of a schema field, or per range of letters."""

    by: str
    ranges: tuple[LetterRange, ...] = ()


def letter_ranges(doc: YamlDoc, path: Path_, data: Any) -> tuple[LetterRange, ...]:
    """`ranges: [A-C, D, ..., T-Tg, Th, Ti-Tz]`: letters only, in order, not overlapping."""
    if not isinstance(data, list) or not data:
        raise doc.error(path, "expected a list of letter ranges, e.g. [A-C, D-F, G]")
    ranges: list[LetterRange] = []
    for index, item in enumerate(data):
        where = (*path, index)
        text = str(item).strip() if isinstance(item, str) else ""
        low, _, high = text.partition("-")
        low, high = low.strip(), (high.strip() or low.strip())
        if not (low.isascii() and low.isalpha() and high.isascii() and high.isalpha()):
            raise doc.error(
                where, f"expected letters or two of them with a dash, e.g. A or A-C or Ta-Tg, found {item!r}"
            )
        found = LetterRange(label=text.replace(" ", ""), low=low.upper(), high=high.upper())
        if found.low[: len(found.high)] > found.high:
            raise doc.error(where, f"{item!r} ends before it starts")
        if ranges and found.low[: len(ranges[-1].high)] <= ranges[-1].high:
            raise doc.error(
                where, f"{item!r} overlaps or comes before {ranges[-1].label!r}: list the ranges in alphabetical order"
            )
        ranges.append(found)
    return tuple(ranges)


def split_config_from(doc: YamlDoc, path: Path_, data: Any) -> SplitConfig:
    doc.check_keys(path, data, {"by", "ranges"}, {"by"})
    by = data["by"]
    if not isinstance(by, str) or not by:
        raise doc.error((*path, "by"), f"expected {', '.join(SPLIT_BY_RANGES)} or a choice field of the schema")
    if by not in SPLIT_BY_RANGES:
        if "ranges" in data:
            raise doc.error((*path, "ranges"), f"ranges are for by: {', '.join(SPLIT_BY_RANGES)}, not a choice field")
        return SplitConfig(by=by)
    if "ranges" not in data:
        return SplitConfig(by=by, ranges=tuple(LetterRange(c, c, c) for c in DEFAULT_RANGES))
    return SplitConfig(by=by, ranges=letter_ranges(doc, (*path, "ranges"), data["ranges"]))
