#!/usr/bin/env bash
# `npm test`: every check the project has — types, lint, unit tests, build + package, the bundles on Node 20.9
# (test/floor), e2e in real VS Code.
# It sets the machine up first (idempotent and quick when already done), so it is true on a fresh machine.
# Under CI=true nothing is skipped; a missing prerequisite fails. Ends with one line:
#   tests: N passed, N failed, N skipped
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "[test] node $(node --version)"
# (One command per line: under set -e a failure before `&&` does not stop the script, and a type error passed.)
echo "[test] typecheck"
npx tsc -p tsconfig.json --noEmit
npx tsc -p src/webview/tsconfig.json --noEmit
echo "[test] lint"; npx eslint .
echo "[test] unit"
set +e
npx mocha 2>&1 | tee "$OUT/unit.log"
unit_status=${PIPESTATUS[0]}
set -e
echo "[test] package"; npm run --silent package >"$OUT/package.log" 2>&1 || { cat "$OUT/package.log"; exit 1; }
# The bundles just built, on Node 20.9 (VS Code 1.90's extension host, the oldest engines.vscode admits).
echo "[test] floor"
set +e
npx mocha --no-config --require test/unit/isolateGitUserConfig.ts --node-option import=tsx --timeout 120000 'test/floor/**/*.test.ts' 2>&1 | tee "$OUT/floor.log"
floor_status=${PIPESTATUS[0]}
set -e
echo "[test] e2e"
set +e
bash scripts/e2e.sh 2>&1 | tee "$OUT/e2e.log"
e2e_status=${PIPESTATUS[0]}
set -e

num() { grep -Eo "$1" "$2" | tail -1 | grep -Eo '^[0-9]+' || echo 0; }
unit_pass=$(num '[0-9]+ passing' "$OUT/unit.log")
unit_fail=$(num '[0-9]+ failing' "$OUT/unit.log")
unit_skip=$(num '[0-9]+ pending' "$OUT/unit.log")
floor_pass=$(num '[0-9]+ passing' "$OUT/floor.log")
floor_fail=$(num '[0-9]+ failing' "$OUT/floor.log")
floor_skip=$(num '[0-9]+ pending' "$OUT/floor.log")
e2e_line=$(grep -E '^\[e2e\] (PASSED|FAILED|SKIPPED)' "$OUT/e2e.log" | tail -1 || true)
e2e_pass=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$e2e_line"); e2e_pass=${e2e_pass:-0}
e2e_fail=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$e2e_line"); e2e_fail=${e2e_fail:-0}
e2e_skip=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$e2e_line"); e2e_skip=${e2e_skip:-0}
[ "$unit_status" = 0 ] || [ "$unit_fail" != 0 ] || unit_fail=1
[ "$floor_status" = 0 ] || [ "$floor_fail" != 0 ] || floor_fail=1
[ "$e2e_status" = 0 ] || [ "$e2e_fail" != 0 ] || e2e_fail=1
echo "[test] unit: $unit_pass passed, $unit_fail failed, $unit_skip skipped; floor: $floor_pass passed, $floor_fail failed, $floor_skip skipped; e2e: $e2e_pass passed, $e2e_fail failed, $e2e_skip skipped"
echo "tests: $((unit_pass + floor_pass + e2e_pass)) passed, $((unit_fail + floor_fail + e2e_fail)) failed, $((unit_skip + floor_skip + e2e_skip)) skipped"
if [ "${CI:-}" = "true" ] && [ $((unit_skip + floor_skip + e2e_skip)) != 0 ]; then
  echo "[test] FAILED: $((unit_skip + floor_skip + e2e_skip)) tests skipped under CI=true, where nothing is skipped"
  exit 1
fi
[ "$unit_status" = 0 ] && [ "$floor_status" = 0 ] && [ "$e2e_status" = 0 ]
