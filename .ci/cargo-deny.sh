#!/usr/bin/env bash
# Installs cargo-deny (from crates.io, at the version below, with its own locked dependencies)
# unless that version is already on the PATH. `cargo xtask test` runs its licence, ban and source
# checks against deny.toml.
set -euo pipefail
version=0.20.2
if [ "$(cargo deny --version 2>/dev/null)" = "cargo-deny $version" ]; then
  exit 0
fi
echo "cargo-deny: installing $version (a few minutes on two cores, once per machine)" >&2
CARGO_INCREMENTAL=0 cargo install --locked --quiet "cargo-deny@$version"
echo "cargo-deny: $(cargo deny --version) ready"
