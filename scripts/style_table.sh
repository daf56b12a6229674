#!/usr/bin/env bash
# Reproduces the Complete-the-Look table: every row answers the same fill-in-the-blank questions, the
# held-out outfits of experiments/style-efficientnet-lite0.yaml (split by outfit, 4 candidates of one
# product family). Rows: random; ImageNet features and the similarity embedder by the mean-cosine
# rule; the style embedder trained on each distance and on each kind of triplet (STEPS steps each,
# the same budget), and the checkpoint of `make reproduce-style`. A run whose best.safetensors exists
# is not trained again. Prints one markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
LOOKKIT=${LOOKKIT:-.build/release/lookkit}
DB=${DB:-experiments/runs.db}
STEPS=${STEPS:-600}
CONFIG=experiments/style-efficientnet-lite0.yaml
WEIGHTS=checkpoints/pretrained/efficientnet_lite0.safetensors
OUT=checkpoints/style-table
mkdir -p "$OUT"
IMAGES=$("$LOOKKIT" data fitb --config "$CONFIG" --out "$OUT/val.jsonl")
rows=()

fitb() {  # row name, model options
  local name=$1; shift
  "$LOOKKIT" eval fitb --questions "$OUT/val.jsonl" --images "$IMAGES" --name "$name" "$@" | tail -n 1
}
train() {  # folder under $OUT, --set overrides
  local name=$1; shift
  [ -f "$OUT/$name/best.safetensors" ] || "$LOOKKIT" train style --config "$CONFIG" --steps "$STEPS" --db "$DB" \
    --project "$OUT" --name "$name" --exist-ok --set "name=style-$name" "$@" >&2
}

[ -f checkpoints/embedder/best.safetensors ] || make reproduce-embedder >&2
[ -f checkpoints/style/best.safetensors ] || make reproduce-style >&2
train hybrid-outfit --set style.distance=hybrid --set style.triplets=outfit
train global-outfit --set style.distance=global --set style.triplets=outfit
train local-outfit --set style.distance=local --set style.triplets=outfit
train hybrid-scene --set style.distance=hybrid --set style.triplets=scene
train hybrid-both --set style.distance=hybrid --set style.triplets=both

rows+=("$(fitb "random" --random)")
rows+=("$(fitb "EfficientNet-Lite0 ImageNet features, mean cosine" --backbone efficientnet_lite0 --weights "$WEIGHTS")")
rows+=("$(fitb "similarity embedder (make reproduce-embedder), mean cosine" --checkpoint checkpoints/embedder/best.safetensors)")
for run in global-outfit local-outfit hybrid-outfit hybrid-scene hybrid-both; do
  distance=${run%-*}; triplets=${run#*-}
  rows+=("$(fitb "style embedder, $distance distance, $triplets triplets ($STEPS steps)" --checkpoint "$OUT/$run/best.safetensors")")
done
rows+=("$(fitb "style embedder, make reproduce-style" --checkpoint checkpoints/style/best.safetensors)")

"$LOOKKIT" eval fitb --random --questions "$OUT/val.jsonl" --images "$IMAGES" --name x | head -n 2
printf '%s\n' "${rows[@]}"
