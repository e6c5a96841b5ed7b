"""Command-line options shared by the bots, on top of pywikibot's global options."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pywikibot
import requests

from bots import safety
from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.pipeline import Config
from bots.core.settings.yaml_doc import ConfigError
from bots.exit_codes import BAD_OPTIONS as BAD_OPTIONS
from bots.exit_codes import DONE as DONE
from bots.exit_codes import REFUSED as REFUSED
from bots.exit_codes import SWITCHED_OFF as SWITCHED_OFF
from bots.exit_codes import run_exit_code as run_exit_code
from bots.wiki.options import pages_from_args

#: What a run that talks to the wiki catches and ends with stopped(): pywikibot's errors, and a
#: connection that failed below it (pywikibot raises ConnectionError when the wiki's name does not resolve).
WIKI_ERRORS = (pywikibot.exceptions.Error, ConnectionError, requests.exceptions.RequestException)
#: Those of WIKI_ERRORS that mean the wiki could not be reached or failed (not a refusal or a bad request).
UNREACHABLE = (
    pywikibot.exceptions.ApiTimeoutError,
    pywikibot.exceptions.ServerError,
    ConnectionError,
    requests.exceptions.RequestException,
)

#: Those of WIKI_ERRORS that mean pywikibot's configuration names no usable wiki or account (exit 2).
CONFIGURATION_ERRORS = (pywikibot.exceptions.SiteDefinitionError, pywikibot.exceptions.NoUsernameError)


@dataclass(frozen=True)
class OwnOptions:
    """The options a bot takes beyond pywikibot's global ones and -always, -force, -settings:.

    Each may be written with one dash or two; a value follows a colon (``-cache:FILE``),
    an equals sign (``--format=json``) or comes as the next argument (``--format json``).
    """

    #: Options without a value, e.g. "-full".
    flags: frozenset[str] = frozenset()
    #: Options with a value -> the values allowed (empty: any value but ""), e.g. {"-format": ("text", "json")}.
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Whether any other dash option is left for the page generators (else it is unknown).
    generators: bool = False


@dataclass(frozen=True)
class OwnValues:
    """What a bot's own options said (see OwnOptions)."""

    flags: frozenset[str] = frozenset()
    #: Each value option given -> its values, in order.
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The page generator options (-page:, -cat:, ...), for bots.cli.page_generator.
    generator_args: tuple[str, ...] = ()

    def value(self, name: str, default: str = "") -> str:
        """The last value given for ``name``."""
        values = self.values.get(name, ())
        return values[-1] if values else default

    def path(self, name: str) -> Path | None:
        """The last value given for ``name`` as a path (None when not given)."""
        value = self.value(name)
        return Path(value).expanduser() if value else None


def parse_own(args: Sequence[str], own: OwnOptions) -> OwnValues | str:
    """A bot's own options out of what pywikibot left over; a string is the one-line error."""
    flags: set[str] = set()
    values: dict[str, list[str]] = {}
    generator_args: list[str] = []
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        equals = arg.startswith("--") and "=" in arg.partition(":")[0]  # --format=json
        typed, sep, value = arg.partition("=" if equals else ":")
        name = typed[1:] if typed.startswith("--") else typed
        if name in own.flags and not sep:
            flags.add(name)
        elif name in own.values:
            allowed = own.values[name]
            if not sep and rest and not rest[0].startswith("-"):
                value, sep = rest.pop(0), " "
            if not sep or (not value and not allowed):
                wanted = " or ".join(allowed) if allowed else f"{typed}:VALUE. Run with -help to see the options"
                return f"{typed} needs a value: {wanted}."
            if allowed and value not in allowed:
                return f"Unknown {name.lstrip('-')} {value!r} for {typed}: use {' or '.join(allowed)}."
            values.setdefault(name, []).append(value)
        elif arg.startswith("-") and own.generators:
            generator_args.append(arg)
        elif arg.startswith("-"):
            return f"Unknown option {arg!r}. Run with -help to see the options."
        else:
            return f"Unexpected argument {arg!r}. Options start with '-'; run with -help to see them."
    return OwnValues(frozenset(flags), {k: tuple(v) for k, v in values.items()}, tuple(generator_args))


