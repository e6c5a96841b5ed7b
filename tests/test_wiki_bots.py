"""The bot classes of bots.wiki.save without a wiki: what they are given is what they use."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator

import pytest
import pywikibot

from bots.cli import BAD_OPTIONS, SWITCHED_OFF, page_generator
from bots.config import load_config
from bots.core.lists.fill import PagePlan
from bots.core.settings.pages_config import PagesConfig
from bots.lists import ListBot
from bots.wiki.save import CreatePagesBot, RegionBot, SaveIfChangedBot, TextChangeBot
from scripts.install_templates import InstallBot

PAGES = load_config().pages


class OfflineSite:
    """Stands in for a pywikibot site: the bots below are built with no page, so none is read."""

    def __str__(self) -> str:
        return "offline:offline"


def no_pages() -> Iterator[object]:
    yield from ()


BOTS: dict[str, Callable[[PagesConfig | None], SaveIfChangedBot]] = {
    "TextChangeBot": lambda shutoff: TextChangeBot(
        OfflineSite(), lambda snap: None, pages=no_pages(), shutoff=shutoff, always=True
    ),
    "CreatePagesBot": lambda shutoff: CreatePagesBot(OfflineSite(), {}, shutoff=shutoff, always=True),
    "InstallBot": lambda shutoff: InstallBot(OfflineSite(), {}, "summary", shutoff=shutoff, always=True),
    "RegionBot": lambda shutoff: RegionBot(OfflineSite(), {}, shutoff or PAGES, always=True),
    "ListBot": lambda shutoff: ListBot(
        OfflineSite(), [], lambda snap: PagePlan(snap.title, None, (), 0), "summary", shutoff=shutoff, always=True
    ),
}


@pytest.mark.parametrize("name", sorted(BOTS))
def test_a_bot_reads_the_shutoff_page_it_was_given_during_its_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No ready_to_edit ran in this process: the settings come with the bot, not from a global."""
    asked: list[str] = []

    def reason(site: object, pages: PagesConfig) -> str:
        asked.append(pages.shutoff_page)
        return f"[[{pages.shutoff_page}]] says stop"

    monkeypatch.setattr("bots.wiki.save.shutoff_reason", reason)
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
    monkeypatch.setattr("bots.wiki.save.shutoff_reason", lambda site, pages: pytest.fail("read a shutoff page"))
    bot = BOTS["TextChangeBot"](None)
    bot.edits_since_check = 10**6
    assert bot.still_switched_on()


def test_every_bot_class_must_be_told_its_shutoff_settings() -> None:
    with pytest.raises(TypeError, match="shutoff"):
        TextChangeBot(OfflineSite(), lambda snap: None, pages=no_pages())  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="shutoff"):
        CreatePagesBot(OfflineSite(), {})  # type: ignore[call-arg]


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


# --- saving respects deletions and redirects (issue 16, items 5 and 6) -------------------------


class FakeRevision:
    def __init__(self, revid: int) -> None:
        self.revid = revid
        self.timestamp = pywikibot.Timestamp(2026, 1, 2, 3, 4, 5)


class FakePage:
    """A page as the bots see it: ``wiki`` is what a read finds (None: the page is gone)."""

    def __init__(self, title: str, wiki: str | None, redirect: bool = False) -> None:
        self._title, self.wiki, self.redirect = title, wiki, redirect
        self.revid = 7
        with contextlib.suppress(pywikibot.exceptions.NoPageError):
            self.get(force=True)

    def title(self) -> str:
        return self._title

    def exists(self) -> bool:
        return self.pageid > 0

    def isRedirectPage(self) -> bool:
        return self.redirect

    def getRedirectTarget(self) -> FakePage:
        return FakePage("Main Page", "")

    def botMayEdit(self) -> bool:
        return True

    @property
    def latest_revision_id(self) -> int:
        return self.revid

    @property
    def latest_revision(self) -> FakeRevision:
        return FakeRevision(self.revid)

    def get(self, force: bool = False, get_redirect: bool = False) -> str:
        self.pageid = 0 if self.wiki is None else 1
        if self.wiki is None:
            raise pywikibot.exceptions.NoPageError(self)
        self.text = self.wiki
        return self.text


