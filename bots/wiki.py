"""The one module that talks to the wiki, through pywikibot.

It reads pages as PageSnapshots (with preloading) and saves generated regions
with pywikibot's bot framework, which brings -simulate, -always, diffs,
{{bots}}/{{nobots}} and the edit throttle.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pywikibot
from pywikibot import pagegenerators
from pywikibot.bot import CurrentPageBot, SingleSiteBot

from bots.core.links.graph import Lookup, PageState, follow, move_destination
from bots.core.pages.guard import OwnSave, edited_by_hand, hand_edit_note, own_removal_reason
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
from bots.core.records.parse import holds_unread_infobox
from bots.core.runs import recent as changes
from bots.core.settings import PagesConfig
from bots.exit_codes import run_exit_code
from bots.state.cache import Listed, PageCache

PROGRESS_EVERY = 50
#: Titles per API request when looking up linked pages (the API's limit without apihighlimits).
TITLES_PER_REQUEST = 50


def snapshot(page: pywikibot.Page) -> PageSnapshot:
    return PageSnapshot(
        title=page.title(),
        text=page.text,
        revid=page.latest_revision_id,
        pageid=page.pageid,
    )


def template_page(site: pywikibot.site.BaseSite, name: str) -> pywikibot.Page:
    return pywikibot.Page(site, name, ns=10)


def template_names(site: pywikibot.site.BaseSite, name: str, aliases: Iterable[str]) -> list[str]:
    """The infobox's name, its configured aliases and every redirect to it on the wiki."""
    names = [name, *aliases]
    for redirect in template_page(site, name).redirects(namespaces=[10]):
        title = redirect.title(with_ns=False)
        if title not in names:
            names.append(title)
    return names


def infobox_pages(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int], content: bool = True
) -> Iterator[pywikibot.Page]:
    """Every page that transcludes the template (directly or through a redirect), text preloaded if ``content``."""
    pages: Iterator[pywikibot.Page] = template_page(site, template).getReferences(
        only_template_inclusion=True, namespaces=list(namespaces), content=content
    )
    return pages


@dataclass(frozen=True)
class SkippedPage:
    """A page read_snapshots did not read, and why: it does not exist, or it is a redirect."""

    title: str
    missing: bool
    #: Where a redirect leads ("" for a missing page, or a redirect whose target cannot be told).
    redirect_to: str = ""


def skipped_page(page: pywikibot.Page) -> SkippedPage | None:
    """Why a page cannot be read as a record (None: it can)."""
    if not page.exists():
        return SkippedPage(page.title(), missing=True)
    if not page.isRedirectPage():
        return None
    try:
        target = page.getRedirectTarget().title()
    except (pywikibot.exceptions.CircularRedirectError, pywikibot.exceptions.InterwikiRedirectPageError):
        target = ""
    return SkippedPage(page.title(), missing=False, redirect_to=target)


def read_snapshots(
    pages: Iterable[pywikibot.Page],
    skipped: list[SkippedPage] | None = None,
) -> list[PageSnapshot]:
    """Read pages once each, printing a line of progress now and then.

    Missing pages and redirects are not read; they go to ``skipped`` (with the reason) when it is given.
    """
    snapshots = []
    seen: set[str] = set()
    for page in pages:
        title = page.title()
        if title in seen:
            continue
        seen.add(title)
        skip = skipped_page(page)
        if skip is not None:
            if skipped is not None:
                skipped.append(skip)
            continue
        snapshots.append(snapshot(page))
        if len(snapshots) % PROGRESS_EVERY == 0:
            pywikibot.info(f"Read {len(snapshots)} pages...")
    pywikibot.info(
        f"Read {len(snapshots)} pages" + (f", skipped {len(skipped)} missing or redirects." if skipped else ".")
    )
    return snapshots


def resolved_titles(pages: Iterable[pywikibot.Page]) -> set[str]:
    """The titles of a generator's pages, a redirect standing for the page it leads to."""
    return {page.getRedirectTarget().title() if page.isRedirectPage() else page.title() for page in pages}


