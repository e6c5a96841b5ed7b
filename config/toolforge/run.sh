#!/usr/bin/env bash
# Wrapper for every job on the pre-built image (config/toolforge/jobs.yaml): make sure
# the venv is there and current, then run one bot with the tool's own pywikibot config
# folder. (Jobs on the Build Service image need none of this: see the Procfile.)
#
#   run.sh bots.update -always          (the module and its options)
#
# Environment (all optional):
#   PYWIKIBOT_DIR         pywikibot config folder   (default ~/.pywikibot-partnership)
#   PARTNERSHIP_VENV      the venv                  (default ~/venv-partnership)
#
# The venv holds requirements.txt, the pinned runtime dependencies with their hashes;
# the bot runs from this checkout. It is built again when the image's Python or
# requirements.txt changed since it was built (both are in its stamp file), so moving
# the jobs to another python3.x image, or a `git pull` that changes a pin, needs
# nothing by hand.
#
# The bot's exit code is the job's: 0 done (or another run holds the lock and does the
# work), 1 refused/wiki error, 2 bad options or config, 3 switched off on the wiki. Its
# last line of output repeats the code with a one-line reason. The jobs file's
# `timeout:` stops a run that takes too long.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${PARTNERSHIP_VENV:-$HOME/venv-partnership}"
requirements="$repo/requirements.txt"
export PYWIKIBOT_DIR="${PYWIKIBOT_DIR:-$HOME/.pywikibot-partnership}"
export PYTHONUNBUFFERED=1

if [ ! -f "$PYWIKIBOT_DIR/user-config.py" ]; then
  echo "run.sh: no $PYWIKIBOT_DIR/user-config.py: set up the pywikibot config folder first (docs/toolforge.md)" >&2
  exit 2
fi
if [ ! -f "$requirements" ]; then
  echo "run.sh: no $requirements: the checkout is incomplete" >&2
  exit 2
fi

# What the venv was built from: the image's Python and the lock file's content.
wanted_stamp() {
  echo "$(python3 -VV | tr '\n' ' ')$(sha256sum <"$requirements")"
}

setup_venv() {
  local wanted
  wanted="$(wanted_stamp)"
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.stamp" 2>/dev/null)" = "$wanted" ]; then
    return
  fi
  echo "run.sh: building the venv $venv ($wanted)"
  python3 -m venv --clear "$venv"
  "$venv/bin/pip" install --quiet --require-hashes -r "$requirements"
  echo "$wanted" >"$venv/.stamp"
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
exec "$venv/bin/python" -m "$@" 2>&1
