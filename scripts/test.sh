#!/usr/bin/env bash
# `npm test`: every check the project has — types, lint, unit tests, build + package, e2e in real VS Code.
# It sets the machine up first (idempotent and quick when already done), so it is true on a fresh machine.
# Under CI=true nothing is skipped; a missing prerequisite fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
echo "[test] node $(node --version)"
echo "[test] typecheck"; npx tsc -p tsconfig.json --noEmit && npx tsc -p src/webview/tsconfig.json --noEmit
echo "[test] lint"; npx eslint .
echo "[test] unit"; npx mocha
echo "[test] package"; npm run --silent package
echo "[test] e2e"; bash scripts/e2e.sh