def pages_with_region(site: pywikibot.site.BaseSite, prefix: str, region_start: str) -> list[PageSnapshot]:
    """The pages whose title starts with ``prefix`` (redirects left out) that carry a bot-owned region.

    One allpages listing with the text, 50 pages per request (the cross-linking's
    recommendation pages, so that one no record names any more is still rewritten).
    """
    if not prefix:
        return []
    pages = pagegenerators.PrefixingPageGenerator(prefix, site=site, content=True, filterredir=False)
    return [snapshot(page) for page in pages if region_start in page.text]


def page_states(site: pywikibot.site.BaseSite, titles: Iterable[str]) -> dict[str, PageState]:
    """Whether each title exists, where it redirects, and its text (a redirect's target's too).

    One API request per 500 titles with apihighlimits, 50 without (the API resolves
    redirects and sends the content along), instead of one request per page.
    """
    wanted = list(dict.fromkeys(titles))
    states: dict[str, PageState] = {}
    batch = titles_batch(site)
    for i in range(0, len(wanted), batch):
        chunk = wanted[i : i + batch]
        params: dict[str, Any] = {
            "action": "query",
            "titles": chunk,
            "redirects": True,
            "prop": "revisions",
            "rvprop": "content",
            "rvslots": "main",
            "formatversion": 2,
        }
        pages: dict[str, PageState] = {}
        normalized: dict[str, str] = {}
        redirects: dict[str, str] = {}
        while True:
            data = site.simple_request(**params).submit()
            query = data.get("query", {})
            normalized.update({step["from"]: step["to"] for step in query.get("normalized", ())})
            redirects.update({step["from"]: step["to"] for step in query.get("redirects", ())})
            for page in query.get("pages", ()):
                revisions = page.get("revisions") or [{}]
                text = revisions[0].get("slots", {}).get("main", {}).get("content", "")
                exists = not page.get("missing") and not page.get("invalid")
                if text or page["title"] not in pages:
                    pages[page["title"]] = PageState(page["title"], exists, "", text)
            if "continue" not in data:
                break
            params.update(data["continue"])
        for title in chunk:
            name = normalized.get(title, title)
            if name in redirects:
                end = follow(name, redirects)
                if end is None:
                    states[title] = PageState(title, True, redirects[name], loop=True)
                    continue
                target, via = end
                states[title] = PageState(title, True, target, via=via)
                states[target] = pages.get(target, PageState(target, False))
            else:
                found = pages.get(name, PageState(name, False))
                states[title] = PageState(title, found.exists, "", found.text)
    moved = move_destinations(site, [title for title, state in states.items() if state.redirect_to and not state.loop])
    return {title: replace(state, moved_to=moved.get(title, "")) for title, state in states.items()}


def move_destinations(site: pywikibot.site.BaseSite, titles: Iterable[str]) -> dict[str, str]:
    """Where the move log says the page last moved from each title is now ("" if none was).

    See bots.core.links.graph.move_destination. The API's move log takes one title per
    query, so this asks once per title on the way (redirect titles only: a few per
    run); each title's log is asked once.
    """
    moves: dict[str, list[tuple[int, str]]] = {}

    def moves_from(title: str) -> list[tuple[int, str]]:
        if title not in moves:
            params = {
                "action": "query",
                "list": "logevents",
                "letype": "move",
                "letitle": title,
                "leprop": "ids|title|details",
                "ledir": "newer",
                "lelimit": "max",
                "formatversion": 2,
            }
            moves[title] = [
                (int(event["logid"]), str(event["params"]["target_title"]))
                for data in query_responses(site, params)
                for event in data.get("query", {}).get("logevents", ())
                if "target_title" in event.get("params", {})
            ]
        return moves[title]

    return {title: move_destination(title, moves_from) for title in titles}


def link_lookup(site: pywikibot.site.BaseSite) -> Lookup:
    """The lookup that bots.core.pipeline.check_pages uses to check page links on this wiki."""
    return lambda titles: page_states(site, titles)


def updated_now() -> str:
    """The "last updated" time shown on generated pages."""
    return str(pywikibot.Timestamp.now().strftime("%Y-%m-%d %H:%M UTC"))