def text_bot(page: FakePage, saves: list[dict[str, object]], error: Exception | None = None) -> TextChangeBot:
    """A TextChangeBot working on ``page`` whose saves land in ``saves`` (or raise ``error``)."""
    bot = TextChangeBot(OfflineSite(), lambda snap: (snap.text + " changed", "summary"), pages=no_pages(),
                             shutoff=None, always=True)  # fmt: skip

    def put_current(text: str, **kwargs: object) -> bool:
        saves.append(kwargs)
        if error is not None:
            raise error
        return True

    bot.put_current = put_current
    bot._current_page = page
    return bot


def test_a_save_of_an_existing_page_may_not_create_it_and_starts_at_the_read_revision() -> None:
    saves: list[dict[str, object]] = []
    bot = text_bot(FakePage("Partnerships/X", "old"), saves)
    bot.treat_page()
    assert saves[0]["nocreate"] is True and saves[0]["recreate"] is False
    assert saves[0]["starttimestamp"] == "2026-01-02T03:04:05Z"
    bot.summary = lambda title: "summary"  # type: ignore[method-assign]
    assert bot.save("Partnerships/Y", "text", show_diff=False)  # no base: a page that may be created
    assert not {"nocreate", "recreate", "starttimestamp"} & set(saves[1])


@pytest.mark.parametrize("error", [pywikibot.exceptions.NoCreateError, pywikibot.exceptions.PageDeletedConflictError])
def test_a_page_deleted_just_before_the_save_is_skipped_with_one_line(
    error: type[Exception], capsys: pytest.CaptureFixture[str]
) -> None:
    """The wiki refuses the save (nocreate, or a deletion since the start): no retry, no refusal, the run goes on."""
    saves: list[dict[str, object]] = []
    page = FakePage("Partnerships/X", "old")
    bot = text_bot(page, saves, error(page))
    bot.treat_page()
    assert len(saves) == 1 and not bot.refused and bot.counter["deleted"] == 1
    assert bot.notes == ["Skipped [[Partnerships/X]]: it was deleted during the run; the bot does not re-create it."]
    assert bot.exit_code() == 0


def test_a_page_deleted_between_the_read_and_the_reread_is_skipped_not_saved() -> None:
    saves: list[dict[str, object]] = []
    page = FakePage("Partnerships/X", "old")
    bot = text_bot(page, saves)

    def deleted_while_planning(snap: object) -> tuple[str, str]:
        page.wiki = None
        return "new", "summary"

    bot.change = deleted_while_planning
    bot.treat_page()
    assert saves == [] and bot.counter["deleted"] == 1 and not bot.refused


def test_a_page_missing_when_read_is_not_created_by_the_bots_that_edit_existing_pages() -> None:
    saves: list[dict[str, object]] = []
    bot = text_bot(FakePage("Partnerships/X", None), saves)
    bot.treat_page()
    assert saves == [] and bot.counter["deleted"] == 1


def test_no_bot_writes_under_a_redirect() -> None:
    saves: list[dict[str, object]] = []
    bot = text_bot(FakePage("Partnerships/X", "#REDIRECT [[Main Page]]", redirect=True), saves)
    bot.treat_page()
    assert saves == []
    assert bot.refused["Partnerships/X"].startswith("it is a redirect to [[Main Page]] that no move made")
    assert bot.exit_code() == 1


def test_a_generated_page_is_created_only_if_no_log_says_it_was_moved_or_deleted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logs: dict[str, list[dict[str, object]]] = {
        "New page": [],
        "Deleted page": [
            {"type": "delete", "action": "delete", "title": "Deleted page", "timestamp": "2026-02-03T04:05:06Z",
             "user": "Admin"},
        ],
    }  # fmt: skip
    monkeypatch.setattr("bots.wiki.save.title_log", lambda site, title: logs[title])
    bot = BOTS["RegionBot"](PAGES)
    assert isinstance(bot, RegionBot)
    assert bot.may_create("New page")
    assert not bot.may_create("Deleted page")
    said = "[[Deleted page]] was deleted by an admin (Admin) on 2026-02-03 04:05 UTC; the bot does not re-create it"
    assert bot.refused["Deleted page"].startswith(said) and bot.notes == [bot.refused["Deleted page"]]
