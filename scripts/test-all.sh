#!/usr/bin/env bash
# Every test of the project, in order of cost: lint (includes the src/core purity rule),
# types, unit + property tests, the short fuzz run, then the Playwright suite in Debian's
# Chromium (installed here when missing). Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() { printf '\n=== %s ===\n' "$1"; }
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

if [ ! -d node_modules ]; then
  stage "npm install"
  npm install --no-audit --no-fund
fi

stage "Debian chromium (the e2e browser; its SwiftShader Vulkan ICD also serves Node WebGPU)"
bash scripts/ensure-chromium.sh

stage "lint (eslint; src/core may not import React, the DOM or Node)"
npx eslint src e2e

stage "typecheck (tsc --noEmit, strict)"
npx tsc -p tsconfig.json --noEmit

if [ -f scripts/ensure-vulkan.sh ]; then
  stage "Vulkan loader for Node WebGPU (Dawn on SwiftShader)"
  bash scripts/ensure-vulkan.sh || echo "test-all: no Vulkan loader; Node GPU tests will report why they skip"
fi

stage "unit and property tests (vitest)"
npx vitest run 2>&1 | tee -a "$LOG"

stage "fuzz, short CI run (FUZZ_CASES=${FUZZ_CASES:-100000})"
FUZZ_CASES="${FUZZ_CASES:-100000}" npx vitest run --config vitest.fuzz.config.ts 2>&1 | tee -a "$LOG"

stage "end-to-end (Playwright, Debian chromium, WebGPU via SwiftShader)"
npx playwright test 2>&1 | tee -a "$LOG"

stage "all stages passed"
# One plain closing line over every runner (vitest "Tests  N passed", Playwright "N passed").
sed -E 's/\x1b\[[0-9;]*m//g' "$LOG" | awk '
  /^ *Tests +[0-9]+/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^ +[0-9]+ passed \(/ { p += $1 }
  /^ +[0-9]+ failed$/ { f += $1 }
  END { printf "%d passed, %d failed\n", p, f }'

