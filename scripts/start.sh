#!/usr/bin/env bash
# `npm start`: set the machine up, build and package the extension, and open it in real VS Code
# (code-server) in your browser. Without CODEGEN_API_TOKEN the local Codegen contract server runs as a
# sandbox backend. Ctrl-C stops everything.
#   CONTEXTEN_START_PORT=8080  CONTEXTEN_START_FOLDER=<repo>  CONTEXTEN_SANDBOX_TOKEN=sandbox-token
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
echo "[start] build and package"
npm run --silent package >/dev/null

# Backstop: kill the process groups start.ts started if it dies without cleaning up.
PGIDS=.e2e/start/process-groups
source scripts/lib/processGroups.sh
cleanup() { kill_recorded_groups "$PGIDS"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

node --import tsx test/e2e/start.ts