@dataclass(frozen=True)
class BotOptions:
    config: Config
    always: bool = False
    #: -force: save even what a guard refused (e.g. a mass removal of rows)
    force: bool = False
    #: The bot's own options (OwnOptions), its page generator options among them.
    own: OwnValues = OwnValues()

    @property
    def rest(self) -> tuple[str, ...]:
        """The page generator options."""
        return self.own.generator_args


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


def help_shown(args: Sequence[str], doc: str) -> bool:
    """Whether ``args`` ask for help (-help, -h, --help); then ``doc`` is shown."""
    if any(a in ("-h", "--help", "-help") for a in args):
        print(doc.strip())
        return True
    return False


def settings(folder: Path) -> Config | None:
    """The configuration in ``folder`` (-settings:), or None after saying in one line what is wrong in it.

    Printed, not logged: it comes before pywikibot's logging is set up.
    """
    try:
        return load_config(folder)
    except ConfigError as exc:
        print(f"ERROR: Configuration error: {exc}", file=sys.stderr)
        return None


def parse_options(
    args: Sequence[str], doc: str, own: OwnOptions = OwnOptions(), edits: bool = True
) -> BotOptions | int:
    """Handle pywikibot's global options, then ours, then the bot's ``own``; an int is the exit code to stop with.

    The one option parser of every bot and script. Our folder option is -settings:,
    since pywikibot itself reads -config: (its user-config file).

    A run that ``edits`` needs someone to confirm each save (see can_confirm);
    under -simulate with no terminal, nothing is asked (nothing is saved). A
    bot that edits only with some option, or that checks more options of its
    own first, passes edits=False and calls can_confirm itself.

    Configuration is loaded here, before any request to the wiki, so that a
    broken config file stops the run at once with its file and line.
    """
    if help_shown(args, doc):
        return DONE
    # pywikibot.handle_args already asks the wiki who we are: check everything local first.
    config_dir = DEFAULT_CONFIG_DIR
    for arg in args:
        if arg.startswith("-settings:"):
            config_dir = Path(arg.split(":", 1)[1])
    config = settings(config_dir)
    if config is None:
        return BAD_OPTIONS
    problem = safety.password_file_problem()
    if problem:
        print(f"ERROR: Not starting: {problem}", file=sys.stderr)
        return BAD_OPTIONS
    safety.install_log_filter()
    try:
        with interface_only():
            local = pywikibot.handle_args(list(args))
    except WIKI_ERRORS as exc:
        return stopped(exc)
    except SystemExit as exc:
        if not exc.code:
            raise  # -help:global, shown
        return BAD_OPTIONS  # a family or code pywikibot does not know, said in one line: a configuration error
    safety.install_log_filter()
    always = "-always" in local
    force = "-force" in local
    values = parse_own(
        [arg for arg in local if arg not in ("-always", "-force") and not arg.startswith("-settings:")], own
    )
    if isinstance(values, str):
        pywikibot.error(values)
        return BAD_OPTIONS
    if edits and not can_confirm(always):
        return BAD_OPTIONS
    if pywikibot.config.simulate and not has_terminal():
        always = True  # nobody to ask, and nothing is saved: show every diff without a question
    return BotOptions(config=config, always=always, force=force, own=values)


