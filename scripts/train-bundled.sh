#!/usr/bin/env bash
# Reproduces the bundled trained MX2LM weights, data/mx2lm-brown.safetensors (docs/laws.md
# MX2LM-BUNDLED): the Brown object set, then the gym trains fold mx2lm_brown_v1 from the seeded
# base (4,000 AdamW steps of 32 examples, seed 1; ~10 min on one core here), then compiles it
# onto the base. Every step is deterministic, so the same code gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-$(mktemp -d)}"
npx asx mx2lm build --out "$DIR/objects"
npx asx gym train --objects "$DIR/objects" --fold scripts/mx2lm-brown.fold.json --steps 4000 --batch 32 --seed 1 \
  --eval-every 500 --eval-tokens 5000 -o "$DIR/folds"
npx asx gym compile object://ai/weights/mx2lm-brown-base "$DIR/folds/mx2lm_brown_v1.step-4000.fold" --objects "$DIR/objects" \
  -o data/mx2lm-brown.safetensors --metrics data/mx2lm-brown.metrics.json
sha256sum data/mx2lm-brown.safetensors
