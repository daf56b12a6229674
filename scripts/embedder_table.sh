#!/usr/bin/env bash
# Reproduces the embedder results table on clothing-dataset-small: test photos query test +
# validation, label = class. Trains the three trained rows (skipping a run whose best.safetensors
# already exists), scores the two untrained rows, and prints one markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
LOOKKIT=${LOOKKIT:-.build/release/lookkit}
DB=${DB:-experiments/runs.db}
WEIGHTS=checkpoints/pretrained/efficientnet_lite0.safetensors
rows=()

train() {  # config, folder under checkpoints/, task
  [ -f "checkpoints/$2/best.safetensors" ] || "$LOOKKIT" train "$3" --config "$1" --db "$DB" --project checkpoints --name "$2" --exist-ok >&2
}
row() { tail -n 1; }

train experiments/embedder-resnet18-scratch.yaml embedder-resnet18 embedder
train experiments/embedder-efficientnet-lite0.yaml embedder embedder
train experiments/autoencoder.yaml autoencoder autoencoder

rows+=("$("$LOOKKIT" eval embedder --checkpoint checkpoints/embedder-resnet18/best.safetensors --name "ResNet18 triplet (from scratch)" | row)")
rows+=("$("$LOOKKIT" eval embedder --backbone resnet18 --config experiments/embedder-resnet18-scratch.yaml --name "random-init ResNet18 features" | row)")
rows+=("$("$LOOKKIT" eval embedder --backbone efficientnet_lite0 --weights "$WEIGHTS" --config experiments/embedder-efficientnet-lite0.yaml --name "EfficientNet-Lite0 ImageNet features (no training)" | row)")
rows+=("$("$LOOKKIT" eval embedder --checkpoint checkpoints/embedder/best.safetensors --name "EfficientNet-Lite0 ImageNet + triplet fine-tune" | row)")
rows+=("$("$LOOKKIT" eval embedder --checkpoint checkpoints/autoencoder/best.safetensors --name "autoencoder" | row)")

echo "| model | P@1 | P@5 | mAP@10 | relevance@10 | embedding size | index size |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
