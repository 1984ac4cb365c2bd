#!/usr/bin/env bash
# Makes sure the services the tests need answer on localhost: PostgreSQL (127.0.0.1:5432, user
# postgres, trust auth on loopback) and Redis (127.0.0.1:6379). Installs them from Debian's packages
# when missing and starts them when down; changes nothing when both already answer.
set -euo pipefail

say() { echo "services: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name port
  for _ in $(seq 1 60); do
    port_open "$2" && return 0
    sleep 0.5
  done
  say "$1 did not come up on port $2"
  return 1
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    say "need $* but not root: install them, or run as root"
    return 1
  fi
  say "installing $*"
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL ---------------------------------------------------------------
if ! command -v psql >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
  port_open 5432 && command -v psql >/dev/null || apt_install postgresql postgresql-client
fi
if ! port_open 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL 5432
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -qAtc 'SELECT 1' >/dev/null 2>&1; then
  # A fresh Debian cluster asks for passwords on TCP; tests connect as postgres without one.
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  say "allowing trust auth on loopback in $hba"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  psql -h 127.0.0.1 -U postgres -d postgres -qAtc 'SELECT 1' >/dev/null
fi
say "PostgreSQL ready"

# Redis --------------------------------------------------------------------
if ! port_open 6379; then
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/ingot-redis.log
  wait_for Redis 6379
fi
say "Redis ready"

# Tools tests run ------------------------------------------------------------
# ssh-keygen: SSH key fingerprints are compared with its own; python3: the webhook signature is
# checked by an independent implementation (server/tests/receivers/webhook_verify.py).
command -v ssh-keygen >/dev/null || apt_install openssh-client
command -v python3 >/dev/null || apt_install python3
# PyYAML: the CLI's YAML output is read back by an independent parser.
python3 -c 'import yaml' 2>/dev/null || apt_install python3-yaml
say "ssh-keygen, python3 and PyYAML ready"

# Browser tests (server/tests/it/web.rs): Debian's Chromium and ChromeDriver, headless.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install chromium chromium-driver
fi
say "chromium $(chromium --version 2>/dev/null | awk '{print $2}') and chromedriver ready"
