"""Saving through pywikibot's bot framework: -simulate, -always, diffs, {{bots}}/{{nobots}}, the edit throttle.

SaveIfChangedBot saves only what changed; RegionBot writes generated regions,
TextChangeBot applies a pure change to pages, CreatePagesBot creates missing pages.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pywikibot
from pywikibot.bot import CurrentPageBot, SingleSiteBot

from bots.core.pages.guard import edit_records_instead, edited_by_hand, hand_edit_note, own_removal_reason
from bots.core.pages.markers import RegionError, find_region
from bots.core.pages.moves import (
    LogEntry,
    deleted_during_run_message,
    deleted_message,
    last_move,
    moved_elsewhere_message,
    moved_message,
    redirect_message,
    why_missing,
)
from bots.core.pages.regions import region_body, replace_region, same_apart_from_timestamp
from bots.core.records.model import PageSnapshot
from bots.core.records.words import DEFAULT_WORDS, Words
from bots.core.settings.pages_config import PagesConfig
from bots.exit_codes import run_exit_code
from bots.wiki.history import own_last_save, title_log
from bots.wiki.messages import save_error_reason, saved_word, with_task_link
from bots.wiki.read import preloaded_with_templates, redirect_target
from bots.wiki.shutoff import shutoff_reason

#: Set by bots.update -follow on SIGTERM or SIGINT: every saving bot stops before its next page, so the
#: save under way ends first and the rest of the round saves nothing (its render state is then not kept).
STOP_REQUESTED = threading.Event()


class SaveIfChangedBot(SingleSiteBot, CurrentPageBot):  # type: ignore[misc]
    """Saves a planned text on each of a fixed set of pages, only where it changed.

    Honours {{bots}}/{{nobots}}, counts unchanged pages, and keeps in ``refused``
    every page it would not or could not save, with the reason. During the run it
    reads the shutoff page again every ``shutoff_check_every`` edits and stops when
    switched off (``switched_off`` then says why). Each page is read again right
    before it is saved; a page edited since it was read (or an edit conflict) is
    planned anew on the new text. A page the wiki refuses (protected, spam
    blacklist, abuse filter) is reported and the run goes on.

    A page that existed when read is saved with ``nocreate`` (and the read revision's
    time as ``starttimestamp``, without pywikibot's ``recreate``): one deleted during
    the run is skipped with one line, never re-created. No page is written under a
    redirect or turned from a redirect into content: a redirect is refused.
    """

    #: How many times a page is read again after an edit conflict before giving up on it.
    conflict_retries = 3
    #: Only create pages (the API's ``createonly``): a page that exists by the time of the save is left alone.
    createonly = False
    #: Whether a page missing when the bot reads it may be created (False: it was deleted during the run; skipped).
    creates_pages = True

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        titles: Iterable[str] = (),
        *,
        pages: Iterable[pywikibot.Page] | None = None,
        shutoff: PagesConfig | None,
        **kwargs: Any,
    ) -> None:
        """Work on the pages of ``titles``, or of any page generator given as ``pages``.

        ``shutoff``: the settings whose shutoff page is read again during the run (the
        ones bots.wiki.shutoff.ready_to_edit checked before it), and whose task page every edit
        summary links; None only where nothing may stop it.
        """
        self.refused: dict[str, str] = {}
        #: What an operator should know about this run beyond the counts (for the status page): moves followed,
        #: pages deleted during the run or by an admin.
        self.notes: list[str] = []
        self.switched_off: str | None = None
        self.shutoff = shutoff
        self.edits_since_check = 0
        #: Each page's latest revision once the bot was done with it: its own save, or as read when unchanged.
        self.revisions: dict[str, int] = {}
        if pages is None:
            # With their templates, so that botMayEdit ({{nobots}}) needs no request of its own per page.
            pages = preloaded_with_templates(site, titles)
        super().__init__(site=site, generator=pages, **kwargs)
        self.counter["unchanged"] = 0
        self.counter["deleted"] = 0

    def plan(self, title: str, old: str) -> str | None:
        """The page's new text; None when it must not change (after saying why)."""
        raise NotImplementedError

    def summary(self, title: str) -> str:
        raise NotImplementedError

    def done_line(
        self,
        *counts: str,
        started: float | None = None,
        unchanged: int | None = None,
        refused: int | None = None,
        then: Iterable[str] = (),
    ) -> str:
        """The run's closing count, one line: "Done in 2.0 s: <counts>, 3 saved, 4 unchanged, ...".

        ``counts`` come first (e.g. "12 pages read"), ``then`` last; ``unchanged`` and
        ``refused`` replace the bot's own counts where the caller knows better (a page its
        change left alone because of a problem was refused, not unchanged).
        """
        took = "" if started is None else f" in {time.monotonic() - started:.1f} s"
        parts = [
            *counts,
            f"{self.counter['write']} {saved_word()}",
            f"{self.counter['unchanged'] if unchanged is None else unchanged} unchanged",
            f"{self.counter['skip']} skipped ({{{{nobots}}}})",
            f"{len(self.refused) if refused is None else refused} refused (listed above)",
            *then,
        ]
        return f"Done{took}: {', '.join(parts)}."

    def exit_code(self, problems: bool = False) -> int:
        """The run's exit code: 3 if switched off mid-run, else 1 if a page was refused or ``problems``, else 0."""
        return run_exit_code(switched_off=self.switched_off is not None, refused=bool(self.refused) or problems)

    def refuse(self, title: str, reason: str) -> None:
        self.refused[title] = reason
        pywikibot.error(f"Not editing [[{title}]]: {reason}")

    def deleted_during_run(self, title: str) -> None:
        """A page that existed when read is gone: skip it with one line (the bot does not re-create it)."""
        self.counter["deleted"] += 1
        message = deleted_during_run_message(title)
        self.notes.append(message)
        pywikibot.warning(message)

    def may_create(self, title: str) -> bool:
        """Whether the bot may create this missing page; when not, it is skipped as deleted during the run."""
        if not self.creates_pages:
            self.deleted_during_run(title)
        return self.creates_pages

    def redirect_reason(self, page: pywikibot.Page) -> str:
        """Why a redirect page is not saved (the refusal's reason)."""
        return redirect_message(redirect_target(page))

    def unchanged(self, title: str) -> None:
        self.counter["unchanged"] += 1
        if self.current_page.exists():
            self.revisions[title] = self.current_page.latest_revision_id
        pywikibot.info(f"No change on [[{title}]]")

    def reread(self, page: pywikibot.Page) -> pywikibot.Page:
        """The page as it is on the wiki now (its latest revision becomes the base of the save)."""
        # The same object: the bot's current page is compared by title, and a failed save left
        # the planned text in page.text.
        del page.text
        # The templates preloaded with the old text would hide a {{nobots}} added since.
        with contextlib.suppress(AttributeError):
            del page._templates
        with contextlib.suppress(pywikibot.exceptions.NoPageError):
            page.get(force=True, get_redirect=True)
        return page

    def still_switched_on(self) -> bool:
        """Every ``shutoff_check_every`` edits, read the shutoff page again; False (and stop) if switched off."""
        if self.shutoff is None or self.edits_since_check < self.shutoff.shutoff_check_every:
            return True
        self.edits_since_check = 0
        reason = shutoff_reason(self.site, self.shutoff)
        if reason is None:
            return True
        self.switched_off = reason
        pywikibot.error(f"Stopping in the middle of the run: {reason}")
        self.generator.close()
        return False

    def treat_page(self) -> None:
        if STOP_REQUESTED.is_set():
            self.generator.close()  # the pages not treated are not as rendered: left_as_rendered says None
            return
        if not self.still_switched_on():
            return
        page = self.current_page
        title = page.title()
        for _attempt in range(1 + self.conflict_retries):
            try:
                if self.save_if_changed(page):
                    return
                pywikibot.info(f"[[{title}]] was edited since the bot read it: planning again on the new text.")
            except (pywikibot.exceptions.NoCreateError, pywikibot.exceptions.PageDeletedConflictError):
                self.deleted_during_run(title)  # after the bot's last read, before its save
                return
            except pywikibot.exceptions.EditConflictError:
                pywikibot.warning(
                    f"Edit conflict on [[{title}]]: someone saved it after the bot read it. Reading it again."
                )
                self.reread(page)
            except pywikibot.exceptions.PageSaveRelatedError as exc:
                self.refuse(title, save_error_reason(exc))
                return
        self.refuse(title, f"it kept changing while the bot tried to save it ({self.conflict_retries} edit conflicts)")

    def save_if_changed(self, page: pywikibot.Page) -> bool:
        """Plan the page and save it if it changes; False if it was edited since read (it has been read again).

        A page is read again right before it is saved, so that a {{nobots}} or a
        volunteer's edit made during the run is seen; the save itself carries the
        revision's time, so an edit in the last instant is an edit conflict.
        """
        title = page.title()
        existed = page.exists()
        if not existed and not self.may_create(title):
            return True
        old = page.text if existed else ""
        if not page.botMayEdit():
            self.counter["skip"] += 1
            pywikibot.warning(
                f"Not editing [[{title}]]: the page asks bots not to edit it ({{{{bots}}}}/{{{{nobots}}}})."
            )
            return True
        new = self.plan(title, old)
        if new is None:
            return True
        if old.rstrip() == new.rstrip():
            self.unchanged(title)
            return True
        if existed and page.isRedirectPage():
            self.refuse(title, self.redirect_reason(page))  # neither content under it nor over it
            return True
        if existed:
            read = page.latest_revision_id
            self.reread(page)
            if not page.exists():
                self.deleted_during_run(title)
                return True
            if page.latest_revision_id != read:
                return False
        show_diff = not self.opt.always or pywikibot.config.simulate
        saved = self.save(title, new, show_diff, base=page.latest_revision.timestamp if existed else None)
        if saved:
            self.edits_since_check += 1
            if not pywikibot.config.simulate:  # a simulated save has no revision
                self.revisions[title] = page.latest_revision_id  # the save's new one (pywikibot keeps it)
        elif not pywikibot.config.simulate:
            self.refused.setdefault(title, "not saved (see the message above)")
        return True

    def save(self, title: str, new: str, show_diff: bool, base: pywikibot.Timestamp | None = None) -> bool:
        """Save the current page (after the question, unless -always); whether it was saved.

        ``base``: the time of the revision the new text was planned on, for a page that
        exists. The save then must not create the page (``nocreate``, and no ``recreate``),
        and starts at that time (``starttimestamp``): the wiki refuses it if the page was
        deleted since, and treat_page skips it. Without ``base`` the page is created.
        Save errors are raised for treat_page: after an edit conflict it reads the page again and plans again.
        """
        existing: dict[str, Any] = {}
        task_page = "" if self.shutoff is None else self.shutoff.task_page
        if base is not None:
            existing = {"nocreate": True, "recreate": False, "starttimestamp": base.isoformat()}
        return bool(
            self.put_current(
                new,
                summary=with_task_link(self.summary(title), task_page),
                asynchronous=False,
                show_diff=show_diff,
                ignore_save_related_errors=False,
                createonly=self.createonly,
                **existing,
            )
        )


class RegionBot(SaveIfChangedBot):
    """Writes a new body into the bot-owned region of each generated page.

    A body that would remove more than the configured share of the region's rows is
    refused (bots.core.pages.guard), unless ``force`` is set. The rows are those the bot itself
    last saved: a region someone edited by hand since is compared with the bot's own last
    save (read from the page's history), and the run output and the edit summary say so. A split page's subpages
    (``<hub>/<part>`` after their hub in ``bodies``) are counted on the hub: they are
    saved only if the hub was not refused.

    A page whose title is a redirect left by a move (the move log says so), or that is
    missing because it was moved, is followed to where it went, in the same namespace:
    the region is written there, with a warning to update pages.yaml. A missing page
    is created only if it never existed: one an admin deleted is refused, with the
    deletion's date (bots.core.pages.moves).
    """

    #: How many moves in a row are followed from a configured title.
    max_moves = 5

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        bodies: Mapping[str, tuple[str, str]],
        pages: PagesConfig,
        *,
        force: bool = False,
        words: Words = DEFAULT_WORDS,
        **kwargs: Any,
    ) -> None:
        #: The records' nouns, for the notes on hand edits.
        self.words = words
        # Keyed by the wiki's spelling of each title (a config may say by_lead for "By lead").
        self.config_titles = {pywikibot.Page(site, title).title(): title for title in bodies}
        self.bodies = {wiki_title: bodies[title] for wiki_title, title in self.config_titles.items()}
        self.pages = pages
        self.force = force
        #: Pages whose region someone edited since the bot's last save -> a note saying so (and by whom).
        self.hand_edits: dict[str, str] = {}
        # A subpage of a split page (bots.core.pages.subpages) -> its hub, which comes first in ``bodies``.
        wiki_titles = {config: wiki_title for wiki_title, config in self.config_titles.items()}
        self.hubs = {
            wiki_title: wiki_titles[config.rpartition("/")[0]]
            for wiki_title, config in self.config_titles.items()
            if config.rpartition("/")[0] in wiki_titles
        }
        #: A generated page followed through a move: its title now -> its title in ``bodies``.
        self.moved: dict[str, str] = {}
        self.logs: dict[str, list[dict[str, Any]]] = {}
        pages_now = self.followed(preloaded_with_templates(site, self.bodies))
        super().__init__(site, self.bodies, pages=pages_now, shutoff=pages, **kwargs)

    def key(self, title: str) -> str:
        """The page's title in ``bodies`` (not the same when the page was followed through a move)."""
        return self.moved.get(title, title)

    def summary(self, title: str) -> str:
        note = self.hand_edits.get(title)
        return self.bodies[self.key(title)][1] + (f"; {note}" if note else "")

    def log_of(self, title: str) -> list[dict[str, Any]]:
        if title not in self.logs:
            self.logs[title] = title_log(self.site, title)
        return self.logs[title]

    def followed(self, pages: Iterable[pywikibot.Page]) -> Iterator[pywikibot.Page]:
        """Each page, or the page it was moved to (see follow_moves); a page refused there is left out."""
        for page in pages:
            now = self.follow_moves(page)
            if now is not None:
                yield now

    def follow_moves(self, page: pywikibot.Page) -> pywikibot.Page | None:
        """Where a generated page is now: itself, or the page the move log says it went to; None if refused.

        A redirect is followed only if a move made it (the move log's target is where it
        leads); a missing page only if its last move is newer than any deletion.
        """
        start = page.title()
        moves: list[LogEntry] = []
        while len(moves) < self.max_moves and (not page.exists() or page.isRedirectPage()):
            title = page.title()
            move = last_move(self.log_of(title), title) if page.exists() else why_missing(self.log_of(title), title)
            if move is None or not move.moved:
                break
            target = pywikibot.Page(self.site, move.target)
            if page.exists() and redirect_target(page) != target.title():
                break  # a redirect someone typed: refused when its turn comes
            if target.namespace() != page.namespace():
                self.refuse(start, moved_elsewhere_message(start, target.title()))
                return None
            if target.title() == start or target.title() in self.bodies:
                break
            page = next(iter(preloaded_with_templates(self.site, [target.title()])))
            moves.append(move)
        if moves:
            message = moved_message(start, page.title(), moves[-1])
            pywikibot.warning(message)
            self.notes.append(message)
            self.moved[page.title()] = start
        return page

    def may_create(self, title: str) -> bool:
        """A missing generated page is created only if it never existed (the logs say no move or deletion)."""
        gone = why_missing(self.log_of(title), title)
        if gone is None:
            return True
        if gone.moved:
            message = f"[[{title}]] was moved to [[{gone.target}]] on {gone.when}, where the bot cannot follow it"
            message += ": update pages.yaml."
        else:
            message = deleted_message(title, gone)
        self.refused[title] = message
        self.notes.append(message)
        pywikibot.error(message)
        return False

    def redirect_reason(self, page: pywikibot.Page) -> str:
        return redirect_message(redirect_target(page), where="pages.yaml")

    def own_body(self, title: str, current: str) -> str | None:
        """The region as the bot last saved it: ``current`` when the bot made the page's latest revision
        (no request), else read from the page's history (None when the bot never saved the page)."""
        self.hand_edits.pop(title, None)
        page = self.current_page
        if page.exists() and page.latest_revision.user == self.site.user():
            return current
        own = own_last_save(self.site, title)
        if own is None:
            return None
        try:
            body = region_body(own.text, self.pages.region_start, self.pages.region_end)
        except RegionError:
            return None
        if edited_by_hand(current, body):
            self.hand_edits[title] = hand_edit_note(own.editors, instead=edit_records_instead(self.words))
        return body

    def left_as_rendered(self) -> dict[str, int] | None:
        """Each page's revision (by its title in ``bodies``) if every page now says what was rendered, else None."""
        if self.refused or self.switched_off is not None or self.counter["skip"] or self.moved:
            return None  # (a page followed through a move: rendered again each run, with its warning)
        if any(title not in self.revisions for title in self.bodies):
            return None
        return {self.config_titles[title]: revid for title, revid in self.revisions.items()}

    def plan(self, title: str, old: str) -> str | None:
        key = self.key(title)
        body = self.bodies[key][0]
        start, end = self.pages.region_start, self.pages.region_end
        try:
            current = region_body(old, start, end)
        except RegionError as exc:
            self.refuse(title, str(exc))
            return None
        if current is not None and same_apart_from_timestamp(current, body):
            self.unchanged(title)
            return None
        hub = self.hubs.get(key)
        if hub is not None and hub in {self.key(refused) for refused in self.refused} and not self.force:
            self.refuse(title, f"its hub [[{hub}]] was not saved (see above), so its subpages stay as they are")
            return None
        own = None if current is None else self.own_body(title, current)
        # A subpage's rows are counted on its hub, which the guard checked already.
        if current is not None and not self.force and hub is None:
            limit = self.pages.removal_limit(self.config_titles[key])
            reason = own_removal_reason(current, body, own, limit)
            if reason:
                self.refuse(title, reason)
                return None
        if title in self.hand_edits:
            pywikibot.warning(f"[[{title}]]: {self.hand_edits[title]}.")
        new = replace_region(old, body, start, end)
        assert find_region(new, start, end) is not None
        return new


