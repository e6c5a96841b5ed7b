"""Lose a race on purpose: a volunteer creates the page after CreatePagesBot checked it and before it saves.

Usage: PYWIKIBOT_DIR=... python -m tests.live.create_race API_URL TITLE

The bot must leave the volunteer's page as it is and count it as existing;
it prints its counts and exits 1 if it refused or failed to save a page.
"""

from __future__ import annotations

import sys
from typing import Any

import pywikibot

from bots.wiki.save import CreatePagesBot
from tests.live.wikiapi import WikiApi

VOLUNTEER_TEXT = "A volunteer created this page first."
BOT_TEXT = "{{Partnership\n| name = Created by the bot\n}}"


class LosingCreatePagesBot(CreatePagesBot):
    def __init__(self, api: WikiApi, *args: Any, **kwargs: Any) -> None:
        self.api = api
        super().__init__(*args, **kwargs)

    def plan(self, title: str, old: str) -> str | None:
        text = super().plan(title, old)
        if text is not None:  # checked: missing. Now someone else is quicker.
            self.api.edit(title, VOLUNTEER_TEXT, "a volunteer was quicker")
        return text


def main(api_url: str, title: str) -> int:
    site = pywikibot.Site()
    site.login()
    bot = LosingCreatePagesBot(WikiApi(api_url), site, {title: (BOT_TEXT, "Bot: create")}, shutoff=None, always=True)
    bot.run()
    print(f"write={bot.counter['write']} exists={bot.counter['exists']} refused={len(bot.refused)}")
    return 1 if bot.refused else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
