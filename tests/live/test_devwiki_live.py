"""The local wiki manager itself."""

from __future__ import annotations

import stat

from tests.live.conftest import LiveWiki


def test_start_reuses_a_running_wiki(wiki: LiveWiki) -> None:
    pid = wiki.dev.server_pid()
    wiki.dev.start()
    assert wiki.dev.server_pid() == pid
    assert wiki.dev.status() == 0


def test_pywikibot_config_folder_is_ready_and_the_password_private(wiki: LiveWiki) -> None:
    folder = wiki.dev.pywikibot_dir
    assert (folder / "user-config.py").exists()
    assert (folder / "families" / "devwiki_family.py").exists()
    mode = (folder / "user-password.py").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_the_bot_logs_in_through_its_bot_password(wiki: LiveWiki) -> None:
    result = wiki.run("pywikibot.scripts.login")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Logged in" in result.stdout + result.stderr or "Already logged in" in result.stdout + result.stderr
