"""The titles in config/pages.yaml: real pages, each its own; a mistake is exit 2 with the file and line."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from bots.cli import BAD_OPTIONS
from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.settings.page_titles import title_key
from bots.core.settings.pages_config import pages_config_from
from bots.core.settings.yaml_doc import ConfigError, parse_yaml
from tests.support import run

INDEX = "    title: /Index\n"
BY_TYPE = "    title: /By type\n"
SHUTOFF = "  page: User:PartnershipBot/Shutoff\n"
STATUS = "  page: User:PartnershipBot/Status\n"


def shipped() -> str:
    text = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    assert all(line in text for line in (INDEX, BY_TYPE, SHUTOFF, STATUS))
    return text


def line_of(line: str) -> int:
    """The line of ``line`` in the shipped file (and in a copy where it was replaced by another line)."""
    return shipped().splitlines().index(line.rstrip("\n")) + 1


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Task_force/Index", "Task force/Index"),
        ("task force/Index", "Task force/Index"),
        ("  Task   force/Index ", "Task force/Index"),
        ("special : recentChanges", "Special:RecentChanges"),
        ("user_talk:bot", "User talk:Bot"),
        ("Image:X.png", "File:X.png"),
        ("Task force: index", "Task force: index"),  # not a namespace: the text after the colon is kept
    ],
)
def test_titles_are_compared_as_the_wiki_compares_them(title: str, key: str) -> None:
    assert title_key(title) == key


CHANGES = [
    # two generated pages with the same title, written in other ways
    (BY_TYPE, "    title: Task force/Alliances and partnerships/Index\n", "is the same page as generated.index.title"),
    (BY_TYPE, "    title: Task_force/Alliances_and_partnerships/Index\n", "is the same page as generated.index.title"),
    (BY_TYPE, "    title: task force/Alliances and partnerships/Index\n", "is the same page as generated.index.title"),
    # a generated page that is the status or the shutoff page
    (INDEX, "    title: User:PartnershipBot/Status\n", "is the same page as status.page"),
    (INDEX, "    title: user:partnershipBot/Shutoff\n", "is the same page as shutoff.page"),
    # a page with no text
    (INDEX, "    title: Special:RecentChanges\n", "is in the Special: namespace"),
    (INDEX, "    title: special:RecentChanges\n", "is in the Special: namespace"),
    (INDEX, "    title: Media:Logo.png\n", "is in the Media: namespace"),
    (SHUTOFF, "  page: Special:BlankPage\n", "is in the Special: namespace"),
    (STATUS, "  page: Media:Status.txt\n", "is in the Media: namespace"),
    # no title at all, or one the wiki cannot have
    (SHUTOFF, '  page: ""\n', "shutoff.page: expected a page title, e.g. User:PartnershipBot/Shutoff, found ''"),
    (SHUTOFF, "  page:\n", "shutoff.page: expected a page title, e.g. User:PartnershipBot/Shutoff, found None"),
    (SHUTOFF, '  page: "  _ "\n', "shutoff.page: expected a page title"),
    (STATUS, "  page:\n", "status.page: expected a page title"),
    (INDEX, '    title: ""\n', "generated.index.title: expected a page title"),
    (INDEX, "    title: Index#Top\n", "cannot be a page title"),
]


@pytest.mark.parametrize(("line", "replacement", "message"), CHANGES)
def test_a_wrong_title_is_an_error_with_file_and_line(line: str, replacement: str, message: str) -> None:
    text = shipped().replace(line, replacement)
    with pytest.raises(ConfigError) as raised:
        pages_config_from(parse_yaml(text, "pages.yaml"))
    assert str(raised.value).startswith(f"pages.yaml, line {line_of(line)}: "), raised.value
    assert message in str(raised.value)


def test_the_first_of_two_same_titles_is_named_with_its_line() -> None:
    text = shipped().replace(BY_TYPE, "    title: Task_force/Alliances_and_partnerships/Index\n")
    with pytest.raises(ConfigError) as raised:
        pages_config_from(parse_yaml(text, "pages.yaml"))
    assert f"generated.index.title (pages.yaml, line {line_of(INDEX)})" in str(raised.value)


def test_the_shipped_titles_and_an_empty_status_page_are_fine() -> None:
    pages = pages_config_from(parse_yaml(shipped(), "pages.yaml"))
    assert pages.shutoff_page == "User:PartnershipBot/Shutoff"
    no_status = pages_config_from(parse_yaml(shipped().replace(STATUS, '  page: ""\n'), "pages.yaml"))
    assert no_status.status_page == ""
    assert load_config().pages.generated == pages.generated


@pytest.mark.parametrize(
    ("line", "replacement"),
    [
        (SHUTOFF, '  page: ""\n'),  # a traceback before this check
        (BY_TYPE, "    title: Task_force/Alliances_and_partnerships/Index\n"),
        (INDEX, "    title: Special:RecentChanges\n"),
    ],
)
def test_a_wrong_title_stops_the_bot_with_exit_2_before_any_request(
    watched_wiki: Path, listener: socket.socket, tmp_path: Path, line: str, replacement: str
) -> None:
    folder = tmp_path / "settings"
    folder.mkdir()
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", folder / "schema.yaml")
    text = shipped().replace(line, replacement)
    (folder / "pages.yaml").write_text(text, encoding="utf-8")
    code, lines = run(watched_wiki, "bots.update", f"-settings:{folder}", "-always")
    assert code == BAD_OPTIONS, lines
    assert len(lines) == 1 and f"pages.yaml, line {line_of(line)}: " in lines[0], lines
    assert "Traceback" not in lines[0]
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected to the wiki


ROOT = "root: Task force/Alliances and partnerships\n"


@pytest.mark.parametrize(
    ("line", "replacement", "message", "at"),
    [
        (ROOT, "", "'/Index' is a subpage of root:, and there is no root:", INDEX),
        (ROOT, "root: Special:Root\n", "root: 'Special:Root' is in the Special: namespace", "root: Special:Root\n"),
        (ROOT, "root: A|B\n", "cannot be a page title", "root: A|B\n"),
        (
            ROOT,
            ROOT + "task_page: User:PartnershipBot/Status\n",
            "task_page: 'User:PartnershipBot/Status' is the same",
            "",
        ),
        (ROOT, ROOT + "task_page: Task force/Alliances and partnerships/Index\n", "generated.index.title: '", INDEX),
    ],
)
def test_the_root_and_the_task_page_are_checked_as_titles(line: str, replacement: str, message: str, at: str) -> None:
    text = shipped().replace(line, replacement)
    with pytest.raises(ConfigError) as raised:
        pages_config_from(parse_yaml(text, "pages.yaml"))
    assert message in str(raised.value), raised.value
    if at:
        assert str(raised.value).startswith(f"pages.yaml, line {text.splitlines().index(at.rstrip()) + 1}: ")


def test_a_generated_title_is_a_subpage_of_the_root_or_a_whole_title() -> None:
    text = shipped().replace(ROOT, "root: Partnerships/\n").replace(BY_TYPE, "    title: Elsewhere/By type\n")
    pages = pages_config_from(parse_yaml(text, "pages.yaml"))
    assert pages.title_of("index") == "Partnerships/Index"
    assert pages.title_of("by_type") == "Elsewhere/By type"
    assert load_config().pages.title_of("index") == "Task force/Alliances and partnerships/Index"


def test_the_outreach_example_is_a_whole_config_with_the_shipped_schema() -> None:
    outreach = load_config(DEFAULT_CONFIG_DIR / "examples" / "outreach")
    assert outreach.schema == load_config().schema
    assert [page.title for page in outreach.pages.generated][:2] == ["Partnerships/Index", "Partnerships/By type"]
    assert outreach.pages.task_page == "User:PartnershipBot/Task" and not outreach.pages.crosslink.recommendation_prefix
