#!/usr/bin/env bash
# Makes .venv-libmaas: python-libmaas (MAAS's official Python client, from PyPI) with pinned
# dependencies, which the simulator's faithfulness test drives unchanged. Idempotent: an
# existing venv that imports the client is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-libmaas
requirements=domains/provisioning-baremetal-maas/sim/tests/libmaas/requirements.txt
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import maas.client" 2>/dev/null; then
  exit 0
fi
python=${INGOT_PYTHON:-python3}
if ! "$python" -m venv --help >/dev/null 2>&1; then
  echo "libmaas: $python has no venv module; installing python3-venv" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq python3-venv
fi
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check -q -r "$requirements"
"$venv/bin/python" -c "import maas.client; print('libmaas: python-libmaas ready in $venv')"
