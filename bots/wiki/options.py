"""pywikibot's page generator options (-page:, -cat:, -ns:, ...), turned into pages."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pywikibot
from pywikibot import pagegenerators


def asks_for_value(function: Callable[..., object], seen: frozenset[str] = frozenset()) -> bool:
    """Whether a page generator option's handler asks on the terminal for a value left out.

    Read from the handler's code: it calls pywikibot's input(), itself or through another
    method of the factory (-cat: through getCategoryGen and getCategory).
    """
    code = getattr(inspect.unwrap(function), "__code__", None)
    if code is None:
        return False
    if "input" in code.co_names:
        return True
    methods = {name: getattr(pagegenerators.GeneratorFactory, name, None) for name in code.co_names}
    return any(
        asks_for_value(method, seen | {name})
        for name, method in methods.items()
        if name not in seen and inspect.isfunction(method)
    )


class OptionFactory(pagegenerators.GeneratorFactory):  # type: ignore[misc]
    """pywikibot's page generator factory, naming the option whose value is missing.

    pywikibot asks on the terminal for a value left out (-cat: with no name). Made
    with ``ask`` False (nobody at a terminal to answer), such an option is refused at
    once with a ValueError that names it, and nothing is asked. With a terminal, an
    answer ended by end of input (EOFError) is refused the same way.
    """

    def __init__(self, *args: Any, ask: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ask = ask

    def handle_arg(self, arg: str) -> bool:
        name, _, value = arg.partition(":")
        handler = getattr(self, f"_handle_{name[1:]}", None)
        if not self.ask and not value and handler is not None and asks_for_value(handler):
            raise ValueError(f"{name} needs a value: {name}:VALUE")
        try:
            return bool(super().handle_arg(arg))
        except EOFError:
            raise ValueError(f"{name} needs a value: {name}:VALUE") from None


def pages_from_args(
    site: pywikibot.site.BaseSite | None,
    args: Iterable[str],
    default: Callable[[], Iterable[pywikibot.Page]] | None = None,
    *,
    ask: bool = True,
) -> tuple[Iterator[pywikibot.Page] | None, list[str]]:
    """Pages from -page:, -cat:, ..., else ``default()`` (None without a default), and the args left over.

    Any arg left over (an option it does not know) leaves the pages None, unasked.

    Filter options (-titleregexnot:, -ns:, ...) apply to either; texts are preloaded.
    With ``site`` None, pywikibot's default site is created when an option needs it.
    Without ``ask``, an option whose value is left out is refused, not asked for (see OptionFactory).
    Use it through bots.cli.page_generator, which says what was wrong with an option.
    """
    factory = OptionFactory(site=site, ask=ask)
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