def page_generator(
    site: pywikibot.site.BaseSite | None,
    args: Sequence[str],
    default: Callable[[], Iterable[pywikibot.Page]] | None = None,
) -> Iterator[pywikibot.Page] | int | None:
    """The pages of pywikibot's page generator options in ``args`` (-page:, -cat:, ...), texts preloaded.

    Without a generator option, ``default()``'s pages (filters such as -ns: apply to them),
    or None when there is no default. An int is the exit code after a bad or unknown option
    (said in one line). With ``site`` None the default site is created only when an option
    needs it, so that a mistyped option name is reported before any request.
    """
    try:
        pages, unknown = pages_from_args(site, args, default, ask=has_terminal())
    except UNREACHABLE:
        raise
    except (pywikibot.exceptions.Error, ValueError) as exc:
        pywikibot.error(f"Bad page generator option: {exc}")
        return BAD_OPTIONS
    except re.error as exc:
        pywikibot.error(f"Bad page generator option: the regular expression {exc.pattern!r}: {exc.msg}")
        return BAD_OPTIONS
    except KeyError as exc:  # -ns: naming no namespace of the wiki
        pywikibot.error(f"Bad page generator option: {exc.args[0] if exc.args else exc}")
        return BAD_OPTIONS
    if unknown:
        pywikibot.error(f"Unknown option {unknown[0]!r}. Run with -help to see the options.")
        return BAD_OPTIONS
    return pages


@contextlib.contextmanager
def interface_only() -> Iterator[None]:
    """While pywikibot.handle_args runs, let its closing pywikibot.Site() build a BaseSite: no request.

    handle_args ends with pywikibot.Site() to check the family and code early. An APISite
    logs in from the cookie as it is built (a meta=userinfo request), so a bad option of the
    bot's own would be reported only after the wiki answered (or as a traceback when it does
    not); tests/test_exit_codes.py holds the "no request before a bad option" promise.
    pywikibot 11 offers no switch for it (only its generate_user_files script is spared) and
    names its global options nowhere but in handle_args, so the bot's options cannot be told
    from them beforehand. Its setting config.site_interface names the class Site() builds;
    BaseSite (pywikibot.site: "independent of the communication interface") still checks the
    family and code, without a request. Each bot then creates its APISite (another cache key)
    once its options are checked.
    """
    interface = pywikibot.config.site_interface
    pywikibot.config.site_interface = "BaseSite"
    try:
        yield
    finally:
        pywikibot.config.site_interface = interface


def connection_reason(exc: Exception) -> str:
    """A failed connection in one line: the host and the cause, without the URL's query."""
    text = str(exc)
    host = re.search(r"host='([^']*)', port=(\d+)", text)
    cause = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    where = f" at {host.group(1)}:{host.group(2)}" if host else ""
    why = f" ({cause.group(1).strip()})" if cause else ""
    return (
        f"could not connect to the wiki{where}{why}. Check that it is up and reachable, and that "
        "user-config.py (in PYWIKIBOT_DIR) names the right wiki."
    )


def stopped(exc: Exception) -> int:
    """Say in one line why the run stopped on a wiki error (any of WIKI_ERRORS); the exit code.

    1 for a wiki that failed or could not be reached; 2 when pywikibot's own
    configuration names no usable wiki or account (a configuration error).
    """
    reason = " ".join(safety.redact(str(exc)).split())
    if isinstance(exc, CONFIGURATION_ERRORS):
        pywikibot.error(f"Configuration error: {reason}. Check user-config.py (in PYWIKIBOT_DIR).")
        return BAD_OPTIONS
    if isinstance(exc, (ConnectionError, requests.exceptions.RequestException)):
        reason = connection_reason(exc)
    elif isinstance(exc, pywikibot.exceptions.ApiTimeoutError):
        reason = (
            f"the wiki did not answer after {pywikibot.config.max_retries} retries ({reason}). "
            "Check that it is up and reachable, then run again."
        )
    elif isinstance(exc, pywikibot.exceptions.ServerError):
        reason = f"the wiki answered with a server error ({reason}). Run again later."
    pywikibot.error(f"Stopped: {reason}")
    return REFUSED


def run_bot(run: Callable[[BotOptions], int], args: Sequence[str], doc: str, own: OwnOptions = OwnOptions()) -> int:
    """A bot's whole main(): its options, then ``run``, a wiki error ending in one line."""
    options = parse_options(args, doc, own)
    if isinstance(options, int):
        return options
    try:
        return run(options)
    except WIKI_ERRORS as exc:
        return stopped(exc)
