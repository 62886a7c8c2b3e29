#!/usr/bin/env bash
# Prints the path of a nats-server 2.10 or newer, installing one into .tools/ when needed.
# Order: $NATS_SERVER_BIN, .tools/nats-server, nats-server on PATH (if 2.10+), then Debian's
# package from the current Debian release, fetched with a private apt state so the system's
# own apt lists and sources are untouched. The mirror host is read from the system's sources.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools="$repo/.tools"
local_bin="$tools/nats-server/usr/sbin/nats-server"
suite=${NATS_DEBIAN_SUITE:-trixie}

is_recent() { # true when the binary reports version 2.10 or newer
  local v
  v=$("$1" --version 2>/dev/null | sed -n 's/.*v\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p') || return 1
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -ge 10 ]; }
}

for candidate in "${NATS_SERVER_BIN:-}" "$local_bin" "$(command -v nats-server || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && is_recent "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "nats-server 2.10+ not found: install it (https://docs.nats.io/running-a-nats-service/introduction/installation) or set NATS_SERVER_BIN" >&2
  exit 1
fi

uri=$(grep -hoE '^URIs:[[:space:]]*[^[:space:]]+/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | awk '{print $2}' || true)
[ -n "$uri" ] || uri=$(grep -hoE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+/debian/?[[:space:]]' /etc/apt/sources.list 2>/dev/null | head -n1 | awk '{print $NF}' || true)
if [ -z "$uri" ]; then
  echo "nats-server 2.10+ not found and no Debian mirror in the apt sources: install nats-server 2.10+ or set NATS_SERVER_BIN" >&2
  exit 1
fi

work="$tools/apt"
mkdir -p "$work/lists/partial" "$work/archives/partial" "$tools"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [signed-by=$keyring] ${uri%/} $suite main" > "$work/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache::archives=$work/archives" -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1")
echo "installing nats-server from Debian $suite into .tools/ ..." >&2
apt-get "${apt_opts[@]}" -qq update >&2
(cd "$work/archives" && apt-get "${apt_opts[@]}" -o APT::Sandbox::User=root -qq download nats-server >&2)
deb=$(ls -t "$work/archives"/nats-server_*.deb | head -n1)
rm -rf "$tools/nats-server"
dpkg-deb -x "$deb" "$tools/nats-server"
if ! is_recent "$local_bin"; then
  echo "the downloaded nats-server does not run here: install nats-server 2.10+ or set NATS_SERVER_BIN" >&2
  exit 1
fi
echo "$local_bin"
