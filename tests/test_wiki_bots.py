"""The bot classes of bots.wiki without a wiki: what they are given is what they use."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest
import pywikibot

from bots import wiki
from bots.cli import BAD_OPTIONS, SWITCHED_OFF, page_generator
from bots.core.lists import PagePlan
from bots.core.pipeline import load_config
from bots.core.settings import PagesConfig
from bots.lists import ListBot
from scripts.install_templates import InstallBot

PAGES = load_config().pages


class OfflineSite:
    """Stands in for a pywikibot site: the bots below are built with no page, so none is read."""

    def __str__(self) -> str:
        return "offline:offline"


def no_pages() -> Iterator[object]:
    yield from ()


BOTS: dict[str, Callable[[PagesConfig | None], wiki.SaveIfChangedBot]] = {
    "TextChangeBot": lambda shutoff: wiki.TextChangeBot(
        OfflineSite(), lambda snap: None, pages=no_pages(), shutoff=shutoff, always=True
    ),
    "CreatePagesBot": lambda shutoff: wiki.CreatePagesBot(OfflineSite(), {}, shutoff=shutoff, always=True),
    "InstallBot": lambda shutoff: InstallBot(OfflineSite(), {}, "summary", shutoff=shutoff, always=True),
    "RegionBot": lambda shutoff: wiki.RegionBot(OfflineSite(), {}, shutoff or PAGES, always=True),
    "ListBot": lambda shutoff: ListBot(
        OfflineSite(), [], lambda snap: PagePlan(snap.title, None, (), 0), "summary", shutoff=shutoff, always=True
    ),
}


@pytest.mark.parametrize("name", sorted(BOTS))
def test_a_bot_reads_the_shutoff_page_it_was_given_during_its_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No wiki.ready_to_edit ran in this process: the settings come with the bot, not from a global."""
    asked: list[str] = []

    def reason(site: object, pages: PagesConfig) -> str:
        asked.append(pages.shutoff_page)
        return f"[[{pages.shutoff_page}]] says stop"

    monkeypatch.setattr(wiki, "shutoff_reason", reason)
    bot = BOTS[name](PAGES)
    bot.edits_since_check = PAGES.shutoff_check_every - 1
    assert bot.still_switched_on()  # not due yet
    assert asked == []
    bot.edits_since_check += 1
    assert not bot.still_switched_on()
    assert asked == [PAGES.shutoff_page]
    assert bot.switched_off == f"[[{PAGES.shutoff_page}]] says stop"
    assert bot.exit_code() == SWITCHED_OFF


def test_a_bot_given_no_shutoff_settings_reads_no_shutoff_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wiki, "shutoff_reason", lambda site, pages: pytest.fail("read a shutoff page"))
    bot = BOTS["TextChangeBot"](None)
    bot.edits_since_check = 10**6
    assert bot.still_switched_on()


def test_every_bot_class_must_be_told_its_shutoff_settings() -> None:
    with pytest.raises(TypeError, match="shutoff"):
        wiki.TextChangeBot(OfflineSite(), lambda snap: None, pages=no_pages())  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="shutoff"):
        wiki.CreatePagesBot(OfflineSite(), {})  # type: ignore[call-arg]


def test_the_closing_count_is_said_the_same_way_by_every_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    bot = BOTS["TextChangeBot"](PAGES)
    bot.counter.update({"write": 3, "unchanged": 4, "skip": 1})
    bot.refused["Partnerships/X"] = "protected"
    assert bot.done_line("12 pages read") == (
        "Done: 12 pages read, 3 saved, 4 unchanged, 1 skipped ({{nobots}}), 1 refused (listed above)."
    )
    monkeypatch.setattr(pywikibot.config, "simulate", True)
    line = bot.done_line(unchanged=2, refused=5, then=["7 warnings"], started=time.monotonic())
    assert re.fullmatch(
        r"Done in \d+\.\d s: 3 would be saved \(simulation\), 2 unchanged, 1 skipped \(\{\{nobots\}\}\), "
        r"5 refused \(listed above\), 7 warnings\.",
        line,
    ), line


@pytest.mark.parametrize(
    ("name", "createonly"), [("CreatePagesBot", True), ("InstallBot", False), ("TextChangeBot", False)]
)
def test_only_the_create_pages_bot_saves_create_only(name: str, createonly: bool) -> None:
    bot = BOTS[name](PAGES)
    bot.summary = lambda title: "summary"  # type: ignore[method-assign]
    saves: list[dict[str, object]] = []

    def put_current(text: str, **kwargs: object) -> bool:
        saves.append(kwargs)
        return True

    bot.put_current = put_current
    assert bot.save("Partnerships/X", "text", show_diff=False)
    assert saves[0]["createonly"] is createonly
    assert saves[0]["ignore_save_related_errors"] is False


def test_page_generator_options_are_checked_without_a_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mistyped option name is said (exit 2) before the default site, which logs in, is created."""
    monkeypatch.setattr(pywikibot, "Site", lambda *args, **kwargs: pytest.fail("created the site"))
    assert page_generator(None, ["-bogus"]) == BAD_OPTIONS
    assert page_generator(None, []) is None  # no generator option, no default
