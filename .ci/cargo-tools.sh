#!/usr/bin/env bash
# Installs the cargo subcommands the checks run, from crates.io at the versions below (each with
# its own locked dependencies), unless that version is already on the PATH: cargo-deny (the
# dependency policy in deny.toml) and cargo-fuzz (the targets in fuzz/, `cargo xtask fuzz`).
# Compiled once per machine: a few minutes on two cores.
set -euo pipefail
install() {
  local tool=$1 version=$2
  if [ "$(cargo "${tool#cargo-}" --version 2>/dev/null)" = "$tool $version" ]; then
    return
  fi
  echo "cargo-tools: installing $tool $version" >&2
  CARGO_INCREMENTAL=0 cargo install --locked --quiet "$tool@$version"
  echo "cargo-tools: $(cargo "${tool#cargo-}" --version) ready"
}
install cargo-deny 0.20.2
install cargo-fuzz 0.13.2
