"""Plain, frozen data passed between the stages of a run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

#: A normalised field value: text, a list of texts, a yes/no, or an ISO date text.
Value = str | bool | tuple[str, ...]


@dataclass(frozen=True)
class PageSnapshot:
    """One revision of a wiki page, as read."""

    title: str
    text: str
    revid: int = 0
    pageid: int = 0


@dataclass(frozen=True)
class Parameter:
    """One parameter of an infobox as the volunteer wrote it."""

    name: str
    value: str
    #: Written without a name (``{{Partnership|foo}}``): MediaWiki numbers it.
    positional: bool = False


@dataclass(frozen=True)
class Infobox:
    """An infobox found on a page: its parameters in page order, duplicates kept."""

    title: str
    template: str
    params: tuple[Parameter, ...]


class Place(str):
    """Where a problem is when that is not a wiki page: a file and line, a row of a table on a page.

    An Issue's ``page`` may be a Place; it is shown as written, where a page title is shown as a link.
    """

    __slots__ = ()


@dataclass(frozen=True)
class Issue:
    """A problem found in a record, worded for the volunteer who will fix it."""

    page: str
    field: str
    code: str
    severity: Severity
    message: str
    suggestion: str = ""

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.page, self.field, self.code, self.message)

    def where(self) -> str:
        """The page as a wiki link, or the Place as it is."""
        return str(self.page) if isinstance(self.page, Place) else f"[[{self.page}]]"


def quoted(text: str, limit: int = 60) -> str:
    """A volunteer's value as an issue's message quotes it: in quotation marks, cut to ``limit`` characters."""
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def severity_count(issues: Iterable[Issue], severity: Severity) -> int:
    return sum(1 for issue in issues if issue.severity == severity)


@dataclass(frozen=True)
class Partnership:
    """A validated record: canonical values keyed by schema field name."""

    title: str
    values: dict[str, Value] = field(default_factory=dict, hash=False, compare=True)
    #: The fields whose value (or an item of it) failed validation -> the text as the volunteer wrote it:
    #: the generated pages show it, marked, rather than drop it (validation's issues say what is wrong).
    written: dict[str, str] = field(default_factory=dict, hash=False, compare=True)

    def text(self, name: str) -> str:
        value = self.values.get(name, "")
        if isinstance(value, tuple):
            return "; ".join(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value

    def items(self, name: str) -> tuple[str, ...]:
        value = self.values.get(name)
        if value is None or value == "":
            return ()
        if isinstance(value, tuple):
            return value
        return (self.text(name),)

    def flag(self, name: str) -> bool:
        return self.values.get(name) is True

    @property
    def name(self) -> str:
        return self.text("name") or self.title
