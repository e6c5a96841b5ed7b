#!/usr/bin/env bash
# Wrapper for every Toolforge job: make sure the venv is there and current, then
# run one bot with the tool's own pywikibot config folder.
#
#   run.sh bots.update -always          (the module and its options)
#
# Environment (all optional):
#   PYWIKIBOT_DIR         pywikibot config folder   (default ~/.pywikibot-partnership)
#   PARTNERSHIP_VENV      the venv                  (default ~/venv-partnership)
#   PARTNERSHIP_TIMEOUT   longest a run may take    (default 50m; then exit 124)
#
# The bot's exit code is the job's: 0 done, 1 refused/wiki error, 2 bad options or
# config, 3 switched off on the wiki, 4 another run still holds the lock, 124 timed
# out. Its last line of output repeats the code with a one-line reason.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${PARTNERSHIP_VENV:-$HOME/venv-partnership}"
export PYWIKIBOT_DIR="${PYWIKIBOT_DIR:-$HOME/.pywikibot-partnership}"
export PYTHONUNBUFFERED=1

if [ ! -f "$PYWIKIBOT_DIR/user-config.py" ]; then
  echo "run.sh: no $PYWIKIBOT_DIR/user-config.py: set up the pywikibot config folder first (docs/toolforge.md)" >&2
  exit 2
fi

setup_venv() {
  if [ ! -x "$venv/bin/python" ] || [ "$repo/setup.cfg" -nt "$venv/.installed" ]; then
    echo "run.sh: installing the bot into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -e "$repo"
    touch "$venv/.installed"
  fi
}

# Two jobs starting at once must not build the venv at the same time.
mkdir -p "$(dirname "$venv")"
if command -v flock >/dev/null; then
  exec 9>"$HOME/.partnership-venv.lock"
  flock 9
  setup_venv
  flock -u 9
  exec 9>&-
else
  setup_venv
fi

cd "$repo"
# pywikibot writes its messages to stderr; keep them in order with stdout in one log.
exec timeout "${PARTNERSHIP_TIMEOUT:-50m}" "$venv/bin/python" -m "$@" 2>&1
