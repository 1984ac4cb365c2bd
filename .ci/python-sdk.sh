#!/usr/bin/env bash
# Makes .venv-sdk: the Python SDK's generator (openapi-python-client, from PyPI) and what the
# generated client needs (httpx, attrs), at the versions pinned in sdks/python/requirements.txt.
# `cargo xtask sdk` generates with it; the SDK's journey test runs the generated client with it.
# Idempotent: a venv made from the same requirements is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-sdk
requirements=sdks/python/requirements.txt
stamp="$venv/requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/openapi-python-client" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi
python=${INGOT_PYTHON:-python3}
if ! "$python" -m venv --help >/dev/null 2>&1; then
  echo "python-sdk: $python has no venv module; installing python3-venv" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq python3-venv
fi
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check -q -r "$requirements"
echo "$wanted" > "$stamp"
echo "python-sdk: $("$venv/bin/openapi-python-client" --version) ready in $venv"
