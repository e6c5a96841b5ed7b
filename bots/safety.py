"""Keeping credentials safe and failure messages short, for every bot (used by bots.cli).

- The bots refuse to start when pywikibot's password file can be read by other users.
- Every pywikibot message goes through :class:`SafeLogFilter`, which hides a login
  password wherever it would appear (pywikibot's debug log prints request bodies,
  its API error log the request parameters) and shortens the traceback pywikibot
  prints on each retry to its last line.
"""

from __future__ import annotations

import logging
import re
import stat
from pathlib import Path

import pywikibot

HIDDEN = "<hidden>"

#: lgpassword=... in a request body, 'lgpassword': ['...'] in printed parameters,
#: BotPassword('app', '...') or ("user", "password") as written in user-password.py.
_SECRET_PATTERNS = [
    re.compile(r"""(lgpassword['"]?\s*[:=]\s*\[?\s*['"]?)[^'"&\s\]]+""", re.I),
    re.compile(r"""(BotPassword\(\s*['"][^'"]*['"]\s*,\s*['"])[^'"]+""", re.I),
    re.compile(r"""(\bpassword['"]?\s*[:=]\s*['"]?)[^'"&\s,]+""", re.I),
]


def redact(text: str) -> str:
    """``text`` with every password-looking value replaced by <hidden>."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + HIDDEN, text)
    return text


def password_path() -> Path | None:
    """pywikibot's password file, found the way pywikibot finds it (None if none is set)."""
    name = pywikibot.config.password_file
    if not name:
        return None
    path = Path(pywikibot.config.base_dir, name)
    return path if path.is_file() else Path(name)


def password_file_problem(path: Path | None = None) -> str | None:
    """Why the bot must not start with this password file (None: it may)."""
    path = path if path is not None else password_path()
    if path is None or not path.exists():
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return (
            f"the password file {path} can be read or changed by other users (mode {mode:o}). "
            f"Make it private first: chmod 600 {path}"
        )
    return None


class SafeLogFilter(logging.Filter):
    """Hides passwords in every message; shortens retry tracebacks to their last line."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        shown = redact(message)
        if shown.lstrip().startswith("Traceback (most recent call last)"):
            lines = [line for line in shown.strip().splitlines() if line.strip()]
            shown = lines[-1] if lines else shown
        if shown != message:
            record.msg, record.args = shown, ()
        return True


_FILTER = SafeLogFilter()


def install_log_filter() -> None:
    """Filter every message of pywikibot's loggers and handlers (call again after handle_args)."""
    for name in ("pywiki", "pywiki.wiki", "pywiki.wiki.family"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    for handler in logging.getLogger("pywiki").handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
