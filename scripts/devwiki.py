"""The project's local MediaWiki, for the demo and the live tests.

Usage:
    python -m scripts.devwiki start [--empty] [--wikimedia-paths]
                                                create (if needed), seed and serve the wiki
    python -m scripts.devwiki stop              stop the server
    python -m scripts.devwiki reset [--empty]   throw the wiki away and start a fresh one
    python -m scripts.devwiki status            say whether it runs, and where
    python -m scripts.devwiki packages          only install the Debian packages it needs

The wiki is Debian's `mediawiki` package on SQLite, with all its state in
.devwiki/ (DEVWIKI_DIR overrides), served by `php -S` on 127.0.0.1:8080
(DEVWIKI_PORT overrides). `start` installs the Debian packages when they are
missing (as root, or with sudo), creates an admin and a bot account with a
BotPassword, loads the sample pages of scripts/devwiki-seed.yaml with
importDump.php, and writes a ready pywikibot config folder to
.devwiki/pywikibot/:

    PYWIKIBOT_DIR=.devwiki/pywikibot python -m bots.update -always

`start` is idempotent: a wiki that already runs is reused as it is.

With --wikimedia-paths (when the wiki is created) it is laid out like a Wikimedia wiki: script
path /w (/w/api.php, /w/index.php), article path /wiki/$1 (a router script for php -S), a
family file with scriptpath "/w", MediaWiki's own edit rate limits for users, and a second
account without the bot flag (PartnershipTrialBot, so no apihighlimits: 50 titles a request instead of
500) with its pywikibot config folder in .devwiki/pywikibot-nonbot/. That is what the bot meets on
Meta-Wiki during its trial, before the flag (tests/live/test_wikimedia_like_live.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
MEDIAWIKI = Path("/usr/share/mediawiki")
PACKAGES = ["mediawiki", "php-cli", "php-sqlite3", "php-intl", "php-mbstring", "php-xml", "php-luasandbox"]
EXTENSIONS = "ParserFunctions,TemplateData,InputBox"
SEED_FILE = Path(__file__).resolve().with_name("devwiki-seed.yaml")
BOT_USER = "PartnershipBot"
BOT_APP = "pwb"
ADMIN_USER = "Admin"
#: The account without the bot flag of a wiki started with --wikimedia-paths (a bot on trial).
NONBOT_USER = "PartnershipTrialBot"
FAMILY = "devwiki"
#: The pause between saves (user-config.py): none for the bot account, which has noratelimit on the
#: local wiki. A real wiki keeps pywikibot's default, 10 s.
NO_THROTTLE = """# The local wiki is ours: no pause between saves or reads. A real wiki keeps the defaults.
put_throttle = 0
"""
#: An account without noratelimit may save 90 times a minute (MediaWiki's default for users); past that the
#: wiki answers "ratelimited" for the rest of the minute, longer than a local run's few retries wait.
NONBOT_THROTTLE = """# 60 saves a minute: under MediaWiki's 90 for an account without the bot flag. A real wiki keeps
# the default, 10 s.
put_throttle = 1
"""
#: The grants of the bots' BotPasswords, as docs/real-wiki.md asks a maintainer to give.
GRANTS = "basic,highvolume,editpage,createeditmovepage,editprotected,delete"


class DevWikiError(Exception):
    """The local wiki cannot be set up or started; the message says why and what to do."""


def log(message: str) -> None:
    print(f"devwiki: {message}", flush=True)


def ensure_packages() -> None:
    """Install Debian's MediaWiki and PHP packages if they are missing."""
    php_ok = shutil.which("php") is not None
    if php_ok and (MEDIAWIKI / "maintenance" / "install.php").exists():
        modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.lower()
        if all(m in modules for m in ("pdo_sqlite", "intl", "mbstring", "xml", "luasandbox")):
            return
    problem = apt_install(PACKAGES, "devwiki", "about half a minute")
    if problem:
        raise DevWikiError(f"MediaWiki and PHP are not installed: {problem}")


