#!/usr/bin/env bash
# Reproduces the similarity embedder's table on the class-held-out validation of
# experiments/embedder-efficientnet-lite0.yaml: clothing-dataset-small with shirt, outwear, skirt and
# hat never trained (data.unseenClasses); validation photos of the six trained classes and every
# non-test photo of the four unseen ones all rank one gallery. Seen and unseen classes are scored
# apart; the unseen columns stand for a shop's own catalog. Trains what is missing (a run whose
# best.safetensors exists is reused) and prints one markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
LOOKKIT=${LOOKKIT:-.build/release/lookkit}
DB=${DB:-experiments/runs.db}
CONFIG=experiments/embedder-efficientnet-lite0.yaml
WEIGHTS=checkpoints/pretrained/efficientnet_lite0.safetensors
OUT=checkpoints/embedder-table
rows=()

train() {  # config, folder, --set overrides
  local config=$1 folder=$2; shift 2
  [ -f "$folder/best.safetensors" ] || "$LOOKKIT" train embedder --config "$config" --db "$DB" \
    --project "$(dirname "$folder")" --name "$(basename "$folder")" --exist-ok "$@" >&2
}
score() {  # row name, model options
  local name=$1; shift
  "$LOOKKIT" eval embedder --split validation --config "$CONFIG" --name "$name" "$@" | tail -n 1
}

[ -f checkpoints/embedder/best.safetensors ] || make reproduce-embedder >&2
train experiments/embedder-lite0-finetune-96.yaml "$OUT/finetune-96"
train "$CONFIG" "$OUT/frozen-head" --set name=efficientnet-lite0-frozen-head --set model.backboneShare=0

rows+=("$(score "EfficientNet-Lite0 ImageNet features, 224² stretched (no training)" --backbone efficientnet_lite0 --weights "$WEIGHTS" --resize stretch)")
rows+=("$(score "EfficientNet-Lite0 ImageNet features, 96² stretched (no training)" --backbone efficientnet_lite0 --weights "$WEIGHTS" --resize stretch --size 96)")
rows+=("$(score "EfficientNet-Lite0 ImageNet features, 224² centre crop (no training)" --backbone efficientnet_lite0 --weights "$WEIGHTS")")
rows+=("$(score "whole network fine-tuned, 96² stretched (the previous recipe)" --checkpoint "$OUT/finetune-96/best.safetensors")")
rows+=("$(score "frozen backbone, trained head alone, 224² centre crop" --checkpoint "$OUT/frozen-head/best.safetensors")")
rows+=("$(score "frozen backbone, ½ ImageNet ⊕ ½ head, 224² centre crop (make reproduce-embedder)" --checkpoint checkpoints/embedder/best.safetensors)")

"$LOOKKIT" eval embedder --split validation --config "$CONFIG" --backbone efficientnet_lite0 --weights "$WEIGHTS" --name x | head -n 2
printf '%s\n' "${rows[@]}"