class OptionFactory(pagegenerators.GeneratorFactory):  # type: ignore[misc]
    """pywikibot's page generator factory, naming the option whose value is missing.

    pywikibot asks on the terminal for a value left out (-cat: with no name); with
    nobody to answer, that ends in EOFError, which this turns into a ValueError that
    names the option.
    """

    def handle_arg(self, arg: str) -> bool:
        try:
            return bool(super().handle_arg(arg))
        except EOFError:
            name = arg.partition(":")[0]
            raise ValueError(f"{name} needs a value: {name}:VALUE") from None


def pages_from_args(
    site: pywikibot.site.BaseSite | None,
    args: Iterable[str],
    default: Callable[[], Iterable[pywikibot.Page]] | None = None,
) -> tuple[Iterator[pywikibot.Page] | None, list[str]]:
    """Pages from -page:, -cat:, ..., else ``default()`` (None without a default), and the args left over.

    Any arg left over (an option it does not know) leaves the pages None, unasked.

    Filter options (-titleregexnot:, -ns:, ...) apply to either; texts are preloaded.
    With ``site`` None, pywikibot's default site is created when an option needs it.
    Use it through bots.cli.page_generator, which says what was wrong with an option.
    """
    factory = OptionFactory(site=site)
    rest = factory.handle_args(list(args))
    if rest:  # before the combined generator, which resolves the namespaces on the wiki
        return None, rest
    for pattern in (
        *factory.titlefilter_list,
        *factory.titlenotfilter_list,
        *factory.articlefilter_list,
        *factory.articlenotfilter_list,
    ):
        re.compile(pattern)  # a bad regex raises re.error now, not once the pages are read
    start = None if factory.gens or default is None else iter(default())
    return factory.getCombinedGenerator(gen=start, preload=True), rest


def shutoff_reason(site: pywikibot.site.BaseSite, pages: PagesConfig) -> str | None:
    """Why the bot must not edit, per its on-wiki shutoff page (None: carry on)."""
    page = pywikibot.Page(site, pages.shutoff_page)
    if not page.exists():
        return None
    text = page.text.strip()
    if text == pages.shutoff_run_value:
        return None
    return (
        f"[[{pages.shutoff_page}]] says {text[:80]!r} instead of {pages.shutoff_run_value!r}: "
        "the bot is switched off there. Edit that page back to resume."
    )


def ready_to_edit(site: pywikibot.site.BaseSite, pages: PagesConfig) -> bool:
    """Log in and check the shutoff page; False (after saying why) if the bot must not edit."""
    site.login()
    reason = shutoff_reason(site, pages)
    if reason:
        pywikibot.error(reason)
        return False
    return True


def saved_word() -> str:
    """How the closing count names the pages saved: under -simulate, none was."""
    return "would be saved (simulation)" if pywikibot.config.simulate else "saved"


def save_error_reason(error: pywikibot.exceptions.PageSaveRelatedError) -> str:
    """What the wiki refused, and what a person can do about it."""
    if isinstance(error, pywikibot.exceptions.LockedPageError):
        return (
            "the page is protected and the bot's account may not edit it. Ask an administrator to lower the "
            "protection (or to make the bot an editor of protected pages), or remove the page from pages.yaml."
        )
    if isinstance(error, pywikibot.exceptions.SpamblacklistError):
        return (
            f"the wiki's spam blacklist refused a link in the new text ({error.url}). Remove that link from "
            "the partnership page it came from, or ask an administrator to allow it."
        )
    if isinstance(error, pywikibot.exceptions.AbuseFilterDisallowedError):
        info = " ".join(str(error.info).split())
        return f"an abuse filter refused the edit: {info[:300]}. Ask an administrator to look at the filter log."
    return " ".join(str(error).split())


def title_log(site: pywikibot.site.BaseSite, title: str) -> list[dict[str, Any]]:
    """The newest 50 log entries of one title (moves and deletions among them), newest first; one request."""
    params = {
        "action": "query",
        "list": "logevents",
        "letitle": title,
        "leprop": "title|type|user|timestamp|details",
        "lelimit": 50,
        "formatversion": 2,
    }
    events: list[dict[str, Any]] = site.simple_request(**params).submit().get("query", {}).get("logevents", [])
    return events


