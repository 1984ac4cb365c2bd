#!/usr/bin/env bash
# Makes .venv-libmaas: python-libmaas (MAAS's official Python client, from PyPI) with pinned
# dependencies, which the simulator's faithfulness test drives unchanged.
exec bash "$(dirname "$0")/venv.sh" .venv-libmaas domains/provisioning-baremetal-maas/sim/tests/libmaas/requirements.txt