#: A page's new text and the edit summary for it, or None when the page needs no change.
Change = tuple[str, str] | None


class TextChangeBot(SaveIfChangedBot):
    """Applies a pure function ``change(snapshot) -> (new text, summary) | None`` to each page.

    For bots and scripts that rewrite partnership pages (cross-linking, renames,
    normalisation): the function lives in the pure core, this class brings the
    diff, -simulate, -always, {{nobots}} and the counts. It edits existing pages only.
    """

    creates_pages = False

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        change: Callable[[PageSnapshot], Change],
        titles: Iterable[str] = (),
        *,
        pages: Iterable[pywikibot.Page] | None = None,
        shutoff: PagesConfig | None,
        **kwargs: Any,
    ) -> None:
        """Apply ``change`` to the pages of ``titles``, or of any page generator given as ``pages``."""
        self.change = change
        self.summaries: dict[str, str] = {}
        super().__init__(site, titles, pages=pages, shutoff=shutoff, **kwargs)

    def summary(self, title: str) -> str:
        return self.summaries[title]

    def plan(self, title: str, old: str) -> str | None:
        page = self.current_page
        result = self.change(
            PageSnapshot(
                title=title, text=old, revid=page.latest_revision_id if page.exists() else 0, pageid=page.pageid
            )
        )
        if result is None:
            self.unchanged(title)
            return None
        new, self.summaries[title] = result
        return new


class CreatePagesBot(SaveIfChangedBot):
    """Creates pages that do not exist yet; an existing page is never overwritten (counted as "exists").

    The save itself is create-only (the API's ``createonly``), so a page that
    someone creates between the check and the save is left as they wrote it: the
    wiki refuses with an edit conflict, treat_page reads the page again, and
    plan() then finds it existing.
    """

    createonly = True

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        texts: Mapping[str, tuple[str, str]],
        *,
        shutoff: PagesConfig | None,
        **kwargs: Any,
    ) -> None:
        """``texts``: title -> (text, edit summary)."""
        self.texts = {pywikibot.Page(site, title).title(): text for title, text in texts.items()}
        super().__init__(site, self.texts, shutoff=shutoff, **kwargs)
        self.counter["exists"] = 0

    def summary(self, title: str) -> str:
        return self.texts[title][1]

    def plan(self, title: str, old: str) -> str | None:
        if self.current_page.exists():
            self.counter["exists"] += 1
            pywikibot.info(f"[[{title}]] exists already; not overwritten.")
            return None
        return self.texts[title][0]
