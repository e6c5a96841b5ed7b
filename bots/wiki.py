"""The one module that talks to the wiki, through pywikibot.

It reads pages as PageSnapshots (with preloading) and saves generated regions
with pywikibot's bot framework, which brings -simulate, -always, diffs,
{{bots}}/{{nobots}} and the edit throttle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pywikibot
from pywikibot import pagegenerators
from pywikibot.bot import CurrentPageBot, SingleSiteBot

from bots.core.crosslink import Lookup, PageState
from bots.core.edit import RegionError, find_region, region_body, replace_region, same_apart_from_timestamp
from bots.core.model import PageSnapshot
from bots.core.settings import PagesConfig

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


def infobox_pages(site: pywikibot.site.BaseSite, template: str, namespaces: Iterable[int]) -> Iterator[pywikibot.Page]:
    """Every page that transcludes the template (directly or through a redirect), text preloaded."""
    pages: Iterator[pywikibot.Page] = template_page(site, template).getReferences(
        only_template_inclusion=True, namespaces=list(namespaces), content=True
    )
    return pages


def read_snapshots(
    pages: Iterable[pywikibot.Page],
    skipped: list[pywikibot.Page] | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> list[PageSnapshot]:
    """Read pages once each, printing a line of progress now and then.

    Missing pages and redirects are not read; they go to ``skipped`` when it is given.
    """
    snapshots = []
    seen: set[str] = set()
    for page in pages:
        title = page.title()
        if title in seen:
            continue
        seen.add(title)
        if not page.exists() or page.isRedirectPage():
            if skipped is not None:
                skipped.append(page)
            continue
        snapshots.append(snapshot(page))
        if len(snapshots) % progress_every == 0:
            pywikibot.info(f"Read {len(snapshots)} pages...")
    pywikibot.info(
        f"Read {len(snapshots)} pages" + (f", skipped {len(skipped)} missing or redirects." if skipped else ".")
    )
    return snapshots


def page_states(site: pywikibot.site.BaseSite, titles: Iterable[str]) -> dict[str, PageState]:
    """Whether each title exists, where it redirects, and its text (a redirect's target's too).

    One API request per 50 titles (the API resolves redirects and sends the
    content along), instead of one request per page.
    """
    wanted = list(dict.fromkeys(titles))
    states: dict[str, PageState] = {}
    for i in range(0, len(wanted), TITLES_PER_REQUEST):
        chunk = wanted[i : i + TITLES_PER_REQUEST]
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
                target = redirects[name]
                while target in redirects and target != name:
                    target = redirects[target]
                states[title] = PageState(title, True, target)
                states[target] = pages.get(target, PageState(target, False))
            else:
                found = pages.get(name, PageState(name, False))
                states[title] = PageState(title, found.exists, "", found.text)
    return states


def link_lookup(site: pywikibot.site.BaseSite) -> Lookup:
    """The lookup that bots.core.pipeline.check_pages uses to check page links on this wiki."""
    return lambda titles: page_states(site, titles)


def updated_now() -> str:
    """The "last updated" time shown on generated pages."""
    return str(pywikibot.Timestamp.now().strftime("%Y-%m-%d %H:%M UTC"))


def generator_from_args(
    site: pywikibot.site.BaseSite, args: Iterable[str]
) -> tuple[Iterator[pywikibot.Page] | None, list[str]]:
    """A pywikibot page generator from -page:, -cat:, ... (None if none was given), and the other args."""
    factory = pagegenerators.GeneratorFactory(site=site)
    rest = factory.handle_args(list(args))
    gen = factory.getCombinedGenerator(preload=True)
    return gen, rest


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


class SaveIfChangedBot(SingleSiteBot, CurrentPageBot):  # type: ignore[misc]
    """Saves a planned text on each of a fixed set of pages, only where it changed.

    Honours {{bots}}/{{nobots}}, counts unchanged pages, and keeps in ``refused``
    every page it would not or could not save, with the reason.
    """

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        titles: Iterable[str] = (),
        *,
        pages: Iterable[pywikibot.Page] | None = None,
        **kwargs: Any,
    ) -> None:
        """Work on the pages of ``titles``, or of any page generator given as ``pages``."""
        self.refused: dict[str, str] = {}
        if pages is None:
            pages = pagegenerators.PreloadingGenerator(pywikibot.Page(site, title) for title in titles)
        super().__init__(site=site, generator=pages, **kwargs)
        self.counter["unchanged"] = 0

    def plan(self, title: str, old: str) -> str | None:
        """The page's new text; None when it must not change (after saying why)."""
        raise NotImplementedError

    def summary(self, title: str) -> str:
        raise NotImplementedError

    def refuse(self, title: str, reason: str) -> None:
        self.refused[title] = reason
        pywikibot.error(f"Not editing [[{title}]]: {reason}")

    def unchanged(self, title: str) -> None:
        self.counter["unchanged"] += 1
        pywikibot.info(f"No change on [[{title}]]")

    def treat_page(self) -> None:
        page = self.current_page
        title = page.title()
        old = page.text if page.exists() else ""
        if not page.botMayEdit():
            self.counter["skip"] += 1
            pywikibot.warning(
                f"Not editing [[{title}]]: the page asks bots not to edit it ({{{{bots}}}}/{{{{nobots}}}})."
            )
            return
        new = self.plan(title, old)
        if new is None:
            return
        if old.rstrip() == new.rstrip():
            self.unchanged(title)
            return
        show_diff = not self.opt.always or pywikibot.config.simulate
        saved = self.put_current(new, summary=self.summary(title), asynchronous=False, show_diff=show_diff)
        if not saved and not pywikibot.config.simulate:
            self.refused.setdefault(title, "not saved (see the message above)")


class RegionBot(SaveIfChangedBot):
    """Writes a new body into the bot-owned region of each generated page."""

    def __init__(
        self, site: pywikibot.site.BaseSite, bodies: Mapping[str, tuple[str, str]], pages: PagesConfig, **kwargs: Any
    ) -> None:
        self.bodies = dict(bodies)
        self.pages = pages
        super().__init__(site, self.bodies, **kwargs)

    def summary(self, title: str) -> str:
        return self.bodies[title][1]

    def plan(self, title: str, old: str) -> str | None:
        body = self.bodies[title][0]
        start, end = self.pages.region_start, self.pages.region_end
        try:
            current = region_body(old, start, end)
        except RegionError as exc:
            self.refuse(title, str(exc))
            return None
        if current is not None and same_apart_from_timestamp(current, body):
            self.unchanged(title)
            return None
        new = replace_region(old, body, start, end)
        assert find_region(new, start, end) is not None
        return new


#: A page's new text and the edit summary for it, or None when the page needs no change.
Change = tuple[str, str] | None


class TextChangeBot(SaveIfChangedBot):
    """Applies a pure function ``change(snapshot) -> (new text, summary) | None`` to each page.

    For bots and scripts that rewrite partnership pages (cross-linking, renames,
    normalisation): the function lives in the pure core, this class brings the
    diff, -simulate, -always, {{nobots}} and the counts.
    """

    def __init__(
        self,
        site: pywikibot.site.BaseSite,
        pages: Iterable[pywikibot.Page],
        change: Callable[[PageSnapshot], Change],
        **kwargs: Any,
    ) -> None:
        self.change = change
        self.summaries: dict[str, str] = {}
        super().__init__(site, pages=pages, **kwargs)

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