def redirect_target(page: pywikibot.Page) -> str:
    """Where a redirect page leads ("" when that cannot be told)."""
    try:
        return str(page.getRedirectTarget().title())
    except (pywikibot.exceptions.CircularRedirectError, pywikibot.exceptions.InterwikiRedirectPageError):
        return ""


def preloaded_with_templates(site: pywikibot.site.BaseSite, titles: Iterable[str]) -> Iterator[pywikibot.Page]:
    """The pages of ``titles``, 50 a request, with their text and templates (read when first asked for)."""
    pages = [pywikibot.Page(site, title) for title in titles]
    yield from site.preloadpages(pages, groupsize=50, templates=True)


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
        ones wiki.ready_to_edit checked before it); None only where nothing may stop it.
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
        if base is not None:
            existing = {"nocreate": True, "recreate": False, "starttimestamp": base.isoformat()}
        return bool(
            self.put_current(
                new,
                summary=self.summary(title),
                asynchronous=False,
                show_diff=show_diff,
                ignore_save_related_errors=False,
                createonly=self.createonly,
                **existing,
            )
        )


def own_last_save(site: pywikibot.site.BaseSite, title: str) -> OwnSave | None:
    """The page as the logged-in account last saved it, and who saved it after; None if it never did.

    Two requests: the account's latest revision of the page with its text, and the users of at
    most 50 revisions after it. Asked only when the account did not make the page's latest revision.
    """
    user = site.user()
    if not user:
        return None
    data = site.simple_request(
        action="query", titles=[title], prop="revisions", rvuser=user, rvlimit=1,
        rvprop="ids|content", rvslots="main", formatversion=2,
    ).submit()  # fmt: skip
    pages = data.get("query", {}).get("pages") or [{}]
    if not pages[0].get("revisions"):
        return None
    revid = int(pages[0]["revisions"][0]["revid"])
    data = site.simple_request(
        action="query", titles=[title], prop="revisions", rvendid=revid, rvlimit=50, rvprop="ids|user", formatversion=2
    ).submit()
    later = (data.get("query", {}).get("pages") or [{}])[0].get("revisions", ())
    editors = dict.fromkeys(str(r.get("user", "")) for r in later if int(r.get("revid", 0)) != revid)
    return OwnSave(page_text(pages[0]), revid, tuple(name for name in editors if name and name != user))


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
        **kwargs: Any,
    ) -> None:
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
            self.hand_edits[title] = hand_edit_note(own.editors)
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


# --- reading with the revision cache ---------------------------------------------------


def query_responses(site: pywikibot.site.BaseSite, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every answer of one API query, following its continuation."""
    request = dict(params)
    while True:
        data: dict[str, Any] = site.simple_request(**request).submit()
        yield data
        if "continue" not in data:
            return
        request.update(data["continue"])


def merged_pages(responses: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    """The pages of a continued query, one dict per page (``key``: "pageid" or "title").

    A continued query may give a page in several answers, each with part of its
    revisions or templates: those lists are joined, the other fields taken as given.
    """
    pages: dict[Any, dict[str, Any]] = {}
    for data in responses:
        for page in data.get("query", {}).get("pages", ()):
            merged = pages.setdefault(page.get(key), {})
            for name, value in page.items():
                if isinstance(value, list):
                    merged.setdefault(name, []).extend(value)
                else:
                    merged[name] = value
    return pages


def titles_batch(site: pywikibot.site.BaseSite) -> int:
    """Titles or page ids per request, their text included: 500 with apihighlimits, 50 without."""
    return 500 if site.has_right("apihighlimits") else TITLES_PER_REQUEST


def page_text(page: Mapping[str, Any]) -> str:
    revisions = page.get("revisions") or [{}]
    return str(revisions[0].get("slots", {}).get("main", {}).get("content", ""))


def api_snapshot(pageid: int, page: Mapping[str, Any]) -> PageSnapshot:
    """A page of a prop=revisions (ids|content) answer, with at least one revision, as a snapshot."""
    return PageSnapshot(
        title=page["title"], text=page_text(page), revid=int(page["revisions"][0]["revid"]), pageid=pageid
    )


def embeddedin_query(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int], limit: int | str, **props: str
) -> dict[str, Any]:
    """The query for the pages that transclude the template (no redirects), with ``props`` and the wiki's time."""
    return {
        "action": "query",
        "generator": "embeddedin",
        "geititle": template_page(site, template).title(),
        "geinamespace": list(namespaces),
        "geifilterredir": "nonredirects",
        "geilimit": limit,
        "curtimestamp": 1,
        "formatversion": 2,
        **props,
    }


def list_infobox_revisions(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int]
) -> tuple[list[Listed], str]:
    """Every page that transcludes the template, with its id and latest revision id, no text; and the wiki's time.

    One generator=embeddedin&prop=info query: 5,000 pages a request for an account with
    apihighlimits (a bot, or a BotPassword with the high-volume grant), 500 otherwise.
    Redirects are left out. The time is the wiki's when the listing began.
    """
    params = embeddedin_query(site, template, namespaces, "max", prop="info")
    now = ""
    listed: list[Listed] = []
    for data in query_responses(site, params):
        now = now or str(data.get("curtimestamp", ""))
        listed.extend(
            Listed(pageid=int(page["pageid"]), title=str(page["title"]), revid=int(page["lastrevid"]))
            for page in data.get("query", {}).get("pages", ())
        )
    return sorted(listed, key=lambda entry: entry.pageid), now


