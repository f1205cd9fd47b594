#!/usr/bin/env bash
# Every test of the project, in order of cost: lint (includes the src/core purity rule),
# types, unit + property tests, the short fuzz run, then the Playwright suite in Debian's
# Chromium (installed here when missing). Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() { printf '\n=== %s ===\n' "$1"; }

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
npx vitest run

stage "fuzz, short CI run (FUZZ_CASES=${FUZZ_CASES:-100000})"
FUZZ_CASES="${FUZZ_CASES:-100000}" npx vitest run --config vitest.fuzz.config.ts

stage "end-to-end (Playwright, Debian chromium, WebGPU via SwiftShader)"
npx playwright test

stage "all stages passed"
