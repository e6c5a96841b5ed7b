"""Command-line options shared by the bots, on top of pywikibot's global options."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pywikibot

from bots.core.pipeline import DEFAULT_CONFIG_DIR, Config, load_config
from bots.core.settings import ConfigError


@dataclass(frozen=True)
class BotOptions:
    config: Config
    always: bool = False
    rest: tuple[str, ...] = ()


#: Said (and exit code 2) when a run would ask before each save but nobody can answer.
NO_TERMINAL = "no terminal to confirm edits: add -always (or -simulate)"


def has_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def can_confirm(always: bool) -> bool:
    """Whether a run that edits may start: -always, -simulate, or a terminal to answer the questions on.

    Says why not (one line) when it may not. Without a terminal, pywikibot's
    question before each save would end the run at the first page.
    """
    if always or pywikibot.config.simulate or has_terminal():
        return True
    pywikibot.error(NO_TERMINAL)
    return False


def parse_options(args: Sequence[str], doc: str, accept_rest: bool = False, edits: bool = True) -> BotOptions | int:
    """Handle pywikibot's global options, then ours; an int is the exit code to stop with.

    Our folder option is -settings:, since pywikibot itself reads -config: (its user-config file).

    A run that ``edits`` needs someone to confirm each save (see can_confirm);
    under -simulate with no terminal, nothing is asked (nothing is saved). A
    bot that edits only with some option, or that checks more options of its
    own first, passes edits=False and calls can_confirm itself.

    Configuration is loaded here, before any request to the wiki, so that a
    broken config file stops the run at once with its file and line.
    """
    if any(a in ("-h", "--help", "-help") for a in args):
        print(doc.strip())
        return 0
    local = pywikibot.handle_args(list(args))
    config_dir = DEFAULT_CONFIG_DIR
    always = False
    rest = []
    for arg in local:
        if arg == "-always":
            always = True
        elif arg.startswith("-settings:"):
            config_dir = Path(arg.split(":", 1)[1])
        elif accept_rest:
            rest.append(arg)
        else:
            pywikibot.error(f"Unknown option {arg!r}. Run with -help to see the options.")
            return 2
    if edits and not can_confirm(always):
        return 2
    if pywikibot.config.simulate and not has_terminal():
        always = True  # nobody to ask, and nothing is saved: show every diff without a question
    try:
        config = load_config(config_dir)
    except ConfigError as exc:
        pywikibot.error(f"Configuration error: {exc}")
        return 2
    return BotOptions(config=config, always=always, rest=tuple(rest))