def fetch_texts(site: pywikibot.site.BaseSite, pageids: Iterable[int]) -> list[PageSnapshot]:
    """The latest text of each page (by id), 500 pages a request with apihighlimits (50 without)."""
    wanted = list(dict.fromkeys(pageids))
    batch = titles_batch(site)
    snapshots: list[PageSnapshot] = []
    for i in range(0, len(wanted), batch):
        params = {
            "action": "query",
            "pageids": wanted[i : i + batch],
            "prop": "revisions",
            "rvprop": "ids|content",
            "rvslots": "main",
            "formatversion": 2,
        }
        pages = sorted(merged_pages(query_responses(site, params), "pageid").items())
        snapshots.extend(api_snapshot(pageid, page) for pageid, page in pages if page.get("revisions"))  # else deleted
        pywikibot.info(f"Fetched {len(snapshots)} of {len(wanted)} pages...")
    return snapshots


def read_all_infobox_pages(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int]
) -> tuple[list[PageSnapshot], str]:
    """Every infobox page with its text in one pass (no listing first), and the wiki's time when it began.

    generator=embeddedin with prop=revisions: 500 pages a request with apihighlimits
    (50 without), so a cold read costs ceil(N/500) requests. Redirects are left out.
    """
    params = embeddedin_query(
        site, template, namespaces, titles_batch(site), prop="revisions", rvprop="ids|content", rvslots="main"
    )
    now = ""
    read = 0

    def responses() -> Iterator[dict[str, Any]]:
        nonlocal now, read
        for data in query_responses(site, params):
            now = now or str(data.get("curtimestamp", ""))
            read += len(data.get("query", {}).get("pages", ()))
            pywikibot.info(f"Read {read} pages...")
            yield data

    pages = sorted(merged_pages(responses(), "pageid").items())
    snapshots = [api_snapshot(pageid, page) for pageid, page in pages if page.get("revisions")]
    return snapshots, now


def unread_infobox_pages(
    site: pywikibot.site.BaseSite, pageids: Iterable[int], names: Sequence[str]
) -> list[PageSnapshot]:
    """Of the pages read last run that the wiki no longer counts as using the infobox, those that
    still hold it in a form neither the wiki nor the bot reads (bots.core.records.parse.holds_unread_infobox).

    Read again, they are reported (ignored-infobox, no-infobox) instead of silently leaving the records.
    """
    unread = [snap for snap in fetch_texts(site, sorted(pageids)) if holds_unread_infobox(snap, names)]
    for snap in unread:
        pywikibot.warning(f"[[{snap.title}]] holds the infobox where the wiki does not read it: read, to be reported.")
    return unread


