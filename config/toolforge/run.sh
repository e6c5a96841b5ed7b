#!/usr/bin/env bash
# Wrapper for a Toolforge job: make sure the venv is there and current, then run
# one bot with the tool's own pywikibot config folder (~/.pywikibot-partnership).
# Usage: run.sh bots.update -always
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$HOME/venv-partnership"
if [ ! -x "$venv/bin/python" ] || [ "$repo/setup.cfg" -nt "$venv/.installed" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -e "$repo"
  touch "$venv/.installed"
fi
export PYWIKIBOT_DIR="${PYWIKIBOT_DIR:-$HOME/.pywikibot-partnership}"
cd "$repo"
exec "$venv/bin/python" -m "$@"