def apt_install(packages: Sequence[str], tool: str, duration: str) -> str:
    """Install Debian packages with apt-get, as root or with sudo; "" when done, else why not (one line or so)."""
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            return f"this is not root: run as root `apt-get update && apt-get install -y {' '.join(packages)}`"
        prefix = ["sudo", "-n"]
    print(f"{tool}: installing {' '.join(packages)} (apt-get, {duration})...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        result = subprocess.run(prefix + command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            return f"`{' '.join(command)}` failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    return ""


def seed_pages(seed_file: Path = SEED_FILE) -> list[tuple[str, str]]:
    """(title, text) of every page to load: the on-wiki pages generated from the schema
    (infobox, documentation, redirects, preload, categories), then the seed file's pages."""
    from bots.config import load_config, onwiki_templates
    from bots.core.onwiki.infobox import onwiki_pages, partners_of

    config = load_config()
    pages = list(onwiki_pages(config.schema, onwiki_templates(), partners_of(config.pages)).items())
    data = yaml.safe_load(seed_file.read_text(encoding="utf-8"))
    pages.extend((p["title"], p["text"]) for p in data["pages"])
    return pages


def export_xml(pages: list[tuple[str, str]], user: str = ADMIN_USER) -> str:
    """A MediaWiki XML dump of the given pages, for importDump.php."""
    parts = ['<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">']
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for title, text in pages:
        # A Lua module (Scribunto) has its own content model; imported as wikitext it would not run.
        model, form = ("Scribunto", "text/plain") if title.startswith("Module:") else ("wikitext", "text/x-wiki")
        parts.append(
            f"<page><title>{escape(title)}</title><revision><timestamp>{stamp}</timestamp>"
            f"<contributor><username>{escape(user)}</username></contributor>"
            f"<comment>Sample content</comment><model>{model}</model><format>{form}</format>"
            f'<text xml:space="preserve">{escape(text)}</text></revision></page>'
        )
    parts.append("</mediawiki>\n")
    return "\n".join(parts)


def visual_editor_settings() -> str:
    """VisualEditor in the namespaces of the partnership pages (config/pages.yaml), on by default.

    MediaWiki 1.39 runs Parsoid inside PHP, so it works under `php -S` with no other service.
    """
    from bots.config import load_config

    namespaces = ", ".join(f"{number} => true" for number in load_config().pages.namespaces)
    return f"""# VisualEditor for the partnership pages (scripts/devwiki.py).
wfLoadExtension('VisualEditor');
$wgVisualEditorAvailableNamespaces = [{namespaces}];
$wgDefaultUserOptions['visualeditor-enable'] = 1;
"""


#: Lua modules (Scribunto) in LocalSettings.php: the infobox's module needs them (schema engine: lua).
SCRIBUNTO_SETTINGS = """# Lua modules (Scribunto) with the engine Wikimedia uses: the infobox's module (schema
# engine: lua).
wfLoadExtension('Scribunto');
$wgScribuntoDefaultEngine = 'luasandbox';
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DevWiki:
    """One local wiki: a folder of state and the port it is served on."""

    root: Path
    port: int
    #: Laid out like a Wikimedia wiki (script path /w, article path /wiki/$1, an account without the
    #: bot flag); the default dev wiki serves MediaWiki's folder at the root.
    wikimedia_paths: bool = False

    @classmethod
    def from_env(cls) -> DevWiki:
        root = Path(os.environ.get("DEVWIKI_DIR", PROJECT_DIR / ".devwiki"))
        return cls(root=root.resolve(), port=int(os.environ.get("DEVWIKI_PORT", "8080")))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def script_path(self) -> str:
        """Where api.php and index.php are: "/w" as on Wikimedia's wikis, or the root."""
        return "/w" if self.wikimedia_paths else ""

    @property
    def article_path(self) -> str:
        return "/wiki/$1" if self.wikimedia_paths else "/index.php/$1"

    @property
    def api_url(self) -> str:
        return f"{self.url}{self.script_path}/api.php"

    def page_url(self, title: str) -> str:
        return self.url + self.article_path.replace("$1", urllib.parse.quote(title.replace(" ", "_")))

    @property
    def settings_file(self) -> Path:
        return self.root / "LocalSettings.php"

    @property
    def pywikibot_dir(self) -> Path:
        return self.root / "pywikibot"

    @property
    def nonbot_pywikibot_dir(self) -> Path:
        """The pywikibot config folder of the account without the bot flag (--wikimedia-paths only)."""
        return self.root / "pywikibot-nonbot"

    @property
    def pid_file(self) -> Path:
        return self.root / "server.pid"

    def secret(self, name: str) -> str:
        """A password kept in the state folder (mode 600), made on first use."""
        path = self.root / "secrets" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.write_text(secrets.token_hex(16))
            path.chmod(0o600)
        return path.read_text().strip()

    # --- running maintenance scripts -------------------------------------------------

    def php(self, script: str, *args: str, stdin: str | None = None) -> str:
        env = {**os.environ, "MW_CONFIG_FILE": str(self.settings_file)}
        result = subprocess.run(
            ["php", str(MEDIAWIKI / "maintenance" / script), *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            cwd=MEDIAWIKI,
        )
        if result.returncode != 0:
            raise DevWikiError(
                f"{script} failed (exit {result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
            )
        return result.stdout

    # --- lifecycle -----------------------------------------------------------------

    def create(self) -> None:
        """Install a new wiki on SQLite in the state folder, with the accounts."""
        log(f"creating a new wiki in {self.root}")
        (self.root / "db").mkdir(parents=True, exist_ok=True)
        (self.root / "cache").mkdir(exist_ok=True)
        self.root.chmod(0o700)
        self.php(
            "install.php",
            "--dbtype",
            "sqlite",
            "--dbpath",
            str(self.root / "db"),
            "--dbname",
            "devwiki",
            "--confpath",
            str(self.root),
            "--server",
            self.url,
            "--scriptpath",
            self.script_path,
            "--lang",
            "en",
            "--pass",
            self.secret("admin"),
            "--extensions",
            EXTENSIONS,
            "Strategy Wiki (local)",
            ADMIN_USER,
        )
        with self.settings_file.open("a", encoding="utf-8") as settings:
            settings.write(f"""
# --- added by scripts/devwiki.py ---
require __DIR__ . '/server.php';
$wgArticlePath = "{self.article_path}";
$wgCacheDirectory = "{self.root / "cache"}";
$wgEnableUploads = false;
$wgLogos = ['1x' => "{self.script_path}/resources/assets/mediawiki.png"];
$wgShowExceptionDetails = true;
# Bots must not be rate-limited on the local wiki (1.39's bot group lacks it).
$wgGroupPermissions['bot']['noratelimit'] = true;
$wgEnableBotPasswords = true;
{self.rate_limits()}# Run deferred jobs at once, so that link tables are current after every edit.
$wgJobRunRate = 1;
""")
            settings.write(SCRIBUNTO_SETTINGS)
            settings.write(visual_editor_settings())
        self.write_server_settings()
        self.add_account(BOT_USER, "bot", "--bot")
        if self.wikimedia_paths:
            self.add_account(NONBOT_USER, "nonbot")

    def add_account(self, user: str, secret: str, *groups: str) -> None:
        """An account (in ``groups``: createAndPromote.php's --bot, ...) with a BotPassword of the bots' grants."""
        self.php("createAndPromote.php", *groups, user, self.secret(f"{secret}-user"))
        self.php(
            "createBotPassword.php", "--appid", BOT_APP, "--grants", GRANTS, user, self.secret(f"{secret}-password")
        )

    def rate_limits(self) -> str:
        """The edit rate limits: MediaWiki's defaults for accounts on a Wikimedia-like wiki, none on the default one."""
        if self.wikimedia_paths:
            return """# Volunteers' edits in the live tests come fast, from one address; accounts keep MediaWiki's
# defaults (90 edits a minute for a user, 8 for a newbie; bots have noratelimit).
$wgRateLimits['edit']['ip'] = [1000, 60];
"""
        return """# Volunteers' edits in the live tests come fast, from one address.
$wgRateLimits['edit'] = ['ip' => [1000, 60], 'newbie' => [1000, 60], 'user' => [1000, 60]];
"""

    def add_scribunto(self) -> None:
        """Load Scribunto in a wiki created before the Lua infobox (e.g. a kept benchmark wiki)."""
        settings = self.settings_file.read_text(encoding="utf-8")
        if "wfLoadExtension('Scribunto')" not in settings:
            log(f"adding Scribunto (Lua modules) to {self.settings_file}")
            self.settings_file.write_text(settings + SCRIBUNTO_SETTINGS, encoding="utf-8")

    def write_server_settings(self) -> None:
        """The settings that depend on the port: written at every start."""
        # Sessions in the database, not in APCu (the main cache): a long run over 10,000 pages fills
        # APCu's 32 MB, which then drops every entry, the bot's session with them (a bench run died so).
        (self.root / "server.php").write_text(
            f'<?php\n$wgServer = "{self.url}";\n$wgSessionCacheType = CACHE_DB;\n', encoding="utf-8"
        )

    def write_pywikibot_config(self) -> None:
        """A ready pywikibot config folder for this wiki (and one for the account without the bot flag)."""
        self.write_account_config(self.pywikibot_dir, BOT_USER, self.secret("bot-password"))
        if self.wikimedia_paths:
            self.write_account_config(
                self.nonbot_pywikibot_dir, NONBOT_USER, self.secret("nonbot-password"), NONBOT_THROTTLE
            )

    def write_account_config(self, folder: Path, user: str, password: str, throttle: str = NO_THROTTLE) -> None:
        """A pywikibot config folder logging in as ``user`` with its BotPassword, its family file included."""
        (folder / "families").mkdir(parents=True, exist_ok=True)
        (folder / "families" / f"{FAMILY}_family.py").write_text(
            f'''"""pywikibot family of the project's local wiki (written by scripts/devwiki.py)."""

from pywikibot import family


class Family(family.SingleSiteFamily):
    name = "{FAMILY}"
    domain = "127.0.0.1:{self.port}"

    def protocol(self, code):
        return "http"

    def scriptpath(self, code):
        return "{self.script_path}"
''',
            encoding="utf-8",
        )
        (folder / "user-config.py").write_text(
            f'''# pywikibot config for the project's local wiki (written by scripts/devwiki.py).
family = "{FAMILY}"
mylang = "{FAMILY}"
usernames["{FAMILY}"]["*"] = "{user}"
password_file = "user-password.py"
# Who runs the bot, in every request's User-Agent (Wikimedia's User-Agent policy asks for a contact).
user_agent_description = "partnership-bot on the project's local wiki (scripts/devwiki.py)"
{throttle}minthrottle = 0
console_encoding = "utf-8"
# A wiki that stops answering ends the run in seconds (3 retries, waiting 1, 2, 4 s).
max_retries = 3
retry_wait = 1
retry_max = 4
socket_timeout = (6.05, 30)
''',
            encoding="utf-8",
        )
        password_file = folder / "user-password.py"
        password_file.write_text(f'("{user}", BotPassword("{BOT_APP}", "{password}"))\n', encoding="utf-8")
        password_file.chmod(0o600)
        # A set: "pywikibot-*.lwp" files also match "*.lwp".
        for stale in {*folder.glob("apicache*"), *folder.glob("pywikibot-*.lwp"), *folder.glob("*.lwp")}:
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink(missing_ok=True)  # both patterns match pywikibot-*.lwp

    def seed(self, seed_file: Path = SEED_FILE) -> int:
        """Load the sample pages with importDump.php (one process for all pages)."""
        pages = seed_pages(seed_file)
        dump = self.root / "seed.xml"
        dump.write_text(export_xml(pages), encoding="utf-8")
        self.php("importDump.php", "--quiet", str(dump))
        (self.root / "seeded").write_text(f"{len(pages)}\n")
        return len(pages)

    def server_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def responds(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.api_url}?action=query&meta=siteinfo&format=json", timeout=5) as r:
                return "query" in json.load(r)
        except (OSError, ValueError):
            return False

    def serve(self) -> None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                raise DevWikiError(
                    f"port {self.port} is in use by another program. Stop it, or choose another port "
                    f"with DEVWIKI_PORT=<port>."
                )
        self.write_server_settings()
        env = {**os.environ, "MW_CONFIG_FILE": str(self.settings_file), "PHP_CLI_SERVER_WORKERS": "4"}
        log_file = (self.root / "server.log").open("ab")
        process = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{self.port}", *self.document_root()],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=MEDIAWIKI,
            start_new_session=True,
        )
        self.pid_file.write_text(str(process.pid))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = (self.root / "server.log").read_text(errors="replace")[-2000:]
                raise DevWikiError(f"php -S exited with code {process.returncode}:\n{tail}")
            if self.responds():
                return
            time.sleep(0.2)
        raise DevWikiError(f"the wiki did not answer on {self.api_url} within 30 s; see {self.root / 'server.log'}")

    def document_root(self) -> list[str]:
        """php -S's document root (and router script): MediaWiki's folder, or /w and /wiki/$1 as on Wikimedia."""
        if not self.wikimedia_paths:
            return ["-t", str(MEDIAWIKI)]
        htdocs = self.root / "htdocs"
        htdocs.mkdir(exist_ok=True)
        if not (htdocs / "w").exists():
            (htdocs / "w").symlink_to(MEDIAWIKI)
        router = self.root / "router.php"
        router.write_text(
            f"""<?php
// php -S router of the Wikimedia-like local wiki (scripts/devwiki.py): /wiki/Title is /w/index.php;
// everything else (/w/api.php, /w/load.php, styles) php -S serves from htdocs/, where w is MediaWiki.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path === '/' || $path === '/wiki') {{
    header('Location: /wiki/');
    return true;
}}
if (strncmp($path, '/wiki/', 6) !== 0) {{
    return false;
}}
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/w/index.php';
$_SERVER['SCRIPT_FILENAME'] = '{MEDIAWIKI}/index.php';
chdir('{MEDIAWIKI}');
require '{MEDIAWIKI}/index.php';
return true;
""",
            encoding="utf-8",
        )
        return ["-t", str(htdocs), str(router)]

    def start(self, empty: bool = False) -> None:
        if self.server_pid() and self.responds():
            log(f"already running at {self.url} (pid {self.server_pid()})")
            self.write_pywikibot_config()
            return
        ensure_packages()
        if not self.settings_file.exists():
            self.create()
        self.add_scribunto()
        self.write_pywikibot_config()
        self.serve()
        if not empty and not (self.root / "seeded").exists():
            count = self.seed()
            log(f"loaded {count} sample pages")
        log(f"running at {self.page_url('Main Page')} (pid {self.server_pid()})")

    def stop(self) -> None:
        pid = self.server_pid()
        if pid is None:
            log("not running")
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        for _ in range(50):
            # A server this process started stays a zombie (and its group alive) until it is reaped.
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            try:
                os.killpg(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        log("stopped")

    def reset(self, empty: bool = False) -> None:
        self.stop()
        if self.root.exists():
            shutil.rmtree(self.root)
        self.start(empty=empty)

    def status(self) -> int:
        pid = self.server_pid()
        if pid and self.responds():
            log(
                f"running at {self.url} (pid {pid}); state in {self.root}; "
                f"pywikibot config: PYWIKIBOT_DIR={self.pywikibot_dir}"
            )
            return 0
        state = "created but not running" if self.settings_file.exists() else "not created"
        log(f"{state} ({self.root}); start it with: python -m scripts.devwiki start")
        return 1


def argument_parser(prog: str, doc: str | None) -> argparse.ArgumentParser:
    """An argparse parser that also takes -help, as the bots (pywikibot's options) do."""
    parser = argparse.ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter, add_help=False
    )
    parser.add_argument("-h", "-help", "--help", action="help", help="show this help and exit")
    return parser


def main(*args: str) -> int:
    parser = argument_parser("python -m scripts.devwiki", __doc__)
    parser.add_argument("command", choices=["start", "stop", "reset", "status", "packages"])
    parser.add_argument("--empty", action="store_true", help="do not load the sample pages")
    parser.add_argument(
        "--wikimedia-paths",
        action="store_true",
        help="create the wiki like a Wikimedia wiki: /w/api.php, /wiki/$1, an account without the bot flag",
    )
    options = parser.parse_args(args)
    wiki = DevWiki.from_env()
    wiki.wikimedia_paths = options.wikimedia_paths or (wiki.root / "htdocs").exists()
    try:
        if options.command == "start":
            wiki.start(empty=options.empty)
        elif options.command == "packages":
            ensure_packages()
        elif options.command == "stop":
            wiki.stop()
        elif options.command == "reset":
            wiki.reset(empty=options.empty)
        else:
            return wiki.status()
    except DevWikiError as exc:
        print(f"devwiki: error: {exc}", file=sys.stderr)
        return 1
    return 0


def console_main() -> None:
    sys.exit(main(*sys.argv[1:]))


if __name__ == "__main__":
    console_main()