def read_infobox_snapshots(
    site: pywikibot.site.BaseSite,
    template: str,
    namespaces: Iterable[int],
    cache: PageCache,
    names: Sequence[str] = (),
) -> list[PageSnapshot]:
    """Every infobox page's snapshot, fetching the text only of pages the cache does not have.

    With an empty cache (the first run, or -full) every page is read with its text in one
    pass; otherwise the pages are listed (5,000 a request) and the texts of changed
    pages fetched (500 a request). The cache is left holding exactly the pages read,
    with the time the next -recent run starts from; it is the caller's to save.
    A page of the cache no longer listed that still holds the infobox where the wiki does
    not read it (``names``: the template's names) is read too, so that it is reported.
    """
    namespaces = list(namespaces)
    if cache.is_empty():
        snapshots, now = read_all_infobox_pages(site, template, namespaces)
        pywikibot.info(f"0 pages unchanged since the last run, {len(snapshots)} fetched (one pass, no cache).")
        fetched = snapshots
    else:
        listed, now = list_infobox_revisions(site, template, namespaces)
        pywikibot.info(f"Listed {len(listed)} pages that use the infobox.")
        known, to_fetch = cache.plan(listed)
        fetched = fetch_texts(site, [entry.pageid for entry in to_fetch])
        pywikibot.info(f"{len(known)} pages unchanged since the last run, {len(fetched)} fetched.")
        snapshots = known + fetched
        unread = unread_infobox_pages(site, set(cache.pageids()) - {e.pageid for e in listed}, names or [template])
        fetched += unread
        snapshots += unread
    cache.keep_only(snapshots)
    cache.fetched = len(fetched)
    if now:
        cache.start_next_run_at(changes.next_start(now), [])
    return snapshots


def recent_fallback_reason(site: pywikibot.site.BaseSite, cache: PageCache) -> str:
    """Why recent changes will not do for this run ("" when they will); no request."""
    if cache.note:
        return f"the revision cache cannot be used whole ({cache.note})"
    if cache.is_empty():
        return "the revision cache is empty"
    # $wgRCMaxAge: MediaWiki 1.39 does not expose it in siteinfo; the default is assumed then.
    max_age = site.siteinfo.get("general").get("rcmaxage")
    age = timedelta(seconds=int(max_age)) if isinstance(max_age, int) and max_age > 0 else None
    return changes.fallback_reason(cache.since, datetime.now(timezone.utc), age)


@dataclass(frozen=True)
class RecentRows:
    """What the wiki's recent changes say since a time: its rows, the move log's, the wiki's time then."""

    rows: list[dict[str, Any]]
    moves: list[dict[str, Any]]
    now: str
    #: More than MAX_RC_REQUESTS requests would be needed: the rows are incomplete.
    truncated: bool = False


def recent_changes(site: pywikibot.site.BaseSite, since: str, namespaces: Iterable[int]) -> RecentRows:
    """Recent changes since ``since`` (inclusive) in the namespaces, and every move since, in one query.

    Edits, page creations and log entries (5,000 rows a request with apihighlimits), and
    the move log of every namespace (a move into the namespaces is logged where the page
    came from). Stops after MAX_RC_REQUESTS requests (the caller then lists every page).
    """
    params = {
        "action": "query",
        "list": "recentchanges|logevents",
        "rcstart": since,
        "rcdir": "newer",
        "rcnamespace": list(namespaces),
        "rctype": "edit|new|log",
        "rcprop": "title|ids|timestamp|loginfo",
        "rclimit": "max",
        "lestart": since,
        "ledir": "newer",
        "letype": "move",
        "leprop": "title|ids|type|timestamp|details",
        "lelimit": "max",
        "curtimestamp": 1,
        "formatversion": 2,
    }
    rows: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    now = ""
    for requests, data in enumerate(query_responses(site, params), start=1):
        now = now or str(data.get("curtimestamp", ""))
        rows.extend(data.get("query", {}).get("recentchanges", ()))
        moves.extend(data.get("query", {}).get("logevents", ()))
        if requests == changes.MAX_RC_REQUESTS and "continue" in data:
            return RecentRows(rows=rows, moves=moves, now=now, truncated=True)
    return RecentRows(rows=rows, moves=moves, now=now)


