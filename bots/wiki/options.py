"""pywikibot's page generator options (-page:, -cat:, -ns:, ...), turned into pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import pywikibot
from pywikibot import pagegenerators


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
