#!/usr/bin/env bash
# Makes a Python virtual environment from a pinned requirements file (from PyPI), for the tools
# and clients the tests drive: `bash .ci/venv.sh VENV REQUIREMENTS`. Idempotent: a venv made
# from the same requirements (by their sha256) is kept; any change rebuilds it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$1
requirements=$2
stamp="$venv/requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
python=${INGOT_PYTHON:-python3}
if ! "$python" -m venv --help >/dev/null 2>&1; then
  echo "venv: $python has no venv module; installing python3-venv" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq python3-venv
fi
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check -q -r "$requirements"
echo "$wanted" > "$stamp"
echo "venv: $venv ready from $requirements"
