"""Command-line options shared by the bots, on top of pywikibot's global options."""

from __future__ import annotations

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
    #: -force: save even what a guard refused (e.g. a mass removal of rows)
    force: bool = False
    rest: tuple[str, ...] = ()


def parse_options(args: Sequence[str], doc: str, accept_rest: bool = False) -> BotOptions | int:
    """Handle pywikibot's global options, then ours; an int is the exit code to stop with.

    Our folder option is -settings:, since pywikibot itself reads -config: (its user-config file).

    Configuration is loaded here, before any request to the wiki, so that a
    broken config file stops the run at once with its file and line.
    """
    if any(a in ("-h", "--help", "-help") for a in args):
        print(doc.strip())
        return 0
    local = pywikibot.handle_args(list(args))
    config_dir = DEFAULT_CONFIG_DIR
    always = False
    force = False
    rest = []
    for arg in local:
        if arg == "-always":
            always = True
        elif arg == "-force":
            force = True
        elif arg.startswith("-settings:"):
            config_dir = Path(arg.split(":", 1)[1])
        elif accept_rest:
            rest.append(arg)
        else:
            pywikibot.error(f"Unknown option {arg!r}. Run with -help to see the options.")
            return 2
    try:
        config = load_config(config_dir)
    except ConfigError as exc:
        pywikibot.error(f"Configuration error: {exc}")
        return 2
    return BotOptions(config=config, always=always, force=force, rest=tuple(rest))
