#!/usr/bin/env bash
# Makes .venv-sdk: the Python SDK's generator (openapi-python-client, from PyPI) and what the
# generated client needs (httpx, attrs), at the versions pinned in sdks/python/requirements.txt.
# `cargo xtask sdk` generates with it; the SDK's journey test runs the generated client with it.
exec bash "$(dirname "$0")/venv.sh" .venv-sdk sdks/python/requirements.txt
