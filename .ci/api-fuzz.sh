#!/usr/bin/env bash
# Makes .venv-fuzz: schemathesis (from PyPI), which fuzzes the HTTP API from its OpenAPI
# document (server/tests/it/api_fuzz.rs), at the versions pinned in its requirements.
exec bash "$(dirname "$0")/venv.sh" .venv-fuzz server/tests/api-fuzz/requirements.txt