def look_up_pages(site: pywikibot.site.BaseSite, titles: Iterable[str], template: str) -> list[changes.Found]:
    """Each title as the wiki has it now: id, namespace, redirect or not, latest revision,
    whether it transcludes the template, and its text; 500 titles a request with apihighlimits (50 without).

    prop=templates is asked about the template alone: a page that uses it through a
    redirect lists both, as list=embeddedin does.
    """
    wanted = list(dict.fromkeys(titles))
    name = template_page(site, template).title()
    batch = titles_batch(site)
    found: list[changes.Found] = []
    for i in range(0, len(wanted), batch):
        params = {
            "action": "query",
            "titles": wanted[i : i + batch],
            "prop": "info|templates|revisions",
            "tltemplates": name,
            "tllimit": "max",
            "rvprop": "ids|content",
            "rvslots": "main",
            "formatversion": 2,
        }
        for title, page in merged_pages(query_responses(site, params), "title").items():
            exists = not page.get("missing") and not page.get("invalid") and "pageid" in page
            found.append(
                changes.Found(
                    title=str(title),
                    pageid=int(page["pageid"]) if exists else 0,
                    revid=int(page.get("lastrevid", 0)),
                    ns=int(page.get("ns", 0)),
                    redirect=bool(page.get("redirect")),
                    uses_infobox=any(t.get("title") == name for t in page.get("templates", ())),
                    text=page_text(page) if exists else None,
                )
            )
    return found


def read_recent_update(
    site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int], cache: PageCache
) -> changes.Update | None:
    """-recent: look at the pages recent changes name, and store what changed in the cache.

    None (after saying why) when recent changes will not do: the caller then lists
    every page (read_infobox_snapshots). Reads no cached page that recent changes do not name.
    """
    namespaces = list(namespaces)
    reason = recent_fallback_reason(site, cache)
    update = None if reason else _recent_update(site, template, namespaces, cache)
    if update is None:
        pywikibot.info(f"-recent: listing every page instead, because {reason or cache.note}.")
    return update


def _recent_update(
    site: pywikibot.site.BaseSite, template: str, namespaces: list[int], cache: PageCache
) -> changes.Update | None:
    recent = recent_changes(site, cache.since, namespaces)
    if recent.truncated:
        cache.note = f"more than {changes.MAX_RC_REQUESTS} requests of recent changes since {cache.since}"
        return None
    known = cache.known()
    plan = changes.plan_recent(recent.rows, recent.moves, namespaces, known, cache.seen)
    if plan.incomplete or not recent.now:
        cache.note = plan.incomplete or "the wiki did not give its time"
        return None
    pywikibot.info(
        f"Recent changes since {cache.since}: {plan.rows} rows ({plan.skipped} seen already), "
        f"{len(plan.titles)} pages to look at."
    )
    found = look_up_pages(site, plan.titles, template) if plan.titles else []
    update = changes.apply_lookup(known, found, namespaces, known.holder)
    for old, new in update.renamed:
        pywikibot.info(f"Moved: [[{old}]] -> [[{new}]]")
    for pageid in sorted(update.drop):
        pywikibot.info(f"No longer an infobox page (deleted, moved away or infobox removed): [[{known[pageid].title}]]")
    cache.apply(update)
    cache.start_next_run_at(
        changes.next_start(recent.now),
        changes.seen_since([*recent.rows, *recent.moves], changes.next_start(recent.now)),
    )
    return update


def list_page_revisions(site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int]) -> dict[str, int]:
    """The pages that transclude ``template`` (the volunteers' list template), with their latest revision ids."""
    listed, _ = list_infobox_revisions(site, template, namespaces)
    return {page.title: page.revid for page in listed}


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


def latest_revisions(site: pywikibot.site.BaseSite, titles: Iterable[str]) -> dict[str, int]:
    """Each title's latest revision id (0 for a missing page), as given; one request per titles_batch titles."""
    wanted = list(dict.fromkeys(titles))
    revisions: dict[str, int] = {}
    batch = titles_batch(site)
    for i in range(0, len(wanted), batch):
        chunk = wanted[i : i + batch]
        data = site.simple_request(action="query", titles=chunk, prop="info", formatversion=2).submit()
        query = data.get("query", {})
        spelled = {step["from"]: step["to"] for step in query.get("normalized", ())}
        found = {page["title"]: int(page.get("lastrevid", 0)) for page in query.get("pages", ())}
        revisions.update({title: found.get(spelled.get(title, title), 0) for title in chunk})
    return revisions
